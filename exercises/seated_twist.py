"""Adapted seated spinal twist (docs/exercises.md §2): holds per side.

Per frame, from 3-D world landmarks (metres):
- the legs: knee angles of both chains after the ankles are paired with
  their own knees (MediaPipe swaps the crossed ankle's label); the straighter
  leg is the straight one, the other the bent (working) one;
- the bent foot's distance from the straight knee (thigh lengths);
- the opposite elbow (the arm on the straight leg's side) against the bent
  knee: distance and whether it is on the knee's outer side;
- where depth fails, the picture: a straight leg is straight in every
  projection, so the straight knee's angle is the larger of the 3-D and the
  picture's; the foot's distance is the smaller of the 3-D and the
  picture's (in the longer thigh's picture length), and so is the elbow's
  seen from the side (from the front an arm behind the body shows by the
  knee in the picture).  MediaPipe's depth bent a rendered straight leg to
  121-143 deg (p1-p10 of the tuning half's holds) and put a foot flat by the
  knee 0.7-0.9 thigh lengths off;
- trunk rotation: the shoulder line's angle from the hip line about the trunk
  axis, positive toward the bent knee;
- hip level: how much higher the bent leg's hip is than the other, along
  gravity (a level camera: MediaPipe's world y), in hip widths.  MediaPipe's
  hips carry a steady offset of their own (a level rendered pelvis reads
  -0.08), so the fault is the rise from where the hip rested when the hold
  settled.  Not along the trunk axis: a lifted sitting bone tilts the trunk
  with the pelvis, and the hip line stays square to it.  From the side the
  hip line runs along the lens axis: a 15 deg lift reads 0.04 and untwisting
  moves it more (0.09), so there hip_lifted is not judged.
The working side is where the bent leg's hip lies, from the face direction.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from posecheck.events import Cue, Event
from posecheck.geometry import UP, cross3, joint_angle, unit
from posecheck.pose import Landmark as L
from posecheck.pose import Pose
from posecheck.posture import leg_chains, person_left, points3d, side_of, trunk
from posecheck.rules import RuleState
from posecheck.views import ViewSpec

from ._holds import HoldRule, Hysteresis, Verdict

# --- thresholds, each with its reason ----------------------------------------
HOLD_TARGET_S = 30.0  # docs/exercises.md: hold >= 30 s
HOLDS_PER_SIDE = 1  # the routine: 30 s per side
STRAIGHT_KNEE_DEG = 150.0  # spec: straight leg knee > 150 deg (the larger of 3-D and picture: tuning half's holds
#                             read p5 139, p10 156; the 3-D angle alone p10 143, p25 152)
BENT_KNEE_DEG = 130.0  # spec starts at < 100 deg; MediaPipe reads a rendered twist (foot by the knee) at 94-100,
# a real floor twist filmed from the side at 94-122 through its hold: the foot beside the straight knee (FOOT_NEAR_KNEE)
# tells the crossed leg, this line only that it is bent, not straight (> 150)
KNEE_HYSTERESIS_DEG = 5.0  # a leg already judged straight/bent keeps it within 5 deg of the line
FOOT_NEAR_KNEE = 0.75  # the bent foot by the straight knee, thigh lengths (ankle and knee landmarks sit ~10-20 cm
#                        apart with the foot flat beside the knee): the tuning half's holds read p50 0.23, p90 0.69,
#                        p95 0.73; frames out of the hold p50 0.76 (the legs straight: the bent-knee check decides)
ELBOW_NEAR_KNEE = 0.8  # elbow to bent knee, thigh lengths: the tuning half's holds read p75 0.75, p90 0.84 from the
#                        front (3-D), p95 0.42 from the side (the smaller of 3-D and picture); out of the hold p50 1.23
#                        and 1.58; a real photo 0.53.  Not looser: a synthetic arm behind the body, hand on the floor,
#                        reads 0.87 from the front (its knee drawn up near the trunk)
ELBOW_OUTSIDE_MIN = -0.3  # elbow's offset to the knee's outer side, thigh lengths: front views' holds read p5 -0.32,
#                           p10 -0.19 (jitter, the elbow pressing from the front of the knee).  From the side the
#                           offset runs along the lens axis (holds p50 -0.37): there only the distance is judged
ROTATION_FAULT_DEG = 10.0  # spec starts at 20 deg, but MediaPipe under-reads the turn: a rendered 38-48 deg twist
ROTATION_CLEAR_DEG = 13.0  # reads 15-17, a real full twist (photo) 40, sitting straight -5..+5; hysteresis
HIP_LIFT_FAULT = 0.07  # spec: hip height difference < 0.15 hip width; MediaPipe reads under half of it (a rendered
HIP_LIFT_CLEAR = 0.05  # 15 deg lift, 0.26 hip widths, rises 0.12), so 0.15 is ~0.07 here; hysteresis
HIP_BASELINE_S = 1.0  # the hip level the hold settled in: median of its first second

VISIBILITY = {
    "Move back: hips not visible": (L.LEFT_HIP, L.RIGHT_HIP),
    "Move back: shoulders not visible": (L.LEFT_SHOULDER, L.RIGHT_SHOULDER),
    "Move back: knees not visible": (L.LEFT_KNEE, L.RIGHT_KNEE),
    "Move back: feet not visible": (L.LEFT_ANKLE, L.RIGHT_ANKLE),
}
CUES = {
    "no_rotation": "Turn your chest toward your knee",
    "hip_lifted": "Drop your hip to the floor",
}
SETUP = {
    "seated": "Sit on the floor, legs out",
    "legs": "Cross one foot over your knee",
    "foot": "Foot beside your straight knee",
    "elbow": "Elbow outside your bent knee",
}
CLINICIAN = "Spine concerns? Ask a clinician first"


@dataclass(frozen=True)
class Frame:
    """The per-frame measures of one seated-twist pose."""

    side: str  # the person's own side of the bent leg
    straight_knee: float
    bent_knee: float
    foot_gap: float  # bent ankle to straight knee, thigh lengths
    elbow_gap: float  # opposite elbow to bent knee, thigh lengths
    elbow_out: float  # elbow offset to the bent knee's outer side, thigh lengths
    elbow: int  # landmark index of the opposite elbow
    rotation: float  # degrees, + toward the bent knee
    hip_lift: float  # bent leg's hip above the other along gravity, hip widths
    bent_chain: tuple[int, int, int, int]
    elbow_picture: float = float("nan")  # the same distance in the picture, in the longer thigh's picture length


def measure(pose: Pose) -> Frame:
    """All seated-twist measures of one pose (no state)."""
    p = points3d(pose)
    chains = leg_chains(pose)
    knees = {k: joint_angle(p[c[0]], p[c[1]], p[c[2]]) for k, c in chains.items()}
    bent_key = "left" if knees["left"] < knees["right"] else "right"
    bent, straight = chains[bent_key], chains["right" if bent_key == "left" else "left"]
    left = person_left(pose)
    side = side_of(pose, p[bent[0]], left)
    thigh = float(np.linalg.norm(p[straight[1]] - p[straight[0]]))
    thigh = thigh if thigh > 1e-6 else float("nan")
    q = pose.pixels_iso
    picture_thigh = max(float(np.linalg.norm(q[c[1]] - q[c[0]])) for c in chains.values())
    picture_thigh = picture_thigh if picture_thigh > 1e-6 else float("nan")
    foot_gap = min(
        float(np.linalg.norm(p[bent[2]] - p[straight[1]])) / thigh,
        float(np.linalg.norm(q[bent[2]] - q[straight[1]])) / picture_thigh,
    )
    # the elbow on the straight leg's side (by position, not by label)
    elbow = L.LEFT_ELBOW if side_of(pose, p[L.LEFT_SHOULDER], left) != side else L.RIGHT_ELBOW
    outward = left if side == "left" else -left
    offset = p[elbow] - p[bent[1]]
    elbow_gap = float(np.linalg.norm(offset)) / thigh
    elbow_picture = float(np.linalg.norm(q[elbow] - q[bent[1]])) / picture_thigh
    elbow_out = float(np.dot(offset, outward)) / thigh
    tr = trunk(pose)
    hip_line = p[L.LEFT_HIP] - p[L.RIGHT_HIP]
    shoulder_line = p[L.LEFT_SHOULDER] - p[L.RIGHT_SHOULDER]
    hip_line = hip_line if np.dot(hip_line, left) >= 0 else -hip_line  # both lines point to the person's left
    shoulder_line = shoulder_line if np.dot(shoulder_line, left) >= 0 else -shoulder_line
    h = unit(hip_line - np.dot(hip_line, tr.axis) * tr.axis)
    s = unit(shoulder_line - np.dot(shoulder_line, tr.axis) * tr.axis)
    toward_left = float(np.degrees(np.arctan2(np.dot(cross3(h, s), tr.axis), np.dot(h, s))))
    rotation = toward_left if side == "left" else -toward_left
    width = float(np.linalg.norm(hip_line))
    bent_up = hip_line if side == "left" else -hip_line  # toward the bent leg's hip
    hip_lift = float(np.dot(bent_up, UP)) / width if width > 1e-6 else float("nan")
    picture_straight = joint_angle(q[straight[0]], q[straight[1]], q[straight[2]])  # straight in every projection
    straight_knee = max(knees["right" if bent_key == "left" else "left"], picture_straight)
    return Frame(
        side, straight_knee, knees[bent_key], foot_gap, elbow_gap, elbow_out, elbow, rotation, hip_lift, bent,
        elbow_picture,
    )  # fmt: skip


class SeatedTwist(HoldRule):
    name = "seated-twist"
    title = "Seated spinal twist"
    kind = "hold"
    description = "Sit, one leg straight, cross the other foot beside its knee, elbow outside the knee, turn; hold 30 s"
    # shoulders, hips and the bent knee show from the front and the side (both judged on the samples)
    views = ViewSpec(("front-side",), ("front", "side"), "Place the camera in front of you, a little to the side")
    camera_advice = "In front of you, a little to the bent knee's side, at hip height"
    posture = "seated"
    visibility = VISIBILITY
    posture_cue = SETUP["seated"]
    fault_cues = CUES

    def __init__(self, target_s: float = HOLD_TARGET_S, holds_per_side: int = HOLDS_PER_SIDE) -> None:
        super().__init__(target_s, holds_per_side)
        self.rotation = Hysteresis(ROTATION_FAULT_DEG, ROTATION_CLEAR_DEG, above=False)
        self.hip = Hysteresis(HIP_LIFT_FAULT, HIP_LIFT_CLEAR)
        self.straight = Hysteresis(STRAIGHT_KNEE_DEG, STRAIGHT_KNEE_DEG - KNEE_HYSTERESIS_DEG, above=True)
        self.bent = Hysteresis(BENT_KNEE_DEG, BENT_KNEE_DEG + KNEE_HYSTERESIS_DEG, above=False)
        self._last: Frame | None = None
        self._elbow_seen = 0
        self._elbow_unseen = 0
        self._hip_rest: list[float] = []  # the bent hip's level in the first second of the settled hold
        self._hip_compared = False  # a rise was ever measured (not in a photo or a hold that never settled)

    def _start(self, t: float) -> list[Event]:
        if self.started:
            return []
        return [*super()._start(t), Cue(t, CLINICIAN, None, "info")]

    def judge(self, pose: Pose, t: float) -> Verdict:
        frame = measure(pose)
        self._last = frame
        setup = self._setup_problem(pose, frame)
        # both legs straight: the hold was let go (an elbow off the knee, or a knee misread for a moment, was not)
        released = frame.bent_knee > STRAIGHT_KNEE_DEG
        faults = set()
        if self.hip.update(self._hip_rise(t, frame.hip_lift)) and self.hip_judged:
            faults.add("hip_lifted")
        # the rotation is read against the hip line: with a hip lifted that line is tilted, not turned
        if self.rotation.update(frame.rotation) and "hip_lifted" not in faults:
            faults.add("no_rotation")
        return Verdict(frame.side, faults, setup, released=released)

    def _hip_rise(self, t: float, level: float) -> float:
        """The bent hip's rise above its level when the hold settled (NaN until that is known)."""
        clock = self.coach.timer
        if not (clock.running and clock.settled):
            self._hip_rest = []
            self.hip.reset()
            return float("nan")
        if t - clock.start_t < HIP_BASELINE_S:
            if np.isfinite(level):
                self._hip_rest.append(level)
            return float("nan")
        if not self._hip_rest:
            return float("nan")
        self._hip_compared = True
        return level - float(np.median(self._hip_rest))

    @property
    def hip_judged(self) -> bool:
        """Hip height needs the hip line across the picture; from the side it is a depth guess."""
        return self.view != "side"

    def _setup_problem(self, pose: Pose, frame: Frame) -> str | None:
        straight = self.straight.update(frame.straight_knee)
        bent = self.bent.update(frame.bent_knee)
        if not (straight and bent):
            return SETUP["legs"]
        if not frame.foot_gap < FOOT_NEAR_KNEE:
            return SETUP["foot"]
        if pose.visibility[frame.elbow] < 0.5:
            self._elbow_unseen += 1
            return None
        self._elbow_seen += 1
        side_view = self.view == "side"  # across the body runs along the lens axis: a depth guess
        gap = min(frame.elbow_gap, frame.elbow_picture) if side_view else frame.elbow_gap
        if not (gap < ELBOW_NEAR_KNEE and (frame.elbow_out > ELBOW_OUTSIDE_MIN or side_view)):
            return SETUP["elbow"]
        return None

    def _angle(self, state: RuleState) -> None:
        if self._last is not None:
            state.angle_deg = self._last.rotation
            hip, knee, ankle, _ = self._last.bent_chain
            state.angle_at = (hip, knee, ankle)

    def report_extras(self) -> dict[str, object]:
        elbow_judged = self._elbow_seen >= self._elbow_unseen
        extras: dict[str, object] = {
            "view": self.view,
            "faults_judged": {"no_rotation": True, "hip_lifted": self.hip_judged and self._hip_compared},
            "checks_judged": {"legs": True, "elbow_at_knee": elbow_judged},
            "holds_per_side": dict(self.coach.counts),
        }
        not_judged: dict[str, str] = {}
        if not elbow_judged:
            not_judged["elbow_at_knee"] = "the elbow is hidden in this view"
        if not self.hip_judged:
            not_judged["hip_lifted"] = "side view: hip height is a depth guess; film from the front, to the side"
        elif not self._hip_compared:
            not_judged["hip_lifted"] = "no settled hold: a lifted hip is its rise from where the hold settled"
        if not_judged:
            extras["not_judged"] = not_judged
        if self.view == "side":
            extras["low_confidence"] = {"no_rotation": "side view: shoulder turn partly from depth estimates"}
        return extras


__all__ = ["SeatedTwist", "measure"]
