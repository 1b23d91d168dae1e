"""Several people in a video, each followed by a tracker of their own.

MediaPipe's person detector, asked for two poses, tends to find only the most
upright person: beside a kneeling partner, the person lying on the mat is
never found, so a two-pose tracker follows only the partner.  Once the
search (people.py) has found several people, each gets a one-pose VIDEO-mode
landmarker fed the frame with the others painted over where they were last
seen; each then finds and tracks its own person.  All the poses go to the
session, whose selector follows the one doing the exercise.  Pure numpy and
OpenCV: the landmarkers come from the estimator as `Detect` calls.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .people import paint_over, same_person
from .pose import Pose

Detect = Callable[[np.ndarray, float, int], list[Pose]]
"""One VIDEO-mode landmarker: a picture, its time in seconds and in ms (rising) -> poses."""

LOST_FRAMES = 30  # a tracker that has found nobody this many frames in a row is dropped


class _Track:
    def __init__(self, detect: Detect, last: Pose) -> None:
        self.detect = detect
        self.last = last
        self.misses = 0


def _torso_distance(a: Pose, b: Pose) -> float:
    hips_shoulders = [11, 12, 23, 24]
    return float(np.linalg.norm(a.pixels_iso[hips_shoulders].mean(axis=0) - b.pixels_iso[hips_shoulders].mean(axis=0)))


class PeopleTracker:
    """Follows each of `people` (found on an earlier frame) with a landmarker from `make`; call per frame."""

    def __init__(self, make: Callable[[], Detect], people: list[Pose]) -> None:
        self.tracks = [_Track(make(), pose) for pose in people]

    def __call__(self, rgb: np.ndarray, t: float, ms: int) -> list[Pose]:
        colour = np.median(rgb[::8, ::8].reshape(-1, rgb.shape[-1]), axis=0)
        found: list[Pose] = []
        for track in self.tracks:
            picture = rgb
            others = [other.last for other in self.tracks if other is not track]
            if others:
                picture = rgb.copy()
                for other in others:
                    paint_over(picture, other, colour)
            poses = track.detect(picture, t, ms)
            if poses:
                pose = min(poses, key=lambda p: _torso_distance(p, track.last))
                if any(same_person(pose, other) for other in found):  # found the same person as another track
                    poses = []
                else:
                    found.append(pose)
                    track.last, track.misses = pose, 0
            if not poses:
                track.misses += 1
        self.tracks = [track for track in self.tracks if track.misses < LOST_FRAMES]
        return found
