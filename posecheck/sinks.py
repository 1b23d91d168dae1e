"""Output sinks: the annotated video (encoded on its own thread) and a progress bar."""

from __future__ import annotations

import queue
import sys
import threading
import time
from pathlib import Path

import cv2
import numpy as np

from .crash import describe, where_saved
from .errors import InputError, WorkerError
from .overlay import Overlay, OverlayInput

WORKER_WAIT_S = 10.0  # longest the frame loop waits on the drawing/encoding thread before calling it hung
POLL_S = 0.1


class AnnotatedVideoSink:
    """Draws the overlay and encodes frames on a worker thread (overlaps inference).

    The thread's failure (any exception: a bad pose reaching the drawing, the
    encoder) is raised by the next write() as a WorkerError naming it; a
    thread that stops taking frames for wait_s is reported the same way, so
    the frame loop never blocks for ever.  close() finishes the file so it
    plays, whatever happened before.
    """

    def __init__(
        self, path: Path, fps: float, size: tuple[int, int], max_queue: int = 32, wait_s: float = WORKER_WAIT_S
    ) -> None:
        self.path = path
        self.wait_s = wait_s
        self._writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
        if not self._writer.isOpened():
            raise InputError(f"cannot write video {path}")
        self._overlay = Overlay()
        self._queue: queue.Queue[tuple[np.ndarray, OverlayInput] | None] = queue.Queue(maxsize=max_queue)
        self._error: BaseException | None = None
        self._failure: WorkerError | None = None
        self._thread = threading.Thread(target=self._run, name="posecheck-encode", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._error is not None:
                continue  # keep draining so the producer never blocks; it is told at its next write
            try:
                frame, overlay_input = item
                self._writer.write(self._overlay.annotate(frame, overlay_input))
            except BaseException as error:
                self._error = error

    def failure(self) -> WorkerError | None:
        """What went wrong on the worker (made once: its traceback is saved once), None while it is well."""
        if self._failure is None and self._error is not None:
            error = self._error
            if isinstance(error, cv2.error):
                self._failure = WorkerError(f"writing {self.path} failed: {describe(error)}")
            else:
                self._failure = WorkerError(
                    f"drawing the annotated video failed: {describe(error)}{where_saved(error)}"
                )
        elif self._failure is None and not self._thread.is_alive():
            self._failure = WorkerError("the annotated video's drawing thread stopped")
        return self._failure

    def write(self, frame: np.ndarray, item: OverlayInput) -> None:
        deadline = time.monotonic() + self.wait_s
        while (failure := self.failure()) is None:
            try:
                self._queue.put((frame, item), timeout=POLL_S)
                return
            except queue.Full:
                if time.monotonic() > deadline:
                    raise WorkerError(
                        f"drawing the annotated video stopped answering (no frame taken for {self.wait_s:g} s)"
                    ) from None
        raise failure

    def close(self) -> None:
        """Finish the file (it plays, with the frames written so far); raises the worker's failure."""
        deadline = time.monotonic() + self.wait_s
        while self._thread.is_alive() and time.monotonic() < deadline:
            try:
                self._queue.put(None, timeout=POLL_S)
                break
            except queue.Full:
                continue
        self._thread.join(max(0.0, deadline - time.monotonic()))
        if self._thread.is_alive():  # hung in the encoder: releasing the writer under it is not safe
            raise WorkerError(f"drawing the annotated video stopped answering; {self.path} may not play")
        self._writer.release()
        if (failure := self.failure()) is not None and self._error is not None:
            raise failure


class StillImageSink:
    """The annotated photo, for a still input written to an image path."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._overlay = Overlay()
        self._frame: np.ndarray | None = None

    def write(self, frame: np.ndarray, item: OverlayInput) -> None:
        self._frame = self._overlay.annotate(frame.copy(), item)

    def close(self) -> None:
        if self._frame is not None and not cv2.imwrite(str(self.path), self._frame):
            raise InputError(f"cannot write image {self.path}")


IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".webp"}


def open_sink(path: Path, fps: float, size: tuple[int, int]) -> AnnotatedVideoSink | StillImageSink:
    """An image sink for image paths (.png/.jpg), else an mp4 video sink."""
    if path.suffix.lower() in IMAGE_SUFFIXES:
        return StillImageSink(path)
    return AnnotatedVideoSink(path, fps, size)


class Progress:
    """A one-line progress bar on stderr, only when it is a terminal."""

    def __init__(self, total: int | None, label: str, enabled: bool | None = None) -> None:
        self.total = total
        self.label = label
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._start = time.monotonic()
        self._last_draw = 0.0

    def update(self, done: int, speedup: float | None = None) -> None:
        """done frames so far; speedup: frames per pose-model run (analyze's sampling), shown when given."""
        now = time.monotonic()
        if not self.enabled or now - self._last_draw < 0.2:
            return
        self._last_draw = now
        rate = done / max(1e-6, now - self._start)
        model = f", model on 1 in {speedup:.1f}" if speedup is not None else ""
        if self.total:
            share = min(1.0, done / self.total)
            bar = "#" * int(30 * share)
            text = f"\r{self.label} [{bar:<30}] {done}/{self.total} {rate:5.1f} fps{model}"
        else:
            text = f"\r{self.label} {done} frames {rate:5.1f} fps{model}"
        self._write(text)

    def close(self) -> None:
        if self.enabled:
            self._write("\n")

    def _write(self, text: str) -> None:
        """On stderr; a terminal that is gone (closed: EIO) turns the bar off, it does not stop the analysis."""
        try:
            sys.stderr.write(text)
            sys.stderr.flush()
        except (OSError, ValueError):
            self.enabled = False
