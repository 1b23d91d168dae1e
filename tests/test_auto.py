"""Auto-detection on synthetic postures: the right exercise and side, none for standing."""

from __future__ import annotations

import numpy as np
import pytest
from synthetic_poses import FigureFour as Pose4
from synthetic_poses import SeatedTwist as Twist
from synthetic_poses import run_points

from posecheck.events import Cue, RepEvent, Say
from posecheck.exercises.auto import Auto, recognise
from posecheck.posture import PostureInfo, classify_posture, in_posture
from posecheck.registry import get_exercise
from posecheck.rules import SAFETY_LINE
from synthetic import Body, Camera, Limb, body_points, placement, project, rot

CROOK = body_points(Body(left_leg=Limb(flex=45, abd=4.5, bend=90), right_leg=Limb(flex=45, abd=4.5, bend=90)))
SIDE_LYING = body_points(Body(left_arm=Limb(flex=80, bend=90), right_arm=Limb(flex=80, bend=90)))
STANDING = body_points(Body())
SQUAT = body_points(Body(left_leg=Limb(flex=88, bend=95), right_leg=Limb(flex=88, bend=95)))
JACK = body_points(Body(left_leg=Limb(abd=15), right_leg=Limb(abd=15), left_arm=Limb(abd=160), right_arm=Limb(abd=160)))
FLAT = body_points(Body())
# side-lying with both knees bent ~90 deg: the clamshell's position, not a leg lift
CLAMSHELL = body_points(
    Body(
        left_leg=Limb(flex=45, bend=90),
        right_leg=Limb(flex=45, bend=90),
        left_arm=Limb(flex=80, bend=90),
        right_arm=Limb(flex=80, bend=90),
    )
)


def still(points: np.ndarray, seconds: float = 4.0):
    return [(0.0, points), (seconds, points)]


CASES = [
    ("figure-four", "left", "supine", "feet", still(Pose4("left").points())),
    ("figure-four", "right", "supine", "feet-oblique", still(Pose4("right").points())),
    ("figure-four", "right", "supine", "front", still(Pose4("right").points())),
    ("seated-twist", "left", "seated", "front", still(Twist("left").points())),
    ("seated-twist", "right", "seated", "side", still(Twist("right").points())),
    ("ball-squeeze", "both", "supine", "feet", still(CROOK)),
    ("ball-squeeze", "both", "supine", "front", still(CROOK)),
    ("leg-lift", "left", "side-lying", "feet-oblique", still(SIDE_LYING)),
    ("leg-lift", "right", "side-lying", "front", still(SIDE_LYING)),
    ("none", None, "seated", "front", still(STANDING)),  # "seated" placement = trunk upright
    (
        "none",
        None,
        "seated",
        "feet-oblique",
        [(0.0, STANDING), (1.0, SQUAT), (2.0, STANDING), (3.0, SQUAT), (4.0, STANDING)],
    ),
    (
        "none",
        None,
        "seated",
        "front",
        [(0.0, STANDING), (0.5, JACK), (1.0, STANDING), (1.5, JACK), (2.0, STANDING)] * 1,
    ),
    ("none", None, "supine", "feet", still(FLAT)),  # lying with straight legs is none of the four
    ("none", None, "side-lying", "feet-oblique", still(CLAMSHELL)),  # clamshells are not leg lifts
]


@pytest.mark.parametrize(("exercise", "side", "posture", "view", "keyframes"), CASES)
@pytest.mark.parametrize("noise", [0.0, 0.005])
def test_recognises_exercise_and_side(exercise, side, posture, view, keyframes, noise):
    rule = Auto()
    events = run_points(rule, keyframes, placement(posture, side or "left", view), noise=noise, dropout=0.05)
    extras = rule.report_extras()
    assert extras["exercise"] == exercise
    assert extras["auto"]["side"] == side
    if exercise != "none":
        assert extras["auto"]["segments"][0]["t_s"] == pytest.approx(1.5, abs=0.4)
        assert rule.state.exercise == exercise
    assert [e.text for e in events if isinstance(e, Cue)].count(SAFETY_LINE) == 1


def test_standing_and_squat_bottom_are_not_floor_postures():
    camera = placement("seated", "left", "front")
    assert classify_posture(project(STANDING, camera)).posture == "standing"
    assert classify_posture(project(SQUAT, camera)).posture == "unknown"
    assert classify_posture(project(Twist("left").points(), camera)).posture == "seated"


def test_auto_counts_through_the_chosen_rule():
    from test_ball_squeeze import crook, script

    rule = get_exercise("auto")
    events = run_points(rule, script([4]), placement("supine", "left", "feet"), noise=0.002, fps=15.0)
    assert len([e for e in events if isinstance(e, RepEvent)]) == 4
    assert any(isinstance(e, Say) and e.text.startswith("Ball squeeze") for e in events)
    assert crook is not None


def test_switches_exercise_when_the_posture_changes():
    rule = Auto()
    keyframes = [(0.0, CROOK), (4.0, CROOK)]
    run_points(rule, keyframes, placement("supine", "left", "feet"))
    twist = Twist("right").points()
    run_points(rule, [(4.1, twist), (12.0, twist)], placement("seated", "right", "front"))
    segments = rule.report_extras()["auto"]["segments"]
    assert [(s["exercise"], s["side"]) for s in segments] == [("ball-squeeze", "both"), ("seated-twist", "right")]


def test_a_photo_is_recognised_without_coaching():
    rule = Auto()
    pose = project(Twist("right").points(), placement("seated", "right", "front"))
    rule.update(pose, 0.0)
    rule.finish(0.0)
    auto = rule.report_extras()["auto"]
    assert (auto["chosen"], auto["side"], auto["confident"]) == ("seated-twist", "right", False)


def test_a_few_seen_frames_among_unseen_ones_do_not_decide():
    rule = Auto()
    points = Pose4("left").points()
    camera = placement("supine", "left", "feet")
    for i in range(60):
        t = i / 30
        rule.update(project(points, camera, t) if i % 6 == 0 else None, t)
    assert rule.chosen is None


def test_crook_lying_then_crossed_ankle_becomes_figure_four():
    rule = Auto()
    crossed = Pose4("right").points()
    keyframes = [(0.0, CROOK), (3.0, CROOK), (3.5, crossed), (12.0, crossed), (12.5, CROOK), (19.0, CROOK)]
    events = run_points(rule, keyframes, placement("supine", "right", "feet"))
    segments = [(s["exercise"], s["side"]) for s in rule.report_extras()["auto"]["segments"]]
    assert segments == [("ball-squeeze", "both"), ("figure-four", "right")]
    (hold,) = [e.hold for e in events if type(e).__name__ == "HoldEvent"]
    assert hold.side == "right"
    assert hold.valid_s == pytest.approx(8.5, abs=1.0)  # the replayed frames count from the start


@pytest.mark.parametrize("pitch", [0.0, 15.0, 25.0])
def test_a_camera_looking_down_at_the_feet_still_sees_supine(pitch):
    """Filmed from the raised feet (30-55 deg down) a lying trunk climbs away from the lens."""
    feet = placement("supine", "left", "feet")
    steep = Camera(rot("x", pitch) @ feet.rotation)
    assert classify_posture(project(CROOK, steep)).posture == "supine"
    standing = Camera(rot("x", 30.0 + pitch) @ placement("seated", "left", "front").rotation)
    assert classify_posture(project(STANDING, standing)).posture in ("standing", "unknown")  # none of the four


@pytest.mark.parametrize("roll", [-42.0, 42.0])
def test_side_lying_with_the_trunk_read_steep_is_still_a_leg_lift(roll):
    """MediaPipe reads a resting side-lying trunk filmed from a raised camera at the feet 46 deg
    steep (past the posture classifier's 40); with the hips stacked it is still side-lying."""
    front = placement("side-lying", "left", "front")
    pose = project(SIDE_LYING, Camera(rot("z", roll) @ front.rotation))
    assert classify_posture(pose).posture == "unknown"
    assert recognise(pose)[:2] == ("leg-lift", "left")


def test_an_ankle_over_the_other_thigh_with_the_feet_down_is_not_a_figure_four():
    """The figure-four brings the legs toward the chest; with the support hip at crook-lying flexion
    (45 deg, feet down) an ankle near the other thigh - or one leg hiding the other from a side
    camera, as on a real pelvic-tilt clip - is not the stretch."""
    camera = placement("supine", "left", "feet")
    assert recognise(project(Pose4("left", hip_flex=80.0).points(), camera))[0] == "figure-four"
    assert recognise(project(Pose4("left", hip_flex=40.0).points(), camera))[0] != "figure-four"


@pytest.mark.parametrize(
    ("posture", "chest_up", "wanted", "fits"),
    [
        ("supine", 0.95, "supine", True),
        ("side-lying", 0.70, "supine", True),  # MediaPipe's roll of a body lying flat (rendered: 0.67-0.71)
        ("side-lying", 0.10, "supine", False),  # really on the side: the chest faces sideways
        ("side-lying", 0.70, "side-lying", True),
        ("supine", 0.95, "side-lying", False),
        ("seated", 0.70, "supine", False),
    ],
)
def test_in_posture_allows_mediapipes_roll_for_lying_on_the_back(posture, chest_up, wanted, fits):
    info = PostureInfo(posture, 10.0, chest_up, 0.68, 0.0)
    assert in_posture(info, wanted) is fits
