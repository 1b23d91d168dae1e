"""Forward kinematics and linear-blend skinning in numpy.

A pose gives each bone a *global* rotation (bones left out copy their parent's)
and the position of the root bone's head. Joint heads are chained from the
parent's head through the parent's rotation, so bone lengths never change.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from samplegen.human import Human

# named points that ride on a bone other than their own head
POINT_BONE = {
    "head_top": "head",
    "eye.L": "head",
    "eye.R": "head",
    "hand_end.L": "wrist.L",
    "hand_end.R": "wrist.R",
    "toe_base.L": "foot.L",
    "toe_base.R": "foot.R",
}


@dataclass(frozen=True)
class Posed:
    """Result of posing: world vertices, joint heads and named points."""

    verts: np.ndarray  # (N, 3)
    heads: np.ndarray  # (B, 3) posed bone heads
    rots: np.ndarray  # (B, 3, 3) global bone rotations
    points: dict[str, np.ndarray]


def global_rotations(human: Human, rot: dict[str, np.ndarray]) -> np.ndarray:
    """Fill in every bone's global rotation; unspecified bones copy their parent's."""
    out = np.empty((len(human.bones), 3, 3))
    for i, name in enumerate(human.bones):  # bones are stored parents-first
        if name in rot:
            out[i] = rot[name]
        elif human.parents[i] >= 0:
            out[i] = out[human.parents[i]]
        else:
            out[i] = np.eye(3)
    return out


def forward_kinematics(human: Human, rots: np.ndarray, root_pos: np.ndarray) -> np.ndarray:
    """Posed bone heads from global rotations and the root head position."""
    rest = np.stack([human.points[b] for b in human.bones])
    heads = np.empty_like(rest)
    for i, p in enumerate(human.parents):
        if p < 0:
            heads[i] = root_pos
        else:
            heads[i] = heads[p] + rots[p] @ (rest[i] - rest[p])
    return heads


def pose_human(
    human: Human,
    rot: dict[str, np.ndarray],
    root_pos: np.ndarray,
    place_rot: np.ndarray | None = None,
    place_pos: np.ndarray | None = None,
    skin: bool = True,
) -> Posed:
    """Pose and skin ``human``; ``place_*`` then move the whole body rigidly.

    With ``skin=False`` only joints and named points are computed (fast).
    """
    rots = global_rotations(human, rot)
    heads = forward_kinematics(human, rots, np.asarray(root_pos, dtype=float))
    rest = np.stack([human.points[b] for b in human.bones])
    if place_rot is not None:
        rots = place_rot[None] @ rots
        heads = heads @ place_rot.T
    if place_pos is not None:
        heads = heads + place_pos
    points = {b: heads[i] for i, b in enumerate(human.bones)}
    for name, bone in POINT_BONE.items():
        i = human.bone(bone)
        points[name] = rots[i] @ (human.points[name] - rest[i]) + heads[i]
    if not skin:
        return Posed(verts=np.empty((0, 3)), heads=heads, rots=rots, points=points)
    # x -> R_b (x - rest_b) + head_b, blended over the 4 strongest bones
    offs = heads - np.einsum("bij,bj->bi", rots, rest)
    r = rots[human.w_idx]  # (N, 4, 3, 3)
    t = offs[human.w_idx]  # (N, 4, 3)
    w = human.w_val[..., None]
    rb = np.einsum("nk,nkij->nij", human.w_val, r)
    tb = (w * t).sum(axis=1)
    verts = np.einsum("nij,nj->ni", rb, human.verts) + tb
    return Posed(verts=verts, heads=heads, rots=rots, points=points)
