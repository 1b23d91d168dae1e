"""How well MediaPipe saw a rendered body: its picture error on the legs and hips, against the render's truth.

A benchmark factor, so that `posecheck eval` can tell the clips where the rules
failed on good landmarks from those where MediaPipe misplaced the body (no
threshold of a rule can count what the landmarks do not show).

    python -m samplegen.bench.landmark_error BENCH_DIR [TRUTH_DIR]

adds the factor to the labels in BENCH_DIR whose NAME.gt.npz is in TRUTH_DIR
(default BENCH_DIR); `samplegen bench` adds it to every clip it renders.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

import numpy as np

JOINTS = [23, 24, 25, 26, 27, 28]  # hips, knees, ankles (MediaPipe indices)
MIRRORED = [24, 23, 26, 25, 28, 27]  # the same joints with left and right swapped
MISREAD = 0.4  # median error past 0.4 thigh lengths (~18 cm): the legs are misplaced. On the draw-2 clips the
# errors fall in three groups: 0.06-0.15 (read well), 0.21-0.38 (one leg or the hips off), 0.47-1.4 (the body
# misplaced: knees on the wrong side, a lying body read as another pose)


def landmark_error(image: np.ndarray, truth_px: np.ndarray, width: int, height: int) -> float | None:
    """Median over the frames with a pose of the hips', knees' and ankles' mean picture error, in thigh lengths.

    image: MediaPipe's (n, 33, 2) normalised picture landmarks (NaN: no pose); truth_px: the render's (m, 33, 2)
    pixels (NaN: a joint the rig does not place).  Left and right may be swapped as a whole (MediaPipe's labels
    on a body seen from behind): the nearer reading counts.  None: no frame to compare.
    """
    n = min(len(image), len(truth_px))
    pred = image[:n].astype(np.float64) * np.array([width, height], dtype=np.float64)
    truth = truth_px[:n].astype(np.float64)
    thigh = np.linalg.norm(truth[:, [23, 24]] - truth[:, [25, 26]], axis=-1).mean(axis=1)
    with warnings.catch_warnings():  # frames without a pose or a placed joint: NaN, dropped below
        warnings.simplefilter("ignore", RuntimeWarning)
        direct = np.nanmean(np.linalg.norm(pred[:, JOINTS] - truth[:, JOINTS], axis=-1), axis=1)
        mirrored = np.nanmean(np.linalg.norm(pred[:, MIRRORED] - truth[:, JOINTS], axis=-1), axis=1)
        error = np.fmin(direct, mirrored) / thigh
    error = error[np.isfinite(error)]
    return round(float(np.median(error)), 3) if error.size else None


def factors(recording: dict[str, np.ndarray], truth: Path, width: int, height: int) -> dict[str, object]:
    """The label factors: `landmark_error` (thigh lengths) and `landmarks` ("read well" / "misread")."""
    with np.load(truth) as gt:
        error = landmark_error(recording["image"], gt["pixels"], width, height)
    if error is None:
        return {"landmark_error": None, "landmarks": "no pose"}
    return {"landmark_error": error, "landmarks": "misread" if error > MISREAD else "read well"}


def backfill(bench: Path, truth_dir: Path) -> int:
    """Add the factors to every label in `bench` whose ground truth is in `truth_dir`; returns how many."""
    from posecheck.replay import load

    done = 0
    for label_path in sorted(bench.glob("*.json")):
        truth = truth_dir / (label_path.stem + ".gt.npz")
        marks = bench / (label_path.stem + ".landmarks.npz")
        if label_path.name == "bench.json" or not (truth.exists() and marks.exists()):
            continue
        label = json.loads(label_path.read_text())
        block = label.get("bench", {}).get("factors")
        if not isinstance(block, dict):
            continue
        block.update(factors(load(marks), truth, int(block["width"]), int(block["height"])))
        label_path.write_text(json.dumps(label, indent=1) + "\n")
        done += 1
    return done


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m samplegen.bench.landmark_error", description=__doc__.split("\n")[0])
    p.add_argument("bench", type=Path, help="folder of bench labels and NAME.landmarks.npz")
    p.add_argument("truth", type=Path, nargs="?", help="folder of NAME.gt.npz (default: the bench folder)")
    args = p.parse_args(argv)
    done = backfill(args.bench, args.truth or args.bench)
    print(f"landmark_error added to {done} label(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
