"""Output sinks: the annotated video (encoded on its own thread) and a progress bar."""

from __future__ import annotations

import queue
import sys
import threading
import time
from pathlib import Path

import cv2
import numpy as np

from .errors import InputError
from .overlay import Overlay, OverlayInput


class AnnotatedVideoSink:
    """Draws the overlay and encodes frames on a worker thread (overlaps inference)."""

    def __init__(self, path: Path, fps: float, size: tuple[int, int], max_queue: int = 32) -> None:
        self.path = path
        self._writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
        if not self._writer.isOpened():
            raise InputError(f"cannot write video {path}")
        self._overlay = Overlay()
        self._queue: queue.Queue[tuple[np.ndarray, OverlayInput] | None] = queue.Queue(maxsize=max_queue)
        self._error: Exception | None = None
        self._thread = threading.Thread(target=self._run, name="posecheck-encode", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            try:
                frame, overlay_input = item
                self._writer.write(self._overlay.annotate(frame, overlay_input))
            except cv2.error as error:  # keep draining so the producer never blocks
                self._error = error

    def write(self, frame: np.ndarray, item: OverlayInput) -> None:
        self._queue.put((frame, item))

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()
        self._writer.release()
        if self._error is not None:
            raise InputError(f"writing {self.path} failed: {self._error}")


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

    def update(self, done: int) -> None:
        now = time.monotonic()
        if not self.enabled or now - self._last_draw < 0.2:
            return
        self._last_draw = now
        rate = done / max(1e-6, now - self._start)
        if self.total:
            share = min(1.0, done / self.total)
            bar = "#" * int(30 * share)
            text = f"\r{self.label} [{bar:<30}] {done}/{self.total} {rate:5.1f} fps"
        else:
            text = f"\r{self.label} {done} frames {rate:5.1f} fps"
        sys.stderr.write(text)
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()
