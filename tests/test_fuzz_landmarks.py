"""Junk landmarks (NaN, inf, far off, random, jumping) never raise and never poison what comes after."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from posecheck.estimator import poses_from_result
from posecheck.overlay import Overlay, OverlayInput
from posecheck.pose import Pose, sane
from posecheck.registry import available, get_exercise
from posecheck.samples import samples_dir
from posecheck.session import Session
from posecheck.smoothing import FILTERS, PoseSmoother, make_filter
from posecheck.source import Frame, FrameSource, SourceInfo
from replay import RecordedEstimator, RecordedSource, recording, replayed

N = 10_000
FPS = 30.0
GAP_S = 3.0  # nobody in view between the junk and the clean clip
CLEAN = {  # one recorded clip per exercise, replayed after the junk
    "leg-lift": "leg-lift_left_clean_feet-oblique.mp4",
    "figure-four": "figure-four_left_clean-30s_side-raised.mp4",
    "seated-twist": "seated-twist_left_hip-lifted_front-oblique.mp4",
    "ball-squeeze": "ball-squeeze_both_clean-2x5_feet-raised.mp4",
    "auto": "leg-lift_left_clean_feet-oblique.mp4",
}


def clip(exercise: str) -> Path:
    return samples_dir() / CLEAN[exercise]


def junk(rng: np.random.Generator, base: np.ndarray, i: int, t: float) -> Pose:
    """Frame i's junk: eight kinds in turn, around a real pose `base` (33x2) where they keep one."""
    image = base.copy()
    world = rng.normal(0.0, 0.4, (33, 3))
    visibility = rng.uniform(0.0, 1.0, 33)
    kind = i % 8
    joint = int(rng.integers(33))
    if kind == 0:
        image = rng.uniform(-0.5, 1.5, (33, 2))  # random, in range
    elif kind == 1:
        image[joint] = np.nan
    elif kind == 2:
        image[joint, int(rng.integers(2))] = np.inf if rng.random() < 0.5 else -np.inf
    elif kind == 3:
        image = image * rng.choice([1e3, 1e9, 1e300])  # far outside the frame
    elif kind == 4:
        image = image + rng.uniform(-0.8, 0.8, 2)  # the whole body jumps (still in range)
    elif kind == 5:
        world[joint] = rng.choice([np.nan, np.inf, 50.0])
    elif kind == 6:
        visibility[joint] = np.nan
    else:
        image = image + rng.normal(0.0, 0.2, (33, 2))  # every joint jumps on its own
    return Pose(image, visibility, world, t, 4.0 / 3.0)


class JunkThenClean:
    """N junk frames, GAP_S with nobody, then a recorded clip's landmarks (times shifted)."""

    def __init__(self, data: dict[str, np.ndarray], seed: int = 18) -> None:
        self.clean = RecordedEstimator(data)
        self.rng = np.random.default_rng(seed)
        self.base = data["image"][~np.isnan(data["image"]).any(axis=(1, 2))]
        self.gap = int(GAP_S * FPS)
        self.i = 0

    def detect(self, rgb: np.ndarray, t: float) -> list[Pose]:
        i, self.i = self.i, self.i + 1
        if i < N:
            return [junk(self.rng, self.base[i % len(self.base)].astype(np.float64), i, t)]
        if i < N + self.gap:
            return []
        return [pose.replace(t=t) for pose in self.clean.detect(rgb, t)]


class Timeline(FrameSource):
    def __init__(self, name: str, frames: int) -> None:
        self.info = SourceInfo(name, "video", FPS, 640, 480, frames)

    def __iter__(self) -> Iterator[Frame]:
        blank = np.zeros((2, 2, 3), np.uint8)
        for i in range(self.info.frame_count or 0):
            yield Frame(blank, i / FPS, i)


def counted(report: dict, since: float = 0.0) -> dict[str, list[tuple[str, float]]]:
    """Reps and holds (side, duration rounded) that started at `since` or later, shifted back by it."""
    reps = [(r["side"], round(r["start_s"] - since, 1)) for r in report["reps"] if r["start_s"] >= since]
    holds = [(h["side"], round(h["start_s"] - since, 1)) for h in report["holds"] if h["start_s"] >= since]
    return {"reps": reps, "holds": holds}


@pytest.mark.parametrize("exercise", sorted(available()))
def test_junk_through_every_rule_raises_nothing_and_the_clip_after_it_counts_exactly(exercise):
    data = recording(clip(exercise))
    frames = N + int(GAP_S * FPS) + len(data["t"])
    result = Session(get_exercise(exercise), JunkThenClean(data)).run(Timeline("junk", frames))  # type: ignore[arg-type]
    assert result.error is None, result.error
    assert result.frames == frames
    report = result.report.build()
    since = (N + int(GAP_S * FPS)) / FPS
    clean = replayed(clip(exercise), exercise).report.build()
    after, alone = counted(report, since), counted(clean)
    assert [s for s, _ in after["reps"]] == [s for s, _ in alone["reps"]]
    assert [s for s, _ in after["holds"]] == [s for s, _ in alone["holds"]]
    assert len(alone["reps"]) + len(alone["holds"]) > 0  # the clip counts something: the check could fail
    for got, want in zip(after["reps"] + after["holds"], alone["reps"] + alone["holds"], strict=True):
        assert got[1] == pytest.approx(want[1], abs=0.5)  # a rule may adapt its rest level: the start can shift


def test_one_nan_joint_in_one_frame_costs_no_rep():
    """The reported case: one NaN joint in the clean leg lift made the One Euro state NaN for ever (0 reps, not 4)."""
    data = recording(clip("leg-lift"))
    data["image"] = data["image"].copy()
    data["image"][100, 25] = np.nan  # the left knee, once, mid-clip
    result = Session(get_exercise("leg-lift"), RecordedEstimator(data)).run(RecordedSource("nan", data))  # type: ignore[arg-type]
    assert result.error is None
    assert len(result.report.reps) == 4
    assert result.report.frames_with_pose == result.report.frames_total - 1  # that frame: nobody


@pytest.mark.parametrize("name", sorted(FILTERS))
def test_the_smoother_fed_junk_directly_is_never_poisoned(name):
    data = recording(clip("leg-lift"))
    rng = np.random.default_rng(7)
    smoother = PoseSmoother(name)
    base = data["image"][0].astype(np.float64)
    for i in range(N):
        out = smoother(junk(rng, base, i, i / FPS))
        assert out.image.shape == (33, 2)
    # the clean clip straight after (no gap, so no reset): every output finite, and soon the same as alone
    fresh = PoseSmoother(name)
    for k, t in enumerate(data["t"][:90]):
        pose = Pose(data["image"][k], data["visibility"][k], data["world"][k], N / FPS + float(t), 4.0 / 3.0)
        got, want = smoother(pose), fresh(pose)
        assert np.all(np.isfinite(got.image)) and got.world is not None and np.all(np.isfinite(got.world))
        if k >= 60:
            np.testing.assert_allclose(got.image, want.image, atol=0.01)


@pytest.mark.parametrize("name", ["ema", "one-euro"])
def test_a_filter_keeps_the_last_value_of_a_non_finite_element(name):
    f = make_filter(name)
    f(0.0, np.full((33, 2), 0.5))
    bad = np.full((33, 2), 0.5)
    bad[3] = [np.nan, np.inf]
    out = f(1 / 30, bad)
    assert np.all(np.isfinite(out))
    np.testing.assert_allclose(out[3], [0.5, 0.5])
    np.testing.assert_allclose(f(2 / 30, np.full((33, 2), 0.5)), 0.5)


def test_the_pose_smoother_passes_a_junk_pose_on_as_a_missing_frame():
    smoother = PoseSmoother("one-euro")
    pose = Pose(np.full((33, 2), 0.5), np.ones(33), None, 0.0)
    smoother(pose)
    bad = pose.image.copy()
    bad[3] = np.nan
    assert np.isnan(smoother(pose.replace(image=bad, t=1 / 30)).image[3]).all()  # passed on, not smoothed
    np.testing.assert_allclose(smoother(pose.replace(t=2 / 30)).image, 0.5)  # and nothing of it kept


def test_the_overlay_draws_junk_as_nobody_and_never_raises():
    rng = np.random.default_rng(3)
    overlay = Overlay()
    rule = get_exercise("leg-lift")
    data = recording(clip("leg-lift"))
    frame = np.zeros((120, 160, 3), np.uint8)
    drawn_body = 0
    for i in range(N):
        pose = junk(rng, data["image"][i % 100].astype(np.float64), i, i / FPS)
        state = rule.state.snapshot()
        state.angle_at = (23, 25, 27)
        state.angle_deg = float(rng.choice([30.0, np.nan, np.inf]))
        out = overlay.annotate(frame.copy(), OverlayInput(i / FPS, pose, state, None, None), mirror=i % 2 == 0)
        drawn_body += int(sane(pose))
        assert out.shape == frame.shape
    assert 0 < drawn_body < N  # some junk was sane (drawn), some was not (left out)


class _Landmark:
    def __init__(self, x: float, y: float, z: float = 0.0) -> None:
        self.x, self.y, self.z, self.visibility, self.presence = x, y, z, 0.9, 0.9


class _Result:
    def __init__(self, image: np.ndarray, world: np.ndarray) -> None:
        self.pose_landmarks = [[_Landmark(x, y) for x, y in image]]
        self.pose_world_landmarks = [[_Landmark(*p) for p in world]]


@pytest.mark.parametrize(
    ("where", "value"),
    [("image", np.nan), ("image", np.inf), ("image", 2.5), ("image", -2.5), ("world", np.nan), ("world", 4.0)],
)
def test_the_estimator_boundary_drops_a_pose_with_junk_landmarks(where, value):
    image, world = np.full((33, 2), 0.5), np.zeros((33, 3))
    assert len(poses_from_result(_Result(image, world), 0.0, 4 / 3)) == 1
    (image if where == "image" else world)[5, 0] = value
    assert poses_from_result(_Result(image, world), 0.0, 4 / 3) == []
