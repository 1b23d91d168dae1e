from __future__ import annotations

import math

import numpy as np
import pytest

from posecheck.geometry import (
    angle_between,
    joint_angle,
    left_from_facing,
    signed_angle_in_plane,
)


@pytest.mark.parametrize(
    ("a", "b", "c", "expected"),
    [
        ((1, 0), (0, 0), (0, 1), 90.0),
        ((1, 0), (0, 0), (-1, 0), 180.0),
        ((1, 0), (0, 0), (1, 1), 45.0),
        ((0, 0, 1), (0, 0, 0), (1, 0, 1), 45.0),
        ((1, 0, 0), (0, 0, 0), (1, 0, 0), 0.0),
        ((2, 0), (1, 0), (1 + math.cos(math.radians(30)), math.sin(math.radians(30))), 30.0),
    ],
)
def test_joint_angle_hand_computed(a, b, c, expected):
    assert joint_angle(np.array(a, float), np.array(b, float), np.array(c, float)) == pytest.approx(expected, abs=1e-6)


def test_angle_of_zero_vector_is_nan():
    assert math.isnan(angle_between(np.zeros(3), np.array([1.0, 0, 0])))


def test_signed_angle_in_plane_sign_and_out_of_plane_part():
    ref, toward = np.array([0.0, -1, 0]), np.array([0.0, 0, 1])
    assert signed_angle_in_plane(np.array([0.0, -1, 1]), ref, toward) == pytest.approx(45.0)
    assert signed_angle_in_plane(np.array([0.0, -1, -1]), ref, toward) == pytest.approx(-45.0)
    # a sideways component does not change the in-plane angle
    assert signed_angle_in_plane(np.array([5.0, -1, 1]), ref, toward) == pytest.approx(45.0)


def test_left_from_facing_uses_the_nose_not_labels():
    hip, shoulder = np.array([0.0, 0, 0]), np.array([0.0, -0.5, 0])
    facing_camera = left_from_facing(hip, shoulder, np.array([0.0, -0.7, -0.1]))
    facing_away = left_from_facing(hip, shoulder, np.array([0.0, -0.7, 0.1]))
    np.testing.assert_allclose(facing_camera, [1, 0, 0], atol=1e-9)
    np.testing.assert_allclose(facing_away, [-1, 0, 0], atol=1e-9)
