"""Leg lifts seen from the front (or back): picture-plane measures and the person's resting values.

With the camera level and facing the chest, the lift (abduction) and the pelvis's side tilt happen
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

import numpy as np

from posecheck.pose import Landmark as L
from posecheck.pose import Pose
from posecheck.posture import CHAINS

REST_WINDOW = 90  # resting frames kept per side and measure (3 s at 30 fps): the latest rest counts


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


__all__ = ["MEASURES", "RestBaseline", "held", "medians", "rep_extra", "shank_ratio", "trunk_tilt"]
