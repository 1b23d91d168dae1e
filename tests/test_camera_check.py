"""The per-exercise camera view check: when it instructs, how often, when it stops; through the Session too."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from posecheck.camera_check import POSITION_S, REPEAT_S, SETTLE_S, WRONG_AFTER_S, ViewCheck
from posecheck.events import Cue, Event
from posecheck.exercises.auto import Auto
from posecheck.exercises.ball_squeeze import BallSqueeze
from posecheck.exercises.leg_lift import LegLift
from posecheck.overlay import OverlayInput
from posecheck.pose import Pose
from posecheck.rules import ExerciseRule
from posecheck.session import Session
from posecheck.source import Frame, FrameSource, SourceInfo
from synthetic import Body, Limb, make_pose, view_camera

FPS = 30
REST = Body(left_arm=Limb(flex=90, bend=90), right_arm=Limb(flex=90, bend=90))  # propped on the forearm
CROOK = Body(left_leg=Limb(flex=45, bend=90), right_leg=Limb(flex=45, bend=90))
STANDING = Body()


def side_lying(azimuth: float, elevation: float = 10.0, body: Body = REST):
    camera = view_camera("side-lying", azimuth, elevation)
    return lambda t: make_pose(body, camera, t)


def standing(t: float) -> Pose:
    return make_pose(STANDING, view_camera("seated", 0.0, 0.0), t)  # upright, facing the lens


def run(rule: ExerciseRule, script: list[tuple[float, object]], check: ViewCheck | None = None) -> list[Cue]:
    """Feeds the rule and the check; script: (until_t, pose_at(t)) pieces.  Returns the check's cues."""
    check = check or ViewCheck()
    cues: list[Cue] = []
    t = 0.0
    for until, pose_at in script:
        while t < until:
            pose = pose_at(t)  # type: ignore[operator]
            rule.update(pose, t)
            cues += [e for e in check.update(t, pose, rule.coached) if isinstance(e, Cue)]
            t += 1 / FPS
    return cues


def test_wrong_view_is_told_until_it_is_right_then_the_check_settles() -> None:
    rule, check = LegLift(), ViewCheck()
    cues = run(rule, [(25.0, side_lying(-90.0)), (35.0, side_lying(45.0))], check)  # from behind, then right
    instruction = rule.views.instruction if rule.views else ""
    times = [round(c.t, 1) for c in cues]
    assert [c.text for c in cues] == [instruction] * 3 and {c.kind for c in cues} == {"setup"}
    assert POSITION_S + WRONG_AFTER_S <= times[0] < POSITION_S + WRONG_AFTER_S + 1.0
    assert np.allclose(np.diff(times), REPEAT_S, atol=0.1)
    assert check.message is None  # right for long enough: off the screen
    (record,) = check.records
    assert record.settled and record.instructed == 3
    assert record.votes.most_common(1)[0][0] == "back" and record.last is not None
    assert record.last.direction == "feet-front"


def test_message_stays_on_screen_while_wrong() -> None:
    rule, check = LegLift(), ViewCheck()
    run(rule, [(6.0, side_lying(180.0))], check)  # from the head
    assert check.message == "Place the camera at your feet, a little to the side"


def test_acceptable_view_gets_one_tip_and_a_recommended_view_none() -> None:
    rule = LegLift()
    cues = run(rule, [(20.0, side_lying(0.0))])  # straight from the feet: counts, judges less
    assert [(c.kind, c.text) for c in cues] == [("info", "Place the camera at your feet, a little to the side")]
    assert SETTLE_S < cues[0].t < SETTLE_S + 1.5
    assert run(LegLift(), [(20.0, side_lying(50.0))]) == []  # from the feet side: forward drift shows
    assert run(LegLift(), [(20.0, side_lying(90.0))]) == []  # from the front: a bent knee and a hike show


def test_nothing_is_judged_out_of_position() -> None:
    check = ViewCheck()
    assert run(LegLift(), [(10.0, standing)], check) == []
    assert check.message is None and not check.records[0].votes


def test_a_short_wrong_moment_is_not_told() -> None:
    script = [(3.0, side_lying(50.0)), (3.0 + WRONG_AFTER_S - 0.5, side_lying(-90.0)), (6.0, side_lying(50.0))]
    assert run(LegLift(), script) == []


def test_raised_camera_is_recommended_for_the_ball_squeeze() -> None:
    def supine(azimuth: float, elevation: float):
        camera = view_camera("supine", azimuth, elevation)
        return lambda t: make_pose(CROOK, camera, t)

    assert run(BallSqueeze(), [(8.0, supine(0.0, 40.0))]) == []
    side = run(BallSqueeze(), [(8.0, supine(90.0, 10.0))])
    assert side and side[0].text == "Place the camera at your feet, raised"
    low = run(BallSqueeze(), [(8.0, supine(0.0, 5.0))])
    assert [c.kind for c in low] == ["info"]


def test_a_new_rule_starts_a_new_check() -> None:
    check = ViewCheck()
    first, second = LegLift(), LegLift()
    run(first, [(6.0, side_lying(50.0))], check)
    assert check.records[0].settled
    run(second, [(8.0, side_lying(-90.0))], check)  # a routine's next step, or "r" (repeat)
    assert len(check.records) == 2 and check.records[1].instructed == 1
    assert check.update(9.0, None, None) == [] and check.message is None  # between steps: nothing shown


def test_auto_checks_the_camera_for_the_exercise_it_recognised() -> None:
    rule, check = Auto(), ViewCheck()
    cues = run(rule, [(10.0, side_lying(-90.0))], check)  # side-lying, filmed from behind
    assert rule.chosen == "leg-lift"
    assert [c.text for c in cues] == ["Place the camera at your feet, a little to the side"]
    assert [r.exercise for r in check.records] == ["leg-lift"]


# --- through the Session: the message is the overlay's status, the report lists the view ----------
class Blank(FrameSource):
    def __init__(self, seconds: float) -> None:
        self.info = SourceInfo("scripted", "video", FPS, 64, 48, int(seconds * FPS))

    def __iter__(self) -> Iterator[Frame]:
        image = np.zeros((48, 64, 3), np.uint8)
        for i in range(self.info.frame_count or 0):
            yield Frame(image, i / FPS, i)


class Estimator:
    def __init__(self, pose_at) -> None:  # type: ignore[no-untyped-def]
        self.pose_at = pose_at

    def detect(self, rgb: np.ndarray, t: float) -> list[Pose]:
        return [self.pose_at(t)]


def test_session_shows_the_instruction_and_reports_the_view() -> None:
    shown: list[str | None] = []

    def hook(frame: Frame, item: OverlayInput, events: list[Event]) -> bool:
        shown.append(item.state.status)
        return True

    session = Session(LegLift(), Estimator(side_lying(-90.0)))  # type: ignore[arg-type]
    result = session.run(Blank(6.0), hook)
    instruction = "Place the camera at your feet, a little to the side"
    assert shown[-1] == instruction and instruction not in shown[: int(WRONG_AFTER_S * FPS)]
    report = result.report.build()
    assert report["camera_check"] == [
        {"exercise": "leg-lift", "view": "back", "fit": "wrong", "instructed": 1, "settled": False,
         "azimuth_deg": -90.0, "elevation_deg": 10.0}
    ]  # fmt: skip
    assert [c["kind"] for c in report["cues"] if c["text"] == instruction] == ["setup"]
