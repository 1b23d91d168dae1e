"""Motion scripts act out what they are asked for, measured on ground-truth joints."""

from __future__ import annotations

import numpy as np
import pytest

from samplegen.labels import hold_labels, rep_labels, set_labels
from samplegen.motions import figure_four, leg_lift, seated_twist
from samplegen.motions.registry import build_clip
from samplegen.pipeline import parse_faults
from samplegen.skinning import pose_human

FPS = 10.0  # coarse time steps keep the tests fast


def points(clip, human):
    return [clip.pose(human, i, skin=False).points for i in range(len(clip.frames))]


def trace(clip, pts):
    return np.array([clip.measure(p) for p in pts])


def angle(a, b):
    return float(np.degrees(np.arccos(np.clip(a @ b / np.linalg.norm(a) / np.linalg.norm(b), -1, 1))))


def top_leg_state(p, side):
    """Hip flexion of the top leg out of the torso plane, knee flexion (degrees)."""
    t, b = ("L", "R") if side == "left" else ("R", "L")
    hip_mid = (p["upperleg01.L"] + p["upperleg01.R"]) / 2
    sh_mid = (p["upperarm01.L"] + p["upperarm01.R"]) / 2
    axis = sh_mid - hip_mid
    lateral = p[f"upperleg01.{t}"] - p[f"upperleg01.{b}"]
    front = np.cross(lateral, axis) if side == "left" else np.cross(axis, lateral)
    front /= np.linalg.norm(front)
    thigh = p[f"lowerleg01.{t}"] - p[f"upperleg01.{t}"]
    flex = float(np.degrees(np.arcsin(thigh @ front / np.linalg.norm(thigh))))
    knee = 180 - angle(p[f"upperleg01.{t}"] - p[f"lowerleg01.{t}"], p[f"foot.{t}"] - p[f"lowerleg01.{t}"])
    return flex, knee


@pytest.mark.parametrize("side", ["left", "right"])
def test_leg_lift_reps_and_faults(human, side):
    rng = np.random.default_rng(5)
    faults = {2: ("leg_forward",), 3: ("knee_bent",), 4: ("too_high",), 5: ("no_hold",)}
    clip = build_clip("leg-lift", human, side, rng, reps=5, faults=faults, fps=FPS)
    pts = points(clip, human)
    reps = rep_labels(clip, trace(clip, pts))
    assert len(reps) == 5 and set_labels(clip) == [{"side": side, "reps": 5}]
    assert [r["faults"] for r in reps] == [[], ["leg_forward"], ["knee_bent"], ["too_high"], ["no_hold"]]
    assert 30 <= reps[0]["peak_angle_deg"] <= 50 and reps[0]["hold_s"] >= 1.2
    assert reps[3]["peak_angle_deg"] > 65
    assert reps[4]["hold_s"] < 0.8  # dwell < 0.2 s plus the ramps within 3 deg of the peak
    peak = [pts[int(round(r["peak_s"] * FPS))] for r in reps]
    flex, knee = zip(*(top_leg_state(p, side) for p in peak), strict=True)
    assert flex[1] >= 25 and flex[0] < 10
    assert knee[2] >= 35 and knee[0] < 10
    # the top leg is the working one: its ankle is the highest point at the peak
    t = "L" if side == "left" else "R"
    assert peak[0][f"foot.{t}"][2] > peak[0][f"foot.{'R' if t == 'L' else 'L'}"][2] + 0.3


def test_leg_lift_hip_hike_tilts_pelvis(human):
    clip = build_clip("leg-lift", human, "left", np.random.default_rng(1), reps=2, faults={2: ("hip_hike",)}, fps=FPS)
    pts = points(clip, human)
    reps = rep_labels(clip, trace(clip, pts))

    def pelvis_tilt(p):  # hip line vs vertical, 90 = stacked hips
        return angle(p["upperleg01.L"] - p["upperleg01.R"], np.array([0, 0, 1.0]))

    tilt = [pelvis_tilt(pts[int(round(r["peak_s"] * FPS))]) for r in reps]
    assert tilt[0] < 5 and tilt[1] >= 15


def test_ball_squeeze_sets_and_bridge(human):
    clip = build_clip(
        "ball-squeeze",
        human,
        "left",
        np.random.default_rng(2),
        reps=6,
        sets=2,
        set_pause_s=3.0,
        faults={4: ("hips_lifted",)},
        fps=FPS,
    )
    pts = points(clip, human)
    reps = rep_labels(clip, trace(clip, pts))
    assert len(reps) == 6 and set_labels(clip) == [{"side": "both", "reps": 3}] * 2
    assert all(2.0 <= r["peak_angle_deg"] <= 8.0 for r in reps)  # a few cm of squeeze
    z0 = pts[0]["root"][2]
    lift = [pts[int(round(r["peak_s"] * FPS))]["root"][2] - z0 for r in reps]
    assert lift[3] >= 0.08 and max(lift[:3] + lift[4:]) < 0.01
    assert reps[3]["faults"] == ["hips_lifted"]


def test_figure_four_episodes(human):
    clip = build_clip(
        "figure-four",
        human,
        "right",
        np.random.default_rng(3),
        hold_s=12.0,
        episodes=[("knee_inward", 3.0, 6.0), ("ankle_off_thigh", 8.0, 10.0)],
        fps=FPS,
    )
    pts = points(clip, human)
    (hold,) = hold_labels(clip)
    assert hold["faults"] == ["ankle_off_thigh", "knee_inward"]
    assert hold["valid_s"] == pytest.approx(12.0 - 5.0, abs=0.01)

    def at(t):
        return pts[int(round(t * FPS))]

    s = hold["start_s"]
    ok, inward = at(s + 1.5), at(s + 4.5)
    assert figure_four.crossed_thigh_angle(ok, "right") > 35
    assert figure_four.crossed_thigh_angle(inward, "right") < 33

    # crossed ankle rests on the support thigh just above the knee, then slides off
    def ankle_to_thigh(p):
        hip, knee, ank = p["upperleg01.L"], p["lowerleg01.L"], p["foot.R"]
        u = (knee - hip) / np.linalg.norm(knee - hip)
        d = ank - hip
        return np.linalg.norm(d - u * (d @ u)) / np.linalg.norm(knee - hip)

    assert ankle_to_thigh(ok) < 0.25 and ankle_to_thigh(at(s + 9.0)) > 0.3


def test_seated_twist_episodes(human):
    clip = build_clip(
        "seated-twist",
        human,
        "left",
        np.random.default_rng(4),
        hold_s=12.0,
        episodes=[("no_rotation", 2.0, 5.0), ("hip_lifted", 7.0, 10.0)],
        fps=FPS,
    )
    pts = points(clip, human)
    (hold,) = hold_labels(clip)
    s = hold["start_s"]

    def at(t):
        return pts[int(round(t * FPS))]

    assert seated_twist.trunk_rotation(at(s + 1.0), "left") > 30
    assert seated_twist.trunk_rotation(at(s + 3.5), "left") < 15
    hip_w = np.linalg.norm(at(s)["upperleg01.L"] - at(s)["upperleg01.R"])

    def hip_diff(p):
        return abs(p["upperleg01.L"][2] - p["upperleg01.R"][2]) / hip_w

    assert hip_diff(at(s + 1.0)) < 0.1 and hip_diff(at(s + 8.5)) > 0.15


def test_leg_lift_rest_angle_is_small(human):
    clip = leg_lift.build(human, "left", np.random.default_rng(0), reps=1, fps=FPS)
    p = clip.pose(human, 0, skin=False).points
    assert leg_lift.leg_angle(p, "left") < 12


def test_parse_faults():
    reps, eps = parse_faults(["leg_forward@2,4", "knee_bent@2", "knee_inward@3-5.5"])
    assert reps == {2: ("knee_bent", "leg_forward"), 4: ("leg_forward",)}
    assert eps == [("knee_inward", 3.0, 5.5)]
    with pytest.raises(ValueError):
        parse_faults(["leg_forward"])


def test_unknown_fault_is_refused(human):
    with pytest.raises(ValueError, match="known"):
        build_clip("leg-lift", human, "left", np.random.default_rng(0), reps=1, faults={1: ("wobble",)}, fps=FPS)
    assert pose_human  # imported for completeness


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_leg_lift_clean_peaks_in_range(human, seed):
    rng = np.random.default_rng(seed)
    clip = build_clip("leg-lift", human, "right", rng, reps=4, fps=FPS)
    reps = rep_labels(clip, trace(clip, points(clip, human)))
    assert all(30 <= r["peak_angle_deg"] <= 50 and r["hold_s"] >= 1.2 for r in reps)
