"""The guided routine: walks a RoutineSpec step by step, driving one exercise rule at a time.

A pure state machine - poses and times in, events out - testable without
video.  Per step:

    instruct -> wait_posture -> active -> rest -> (next set: wait_posture | next step: instruct) ... -> summary

- instruct: says what to do and where to put the camera, for about as long as that takes to say;
- wait_posture: feeds the rule until it reports the right position (no status message, and a
  side when the step has sides) for `posture_s` seconds - or a rep/hold is counted;
- active: feeds the rule and tallies reps/holds per side until every side meets the set target;
- rest: counts down, then the next set or step;
- summary: per exercise and side, done vs target and the most frequent fault.

Keys: "n" skips the current step (or the rest), "r" repeats it.  Lines the routine
itself says are Guide events (a Say that must not be dropped as stale).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from .events import Cue, Event, HoldEvent, RepEvent, Say
from .pose import Pose
from .registry import get_exercise
from .routines import RoutineSpec, StepSpec
from .rules import ExerciseRule, RuleState
from .voice.sink import number_word

Phase = Literal["instruct", "wait_posture", "active", "rest", "summary"]
RuleFactory = Callable[[str], ExerciseRule]

# espeak-ng at 165 words/min renders the default routine's instructions at 2.7-2.9 words/s
# (pauses included): 2.5 gives each step's instructions 3-5 s of slack before the rule is fed.
WORDS_PER_S = 2.5
LINE_PAUSE_S = 0.6
REMIND_AFTER_S = 25.0  # repeat the instruction when the right position has not come for this long
REST_WARNING_S = 10.0


@dataclass(frozen=True)
class Guide(Say):
    """A line the routine says (instruction, rest, summary): must be heard, never dropped."""


def speech_seconds(lines: list[str]) -> float:
    """About how long the lines take to say."""
    return sum(len(line.split()) / WORDS_PER_S + LINE_PAUSE_S for line in lines)


@dataclass
class StepResult:
    """Progress of one step: per tally key (side or "both"), done and faults."""

    step: StepSpec
    title: str
    kind: str = "reps"  # the rule's kind: "reps" or "hold"
    started: bool = False
    skipped: bool = False
    done: dict[str, int] = field(default_factory=dict)
    faults: dict[str, Counter[str]] = field(default_factory=dict)

    @property
    def target(self) -> int:
        return self.step.target * self.step.sets

    @property
    def complete(self) -> bool:
        return all(self.done.get(key, 0) >= self.target for key in self.step.tallies)

    def most_frequent_fault(self, key: str) -> str | None:
        faults = self.faults.get(key)
        return faults.most_common(1)[0][0] if faults else None

    def to_json(self) -> dict[str, object]:
        sides = {
            key: {
                "done": self.done.get(key, 0),
                "target": self.target,
                "most_frequent_fault": self.most_frequent_fault(key),
            }
            for key in self.step.tallies
        }
        return {
            "exercise": self.step.exercise, "title": self.title, "kind": self.kind,
            "started": self.started, "skipped": self.skipped, "complete": self.complete, "sides": sides,
        }  # fmt: skip

    def line(self) -> str:
        unit = "holds" if self.kind == "hold" else "reps"
        parts = []
        for key in self.step.tallies:
            fault = self.most_frequent_fault(key)
            parts.append(
                f"{key} {self.done.get(key, 0)}/{self.target} {unit}" + (f", most often: {fault}" if fault else "")
            )
        note = " (not started)" if not self.started else " (skipped)" if self.skipped else ""
        return f"{self.title}: " + "; ".join(parts) + note

    def spoken(self) -> str:
        if not self.started:
            return f"{self.title}: not done"
        of = [(key, number_word(self.done.get(key, 0)), number_word(self.target)) for key in self.step.tallies]
        return f"{self.title}: " + ", ".join(f"{k} {d} of {n}" if k != "both" else f"{d} of {n}" for k, d, n in of)


class Routine:
    """The state machine.  make_rule builds a fresh exercise rule by name (the registry by default)."""

    def __init__(self, spec: RoutineSpec, make_rule: RuleFactory = get_exercise) -> None:
        if not spec.steps:
            raise ValueError("a routine needs at least one step")
        self.spec = spec
        self.make_rule = make_rule
        self.phase: Phase = "instruct"
        self.index = 0
        self.set_index = 0
        self.results = [
            StepResult(step, step.title or step.exercise, "hold" if step.hold_s is not None else "reps")
            for step in spec.steps
        ]
        self.rule: ExerciseRule | None = None
        self._phase_t = 0.0
        self._phase_len = 0.0
        self._said_at = 0.0
        self._good_since: float | None = None
        self._set_done: dict[str, int] = {}
        self._told_other_side = False
        self._rest_warned = False
        self._after_rest: Phase = "instruct"
        self._started = False
        self._t = 0.0
        self.history: list[tuple[float, Phase]] = []  # every phase entered, with its time
        #: one more line for the summary from the results ("Three more reps than last time": last_time.py)
        self.summary_line: Callable[[list[StepResult]], str | None] | None = None

    # --- views ---------------------------------------------------------------
    @property
    def step(self) -> StepSpec:
        return self.spec.steps[self.index]

    @property
    def result(self) -> StepResult:
        return self.results[self.index]

    @property
    def done(self) -> bool:
        return self.phase == "summary"

    @property
    def state(self) -> RuleState:
        """What the overlay shows: the current rule's state with the routine's progress."""
        if self.done:
            return RuleState("routine", self.spec.name, "reps", status="Routine done")
        step = self.step
        base = self.rule.state if self.rule is not None and self.phase in ("wait_posture", "active") else None
        s = dataclasses.replace(base) if base is not None else RuleState(step.exercise, self.result.title, "reps")
        s.title = f"{self.index + 1}/{len(self.spec.steps)} {self.result.title}"
        s.target = step.target
        s.sets = self.set_index + 1
        key = s.side if step.sides else "both"
        s.count = self._set_done.get(key or "", 0)
        s.per_side = dict(self._set_done)
        if self.phase == "instruct":
            s.status = f"Next: {self.result.title}"
        elif self.phase == "wait_posture":
            s.status = s.status or "Get into position"
        elif self.phase == "rest":
            left = max(0.0, self._phase_t + self._phase_len - self._t)
            s.status = f"Rest {left:.0f} s, then: {self._coming()}"
        return s

    def _coming(self) -> str:
        if self._after_rest == "wait_posture":
            return f"set {self.set_index + 1}"
        following = self.index + 1
        return self.results[following].title if following < len(self.results) else "the summary"

    # --- input -----------------------------------------------------------------
    def update(self, pose: Pose | None, t: float) -> list[Event]:
        self._t = t
        if not self._started:
            self._started = True
            n = len(self.spec.steps)
            intro = f"{self.spec.name}: {number_word(n)} exercise{'s' if n > 1 else ''}. Stop if anything hurts."
            events: list[Event] = [Guide(t, intro), *self._enter_step(t, 0)]
            self._phase_len += speech_seconds([intro])
            return events
        if self.phase == "instruct":
            return self._enter(t, "wait_posture") if t - self._phase_t >= self._phase_len else []
        if self.phase in ("wait_posture", "active"):
            return self._feed(pose, t)
        if self.phase == "rest":
            return self._rest(t)
        return []

    def key(self, key: str, t: float) -> list[Event]:
        """n: skip the current step (or the rest); r: repeat the current step."""
        if self.done or not self._started:
            return []
        if key == "n":
            if self.phase == "rest":
                return self._after_rest_events(t)
            events = self._close_rule(t)
            self.result.skipped = True
            return [*events, Guide(t, "Skipped"), *self._next_step(t)]
        if key == "r":
            events = self._close_rule(t)
            return [*events, Guide(t, "Again"), *self._enter_step(t, self.index)]
        return []

    def finish(self, t: float) -> list[Event]:
        """The session ended: close the rule and make the summary."""
        if self.done or not self._started:
            return []
        events = self._close_rule(t)
        self.result.skipped = self.result.skipped or not self.result.complete
        return events + self._summary(t)

    def summary(self) -> list[StepResult]:
        return list(self.results)

    # --- phases -------------------------------------------------------------------
    def _enter(self, t: float, phase: Phase, length: float = 0.0) -> list[Event]:
        self.phase, self._phase_t, self._phase_len = phase, t, length
        self.history.append((t, phase))
        if phase == "wait_posture":
            self._good_since = None
            self._said_at = t
        return []

    def _enter_step(self, t: float, index: int) -> list[Event]:
        self.index, self.set_index = index, 0
        self.rule = self.make_rule(self.spec.steps[index].exercise)
        step = self.step
        if step.hold_s is not None:
            self.rule.set_hold_target(step.hold_s)
        title = step.title or self.rule.title
        self.results[index] = StepResult(step, title, self.rule.kind, started=True)
        self._set_done = {}
        self._told_other_side = False
        lines = [f"Next: {title}.", step.camera or self.rule.camera_advice, step.instruction]
        lines = [line for line in lines if line]
        self._enter(t, "instruct", speech_seconds(lines))
        return [Guide(t, line) for line in lines]

    def _next_step(self, t: float) -> list[Event]:
        if self.index + 1 < len(self.spec.steps):
            return self._enter_step(t, self.index + 1)
        return self._summary(t)

    def _feed(self, pose: Pose | None, t: float) -> list[Event]:
        assert self.rule is not None
        events = self._tally(self.rule.update(pose, t))
        if self.phase == "wait_posture":
            events += self._check_posture(pose, t)
        if self.phase == "active" and self._set_complete():
            events += self._close_set(t)
        return events

    def _check_posture(self, pose: Pose | None, t: float) -> list[Event]:
        assert self.rule is not None
        state = self.rule.state
        good = pose is not None and state.status is None and (state.side is not None or not self.step.sides)
        counted = any(self._set_done.values())
        if not good and not counted:
            self._good_since = None
            if t - self._said_at >= REMIND_AFTER_S:
                self._said_at = t
                return [Guide(t, self.step.instruction or f"Get into position for {self.result.title}")]
            return []
        if self._good_since is None:
            self._good_since = t
        if counted or t - self._good_since >= self.spec.posture_s:
            self._enter(t, "active")
            return [Guide(t, "Good. Hold it" if self.result.kind == "hold" else "Good. Begin")]
        return []

    def _tally(self, events: list[Event]) -> list[Event]:
        """Counts reps/holds toward the step; rep counts are renumbered within the set."""
        out: list[Event] = []
        step, result = self.step, self.result
        side_now = self.rule.state.side if self.rule is not None else None
        for event in events:
            if isinstance(event, RepEvent | HoldEvent):
                record = event.rep if isinstance(event, RepEvent) else event.hold
                key = record.side if step.sides else "both"
                result.faults.setdefault(key, Counter()).update(record.faults)
                if isinstance(event, HoldEvent) and not self._hold_counts(event):
                    out.append(event)
                    continue
                self._set_done[key] = self._set_done.get(key, 0) + 1
                result.done[key] = result.done.get(key, 0) + 1
                event = dataclasses.replace(event, count=self._set_done[key])
                out.append(event)
                out += self._other_side(event.t, key)
                continue
            elif isinstance(event, Cue) and event.kind == "form" and event.fault:
                key = (side_now or "both") if step.sides else "both"
                result.faults.setdefault(key, Counter())[event.fault] += 1
            out.append(event)
        return out

    def _other_side(self, t: float, key: str) -> list[Event]:
        """Once per set: the first side is done, say which side is next."""
        step = self.step
        if self._told_other_side or key not in step.sides or self._set_done[key] != step.target:
            return []
        others = [s for s in step.sides if s != key and self._set_done.get(s, 0) < step.target]
        if not others:
            return []
        self._told_other_side = True
        line = f"Now the {others[0]} side"
        return [Guide(t, self.rule.switching(line) if self.rule is not None else line)]

    def _hold_counts(self, event: HoldEvent) -> bool:
        wanted = self.step.hold_s
        return event.hold.complete or (wanted is not None and event.hold.valid_s >= wanted)

    def _set_complete(self) -> bool:
        return all(self._set_done.get(key, 0) >= self.step.target for key in self.step.tallies)

    def _close_set(self, t: float) -> list[Event]:
        self.set_index += 1
        last_set = self.set_index >= self.step.sets
        events = [] if not last_set else self._close_rule(t)
        if last_set and self.index + 1 >= len(self.spec.steps):
            return [*events, Guide(t, "Well done"), *self._summary(t)]
        self._after_rest = "instruct" if last_set else "wait_posture"
        what = "Well done" if last_set else f"Set {number_word(self.set_index)} done"
        return [*events, *self._start_rest(t, what)]

    def _start_rest(self, t: float, what: str) -> list[Event]:
        self._rest_warned = False
        self._enter(t, "rest", self.step.rest_s)
        if self.step.rest_s <= 0:
            return [Guide(t, what), *self._after_rest_events(t)]
        return [Guide(t, f"{what}. Rest {number_word(round(self.step.rest_s))} seconds")]

    def _rest(self, t: float) -> list[Event]:
        left = self._phase_t + self._phase_len - t
        if left <= 0:
            return self._after_rest_events(t)
        if not self._rest_warned and self._phase_len > REST_WARNING_S + 5 and left <= REST_WARNING_S:
            self._rest_warned = True
            return [Guide(t, "Ten seconds")]
        return []

    def _after_rest_events(self, t: float) -> list[Event]:
        if self._after_rest == "instruct":
            return self._next_step(t)
        self._set_done = {}
        self._told_other_side = False
        self._enter(t, "wait_posture")
        return [Guide(t, f"Set {number_word(self.set_index + 1)}. Get ready")]

    def _close_rule(self, t: float) -> list[Event]:
        if self.rule is None or self.phase not in ("wait_posture", "active"):
            return []
        return self._tally(self.rule.finish(t))

    def _summary(self, t: float) -> list[Event]:
        self._enter(t, "summary")
        self.rule = None
        extra = self.summary_line(self.results) if self.summary_line is not None else None
        return [
            Guide(t, "Routine done"),
            *(Guide(t, r.spoken()) for r in self.results),
            *([Guide(t, extra)] if extra else []),
        ]


__all__ = ["Guide", "Routine", "StepResult", "speech_seconds"]
