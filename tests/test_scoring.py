from __future__ import annotations

import pytest

from posecheck.scoring import Totals, holds_found, match_reps, score


def rep(side, start, end, faults=()):
    return {"side": side, "start_s": start, "end_s": end, "faults": list(faults)}


LABEL = {
    "exercise": "leg-lift",
    "reps": [rep("left", 0, 2, ["leg_forward"]), rep("left", 3, 5), rep("left", 6, 8, ["knee_bent"])],
    "sets": [{"side": "left", "reps": 3}],
}


def test_perfect_report_scores_perfectly():
    report = {**LABEL, "frames": {"total": 100, "with_pose": 95}}
    s = score(report, LABEL)
    assert s.reps_exact and s.sets_exact
    assert s.faults["leg_forward"].precision == 1.0 and s.faults["knee_bent"].recall == 1.0
    assert s.detection == pytest.approx(0.95)


def test_missed_rep_wrong_fault_and_not_judged():
    report = {
        "reps": [rep("left", 0.2, 2.1, ["knee_bent"]), rep("left", 6.1, 7.9, ["knee_bent"])],
        "sets": [{"side": "left", "reps": 2}],
        "faults_judged": {"leg_forward": False, "knee_bent": True},
        "frames": {"total": 10, "with_pose": 10},
    }
    s = score(report, LABEL)
    assert s.count_errors == {"left": 1} and not s.reps_exact and s.sets_exact is False
    assert "leg_forward" not in s.faults and s.not_judged == ["leg_forward"]
    kb = s.faults["knee_bent"]
    assert (kb.tp, kb.fp, kb.fn) == (1, 1, 0)
    totals = Totals()
    totals.add(s)
    assert totals.to_json()["off_by_one_rate"] == 1.0


def test_matching_is_one_to_one_by_overlap():
    pairs = match_reps([rep("l", 0, 3), rep("l", 1, 2)], [rep("l", 0.5, 2.5)])
    assert pairs[0][1] is not None and pairs[1][1] is None


def test_hold_time_error_per_side():
    label = {"holds": [{"side": "left", "start_s": 0, "end_s": 30, "valid_s": 28.0, "faults": []}]}
    report = {"holds": [{"side": "left", "start_s": 0.5, "end_s": 30, "valid_s": 27.4, "faults": []}]}
    assert score(report, label).hold_error_s == {"left": pytest.approx(0.6)}


def test_fault_episodes_are_scored_where_reps_are_not_counted():
    """From the side the ball squeeze sees a bridge but counts no reps: its episodes meet the label's reps."""
    label = {"reps": [rep("both", 0, 2), rep("both", 3, 5, ["hips_lifted"]), rep("both", 6, 8, ["hips_lifted"])]}
    episode = {"fault": "hips_lifted", "start_s": 3.4, "end_s": 4.6}
    stray = {"fault": "hips_lifted", "start_s": 9.0, "end_s": 9.8}
    report = {"reps": [], "reps_judged": False, "fault_episodes": [episode, stray]}
    tally = score(report, label).faults["hips_lifted"]
    assert (tally.tp, tally.fp, tally.fn) == (1, 1, 1)
    counted = {**report, "reps_judged": True}  # where reps are counted, faults ride on them alone
    tally = score(counted, label).faults["hips_lifted"]
    assert (tally.tp, tally.fp, tally.fn) == (0, 0, 2)


def test_a_hold_is_found_when_its_pieces_add_up_within_tolerance():
    label = {"holds": [hold("left", 0, 10, 10.0), hold("left", 20, 30, 10.0)]}
    split = [hold("left", 0.5, 4.0, 3.5), hold("left", 4.5, 10.0, 5.5)]  # 9 s in two pieces: found
    wrong_side = [hold("right", 20.0, 30.0, 10.0)]
    s = score({"holds": split + wrong_side}, label)
    assert (s.holds_found, s.holds_total) == (1, 2)
    assert holds_found(wrong_side, label["holds"], same_side=False) == 1
    assert holds_found([hold("left", 0, 30, 20.0)], label["holds"]) == 0  # one hold over both: 10 s off each


def hold(side, start, end, valid):
    return {"side": side, "start_s": start, "end_s": end, "valid_s": valid, "faults": []}


def test_a_negative_clip_is_one_set_of_zero_and_a_stray_hold_is_false():
    empty = {"exercise": "leg-lift", "reps": [], "holds": [], "sets": []}
    assert score({"reps": []}, empty, kind="reps").count_errors == {"none": 0}
    counted = score({"reps": [rep("left", 1, 2)]}, empty, kind="reps")
    assert counted.count_errors == {"left": 1} and not counted.reps_exact
    assert score({"reps": []}, empty, kind="hold").count_errors == {}
    label = {"holds": [hold("left", 10, 20, 10.0)]}
    s = score({"holds": [hold("left", 11, 20, 9.0), hold("left", 30, 35, 5.0), hold("right", 12, 18, 6.0)]}, label)
    assert (s.holds_found, s.holds_false) == (1, 2)
