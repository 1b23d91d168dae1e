"""Figure-four outer-thigh stretch, lying on the back (docs/exercises.md section 1).

Start with knees bent and feet flat, bring both legs up (support hip flexed
~100 degrees, knee ~90), rest the working ankle on the support thigh just above
the knee with the crossed knee pointing out, hold, come back down. Side = the
crossed (working) leg. Fault spells: ``knee_inward`` (crossed knee swings to
the midline) and ``ankle_off_thigh`` (crossed ankle slides off the thigh).
"""

from __future__ import annotations

import numpy as np

from samplegen.human import Human
from samplegen.motions.base import Clip, FramePose, HoldPlan, ease, episode_level, hold_episodes, wobble
from samplegen.motions.supine import SUPINE_PLACE, ankle_height, arms_by_sides, back_floor, flat_foot
from samplegen.posing import FRONT, LEFT, UP, PoseBuilder, rot_axis, slerp, unit

FAULTS = ("knee_inward", "ankle_off_thigh")
TRANSITION_S = 1.8


def crossed_thigh_angle(points: dict[str, np.ndarray], side: str) -> float:
    w, o = ("L", "R") if side == "left" else ("R", "L")
    a = points[f"lowerleg01.{w}"] - points[f"upperleg01.{w}"]
    b = points[f"lowerleg01.{o}"] - points[f"upperleg01.{o}"]
    return float(np.degrees(np.arccos(np.clip(a @ b / np.linalg.norm(a) / np.linalg.norm(b), -1, 1))))


class Poser:
    def __init__(self, human: Human, side: str, rng: np.random.Generator) -> None:
        self.h = human
        self.w, self.o = ("L", "R") if side == "left" else ("R", "L")
        self.sw = 1.0 if side == "left" else -1.0
        self.floor = back_floor(human)
        self.hip_flex = float(rng.uniform(95, 110))
        self.knee_flex = float(rng.uniform(85, 100))
        self.spread = float(rng.uniform(10, 25))
        pb = PoseBuilder(human)
        pb.trunk(np.eye(3))
        self.hips = {s: pb.at(f"upperleg01.{s}") for s in "LR"}
        self.start = {s: self._start_ankle(s) for s in "LR"}

    def _start_ankle(self, side: str) -> np.ndarray:
        s = 1.0 if side == "L" else -1.0
        lb = PoseBuilder(self.h).limb("leg", side)
        hip = self.hips[side]
        ay = self.floor - ankle_height(self.h)
        dist = 0.93 * np.sqrt(lb.l1**2 + lb.l2**2)
        dz = np.sqrt(max(dist**2 - (ay - hip[1]) ** 2, 0.01))
        return np.array([s * 0.11, ay, hip[2] - dz])

    def _support(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Raised support leg: knee, ankle and knee-front direction."""
        lb = PoseBuilder(self.h).limb("leg", self.o)
        flex = rot_axis(-LEFT, self.hip_flex)
        knee = self.hips[self.o] + lb.l1 * (flex @ -UP)
        shin = rot_axis(-LEFT, self.hip_flex - self.knee_flex) @ -UP
        return knee, knee + lb.l2 * shin, flex @ FRONT

    def frame(self, up: float, inward: float, off: float) -> FramePose:
        """``up`` 0..1 from feet-flat to the figure four; fault levels 0..1."""
        pb = PoseBuilder(self.h)
        pb.trunk(np.eye(3))
        arms_by_sides(pb, self.floor, self.spread)
        k_o, a_o, front_o = self._support()
        thigh = unit(k_o - self.hips[self.o])
        perch = k_o - thigh * 0.08 + unit(front_o) * 0.075 + self.sw * LEFT * 0.01
        perch = perch + off * (self.sw * LEFT * 0.15 - thigh * 0.04)
        x = ease(up)
        arc = FRONT * 0.15 * np.sin(np.pi * x)
        targets = {
            self.o: (1 - x) * self.start[self.o] + x * a_o + arc * 0.5,
            self.w: (1 - x) * self.start[self.w] + x * perch + arc,
        }
        pole_out = unit(self.sw * LEFT + 0.5 * UP)  # thighs ~45 deg apart
        pole_in = unit(self.sw * LEFT - 0.5 * UP)  # ~30 deg: knee swung towards the midline
        poles = {
            self.o: unit((1 - x) * FRONT + x * front_o),
            self.w: unit((1 - x) * FRONT + x * unit((1 - inward) * pole_out + inward * pole_in)),
        }
        for side in "LR":
            s = 1.0 if side == "L" else -1.0
            pb.ik_limb("leg", side, self.hips[side], targets[side], poles[side], s * LEFT)
            shin_rot = pb.rot[f"lowerleg01.{side}"] @ rot_axis(LEFT, -25)
            pb.rot[f"foot.{side}"] = slerp(flat_foot(s), shin_rot, x)
        return FramePose(rot=dict(pb.rot), root_pos=pb.root_pos.copy())


def build(
    human: Human,
    side: str,
    rng: np.random.Generator,
    hold_s: float = 14.0,
    episodes: list[tuple[str, float, float]] | None = None,
    fps: float = 30.0,
    hip_flex: float | None = None,
    transition_s: float = TRANSITION_S,
    negative: bool = False,
    idle_s: float = 0.0,
    fidget: float = 0.0,
    **_: object,
) -> Clip:
    """The figure four held ``hold_s``.  ``hip_flex`` sets the support hip's flexion (deg),
    ``transition_s`` the time into / out of the pose, ``fidget`` a small knee sway (level
    units, ~15 deg per 1.0).  ``negative``: lying with the knees bent the whole clip, no
    hold (``lead`` + ``idle_s`` long).  Defaults: the seed's clip, bit for bit."""
    poser = Poser(human, side, rng)
    if hip_flex is not None:
        poser.hip_flex = float(hip_flex)
    lead = float(rng.uniform(1.0, 1.5))
    t_in = lead + transition_s
    t_out = t_in + hold_s
    total = t_out + transition_s + float(rng.uniform(0.8, 1.2)) + idle_s
    eps = hold_episodes(episodes or [], t_in, t_out, FAULTS)
    if negative:
        total, eps = lead + idle_s, ()
    n = int(round(total * fps))
    sway = wobble(rng, n, fps, fidget, 0.3) if fidget > 0 else np.zeros(n)
    frames = []
    for i in range(n):
        t = i / fps
        up = ease((t - lead) / transition_s) - ease((t - t_out) / transition_s)
        if negative:
            up = 0.0
        lv = {f: max([episode_level(t, e.start_s, e.end_s) for e in eps if e.fault == f], default=0.0) for f in FAULTS}
        frames.append(poser.frame(up, lv["knee_inward"] + float(sway[i]), lv["ankle_off_thigh"]))
    return Clip(
        exercise="figure-four",
        side=side,
        fps=fps,
        frames=frames,
        place_rot=SUPINE_PLACE,
        holds=[] if negative else [HoldPlan(side, t_in, t_out, eps)],
        measure=lambda pts: crossed_thigh_angle(pts, side),
        measure_definition="angle between crossed thigh and support thigh (deg)",
    )
