"""Figure-four: is the camera on the support leg's side?

From there MediaPipe loses the crossed leg: on four rendered bodies seen raised
from the support leg's side no hold was found at all (docs/accuracy.md "Figure-four: more
bodies").  The camera's azimuth toward the crossed leg's side (figure_four's
``camera_azimuth``) reads -81..-88 deg on three of them (the fourth reads the
other leg as crossed), against +85..+89 from the crossed leg's side, where
MediaPipe's noise puts up to 27 % of a hold's frames on the negative side.

That vote needs the legs read crossed, in position, which from the support
leg's side happened on one of the four.  On the others MediaPipe read the
legs up toward the chest (support hip 104-129 deg) with the crossed ankle
off the thigh (0.8-1.2 thigh lengths) while it lay on it: NeverCrossed.
"""

from __future__ import annotations

import math
from collections import deque

WINDOW_S = 5.0  # the vote looks at this much of the recent past ...
MIN_SPAN_S = 3.0  # ... and needs this much of it before it decides
ON_SHARE = 0.6  # more of the frames than this read on the support leg's side: say it (crossed side: <= 0.27)
OFF_SHARE = 0.4  # fewer than this: the camera has moved (or the legs switched back); it may be said again
LEGS_UP_DEG = 90.0  # the legs toward the chest (support hip flexion); lying with the knees bent reads 35-53 deg
NEVER_CROSSED_S = 6.0  # ... with the ankle read off the thigh this long and no hold yet: from the support leg's side
#                        15.6 and 15.9 s on 2 of 4 renders (4.9 s on a third); from the crossed leg's side never,
#                        on 38 renders (0 s: there MediaPipe reads the ankle on the thigh as the legs come up)


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


class NeverCrossed:
    """From a side camera: the legs up toward the chest, the crossed ankle never read on the thigh; True once."""

    def __init__(self) -> None:
        self._since: float | None = None
        self.told = False

    def update(self, t: float, legs_up_ankle_off: bool, holding: bool) -> bool:
        if holding:
            self.told = False  # the legs read crossed: it may be said again if the camera moves later
        if holding or not legs_up_ankle_off:
            self._since = None
            return False
        self._since = t if self._since is None else self._since
        if self.told or t - self._since < NEVER_CROSSED_S:
            return False
        self.told = True
        return True
