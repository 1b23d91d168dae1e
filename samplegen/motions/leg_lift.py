"""Side-lying hip-abduction leg lifts (docs/exercises.md section 4).

The person lies on the bottom side, propped on the lower forearm, bottom leg
slightly bent, top hand on the floor in front of the chest. A rep lifts the
straight top leg by hip abduction, dwells, lowers and rests. Side = the top
(working) leg; "left" means lying on the right side.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from samplegen.human import Human
from samplegen.motions.base import Clip, FramePose, RepPlan, Track, pick, place_matrix, wobble
from samplegen.posing import FRONT, LEFT, UP, PoseBuilder, rot_axis, rotvec, unit

FAULTS = ("leg_forward", "knee_bent", "hip_hike", "too_high", "no_hold")
ANGLE_DEFINITION = (
    "3-D angle between the top leg (hip->ankle) and the bottom leg (hip->ankle), from the rig's ground-truth joints"
)


@dataclass(frozen=True)
class Params:
    """Per-frame knobs (degrees)."""

    abd: float  # top-leg abduction in the pelvis frame
    flex: float  # top-leg hip flexion (forward)
    knee: float  # top-knee flexion
    hike: float  # pelvis lateral tilt (top side towards the head)
    roll: float  # pelvis roll back of the top hip


def sigma(side: str) -> float:
    return 1.0 if side == "left" else -1.0


def leg_angle(points: dict[str, np.ndarray], side: str) -> float:
    top, bot = ("L", "R") if side == "left" else ("R", "L")
    a = points[f"foot.{top}"] - points[f"upperleg01.{top}"]
    b = points[f"foot.{bot}"] - points[f"upperleg01.{bot}"]
    c = float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))
    return float(np.degrees(np.arccos(np.clip(c, -1, 1))))


class Poser:
    """Builds frames for one body and side; fixed parts are solved once."""

    def __init__(self, human: Human, side: str, rng: np.random.Generator) -> None:
        self.h = human
        self.side = side
        self.s = sigma(side)
        self.top, self.bot = ("L", "R") if side == "left" else ("R", "L")
        v = human.verts
        dom = np.asarray(human.bones)[human.w_idx[:, 0]]
        hips = (
            (v[:, 2] > -0.15)
            & (v[:, 2] < 0.1)
            & ~np.char.startswith(dom, "wrist")
            & ~np.char.startswith(dom, "lowerarm")
        )
        self.floor = float(np.min(self.s * v[hips, 0]))  # floor plane: s*x = floor
        self.bottom_flex = float(rng.uniform(5, 14))
        self.bottom_knee = float(rng.uniform(0, 15))
        # bottom leg slopes down to rest on the floor; top leg rests on the bottom leg
        pb = PoseBuilder(human)
        legs = pb.limb("leg", self.bot)
        length = legs.l1 + legs.l2
        hip_b = self.s * human.points[f"upperleg01.{self.bot}"][0]
        hip_t = self.s * human.points[f"upperleg01.{self.top}"][0]
        ankle_b = self.floor + 0.045
        self.bottom_tilt = (ankle_b - hip_b) / length
        self.rest_abd = float(np.degrees(np.arcsin((ankle_b + 0.08 - hip_t) / length)))
        self.trunk = self._solve_trunk()

    def _shoulder_height(self, theta: float) -> float:
        pb = PoseBuilder(self.h)
        pb.trunk(np.eye(3), spine=self.s * np.radians(theta) * np.array([0, 1.0, 0]))
        return float(self.s * pb.at(f"upperarm01.{self.bot}")[0] - self.floor)

    def _solve_trunk(self) -> float:
        l1 = PoseBuilder(self.h).limb("arm", self.bot).l1
        want = 0.9 * l1 + 0.05
        grid = np.arange(5.0, 60.0, 1.0)
        heights = np.array([self._shoulder_height(t) for t in grid])
        return float(grid[int(np.argmin(np.abs(heights - want)))])

    def frame(self, p: Params) -> FramePose:
        s, h = self.s, self.h
        pb = PoseBuilder(h)
        pelvis = rotvec(s * np.radians(p.roll) * UP) @ rotvec(-s * np.radians(p.hike) * np.array([0, 1.0, 0]))
        spine = s * np.radians(self.trunk) * np.array([0, 1.0, 0])
        pb.trunk(pelvis, spine=pelvis.T @ spine, neck=-0.25 * spine, head=np.array([0.1, 0, 0]))
        # bottom leg along the floor, a little flexed
        hip_b = pb.at(f"upperleg01.{self.bot}")
        d_b = rot_axis(-LEFT, self.bottom_flex) @ unit(-UP + s * LEFT * self.bottom_tilt)
        pb.straight_limb(
            "leg",
            self.bot,
            hip_b,
            d_b,
            rot_axis(-LEFT, self.bottom_flex) @ FRONT,
            bend_deg=self.bottom_knee,
            end_rot=rot_axis(LEFT, -15),
        )
        # top leg: abduct then flex, in the pelvis frame
        abd = rot_axis(-s * np.array([0, 1.0, 0]), p.abd)
        flex = rot_axis(-LEFT, p.flex)
        r = pelvis @ flex @ abd
        hip_t = pb.at(f"upperleg01.{self.top}")
        pb.straight_limb("leg", self.top, hip_t, r @ -UP, r @ FRONT, bend_deg=p.knee, end_rot=rot_axis(LEFT, -20))
        # lower arm: elbow on the floor under the shoulder, forearm forward
        sh = pb.at(f"upperarm01.{self.bot}")
        arm = pb.limb("arm", self.bot)
        hgt = s * sh[0] - (self.floor + 0.04)
        horiz = np.sqrt(max(arm.l1**2 - hgt**2, 0.0))
        elbow = sh - s * LEFT * hgt + unit(FRONT + 0.2 * UP) * horiz
        wrist = elbow + arm.l2 * unit(FRONT + 0.35 * UP)
        pb.set_limb("arm", self.bot, sh, elbow, wrist, hinge_hint=-s * UP)
        # top arm: hand on the floor in front of the chest
        sh_t = pb.at(f"upperarm01.{self.top}")
        target = np.array([s * (self.floor + 0.05), sh_t[1] - 0.32, sh_t[2] - 0.12])
        pb.ik_limb("arm", self.top, sh_t, target, pole=FRONT + s * LEFT + UP, hinge_hint=s * UP)
        return FramePose(rot=dict(pb.rot), root_pos=pb.root_pos.copy())


def angle_table(human: Human, poser: Poser, side: str, flex: float, knee: float) -> tuple[np.ndarray, np.ndarray]:
    """(commanded abduction, measured leg-to-leg angle) of this body with the top leg's hip
    flexion ``flex`` and knee flexion ``knee`` (deg), pelvis level."""
    from samplegen.skinning import pose_human

    abd = np.linspace(poser.rest_abd, 90.0, 25)
    out = []
    for a in abd:
        f = poser.frame(Params(abd=float(a), flex=flex, knee=knee, hike=0.0, roll=0.0))
        out.append(leg_angle(pose_human(human, f.rot, f.root_pos, skin=False).points, side))
    return abd, np.maximum.accumulate(np.asarray(out))


def build(
    human: Human,
    side: str,
    rng: np.random.Generator,
    reps: int = 5,
    faults: dict[int, tuple[str, ...]] | None = None,
    fps: float = 30.0,
    overrides: dict[int, dict[str, float]] | None = None,
    idle_s: float = 0.0,
    jitter_deg: float = 0.6,
    **_: object,
) -> Clip:
    """A leg-lift clip with ``reps`` reps; ``faults`` maps 1-based rep number to faults.

    ``overrides`` maps a rep number to values that replace the seeded draws: ``rise``,
    ``dwell``, ``lower``, ``rest`` (s), ``peak`` (commanded abduction, deg, before the
    hip-hike correction) or ``angle`` (the leg-to-leg angle wanted, solved for this body and
    rep's hip and knee flexion; a partial lift's at least 3 deg above the rest) and ``partial`` (non-zero:
    a lift too small to be a rep, kept out of ``Clip.reps``).  ``idle_s`` lies still at the
    end; ``jitter_deg`` scales the fidget.  Without them the clip is the seed's, bit for bit.
    """
    faults = faults or {}
    overrides = overrides or {}
    poser = Poser(human, side, rng)
    ch = {k: Track(0.0) for k in ("abd", "flex", "knee", "hike", "roll")}
    ch["abd"] = Track(poser.rest_abd)
    ch["flex"] = Track(poser.bottom_flex - 3)
    lead = float(rng.uniform(0.8, 1.4))
    for c in ch.values():
        c.hold(lead)
    plans: list[RepPlan] = []
    partials: list[RepPlan] = []
    for k in range(1, reps + 1):
        fl = faults.get(k, ())
        o = overrides.get(k, {})
        bad = [f for f in fl if f not in FAULTS]
        if bad:
            raise ValueError(f"unknown leg-lift fault(s) {bad}; known: {list(FAULTS)}")
        rise, lower = pick(o, "rise", rng.uniform(0.6, 1.0)), pick(o, "lower", rng.uniform(0.6, 1.0))
        dwell = pick(o, "dwell", rng.uniform(0.05, 0.2) if "no_hold" in fl else rng.uniform(1.25, 2.0))
        rest = pick(o, "rest", rng.uniform(0.8, 1.3))
        # commanded abduction; the measured leg-to-leg angle adds ~4 deg (bottom leg slope)
        peak = pick(o, "peak", rng.uniform(70, 78) if "too_high" in fl else rng.uniform(30, 42))
        hike = rng.uniform(18, 24) if "hip_hike" in fl else rng.uniform(0, 3)
        roll = rng.uniform(15, 22) if "hip_hike" in fl else 0.0
        flex = rng.uniform(45, 55) if "leg_forward" in fl else rng.uniform(-6, 3)
        knee = rng.uniform(42, 55) if "knee_bent" in fl else rng.uniform(0, 4)
        if o.get("partial"):  # a small lift keeps the leg in line with the bottom one, as at rest
            flex = poser.bottom_flex - 3
        if "angle" in o:  # solved with this rep's leg; a partial lift rises at least 3 deg off the rest
            table = angle_table(human, poser, side, float(flex), float(knee))
            want = max(o["angle"], table[1][0] + 3.0) if o.get("partial") else o["angle"]
            peak = float(np.interp(want, table[1], table[0]))
        peak -= hike * 0.8
        t0 = ch["abd"].t
        targets = {"abd": peak, "flex": flex, "knee": knee, "hike": hike, "roll": roll}
        rest_v = {"abd": poser.rest_abd, "flex": poser.bottom_flex - 3, "knee": 0.0, "hike": 0.0, "roll": 0.0}
        for name, c in ch.items():
            c.go(targets[name], rise)
            c.go(targets[name] + (rng.uniform(-2.0, 1.0) if name == "abd" else 0.0), dwell)
            c.go(rest_v[name], lower).hold(rest)
        plan = RepPlan(side=side, start_s=t0, end_s=t0 + rise + dwell + lower, faults=tuple(sorted(fl)))
        (partials if o.get("partial") else plans).append(plan)
    total = ch["abd"].t + float(rng.uniform(0.5, 1.0)) + idle_s
    n = int(round(total * fps))
    jitter = wobble(rng, n, fps, jitter_deg)
    frames = []
    for i in range(n):
        t = i / fps
        v = {k: c.at(t) for k, c in ch.items()}
        v["abd"] += jitter[i]
        frames.append(poser.frame(Params(**v)))
    s = sigma(side)
    place = place_matrix((s * LEFT, UP), (np.array([0, 0, 1.0]), np.array([1.0, 0, 0])))
    return Clip(
        exercise="leg-lift",
        side=side,
        fps=fps,
        frames=frames,
        place_rot=place,
        reps=plans,
        partials=partials,
        measure=lambda pts: leg_angle(pts, side),
        measure_definition=ANGLE_DEFINITION,
    )
