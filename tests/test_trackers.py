"""Several people followed each by a tracker of their own, fed the frame with the others painted over."""

from __future__ import annotations

import numpy as np

from posecheck.pose import Pose
from posecheck.trackers import LOST_FRAMES, PeopleTracker


def person(cx: float, cy: float, size: float = 0.1) -> Pose:
    rng = np.random.default_rng(int(cx * 1000 + cy * 100))
    image = np.column_stack([cx + rng.uniform(-size, size, 33), cy + rng.uniform(-size, size, 33)])
    image[[11, 12, 23, 24]] = [[cx - size / 4, cy - size / 2], [cx + size / 4, cy - size / 2],
                               [cx - size / 4, cy + size / 2], [cx + size / 4, cy + size / 2]]  # fmt: skip
    return Pose(image, np.ones(33))


def torso_pixel(pose: Pose, size: int) -> tuple[int, int]:
    x, y = (pose.image[[11, 12, 23, 24]].mean(axis=0) * size).astype(int)
    return int(x), int(y)


def test_each_tracker_finds_its_own_person_and_one_whose_person_left_is_dropped():
    """A detector that returns the first person of its list whose torso is not painted over (as MediaPipe's, which
    keeps finding the most upright one); the people are in view for the frames given, the first one leaves."""
    people = [person(0.3, 0.5), person(0.7, 0.5)]
    size = 100
    in_view = [True, True]
    calls: list[int] = []

    def make():  # type: ignore[no-untyped-def]
        def detect(picture: np.ndarray, t: float, ms: int) -> list[Pose]:
            calls.append(ms)
            for i, someone in enumerate(people):
                x, y = torso_pixel(someone, size)
                if in_view[i] and picture[y, x, 0] == 255:  # a white torso: not painted over
                    return [someone.replace(t=t)]
            return []

        return detect

    tracker = PeopleTracker(make, people)
    frame = np.zeros((size, size, 3), np.uint8)
    for someone in people:
        x, y = torso_pixel(someone, size)
        frame[y - 1 : y + 2, x - 1 : x + 2] = 255
    for i in range(5):
        found = tracker(frame, i / 30, i * 33)
        assert [p.image[0, 0] for p in found] == [p.image[0, 0] for p in people]  # both, each by its own tracker
    in_view[0] = False
    for i in range(5, 5 + LOST_FRAMES):
        found = tracker(frame, i / 30, i * 33)
        assert len(found) == 1 and found[0].image[0, 0] == people[1].image[0, 0]
    assert len(tracker.tracks) == 1  # the first one's tracker, LOST_FRAMES without its person, is gone
    assert len(calls) == 2 * (5 + LOST_FRAMES)


def test_two_trackers_on_the_same_person_give_it_once():
    someone = person(0.5, 0.5)
    tracker = PeopleTracker(lambda: lambda picture, t, ms: [someone], [someone, person(0.52, 0.5)])
    assert len(tracker(np.zeros((50, 50, 3), np.uint8), 0.0, 0)) == 1
