"""Ball squeeze seen from the feet: the pelvis rising in the picture (`hips_lifted`, a glute bridge)."""

from __future__ import annotations

import statistics
from collections import deque

import numpy as np

from ._squeeze_measure import Frame, push

# From the feet the 3-D lift is mostly depth, a guess; the picture shows it instead: the pelvis rising
# toward the ceiling moves up the picture toward the shoulders (which stay down), so the shoulder-to-hip
# distance in the picture shrinks by about lift x cos(camera pitch) against a hip width of 20-25 cm.
RISE_FAULT = 0.2  # shrink below its resting level, in hip widths (~6 cm of lift seen from 30-55 deg):
RISE_CLEAR = 0.12  # midway between squeezes (they move MediaPipe's hips <= 0.1) and 10-14 cm rendered
# bridges (MediaPipe reads 0.23-0.5; geometry alone says 0.4-0.6: its hips move less than the pelvis)
SHOULDERS_MOVED = 0.3  # shoulders this far (hip widths) off their resting spot: MediaPipe misplaced them
# (or the person shifted): the rise is not judged that frame - lying down, the shoulders stay put
RISE_MEDIAN_S = 0.6  # judged on the median of the last 0.6 s: a bridge is held through the squeeze (1-2 s),
# while MediaPipe's misfits (the shoulders dropped onto the hips, smoothed into a 0.2-0.3 s decay) come alone
RISE_MIN_SPAN_S = 0.4  # ... holding 0.4 s of frames (full: 0.5-0.6 s at 10-30 fps): after a dropout MediaPipe
# re-locks with the rise decaying 0.6 -> 0 in 0.35 s (2x5 render), alone in the window a false bridge


class PictureRise:
    """Has the hip mid moved up the picture toward the resting shoulders?  (RISE_FAULT / RISE_CLEAR)

    The resting shoulder and hip spots are the median of the frames with the
    hips down over the last `window_s`, after `calibrate_s` and `min_samples`.
    Shoulders off their resting spot for `rebase_s` mean the person or the
    camera moved: `rebase` turns True and the caller calibrates anew.
    """

    def __init__(self, calibrate_s: float, min_samples: int, rebase_s: float, window_s: float) -> None:
        self.calibrate_s, self.min_samples, self.rebase_s, self.window_s = calibrate_s, min_samples, rebase_s, window_s
        self.reset()

    def reset(self) -> None:
        self.rising = False
        self.rebase = False
        self._shrink: deque[tuple[float, float]] = deque()  # (t, torso shrink) over the last RISE_MEDIAN_S
        self._rest_spots: deque[tuple[float, np.ndarray]] = deque()  # (t, shoulder-mid + hip-mid), hips down
        self._moved_since: float | None = None

    def update(self, t: float, frame: Frame, width: float) -> bool:
        """`width`: the hip width in the picture (a running median), the unit of the rise."""
        spots = np.array([*frame.image_shoulder_mid, *frame.image_hip_mid])
        span = t - self._rest_spots[0][0] if self._rest_spots else 0.0
        if span >= self.calibrate_s and len(self._rest_spots) >= self.min_samples:
            rest = np.median([v for _, v in self._rest_spots], axis=0)
            moved = float(np.linalg.norm(spots[:2] - rest[:2])) / width
            shrink = float(np.linalg.norm(rest[2:] - rest[:2]) - np.linalg.norm(spots[2:] - rest[:2])) / width
            if moved > SHOULDERS_MOVED:  # not judged this frame; for rebase_s: they rest somewhere else now
                self._moved_since = t if self._moved_since is None else self._moved_since
                if t - self._moved_since >= self.rebase_s:
                    self.reset()
                    self.rebase = True
                return self.rising
            self._moved_since = None
            push(self._shrink, t, shrink, RISE_MEDIAN_S)
            if t - self._shrink[0][0] >= RISE_MIN_SPAN_S:
                median = statistics.median(v for _, v in self._shrink)
                self.rising = median > (RISE_CLEAR if self.rising else RISE_FAULT)
        if not self.rising:
            push(self._rest_spots, t, spots, self.window_s)
        return self.rising
