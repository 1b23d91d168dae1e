"""Figure-four: is the camera on the support leg's side?

From there MediaPipe loses the crossed leg: on four rendered bodies seen raised
from the support leg's side no hold was found at all (README "Figure-four: more
bodies").  The camera's azimuth toward the crossed leg's side (figure_four's
``camera_azimuth``) reads -81..-88 deg on three of them (the fourth reads the
other leg as crossed), against +85..+89 from the crossed leg's side, where
MediaPipe's noise puts up to 27 % of a hold's frames on the negative side.
"""

from __future__ import annotations

import math
from collections import deque

WINDOW_S = 5.0  # the vote looks at this much of the recent past ...
MIN_SPAN_S = 3.0  # ... and needs this much of it before it decides
ON_SHARE = 0.6  # more of the frames than this read on the support leg's side: say it (crossed side: <= 0.27)
OFF_SHARE = 0.4  # fewer than this: the camera has moved (or the legs switched back); it may be said again


class SupportSideVote:
    """Per judged frame the camera's azimuth toward the crossed leg's side in; True once when it stands opposite."""

    def __init__(self) -> None:
        self._seen: deque[tuple[float, bool]] = deque()
        self.told = False

    def update(self, t: float, azimuth_deg: float) -> bool:
        if not math.isfinite(azimuth_deg):
            return False
        self._seen.append((t, azimuth_deg < 0.0))
        while t - self._seen[0][0] > WINDOW_S:
            self._seen.popleft()
        share = sum(opposite for _, opposite in self._seen) / len(self._seen)
        if share < OFF_SHARE:
            self.told = False
        if self.told or t - self._seen[0][0] < MIN_SPAN_S or share <= ON_SHARE:
            return False
        self.told = True
        return True
