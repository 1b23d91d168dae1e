"""classify_posture gives the last points' answer again without working it out (auto asks twice a frame), and
only for the same points: a pose changed in place, or another pose, is classified anew."""

from __future__ import annotations

import numpy as np

from posecheck import posture
from synthetic import Body, Limb, make_pose, placement


def test_the_same_points_give_the_same_answer_and_other_points_their_own() -> None:
    lying = make_pose(Body(), placement("supine"))
    seated = make_pose(Body(left_leg=Limb(flex=90), right_leg=Limb(flex=90)), placement("seated"))
    expected = {id(p): posture._classify(p) for p in (lying, seated)}
    assert expected[id(lying)].posture != expected[id(seated)].posture
    for pose in (lying, lying, seated, seated.replace(t=1.0), lying):
        assert posture.classify_posture(pose) == expected[id(pose) if id(pose) in expected else id(seated)]


def test_a_pose_changed_in_place_is_classified_anew() -> None:
    pose = make_pose(Body(), placement("supine"))
    first = posture.classify_posture(pose)
    assert pose.world is not None
    seated = make_pose(Body(left_leg=Limb(flex=90), right_leg=Limb(flex=90)), placement("seated"))
    assert seated.world is not None
    pose.world[:] = seated.world  # the same object, other points
    assert posture.classify_posture(pose) == posture._classify(seated) != first


def test_lengths_are_numpys_to_the_bit() -> None:
    rng = np.random.default_rng(7)
    for _ in range(2000):
        v = rng.normal(size=3) * rng.uniform(1e-4, 10.0)
        assert posture._length(v) == float(np.linalg.norm(v))
