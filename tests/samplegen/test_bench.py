"""The benchmark's spec drawing and aimed cameras (no rendering: these run in seconds)."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from dataclasses import replace

import numpy as np
import pytest

from samplegen.bench import draw as bd
from samplegen.bench.run import folder_draw, is_done, write_index
from samplegen.bench.truth import truth_problems
from samplegen.bench.view import HEIGHTS, aimed_camera, coached_sector, preset_azimuth, sector
from samplegen.camera import PRESETS
from samplegen.labels import hold_labels, rep_labels
from samplegen.pipeline import make_clip

N = 160


@pytest.fixture(scope="module")
def clips():
    return [bd.draw(1, i) for i in range(N)]


def test_draw_is_reproducible_and_slice_independent():
    a = [bd.draw(1, i) for i in (5, 3, 90)]
    b = [bd.draw(1, i) for i in (90, 5, 3)]
    assert [x.factors for x in a] == [b[1].factors, b[2].factors, b[0].factors]
    assert a[0].spec == b[1].spec
    assert bd.draw(2, 5).factors != a[0].factors  # the seed matters
    assert bd.draw(1, 6).factors != a[0].factors  # and so does the index


def test_every_prefix_is_balanced(clips):
    for n in range(1, N + 1):
        ex = Counter(c.exercise for c in clips[:n])
        assert max(ex.values()) - min(ex.get(e, 0) for e in bd.EXERCISES) <= 1
        for e in bd.EXERCISES:
            halves = Counter(c.split for c in clips[:n] if c.exercise == e)
            assert abs(halves["test"] - halves["tune"]) <= 1
    full = Counter((c.exercise, c.split, c.factors["negative"]) for c in clips)
    for e in bd.EXERCISES:
        assert full[(e, "test", False)] == full[(e, "tune", False)] == 18
        assert full[(e, "test", True)] == full[(e, "tune", True)] == 2
    assert len({c.name for c in clips}) == N


def test_factor_ranges(clips):
    sizes = {s for s, _ in bd.SIZES}
    rates = {f for f, _ in bd.FPS}
    for c in clips:
        f, s = c.factors, c.spec
        assert (s.width, s.height) in sizes and s.fps in rates
        assert s.body in ("female", "male") and s.side in ("left", "right")
        lo, hi = sector(c.exercise) if bd.wide_of(c.index) else coached_sector(c.exercise)
        assert lo <= f["drawn_azimuth_deg"] <= hi
        assert f["draw"] == 2 and f["views"] == ("every preset" if bd.wide_of(c.index) else "coached")
        assert HEIGHTS[c.exercise][0] <= f["drawn_height_m"] <= HEIGHTS[c.exercise][1]
        assert bd.BODY_FRAC[0] <= f["drawn_body_frac"] <= bd.BODY_FRAC[1]
        assert abs(f["roll_deg"]) <= bd.ROLL_MAX_DEG
        assert s.camera in PRESETS[c.exercise]
        if f["negative"]:
            assert s.reps == 0 or s.motion.get("negative")
            assert not s.faults
            continue
        assert bd.TEMPO_S[0] <= f["tempo_s"] <= bd.TEMPO_S[1] or c.exercise in ("figure-four", "seated-twist")
        if c.exercise == "leg-lift":
            over = s.motion["overrides"]
            assert 2 <= s.reps <= 6 and len(over) == s.reps
            for k, o in over.items():
                if o.get("partial"):
                    assert bd.LIFT_PARTIAL_DEG[0] <= o["angle"] <= bd.LIFT_PARTIAL_DEG[1]
                elif f"too_high@{k}" in s.faults:
                    assert bd.LIFT_HIGH_DEG[0] <= o["angle"] <= bd.LIFT_HIGH_DEG[1]
                else:
                    assert bd.LIFT_CLEAN_DEG[0] <= o["angle"] <= bd.LIFT_CLEAN_DEG[1]
                lo_d, hi_d = bd.NO_HOLD_S if f"no_hold@{k}" in s.faults else bd.DWELL_S
                assert lo_d <= o["dwell"] <= hi_d
        elif c.exercise == "ball-squeeze":
            assert all(bd.SQUEEZE_CM[0] <= o["cm"] <= bd.SQUEEZE_CM[1] for o in s.motion["overrides"].values())
        else:
            assert bd.HOLD_S[0] <= s.hold_s <= bd.HOLD_S[1]
            assert bd.TRANSITION_S[0] <= s.motion["transition_s"] <= bd.TRANSITION_S[1]
            key, rng = ("hip_flex", bd.HIP_FLEX_DEG) if c.exercise == "figure-four" else ("twist_deg", bd.TWIST_DEG)
            assert rng[0] <= s.motion[key] <= rng[1]
    # some of everything: faults, negatives, rolls, every picture size
    assert sum(bool(c.spec.faults) for c in clips) > N // 4
    assert sum(c.factors["roll_deg"] != 0 for c in clips) > N // 3
    assert {(c.spec.width, c.spec.height) for c in clips} == sizes


def _label(clip_spec, fps=5.0):
    clip, human, _ = make_clip(replace(clip_spec, fps=fps))
    pts = [clip.pose(human, j, skin=False).points for j in range(len(clip.frames))]
    trace = np.array([clip.measure(p) for p in pts])
    label = {"exercise": clip.exercise, "reps": rep_labels(clip, trace) if clip.reps else []}
    label["holds"] = hold_labels(clip)
    if clip.partials:
        label["partial_reps"] = rep_labels(replace(clip, reps=clip.partials), trace)
    return label, clip, pts, trace


def test_drawn_rep_clips_keep_their_labels_truthful(clips):
    """Measured on the rig: reps > 20 deg, too_high exactly where > 60 deg, partial lifts < 20."""
    seen_partial = False
    for c in clips[:48]:
        if c.exercise in ("leg-lift", "ball-squeeze"):
            label, clip, _, _ = _label(c.spec)
            assert truth_problems(label, c.factors["negative"]) == [], c.name
            assert len(label["reps"]) == c.factors["reps"]
            seen_partial |= bool(label.get("partial_reps"))
            assert 5 <= clip.duration_s <= 26
    assert seen_partial


def _build(human, exercise, side="left", fps=8.0, **kw):
    from samplegen.motions.registry import build_clip

    clip = build_clip(exercise, human, side, np.random.default_rng(9), fps=fps, **kw)
    pts = [clip.pose(human, j, skin=False).points for j in range(len(clip.frames))]
    return clip, pts, np.array([clip.measure(p) for p in pts])


def test_leg_lift_amplitude_tempo_dwell(human):
    def one(angle, rise, dwell):
        over = {1: {"angle": angle, "rise": rise, "lower": rise, "dwell": dwell, "rest": 1.0}}
        clip, _, tr = _build(human, "leg-lift", reps=1, overrides=over)
        return rep_labels(clip, tr)[0]

    low, high = one(25.0, 0.5, 1.5), one(55.0, 0.5, 1.5)
    assert low["peak_angle_deg"] == pytest.approx(25.0, abs=2.5)
    assert high["peak_angle_deg"] == pytest.approx(55.0, abs=2.5)
    slow = one(25.0, 2.0, 1.5)
    # 3 s more of ramps; the measured rep (rest + 2 deg crossings) trims the eased ramps' slow ends
    assert (slow["end_s"] - slow["start_s"]) - (low["end_s"] - low["start_s"]) > 1.2
    assert one(25.0, 0.5, 3.0)["hold_s"] - low["hold_s"] > 1.0


def test_leg_lift_partial_rep_is_kept_out_of_reps(human):
    over = {2: {"angle": 15.0, "partial": 1.0}}
    clip, _, tr = _build(human, "leg-lift", reps=3, overrides=over)
    assert len(clip.reps) == 2 and len(clip.partials) == 1
    (part,) = rep_labels(replace(clip, reps=clip.partials), tr)
    assert part["peak_angle_deg"] < 20 and clip.reps[0].end_s < part["start_s"] < clip.reps[1].start_s


@pytest.mark.parametrize("cm", [1.5, 4.0, 8.0])
def test_ball_squeeze_travel_in_cm(human, cm):
    over = {1: {"cm": cm, "ramp": 0.5, "rel": 0.5, "hold": 1.0, "rest": 1.0}}
    clip, _, tr = _build(human, "ball-squeeze", reps=1, overrides=over)
    assert rep_labels(clip, tr)[0]["peak_angle_deg"] == pytest.approx(cm, rel=0.15, abs=0.3)


def _hip_flex(p, side):
    o = "R" if side == "left" else "L"
    down = (p["upperleg01.L"] + p["upperleg01.R"]) / 2 - (p["upperarm01.L"] + p["upperarm01.R"]) / 2
    thigh = p[f"lowerleg01.{o}"] - p[f"upperleg01.{o}"]
    return float(np.degrees(np.arccos(thigh @ down / np.linalg.norm(thigh) / np.linalg.norm(down))))


def test_figure_four_hip_flex_transition_negative(human):
    flex = {}
    for deg in (70.0, 105.0):
        clip, pts, _ = _build(human, "figure-four", hold_s=4.0, hip_flex=deg, transition_s=1.0)
        (hold,) = hold_labels(clip)
        flex[deg] = _hip_flex(pts[int((hold["start_s"] + 1.0) * 8)], "left")
    assert flex[105.0] - flex[70.0] == pytest.approx(35, abs=6)
    slow, _, _ = _build(human, "figure-four", hold_s=4.0, transition_s=3.0)
    fast, _, _ = _build(human, "figure-four", hold_s=4.0, transition_s=1.0)
    assert slow.holds[0].start_s - fast.holds[0].start_s == pytest.approx(2.0)
    neg, pts, tr = _build(human, "figure-four", negative=True, idle_s=6.0)
    assert neg.holds == [] and neg.duration_s >= 6.0 and np.ptp(tr) < 2.0


def test_seated_twist_amplitude_and_fidget(human):
    rot = {}
    for deg in (25.0, 55.0):
        clip, _, tr = _build(human, "seated-twist", hold_s=4.0, twist_deg=deg)
        (hold,) = hold_labels(clip)
        rot[deg] = tr[int((hold["start_s"] + 1.0) * 8)]
    assert rot[55.0] - rot[25.0] > 15 and rot[25.0] > 10
    still, _, a = _build(human, "seated-twist", hold_s=6.0)
    _, _, b = _build(human, "seated-twist", hold_s=6.0, fidget=3.0)
    s, e = (int(t * 8) for t in (still.holds[0].start_s + 0.5, still.holds[0].end_s - 0.5))
    assert np.ptp(a[s:e]) < 0.5 < np.ptp(b[s:e])
    neg, _, tr = _build(human, "seated-twist", negative=True, idle_s=5.0)
    assert neg.holds == [] and np.ptp(tr) < 2.0


@pytest.mark.parametrize("index", [0, 9, 38, 65, 88, 131])
def test_aimed_camera_frames_the_body_as_drawn(human, index):
    c = bd.draw(1, index)
    clip, human_c, _ = make_clip(replace(c.spec, fps=4.0))
    verts = np.concatenate([clip.pose(human_c, i).verts[::25] for i in range(len(clip.frames))])
    side = 1.0 if c.spec.side == "left" else -1.0
    cam, info = aimed_camera(
        c.exercise, clip.directions(), verts, side, c.spec.width, c.spec.height, roll_deg=c.spec.roll, **c.spec.view
    )
    uv = cam.project(verts)
    assert np.isfinite(uv).all() and (uv > 0).all() and (uv[:, 0] < cam.width).all() and (uv[:, 1] < cam.height).all()
    assert info["azimuth_deg"] == pytest.approx(c.factors["drawn_azimuth_deg"], abs=0.05)
    assert info["height_m"] == pytest.approx(c.factors["drawn_height_m"], abs=1e-3)
    assert info["body_frac"] <= c.factors["drawn_body_frac"] + 0.01
    assert info["body_frac"] >= min(c.factors["drawn_body_frac"] - 0.01, 0.75)
    # the roll shows: the camera's x axis tilts out of the horizontal by the roll, times the cosine of the pitch
    tilt = np.degrees(np.arcsin(cam.pose[2, 0] / np.linalg.norm(cam.pose[:3, 0])))
    pitch = np.arcsin(abs(cam.pose[2, 2]) / np.linalg.norm(cam.pose[:3, 2]))
    want = np.degrees(np.arcsin(np.sin(np.radians(abs(c.spec.roll))) * np.cos(pitch)))
    assert abs(tilt) == pytest.approx(want, abs=0.5 + 0.1 * abs(c.spec.roll))


def test_draw_2_centres_the_camera_on_the_coached_views():
    """Draw 2 changes the azimuth only, into the coached views but for one group of four in five; draw 1 stays."""
    wide = [i for i in range(160) if bd.wide_of(i)]
    assert len(wide) == 32 and {bd.split_of(i) for i in wide} == {"test", "tune"}
    assert {bd.exercise_of(i) for i in wide[:4]} == set(bd.EXERCISES)
    for i in (0, 5, 14, 27, 61):
        one, two = bd.draw(1, i, version=1).factors, bd.draw(1, i).factors
        changed = {k for k in one if one[k] != two[k]}
        assert changed <= {"draw", "views", "drawn_azimuth_deg", "camera"}
        assert one["views"] == "every preset" and one["draw"] == 1
    assert coached_sector("ball-squeeze") == pytest.approx((-15, 60))
    assert coached_sector("figure-four") == pytest.approx((30, 105))
    with pytest.raises(ValueError):
        bd.draw(1, 0, version=3)


def test_preset_azimuths():
    assert preset_azimuth("leg-lift", "front") == pytest.approx(90)
    assert preset_azimuth("leg-lift", "back") == pytest.approx(-90)
    assert preset_azimuth("ball-squeeze", "feet-raised") == pytest.approx(0)
    assert preset_azimuth("seated-twist", "side") == pytest.approx(90)
    assert sector("seated-twist") == pytest.approx((38.66 - 15, 105), abs=0.01)


def test_index_file_and_resume_marker(tmp_path):
    name = bd.clip_name(1)
    (tmp_path / f"{name}.json").write_text(json.dumps({"exercise": "ball-squeeze"}))
    np.savez(tmp_path / f"{name}.landmarks.npz", t=np.zeros(1))
    assert not is_done(tmp_path, name)  # no "bench" stamp yet: the clip is redone
    (tmp_path / f"{name}.json").write_text(json.dumps({"bench": {"factors": {"x": 1}}}))
    with pytest.raises(SystemExit):  # a label without a draw is draw 1's: not resumed as draw 2
        is_done(tmp_path, name)
    assert is_done(tmp_path, name, version=1)
    (tmp_path / f"{name}.json").write_text(json.dumps({"bench": {"draw": 2, "factors": {"x": 1}}}))
    assert is_done(tmp_path, name)
    write_index(tmp_path, 1, 8, "python -m samplegen bench")
    data = json.loads((tmp_path / "bench.json").read_text())
    assert [c["rendered"] for c in data["clips"]] == [False, True] + [False] * 6
    assert data["clips"][1]["factors"] == {"x": 1} and data["seed"] == 1 and data["n"] == 8 and data["draw"] == 2
    assert folder_draw(tmp_path) == 2 and folder_draw(tmp_path / "none") is None
    assert [c["split"] for c in data["clips"]] == ["test"] * 4 + ["tune"] * 4


def test_stage_uses_the_aimed_camera_and_presets_stay():
    from samplegen.pipeline import Spec, stage

    c = bd.draw(1, 3)
    st = stage(replace(c.spec, fps=4.0))
    assert st.view is not None and st.view["azimuth_deg"] == pytest.approx(c.factors["drawn_azimuth_deg"], abs=0.05)
    assert (st.camera.width, st.camera.height) == (c.spec.width, c.spec.height)
    plain = Spec("seated-twist", "left", "side", "x.mp4", fps=4.0, hold_s=3.0)
    assert stage(plain).view is None


def test_hold_fault_spells_fit_the_hold(clips):
    from samplegen.pipeline import parse_faults

    spells = 0
    for c in clips:
        if c.exercise in ("figure-four", "seated-twist") and c.spec.faults:
            reps, eps = parse_faults(c.spec.faults)
            assert not reps
            eps.sort(key=lambda e: e[1])
            for _, a, b in eps:
                assert 0.8 <= a < b <= c.spec.hold_s - 0.8 and bd.EPISODE_S[0] - 0.01 <= b - a <= bd.EPISODE_S[1] + 0.01
            assert all(e1[1] >= e0[2] + 1.0 - 1e-6 for e0, e1 in itertools.pairwise(eps))  # 1 s apart
            spells += len(eps)
    assert spells >= 30


def _truth_and_reading(frames: int = 20) -> tuple[np.ndarray, np.ndarray]:
    """A standing-ish body's truth in pixels (640x480) and MediaPipe's normalised reading of it, exact."""
    truth = np.full((frames, 33, 2), np.nan, np.float32)
    truth[:, 23], truth[:, 24] = (300, 200), (340, 200)  # hips
    truth[:, 25], truth[:, 26] = (300, 300), (340, 300)  # knees: thighs 100 px
    truth[:, 27], truth[:, 28] = (300, 400), (340, 400)  # ankles
    reading = np.nan_to_num(truth) / np.array([640, 480], np.float32)
    return truth, reading


def test_landmark_error_is_the_legs_picture_error_in_thigh_lengths():
    from samplegen.bench.landmark_error import MISREAD, landmark_error

    truth, reading = _truth_and_reading()
    assert landmark_error(reading, truth, 640, 480) == 0.0
    shifted = reading + np.array([50 / 640, 0], np.float32)  # every joint 50 px off: half a thigh
    assert landmark_error(shifted, truth, 640, 480) == pytest.approx(0.5)
    assert landmark_error(shifted, truth, 640, 480) > MISREAD
    swapped = reading[:, [*range(23), 24, 23, 26, 25, 28, 27, *range(29, 33)]]  # left/right labels swapped
    assert landmark_error(swapped, truth, 640, 480) == 0.0
    lost = np.full_like(reading, np.nan)  # no pose in any frame
    assert landmark_error(lost, truth, 640, 480) is None
