from __future__ import annotations

import numpy as np
import pytest

from samplegen.human import load_human
from samplegen.posing import FRONT, LEFT, UP, PoseBuilder, log_rot, rotvec, slerp, two_bone_ik
from samplegen.skinning import pose_human


def bone_lengths(human, heads):
    p = human.parents
    return np.array([np.linalg.norm(heads[i] - heads[p[i]]) for i in range(len(p)) if p[i] >= 0])


def test_rest_pose_reproduces_rest_mesh(human):
    posed = pose_human(human, {}, human.points["root"])
    assert np.abs(posed.verts - human.verts).max() < 1e-6


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_random_pose_keeps_bone_lengths(human, seed):
    rng = np.random.default_rng(seed)
    rot = {b: rotvec(rng.normal(size=3)) for b in human.bones}
    rest = np.stack([human.points[b] for b in human.bones])
    place = rotvec(rng.normal(size=3))
    posed = pose_human(human, rot, np.array([0.3, -1.0, 2.0]), place, np.ones(3))
    assert np.allclose(bone_lengths(human, posed.heads), bone_lengths(human, rest), atol=1e-9)


def test_rigid_vertex_follows_its_bone(human):
    i = int(np.argmax(human.w_val[:, 0]))  # a vertex weighted ~1.0 to one bone
    b = human.w_idx[i, 0]
    assert human.w_val[i, 0] > 0.999
    r = rotvec([0.5, -0.3, 0.9])
    posed = pose_human(human, {human.bones[b]: r}, human.points["root"])
    rest = human.points[human.bones[b]]
    expect = r @ (human.verts[i] - rest) + posed.heads[b]
    assert np.allclose(posed.verts[i], expect, atol=1e-6)


def test_limb_helpers_hit_their_targets(human):
    pb = PoseBuilder(human)
    pb.trunk(np.eye(3))
    hip = pb.at("upperleg01.L")
    lb = pb.limb("leg", "L")
    target = hip + np.array([0.2, -0.4, -0.3])
    knee, end = pb.ik_limb("leg", "L", hip, target, FRONT, LEFT)
    assert np.allclose(pb.at("lowerleg01.L"), knee, atol=1e-9)
    assert np.allclose(pb.at("foot.L"), target, atol=1e-6)
    assert np.linalg.norm(knee - hip) == pytest.approx(lb.l1)
    _mid, end = pb.straight_limb("leg", "R", pb.at("upperleg01.R"), -UP + FRONT, FRONT)
    assert np.allclose(pb.at("foot.R"), end, atol=1e-9)


def test_two_bone_ik_clamps_out_of_reach():
    _b, c = two_bone_ik(np.zeros(3), np.array([5.0, 0, 0]), 1.0, 1.0, np.array([0, 1.0, 0]))
    assert np.linalg.norm(c) == pytest.approx(2.0, abs=1e-4)


def test_bodies_differ():
    f, m = load_human("female"), load_human("male")
    assert np.abs(f.verts - m.verts).max() > 0.02
    with pytest.raises(ValueError, match="known"):
        load_human("robot")


@pytest.mark.parametrize("v", [[0.3, -0.2, 0.1], [0.0, 0.0, 0.0], [0.0, 3.1, 0.0], [1e-5, 0, 0]])
def test_rotvec_roundtrip_and_slerp(v):
    r = rotvec(v)
    assert np.allclose(r @ r.T, np.eye(3), atol=1e-12) and np.linalg.det(r) == pytest.approx(1)
    assert np.allclose(rotvec(log_rot(r)), r, atol=1e-6)
    assert np.allclose(slerp(np.eye(3), r, 1.0), r, atol=1e-6)
    assert np.allclose(slerp(np.eye(3), r, 0.5) @ slerp(np.eye(3), r, 0.5), r, atol=1e-6)
