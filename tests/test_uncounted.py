"""Saying why motion went uncounted (posecheck/uncounted.py): on synthetic side-lying sequences."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from posecheck.events import Cue, Event, Uncounted
from posecheck.exercises.figure_four import FigureFour
from posecheck.exercises.leg_lift import LegLift
from posecheck.rules import UNCLEAR, ExerciseRule, RuleState
from posecheck.uncounted import UncountedWatch, crossings
from synthetic import Body, Limb, make_pose, placement, sequence

REST = Body(left_arm=Limb(flex=90, bend=90), right_arm=Limb(flex=90, bend=90))


def lifts(top: Limb, up: Limb, n: int = 5, period_s: float = 2.4) -> list[tuple[float, Body]]:
    """The top (left) leg going from `top` to `up` and back n times, side-lying."""
    rest, raised = replace(REST, left_leg=top), replace(REST, left_leg=up)
    keyframes, t = [(0.0, rest), (1.0, rest)], 1.0
    for _ in range(n):
        keyframes += [(t + period_s / 3, raised), (t + period_s * 2 / 3, rest), (t + period_s, rest)]
        t += period_s
    return sequence(keyframes)


def watch(rule, frames, view: str = "feet-oblique") -> list[Event]:
    camera, w, out = placement("side-lying", "left", view), UncountedWatch(), []
    for t, body in frames:
        pose = make_pose(body, camera, t)
        events = rule.update(pose, t)
        out += events + w.update(t, pose, rule, events)
    return out


def test_clamshells_under_leg_lift_are_told_why_they_do_not_count():
    """Knees bent, the top knee opening and closing: not a leg lift, and the person hears why."""
    bent = Limb(flex=45, bend=90)
    events = watch(LegLift(), lifts(bent, replace(bent, abd=35)))
    told = [e for e in events if isinstance(e, Uncounted)]
    assert told and told[0].reason == "Straighten your top leg"
    assert any(isinstance(e, Cue) and e.text == told[0].reason for e in events)
    assert 6.0 <= told[0].t <= 9.0  # within a few seconds of nothing counted


def test_counted_lifts_are_not_told_uncounted():
    events = watch(LegLift(), lifts(Limb(), Limb(abd=40), n=6))
    assert not [e for e in events if isinstance(e, Uncounted)]


def test_lying_still_is_not_told_for_a_rep_exercise():
    events = watch(LegLift(), [(t, REST) for t, _ in lifts(Limb(), Limb(), n=6)])
    assert not [e for e in events if isinstance(e, Uncounted)]


def test_a_hold_exercise_held_still_in_the_wrong_position_is_told():
    """Side-lying still under the figure-four: no hold, and the rule's own message says why."""
    events = watch(FigureFour(), [(t, REST) for t, _ in lifts(Limb(), Limb(), n=6)])
    told = [e for e in events if isinstance(e, Uncounted)]
    assert told and told[0].reason == "Lie on your back"


@pytest.mark.parametrize(("cycles", "expected"), [(1, 1), (2, 3), (3, 5)])
def test_crossings_count_back_and_forth(cycles, expected):
    values = np.sin(2 * np.pi * cycles * np.linspace(0, 1, 200))
    assert crossings(values) == expected


def test_jitter_is_neither_moving_nor_still_enough_to_tell():
    jitter = np.random.default_rng(0).normal(0, 0.03, (180, 8))
    assert UncountedWatch._what(jitter, "reps") is None


class Flickering(ExerciseRule):
    """A rule whose message changes every few frames, as when MediaPipe loses and finds the body by turns."""

    name, title, kind = "flicker", "Flicker", "reps"

    def __init__(self) -> None:
        super().__init__()
        self._state = RuleState(self.name, self.title, self.kind)
        self.frames = 0

    def update(self, pose, t):  # type: ignore[no-untyped-def]
        self.frames += 1
        self._state.status = ("Lie on your back", "Knees hidden from the camera", None)[(self.frames // 4) % 3]
        return []

    @property
    def state(self) -> RuleState:
        return self._state


def test_a_message_that_keeps_changing_is_not_repeated_the_camera_is_blamed():
    events = watch(Flickering(), [(t, REST) for t, _ in lifts(Limb(), Limb(), n=6)])
    told = [e for e in events if isinstance(e, Uncounted)]
    assert told and told[0].reason == UNCLEAR
