"""Per-vertex colours: skin, hair, eyes, lips, clothes; all drawn from a seed."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from samplegen.human import PART_HAIR, PART_LEYE, PART_REYE, Human

SKIN = [
    (0.96, 0.80, 0.69),
    (0.90, 0.72, 0.58),
    (0.80, 0.60, 0.45),
    (0.62, 0.43, 0.30),
    (0.45, 0.30, 0.20),
    (0.98, 0.86, 0.76),
]
HAIR = [
    (0.10, 0.07, 0.05),
    (0.28, 0.18, 0.10),
    (0.55, 0.38, 0.20),
    (0.75, 0.62, 0.40),
    (0.05, 0.05, 0.05),
    (0.45, 0.20, 0.10),
]
CLOTH = [
    (0.15, 0.25, 0.55),
    (0.70, 0.15, 0.15),
    (0.20, 0.45, 0.25),
    (0.85, 0.85, 0.85),
    (0.10, 0.10, 0.12),
    (0.55, 0.25, 0.55),
    (0.90, 0.55, 0.15),
    (0.30, 0.55, 0.75),
    (0.45, 0.45, 0.48),
]


@dataclass(frozen=True)
class Look:
    """The colours of one person and the set."""

    skin: tuple[float, float, float]
    hair: tuple[float, float, float]
    top: tuple[float, float, float]
    bottom: tuple[float, float, float]
    sleeve_m: float  # sleeve length from the shoulder joint
    leg_m: float  # trouser length from the hip joint
    mat: tuple[float, float, float]
    floor: tuple[float, float, float]
    wall: tuple[float, float, float]


def random_look(rng: np.random.Generator) -> Look:
    def pick(pal: list[tuple[float, float, float]]) -> tuple[float, float, float]:
        c = np.asarray(pal[int(rng.integers(len(pal)))]) * rng.uniform(0.9, 1.1)
        return tuple(float(x) for x in np.clip(c, 0, 1))  # type: ignore[return-value]

    top, bottom = pick(CLOTH), pick(CLOTH)
    while np.allclose(top, bottom, atol=0.15):
        bottom = pick(CLOTH)
    mat = pick([(0.35, 0.55, 0.60), (0.55, 0.30, 0.45), (0.25, 0.30, 0.45), (0.50, 0.55, 0.30), (0.30, 0.30, 0.32)])
    floor = pick([(0.62, 0.48, 0.33), (0.75, 0.70, 0.62), (0.45, 0.33, 0.22), (0.60, 0.60, 0.58)])
    wall = pick([(0.90, 0.88, 0.82), (0.80, 0.85, 0.88), (0.88, 0.82, 0.72), (0.70, 0.72, 0.70)])
    return Look(
        skin=pick(SKIN),
        hair=pick(HAIR),
        top=top,
        bottom=bottom,
        sleeve_m=float(rng.uniform(0.06, 0.2)),
        leg_m=float(rng.uniform(0.3, 0.85)),
        mat=mat,
        floor=floor,
        wall=wall,
    )


def vertex_colors(human: Human, look: Look) -> np.ndarray:
    """(N, 3) float colours in 0..1 from rest-pose regions and skin weights."""
    v = human.verts
    pts = human.points
    col = np.tile(np.asarray(look.skin), (len(v), 1))
    dom = np.asarray(human.bones)[human.w_idx[:, 0]]
    is_part = human.part
    # trunk clothing: between the waist and the neck
    waist = pts["spine05"][2] + 0.02
    neck_z = pts["neck01"][2] - 0.03
    torso = (
        np.char.startswith(dom, "spine")
        | np.char.startswith(dom, "breast")
        | np.char.startswith(dom, "clavicle")
        | np.char.startswith(dom, "shoulder")
        | np.char.startswith(dom, "root")
        | np.char.startswith(dom, "pelvis")
    )
    col[torso & (v[:, 2] > waist) & (v[:, 2] < neck_z)] = look.top
    for s in "LR":
        sh = pts[f"upperarm01.{s}"]
        arm = np.char.startswith(dom, "upperarm") | np.char.startswith(dom, "shoulder")
        near = np.linalg.norm(v - sh, axis=1) < look.sleeve_m + 0.05
        side = (v[:, 0] >= 0) if s == "L" else (v[:, 0] <= 0)
        col[arm & near & side] = look.top
        hip = pts[f"upperleg01.{s}"]
        arm_or_hand = (
            np.char.startswith(dom, "wrist") | np.char.startswith(dom, "lowerarm") | np.char.startswith(dom, "upperarm")
        )
        leg = side & ~arm_or_hand & (v[:, 2] < waist) & (v[:, 2] > hip[2] - look.leg_m)
        col[leg] = look.bottom
        # socks-free bare feet keep skin; darker soles are hardly seen
    # hair on the scalp: above the brow or at the back of the head
    eye_z = pts["eye.L"][2]
    eye_y = pts["eye.L"][1]
    head = (dom == "head") | (dom == "jaw")
    scalp = head & ((v[:, 2] > eye_z + 0.045) | ((v[:, 1] > eye_y + 0.095) & (v[:, 2] > eye_z - 0.06)))
    col[scalp] = look.hair
    col[is_part == PART_HAIR] = look.hair
    # lips: a small band below the nose at the front of the face
    mouth_z = eye_z - 0.075
    lips = head & (np.abs(v[:, 2] - mouth_z) < 0.012) & (np.abs(v[:, 0]) < 0.025) & (v[:, 1] < eye_y - 0.0)
    col[lips] = np.asarray(look.skin) * np.array([0.85, 0.55, 0.55])
    # eyes: white with a dark iris at the front
    for p, key in ((PART_LEYE, "eye.L"), (PART_REYE, "eye.R")):
        m = is_part == p
        col[m] = (0.92, 0.92, 0.90)
        front = m & (v[:, 1] < pts[key][1] - 0.008)
        col[front] = (0.18, 0.12, 0.08)
    return col
