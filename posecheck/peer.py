"""The peer: a plain peak counter on bare 2-D landmarks, the baseline `posecheck eval` scores beside the rules.

What a user would write in an afternoon with MediaPipe's image landmarks:
one number per frame, lightly smoothed, and two thresholds on that number's
own recent range.

- leg-lift: the picture angle between the two legs (hip->ankle) at the hips;
  a lift raises it, so count peaks.  The lifted leg is the one whose ankle
  travelled further from the last frame below the exit threshold to the
  frame the rep is counted.
- ball-squeeze: the knee gap over the hip width (picture distances); a squeeze
  lowers it, so count dips.  Side "both".

A rep enters when the smoothed signal passes ENTER of the way from the running
low percentile to the running high percentile (over the last WINDOW_S) and
is counted when it falls back below EXIT; nothing counts while that range is
under the exercise's minimum, so a still person counts nothing.  A pause over
SET_PAUSE_S closes a set.  Holds and faults: not applicable (the peer reports
holds_judged False and every fault as not judged).

No side information beyond the exercise's name; no mediapipe, no cv2.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from .pose import Landmark, Pose

Json = dict[str, object]

ENTER, EXIT = 0.6, 0.4  # of the way from the running low to the running high percentile
LOW_PCT, HIGH_PCT = 10.0, 90.0
WINDOW_S = 20.0  # the running percentiles' window
SMOOTH_S = 0.5  # moving average (a squeeze lasts ~2 s; 0.2-0.3 s left the knee gap's jitter in)
SET_PAUSE_S = 10.0


@dataclass(frozen=True)
class Signal:
    dips: bool  # True: a rep lowers the signal
    min_range: float  # below this the range is jitter, not reps
    unit: str


SIGNALS = {
    "leg-lift": Signal(dips=False, min_range=12.0, unit="deg"),  # a real lift is > 20 deg
    "ball-squeeze": Signal(dips=True, min_range=0.08, unit="hip widths"),  # a few cm of a ~30 cm hip width
}
L = Landmark


def applicable(exercise: str) -> bool:
    return exercise in SIGNALS


def leg_angle(pose: Pose) -> float:
    p = pose.pixels_iso
    a = p[L.LEFT_ANKLE] - p[L.LEFT_HIP]
    b = p[L.RIGHT_ANKLE] - p[L.RIGHT_HIP]
    cos = float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-9))
    return float(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))


def knee_gap(pose: Pose) -> float:
    p = pose.pixels_iso
    hips = float(np.linalg.norm(p[L.LEFT_HIP] - p[L.RIGHT_HIP]))
    return float(np.linalg.norm(p[L.LEFT_KNEE] - p[L.RIGHT_KNEE])) / max(hips, 1e-6)


MEASURES = {"leg-lift": leg_angle, "ball-squeeze": knee_gap}


class PeakCounter:
    """Two-threshold counting on a signal's running range."""

    def __init__(self, signal: Signal, fps: float) -> None:
        self.signal = signal
        self.smooth: deque[float] = deque(maxlen=max(1, round(SMOOTH_S * fps)))
        self.history: deque[float] = deque(maxlen=max(10, round(WINDOW_S * fps)))
        self.up = False
        self.level: float | None = None  # where the signal is in its range, 0..1 (None: no range yet)

    def update(self, value: float) -> str | None:
        """'enter' when a rep starts, 'exit' when it is counted, else None."""
        self.smooth.append(-value if self.signal.dips else value)
        s = float(np.mean(self.smooth))
        self.history.append(s)
        lo, hi = np.percentile(self.history, [LOW_PCT, HIGH_PCT])
        if hi - lo < self.signal.min_range:
            self.level = None
            return None
        self.level = level = (s - lo) / (hi - lo)
        if not self.up and level > ENTER:
            self.up = True
            return "enter"
        if self.up and level < EXIT:
            self.up = False
            return "exit"
        return None


def _lifted_side(ankles: list[np.ndarray]) -> str:
    """The leg whose ankle travelled further over the rep, from the last rest before it (the person's own side)."""
    travel = np.ptp(np.array(ankles), axis=0)  # (2 ankles, x/y) extents
    left, right = np.linalg.norm(travel, axis=1)
    return "left" if left >= right else "right"


def _ankles(pose: Pose) -> np.ndarray:
    return pose.pixels_iso[[L.LEFT_ANKLE, L.RIGHT_ANKLE]]


def count(poses: Iterable[Pose | None], exercise: str, fps: float) -> Json:
    """A report (docs/labels.md shape) of the reps the peer counts; no holds, no faults."""
    report: Json = {"exercise": exercise, "peer": True, "reps": [], "holds": [], "sets": [], "holds_judged": False}
    total = with_pose = 0
    if not applicable(exercise):
        report["applicable"] = False
        return report
    signal, measure = SIGNALS[exercise], MEASURES[exercise]
    counter = PeakCounter(signal, fps)
    reps: list[Json] = []
    rest: Pose | None = None  # the last pose below the exit threshold (or before there was a range)
    best: tuple[float, Pose] | None = None  # (signal, pose) at the rep's extreme so far
    ankles: list[np.ndarray] = []  # both ankles from the rest pose on
    for pose in poses:
        total += 1
        if pose is None:  # nobody in view: skip the frame
            continue
        with_pose += 1
        value = measure(pose)
        key = -value if signal.dips else value
        event = counter.update(value)
        ankles.append(_ankles(pose))
        if event == "exit" and rest is not None and best is not None:
            side = "both" if exercise == "ball-squeeze" else _lifted_side(ankles)
            reps.append({"side": side, "start_s": round(rest.t, 3), "peak_s": round(best[1].t, 3),
                         "end_s": round(pose.t, 3), "faults": []})  # fmt: skip
            best = None
        if counter.up:
            if best is None or key > best[0]:
                best = (key, pose)
        elif counter.level is None or counter.level < EXIT:
            rest, ankles = pose, [_ankles(pose)]
    report["reps"] = reps
    report["sets"] = _sets(reps)
    report["frames"] = {"total": total, "with_pose": with_pose}
    return report


def _sets(reps: list[Json]) -> list[Json]:
    sets: list[Json] = []
    last_end = None
    for rep in reps:
        side, start = rep["side"], float(rep["start_s"])  # type: ignore[arg-type]
        if sets and sets[-1]["side"] == side and last_end is not None and start - last_end <= SET_PAUSE_S:
            sets[-1]["reps"] = int(sets[-1]["reps"]) + 1  # type: ignore[call-overload]
        else:
            sets.append({"side": side, "reps": 1})
        last_end = float(rep["end_s"])  # type: ignore[arg-type]
    return sets
