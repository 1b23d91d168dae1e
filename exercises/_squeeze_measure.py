"""Ball squeeze: the per-frame measures of one pose and the noise statistics (no state, no thresholds)."""

from __future__ import annotations

import statistics
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from posecheck.geometry import joint_angle
from posecheck.pose import Landmark as L
from posecheck.pose import Pose
from posecheck.posture import chest_direction, hip_flexion, leg_chains, points3d

T = TypeVar("T")


@dataclass(frozen=True)
class Frame:
    """The per-frame measures of one crook-lying pose."""

    gap: float  # knee gap / hip width, 3-D (world)
    hip_width: float  # metres (world)
    image_width: float  # hip width in the picture, image heights
    image_knees: tuple[float, float]  # left knee - right knee in the picture, image heights
    image_hips: tuple[float, float]  # left hip - right hip in the picture, image heights
    image_knee_offsets: tuple[float, float, float, float]  # left knee - hip mid, right knee - hip mid (x, y each)
    image_shoulder_mid: tuple[float, float]  # in the picture, image heights
    image_hip_mid: tuple[float, float]
    image_shoulders: float  # shoulder width in the picture, image heights
    knees: tuple[float, float]  # knee angles, degrees
    feet_up: float  # highest ankle above the hips along the chest direction, thigh lengths
    hip_flex: float  # mean hip flexion, degrees
    hip_lift: float  # hip mid above the shoulder-to-ankle line (toward the chest side), thigh lengths


def measure(pose: Pose) -> Frame:
    """All ball-squeeze measures of one pose (no state)."""
    p = points3d(pose)
    chains = leg_chains(pose)
    knees = tuple(joint_angle(p[c[0]], p[c[1]], p[c[2]]) for c in chains.values())
    width = float(np.linalg.norm(p[L.LEFT_HIP] - p[L.RIGHT_HIP]))
    gap = float(np.linalg.norm(p[L.LEFT_KNEE] - p[L.RIGHT_KNEE])) / width if width > 1e-6 else float("nan")
    chest = chest_direction(pose)
    hip_mid = (p[L.LEFT_HIP] + p[L.RIGHT_HIP]) / 2
    thigh = float(np.mean([np.linalg.norm(p[c[1]] - p[c[0]]) for c in chains.values()]))
    feet_up = max(float(np.dot(p[c[2]] - hip_mid, chest)) for c in chains.values()) / max(thigh, 1e-6)
    flex = float(np.mean([hip_flexion(pose, c[0], c[1]) for c in chains.values()]))
    shoulders = (p[L.LEFT_SHOULDER] + p[L.RIGHT_SHOULDER]) / 2
    line = (p[L.LEFT_ANKLE] + p[L.RIGHT_ANKLE]) / 2 - shoulders
    s = float(np.dot(hip_mid - shoulders, line) / max(float(np.dot(line, line)), 1e-9))
    lift = float(np.dot(hip_mid - (shoulders + s * line), chest)) / max(thigh, 1e-6)
    px = pose.pixels_iso
    image_width = float(np.linalg.norm(px[L.LEFT_HIP] - px[L.RIGHT_HIP]))
    sh_mid = (px[L.LEFT_SHOULDER] + px[L.RIGHT_SHOULDER]) / 2
    hip_px = (px[L.LEFT_HIP] + px[L.RIGHT_HIP]) / 2
    knee_angles = (float(knees[0]), float(knees[1]))
    shoulders_px = float(np.linalg.norm(px[L.LEFT_SHOULDER] - px[L.RIGHT_SHOULDER]))
    knees_px, hips_px = _xy(px[L.LEFT_KNEE] - px[L.RIGHT_KNEE]), _xy(px[L.LEFT_HIP] - px[L.RIGHT_HIP])
    offsets = (*_xy(px[L.LEFT_KNEE] - hip_px), *_xy(px[L.RIGHT_KNEE] - hip_px))
    return Frame(gap, width, image_width, knees_px, hips_px, offsets, _xy(sh_mid), _xy(hip_px), shoulders_px,
                 knee_angles, feet_up, flex, lift)  # fmt: skip


def _xy(v: np.ndarray) -> tuple[float, float]:
    return float(v[0]), float(v[1])


def across(vector: tuple[float, float], axis: np.ndarray) -> float:
    """The length of a picture `vector` across the unit `axis` (the body's long axis): |vector x axis|."""
    return float(_across(np.asarray(vector, dtype=np.float64), axis))


def hip_width_across(hips: Iterable[tuple[float, float]], axis: np.ndarray) -> float:
    """The median of across(hip line, axis) over recent frames (numpy: the axis turns, so all are read again)."""
    return float(np.median(_across(np.array(hips, dtype=np.float64).reshape(-1, 2), axis)))


def _across(vectors: np.ndarray, axis: np.ndarray) -> np.ndarray:
    """|vector x axis| of one (2,) vector or each row of an (n, 2) array."""
    return np.abs(vectors[..., 0] * float(axis[1]) - vectors[..., 1] * float(axis[0]))


def steady(values: list[float], tolerance: float) -> bool:
    """All within `tolerance` (a fraction) of their median: a body constant, not a misfit's scatter."""
    middle = statistics.median(values)
    return all(abs(v / middle - 1.0) <= tolerance for v in values)


def wander_sigma(times: list[float], values: list[float], lag_s: float) -> float:
    """The noise floor: the spread of v(t) - v(t - lag_s), from its lower quartile.

    MediaPipe's tracking and the One Euro filter make the landmark jitter
    wander over a few frames, so neighbouring frames hardly differ: on the
    rendered male clip frame differences read a tenth of the resting spread,
    and rests were counted as squeezes.  Samples lag_s apart (longer than the
    wander's correlation) see all of it.  The squeezes' ramps make some pairs
    differ a lot; the lower quartile of |difference| ignores them even when
    most pairs are ramps (for Gaussian noise it is 0.3186 x sqrt 2 sigma).
    A spread of the resting level (a MAD) would take in every squeeze not
    yet counted instead.
    """
    later, earlier = lagged_pairs(np.asarray(times), lag_s)
    if len(later) < 5:
        return 0.0
    v = np.asarray(values)
    return float(np.percentile(np.abs(v[later] - v[earlier]), 25)) / (0.3186 * np.sqrt(2.0))


def lagged_pairs(t: np.ndarray, lag_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (later, earlier) of rising times t: each sample with the last one at least lag_s before it,
    where that one lies within 1.5 lag_s (not across a dropout)."""
    j = np.searchsorted(t, t - lag_s, side="right") - 1
    ok = (j >= 0) & (t - t[np.maximum(j, 0)] <= 1.5 * lag_s)
    return np.flatnonzero(ok), j[ok]


def push(buffer: deque[tuple[float, T]], t: float, value: T, window_s: float) -> None:
    """Append (t, value), dropping what is older than window_s."""
    buffer.append((t, value))
    while buffer and t - buffer[0][0] > window_s:
        buffer.popleft()
