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
    never waits for this process between frames.  An error from the source
    or the estimator is raised where it happened in the stream, after the
    frames before it.  `depth` results wait at most: a live source keeps
    dropping stale frames rather than the queue growing.  Leaving the
    `with` block (the end, a break, an error) stops the worker before the
    source or estimator is closed.
    """

    def __init__(self, source: FrameSource, detect: Detect | Pipelined, depth: int = 1, in_flight: int = 1) -> None:
        if in_flight < 1:
            raise ValueError(f"in_flight must be 1 or more, got {in_flight}")
        self._source = source
        self._detector = detect if isinstance(detect, Pipelined) else _Inline(detect)
        self._in_flight = in_flight
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
        waiting: deque[Frame] = deque()  # submitted, not yet collected
        try:
            end = self._detect_all(waiting)
        except BaseException as error:  # the estimator's: raised in the caller, in its place in the stream
            end = error
        finally:
            self._settle(waiting)
        if end is not None:
            self._hand_over(end)

    def _detect_all(self, waiting: deque[Frame]) -> object | None:
        """Detect and hand over every frame; returns what ends the stream, None when told to stop."""
        frames = iter(self._source)
        end: object = _END
        while not self._stop.is_set():
            try:
                self._stage = "reading the video"
                frame = next(frames)
            except StopIteration:
                break
            except BaseException as error:  # the source's: after the frames already read
                end = error
                break
            if frame.lost:  # no new picture (a stream reconnecting): passed on in its place, not detected
                while waiting:
                    if not self._pass_oldest(waiting):
                        return None
                if not self._hand_over((frame, [])):
                    return None
                continue
            self._stage = "the pose estimator"
            self._detector.submit(cv2.cvtColor(frame.image, cv2.COLOR_BGR2RGB), frame.t)
            waiting.append(frame)
            if len(waiting) >= self._in_flight and not self._pass_oldest(waiting):
                return None
        while waiting:
            if not self._pass_oldest(waiting):
                return None
        return None if self._stop.is_set() else end

    def _pass_oldest(self, waiting: deque[Frame]) -> bool:
        frame = waiting.popleft()
        self._stage = "the pose estimator"
        return self._hand_over((frame, self._detector.collect()))

    def _settle(self, waiting: deque[Frame]) -> None:
        """Collect (and drop) what is still in flight, so the estimator can serve another session."""
        while waiting:
            waiting.popleft()
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
