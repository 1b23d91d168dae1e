"""Command line: ``python -m samplegen render|batch|table|check|bench``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import fields
from pathlib import Path

import tomllib

from samplegen.camera import HEIGHT, WIDTH
from samplegen.pipeline import Spec, render_sample


def _spec_from_args(a: argparse.Namespace) -> Spec:
    return Spec(
        exercise=a.exercise,
        side=a.side,
        camera=a.camera,
        output=a.output,
        body=a.body,
        seed=a.seed,
        reps=a.reps,
        faults=a.faults or [],
        hold_s=a.hold,
        sets=a.sets,
        set_pause_s=a.set_pause,
        fps=a.fps,
        roll=a.roll,
        width=a.size[0],
        height=a.size[1],
    )


def _size(text: str) -> tuple[int, int]:
    """``"1280x960"`` -> (1280, 960)."""
    width, sep, height = text.lower().partition("x")
    if not (sep and width.isdigit() and height.isdigit()) or min(int(width), int(height)) < 64:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT in pixels, e.g. 1280x960, not {text!r}")
    return int(width), int(height)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m samplegen", description="Render labelled synthetic exercise videos.")
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("render", help="render one clip (+ label JSON and .gt.npz)")
    r.add_argument("--exercise", required=True, choices=["leg-lift", "ball-squeeze", "figure-four", "seated-twist"])
    r.add_argument("--side", choices=["left", "right"], default="left")
    r.add_argument("--camera", required=True)
    r.add_argument("--body", choices=["female", "male"], default="female")
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--reps", type=int, default=5)
    r.add_argument(
        "--faults",
        action="append",
        metavar="NAME@WHERE",
        help="rep faults 'leg_forward@2,4' or hold episodes 'knee_inward@4-7.5' (seconds into the hold); repeatable",
    )
    r.add_argument("--hold", type=float, default=14.0, help="hold length, s")
    r.add_argument("--sets", type=int, default=1)
    r.add_argument("--set-pause", type=float, default=3.0, help="pause between sets, s")
    r.add_argument("--fps", type=float, default=30.0)
    r.add_argument(
        "--roll",
        type=float,
        default=0.0,
        help="camera roll about its viewing axis, degrees (+: picture turns clockwise)",
    )
    r.add_argument(
        "--size",
        type=_size,
        default=(WIDTH, HEIGHT),
        metavar="WxH",
        help=f"picture size (default {WIDTH}x{HEIGHT}); keep 4:3 to frame the body the same",
    )
    r.add_argument("--preview", metavar="PNG", help="write a strip of frames instead of a video")
    r.add_argument("--frames", default="0,90,180", help="frame numbers for --preview")
    r.add_argument("-o", "--output", default="out/sample.mp4")
    b = sub.add_parser("batch", help="render every [[sample]] of a TOML manifest")
    b.add_argument("manifest")
    b.add_argument("--only", help="render only samples whose output contains this")
    t = sub.add_parser("table", help="check every clip in a folder, write its README.md")
    t.add_argument("folder")
    t.add_argument("--reuse", action="store_true", help="reuse results in detection.json")
    t.add_argument("--model", default="posecheck/models/pose_landmarker_full.task")
    c = sub.add_parser("check", help="run MediaPipe on clips and compare with their truth")
    c.add_argument("videos", nargs="+")
    c.add_argument("--model", default="posecheck/models/pose_landmarker_full.task")
    from samplegen.bench.run import add_arguments

    add_arguments(sub.add_parser("bench", help="render the varied benchmark (+ MediaPipe landmarks per clip)"))
    return p


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("PYOPENGL_PLATFORM", "osmesa")
    argv = sys.argv[1:] if argv is None else argv
    a = build_parser().parse_args(argv)
    if a.cmd == "bench":
        from samplegen.bench.run import main as bench_main

        return bench_main(a, argv)
    if a.cmd == "render":
        spec = _spec_from_args(a)
        if a.preview:
            frames = [int(x) for x in a.frames.split(",")]
            render_sample(spec, preview=frames, preview_path=a.preview)
            print(a.preview)
        else:
            label = render_sample(spec)
            print(json.dumps({k: label[k] for k in ("video", "duration_s", "reps", "holds")}))
        return 0
    if a.cmd == "batch":
        data = tomllib.loads(Path(a.manifest).read_text())
        names = {f.name for f in fields(Spec)}
        base = Path(a.manifest).parent
        for item in data["sample"]:
            item = {k: v for k, v in item.items() if k in names}
            item["output"] = str(base / item["output"])
            if a.only and a.only not in item["output"]:
                continue
            label = render_sample(Spec(**item))
            print(label["video"], label["duration_s"], flush=True)
        return 0
    if a.cmd == "table":
        from samplegen.table import main as table_main

        return table_main(a.folder, a.model, a.reuse)
    from samplegen.detect import check_videos

    return check_videos(a.videos, a.model)


if __name__ == "__main__":
    sys.exit(main())
