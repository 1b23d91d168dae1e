"""Shared pieces of the lying-on-the-back exercises (ball squeeze, figure four)."""

from __future__ import annotations

import numpy as np

from samplegen.human import Human
from samplegen.motions.base import place_matrix
from samplegen.posing import FRONT, LEFT, UP, PoseBuilder, aim, unit

#: canonical -> world: the front faces the ceiling, the head points to +X
SUPINE_PLACE = place_matrix((FRONT, UP), (np.array([0, 0, 1.0]), np.array([1.0, 0, 0])))


def back_floor(human: Human) -> float:
    """Canonical y of the floor under a supine body (the back is +Y)."""
    v = human.verts
    dom = np.asarray(human.bones)[human.w_idx[:, 0]]
    trunk = np.char.startswith(dom, "spine") | (dom == "root") | np.char.startswith(dom, "pelvis")
    return float(np.max(v[trunk, 1]))


def ankle_height(human: Human) -> float:
    """Height of the ankle joint above the sole (rest pose)."""
    return float(human.points["foot.L"][2] - human.verts[:, 2].min())


def flat_foot(side_sign: float) -> np.ndarray:
    """Global foot rotation for a sole flat on the floor, toes to the feet end."""
    del side_sign
    return aim(UP, FRONT, FRONT, -UP)


def arms_by_sides(pb: PoseBuilder, floor_y: float, spread_deg: float = 12.0) -> None:
    """Both arms resting on the floor along the body, elbows nearly straight."""
    for side, s in (("L", 1.0), ("R", -1.0)):
        sh = pb.at(f"upperarm01.{side}")
        lb = pb.limb("arm", side)
        drop = np.clip((floor_y - 0.035 - sh[1]) / (lb.l1 + lb.l2), -0.5, 0.5)
        a = np.radians(spread_deg)
        d = unit(-UP * np.cos(a) + s * LEFT * np.sin(a) + np.array([0, 1.0, 0]) * drop)
        pb.straight_limb("arm", side, sh, d, FRONT, bend_deg=8.0)


def legs_bent(
    pb: PoseBuilder, floor_y: float, knee_deg: float, foot_x: float, poles: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Knees bent to about ``knee_deg`` (flexion), feet flat; returns knee positions.

    Ankles sit ``foot_x`` from the midline at ankle height above the floor; the
    knee of each leg bends towards ``poles[side]``.
    """
    h = pb.human
    ah = ankle_height(h)
    knees = {}
    for side, s in (("L", 1.0), ("R", -1.0)):
        hip = pb.at(f"upperleg01.{side}")
        lb = pb.limb("leg", side)
        # hip-ankle distance for the wanted knee flexion (law of cosines)
        inner = np.radians(180.0 - knee_deg)
        dist = np.sqrt(lb.l1**2 + lb.l2**2 - 2 * lb.l1 * lb.l2 * np.cos(inner))
        ay = floor_y - ah
        dx = s * foot_x - hip[0]
        dz2 = max(dist**2 - (ay - hip[1]) ** 2 - dx**2, 0.01)
        ankle = np.array([s * foot_x, ay, hip[2] - np.sqrt(dz2)])
        knee, _ = pb.ik_limb("leg", side, hip, ankle, poles[side], s * LEFT)
        pb.rot[f"foot.{side}"] = flat_foot(s)
        knees[side] = knee
    return knees
