"""DetectAhead: detection on a worker thread, one frame ahead of the rules."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

import numpy as np
import pytest

from posecheck.ahead import DetectAhead
from posecheck.errors import SourceLostError
from posecheck.pose import Pose
from posecheck.source import Frame, FrameSource, SourceInfo


class Counting(FrameSource):
    """n frames whose picture holds their index; optionally fails after `fail_after` frames."""

    def __init__(self, n: int, fail_after: int | None = None) -> None:
        self.info = SourceInfo("test", "video", 30.0, 4, 4, n)
        self.n, self.fail_after = n, fail_after
        self.read = 0

    def __iter__(self) -> Iterator[Frame]:
        for i in range(self.n):
            if self.fail_after is not None and i == self.fail_after:
                raise SourceLostError("camera unplugged")
            self.read += 1
            yield Frame(np.full((4, 4, 3), i, np.uint8), i / 30.0, i)


class Recorder:
    """A detect() that notes its calls (thread, picture value, time) and takes a little while."""

    def __init__(self, delay_s: float = 0.0) -> None:
        self.calls: list[tuple[str, int, float]] = []
        self.delay_s = delay_s

    def __call__(self, rgb: np.ndarray, t: float) -> list[Pose]:
        time.sleep(self.delay_s)
        self.calls.append((threading.current_thread().name, int(rgb[0, 0, 0]), t))
        return []


def test_every_frame_in_order_detected_off_the_callers_thread() -> None:
    detect = Recorder()
    with DetectAhead(Counting(50), detect) as ahead:
        seen = [frame.index for frame, _ in ahead]
    assert seen == list(range(50))
    assert [c[1] for c in detect.calls] == list(range(50))
    assert [c[2] for c in detect.calls] == sorted(c[2] for c in detect.calls)  # rising timestamps
    assert {c[0] for c in detect.calls} == {"posecheck-detect"}


def test_detection_overlaps_the_callers_work() -> None:
    """Detect and judge each take 10 ms a frame: run side by side, 30 frames take ~0.3 s, not ~0.6 s."""
    start = time.monotonic()
    with DetectAhead(Counting(30), Recorder(delay_s=0.01)) as ahead:
        for _ in ahead:
            time.sleep(0.01)
    # generous: a loaded machine stretches both; the serial loop could not finish below 0.6 s
    assert time.monotonic() - start < 0.55


@pytest.mark.parametrize("fail_after", [0, 7])
def test_source_error_raised_after_the_frames_before_it(fail_after: int) -> None:
    got: list[int] = []
    source = Counting(20, fail_after=fail_after)
    with pytest.raises(SourceLostError, match="unplugged"), DetectAhead(source, Recorder()) as ahead:
        for frame, _ in ahead:
            got.append(frame.index)
    assert got == list(range(fail_after))


def test_estimator_error_reaches_the_caller() -> None:
    def broken(rgb: np.ndarray, t: float) -> list[Pose]:
        if t > 0.1:
            raise RuntimeError("model failed")
        return []

    with pytest.raises(RuntimeError, match="model failed"), DetectAhead(Counting(20), broken) as ahead:
        for _ in ahead:
            pass


@pytest.mark.parametrize("how", ["break", "raise"])
def test_leaving_early_stops_the_worker_before_the_source_is_closed(how: str) -> None:
    source = Counting(1000)
    block = DetectAhead(source, Recorder())
    with pytest.raises(KeyError) if how == "raise" else contextlib.nullcontext(), block as ahead:
        for frame, _ in ahead:
            if frame.index == 5:
                if how == "raise":
                    raise KeyError("rule failed")
                break
    assert not block._thread.is_alive()
    read = source.read
    time.sleep(0.05)
    assert source.read == read < 10  # stopped within the queue's depth, and stays stopped


class Pipeline:
    """A Pipelined estimator that notes submits and collects; collect() may fail at a given frame."""

    def __init__(self, fail_at: int | None = None) -> None:
        self.submitted: list[int] = []
        self.collected: list[int] = []
        self.most_in_flight = 0
        self.fail_at = fail_at

    def submit(self, rgb: np.ndarray, t: float) -> None:
        self.submitted.append(int(rgb[0, 0, 0]))
        self.most_in_flight = max(self.most_in_flight, len(self.submitted) - len(self.collected))

    def collect(self) -> list[Pose]:
        index = self.submitted[len(self.collected)]
        self.collected.append(index)
        if index == self.fail_at:
            raise RuntimeError("estimator process died")
        return [Pose(np.full((33, 2), index / 100.0), np.ones(33), None, index / 30.0)]


def test_a_pipelined_estimator_gets_frames_ahead_and_answers_each_in_order() -> None:
    estimator = Pipeline()
    with DetectAhead(Counting(40), estimator, in_flight=3) as ahead:
        got = [(frame.index, poses[0].image[0, 0]) for frame, poses in ahead]
    assert [i for i, _ in got] == list(range(40))
    assert all(value == i / 100.0 for i, value in got)  # each frame with its own poses
    assert estimator.most_in_flight == 3
    assert estimator.submitted == estimator.collected == list(range(40))


def test_a_pipelined_source_error_comes_after_the_frames_in_flight() -> None:
    got: list[int] = []
    with pytest.raises(SourceLostError), DetectAhead(Counting(20, fail_after=9), Pipeline(), in_flight=3) as ahead:
        got.extend(frame.index for frame, _ in ahead)
    assert got == list(range(9))


def test_a_pipelined_estimator_error_is_raised_in_its_place() -> None:
    got: list[int] = []
    estimator = Pipeline(fail_at=6)
    with pytest.raises(RuntimeError, match="died"), DetectAhead(Counting(20), estimator, in_flight=3) as ahead:
        got.extend(frame.index for frame, _ in ahead)
    assert got == list(range(6))
    assert len(estimator.collected) == len(estimator.submitted)  # nothing left in flight


def test_leaving_early_collects_what_is_in_flight_so_the_estimator_can_serve_again() -> None:
    estimator = Pipeline()
    block = DetectAhead(Counting(1000), estimator, in_flight=3)
    with block as ahead:
        for frame, _ in ahead:
            if frame.index == 5:
                break
    assert not block._thread.is_alive()
    assert 8 <= len(estimator.submitted) < 20
    assert estimator.collected == estimator.submitted


def test_the_worker_is_woken_only_for_the_frame_it_waits_to_see_judged() -> None:
    """judged() after every frame used to wake the sampling worker each time (a thread switch a frame)."""
    from posecheck.sampling import FrameSampler

    ahead = DetectAhead(Counting(1), Recorder(), sampler=FrameSampler(30.0), judging=True)
    wakes: list[int] = []
    notify_all = ahead._judged_cond.notify_all

    def counted() -> None:
        wakes.append(ahead._judged_through)
        notify_all()

    ahead._judged_cond.notify_all = counted  # type: ignore[method-assign]
    for index in range(3):  # nobody waits
        ahead.judged(index, None)
    assert wakes == []
    waiter = threading.Thread(target=ahead._wait_judged, args=(5,))
    waiter.start()
    deadline = time.monotonic() + 5.0
    while ahead._awaited != 5 and time.monotonic() < deadline:
        time.sleep(0.001)
    ahead.judged(3, None)
    ahead.judged(4, None)
    assert wakes == []
    ahead.judged(5, None)
    waiter.join(5.0)
    assert not waiter.is_alive() and wakes == [5]
