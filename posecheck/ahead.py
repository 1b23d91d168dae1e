"""Pose detection one frame ahead of the rules, on its own thread."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from types import TracebackType

import cv2
import numpy as np

from .pose import Pose
from .source import Frame, FrameSource

Detect = Callable[[np.ndarray, float], list[Pose]]
"""The pose estimator's call: an RGB picture and its time in seconds -> the poses found."""

_END = object()
STOP_WAIT_S = 5.0  # longest wait for the worker at the end: one detection, or a camera's frame that is late


class DetectAhead:
    """Frames with their poses: a worker reads the source and runs `detect` while the caller judges the last frame.

    The estimator is the slow step (one core, ~25 ms a frame); the rules,
    the report and the hand-off to the video sink then run beside it
    instead of after it.  Frames come in order, each detected once, in
    the order the source gave them (the VIDEO landmarker needs rising
    timestamps).  An error from the source or the estimator is raised
    where it happened in the stream, after the frames before it.  `depth`
    results wait at most: a live source keeps dropping stale frames
    rather than the queue growing.  Leaving the `with` block (the end, a
    break, an error) stops the worker before the source or estimator is
    closed.
    """

    def __init__(self, source: FrameSource, detect: Detect, depth: int = 1) -> None:
        self._source = source
        self._detect = detect
        self._queue: queue.Queue[object] = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="posecheck-detect", daemon=True)

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
        while (item := self._queue.get()) is not _END:
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]

    def _run(self) -> None:
        try:
            for frame in self._source:
                if self._stop.is_set():
                    return
                poses = self._detect(cv2.cvtColor(frame.image, cv2.COLOR_BGR2RGB), frame.t)
                if not self._hand_over((frame, poses)):
                    return
        except BaseException as error:  # raised in the caller, in its place in the stream
            self._hand_over(error)
            return
        self._hand_over(_END)

    def _hand_over(self, item: object) -> bool:
        """Queue item for the caller; False when told to stop first."""
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False


__all__ = ["Detect", "DetectAhead"]
