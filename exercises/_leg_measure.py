"""Leg-lift measures of one pose (Frame, from world landmarks and the picture) and the person's resting values.

Frame: the lift, knee, forward (hip flexion) and pelvic tilt angles from 3-D world landmarks, which
chain is on top, how squarely the chest faces the lens, and two picture-plane measures for the front
(or back) view.  With the camera level and facing the chest, the lift (abduction) and the pelvis's side tilt happen
in the picture plane, while a knee bend swings the shank backward, along the lens axis:

- shank ratio: the picture length of the top shank over that of the top thigh. It keeps the
  person's resting ratio while the leg is straight and drops to cos(bend) of it or less when the
  knee bends (off the picture's centre, the ankle swinging away also moves toward the centre);
  MediaPipe straightens bent legs, so it reads less of a drop than there is (0.83 for a true 0.56).
  A forward drift (hip flexion) foreshortens thigh and shank alike and leaves it alone.
- trunk tilt: the trunk axis above the picture's horizontal. A hip hike tips the pelvis, and the
  trunk with it, over the bottom hip: the shoulders sink toward the floor.

Both are judged against the same person's resting values (RestBaseline), never as absolutes:
MediaPipe reads a resting straight leg at a ratio of 0.87-0.96 and bodies differ.
No state beyond the baseline, no thresholds (those live in leg_lift.py).
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from posecheck.geometry import angle_between, cross3, joint_angle, signed_angle_in_plane, unit
from posecheck.pose import Landmark as L
from posecheck.pose import Pose
from posecheck.posture import CHAINS, points3d, side_up, trunk, upper_chain

REST_WINDOW = 90  # resting frames kept per side and measure (3 s at 30 fps): the latest rest counts


@dataclass(frozen=True)
class Frame:
    """The per-frame measures of one side-lying pose."""

    lift: float
    knee: float
    forward: float
    tilt: float
    side: str
    chain: str
    facing_lens_deg: float
    shank: float  # picture length of the top shank / the top thigh (front view: drops as the knee bends)
    trunk: float  # trunk axis above the picture's horizontal, degrees (front view: sinks with a hip hike)


def measure(pose: Pose) -> Frame:
    """All leg-lift measures of one pose (no state)."""
    p = points3d(pose)
    top = upper_chain(pose)
    bottom = "right" if top == "left" else "left"
    th, tk, ta, _ = CHAINS[top]
    bh, _, ba, _ = CHAINS[bottom]
    tr = trunk(pose)
    top_leg = p[ta] - p[th]
    lift = angle_between(top_leg, p[ba] - p[bh])
    knee = joint_angle(p[th], p[tk], p[ta])
    side = side_up(pose)
    # trunk frame: up along the trunk, 'lateral' from bottom hip to top hip
    hip_line = p[th] - p[bh]
    shoulder_line = (
        p[L.LEFT_SHOULDER if top == "left" else L.RIGHT_SHOULDER]
        - p[L.RIGHT_SHOULDER if top == "left" else L.LEFT_SHOULDER]
    )
    lateral = unit(hip_line + shoulder_line)
    lateral = unit(lateral - np.dot(lateral, tr.axis) * tr.axis)
    person_left = lateral if side == "left" else -lateral
    forward_dir = unit(cross3(person_left, tr.axis))
    forward = signed_angle_in_plane(p[tk] - p[th], -tr.axis, forward_dir)  # the thigh: hip flexion
    tilt = 90.0 - angle_between(hip_line, tr.axis)  # > 0: top hip pulled toward the head
    facing = angle_between(forward_dir, np.array([0.0, 0.0, -1.0]))
    facing = min(facing, 180.0 - facing)  # front or back view alike
    return Frame(lift, knee, forward, tilt, side, top, facing, shank_ratio(pose, top), trunk_tilt(pose))


def shank_ratio(pose: Pose, chain: str) -> float:
    """Picture length of the chain's shank (knee-ankle) over its thigh (hip-knee); NaN if the thigh is a point."""
    p = pose.pixels_iso
    hip, knee, ankle, _ = CHAINS[chain]
    thigh = float(np.linalg.norm(p[knee] - p[hip]))
    return float(np.linalg.norm(p[ankle] - p[knee])) / thigh if thigh > 1e-6 else float("nan")


def trunk_tilt(pose: Pose) -> float:
    """Trunk axis (hip mid -> shoulder mid) above the picture's horizontal, degrees (+: shoulders higher)."""
    p = pose.pixels_iso
    axis = (p[L.LEFT_SHOULDER] + p[L.RIGHT_SHOULDER]) / 2 - (p[L.LEFT_HIP] + p[L.RIGHT_HIP]) / 2
    return float(np.degrees(np.arctan2(-axis[1], abs(axis[0]))))  # picture y points down


MEASURES = ("knee", "forward", "tilt", "shank", "trunk")  # the leg-lift Frame's fields judged over a rep


def medians(frames: Sequence[object], keys: tuple[str, ...] = MEASURES) -> dict[str, float]:
    """Median of each named measure over the frames (NaN when there are none)."""
    if not frames:
        return dict.fromkeys(keys, float("nan"))
    return {key: float(np.median([getattr(f, key) for f in frames])) for key in keys}


def held(lifts: Sequence[float], frames: int, min_lift: float, band: float) -> bool:
    """The leg is held up: the latest `frames` lift angles all above min_lift and within band of each other."""
    latest = lifts[-frames:]
    return len(latest) == frames and min(latest) > min_lift and max(latest) - min(latest) <= band


def rep_extra(frames: Sequence[object], rest: RestBaseline, side: str) -> dict[str, float]:
    """A rep record's measures: medians over the rep's top, tilt and picture measures against the rest."""
    m = medians(frames)
    return {
        "knee_deg": m["knee"],
        "forward_deg": m["forward"],
        "hike_deg": m["tilt"] - rest.get(side, "tilt", 0.0),
        "shank_ratio_rel": m["shank"] / rest.get(side, "shank"),
        "trunk_drop_deg": rest.get(side, "trunk") - m["trunk"],
    }


class RestBaseline:
    """Per side, the median of each measure over the latest resting frames."""

    def __init__(self, window: int = REST_WINDOW) -> None:
        self._values: defaultdict[tuple[str, str], deque[float]] = defaultdict(lambda: deque(maxlen=window))

    def add(self, side: str, **values: float) -> None:
        for name, value in values.items():
            if np.isfinite(value):
                self._values[(side, name)].append(value)

    def get(self, side: str, name: str, default: float = float("nan")) -> float:
        values = self._values.get((side, name))
        return float(np.median(values)) if values else default


__all__ = ["MEASURES", "Frame", "RestBaseline", "held", "measure", "medians", "rep_extra", "shank_ratio", "trunk_tilt"]
