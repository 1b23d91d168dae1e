"""Pose detection one frame ahead of the rules, on its own thread."""

from __future__ import annotations

import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Protocol, runtime_checkable

import cv2
import numpy as np

from .errors import WorkerError
from .pose import Pose
from .sampling import FrameSampler, poses_between
from .source import Frame, FrameSource

Detect = Callable[[np.ndarray, float], list[Pose]]
"""The pose estimator's call: an RGB picture and its time in seconds -> the poses found."""


@runtime_checkable
class Pipelined(Protocol):
    """An estimator that takes frames ahead of answering: collect() answers the oldest submitted."""

    def submit(self, rgb: np.ndarray, t: float) -> None: ...

    def collect(self) -> list[Pose]: ...


class _Inline:
    """submit/collect over a plain detect call, which runs at collect()."""

    def __init__(self, detect: Detect) -> None:
        self._detect = detect
        self._waiting: deque[tuple[np.ndarray, float]] = deque()

    def submit(self, rgb: np.ndarray, t: float) -> None:
        self._waiting.append((rgb, t))

    def collect(self) -> list[Pose]:
        return self._detect(*self._waiting.popleft())


_END = object()
_NOT_WAITING = 1 << 62  # DetectAhead._awaited when the worker waits for no judged frame
STOP_WAIT_S = 5.0  # longest wait for the worker at the end: one detection, or a camera's frame that is late
STALL_S = 150.0  # longer than any wait of the source's or the estimator's own, which report their own failures
POLL_S = 0.1


class DetectAhead:
    """Frames with their poses: a worker reads the source and runs `detect` while the caller judges the last frame.

    The estimator is the slow step (one core, ~25 ms a frame); the rules,
    the report and the hand-off to the video sink then run beside it
    instead of after it.  Frames come in order, each detected once, in
    the order the source gave them (the VIDEO landmarker needs rising
    timestamps).  Given a Pipelined estimator (one in another process),
    `in_flight` frames are submitted before the oldest is collected, so it
    never waits for this process between frames.  Given a `sampler`
    (posecheck/sampling.py), the model runs only on the frames it
    chooses; every other frame is handed over with the poses interpolated
    between the samples around it (frame.modelled False).  An error from the source
    or the estimator is raised where it happened in the stream, after the
    frames before it.  `depth` results wait at most: a live source keeps
    dropping stale frames rather than the queue growing.  Leaving the
    `with` block (the end, a break, an error) stops the worker before the
    source or estimator is closed.
    """

    def __init__(
        self,
        source: FrameSource,
        detect: Detect | Pipelined,
        depth: int = 1,
        in_flight: int = 1,
        sampler: FrameSampler | None = None,
        judging: bool = False,
    ) -> None:
        if in_flight < 1:
            raise ValueError(f"in_flight must be 1 or more, got {in_flight}")
        self._source = source
        self._detector = detect if isinstance(detect, Pipelined) else _Inline(detect)
        self._in_flight = in_flight
        self._sampler = sampler
        self._judging = judging and sampler is not None  # the caller reports each frame judged (judged())
        self._judged_through = -1
        self._awaited = _NOT_WAITING  # the frame the worker waits to see judged (judged() wakes it only then)
        self._handed_through = -1  # the last frame handed over (the caller can judge no later one)
        self._judged_cond = threading.Condition()
        self._pending = 0  # frames submitted, not yet collected
        self._before: tuple[float, list[Pose]] | None = None  # the last sample handed over: its time and poses
        self._queue: queue.Queue[object] = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="posecheck-detect", daemon=True)
        self._stage = "reading the video"  # what the worker waits on, for the message when it stalls
        self.stall_s = STALL_S

    def __enter__(self) -> DetectAhead:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stop.set()
        deadline = time.monotonic() + STOP_WAIT_S
        while self._thread.is_alive() and time.monotonic() < deadline:
            try:  # make room, so a worker waiting to hand over a result sees the stop
                self._queue.get(timeout=0.05)
            except queue.Empty:
                continue

    def __iter__(self) -> Iterator[tuple[Frame, list[Pose]]]:
        while (item := self._next()) is not _END:
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]

    def _next(self) -> object:
        """The worker's next item; never waits for ever: a worker gone or silent for STALL_S is an error."""
        deadline = time.monotonic() + self.stall_s
        while True:
            try:
                return self._queue.get(timeout=POLL_S)
            except queue.Empty:
                pass
            if not self._thread.is_alive() and self._queue.empty():
                raise WorkerError("the pose detection thread stopped")
            if time.monotonic() > deadline:
                raise WorkerError(f"{self._stage} stopped answering (nothing for {self.stall_s:g} s)")

    def _run(self) -> None:
        waiting: deque[tuple[Frame, bool]] = deque()  # read, not yet handed over: (frame, the model runs on it)
        try:
            end = self._detect_all(waiting)
        except BaseException as error:  # the estimator's: raised in the caller, in its place in the stream
            end = error
        finally:
            self._settle()
        if end is not None:
            self._hand_over(end)

    def _choices(self) -> Iterator[tuple[Frame, bool]]:
        frames = iter(self._source)
        if self._sampler is None:
            return ((frame, True) for frame in frames)
        return self._sampler.choices(frames)

    def _detect_all(self, waiting: deque[tuple[Frame, bool]]) -> object | None:
        """Detect and hand over every frame; returns what ends the stream, None when told to stop."""
        choices = self._choices()
        end: object = _END
        lag = self._sampler.plan.lag if self._sampler is not None else 0
        decided = -1
        while not self._stop.is_set():
            # the sampler hears of every sample `lag` frames before the frame it chooses next (and only of
            # those: its choices never depend on how far the estimator has got)
            while self._sampler is not None and self._oldest_sample(waiting) <= decided + 1 - lag:
                if not self._pass_next_sample(waiting):
                    return None
            if self._judging:  # ... and of the rule's wish after every frame up to there
                while waiting and waiting[0][0].index <= decided + 1 - lag and self._pending:
                    if not self._pass_next_sample(waiting):
                        return None
                if not self._wait_judged(min(decided + 1 - lag, self._handed_through)):
                    return None
            try:
                self._stage = "reading the video"
                frame, run = next(choices)
            except StopIteration:
                break
            except BaseException as error:  # the source's: after the frames already read
                end = error
                break
            if frame.lost:  # no new picture (a stream reconnecting): passed on in its place, not detected
                if not self._flush(waiting) or not self._hand_over((frame, [])):
                    return None
                continue
            decided = frame.index
            if run:
                self._stage = "the pose estimator"
                self._detector.submit(cv2.cvtColor(frame.image, cv2.COLOR_BGR2RGB), frame.t)
                self._pending += 1
            waiting.append((frame, run))
            if self._pending >= self._in_flight and not self._pass_next_sample(waiting):
                return None
        if not self._flush(waiting):
            return None
        return None if self._stop.is_set() else end

    def _flush(self, waiting: deque[tuple[Frame, bool]]) -> bool:
        """Every frame read handed over: the samples in flight collected, then any skipped frame after the last
        sample (the sampler's last frame is one) with that sample's poses.  False when told to stop first."""
        while self._pending:
            if not self._pass_next_sample(waiting):
                return False
        while waiting:
            frame, _ = waiting.popleft()
            if not self._hand_over((frame, self._between(frame, self._before[1] if self._before else [], 0.0))):
                return False
        return True

    def judged(self, index: int, wanted: str | None) -> None:
        """The caller judged frame `index`; what its rule wants of the sampler (sampling.RuleWatch)."""
        if self._sampler is None:
            return
        self._sampler.judged(index, wanted)
        with self._judged_cond:
            self._judged_through = index
            if index >= self._awaited:  # waking the worker on every frame cost a thread switch each
                self._judged_cond.notify_all()

    def _wait_judged(self, index: int) -> bool:
        """Wait until the caller judged frame `index`; False when told to stop first."""
        self._stage = "the rules"
        with self._judged_cond:
            self._awaited = index
            try:
                while self._judged_through < index:
                    if self._stop.is_set():
                        return False
                    self._judged_cond.wait(POLL_S)
            finally:
                self._awaited = _NOT_WAITING
        return True

    @staticmethod
    def _oldest_sample(waiting: deque[tuple[Frame, bool]]) -> float:
        return next((frame.index for frame, run in waiting if run), float("inf"))

    def _pass_next_sample(self, waiting: deque[tuple[Frame, bool]]) -> bool:
        """The oldest submitted frame's poses collected; it is handed over, after the skipped frames before it
        (their poses interpolated between the samples around them).  False when told to stop first."""
        self._stage = "the pose estimator"
        poses = self._detector.collect()
        self._pending -= 1
        skipped: list[Frame] = []
        while not waiting[0][1]:
            skipped.append(waiting.popleft()[0])
        sample = waiting.popleft()[0]
        if self._sampler is not None:
            self._sampler.observed(sample.index, poses)
        for frame in skipped:
            if self._before is None:
                item = (frame, self._between(frame, poses, 1.0))
            else:
                t0, before = self._before
                share = (frame.t - t0) / (sample.t - t0) if sample.t > t0 else 1.0
                item = (frame, poses_between(before, poses, share, frame.t))
            if not self._hand_over(item):
                return False
        self._before = (sample.t, poses)
        if not self._hand_over((sample, poses)):
            return False
        self._handed_through = sample.index
        return True

    @staticmethod
    def _between(frame: Frame, poses: list[Pose], share: float) -> list[Pose]:
        return poses_between(poses, poses, share, frame.t)

    def _settle(self) -> None:
        """Collect (and drop) what is still in flight, so the estimator can serve another session."""
        while self._pending:
            self._pending -= 1
            try:
                self._detector.collect()
            except BaseException:  # already stopping: the first error is the one reported
                return

    def _hand_over(self, item: object) -> bool:
        """Queue item for the caller; False when told to stop first."""
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False


__all__ = ["Detect", "DetectAhead", "Pipelined"]
