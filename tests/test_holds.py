"""The shared hold machinery (exercises/_holds.py): the hold clock and the stillness check."""

from __future__ import annotations

import numpy as np
import pytest
from synthetic_poses import FigureFour as Pose4

from posecheck.exercises._hold_clock import RELEASE_TRIM_MAX_S, SETTLE_MAX_S, HoldClock, Stillness
from posecheck.exercises._holds import HoldCoach
from posecheck.pose import Landmark as L
from synthetic import placement, project

FPS = 10.0


def run_clock(frames: list[tuple[float, str, bool]], grace_s: float = 5.0):
    """frames: (seconds, 'ok' | 'fault' | 'out' | 'released', still) spans; returns the closed holds (finish included).

    'released': out of position and seen plainly leaving it (legs down)."""
    clock = HoldClock(30.0, grace_s)
    closed, t = [], 0.0
    for seconds, kind, still in frames:
        for _ in range(round(seconds * FPS)):
            hold = clock.update(t, kind == "ok", kind not in ("out", "released"), still, kind == "released")
            closed += [hold] if hold else []
            t += 1 / FPS
    hold = clock.finish()
    return closed + ([hold] if hold else [])


@pytest.mark.parametrize(
    ("frames", "valid"),
    [
        # moving into the position is not holding it: time starts once the body is still
        ([(1.0, "ok", False), (10.0, "ok", True), (6.0, "out", False)], 10.0),
        # a form fault pauses the clock however long it lasts; it does not end the hold
        ([(4.0, "ok", True), (8.0, "fault", True), (4.0, "ok", True), (6.0, "out", False)], 8.0),
        # leaving: the checks still hold for a moment while the body moves; that is taken back
        ([(8.0, "ok", True), (1.0, "ok", False), (6.0, "out", False)], 8.0),
        # ... but never more than RELEASE_TRIM_MAX_S
        ([(8.0, "ok", True), (5.0, "ok", False), (6.0, "out", False)], 13.0 - RELEASE_TRIM_MAX_S),
        # drifting into a form fault: half the time since the body last was still was the fault already
        ([(8.0, "ok", True), (1.0, "ok", False), (3.0, "fault", False), (4.0, "ok", True), (6.0, "out", False)], 12.5),
        # ... a fault that comes on at rest takes nothing back
        ([(8.0, "ok", True), (3.0, "fault", True), (4.0, "ok", True), (6.0, "out", False)], 12.0),
        # a body that never reads still (jittery landmarks) still gets its hold, after SETTLE_MAX_S
        ([(12.0, "ok", False), (6.0, "out", False)], 12.0 - SETTLE_MAX_S - RELEASE_TRIM_MAX_S),
        # ... and leaving through a form fault takes back RELEASE_TRIM_MAX_S in all, not the fault's onset share
        # and RELEASE_TRIM_MAX_S more
        ([(12.0, "ok", False), (1.0, "fault", False), (6.0, "out", False)], 12.0 - SETTLE_MAX_S - RELEASE_TRIM_MAX_S),
    ],
)
def test_hold_clock_counts_the_settled_time_in_position(frames, valid):
    (hold,) = run_clock(frames)
    assert hold[2] == pytest.approx(valid, abs=0.25)  # a frame or two at 10 fps


def test_out_of_position_longer_than_grace_ends_the_hold():
    holds = run_clock([(5.0, "ok", True), (6.0, "out", False), (5.0, "ok", True)])
    assert len(holds) == 2
    assert [round(h[2]) for h in holds] == [5, 5]


def test_a_plain_release_ends_the_hold_sooner_than_the_grace():
    """Legs down for 3 s then back up (a real figure-four clip): two holds, not one with a pause."""
    holds = run_clock([(5.0, "ok", True), (3.0, "released", False), (5.0, "ok", True)])
    assert len(holds) == 2
    assert [round(h[2]) for h in holds] == [5, 5]


def test_a_release_seen_for_a_moment_is_a_pause():
    holds = run_clock([(5.0, "ok", True), (1.5, "released", False), (5.0, "ok", True)])
    assert len(holds) == 1


def test_out_of_position_shorter_than_grace_is_a_pause():
    (hold,) = run_clock([(5.0, "ok", True), (2.0, "out", False), (5.0, "ok", True)])
    assert hold[2] == pytest.approx(10.0, abs=0.3)


def pose_at(points: np.ndarray, t: float):
    return project(points, placement("supine", "left", "feet-oblique"), t)


def test_stillness_settles_and_sees_a_move():
    still = Stillness()
    points = Pose4("left").points()
    seen = [still.update(pose_at(points, i / FPS), i / FPS) for i in range(10)]
    assert seen[0] is False and seen[-1] is True  # at rest for SETTLE_S
    moved = points.copy()
    moved[[L.LEFT_KNEE, L.LEFT_ANKLE]] += np.array([0.0, 0.0, 0.12])  # the crossed leg moves 12 cm
    assert still.update(pose_at(moved, 1.0), 1.0) is False


def test_stillness_ignores_a_label_swap():
    """MediaPipe swaps the crossed ankle's label: that is not the body moving."""
    still = Stillness()
    points = Pose4("left").points()
    for i in range(10):
        still.update(pose_at(points, i / FPS), i / FPS)
    swapped = points.copy()
    swapped[[L.LEFT_ANKLE, L.RIGHT_ANKLE]] = swapped[[L.RIGHT_ANKLE, L.LEFT_ANKLE]]
    assert still.update(pose_at(swapped, 1.0), 1.0) is True


def test_a_hold_that_never_settled_leaves_nothing_behind():
    """Faults and side votes of a start that never came to rest do not stick to the next hold."""
    coach, t = HoldCoach(30.0, 3), 0.0
    spans = [(1.0, True, set(), False), (1.0, False, {"knee_inward"}, False), (0.5, True, set(), False)]
    spans += [(6.0, False, set(), None), (10.0, True, set(), True)]
    for seconds, ok, faults, still in spans:
        for _ in range(round(seconds * FPS)):
            in_position = False if still is None else None
            coach.update(t, ok, "left", faults, in_position, bool(still))
            t += 1 / FPS
    coach.close(t)
    (record,) = coach.records
    assert record.faults == ()
    assert record.valid_s == pytest.approx(10.0, abs=0.5)
