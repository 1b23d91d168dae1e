"""Whole-body measures shared by the exercise rules and auto-detection.

All functions take a Pose and work on its 3-D world landmarks when present,
otherwise on isotropic image coordinates with z = 0.  Axes follow MediaPipe:
x right, y down, z away from the camera, so "up" is -y.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .geometry import UP, angle_between, cross3, left_from_facing, unit
from .pose import Landmark as L
from .pose import Pose

CHAINS: dict[str, tuple[int, int, int, int]] = {
    # hip, knee, ankle, foot index - MediaPipe's own labels
    "left": (L.LEFT_HIP, L.LEFT_KNEE, L.LEFT_ANKLE, L.LEFT_FOOT),
    "right": (L.RIGHT_HIP, L.RIGHT_KNEE, L.RIGHT_ANKLE, L.RIGHT_FOOT),
}


def _length(v: np.ndarray) -> float:
    """np.linalg.norm(v) of a float64 vector, by its own formula (sqrt of v.dot(v)) without its dispatch: the
    same bits, a third of the time (leg_chains alone asks ~15 times a frame)."""
    return math.sqrt(float(v.dot(v)))


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


# --- posture classification (shared by the rules and auto-detection) --------

POSTURES = ("supine", "side-lying", "seated", "standing", "unknown")

LYING_MAX_ELEVATION_DEG = 40.0  # trunk within 40 deg of horizontal: lying (a raised feet-view camera adds up to ~30)
BRIDGE_MAX_ELEVATION_DEG = 65.0  # face up with the shoulders below the hips (bridging) is still supine
UPRIGHT_MIN_ELEVATION_DEG = 50.0  # trunk above 50 deg: sitting or standing; between the two: unknown
SIDE_MIN_UP = 0.6  # lying on the side: the person's left/right within ~53 deg of vertical
SUPINE_MIN_UP = 0.5  # lying on the back: the chest faces up (within 60 deg of vertical)
FLOOR_MAX_DROP = 0.35  # seated on the floor: ankles < 0.35 leg lengths below the hips
RAISED_MAX_PITCH_DEG = 55  # a camera at the feet looking down at most 55 deg (rendered feet-raised: 41 deg)
RAISED_FLAT_DEG = 15.0  # ... under which the trunk lies within 15 deg of flat
RAISED_CHEST_UP = 0.85  # ... and the chest faces up (within ~30 deg)
STANDING_MIN_DROP = 0.7  # standing: ankles > 0.7 leg lengths below the hips (a squat's bottom reads ~0.5)


@dataclass(frozen=True)
class PostureInfo:
    """How a body lies: the class and the measures that decided it."""

    posture: str  # one of POSTURES
    elevation_deg: float  # trunk axis above the horizontal (world landmarks, camera-aligned)
    chest_up: float  # chest direction . up (1 = face up)
    side_up: float  # person's left . up (1 = left side up)
    ankle_drop: float  # mean ankle height below the hip mid, in leg lengths (gravity axis)


def chest_direction(pose: Pose) -> np.ndarray:
    """Unit vector the chest faces, from the face direction (swap-proof)."""
    t = trunk(pose)
    return unit(cross3(person_left(pose), t.axis))


_last_classified: tuple[np.ndarray, PostureInfo] | None = None  # the last points classified, and their answer


def classify_posture(pose: Pose) -> PostureInfo:
    """The posture of one pose (_classify); the same points as the last call's give its answer again (auto asks
    each exercise whether the frame's pose fits it: 2 calls a frame on the same points, ~0.1 ms each)."""
    global _last_classified
    points = points3d(pose)
    last = _last_classified
    if last is not None and last[0].shape == points.shape and np.array_equal(last[0], points):
        return last[1]
    info = _classify(pose)
    _last_classified = (points.copy(), info)
    return info


def _classify(pose: Pose) -> PostureInfo:
    """supine / side-lying / seated (on the floor) / standing / unknown for one pose.

    Lying vs upright comes from the trunk's elevation in world coordinates
    (gravity is down the image for a level camera; the picture alone cannot
    tell a body lying toward the lens from an upright one); which way a lying body faces from the
    chest direction; sitting vs standing from how far the ankles are below the
    hips.  Chair sitting and a squat's bottom fall between the two: unknown.
    """
    p = points3d(pose)
    up_now = UP
    t = trunk(pose)
    elevation = t.elevation_deg
    left = left_from_facing(t.hip_mid, t.shoulder_mid, p[L.NOSE])
    chest = unit(cross3(left, t.axis))
    chest_up = float(np.dot(chest, up_now))
    left_up = float(np.dot(left, up_now))
    legs = []
    for chain in CHAINS.values():
        h, k, a, _ = chain
        legs.append(_length(p[k] - p[h]) + _length(p[a] - p[k]))
    leg = float(np.mean(legs)) if legs else float("nan")
    hip_mid = (p[L.LEFT_HIP] + p[L.RIGHT_HIP]) / 2
    ankle_mid = (p[L.LEFT_ANKLE] + p[L.RIGHT_ANKLE]) / 2
    drop = float(np.dot(hip_mid - ankle_mid, up_now)) / leg if leg > 1e-6 else float("nan")
    posture = "unknown"
    if not (np.isfinite(elevation) and np.isfinite(drop)):
        posture = "unknown"
    elif abs(elevation) < LYING_MAX_ELEVATION_DEG:
        if abs(left_up) > SIDE_MIN_UP:
            posture = "side-lying"
        elif chest_up > SUPINE_MIN_UP:
            posture = "supine"
    elif -BRIDGE_MAX_ELEVATION_DEG < elevation < 0 and chest_up > SUPINE_MIN_UP:
        posture = "supine"  # on the back with the hips raised (a bridge): shoulders below the hips
    elif elevation > UPRIGHT_MIN_ELEVATION_DEG:
        if drop > STANDING_MIN_DROP:
            posture = "standing"
        elif drop < FLOOR_MAX_DROP:
            posture = "seated"
    if posture in ("standing", "unknown"):
        pitch = _raised_camera_pitch(t.axis, chest)
        if pitch is not None:  # lying on the back, filmed from the feet by a camera looking down
            posture = "supine"
    return PostureInfo(posture, elevation, chest_up, left_up, drop)


def in_posture(info: PostureInfo, wanted: str) -> bool:
    """Whether a pose classified as `info` is in the `wanted` posture.

    Lying on the back allows for MediaPipe's roll: from a feet-oblique camera
    it reads a body lying flat (rendered, shoulders level to 1 deg) rolled
    43-47 deg onto its side through a whole figure-four hold (chest . up
    0.67-0.71, side . up 0.66-0.70), which the classifier, deciding for the
    side first, calls side-lying.  So a side-lying reading whose chest still
    faces up (within SUPINE_MIN_UP) counts as on the back for an exercise done
    on the back; a real side-lying body's chest faces sideways (chest . up ~0).
    """
    if info.posture == wanted:
        return True
    return wanted == "supine" and info.posture == "side-lying" and info.chest_up > SUPINE_MIN_UP


def _raised_camera_pitch(axis: np.ndarray, chest: np.ndarray) -> float | None:
    """The downward camera pitch under which this trunk lies flat and faces up, if one fits.

    A body lying on its back seen from its feet by a camera looking down
    30-55 deg has its trunk climbing away from the lens: in camera-aligned
    coordinates it looks half upright.  Gravity for a pitch p (no roll) is
    (0, -cos p, -sin p); the body is supine under p when its trunk is within
    RAISED_FLAT_DEG of horizontal and its chest within ~30 deg of up.  A
    person standing before a camera never fits: a trunk that is vertical for
    a level camera needs a pitch beyond RAISED_MAX_PITCH_DEG to lie flat.
    """
    for pitch in range(15, RAISED_MAX_PITCH_DEG + 1, 5):
        up = np.array([0.0, -np.cos(np.radians(pitch)), -np.sin(np.radians(pitch))])
        flat = abs(90.0 - angle_between(axis, up)) < RAISED_FLAT_DEG
        if flat and float(np.dot(chest, up)) > RAISED_CHEST_UP:
            return float(pitch)
    return None


def leg_chains(pose: Pose) -> dict[str, tuple[int, int, int, int]]:
    """CHAINS with the ankles (and feet) reassigned to the knee they belong to.

    MediaPipe swaps an ankle's label when one leg crosses the other.  Each
    shin is about as long as its thigh, so of the two ways to pair knees with
    ankles the one whose shins best match their thighs wins.
    """
    p = points3d(pose)
    (lh, lk, la, lf), (rh, rk, ra, rf) = CHAINS["left"], CHAINS["right"]

    def mismatch(a_left: int, a_right: int) -> float:
        cost = 0.0
        for h, k, a in ((lh, lk, a_left), (rh, rk, a_right)):
            thigh = _length(p[k] - p[h])
            cost += abs(_length(p[a] - p[k]) - thigh)
        return cost

    if mismatch(ra, la) < 0.5 * mismatch(la, ra):  # swap only when clearly better
        return {"left": (lh, lk, ra, rf), "right": (rh, rk, la, lf)}
    return dict(CHAINS)


def side_of(pose: Pose, point: np.ndarray, left: np.ndarray | None = None) -> str:
    """The person's own side ('left' or 'right') a point lies on, from the face direction.

    left: the person's left if already known (person_left(pose)).
    """
    t = trunk(pose)
    left = person_left(pose) if left is None else left
    return "left" if float(np.dot(np.asarray(point) - t.hip_mid, left)) > 0 else "right"


def hip_flexion(pose: Pose, hip: int, knee: int) -> float:
    """Angle of the thigh (hip -> knee) from the trunk's line continued down, degrees (0 = straight)."""
    p = points3d(pose)
    return angle_between(p[knee] - p[hip], -trunk(pose).axis)
