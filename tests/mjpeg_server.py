"""A phone's webcam app, played by a test: an MJPEG stream on 127.0.0.1 that can pause, die and come back.

Frames go out at camera pace from a shared cursor, as from one camera: a
new connection takes over from the old one, and the frames are neither
repeated nor skipped across a pause or a restart (a test can then compare
counts).  Each frame carries its number in a row of black and white blocks
in its top-left corner (`frame_number` reads it back), so a fake estimator
can answer with the recorded pose of that frame.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import cv2
import numpy as np

BITS = 12
BLOCK = 8  # pixels per bit: survives JPEG


def mark(image: np.ndarray, number: int) -> np.ndarray:
    marked = image.copy()
    for bit in range(BITS):
        marked[:BLOCK, bit * BLOCK : (bit + 1) * BLOCK] = 255 if number >> bit & 1 else 0
    return marked


def frame_number(image: np.ndarray) -> int:
    row = image[1 : BLOCK - 1]
    bits = [row[:, bit * BLOCK + 1 : (bit + 1) * BLOCK - 1].mean() > 128 for bit in range(BITS)]
    return sum(1 << bit for bit, on in enumerate(bits) if on)


def clip_frames(clip: Path, first: int, last: int) -> list[bytes]:
    """Frames first..last-1 of a clip as numbered JPEGs."""
    capture = cv2.VideoCapture(str(clip))
    jpegs = []
    for number in range(last):
        ok, image = capture.read()
        assert ok, f"{clip.name} has fewer than {last} frames"
        if number >= first:
            jpegs.append(cv2.imencode(".jpg", mark(image, number), [cv2.IMWRITE_JPEG_QUALITY, 90])[1].tobytes())
    capture.release()
    return jpegs


class PhoneCamera:
    """Serves `frames` at `fps` on 127.0.0.1; pause_at {frame: s} holds the connection silent, die_at {frame: s}
    closes the server for s seconds (None: for good).  After the last frame the connection stays open, silent."""

    def __init__(
        self,
        frames: list[bytes],
        fps: float = 30.0,
        pause_at: dict[int, float] | None = None,
        die_at: dict[int, float | None] | None = None,
    ) -> None:
        self.frames = frames
        self.fps = fps
        self.pause_at = dict(pause_at or {})
        self.die_at = dict(die_at or {})
        self.cursor = 0
        self.connections = 0
        self._lock = threading.Lock()
        self._down = threading.Event()
        self._closed = threading.Event()
        self._server = self._serve(0)
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/video"

    def _serve(self, port: int) -> ThreadingHTTPServer:
        camera = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                camera._stream(self)

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return server

    def _stream(self, handler: BaseHTTPRequestHandler) -> None:
        with self._lock:
            if self._down.is_set():
                return  # dying: no answer, as from a server that is gone
            self.connections += 1
            generation = self.connections
        handler.send_response(200)
        handler.send_header("Content-Type", "multipart/x-mixed-replace; boundary=frame")
        handler.end_headers()
        due = time.monotonic()
        while not self._closed.is_set():
            with self._lock:
                if generation != self.connections or self._down.is_set():
                    return  # a newer connection took over, or the server died
                number = self.cursor
                pause = self.pause_at.pop(number, None)
                die = number in self.die_at
                down_s = self.die_at.pop(number, None)
            if pause is not None:
                time.sleep(pause)
                continue
            if die:
                self._die(down_s)
                return
            if number >= len(self.frames):
                time.sleep(0.05)
                continue
            jpeg = self.frames[number]
            try:
                handler.wfile.write(b"--frame\r\nContent-Type: image/jpeg\r\nContent-Length: %d\r\n\r\n" % len(jpeg))
                handler.wfile.write(jpeg + b"\r\n")
                handler.wfile.flush()
            except OSError:
                return
            with self._lock:
                if generation == self.connections:
                    self.cursor = number + 1
            due = max(due + 1.0 / self.fps, time.monotonic() - 0.5)
            time.sleep(max(0.0, due - time.monotonic()))

    def _die(self, down_s: float | None) -> None:
        self._down.set()
        server = self._server
        threading.Thread(target=server.shutdown, daemon=True).start()
        server.server_close()  # new connections are refused from now
        if down_s is not None:
            threading.Timer(down_s, self._come_back).start()

    def _come_back(self) -> None:
        if self._closed.is_set():
            return
        self._server = self._serve(self.port)
        self._down.clear()

    def close(self) -> None:
        self._closed.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> PhoneCamera:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
