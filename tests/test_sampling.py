"""The frame sampler (posecheck/sampling.py) and DetectAhead running the model only on the frames it chooses."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from posecheck.ahead import DetectAhead
from posecheck.errors import SourceLostError
from posecheck.pose import Pose
from posecheck.sampling import FrameSampler, Plan, poses_between
from posecheck.source import Frame, FrameSource, SourceInfo

FPS = 30.0
PLAN = Plan.for_fps(FPS)


def picture(x: int) -> np.ndarray:
    """A dark 640x480 picture with a bright block whose left edge is at x (moving it is motion)."""
    image = np.zeros((480, 640, 3), np.uint8)
    image[200:280, x : x + 80] = 255
    return image


def frames(xs: list[int], fail_after: int | None = None) -> Iterator[Frame]:
    for i, x in enumerate(xs):
        if fail_after is not None and i == fail_after:
            raise SourceLostError("camera unplugged")
        yield Frame(picture(x), i / FPS, i)


def chosen(xs: list[int], sampler: FrameSampler | None = None) -> list[int]:
    sampler = sampler or FrameSampler(FPS)
    return [frame.index for frame, run in sampler.choices(frames(xs)) if run]


def person(x: float, t: float = 0.0, visibility: float = 0.9) -> Pose:
    image = np.full((33, 2), 0.5)
    image[:, 0] = x
    return Pose(image, np.full(33, visibility), np.zeros((33, 3)), t)


def test_a_still_picture_is_sampled_at_the_still_rate_first_and_last_frames_included() -> None:
    runs = chosen([100] * 90)
    assert runs[0] == 0 and runs[-1] == 89
    assert set(np.diff(runs[:-1])) == {PLAN.still_stride}
    assert 4.0 <= len(runs) / 3.0 <= 7.0  # 5-6 a second


def test_motion_is_sampled_densely_from_before_it_starts_to_after_it_ends() -> None:
    xs = [100] * 60 + list(range(100, 400, 10)) + [400] * 60  # still 2 s, moving 1 s, still 2 s
    runs = chosen(xs)
    moving = [i for i in runs if 60 - PLAN.ahead <= i <= 90 + PLAN.behind]
    assert set(np.diff(moving)) <= {1, PLAN.moving_stride}
    assert len(moving) >= (30 + PLAN.ahead + PLAN.behind) / PLAN.moving_stride - 1
    still = [i for i in runs if i > 90 + PLAN.behind + PLAN.still_stride]
    assert set(np.diff(still[:-1])) == {PLAN.still_stride}


def test_slow_drift_is_sampled_once_it_adds_up() -> None:
    """A block creeping 1 px a frame never moves enough between frames, but the model sees it before long."""
    xs = [100 + i for i in range(120)]
    runs = chosen(xs)
    assert runs[0] == 0 and runs[-1] == 119
    assert max(np.diff(runs)) <= PLAN.still_stride


def test_the_same_video_gives_the_same_choices() -> None:
    xs = [100] * 40 + list(range(100, 300, 7)) + [300] * 40
    assert chosen(xs) == chosen(xs)


def test_nobody_in_view_at_first_is_every_frame_then_still_rate() -> None:
    sampler = FrameSampler(FPS)
    runs = []
    for frame, run in sampler.choices(frames([100] * 150)):
        if run:
            runs.append(frame.index)
            sampler.observed(frame.index, [])
    early = [i for i in runs if PLAN.lag + PLAN.ahead < i < PLAN.nobody]
    assert set(np.diff(early)) == {1}  # the estimator's turned tries count frames: as with --every-frame
    late = [i for i in runs if i > PLAN.nobody + PLAN.dense + PLAN.lag + PLAN.ahead]
    assert set(np.diff(late[:-1])) == {PLAN.still_stride}


def test_the_models_answers_steer_only_after_the_fixed_lag() -> None:
    """A person jumping between samples makes the following frames dense, never the ones chosen before the lag."""
    sampler = FrameSampler(FPS)
    runs = []
    for frame, run in sampler.choices(frames([100] * 120)):
        if run:
            runs.append(frame.index)
            sampler.observed(frame.index, [person(0.2 if frame.index < 40 else 0.6, frame.t)])
    jump = next(i for i in runs if i >= 40)
    after = [i for i in runs if jump + PLAN.lag <= i <= jump + PLAN.lag + PLAN.dense]
    assert set(np.diff(after)) == {PLAN.moving_stride}
    settled = PLAN.lag + PLAN.dense + PLAN.still_stride  # someone found at the start: dense for a moment
    before = [i for i in runs if settled < i < jump + PLAN.lag - PLAN.still_stride]
    assert set(np.diff(before)) == {PLAN.still_stride}


def test_a_source_error_comes_after_the_frames_read_before_it() -> None:
    sampler = FrameSampler(FPS)
    seen = []
    with pytest.raises(SourceLostError):
        for frame, _ in sampler.choices(frames([100] * 50, fail_after=30)):
            seen.append(frame.index)
    assert seen == list(range(30))


def test_poses_between_interpolates_one_person_and_takes_the_nearer_otherwise() -> None:
    a, b = person(0.2, 0.0, 0.4), person(0.6, 1.0, 0.8)
    (mid,) = poses_between([a], [b], 0.25, 0.25)
    assert mid.t == 0.25
    assert np.allclose(mid.image[:, 0], 0.3) and np.allclose(mid.visibility, 0.5)
    assert poses_between([a], [], 0.4, 0.4)[0].image[0, 0] == pytest.approx(0.2)
    assert poses_between([a], [], 0.6, 0.6) == []


class Moving(FrameSource):
    """xs as frames of a recorded video."""

    def __init__(self, xs: list[int]) -> None:
        self.xs = xs
        self.info = SourceInfo("test", "video", FPS, 640, 480, len(xs))

    def __iter__(self) -> Iterator[Frame]:
        return frames(self.xs)


class Pipeline:
    """A Pipelined estimator answering each frame with a person at the frame's time (x = its time)."""

    def __init__(self) -> None:
        self.submitted: list[float] = []
        self._waiting: list[float] = []

    def submit(self, rgb: np.ndarray, t: float) -> None:
        self.submitted.append(t)
        self._waiting.append(t)

    def collect(self) -> list[Pose]:
        t = self._waiting.pop(0)
        return [person(t, t)]


@pytest.mark.parametrize("in_flight", [1, 3])
def test_detect_ahead_runs_the_model_on_the_chosen_frames_and_interpolates_the_rest(in_flight: int) -> None:
    xs = [100] * 60 + list(range(100, 400, 10)) + [400] * 60
    estimator = Pipeline()
    sampler = FrameSampler(FPS)
    with DetectAhead(Moving(xs), estimator, in_flight=in_flight, sampler=sampler) as ahead:
        out = list(ahead)
    assert [frame.index for frame, _ in out] == list(range(len(xs)))
    modelled = [frame.t for frame, _ in out if frame.modelled]
    assert modelled == estimator.submitted == sorted(set(estimator.submitted))  # rising timestamps, each once
    assert len(modelled) == sampler.modelled < len(xs) / 2
    for frame, poses in out:  # the fake's x is the frame's time: interpolated exactly
        assert len(poses) == 1 and poses[0].t == frame.t
        assert poses[0].image[0, 0] == pytest.approx(frame.t)


def test_the_choices_do_not_depend_on_how_far_ahead_the_estimator_runs() -> None:
    xs = [100] * 40 + list(range(100, 300, 9)) + [300] * 50

    def run(in_flight: int) -> list[float]:
        estimator = Pipeline()
        with DetectAhead(Moving(xs), estimator, in_flight=in_flight, sampler=FrameSampler(FPS)) as ahead:
            list(ahead)
        return estimator.submitted

    assert run(1) == run(3)


def test_a_sampled_session_judges_and_draws_every_frame_saying_which_were_interpolated() -> None:
    from posecheck.overlay import Overlay, OverlayInput
    from posecheck.registry import get_exercise
    from posecheck.replay import RecordedEstimator
    from posecheck.samples import demo_clip
    from posecheck.session import Session
    from posecheck.source import open_source
    from replay import recording

    clip = demo_clip("leg-lift")
    session = Session(get_exercise("leg-lift"), RecordedEstimator(recording(clip), by_time=True), sparse=True)
    seen: list[tuple[bool, OverlayInput]] = []

    def hook(frame: Frame, item: OverlayInput, events: list[object]) -> bool:
        seen.append((frame.modelled, item))
        return True

    with open_source(clip) as source:
        result = session.run(source, hook)  # type: ignore[arg-type]
    assert len(seen) == result.frames and result.modelled == sum(m for m, _ in seen) < result.frames / 2
    assert all((item.note is None) == modelled for modelled, item in seen)
    assert all(item.pose is not None for _, item in seen)  # a person throughout this clip, skipped frames too
    skipped = next(item for modelled, item in seen if not modelled)
    image = np.zeros((480, 640, 3), np.uint8)
    plain = Overlay().annotate(image.copy(), OverlayInput(skipped.t, None, skipped.state, None))
    noted = Overlay().annotate(image.copy(), OverlayInput(skipped.t, None, skipped.state, None, note=skipped.note))
    assert (plain[400:, :320] != noted[400:, :320]).any()  # said in the bottom-left corner
