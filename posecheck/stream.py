"""A camera over the network: a phone's MJPEG or RTSP URL that may stall, drop and come back.

The stream is read on a thread into a one-frame slot, as a local camera is
(newest frame wins).  When no frame has come for `stall_s`, the connection is
taken as lost: the reader drops it and reopens the URL every `retry_s`, and
meanwhile the consumer gets a `lost` frame (the last picture, no new content)
every `NOTICE_EVERY_S`, so a window stays alive and can say so.  Once frames
come again, the session goes on where it was: the time without a connection
is left out of the frames' times, so a rep or a hold is not stretched by it.
After `reconnect_timeout_s` without a frame the source gives up with
SourceLostError, and the session ends with what it had (the partial report).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import cv2
import numpy as np

from .errors import InputError, SourceLostError
from .quiet import native_stderr_silenced
from .source import Frame, FrameSource, SourceInfo

STALL_S = 3.0  # no frame for this long: the connection is lost (also the reader's read timeout)
RECONNECT_TIMEOUT_S = 60.0  # reconnecting for this long without a frame ends the session
RETRY_S = 1.0  # between attempts to reopen the URL
OPEN_TIMEOUT_S = 5.0  # one attempt to open the URL
NOTICE_EVERY_S = 0.2  # how often a `lost` frame comes while reconnecting


def open_stream(url: str, open_timeout_s: float, read_timeout_s: float) -> cv2.VideoCapture:
    """The URL opened through FFmpeg with both timeouts (a dead host or a silent stream never blocks for ever)."""
    params = [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, int(open_timeout_s * 1000), cv2.CAP_PROP_READ_TIMEOUT_MSEC,
              int(read_timeout_s * 1000)]  # fmt: skip
    with native_stderr_silenced():  # FFmpeg's own "Connection refused" line, before ours or at every retry
        capture = cv2.VideoCapture(url, cv2.CAP_FFMPEG, params)
    if not capture.isOpened():
        capture.release()
        raise InputError(f"cannot open stream {url!r} (is the phone's camera app streaming, on the same network?)")
    return capture


class StreamSource(FrameSource):
    """Frames from a stream URL; a stall or a drop is waited out and reconnected, up to reconnect_timeout_s."""

    def __init__(
        self,
        url: str,
        stall_s: float = STALL_S,
        reconnect_timeout_s: float = RECONNECT_TIMEOUT_S,
        retry_s: float = RETRY_S,
    ) -> None:
        self.url = url
        self.stall_s = stall_s
        self.reconnect_timeout_s = reconnect_timeout_s
        self.retry_s = retry_s
        # OpenCV's "Stream timeout triggered" would repeat at every stall: the session says it once; put back by
        # close()
        self._log_level = cv2.utils.logging.getLogLevel()
        cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)
        try:
            self._capture: cv2.VideoCapture | None = open_stream(url, OPEN_TIMEOUT_S, stall_s)
        except InputError:
            cv2.utils.logging.setLogLevel(self._log_level)
            raise
        fps = self._capture.get(cv2.CAP_PROP_FPS)
        self.info = SourceInfo(
            url, "stream", fps if 1.0 <= fps <= 240.0 else 30.0,
            int(self._capture.get(cv2.CAP_PROP_FRAME_WIDTH)), int(self._capture.get(cv2.CAP_PROP_FRAME_HEIGHT)), None,
        )  # fmt: skip
        self._slot: tuple[np.ndarray, float, int] | None = None  # picture, arrival (monotonic), number
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, name="posecheck-stream", daemon=True)
        self.reconnects = 0  # connections reopened by the reader
        self.outages: list[tuple[float, float]] = []  # (session time, seconds without frames) per loss

    def _read(self) -> None:
        number = 0
        while not self._stop.is_set():
            capture = self._capture
            ok, image = capture.read() if capture is not None else (False, None)
            if ok and image is not None:
                with self._cond:
                    self._slot = (image, time.monotonic(), number)
                    self._cond.notify_all()
                number += 1
                continue
            self._reopen()

    def _reopen(self) -> None:
        """Drop the connection and open the URL again, every retry_s until it opens or the source is closed."""
        if self._capture is not None:
            self._capture.release()
            self._capture = None
        while not self._stop.wait(self.retry_s):
            try:
                self._capture = open_stream(self.url, OPEN_TIMEOUT_S, self.stall_s)
            except InputError:
                continue
            self.reconnects += 1
            return

    def __iter__(self) -> Iterator[Frame]:
        self._thread.start()
        start = time.monotonic()
        left_out = 0.0  # seconds without a connection, not counted in the frames' times
        delivered = -1
        last: Frame | None = None
        last_arrival = start
        lost_since: float | None = None  # the session time the connection was lost at
        while True:
            slot = self._newer_than(delivered)
            now = time.monotonic()
            if slot is not None:
                image, arrival, number = slot
                self.dropped += number - delivered - 1 if delivered >= 0 else number
                if lost_since is not None and last is not None:  # back: go on from the last frame's time
                    self.outages.append((lost_since, arrival - last_arrival))
                    left_out = arrival - start - last.t - 1.0 / self.info.fps
                    lost_since = None
                delivered, last_arrival = number, arrival
                last = Frame(image, max(arrival - start - left_out, last.t + 1e-3 if last else 0.0), number)
                yield last
                continue
            silent = now - last_arrival
            if last is None and silent > self.stall_s:
                raise InputError(f"{self.url}: opened but delivered no frames")
            if silent < self.stall_s or last is None:
                continue
            lost_since = last.t if lost_since is None else lost_since
            if silent > self.stall_s + self.reconnect_timeout_s:
                self.outages.append((lost_since, silent))
                raise SourceLostError(
                    f"camera connection lost: no frames from {self.url} for {silent:.0f} s "
                    f"(gave up reconnecting after {self.reconnect_timeout_s:g} s)"
                )
            yield Frame(last.image, last.t, last.index, lost=True)

    def _newer_than(self, delivered: int) -> tuple[np.ndarray, float, int] | None:
        """The slot once it holds a frame after `delivered`; None after NOTICE_EVERY_S without one."""
        with self._cond:
            self._cond.wait_for(lambda: self._slot is not None and self._slot[2] > delivered, NOTICE_EVERY_S)
            slot = self._slot
        return slot if slot is not None and slot[2] > delivered else None

    def extras(self) -> dict[str, object]:
        return {
            "connection": {
                "reconnects": self.reconnects,
                "lost": [{"t_s": round(t, 3), "seconds": round(s, 1)} for t, s in self.outages],
            }
        }

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=self.stall_s + OPEN_TIMEOUT_S)
        if self._capture is not None:
            self._capture.release()
        cv2.utils.logging.setLogLevel(self._log_level)
