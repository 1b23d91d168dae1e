"""Ball squeeze: the direction the knees' gap is read across - the way MediaPipe's knees wander in the picture."""

from __future__ import annotations

from collections import deque

import numpy as np

from ._squeeze_measure import Frame, lagged_pairs, push

UP = np.array([0.0, -1.0])  # the picture's up (y grows downward): a level camera at the feet
WANDER_SHAPE = (1.3, 2.0)  # the knees' moves this much longer one way than across it (sd ratio) show no / a
# clear direction (recorded feet views: 1.3-3.8); in between the axis is a blend of theirs and the trunk's
TURN_DEG_S = 2.0  # the axis turns at most this fast: the gaps of the last seconds (release level, noise floor)
# were read across the old axis, and the knees' gap along it (~25 px) moves ~0.8 % of the hip width a degree
WANDER_OFF_DEG = 30.0  # ... and lie within this of the trunk's axis: mostly across it (jitter-free knees,
# where the squeezes themselves are the main move) would read the gap along the wander instead
MIN_PAIRS = 20  # lagged pairs per knee before the knees' own direction is trusted
RETARGET_S = 0.25  # the direction is looked for again this often (it is taken over 10 s and the axis turns at
# most 0.5 deg in that time); looked for every frame it cost 0.8 ms a frame, a third of the rule


class BodyAxis:
    """The axis MediaPipe's knees wander along in the picture, as a unit vector; the gap is read across it.

    From the feet MediaPipe's knees wander along the thighs (rendered male clip: 12 px
    sd, against 2 px across).  A level camera shows that upright, a phone propped
    crookedly turns it (sin 15 deg = 26 % of the wander leaks into the picture's
    horizontal).  It is not quite the trunk's axis (hip mid -> shoulder mid): on the
    male clip the trunk leans 10 deg in the picture while the knees wander within 3 deg
    of upright, and reading across the trunk counted 16 for 20.  So the direction comes
    from the knees themselves: the main axis of their moves (each knee against the hip
    mid, `lag_s` apart, like wander_sigma) over the last `window_s`, as far as that has a
    clear direction near the trunk's; else the trunk's axis (median of the last
    `window_s`).  Both turn with the picture, and both are taken over seconds, so the
    per-frame jitter of the axis itself does not leak in; the axis turns slowly
    (TURN_DEG_S), so the gap's recent history stays comparable.
    """

    def __init__(self, window_s: float, lag_s: float) -> None:
        self.window_s, self.lag_s = window_s, lag_s
        self._seen: deque[tuple[float, np.ndarray]] = deque()  # (t, [trunk unit x, y, knee offsets x4])
        self._angle: float | None = None  # the axis, degrees from the picture's up (clockwise on screen)
        self._t = 0.0
        self._target: float | None = None  # the direction the axis turns toward, and when it was found
        self._target_t = 0.0

    def clear(self) -> None:
        self._seen.clear()
        self._angle = self._target = None

    def push(self, t: float, frame: Frame) -> None:
        """A frame's trunk and knees; the axis turns toward their direction (TURN_DEG_S)."""
        trunk = np.subtract(frame.image_shoulder_mid, frame.image_hip_mid)
        length = float(np.linalg.norm(trunk))
        if length <= 1e-6:
            return
        push(self._seen, t, np.array([*(trunk / length), *frame.image_knee_offsets]), self.window_s)
        if self._target is None or t - self._target_t >= RETARGET_S or t < self._target_t:
            self._target, self._target_t = self.target(), t
        target = self._target
        if self._angle is None:
            self._angle = target
        else:
            step = (target - self._angle + 180.0) % 360.0 - 180.0
            limit = TURN_DEG_S * max(t - self._t, 0.0)
            self._angle += float(np.clip(step, -limit, limit))
        self._t = t

    def trunk(self) -> float:
        """Hip mid -> shoulder mid, the median of the window, in degrees from the picture's up."""
        middle = np.median(np.array([v[:2] for _, v in self._seen]), axis=0)  # components apart: no wrap-around
        return _angle(middle)

    def wander(self) -> tuple[float, float] | None:
        """The knees' main axis of moves (degrees, within 90 of the picture's up) and its sd ratio; None
        with too few pairs."""
        later, earlier = lagged_pairs(np.array([tt for tt, _ in self._seen]), self.lag_s)
        if len(later) < MIN_PAIRS:
            return None
        knees = np.array([v[2:] for _, v in self._seen])
        moves = (knees[later] - knees[earlier]).reshape(-1, 2)  # both knees' moves, one a row
        size = np.linalg.norm(moves, axis=1)
        moves = moves[size <= 4.0 * max(float(np.median(size)), 1e-9)]  # not a re-lock jump
        values, vectors = np.linalg.eigh(moves.T @ moves)
        angle = (_angle(vectors[:, 1]) + 90.0) % 180.0 - 90.0
        return angle, float(np.sqrt(values[1] / max(values[0], 1e-18)))

    def target(self) -> float:
        """The direction the axis turns toward: the knees' own, blended with the trunk's as it is less clear."""
        trunk = self.trunk()
        found = self.wander()
        if found is None:
            return trunk
        off = (found[0] - trunk + 90.0) % 180.0 - 90.0  # the knees' axis is sign free
        lo, hi = WANDER_SHAPE
        weight = float(np.clip((found[1] - lo) / (hi - lo), 0.0, 1.0)) if abs(off) <= WANDER_OFF_DEG else 0.0
        return trunk + weight * off

    @property
    def unit(self) -> np.ndarray:
        """The axis as a unit vector in the picture (toward the head); the picture's up before any frame."""
        if self._angle is None:
            return UP
        a = np.radians(self._angle)
        return np.array([np.sin(a), -np.cos(a)])


def _angle(v: np.ndarray) -> float:
    """Degrees from the picture's up, clockwise on screen (y grows downward)."""
    return float(np.degrees(np.arctan2(v[0], -v[1])))
