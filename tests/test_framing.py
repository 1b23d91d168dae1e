from __future__ import annotations

import numpy as np
import pytest

from posecheck.framing import MOVE_BACK, MOVE_CLOSER, framing_message
from posecheck.pose import Pose


def pose_in(x0: float, y0: float, x1: float, y1: float) -> Pose:
    image = np.column_stack([np.linspace(x0, x1, 33), np.linspace(y0, y1, 33)])
    image[0], image[28] = (x0, y0), (x1, y1)  # nose and an ankle at the body's far corners
    return Pose(image, np.ones(33))


@pytest.mark.parametrize(
    ("box", "expected"),
    [
        ((0.2, 0.3, 0.8, 0.7), None),
        ((0.0, 0.3, 0.8, 0.7), MOVE_BACK),
        ((0.2, 0.3, 0.8, 1.0), MOVE_BACK),
        ((0.45, 0.45, 0.6, 0.55), MOVE_CLOSER),
    ],
)
def test_framing(box, expected):
    assert framing_message(pose_in(*box)) == expected
