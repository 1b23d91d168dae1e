"""Auto: recognise which of the four exercises is being done, then coach it.

Per frame the posture classifier (posecheck.posture.classify_posture) says
supine / side-lying / seated / standing / unknown; then
- side-lying with the top leg straight -> leg-lift (side: the side facing the
  ceiling); with the top knee bent (a clamshell) -> none;
- seated (on the floor) -> seated-twist (side: the bent leg's);
- supine with an ankle resting on the other thigh and the legs up toward the
  chest -> figure-four (side: the crossed leg's, from geometry);
- supine with both knees bent and both feet down -> ball-squeeze;
- anything else (standing, squats, jumping jacks, legs straight) -> none.
A candidate is taken once it held ~1.5 s (80 % of the frames of the last
1.5 s agree); that rule is given those 1.5 s of frames, then every frame.  A
different exercise seen long enough replaces it (a routine): 5 s for another
posture, 3 s from the ball squeeze to the figure-four (both start in crook
lying; a crossed ankle is distinctive), 20 s from the figure-four to the ball
squeeze (rests between holds look like the ball squeeze).
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import replace

from posecheck.events import Cue, Event, HoldEvent, RepEvent, Say, SetEvent, SideEvent
from posecheck.pose import Landmark as L
from posecheck.pose import Pose
from posecheck.posture import classify_posture, side_up
from posecheck.rules import SAFETY_LINE, ExerciseRule, RuleState

from . import ball_squeeze, figure_four, leg_lift, seated_twist
from .ball_squeeze import BallSqueeze
from .figure_four import FigureFour
from .leg_lift import LegLift
from .seated_twist import SeatedTwist

# --- thresholds, each with its reason ----------------------------------------
CONFIRM_S = 1.5  # brief: delegate once the same exercise was seen ~1.5 s
AGREE = 0.8  # ... in at least 80 % of the frames of that window (jitter flips a frame or two)
SWITCH_OTHER_POSTURE_S = 5.0  # a new posture held 5 s is a new exercise
SWITCH_TO_CROSSED_S = 3.0  # ball-squeeze -> figure-four (or another posture) once seen 3 s
SWITCH_SAME_POSTURE_S = 20.0  # figure-four <-> ball-squeeze: both supine; rests between holds last < 20 s
CROSSED_ANKLE_MAX = 0.5  # a crossed ankle within 0.5 thigh lengths of the other thigh (the rule's
#                          own limit is 0.36-0.45; between the two the rule judges it off the thigh)
VISIBLE = (L.LEFT_HIP, L.RIGHT_HIP, L.LEFT_SHOULDER, L.RIGHT_SHOULDER)

RULES: dict[str, type[ExerciseRule]] = {
    cls.name: cls for cls in (FigureFour, SeatedTwist, BallSqueeze, LegLift)
}  # fmt: skip
POSTURE_OF = {"figure-four": "supine", "ball-squeeze": "supine", "seated-twist": "seated", "leg-lift": "side-lying"}


def recognise(pose: Pose) -> tuple[str | None, str | None, str]:
    """(exercise or None, side or None, posture) for one pose."""
    posture = classify_posture(pose).posture
    if posture == "unknown" and leg_lift.side_lying(pose):
        posture = "side-lying"  # hips stacked: a raised camera at the feet tilts the trunk past 40 deg
    if posture == "side-lying":
        if not leg_lift.top_knee_straight(pose):
            return None, None, posture  # a clamshell or a quad stretch: side-lying, but not a leg lift
        return "leg-lift", side_up(pose), posture
    if posture == "seated":
        return "seated-twist", seated_twist.measure(pose).side, posture
    if posture != "supine":
        return None, None, posture
    crossed = figure_four.measure(pose)
    on_thigh = figure_four.ANKLE_ALONG_MIN <= crossed.ankle_along <= figure_four.ANKLE_ALONG_MAX
    # legs up toward the chest too: lying with the knees bent and the feet down, one leg hides the other
    # from a side camera and an ankle can read as resting on the far thigh (a real pelvic tilt did)
    legs_up = crossed.hip_flex >= figure_four.HIP_FLEX_MIN_DEG
    if on_thigh and crossed.ankle_gap < CROSSED_ANKLE_MAX and legs_up:
        return "figure-four", crossed.side, posture
    if BallSqueeze._crook(ball_squeeze.measure(pose)):
        return "ball-squeeze", "both", posture
    return None, None, posture


class Auto(ExerciseRule):
    name = "auto"
    title = "Auto-detect"
    kind = "reps"
    description = "Recognises figure-four, seated twist, ball squeeze or leg lifts and coaches it"
    camera_advice = "Where the whole body shows; at the feet for the lying exercises"

    def __init__(self) -> None:
        super().__init__()
        self.rule: ExerciseRule | None = None
        self.chosen: str | None = None
        self.side: str | None = None
        self.history: list[dict[str, object]] = []
        self.postures: Counter[str] = Counter()
        self.candidates: Counter[str | None] = Counter()
        self._sides: dict[str, Counter[str | None]] = {name: Counter() for name in RULES}
        self._window: deque[tuple[float, str | None, str | None, str]] = deque()
        self._poses: deque[tuple[float, Pose | None]] = deque()
        self._decided_from = 0.0
        self._state = RuleState(self.name, self.title, self.kind, status="Recognising the exercise")

    def update(self, pose: Pose | None, t: float) -> list[Event]:
        events = self._start(t)
        if pose is not None and pose.visible(VISIBLE):
            exercise, side, posture = recognise(pose)
        else:  # an unseen frame is a vote for nothing: a few seen frames among title cards do not decide
            exercise, side, posture = None, None, "unseen"
        self.postures[posture] += 1
        self.candidates[exercise] += 1
        self._window.append((t, exercise, side, posture))
        if exercise is not None:
            self._sides[exercise][side] += 1
        window_s = SWITCH_SAME_POSTURE_S if self.rule is not None else CONFIRM_S
        while self._window and t - self._window[0][0] > window_s:
            self._window.popleft()
        self._poses.append((t, pose))
        while t - self._poses[0][0] > SWITCH_OTHER_POSTURE_S:
            self._poses.popleft()
        chosen = self.rule
        events += self._decide(t)
        if self.rule is None:
            return events
        # a new rule is given the frames that chose it, so it can start (calibrate) from there
        since = self._decided_from
        replay = [(t_i, p) for t_i, p in self._poses if t_i >= since] if self.rule is not chosen else [(t, pose)]
        for t_i, pose_i in replay:
            events += self._tagged(
                e for e in self.rule.update(pose_i, t_i) if not (isinstance(e, Cue) and e.text == SAFETY_LINE)
            )
        return events

    def _tagged(self, events: Iterable[Event]) -> list[Event]:
        """The coached rule's events, reps and holds named with their exercise and tallied on its segment."""
        out: list[Event] = []
        segment = self.history[-1] if self.history else None
        for event in events:
            if isinstance(event, RepEvent):
                event = replace(event, rep=replace(event.rep, exercise=self.chosen))
            elif isinstance(event, HoldEvent):
                event = replace(event, hold=replace(event.hold, exercise=self.chosen))
            if segment is not None and isinstance(event, RepEvent | HoldEvent | SetEvent):
                key = {RepEvent: "reps", HoldEvent: "holds", SetEvent: "sets"}[type(event)]
                segment[key] = int(segment.get(key, 0)) + 1  # type: ignore[call-overload]
            out.append(event)
        return out

    def _decide(self, t: float) -> list[Event]:
        """Take (or switch to) the exercise seen consistently over the needed time."""
        span = CONFIRM_S if self.rule is None else SWITCH_OTHER_POSTURE_S
        if self.chosen == "ball-squeeze":
            span = SWITCH_TO_CROSSED_S  # crook lying starts the figure-four too; a crossed ankle is distinctive
        recent = [w for w in self._window if t - w[0] <= span]
        if not recent or t - recent[0][0] < span - 0.2:
            return []
        votes = Counter(w[1] for w in recent)
        exercise, n = votes.most_common(1)[0]
        if exercise is None or exercise == self.chosen or n < AGREE * len(recent):
            return []
        if self.chosen is not None and POSTURE_OF[exercise] == POSTURE_OF[self.chosen] and exercise != "figure-four":
            long = [w for w in self._window if t - w[0] <= SWITCH_SAME_POSTURE_S]
            if t - long[0][0] < SWITCH_SAME_POSTURE_S - 0.2 or sum(w[1] == exercise for w in long) < AGREE * len(long):
                return []
        self._decided_from = recent[0][0]
        sides = Counter(w[2] for w in recent if w[1] == exercise)
        side = sides.most_common(1)[0][0]
        events: list[Event] = self._close_segment(t)
        self.rule, self.chosen, self.side = RULES[exercise](), exercise, side
        self.history.append({"t_s": round(t, 2), "exercise": exercise, "side": side, "reps": 0, "holds": 0})
        events.append(Say(t, f"{self.rule.title}: let's go"))
        if side in ("left", "right") and exercise != "leg-lift":
            events.append(SideEvent(t, side))
        return events

    def _close_segment(self, t: float) -> list[Event]:
        """The coached exercise ends (another one starts, or the recording): its last events and its report."""
        if self.rule is None:
            return []
        events = self._tagged(self.rule.finish(t))
        self.history[-1]["end_s"] = round(t, 2)
        self.history[-1]["report"] = self.rule.report_extras()
        return events

    def finish(self, t: float) -> list[Event]:
        return self._close_segment(t)

    @property
    def state(self) -> RuleState:
        if self.rule is not None:
            return self.rule.state
        return self._state

    @property
    def coached(self) -> ExerciseRule | None:
        """The recognised exercise's rule (the camera check starts anew when it changes); None before."""
        return self.rule

    def provisional(self) -> tuple[str | None, str | None]:
        """For a photo or a clip too short to confirm: the exercise of >= 80 % of the frames, if any."""
        total = sum(self.candidates.values())
        if not total:
            return None, None
        exercise, n = self.candidates.most_common(1)[0]
        if exercise is None or n < AGREE * total:
            return None, None
        return exercise, self._sides[exercise].most_common(1)[0][0]

    def report_extras(self) -> dict[str, object]:
        extras: dict[str, object] = dict(self.rule.report_extras()) if self.rule is not None else {}
        exercise, side, confident = self.chosen, self.side, self.chosen is not None
        if exercise is None:
            exercise, side = self.provisional()
        done = [seg for seg in self.history if seg.get("reps") or seg.get("holds")]  # a passing moment counts nothing
        found = list(dict.fromkeys(str(segment["exercise"]) for segment in done or self.history))
        extras["exercise"] = (found[0] if len(found) == 1 else "routine") if found else (exercise or "none")
        extras["exercises"] = found  # in the order first seen: a whole routine recorded as one video names each
        extras["auto"] = {
            "chosen": exercise or "none",
            "side": side,
            "confident": confident,  # False: never held 1.5 s (a photo): recognised, not coached
            "segments": self.history,
            "postures": dict(self.postures),
            "reason": None if exercise else "none of the four exercises' positions was recognised",
        }
        return extras


__all__ = ["Auto", "recognise"]
