"""Write ``samples/README.md``: the sample table, regeneration commands, detection check."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

from samplegen.detect import compare, detect

HEADER = """# Labelled synthetic sample clips

Rendered by `samplegen` (a posed, skinned CC0 MakeHuman body, pyrender/OSMesa),
640x480, 30 fps, mp4v. Each `NAME.mp4` has `NAME.json` (label, docs/labels.md shape,
plus `generator`, `camera_model`, `angle_definition`/`hold_definition`) and
`NAME.gt.npz` (per-frame ground-truth landmarks in MediaPipe indexing:
`world` (frames, 33, 3) metres, `pixels` (frames, 33, 2), NaN where the rig
has no counterpart; defined: 2, 5, 11-16, 23-28, 31, 32).

Regenerate all: `sh samplegen/make_samples.sh` (or
`python -m samplegen batch samples/manifest.toml [--only NAME]`), one clip with
the command in the last column. Detection: MediaPipe PoseLandmarker (full
model, VIDEO mode) on the clip; error = mean pixel distance of shoulders,
elbows, wrists, hips, knees, ankles to the projected rig joints ("L/R-tol."
takes the better of as-is and left/right swapped per frame). MediaPipe's hip
sits a few cm off the anatomical hip centre, so part of the error is
systematic.

"""


def command(spec: dict) -> str:
    args = [
        "python",
        "-m",
        "samplegen",
        "render",
        "--exercise",
        spec["exercise"],
        "--side",
        spec["side"],
        "--camera",
        spec["camera"],
        "--body",
        spec["body"],
        "--seed",
        str(spec["seed"]),
    ]
    if spec["exercise"] in ("leg-lift", "ball-squeeze"):
        args += ["--reps", str(spec["reps"])]
        if spec.get("sets", 1) > 1:
            args += ["--sets", str(spec["sets"]), "--set-pause", str(spec["set_pause_s"])]
    else:
        args += ["--hold", str(spec["hold_s"])]
    for f in spec.get("faults", []):
        args += ["--faults", f]
    args += ["-o", f"samples/{Path(spec['output']).name}"]
    return " ".join(shlex.quote(a) for a in args)


def summary(label: dict) -> tuple[str, str]:
    if label["reps"]:
        sets = "+".join(str(s["reps"]) for s in label["sets"])
        what = f"{len(label['reps'])} reps ({sets})"
        faults = ", ".join(f"{f}@{i + 1}" for i, r in enumerate(label["reps"]) for f in r["faults"]) or "clean"
    else:
        h = label["holds"][0]
        what = f"hold {h['start_s']:.1f}-{h['end_s']:.1f} s, valid {h['valid_s']:.1f} s"
        faults = ", ".join(f"{e['fault']} {e['start_s']:.1f}-{e['end_s']:.1f}s" for e in h["episodes"]) or "clean"
    return what, faults


def main(folder: str, model: str = "posecheck/models/pose_landmarker_full.task", reuse: bool = False) -> int:
    """Check every labelled clip in ``folder``; ``reuse`` takes results from detection.json."""
    import numpy as np

    root = Path(folder)
    rows, checks = [], {}
    old = json.loads((root / "detection.json").read_text()) if reuse and (root / "detection.json").exists() else {}
    for js in sorted(root.glob("*.json")):
        if js.name == "detection.json":
            continue
        label = json.loads(js.read_text())
        video = root / label["video"]
        if label["video"] in old:
            res = old[label["video"]]
        else:
            truth = np.load(video.with_suffix(".gt.npz"))["pixels"]
            res = compare(detect(str(video), model), truth)
        checks[label["video"]] = res
        spec = label["generator"]["spec"]
        what, faults = summary(label)
        side = (label["reps"] or label["holds"])[0]["side"]
        rows.append(
            f"| `{label['video']}` | {label['exercise']} | {side} | "
            f"{label['camera']} | {spec['body']} | {what} | {faults} | "
            f"{label['duration_s']:.1f} s | {res['detection_rate']:.0%} | "
            f"{res['mean_err_px']} / {res['mean_err_px_lr_tolerant']} px | "
            f"`{command(spec)}` |"
        )
        print(label["video"], json.dumps(res), flush=True)
    table = (
        "| file | exercise | side | camera | body | reps / holds | faults | duration | "
        "detected | err (as-is / L/R-tol.) | command |\n|" + "---|" * 11 + "\n"
    )
    (root / "README.md").write_text(HEADER + table + "\n".join(rows) + "\n")
    (root / "detection.json").write_text(json.dumps(checks, indent=1) + "\n")
    return 0
