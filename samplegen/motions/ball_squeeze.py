"""Adductor ball squeeze, lying on the back (docs/exercises.md section 3).

Knees bent, feet flat, a soft ball between the knees. A rep squeezes (knees
move together by a few centimetres), holds, releases, rests. ``hips_lifted``
lifts the pelvis 10-14 cm off the floor during the squeeze (a bridge).  The
clip starts with 3-4 s of lying still; sets are separated by ``set_pause_s``.
"""

from __future__ import annotations

import numpy as np

from samplegen.human import Human
from samplegen.motions.base import Clip, FramePose, RepPlan, Track, pick, wobble
from samplegen.motions.supine import SUPINE_PLACE, arms_by_sides, back_floor, legs_bent
from samplegen.posing import FRONT, LEFT, PoseBuilder, rotvec
from samplegen.skinning import pose_human

FAULTS = ("hips_lifted",)
MEASURE_DEFINITION = (
    "squeeze in cm: rest knee-joint distance minus current knee-joint "
    "distance (3-D, rig ground truth); peak_angle_deg holds this value"
)


def knee_gap(points: dict[str, np.ndarray]) -> float:
    return float(np.linalg.norm(points["lowerleg01.L"] - points["lowerleg01.R"]))


class Poser:
    def __init__(self, human: Human, rng: np.random.Generator) -> None:
        self.h = human
        self.floor = back_floor(human)
        self.knee_deg = float(rng.uniform(85, 100))
        self.foot_x = float(rng.uniform(0.09, 0.13))
        self.spread = float(rng.uniform(8, 20))

    def frame(self, squeeze: float, lift: float, head_nod: float) -> FramePose:
        """``squeeze`` 0..1 moves the knees together; ``lift`` m raises the pelvis."""
        root = self.h.points["root"].copy()
        root[1] -= lift
        pb = PoseBuilder(self.h, root=root)
        beta = np.arctan2(lift, 0.42)
        pelvis = rotvec(-LEFT * beta)
        pb.trunk(pelvis, neck=LEFT * beta * 0.9, head=LEFT * head_nod)
        lat = 0.06 - 0.085 * squeeze
        poles = {"L": FRONT + LEFT * lat, "R": FRONT - LEFT * lat}
        arms_by_sides(pb, self.floor, self.spread)
        legs_bent(pb, self.floor, self.knee_deg, self.foot_x, poles)
        return FramePose(rot=dict(pb.rot), root_pos=root)


def squeeze_table(human: Human, poser: Poser) -> tuple[np.ndarray, np.ndarray]:
    """(squeeze levels, knee travel in cm) of this body, for commanding a travel in cm."""
    levels = np.linspace(0.0, 2.0, 21)
    gaps = []
    for lv in levels:
        f = poser.frame(float(lv), 0.0, 0.0)
        gaps.append(knee_gap(pose_human(human, f.rot, f.root_pos, skin=False).points))
    travel = (gaps[0] - np.asarray(gaps)) * 100.0
    return levels, np.maximum.accumulate(travel)


def build(
    human: Human,
    side: str,
    rng: np.random.Generator,
    reps: int = 6,
    faults: dict[int, tuple[str, ...]] | None = None,
    sets: int = 1,
    set_pause_s: float = 3.0,
    fps: float = 30.0,
    overrides: dict[int, dict[str, float]] | None = None,
    idle_s: float = 0.0,
    nod: float = 0.05,
    **_: object,
) -> Clip:
    """Ball squeezes in ``sets`` sets; reps are tagged side "both" (both legs work).

    ``overrides`` maps a rep number to values replacing the seeded draws: ``ramp``,
    ``hold``, ``rel``, ``rest`` (s) and ``cm`` (knee travel, solved for this body).
    ``idle_s`` lies still at the end; ``nod`` is the head's fidget (rad).  Without them
    the clip is the seed's, bit for bit.
    """
    faults = faults or {}
    overrides = overrides or {}
    poser = Poser(human, rng)
    table = squeeze_table(human, poser) if any("cm" in o for o in overrides.values()) else None
    sq, lift = Track(0.0), Track(0.0)
    # Lying still 3-4 s before the first squeeze, as a person settles and the coach asks ("Hold still
    # a moment"): the rule needs a resting baseline, and MediaPipe's tracker its first second to lock on.
    lead = float(rng.uniform(3.0, 4.0))
    sq.hold(lead)
    lift.hold(lead)
    per_set = int(np.ceil(reps / max(sets, 1)))
    plans: list[RepPlan] = []
    gaps: list[float] = []
    for k in range(1, reps + 1):
        fl = faults.get(k, ())
        o = overrides.get(k, {})
        bad = [f for f in fl if f not in FAULTS]
        if bad:
            raise ValueError(f"unknown ball-squeeze fault(s) {bad}; known: {list(FAULTS)}")
        if k > 1 and (k - 1) % per_set == 0:
            sq.hold(set_pause_s)
            lift.hold(set_pause_s)
            gaps.append(k - 1)
        t0 = sq.t
        ramp, hold, rel = rng.uniform(0.4, 0.6), rng.uniform(0.9, 1.5), rng.uniform(0.4, 0.6)
        ramp, hold, rel = pick(o, "ramp", ramp), pick(o, "hold", hold), pick(o, "rel", rel)
        rest = pick(o, "rest", rng.uniform(0.8, 1.3))
        amount = float(rng.uniform(0.8, 1.0))
        if table is not None and "cm" in o:
            amount = float(np.interp(o["cm"], table[1], table[0]))
        h = float(rng.uniform(0.10, 0.14)) if "hips_lifted" in fl else 0.0
        sq.go(amount, ramp).go(amount * rng.uniform(0.93, 1.0), hold).go(0.0, rel).hold(rest)
        lift.go(h, ramp).hold(hold).go(0.0, rel).hold(rest)
        plans.append(RepPlan(side="both", start_s=t0, end_s=t0 + ramp + hold + rel, faults=tuple(sorted(fl))))
    n = int(round((sq.t + rng.uniform(0.3, 0.8) + idle_s) * fps))
    head = wobble(rng, n, fps, nod, 0.2)
    frames = [poser.frame(sq.at(i / fps), lift.at(i / fps), float(head[i])) for i in range(n)]
    f0 = frames[0]
    gap0 = knee_gap(pose_human(human, f0.rot, f0.root_pos, skin=False).points)
    return Clip(
        exercise="ball-squeeze",
        side=side,
        fps=fps,
        frames=frames,
        place_rot=SUPINE_PLACE,
        reps=plans,
        set_gaps_s=gaps,
        measure=lambda pts: (gap0 - knee_gap(pts)) * 100.0,
        measure_definition=MEASURE_DEFINITION,
        measure_unit="cm",
        rest_margin=0.5,
        near_peak=0.5,
        ball=True,
    )
