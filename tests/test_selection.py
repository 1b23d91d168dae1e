from __future__ import annotations

import numpy as np

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
    chosen, _ = selector([ours], 0.0)
    assert chosen is not None
    chosen, _ = selector([other, box_pose(0.0, 0.0, 0.05, 0.05)], 0.1)  # ours gone, two others
    assert chosen is None
    chosen, _ = selector([ours.replace(t=0.2), other.replace(t=0.2)], 0.2)
    assert chosen is not None and chosen.bbox()[0] < 0.2
