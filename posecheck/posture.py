"""Whole-body measures shared by the exercise rules and auto-detection.

All functions take a Pose and work on its 3-D world landmarks when present,
otherwise on isotropic image coordinates with z = 0.  Axes follow MediaPipe:
x right, y down, z away from the camera, so "up" is -y.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .geometry import UP, angle_between, left_from_facing, unit
from .pose import Landmark as L
from .pose import Pose

CHAINS: dict[str, tuple[int, int, int, int]] = {
    # hip, knee, ankle, foot index - MediaPipe's own labels
    "left": (L.LEFT_HIP, L.LEFT_KNEE, L.LEFT_ANKLE, L.LEFT_FOOT),
    "right": (L.RIGHT_HIP, L.RIGHT_KNEE, L.RIGHT_ANKLE, L.RIGHT_FOOT),
}


def points3d(pose: Pose) -> np.ndarray:
    """(33, 3) points: world metres if known, else image (height units) with z = 0."""
    if pose.world is not None:
        return pose.world
    return np.column_stack([pose.pixels_iso, np.zeros(len(pose.image))])


@dataclass(frozen=True)
class Trunk:
    hip_mid: np.ndarray
    shoulder_mid: np.ndarray
    axis: np.ndarray  # unit, hips -> shoulders
    elevation_deg: float  # trunk axis above the horizontal, from the image (camera roll ignored)


def trunk(pose: Pose) -> Trunk:
    p = points3d(pose)
    hip_mid = (p[L.LEFT_HIP] + p[L.RIGHT_HIP]) / 2
    shoulder_mid = (p[L.LEFT_SHOULDER] + p[L.RIGHT_SHOULDER]) / 2
    axis = unit(shoulder_mid - hip_mid)
    return Trunk(hip_mid, shoulder_mid, axis, 90.0 - angle_between(axis, UP))


def image_trunk_elevation(pose: Pose) -> float:
    """Trunk elevation in the picture: 0 = lying along the image x axis, 90 = upright."""
    q = pose.pixels_iso
    hip = (q[L.LEFT_HIP] + q[L.RIGHT_HIP]) / 2
    sh = (q[L.LEFT_SHOULDER] + q[L.RIGHT_SHOULDER]) / 2
    d = sh - hip
    return float(np.degrees(np.arctan2(-d[1], abs(d[0]))))


def person_left(pose: Pose) -> np.ndarray:
    """Unit vector to the person's own left, from the face direction (swap-proof)."""
    p = points3d(pose)
    t = trunk(pose)
    return left_from_facing(t.hip_mid, t.shoulder_mid, p[L.NOSE])


def upper_chain(pose: Pose) -> str:
    """Which of MediaPipe's leg chains lies higher (against gravity): 'left' or 'right'."""
    p = points3d(pose)
    return "left" if p[L.LEFT_HIP][1] + p[L.LEFT_KNEE][1] < p[L.RIGHT_HIP][1] + p[L.RIGHT_KNEE][1] else "right"


def side_up(pose: Pose) -> str:
    """The person's own side facing the ceiling ('left' or 'right'), from the face direction."""
    return "left" if float(np.dot(person_left(pose), UP)) > 0 else "right"
