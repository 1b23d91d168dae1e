from __future__ import annotations

import numpy as np
import pytest

from posecheck.pose import Pose


def test_pose_checks_shapes_with_a_clear_message():
    with pytest.raises(ValueError, match=r"image: expected shape \(33, 2\), got \(17, 2\)"):
        Pose(np.zeros((17, 2)), np.zeros(33))
    with pytest.raises(ValueError, match="world"):
        Pose(np.zeros((33, 2)), np.zeros(33), np.zeros((33, 2)))


def test_visible_and_bbox():
    image = np.tile([0.5, 0.5], (33, 1))
    image[0] = [0.1, 0.2]
    image[1] = [0.9, 0.8]
    vis = np.ones(33)
    vis[27] = 0.1
    pose = Pose(image, vis)
    assert pose.visible([0, 1]) and not pose.visible([27, 28])
    assert pose.bbox() == pytest.approx((0.1, 0.2, 0.9, 0.8))
    assert pose.area() == pytest.approx(0.48)
