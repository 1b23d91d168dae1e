"""Joint angles and a body frame, in any number of dimensions (2-D or 3-D)."""

from __future__ import annotations

import math

import numpy as np

#: Camera-aligned "up" for MediaPipe world and image coordinates (y points down).
UP = np.array([0.0, -1.0, 0.0])


def unit(v: np.ndarray) -> np.ndarray:
    """v scaled to length 1; NaN where v has no length."""
    v = np.asarray(v, dtype=np.float64)
    flat = v.ravel()
    n = math.sqrt(float(flat @ flat))  # np.linalg.norm's formula without its dispatch: ~30 calls a frame
    if not n >= 1e-9 or n == math.inf:  # NaN fails the first test
        return np.full_like(v, np.nan)
    return v / n


def cross3(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a x b for two 3-vectors (np.cross costs ~20x more on one pair; rules call it every frame)."""
    return np.array([a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]])


def angle_between(u: np.ndarray, v: np.ndarray) -> float:
    """Angle between two vectors in degrees (0..180); NaN if either has no length."""
    cos = float(unit(u).ravel() @ unit(v).ravel())  # NaN if either has no length
    if math.isnan(cos):
        return float("nan")
    return math.degrees(math.acos(min(1.0, max(-1.0, cos))))


def joint_angle(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> float:
    """Angle at b of the chain a-b-c, in degrees (180 = straight)."""
    return angle_between(np.asarray(a) - np.asarray(b), np.asarray(c) - np.asarray(b))


def project_out(v: np.ndarray, axis: np.ndarray) -> np.ndarray:
    """v with its component along the (unit) axis removed."""
    axis = unit(axis)
    return np.asarray(v, dtype=np.float64) - np.dot(v, axis) * axis


def signed_angle_in_plane(v: np.ndarray, ref: np.ndarray, toward: np.ndarray) -> float:
    """Angle of v from ref, in the plane spanned by ref and toward, in degrees.

    Positive when v leans from ref toward `toward`; v's component outside the
    plane is ignored.
    """
    r = unit(ref)
    t = unit(project_out(toward, r))
    return float(np.degrees(np.arctan2(np.dot(v, t), np.dot(v, r))))


def left_from_facing(hip_mid: np.ndarray, shoulder_mid: np.ndarray, nose: np.ndarray) -> np.ndarray:
    """The person's left, from the trunk axis and where the face points (3-D).

    The nose sits in front of the shoulders whatever MediaPipe calls left or
    right, so this does not suffer from left/right label swaps.
    right = forward x up, hence left = up x forward.
    """
    up = unit(np.asarray(shoulder_mid) - np.asarray(hip_mid))
    forward = unit(project_out(np.asarray(nose) - np.asarray(shoulder_mid), up))
    return unit(cross3(up, forward))
