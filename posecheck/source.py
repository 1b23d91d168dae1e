"""One frame-source abstraction for files, stills, cameras and stream URLs.

- A recorded video is read ahead on a thread (decoding overlaps inference).
- A live source (camera index, URL, or a file played "at camera pace") is
  read on a thread into a one-frame slot: the consumer always gets the newest
  frame and frames it could not keep up with are dropped, as a real camera
  does.  A source that stops delivering raises SourceLostError.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from .crash import describe
from .errors import InputError, SourceLostError, WorkerError
from .quiet import native_stderr_silenced

STILL_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff"}
LOST_AFTER_S = 3.0  # a live source silent this long is taken as unplugged
DECODE_WAIT_S = 30.0  # a recorded video's decoder silent this long is taken as hung


@dataclass(frozen=True)
class Frame:
    image: np.ndarray  # BGR uint8
    t: float  # seconds from the start
    index: int
    lost: bool = False  # no new picture: a stream's connection is lost and being reopened (stream.py)
    modelled: bool = True  # False: the pose model skipped it (analyze's sampling: posecheck/sampling.py)


@dataclass(frozen=True)
class SourceInfo:
    name: str
    kind: str  # "video" | "still" | "camera" | "stream" | "paced-file"
    fps: float
    width: int
    height: int
    frame_count: int | None


def _open_capture(spec: str | int) -> cv2.VideoCapture:
    with native_stderr_silenced():  # FFmpeg's own complaint ("moov atom not found") before our one line
        capture = cv2.VideoCapture(spec)
    if not capture.isOpened():
        capture.release()
        what = f"camera {spec}" if isinstance(spec, int) else f"video {spec!r}"
        raise InputError(f"cannot open {what}")
    return capture


def _capture_info(capture: cv2.VideoCapture, name: str, kind: str) -> SourceInfo:
    fps = capture.get(cv2.CAP_PROP_FPS)
    fps = fps if 1.0 <= fps <= 240.0 else 30.0
    count = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
    return SourceInfo(
        name, kind, fps,
        int(capture.get(cv2.CAP_PROP_FRAME_WIDTH)), int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT)),
        count if count > 0 and kind in ("video", "paced-file") else None,
    )  # fmt: skip


class FrameSource:
    """Base: iterate frames; `info` describes the source; `dropped` counts skipped frames."""

    info: SourceInfo
    dropped: int = 0
    warning: str | None = None

    def __iter__(self) -> Iterator[Frame]:
        raise NotImplementedError

    def extras(self) -> dict[str, object]:
        """What the source adds to the report (a stream: its lost connections)."""
        return {}

    def close(self) -> None:
        pass

    def __enter__(self) -> FrameSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class StillSource(FrameSource):
    def __init__(self, path: Path) -> None:
        image = cv2.imread(str(path), cv2.IMREAD_COLOR)
        if image is None:
            raise InputError(f"cannot read image {str(path)!r} (not an image, or damaged)")
        self._image = image
        self.info = SourceInfo(path.name, "still", 1.0, image.shape[1], image.shape[0], 1)

    def __iter__(self) -> Iterator[Frame]:
        yield Frame(self._image, 0.0, 0)


class VideoFileSource(FrameSource):
    """Every frame of a recorded video, decoded ahead on a thread."""

    def __init__(self, path: Path, read_ahead: int = 16) -> None:
        self._capture = _open_capture(str(path))
        self.info = _capture_info(self._capture, path.name, "video")
        ok, first = self._capture.read()
        if not ok or first is None:
            self._capture.release()
            raise InputError(f"cannot read video {str(path)!r} (no frames: not a video, or damaged)")
        self._first = first
        self._queue: queue.Queue[np.ndarray | None] = queue.Queue(maxsize=read_ahead)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, name="posecheck-decode", daemon=True)
        self._error: BaseException | None = None
        self.wait_s = DECODE_WAIT_S

    def _read(self) -> None:
        try:
            while not self._stop.is_set():
                ok, image = self._capture.read()
                if not ok or image is None:
                    break
                self._put(image)
        except BaseException as error:  # the consumer raises it after the frames already read
            self._error = error
        finally:
            self._put(None)

    def _put(self, item: np.ndarray | None) -> None:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def _get(self) -> np.ndarray | None:
        """The next decoded frame (None: the end); a decoder that failed or hangs is a WorkerError."""
        deadline = time.monotonic() + self.wait_s
        while True:
            try:
                image = self._queue.get(timeout=0.1)
            except queue.Empty:
                if not self._thread.is_alive() and self._queue.empty():
                    image = None
                elif time.monotonic() < deadline:
                    continue
                else:
                    raise WorkerError(
                        f"decoding {self.info.name} stopped answering (no frame for {self.wait_s:g} s)"
                    ) from None
            if image is None and self._error is not None:
                raise WorkerError(f"decoding {self.info.name} failed: {describe(self._error)}")
            return image

    def __iter__(self) -> Iterator[Frame]:
        self._thread.start()
        fps = self.info.fps
        yield Frame(self._first, 0.0, 0)
        index = 1
        while (image := self._get()) is not None:
            yield Frame(image, index / fps, index)
            index += 1
        expected = self.info.frame_count
        if expected is not None and index < 0.9 * expected - 2:
            self.warning = f"video ended early: {index} of {expected} frames read (file damaged?)"

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            while True:  # unblock the reader
                try:
                    self._queue.get_nowait()
                except queue.Empty:
                    break
            self._thread.join(timeout=2.0)
        self._capture.release()


class LiveSource(FrameSource):
    """A camera, a stream, or a file played at camera pace; newest frame wins."""

    def __init__(self, spec: str | int, kind: str, paced: bool | None = None) -> None:
        self._capture = _open_capture(spec)
        self.info = _capture_info(self._capture, str(spec), kind)
        self._paced = kind == "paced-file" if paced is None else paced
        self._slot: tuple[np.ndarray, float, int] | None = None
        self._cond = threading.Condition()
        self._ended = False
        self._stop = threading.Event()
        self._delivered = -1
        self._thread = threading.Thread(target=self._read, name="posecheck-capture", daemon=True)

    def _read(self) -> None:
        start = time.monotonic()
        index = 0
        while not self._stop.is_set():
            ok, image = self._capture.read()
            if not ok or image is None:
                break
            if self._paced:
                due = start + index / self.info.fps
                delay = due - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                t = index / self.info.fps
            else:
                t = time.monotonic() - start
            with self._cond:
                if self._slot is not None and self._slot[2] > self._delivered:
                    self.dropped += 1
                self._slot = (image, t, index)
                self._cond.notify_all()
            index += 1
        with self._cond:
            self._ended = True
            self._cond.notify_all()

    def __iter__(self) -> Iterator[Frame]:
        self._thread.start()
        while True:
            with self._cond:
                deadline = time.monotonic() + LOST_AFTER_S
                while not self._ended and (self._slot is None or self._slot[2] <= self._delivered):
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise SourceLostError(
                            f"{self.info.name}: no frames for {LOST_AFTER_S:.0f} s (camera unplugged?)"
                        )
                    self._cond.wait(remaining)
                if self._slot is None or self._slot[2] <= self._delivered:
                    break  # ended
                image, t, index = self._slot
                self._delivered = index
            yield Frame(image, t, index)
        if self.info.kind != "paced-file" and self._delivered >= 0:
            raise SourceLostError(f"{self.info.name}: stopped delivering frames (camera unplugged?)")
        if self._delivered < 0:
            raise InputError(f"{self.info.name}: opened but delivered no frames")

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2.0)
        self._capture.release()


def open_source(spec: str | int | Path, live: bool = False, reconnect_timeout_s: float | None = None) -> FrameSource:
    """A camera index, a file path or a URL -> a frame source.

    live=True plays files at camera pace (dropping frames when behind).
    reconnect_timeout_s: how long a stream URL may be reconnected before the
    session ends (None: stream.RECONNECT_TIMEOUT_S).
    """
    if isinstance(spec, int) or (isinstance(spec, str) and spec.isdigit()):
        return LiveSource(int(spec), "camera")
    text = str(spec)
    if "://" in text:
        from .stream import RECONNECT_TIMEOUT_S, StreamSource  # stream.py builds on this module

        timeout = RECONNECT_TIMEOUT_S if reconnect_timeout_s is None else reconnect_timeout_s
        return StreamSource(text, reconnect_timeout_s=timeout)
    path = Path(text)
    if not path.exists():
        raise InputError(f"no such file: {text}")
    if path.is_dir():
        raise InputError(f"{text} is a folder, not a video")
    if path.suffix.lower() in STILL_SUFFIXES:
        if live:
            raise InputError(f"{text} is a photo; live mode needs a camera or a video")
        return StillSource(path)
    if live:
        source = LiveSource(text, "paced-file")
        return source
    return VideoFileSource(path)
