"""Print what MediaPipe reads of each rule's measures on a benchmark's tuning half: the distributions thresholds
come from.

    python scripts/distributions.py BENCH_DIR [--split tune] [--exercise leg-lift]

BENCH_DIR holds `python -m samplegen bench` output (NAME.json labels with a `bench` block, NAME.landmarks.npz).
For every clip of the split, the recorded landmarks are smoothed as the session does (One Euro) and each
exercise's per-frame measures are taken; frames are grouped by what the label says happens there:

- rep exercises: `rest` (outside every labelled rep) and per rep its `rise` (top reading over the clip's
  resting median), printed against the rep's true size;
- hold exercises: `hold` (inside a labelled hold's valid time, no fault episode), each fault's episodes, and
  `out` (outside the holds).

Percentiles (5, 25, 50, 75, 95) per group, so a threshold can be placed between groups and stated with its
provenance.  The test half is never read unless asked for (--split test): tune on one half, report the other.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's posecheck, not an installed copy

from posecheck.exercises import _figure_four_measure, _leg_measure, seated_twist  # noqa: E402
from posecheck.pose import Pose  # noqa: E402
from posecheck.replay import load  # noqa: E402
from posecheck.replay import poses as replay_poses  # noqa: E402
from posecheck.smoothing import PoseSmoother  # noqa: E402

Measure = Callable[[Pose], dict[str, float]]


def leg_lift(pose: Pose) -> dict[str, float]:
    f = _leg_measure.measure(pose)
    return {"lift": f.lift, "knee": f.knee, "forward": f.forward, "tilt": f.tilt, "shank": f.shank}


def figure_four(pose: Pose) -> dict[str, float]:
    f = _figure_four_measure.measure(pose)
    return {"hip_flex": f.hip_flex, "ankle_gap": f.ankle_gap, "ankle_along": f.ankle_along, "knee_out": f.knee_out}


def twist(pose: Pose) -> dict[str, float]:
    f = seated_twist.measure(pose)
    return {
        "straight_knee": f.straight_knee,
        "bent_knee": f.bent_knee,
        "foot_gap": f.foot_gap,
        "elbow_gap": f.elbow_gap,
        "elbow_out": f.elbow_out,
        "rotation": f.rotation,
        "hip_lift": f.hip_lift,
    }


def squeeze(pose: Pose) -> dict[str, float]:
    """The knees' picture gap over the hips' (the rule's signal before its axis and filters)."""
    p = pose.pixels_iso
    knees = float(np.linalg.norm(p[25] - p[26]))
    hips = float(np.linalg.norm(p[23] - p[24]))
    return {"knee_gap": knees / hips if hips > 1e-6 else float("nan")}


MEASURES: dict[str, Measure] = {
    "leg-lift": leg_lift,
    "figure-four": figure_four,
    "seated-twist": twist,
    "ball-squeeze": squeeze,
}


def smoothed(path: Path) -> list[tuple[float, Pose | None]]:
    """The recording's poses (posecheck.replay), smoothed as the session smooths them."""
    data = load(path)
    smoother, out = PoseSmoother("one-euro"), []
    for t, raw in zip(data["t"], replay_poses(data), strict=True):
        if raw is None:
            smoother.reset()
        out.append((float(t), smoother(raw) if raw is not None else None))
    return out


def groups_of(label: dict, t: float) -> list[str]:
    """What the label says happens at t: rep / rest, or hold / fault / out."""
    if label.get("reps") is not None and label["exercise"] in ("leg-lift", "ball-squeeze"):
        return [f"rep{i}" for i, r in enumerate(label["reps"]) if r["start_s"] <= t <= r["end_s"]] or ["rest"]
    for hold in label.get("holds", []):
        if hold["start_s"] <= t <= hold["end_s"]:
            faults = [e["fault"] for e in hold.get("episodes", []) if e["start_s"] <= t <= e["end_s"]]
            return faults or ["hold"]
    return ["out"]


def pct(values: list[float]) -> str:
    v = np.asarray([x for x in values if np.isfinite(x)])
    if not len(v):
        return "-"
    return " ".join(f"{x:7.2f}" for x in np.percentile(v, [5, 25, 50, 75, 95])) + f"  (n={len(v)})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bench", type=Path)
    parser.add_argument("--split", default="tune", choices=("tune", "test", "all"))
    parser.add_argument("--exercise", choices=sorted(MEASURES))
    args = parser.parse_args()
    labels = sorted(args.bench.glob("*.json"))
    by_group: dict[str, dict[str, dict[str, list[float]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    rises: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    clips = 0
    for path in labels:
        label = json.loads(path.read_text())
        bench = label.get("bench") if isinstance(label, dict) else None
        lm = path.with_name(path.stem + ".landmarks.npz")
        if not isinstance(bench, dict) or not lm.exists():
            continue
        if args.split != "all" and bench.get("split") != args.split:
            continue
        exercise = label["exercise"]
        if args.exercise and exercise != args.exercise:
            continue
        clips += 1
        measure = MEASURES[exercise]
        per_rep: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
        for t, pose in smoothed(lm):
            if pose is None:
                continue
            values = measure(pose)
            for group in groups_of(label, t):
                target = per_rep[group] if group.startswith("rep") else by_group[exercise][group]
                for name, value in values.items():
                    target[name].append(value)
        rest = {name: float(np.nanmedian(v)) for name, v in by_group[exercise]["rest"].items() if v}
        for group, values in per_rep.items():
            rep = label["reps"][int(group[3:])]
            for name, v in values.items():
                top = float(np.nanpercentile(v, 90)) if name != "knee_gap" else float(np.nanpercentile(v, 10))
                rises[f"{exercise} {name}"].append((top - rest.get(name, np.nan), rep.get("peak_angle_deg", np.nan),
                                                    ",".join(rep.get("faults", [])) or "clean"))  # fmt: skip
    print(f"{clips} clips of the {args.split} split\n")
    print(f"{'exercise / group / measure':44s} {'p5':>7s} {'p25':>7s} {'p50':>7s} {'p75':>7s} {'p95':>7s}")
    for exercise, groups in sorted(by_group.items()):
        for group, measures in sorted(groups.items()):
            for name, values in sorted(measures.items()):
                print(f"{exercise + ' / ' + group + ' / ' + name:44s} {pct(values)}")
    for key, items in sorted(rises.items()):
        for kind in sorted({k for _, _, k in items}):
            print(f"{key + ' rise over rest, ' + kind:44s} {pct([r for r, _, k in items if k == kind])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
