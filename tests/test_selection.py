from __future__ import annotations

import numpy as np
import pytest

from posecheck.events import Cue
from posecheck.pose import Pose
from posecheck.selection import SEVERAL_TEXT, PersonSelector


def box_pose(x0: float, y0: float, x1: float, y1: float, t: float = 0.0) -> Pose:
    xs = np.linspace(x0, x1, 33)
    ys = np.linspace(y0, y1, 33)
    return Pose(np.column_stack([xs, ys]), np.ones(33), None, t)


def test_follows_the_person_on_the_floor_and_says_several_people_once():
    selector = PersonSelector(repeat_s=20)
    floor = box_pose(0.1, 0.6, 0.8, 0.9)  # lying, low in the picture
    bystander = box_pose(0.7, 0.1, 0.9, 0.8)  # standing, taller box higher up
    cues = []
    for i in range(60):
        t = i / 30
        chosen, events = selector([bystander.replace(t=t), floor.replace(t=t)], t)
        assert chosen is not None and chosen.bbox()[1] > 0.5
        cues += [e for e in events if isinstance(e, Cue)]
    assert [c.text for c in cues] == [SEVERAL_TEXT]


def test_never_switches_silently_to_a_bystander():
    selector = PersonSelector()
    ours = box_pose(0.1, 0.6, 0.5, 0.9)
    other = box_pose(0.6, 0.1, 0.9, 0.9)
    for i in range(90):  # chosen, and followed past the first CHOOSE_S
        chosen, _ = selector([ours.replace(t=i / 30)], i / 30)
        assert chosen is not None
    chosen, _ = selector([other, box_pose(0.0, 0.0, 0.05, 0.05)], 3.0)  # ours gone, two others
    assert chosen is None
    chosen, _ = selector([ours.replace(t=3.1), other.replace(t=3.1)], 3.1)
    assert chosen is not None and chosen.bbox()[0] < 0.2


def fits_on_the_right(pose: Pose) -> bool:
    return pose.bbox()[0] > 0.5


@pytest.mark.parametrize("joins_at", [4 / 30, 5.0])  # the search's answer a few frames in; someone joining later
def test_others_found_later_are_chosen_from_by_posture(joins_at: float):
    """The first frames showed only a bystander (the detector missed the person lying down): once both are
    found, the one in the exercise's posture is followed, and said."""
    selector = PersonSelector(prefer=fits_on_the_right)
    bystander = box_pose(0.1, 0.1, 0.4, 0.9)
    ours = box_pose(0.6, 0.6, 0.9, 0.8)
    chosen_at: dict[float, Pose | None] = {}
    said = []
    for i in range(int((joins_at + 3.0) * 30)):
        t = i / 30
        poses = [bystander.replace(t=t)] + ([ours.replace(t=t)] if t >= joins_at else [])
        chosen_at[t], events = selector(poses, t)
        said += [e.text for e in events if isinstance(e, Cue)]
    last = chosen_at[max(chosen_at)]
    assert last is not None and fits_on_the_right(last)
    assert said == [SEVERAL_TEXT]
