"""The guided routine driven by scripted fake rules: states, tallies, keys, spoken lines."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

from posecheck.errors import ConfigError
from posecheck.events import Event, HoldEvent, HoldRecord, RepEvent, RepRecord
from posecheck.live import LiveOptions, LiveView
from posecheck.registry import get_exercise
from posecheck.routine import Guide, Routine
from posecheck.routine_cli import RoutineSpeaker, available_steps, describe, routine_keys
from posecheck.routines import RoutineSpec, StepSpec, load_routine, parse_routine
from posecheck.rules import ExerciseRule, RuleState
from posecheck.voice import NullEngine, Voice, VoiceSink

FPS = 10


@dataclass(frozen=True)
class See:
    """What a fake rule "sees" in one frame (passed where a Pose would go)."""

    side: str | None = "left"
    status: str | None = None
    rep: bool = False
    hold_s: float | None = None  # a hold of this length ends this frame
    fault: str | None = None


class FakeRule(ExerciseRule):
    name = "fake-reps"
    title = "Fake reps"
    kind = "reps"
    description = "scripted"
    camera_advice = "Camera anywhere"
    made: list[FakeRule] = []  # noqa: RUF012 - every instance, for the tests

    def __init__(self) -> None:
        super().__init__()
        self.side: str | None = None
        self.status: str | None = "No one in view"
        self.counts: dict[str, int] = {}
        self.finished = False
        FakeRule.made.append(self)

    def update(self, pose: object, t: float) -> list[Event]:
        events = self._start(t)
        if not isinstance(pose, See):
            self.status = "No one in view"
            return events
        self.status, self.side = pose.status, pose.side
        if pose.status:
            return events + self.cue(t, pose.status, "not_visible", "setup")
        side = pose.side or "both"
        faults = (pose.fault,) if pose.fault else ()
        if pose.fault:
            events += self.cue(t, "Fix it", pose.fault)
        if pose.rep:
            self.counts[side] = self.counts.get(side, 0) + 1
            events.append(RepEvent(t, RepRecord(side, t - 2, t - 1, t, 40.0, 1.5, faults), self.counts[side]))
        if pose.hold_s is not None:
            complete = pose.hold_s >= 30.0
            self.counts[side] = self.counts.get(side, 0) + int(complete)
            record = HoldRecord(side, t - pose.hold_s, t, pose.hold_s, faults, complete)
            events.append(HoldEvent(t, record, self.counts[side]))
        return events

    def finish(self, t: float) -> list[Event]:
        self.finished = True
        return []

    @property
    def state(self) -> RuleState:
        return RuleState(self.name, self.title, self.kind, side=self.side, status=self.status)


class FakeHold(FakeRule):
    name = "fake-hold"
    title = "Fake hold"
    kind = "hold"


RULES = {"fake-reps": FakeRule, "fake-hold": FakeHold}


def make_rule(name: str) -> ExerciseRule:
    return RULES[name]()


def hold_step(**kw: object) -> StepSpec:
    values: dict[str, object] = {"exercise": "fake-hold", "target": 2, "hold_s": 30.0, "rest_s": 5.0,
                                 "camera": "Camera at your side.", "instruction": "Lie down and hold."}  # fmt: skip
    return StepSpec(**{**values, **kw})  # type: ignore[arg-type]


def reps_step(**kw: object) -> StepSpec:
    values: dict[str, object] = {"exercise": "fake-reps", "target": 3, "sides": (), "sets": 2, "rest_s": 5.0,
                                 "camera": "", "instruction": "Squeeze."}  # fmt: skip
    return StepSpec(**{**values, **kw})  # type: ignore[arg-type]


class Driver:
    """Feeds a routine frame by frame at FPS and records phases and guide lines."""

    def __init__(self, *steps: StepSpec, posture_s: float = 1.5) -> None:
        self.routine = Routine(RoutineSpec("Test routine", steps, posture_s), make_rule)
        self.t = 0.0
        self.phases: list[str] = []
        self.events: list[Event] = []

    def frames(self, seconds: float, see: See | None = See()) -> None:
        for _ in range(round(seconds * FPS)):
            self.frame(see)

    def frame(self, see: See | None = See()) -> None:
        self._take(self.routine.update(see, self.t))  # type: ignore[arg-type]
        self.t += 1 / FPS

    def key(self, key: str) -> None:
        self._take(self.routine.key(key, self.t))

    def until(self, phase: str, see: See | None = See(), limit_s: float = 120.0) -> None:
        start = self.t
        while self.routine.phase != phase:
            assert self.t - start < limit_s, f"stuck in {self.routine.phase}, wanted {phase}"
            self.frame(see)

    def _take(self, events: Iterable[Event]) -> None:
        self.events += events
        if not self.phases or self.phases[-1] != self.routine.phase:
            self.phases.append(self.routine.phase)

    @property
    def said(self) -> list[str]:
        return [e.text for e in self.events if isinstance(e, Guide)]


def test_full_routine_states_and_lines() -> None:
    d = Driver(hold_step(), reps_step())
    d.until("active")
    for side in ("left", "right"):
        for _ in range(2):
            d.frames(1.0, See(side))
            d.frame(See(side, hold_s=30.0))
    assert d.routine.phase == "rest"
    d.until("active", See(None))  # reps step: no sides, so no side is needed
    for _ in range(3):
        d.frames(1.0, See(None))
        d.frame(See(None, rep=True))
    d.until("active", See(None))
    for _ in range(3):
        d.frames(1.0, See(None))
        d.frame(See(None, rep=True))
    assert d.phases == ["instruct", "wait_posture", "active", "rest", "instruct", "wait_posture", "active",
                        "rest", "wait_posture", "active", "summary"]  # fmt: skip
    assert d.said == [
        "Test routine: two exercises. Stop if anything hurts.",
        "Next: Fake hold.", "Camera at your side.", "Lie down and hold.",
        "Good. Hold it",
        "Now the right side",
        "Well done. Rest five seconds",
        "Next: Fake reps.", "Camera anywhere", "Squeeze.",
        "Good. Begin",
        "Set one done. Rest five seconds",
        "Set two. Get ready",
        "Good. Begin",
        "Well done",
        "Routine done",
        "Fake hold: left two of two, right two of two",
        "Fake reps: six of six",
    ]  # fmt: skip
    assert [r.complete for r in d.routine.results] == [True, True]
    assert all(rule.finished for rule in FakeRule.made[-2:])


def test_rep_counts_are_renumbered_within_each_set() -> None:
    d = Driver(reps_step(target=2, rest_s=0.0))
    d.until("active", See(None))
    for _ in range(4):
        d.frame(See(None, rep=True))
        d.frames(0.5, See(None))
        if d.routine.phase == "wait_posture":
            d.until("active", See(None))
    assert [e.count for e in d.events if isinstance(e, RepEvent)] == [1, 2, 1, 2]
    assert d.routine.results[0].done == {"both": 4}


@pytest.mark.parametrize(
    ("script", "active"),
    [
        ([(3.0, See(status="Move back: feet not visible"))], False),
        ([(3.0, See(side=None))], False),  # a sided step needs a side
        ([(3.0, None)], False),  # nobody
        ([(1.0, See()), (0.2, See(status="Lie on your back")), (1.0, See())], False),  # broken: starts again
        ([(1.7, See())], True),
    ],
)
def test_wait_posture_needs_the_right_position_for_posture_s(
    script: list[tuple[float, See | None]], active: bool
) -> None:
    d = Driver(hold_step())
    d.until("wait_posture")
    for seconds, see in script:
        d.frames(seconds, see)
    assert (d.routine.phase == "active") is active


def test_a_count_during_wait_posture_starts_the_step() -> None:
    d = Driver(reps_step())
    d.until("wait_posture")
    d.frame(See(None, rep=True))
    assert d.routine.phase == "active"
    assert d.routine.results[0].done == {"both": 1}


def test_instruction_is_repeated_while_waiting() -> None:
    d = Driver(hold_step())
    d.until("wait_posture")
    d.frames(30.0, See(status="Lie on your back"))
    assert d.said.count("Lie down and hold.") == 2


@pytest.mark.parametrize(("hold_s", "length", "counted"), [(30.0, 25.0, 0), (30.0, 30.0, 1), (20.0, 25.0, 1)])
def test_hold_counts_when_long_enough(hold_s: float, length: float, counted: int) -> None:
    d = Driver(hold_step(hold_s=hold_s))
    d.until("active")
    d.frame(See("left", hold_s=length))
    assert d.routine.results[0].done.get("left", 0) == counted


def test_skip_and_repeat_keys() -> None:
    d = Driver(hold_step(), reps_step())
    d.until("active")
    d.frame(See("left", hold_s=30.0))
    d.key("r")  # repeat: a fresh rule, progress reset
    assert d.routine.phase == "instruct" and d.routine.index == 0
    assert d.routine.results[0].done == {}
    first_rule = d.routine.rule
    d.key("n")  # skip the figure... the hold step
    assert d.routine.phase == "instruct" and d.routine.index == 1
    assert d.routine.rule is not first_rule
    assert d.routine.results[0].skipped
    d.until("active", See(None))
    for _ in range(3):
        d.frame(See(None, rep=True))
    assert d.routine.phase == "rest"
    d.key("n")  # skip the rest
    assert d.routine.phase == "wait_posture" and d.routine.set_index == 1
    d.key("n")
    assert d.routine.done
    assert "Skipped" in d.said and "Again" in d.said


def test_finish_midway_makes_a_summary_with_faults() -> None:
    d = Driver(hold_step(), reps_step())
    d.until("active")
    d.frame(See("left", hold_s=30.0, fault="knee_in"))
    d.frame(See("left", fault="knee_in"))
    d.frame(See("left", fault="too_deep"))
    d.frames(4.0)  # let the fake rule's cue limiter pass
    d._take(d.routine.finish(d.t))
    hold, reps = d.routine.results
    assert d.routine.done and hold.skipped and not reps.started
    assert hold.most_frequent_fault("left") == "knee_in"
    assert hold.line() == "Fake hold: left 1/2 holds, most often: knee_in; right 0/2 holds (skipped)"
    assert reps.line() == "fake-reps: both 0/6 reps (not started)"
    assert d.said[-1] == "fake-reps: not done"


def test_state_for_the_overlay() -> None:
    d = Driver(hold_step(), reps_step())
    d.frame()
    assert d.routine.state.title == "1/2 Fake hold"
    assert d.routine.state.status == "Next: Fake hold"
    d.until("active")
    d.frame(See("left", hold_s=30.0))
    s = d.routine.state
    assert (s.side, s.count, s.target, s.kind, s.status) == ("left", 1, 2, "hold", None)
    d.frame(See("right", hold_s=30.0))
    d.frame(See("right", hold_s=30.0))
    d.frame(See("left", hold_s=30.0))
    assert d.routine.phase == "rest"
    assert d.routine.state.status == "Rest 5 s, then: fake-reps"


# --- spoken through the voice, with a fake engine -----------------------------
def test_spoken_lines_through_the_voice() -> None:
    engine = NullEngine()
    now = [0.0]
    voice = Voice(engine, clock=lambda: now[0], start=False)
    d = Driver(reps_step(sets=1, target=2, rest_s=0.0))
    speaker = RoutineSpeaker(d.routine, VoiceSink(voice, announce_switch=False))
    view_events: list[Event] = []

    def frame(see: See | None) -> None:
        before = len(d.events)
        d.frame(see)
        view_events.extend(d.events[before:])
        speaker(d.t, d.events[before:], d.routine.state)
        now[0] += 1.0  # the engine takes a second per line
        voice.step()

    for _ in range(300):
        frame(See(None) if d.routine.phase != "instruct" else None)
        if d.routine.phase == "active":
            break
    frame(See(None, rep=True))
    frame(See(None, rep=True))
    while voice.step() is not None:
        now[0] += 1.0
    assert engine.said[:5] == ["Test routine: one exercise. Stop if anything hurts.", "Next: Fake reps.",
                               "Camera anywhere", "Squeeze.", "Stop if it hurts"]  # fmt: skip
    assert engine.said[5:] == ["Good. Begin", "One", "Two", "Well done", "Routine done", "Fake reps: two of two"]
    assert "Switch sides" not in engine.said


def test_session_setup_cues_are_quiet_during_rest() -> None:
    voice = Voice(NullEngine(), start=False)
    d = Driver(hold_step())
    speaker = RoutineSpeaker(d.routine, VoiceSink(voice))
    d.routine.phase = "rest"
    from posecheck.events import Cue

    speaker(0.0, [Cue(0.0, "No one in view: step into the picture", "not_visible", "setup")])
    assert len(voice.queue) == 0


def test_rule_announcements_give_way_to_the_routines_line() -> None:
    from posecheck.events import Say

    voice = Voice(NullEngine(), start=False)
    d = Driver(hold_step())
    speaker = RoutineSpeaker(d.routine, VoiceSink(voice))
    speaker(0.0, [Say(0.0, "Switch sides"), Guide(0.0, "Now the right side")])
    speaker(1.0, [Say(1.0, "Thirty seconds, well done")])
    assert [u.text for u in voice.queue.pending] == ["Now the right side", "Thirty seconds, well done"]


def test_live_view_keys_drive_the_routine_through_its_hook() -> None:
    voice = Voice(NullEngine(), start=False)
    d = Driver(hold_step(), reps_step())
    d.frame()
    speaker = RoutineSpeaker(d.routine, VoiceSink(voice))
    view = LiveView(LiveOptions(window=False), speaker, voice, routine_keys(d.routine, speaker))
    assert view.key(ord("n"), d.t)  # skip: the hook
    assert d.routine.index == 1 and "Skipped" in [u.text for u in voice.queue.pending]
    assert view.key(ord("r"), d.t) and d.routine.index == 1 and d.routine.phase == "instruct"
    assert view.key(ord("v"), d.t) and voice.mute  # the view's own keys still work
    assert view.key(ord("m"), d.t) and view.mirror
    assert view.key(ord("x"), d.t) and d.routine.index == 1  # not a routine key: nothing happens
    assert not view.key(ord("q"), d.t)


# --- the routine file ----------------------------------------------------------
def test_default_routine_is_the_articles_session() -> None:
    spec = load_routine()
    got = [(s.exercise, s.target, s.sides, s.sets, s.hold_s) for s in spec.steps]
    assert got == [
        ("figure-four", 3, ("left", "right"), 1, 30.0),
        ("seated-twist", 1, ("left", "right"), 1, 30.0),
        ("ball-squeeze", 10, (), 3, None),
        ("leg-lift", 10, ("left", "right"), 1, None),
    ]
    assert all(s.camera and s.instruction for s in spec.steps)
    for step in spec.steps:  # the routine says where the camera goes as the camera check will ask for it
        views = get_exercise(step.exercise).views
        assert views is not None
        place = views.instruction.removeprefix("Place the camera ")  # "at your feet, raised"
        assert all(part in step.camera for part in place.split(", ")), (step.camera, place)
    assert describe(spec)[1].startswith("  1. Figure-four stretch (figure-four): 3 holds of 30 s, per side")


GOOD = {"exercise": "leg-lift", "target": 10}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "default.toml.step must be a list of [[step]] tables"),
        ({"step": []}, "must be a list of [[step]] tables, at least one"),
        ({"step": [{"target": 3}]}, "default.toml.step[1].exercise must be a non-empty string, got None"),
        ({"step": [{**GOOD, "target": 0}]}, "step[1].target must be a whole number from 1 to 1000, got 0"),
        ({"step": [{**GOOD, "target": "ten"}]}, "step[1].target must be a whole number"),
        ({"step": [{**GOOD, "target": True}]}, "step[1].target must be a whole number"),
        ({"step": [GOOD, {**GOOD, "sides": ["left", "up"]}]}, "step[2].sides must be a list of distinct sides"),
        ({"step": [{**GOOD, "rest_s": -1}]}, "step[1].rest_s must be a number of seconds from 0 to 600"),
        ({"step": [{**GOOD, "hold_s": "30s"}]}, "step[1].hold_s must be a number of seconds"),
        ({"step": [{**GOOD, "reps": 10}]}, "default.toml.step[1].reps: unknown key"),
        ({"step": [GOOD], "pause": 3}, "default.toml.pause: unknown key"),
        ({"step": [GOOD], "posture_s": 99}, "default.toml.posture_s must be a number of seconds from 0 to 30"),
    ],
)
def test_bad_routine_values_name_the_key(data: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as error:
        parse_routine(data, "default.toml")
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_routine_file_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("name = \n")
    with pytest.raises(ConfigError, match=r"bad.toml: not valid TOML"):
        load_routine(bad)
    with pytest.raises(ConfigError, match=r"cannot read routine .*missing.toml"):
        load_routine(tmp_path / "missing.toml")
    good = tmp_path / "mine.toml"
    good.write_text('name = "Mine"\n[[step]]\nexercise = "leg-lift"\ntarget = 5\nsides = ["right"]\n')
    spec = load_routine(good)
    assert spec.steps == (StepSpec("leg-lift", 5, ("right",)),)


def test_missing_exercises_are_skipped_with_one_note() -> None:
    spec = RoutineSpec("R", (StepSpec("no-such-one", 1), StepSpec("leg-lift", 2)))
    notes: list[str] = []
    kept = available_steps(spec, notes.append)
    assert [s.exercise for s in kept.steps] == ["leg-lift"]
    assert notes == ["not available yet, skipped: no-such-one"]
    with pytest.raises(ConfigError, match="none of the routine's exercises is available"):
        available_steps(RoutineSpec("R", (StepSpec("no-such-one", 1),)), notes.append)


def test_routine_drives_the_registered_leg_lift_rule_on_synthetic_poses() -> None:
    from synthetic import Body, Limb, make_pose, placement, sequence

    step = StepSpec("leg-lift", 2, ("left", "right"), rest_s=0.0, camera="At your feet.", instruction="Lie down.")
    routine = Routine(RoutineSpec("Lifts", (step,)))  # the rule comes from the registry
    rest = Body(left_arm=Limb(flex=90, bend=90), right_arm=Limb(flex=90, bend=90))
    events: list[Event] = []
    clock = [0.0]

    def play(side: str, keyframes: list[tuple[float, Body]]) -> None:
        camera = placement("side-lying", side, "feet-oblique")
        t0 = clock[0]
        for dt, body in sequence(keyframes):
            events.extend(routine.update(make_pose(body, camera, t0 + dt), t0 + dt))
        clock[0] = t0 + keyframes[-1][0] + 1 / 30

    def lifts(side: str, n: int) -> list[tuple[float, Body]]:
        up = dataclasses.replace(rest, **{f"{side}_leg": Limb(abd=40)})
        frames, t = [(0.0, rest)], 0.0
        for _ in range(n):
            frames += [(t + 1.0, rest), (t + 1.8, up), (t + 3.3, up), (t + 4.1, rest)]
            t += 4.1
        return [*frames, (t + 1.0, rest)]

    play("left", [(0.0, rest), (12.0, rest)])  # the instructions, then the position is found
    assert routine.phase == "active" and routine.rule is not None and routine.rule.name == "leg-lift"
    play("left", lifts("left", 2))
    play("right", [(0.0, rest), (3.0, rest)])  # turns over: the rule needs 2 s to switch sides
    play("right", lifts("right", 2))
    said = [e.text for e in events if isinstance(e, Guide)]
    assert routine.done, routine.phase
    assert routine.results[0].done == {"left": 2, "right": 2}
    assert said.index("Good. Begin") < said.index("Now the right side") < said.index("Routine done")
    assert [(e.rep.side, e.count) for e in events if isinstance(e, RepEvent)] == [
        ("left", 1), ("left", 2), ("right", 1), ("right", 2),
    ]  # fmt: skip
