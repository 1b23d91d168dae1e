"""Adapted seated spinal twist (docs/exercises.md section 2).

Sitting, both legs straight, hands on the floor behind. Into the twist: the
working leg bends and crosses, its foot flat beside the straight leg's knee;
the opposite elbow goes to the outside of the bent knee, forearm up; the other
hand stays on the floor behind; the trunk rotates towards the bent knee.
Side = the bent (working) leg. Fault spells: ``hip_lifted`` (the working
sitting bone leaves the floor) and ``no_rotation`` (the trunk untwists).
"""

from __future__ import annotations

import numpy as np

from samplegen.human import Human
from samplegen.motions.base import Clip, FramePose, HoldPlan, ease, episode_level, hold_episodes, place_matrix, wobble
from samplegen.posing import FRONT, LEFT, UP, PoseBuilder, rot_axis, rotvec, unit
from samplegen.skinning import pose_human

FAULTS = ("hip_lifted", "no_rotation")
TRANSITION_S = 2.0
BACK = -FRONT


def trunk_rotation(points: dict[str, np.ndarray], side: str) -> float:
    """Shoulder line vs hip line about the vertical, degrees (positive = to the bent side)."""

    def yaw(a: np.ndarray, b: np.ndarray) -> float:
        d = a - b
        return float(np.arctan2(d[1], d[0]))

    sh = yaw(points["upperarm01.L"], points["upperarm01.R"])
    hp = yaw(points["upperleg01.L"], points["upperleg01.R"])
    ang = np.degrees(np.angle(np.exp(1j * (sh - hp))))
    return float(ang if side == "left" else -ang)


class Poser:
    def __init__(self, human: Human, side: str, rng: np.random.Generator) -> None:
        self.h = human
        self.w, self.o = ("L", "R") if side == "left" else ("R", "L")
        self.sw = 1.0 if side == "left" else -1.0
        self.lean = float(rng.uniform(8, 15))
        self.twist = float(rng.uniform(38, 48))
        self.floor = self._floor()

    def _legs_straight(self, pb: PoseBuilder) -> None:
        for side in "LR":
            s = 1.0 if side == "L" else -1.0
            d = unit(FRONT + s * LEFT * 0.06)
            pb.straight_limb("leg", side, pb.at(f"upperleg01.{side}"), d, UP, bend_deg=3.0, end_rot=rot_axis(LEFT, 25))

    def _floor(self) -> float:
        pb = PoseBuilder(self.h)
        pb.trunk(np.eye(3))
        self._legs_straight(pb)
        v = pose_human(self.h, pb.rot, pb.root_pos).verts
        dom = np.asarray(self.h.bones)[self.h.w_idx[:, 0]]
        seat = (dom == "root") | np.char.startswith(dom, "pelvis") | np.char.startswith(dom, "upperleg")
        return float(v[seat, 2].min())

    def frame(self, x: float, lift: float, unrot: float) -> FramePose:
        """``x`` 0..1 from sitting straight to the twist; fault levels 0..1."""
        h, sw, w, o = self.h, self.sw, self.w, self.o
        tilt = np.radians(15.0) * lift
        root = h.points["root"].copy()
        root[2] += 0.095 * np.sin(tilt)
        pb = PoseBuilder(h, root=root)
        pelvis = rotvec(sw * FRONT * tilt) @ rotvec(-LEFT * np.radians(self.lean))
        twist = np.radians(self.twist * x * (1 - 0.85 * unrot))
        pb.trunk(pelvis, spine=sw * UP * twist + LEFT * np.radians(self.lean * 0.6 * x), neck=sw * UP * twist * 0.35)
        self._legs_straight(pb)
        # working leg: bend and cross, foot flat beside the straight knee
        hip_w, hip_o = pb.at(f"upperleg01.{w}"), pb.at(f"upperleg01.{o}")
        lb = pb.limb("leg", o)
        knee_o = hip_o + lb.l1 * unit(FRONT - sw * LEFT * 0.06)
        ah = float(h.points["foot.L"][2] - h.verts[:, 2].min())
        foot_end = np.array([knee_o[0] - sw * 0.11, knee_o[1] + 0.04, self.floor + ah])
        foot_start = hip_w + (lb.l1 + lb.l2) * 0.995 * unit(FRONT + sw * LEFT * 0.06)
        target = (1 - ease(x)) * foot_start + ease(x) * foot_end + UP * 0.12 * np.sin(np.pi * x)
        knee_w, _ = pb.ik_limb("leg", w, hip_w, target, unit(UP + sw * LEFT * 0.25), sw * LEFT)
        pb.rot[f"foot.{w}"] = rot_axis(UP, -sw * 15 * x) if x > 0.5 else pb.rot[f"lowerleg01.{w}"] @ rot_axis(LEFT, 25)
        # arms: the working-side hand on the floor behind
        behind = {s: np.array([ss * 0.2, 0.28, self.floor + 0.03]) for s, ss in (("L", 1.0), ("R", -1.0))}
        sh_w = pb.at(f"upperarm01.{w}")
        pb.ik_limb("arm", w, sh_w, behind[w] + sw * LEFT * 0.05 * x, unit(sw * LEFT + BACK), sw * UP)
        # opposite arm: elbow outside the bent knee, forearm up (blend from behind)
        sh_o = pb.at(f"upperarm01.{o}")
        arm = pb.limb("arm", o)
        elbow = knee_w + sw * LEFT * 0.075 - FRONT * 0.02
        elbow = sh_o + arm.l1 * unit(elbow - sh_o)
        wrist_end = elbow + arm.l2 * unit(UP + 0.25 * FRONT)
        pole_end = unit(elbow - sh_o)
        wrist = (1 - ease(x)) * behind[o] + ease(x) * wrist_end
        pole = unit((1 - x) * (-sw * LEFT + BACK) + x * pole_end)
        pb.ik_limb("arm", o, sh_o, wrist, pole, -sw * UP)
        return FramePose(rot=dict(pb.rot), root_pos=root)


def build(
    human: Human,
    side: str,
    rng: np.random.Generator,
    hold_s: float = 14.0,
    episodes: list[tuple[str, float, float]] | None = None,
    fps: float = 30.0,
    twist_deg: float | None = None,
    transition_s: float = TRANSITION_S,
    negative: bool = False,
    idle_s: float = 0.0,
    fidget: float = 0.0,
    **_: object,
) -> Clip:
    """The twist held ``hold_s``.  ``twist_deg`` sets the commanded trunk rotation,
    ``transition_s`` the time into / out of it, ``fidget`` a small sway of the twist (deg).
    ``negative``: sitting straight the whole clip, no hold (``lead`` + ``idle_s`` long).
    Defaults: the seed's clip, bit for bit."""
    poser = Poser(human, side, rng)
    if twist_deg is not None:
        poser.twist = float(twist_deg)
    lead = float(rng.uniform(1.0, 1.5))
    t_in = lead + transition_s
    t_out = t_in + hold_s
    total = t_out + transition_s + float(rng.uniform(0.8, 1.2)) + idle_s
    eps = hold_episodes(episodes or [], t_in, t_out, FAULTS)
    if negative:
        total, eps = lead + idle_s, ()
    n = int(round(total * fps))
    sway = wobble(rng, n, fps, fidget / max(poser.twist, 1.0), 0.3) if fidget > 0 else np.zeros(n)
    frames = []
    for i in range(n):
        t = i / fps
        x = ease((t - lead) / transition_s) - ease((t - t_out) / transition_s)
        if negative:
            x = 0.0
        lv = {f: max([episode_level(t, e.start_s, e.end_s) for e in eps if e.fault == f], default=0.0) for f in FAULTS}
        frames.append(poser.frame(x, lv["hip_lifted"], lv["no_rotation"] - float(sway[i]) * x))
    # upright; the legs point to world +X
    place = place_matrix((UP, FRONT), (np.array([0, 0, 1.0]), np.array([1.0, 0, 0])))
    return Clip(
        exercise="seated-twist",
        side=side,
        fps=fps,
        frames=frames,
        place_rot=place,
        holds=[] if negative else [HoldPlan(side, t_in, t_out, eps)],
        measure=lambda pts: trunk_rotation(pts, side),
        measure_definition="shoulder line vs hip line rotation about vertical (deg)",
    )
