"""``python -m samplegen bench``: render the benchmark clips, keep their MediaPipe landmarks.

Per clip (see ``docs/benchmark.md``): ``NAME.json`` (label + ``bench``), ``NAME.landmarks.npz``,
``NAME.gt.npz`` (rig truth) and, with ``--keep-video``, ``NAME.mp4``.  A clip whose
``.landmarks.npz`` and ``bench``-stamped ``.json`` exist is skipped, so a run resumes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path

import numpy as np

from samplegen.bench.draw import DRAW_VERSION, BenchClip, clip_name, draw, exercise_of, split_of
from samplegen.bench.landmark_error import factors as landmark_factors
from samplegen.bench.truth import truth_problems


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("out", type=Path, help="output folder")
    p.add_argument("--n", type=int, default=160, help="clips in the benchmark (indices 0..n-1)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--draw",
        type=int,
        choices=(1, 2),
        default=DRAW_VERSION,
        help="the draw's version: 2 centres the camera on the coached views, 1 spreads it over every preset",
    )
    p.add_argument("--start", type=int, default=0, help="first index to render")
    p.add_argument("--count", type=int, help="render this many indices from --start")
    p.add_argument("--only-index", type=int, action="append", help="render just this index (repeatable)")
    p.add_argument("--jobs", type=int, default=1, help="clips rendered at once (each pinned to its own CPU)")
    p.add_argument("--keep-video", action="store_true", help="keep NAME.mp4 after recording its landmarks")
    p.add_argument("--shard", help=argparse.SUPPRESS)  # "k/N": this worker's share (set by --jobs)
    p.add_argument("--no-pin", action="store_true", help="do not pin to --jobs CPUs")


def is_done(out: Path, name: str, version: int = DRAW_VERSION) -> bool:
    """The clip's landmarks and bench-stamped label are there, from this draw (labels without one: draw 1)."""
    js = out / f"{name}.json"
    if not (out / f"{name}.landmarks.npz").exists() or not js.exists():
        return False
    try:
        bench = json.loads(js.read_text()).get("bench")
    except (ValueError, AttributeError):
        return False
    if not isinstance(bench, dict):
        return False
    if bench.get("draw", 1) != version:
        drawn = bench.get("draw", 1)
        raise SystemExit(f"samplegen bench: {js} is a draw-{drawn} clip; render draw {version} elsewhere")
    return True


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=1) + "\n")
    tmp.replace(path)


def render_one(clip: BenchClip, out: Path, keep_video: bool) -> dict:
    from posecheck.replay import record  # the rules' replay format, with the model's sha256 and mediapipe's version
    from samplegen.pipeline import render_sample

    t0 = time.time()
    label = render_sample(clip.spec)
    t1 = time.time()
    video = out / f"{clip.name}.mp4"
    rec = record(video)
    tmp = out / f"{clip.name}.landmarks.tmp.npz"
    np.savez_compressed(tmp, **rec)
    tmp.replace(out / f"{clip.name}.landmarks.npz")
    view = label["generator"].get("view", {})
    factors = {
        **clip.factors,
        **view,
        "duration_s": label["duration_s"],
        "frames": label["frames"]["total"],
        "render_s": round(t1 - t0, 1),
        "record_s": round(time.time() - t1, 1),
        "truth_problems": truth_problems(label, bool(clip.factors.get("negative"))),
        **landmark_factors(rec, video.with_suffix(".gt.npz"), clip.spec.width, clip.spec.height),
    }
    label["bench"] = {"index": clip.index, "split": clip.split, "draw": clip.factors["draw"], "factors": factors}
    if not keep_video:
        label["video_deleted"] = True
    _write_json(out / f"{clip.name}.json", label)
    if not keep_video:
        video.unlink()
    return factors


def folder_draw(out: Path) -> int | None:
    """The draw version of the benchmark already in ``out`` (None: none there; files from before versions: 1)."""
    index = out / "bench.json"
    if not index.exists():
        return None
    try:
        return int(json.loads(index.read_text()).get("draw", 1))
    except (ValueError, TypeError, AttributeError):
        return None


def write_index(out: Path, seed: int, n: int, command: str, version: int = DRAW_VERSION) -> None:
    """``OUT/bench.json``: every clip of the benchmark, rendered or not yet."""
    clips = []
    for i in range(n):
        name = clip_name(i)
        entry = {"index": i, "name": name, "exercise": exercise_of(i), "split": split_of(i)}
        if is_done(out, name, version):
            entry.update(rendered=True, factors=json.loads((out / f"{name}.json").read_text())["bench"]["factors"])
        else:
            entry.update(rendered=False, factors=draw(seed, i, str(out), version).factors)
        clips.append(entry)
    data = {
        "command": command,
        "seed": seed,
        "draw": version,
        "n": n,
        "split_rule": "exercise = EXERCISES[index % 4]; split = 'test' if (index // 4) % 2 == 0 else 'tune'",
        "negative_rule": "negative (the position, no rep or hold) if (index // 8) % 10 == 9",
        "exercises": ["leg-lift", "ball-squeeze", "figure-four", "seated-twist"],
        "rendered": sum(c["rendered"] for c in clips),
        "clips": clips,
    }
    _write_json(out / "bench.json", data)


def _indices(a: argparse.Namespace) -> list[int]:
    if a.only_index:
        return sorted(set(a.only_index))
    stop = a.n if a.count is None else min(a.n, a.start + a.count)
    return list(range(a.start, stop))


def _pin(jobs: int) -> None:
    """Keep to ``jobs`` CPUs (the last ones), children included; llvmpipe to one thread each."""
    os.environ.setdefault("LP_NUM_THREADS", "1")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    if not hasattr(os, "sched_setaffinity"):
        return
    cpus = sorted(os.sched_getaffinity(0))
    if jobs < len(cpus):
        os.sched_setaffinity(0, cpus[-jobs:])


def _run_shards(a: argparse.Namespace, argv: list[str]) -> int:
    procs = []
    for k in range(a.jobs):
        cmd = [sys.executable, "-m", "samplegen", *argv, "--shard", f"{k}/{a.jobs}"]
        procs.append(subprocess.Popen(cmd))
    return max(p.wait() for p in procs)


def main(a: argparse.Namespace, argv: list[str]) -> int:
    a.out.mkdir(parents=True, exist_ok=True)
    command = "python -m samplegen " + " ".join(argv)
    there = folder_draw(a.out)
    if there is not None and there != a.draw:
        print(f"samplegen bench: {a.out} holds a draw-{there} benchmark; render draw {a.draw} into another folder",
              file=sys.stderr)  # fmt: skip
        return 2
    if a.shard is None and not a.no_pin:
        _pin(a.jobs)
    if a.shard is None and a.jobs > 1:
        rc = _run_shards(a, argv)
        write_index(a.out, a.seed, a.n, command, a.draw)
        return rc
    todo = _indices(a)
    if a.shard is not None:
        k, m = (int(x) for x in a.shard.split("/"))
        if not a.no_pin and hasattr(os, "sched_setaffinity"):
            cpus = sorted(os.sched_getaffinity(0))
            os.sched_setaffinity(0, [cpus[k % len(cpus)]])
        todo = todo[k::m]
    failed = 0
    for i in todo:
        clip = draw(a.seed, i, str(a.out), a.draw)
        if is_done(a.out, clip.name, a.draw):
            print(f"{clip.name}: done already", flush=True)
            continue
        try:
            f = render_one(clip, a.out, a.keep_video)
        except Exception:  # keep going: one broken clip must not stop a night's rendering
            failed += 1
            print(f"{clip.name}: FAILED\n{traceback.format_exc()}", flush=True)
            continue
        per = f["render_s"] / max(f["frames"], 1)
        print(
            f"{clip.name}: {f['duration_s']} s, {f['frames']} frames {f['width']}x{f['height']}@{f['fps']:g}, "
            f"render {f['render_s']} s ({per:.2f} s/frame), record {f['record_s']} s"
            + (f", TRUTH PROBLEMS {f['truth_problems']}" if f["truth_problems"] else ""),
            flush=True,
        )
        if a.shard is None:
            write_index(a.out, a.seed, a.n, command, a.draw)
    if a.shard is None:
        write_index(a.out, a.seed, a.n, command, a.draw)
    return 1 if failed else 0
