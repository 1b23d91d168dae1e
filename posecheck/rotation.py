"""Quarter turns of a frame, and landmarks found on the turned frame mapped back upright.

MediaPipe's person detector is trained mostly on upright people and can miss
someone lying on the floor; on the same frame turned by a quarter or half
turn it often finds them (see docs/design.md, "A person MediaPipe misses lying down").  The estimator feeds a
turned frame and maps the landmarks back with these.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class Rotation:
    """One turn of the picture, as cv2.rotate does it.

    matrix M and offset o map normalised points (x right, y down) found on the
    turned frame back: upright = M @ turned + o.  World landmarks (metres,
    hip-centred, axes following the picture the model saw) turn with M alone,
    about the camera axis; z and visibility are unchanged.
    """

    name: str
    cv2_code: int
    matrix: tuple[tuple[float, float], tuple[float, float]]
    offset: tuple[float, float]

    def apply(self, rgb: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(cv2.rotate(rgb, self.cv2_code))

    def image_to_upright(self, xy: np.ndarray) -> np.ndarray:
        """(n, 2) normalised points on the turned frame -> on the upright frame."""
        return np.asarray(xy, dtype=np.float64) @ np.array(self.matrix).T + np.array(self.offset)

    def world_to_upright(self, xyz: np.ndarray) -> np.ndarray:
        """(n, 3) world landmarks of the turned frame -> the upright frame's axes (a turn about z)."""
        out = np.array(xyz, dtype=np.float64)
        out[:, :2] = out[:, :2] @ np.array(self.matrix).T
        return out


# cv2.ROTATE_90_COUNTERCLOCKWISE sends upright (x, y) to (y, 1 - x), so upright = (1 - y', x').
CCW = Rotation("ccw", cv2.ROTATE_90_COUNTERCLOCKWISE, ((0.0, -1.0), (1.0, 0.0)), (1.0, 0.0))
# cv2.ROTATE_90_CLOCKWISE sends upright (x, y) to (1 - y, x), so upright = (y', 1 - x').
CW = Rotation("cw", cv2.ROTATE_90_CLOCKWISE, ((0.0, 1.0), (-1.0, 0.0)), (0.0, 1.0))
HALF = Rotation("180", cv2.ROTATE_180, ((-1.0, 0.0), (0.0, -1.0)), (1.0, 1.0))
