"""Leg-lift rule on synthetic side-lying sequences: counts, faults, sides, views."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from posecheck.events import Cue, Event, RepEvent, SetEvent, SideEvent
from posecheck.exercises.leg_lift import ALL_FAULTS, JUDGED_BY_VIEW, LegLift
from synthetic import Body, Limb, make_pose, placement, sequence

REST = Body(left_arm=Limb(flex=90, bend=90), right_arm=Limb(flex=90, bend=90))
FAULT_POSES = {
    "clean": {},
    "leg_forward": {"flex": 95.0},  # MediaPipe reads a real drift at 120-156 deg (FORWARD_MAX_DEG)
    "knee_bent": {"bend": 55.0},
    "too_high": {"abd": 72.0},
}


def rep_keyframes(t0: float, side: str, fault: str = "clean", hold: float = 1.5, abd: float = 40.0):
    """Rest 1 s, rise 0.8 s, hold, lower 0.8 s; returns keyframes and the end time."""
    leg = "left_leg" if side == "left" else "right_leg"
    params = {"abd": abd, **FAULT_POSES.get(fault, {})}
    up = replace(REST, **{leg: Limb(**params)})
    if fault == "hip_hike":
        up = replace(up, pelvis_tilt=18.0 if side == "left" else -18.0)
    if fault == "hip_hike_tipped":  # the pelvis and trunk tip together over the bottom hip, as samplegen draws it
        up = replace(up, trunk_side_bend=18.0 if side == "left" else -18.0)
    if fault == "no_hold":
        hold = 0.1
    t = t0 + 1.0
    return [(t0, REST), (t, REST), (t + 0.8, up), (t + 0.8 + hold, up), (t + 1.6 + hold, REST)], t + 1.6 + hold


def run(rule, reps, side="left", view="feet-oblique", noise=0.0, dropout=0.0, seed=0, lead_s=1.0):
    rng = np.random.default_rng(seed)
    camera = placement("side-lying", side, view)
    keyframes = [(0.0, REST), (lead_s, REST)]
    t = lead_s
    for fault in reps:
        frames, t = rep_keyframes(t, side, fault)
        keyframes += frames[1:]
    keyframes.append((t + 1.0, REST))
    events = []
    for t, body in sequence(keyframes):
        pose = None if rng.random() < dropout else make_pose(body, camera, t, noise=noise, rng=rng)
        events += rule.update(pose, t)
    events += rule.finish(t)
    return events


def reps_of(events):
    return [e.rep for e in events if isinstance(e, RepEvent)]


@pytest.mark.parametrize("side", ["left", "right"])
@pytest.mark.parametrize(
    ("script", "noise", "dropout"),
    [
        (["clean"] * 5, 0.0, 0.0),
        (["clean"] * 4, 0.01, 0.0),  # 1 cm landmark jitter
        (["clean"] * 4, 0.0, 0.1),  # 10 % of frames without a pose
        (["clean", "leg_forward", "knee_bent", "hip_hike", "too_high", "no_hold"], 0.0, 0.0),
        (["leg_forward", "clean", "knee_bent", "clean"], 0.005, 0.05),
    ],
)
def test_counts_and_faults_per_rep(side, script, noise, dropout):
    events = run(LegLift(judge=ALL_FAULTS), script, side, noise=noise, dropout=dropout)
    reps = reps_of(events)
    assert len(reps) == len(script)
    for rep, fault in zip(reps, script, strict=True):
        assert rep.side == side
        expected = set() if fault == "clean" else {fault}
        if fault == "leg_forward":
            expected |= {"too_high"}  # a leg swung that far forward is also far from the body line
        assert set(rep.faults) == expected, (fault, rep)
    sets = [e for e in events if isinstance(e, SetEvent)]
    assert [(s.side, s.reps) for s in sets] == [(side, len(script))]


def test_peak_angle_and_dwell_are_measured():
    (rep,) = reps_of(run(LegLift(), ["clean"]))
    assert rep.peak_angle_deg == pytest.approx(40.0, abs=1.5)
    assert 1.3 <= rep.hold_s <= 2.0


def test_no_reps_while_resting_with_jitter():
    events = run(LegLift(), [], noise=0.01)
    assert reps_of(events) == []


def test_front_view_does_not_judge_forward():
    rule = LegLift(judge=ALL_FAULTS)
    events = run(rule, ["leg_forward", "clean"], view="front")
    reps = reps_of(events)
    assert len(reps) == 2
    assert all("leg_forward" not in r.faults for r in reps)
    assert rule.report_extras()["faults_judged"]["leg_forward"] is False
    # where to put the camera is the Session's camera check's to say (tests/test_camera_check.py), once
    assert not [e for e in events if isinstance(e, Cue) and "camera" in e.text]


def test_side_switch_closes_the_set():
    rule = LegLift()
    events = run(rule, ["clean"] * 2, "left")
    events += run(rule, ["clean"] * 3, "right", lead_s=3.0)
    sides = [e.side for e in events if isinstance(e, SideEvent)]
    assert sides == ["left", "right"]
    sets = [(e.side, e.reps) for e in events if isinstance(e, SetEvent)]
    assert sets == [("left", 2), ("right", 3)]
    assert rule.reps == {"left": 2, "right": 3}


def test_not_visible_feet_gives_a_setup_cue_and_no_count():
    rule = LegLift()
    camera = placement("side-lying", "left", "feet-oblique")
    events = []
    frames, _ = rep_keyframes(0.0, "left")
    for t, body in sequence(frames):
        pose = make_pose(body, camera, t)
        pose.visibility[[27, 28, 29, 30, 31, 32]] = 0.1
        events += rule.update(pose, t)
    assert reps_of(events) == []
    assert any(isinstance(e, Cue) and e.fault == "not_visible" and "feet" in e.text.lower() for e in events)


def test_faintly_seen_feet_inside_the_picture_are_judged():
    """Stacked feet seen end-on read 0.2-0.5 visible at rest: the lifts are still counted; cut off, they are not."""
    camera = placement("side-lying", "left", "feet-oblique")
    keyframes, t = [(0.0, REST), (1.0, REST)], 1.0
    for _ in range(2):
        frames, t = rep_keyframes(t, "left")
        keyframes += frames[1:]
    keyframes.append((t + 1.0, REST))
    for outside, counted in ((False, 2), (True, 0)):
        rule, events = LegLift(), []
        for t, body in sequence(keyframes):
            pose = make_pose(body, camera, t)
            pose.visibility[[27, 28, 29, 30, 31, 32]] = 0.25
            if outside:
                pose.image[[27, 28, 29, 30, 31, 32], 1] = 1.05  # MediaPipe places cut-off joints beyond the edge
            events += rule.update(pose, t)
        events += rule.finish(t)
        assert len(reps_of(events)) == counted, outside


def test_supine_is_not_side_lying():
    rule = LegLift()
    camera = placement("supine")
    events = []
    for i in range(60):
        events += rule.update(make_pose(REST, camera, i / 30), i / 30)
    assert rule.state.status == "Lie on your side"


def test_a_lift_from_a_position_seen_only_briefly_is_not_counted():
    """Supine clips can read side-lying for a frame or two: nothing counts before 0.5 s settled."""
    rule = LegLift()
    supine, side = placement("supine"), placement("side-lying", "left", "feet-oblique")
    frames, _ = rep_keyframes(0.0, "left")
    events = []
    for t, body in sequence(frames):
        camera = side if 0.9 <= t < 1.2 else supine  # side-lying for 0.3 s, as the lift begins
        events += rule.update(make_pose(body, camera, t), t)
    assert reps_of(events) == []


@pytest.mark.parametrize("bend", [60.0, 100.0])
def test_bent_top_knee_at_rest_is_not_a_leg_lift(bend):
    """Clamshells and similar: the top leg must read straight between reps before anything counts."""
    bent = replace(REST, left_leg=Limb(bend=bend))
    lifted = replace(REST, left_leg=Limb(bend=bend, abd=40.0))
    camera = placement("side-lying", "left", "feet-oblique")
    rule, events = LegLift(), []
    for t, body in sequence([(0.0, bent), (1.5, bent), (2.3, lifted), (3.8, lifted), (4.6, bent), (6.0, bent)]):
        events += rule.update(make_pose(body, camera, t), t)
    assert reps_of(events) == []
    assert rule.state.status == "Straighten your top leg"


@pytest.mark.parametrize(("view", "judged"), [("feet-oblique", "oblique"), ("front", "front"), ("back", "back")])
def test_default_judges_only_what_the_view_allows(view, judged):
    rule = LegLift()
    events = run(rule, ["leg_forward", "too_high", "knee_bent"], view=view)
    flagged = {f for r in reps_of(events) for f in r.faults}
    assert flagged <= JUDGED_BY_VIEW[judged]
    extras = rule.report_extras()
    assert {k for k, v in extras["faults_judged"].items() if v} == JUDGED_BY_VIEW[judged]
    assert set(extras["not_judged"]) == set(ALL_FAULTS) - JUDGED_BY_VIEW[judged]
    assert ("leg_forward" in flagged) == (view == "feet-oblique")
    if view == "back":  # and the report says why: MediaPipe loses the top leg from behind
        assert "too_high" not in {e.fault for e in events if isinstance(e, Cue)}
        assert all("from behind" in why for fault, why in extras["not_judged"].items() if fault != "leg_forward")


# --- front view: the knee bend and the hike in the picture plane (exercises/_leg_measure.py) -----
@pytest.mark.parametrize("side", ["left", "right"])
@pytest.mark.parametrize(
    ("script", "noise", "dropout"),
    [
        (["clean", "knee_bent", "clean", "hip_hike_tipped", "clean"], 0.0, 0.0),
        (["knee_bent", "hip_hike_tipped", "clean", "knee_bent"], 0.005, 0.0),  # 5 mm landmark jitter
        (["clean", "knee_bent", "clean", "hip_hike_tipped"], 0.0, 0.1),  # 10 % of frames without a pose
        (["clean", "leg_forward", "clean"], 0.005, 0.0),  # a forward drift foreshortens thigh and shank alike
    ],
)
def test_front_view_judges_knee_bent_and_hip_hike(side, script, noise, dropout):
    rule = LegLift()
    events = run(rule, script, side, view="front", noise=noise, dropout=dropout)
    reps = reps_of(events)
    assert len(reps) == len(script)
    for rep, fault in zip(reps, script, strict=True):
        form = set(rep.faults) - {"too_high"}  # a leg swung far forward also reads far from the body line
        assert form == ({fault.removesuffix("_tipped")} if fault in ("knee_bent", "hip_hike_tipped") else set()), (
            fault,
            rep,
        )
    judged = rule.report_extras()["faults_judged"]
    assert judged["knee_bent"] and judged["hip_hike"] and not judged["leg_forward"]
    cues = {e.fault for e in events if isinstance(e, Cue)}
    assert ("knee_bent" in cues) == ("knee_bent" in script)
    assert ("hip_hike" in cues) == ("hip_hike_tipped" in script)


@pytest.mark.parametrize(("bend", "flagged"), [(5.0, False), (10.0, False), (30.0, True), (60.0, True)])
def test_front_view_knee_bend_threshold(monkeypatch, bend, flagged):
    """The shank's picture falls faster than cos(bend): the ankle swings away from the lens and, off the picture's
    centre, toward it (synthetic, 3 m: 10 deg reads 0.93 of rest, 20 deg 0.84 - the spec's 160 deg - 45 deg 0.53)."""
    monkeypatch.setitem(FAULT_POSES, "bend_test", {"bend": bend})
    (rep,) = reps_of(run(LegLift(), ["bend_test"], view="front"))
    assert ("knee_bent" in rep.faults) == flagged
    assert rep.extra["shank_ratio_rel"] < (0.8 if flagged else 1.0)


def test_front_view_lumbar_side_bend_alone_is_not_seen():
    """A hike that tilts only the pelvis under a still trunk moves the trunk axis by half the hip shift:
    from the front the picture measure misses it (README: what is weak)."""
    (rep,) = reps_of(run(LegLift(), ["hip_hike"], view="front"))
    assert rep.extra["trunk_drop_deg"] < 5.0


def small_lifts(abd: float, n: int = 4) -> list[Event]:
    rule, camera, t = LegLift(), placement("side-lying", "left", "feet-oblique"), 1.0
    keyframes = [(0.0, REST)]
    for _ in range(n):
        frames, t = rep_keyframes(t, "left", abd=abd)
        keyframes += frames
    keyframes.append((t + 1.0, REST))
    events: list[Event] = []
    for t, body in sequence(keyframes):
        events += rule.update(make_pose(body, camera, t), t)
    return events + rule.finish(t)


@pytest.mark.parametrize(("abd", "counted", "nudged"), [(14.0, 4, True), (30.0, 4, False), (6.0, 0, False)])
def test_a_small_lift_is_a_rep_with_a_nudge(abd, counted, nudged):
    events = small_lifts(abd)
    assert len(reps_of(events)) == counted
    said = {e.text for e in events if isinstance(e, Cue)}
    assert ("Lift a little higher" in said) == nudged
