"""Camera setup check: is the whole body in the picture, and large enough?"""

from __future__ import annotations

import numpy as np

from .pose import Pose

EDGE = 0.01  # a limb point this close to the border (normalised) is probably cut off
MIN_SPAN = 0.25  # the body should span at least a quarter of the picture's width or height
BODY = [0, 11, 12, 23, 24, 25, 26, 27, 28]  # nose, shoulders, hips, knees, ankles

MOVE_BACK = "Move the camera back: you are cut off"
MOVE_CLOSER = "Move the camera closer"


def framing_message(pose: Pose) -> str | None:
    """A setup instruction when the framing is wrong, else None."""
    points = pose.image[BODY]
    if np.any(points < EDGE) or np.any(points > 1.0 - EDGE):
        return MOVE_BACK
    x0, y0, x1, y1 = pose.bbox()
    if max(x1 - x0, y1 - y0) < MIN_SPAN:
        return MOVE_CLOSER
    return None
