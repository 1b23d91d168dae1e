"""Every person in one picture, up to a few, though MediaPipe's detector tends to see only one.

Asked for several poses, PoseLandmarker's person detector often returns only
the most upright person: next to someone sitting or kneeling, a person lying
on the mat was not found at all, in any turn of the picture.  With the partner painted
over, they are.  So: find whoever the detector sees, paint each one over
(their landmarks' hull, grown a little, in the picture's median colour) and
look again.  While nobody is found upright, look at the picture turned
(rotation.py: a person lying down alone); with someone found, a person lying
beside them was found upright once they were painted over.  Stop when
nobody new is found or `max_people` are.  A pose mostly on the paint (a fit
on leftovers of someone found) or much smaller than the biggest is left out.
Pure numpy and OpenCV: `find` is the estimator's call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import cv2
import numpy as np

from .pose import Landmark, Pose
from .rotation import Rotation

MAX_PEOPLE = 3
GROW = 0.15  # the painted hull reaches this share beyond the landmarks (hair, clothes, the mat under them)
SAME_TORSO = 0.5  # torso centres closer than this share of the longer torso: the same person found twice
MIN_SHARE = 0.25  # someone smaller than this share of the biggest found is left out (as selection.py's cue does)
GHOST_ON_PAINT = 0.5  # a pose with more of its landmarks than this on the paint: fitted on a painted-over person

FindIn = Callable[[np.ndarray], list[Pose]]
"""The poses in an RGB picture, in that picture's normalised coordinates."""

_TORSO = [Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER, Landmark.LEFT_HIP, Landmark.RIGHT_HIP]


def _torso(pose: Pose) -> tuple[np.ndarray, float]:
    """Torso centre and length (shoulders' middle to hips' middle), in units of the picture's height."""
    points = pose.pixels_iso
    shoulders = points[[Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER]].mean(axis=0)
    hips = points[[Landmark.LEFT_HIP, Landmark.RIGHT_HIP]].mean(axis=0)
    return points[_TORSO].mean(axis=0), float(np.linalg.norm(shoulders - hips))


def same_person(a: Pose, b: Pose) -> bool:
    (centre_a, length_a), (centre_b, length_b) = _torso(a), _torso(b)
    return float(np.linalg.norm(centre_a - centre_b)) < SAME_TORSO * max(length_a, length_b, 1e-6)


def on_paint(pose: Pose, painted: np.ndarray) -> float:
    """The share of the pose's landmarks (those in the picture) that lie where someone was painted over."""
    h, w = painted.shape
    xy = np.round(pose.image * np.array([w, h])).astype(int)
    inside = (xy[:, 0] >= 0) & (xy[:, 0] < w) & (xy[:, 1] >= 0) & (xy[:, 1] < h)
    if not inside.any():
        return 0.0
    return float(painted[xy[inside, 1], xy[inside, 0]].mean())


def _new(poses: list[Pose], found: list[Pose], painted: np.ndarray) -> list[Pose]:
    """The poses that are nobody already found (nor each other), nor a ghost fitted on the paint."""
    new: list[Pose] = []
    for pose in poses:
        if on_paint(pose, painted) > GHOST_ON_PAINT:
            continue
        if not any(same_person(pose, other) for other in found + new):
            new.append(pose)
    return new


def paint_over(picture: np.ndarray, pose: Pose, colour: np.ndarray, painted: np.ndarray | None = None) -> None:
    """Fill the pose's landmark hull, grown by GROW about its centre, with `colour` (in place); mark it in
    `painted` (a bool array of the picture's size) too."""
    h, w = picture.shape[:2]
    points = pose.image * np.array([w, h])
    centre = points.mean(axis=0)
    grown = centre + (points - centre) * (1.0 + GROW)
    hull = cv2.convexHull(np.round(grown).astype(np.int32))
    cv2.fillConvexPoly(picture, hull, tuple(int(c) for c in colour))
    if painted is not None:
        mask = np.zeros(painted.shape, np.uint8)
        cv2.fillConvexPoly(mask, hull, 1)
        painted |= mask.astype(bool)


def _turned(find: FindIn, picture: np.ndarray, turn: Rotation) -> list[Pose]:
    """Poses found on the turned picture, mapped back upright."""
    aspect = picture.shape[1] / picture.shape[0]
    return [
        pose.replace(
            image=turn.image_to_upright(pose.image),
            world=None if pose.world is None else turn.world_to_upright(pose.world),
            aspect=aspect,
        )
        for pose in find(turn.apply(picture))
    ]


def find_people(
    rgb: np.ndarray,
    find: FindIn,
    turns: Sequence[Rotation] = (),
    find_turned: FindIn | None = None,
    max_people: int = MAX_PEOPLE,
) -> list[Pose]:
    """Up to max_people distinct poses in the picture, in the order found (see the module's docstring).

    find_turned: the call for turned pictures (a lower detection bar), default `find`.
    """
    picture = rgb.copy()
    colour = np.median(rgb.reshape(-1, rgb.shape[-1]), axis=0)
    painted = np.zeros(rgb.shape[:2], bool)
    found: list[Pose] = []
    while len(found) < max_people:
        new = _new(find(picture), found, painted)
        for turn in turns if not found else ():  # turned: only while nobody is found (a person lying alone)
            if new:
                break
            new = _new(_turned(find_turned or find, picture, turn), found, painted)
        biggest = max(pose.area() for pose in found + new) if found or new else 0.0
        new = [pose for pose in new if pose.area() >= MIN_SHARE * biggest]
        if not new:
            break
        new = new[: max_people - len(found)]
        found += new
        for pose in new:
            paint_over(picture, pose, colour, painted)
    return found
