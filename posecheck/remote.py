"""The pose estimator in a child process of its own, fed frames through shared memory."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import traceback
from collections.abc import Callable, Collection
from multiprocessing.connection import Connection
from multiprocessing.shared_memory import SharedMemory
from pathlib import Path
from typing import Any

import numpy as np

from .cpus import pin_process
from .errors import EstimatorLostError, InputError
from .pose import Pose

SPAWN = multiprocessing.get_context("spawn")  # never fork: the parent already runs threads
SLOTS = 3  # frames in flight at most: the child always has the next while this process is busy
STOP_WAIT_S = 5.0
READY_TIMEOUT_S = 120.0  # the child's start: importing mediapipe and loading the model, on a busy machine
ANSWER_TIMEOUT_S = 30.0  # one frame's answer (~25 ms; the first ones load more); longer: the child is hung
SHM_DIR = "/dev/shm"  # where Linux keeps POSIX shared memory (a tmpfs; Docker gives it 64 MB)


def shared_memory_free() -> int | None:
    """Bytes free for shared memory, None where that is not a directory to ask (not Linux)."""
    try:
        stat = os.statvfs(SHM_DIR)
    except (OSError, AttributeError):
        return None
    return stat.f_bavail * stat.f_frsize


class EstimatorProcess:
    """PoseEstimator (same options) run in a spawned child process.

    Why: MediaPipe infers on a native thread, but each detect call also
    builds the picture and the landmarks in Python.  In one process those
    steps queue for the GIL behind the rules and the overlay drawing while
    the inference thread idles.  The child has a GIL of its own.

    Each frame is copied into one of `slots` shared-memory buffers and only
    its slot, shape and time go over the pipe, so the child never waits for
    this process to write a frame.  submit() hands a frame over at once
    (up to `slots` uncollected); collect() returns the poses of the oldest
    frame submitted and not yet collected.  detect() is submit + collect.
    A model that does not load raises ModelError here, as in-process; a
    child that dies, or does not answer within answer_timeout_s (the ready
    message within ready_timeout_s), raises EstimatorLostError.  Use as a context manager or
    call close().  The child is spawned, not forked: as with any spawned
    process, a script that starts one needs the `if __name__ == "__main__":`
    guard (the posecheck command has it).  cpus: the CPUs the child (and
    every thread MediaPipe starts in it) keeps to; None: any (posecheck/cpus.py).
    """

    def __init__(
        self,
        model: str | Path | None = None,
        slots: int = SLOTS,
        cpus: Collection[int] | None = None,
        *,
        answer_timeout_s: float = ANSWER_TIMEOUT_S,
        ready_timeout_s: float = READY_TIMEOUT_S,
        target: Callable[..., None] | None = None,  # the child's code (tests put a fake estimator here)
        **options: Any,
    ) -> None:
        self.slots = slots
        self.answer_timeout_s = answer_timeout_s
        self._buffers: list[SharedMemory] = []
        self._next = 0
        self._in_flight = 0
        self._hung = False
        self._conn, theirs = SPAWN.Pipe()
        self._process = SPAWN.Process(
            target=target or _serve_then_exit,
            args=(theirs, model, options, cpus),
            name="posecheck-estimator",
            daemon=True,
        )
        self._process.start()
        theirs.close()
        try:
            self._reply(ready_timeout_s)  # ready, or the reason the model did not load
        except BaseException as error:
            if not isinstance(error, Exception):  # a stop signal while it loads: no waiting for it to finish
                self._hung = True
            self.close()
            raise

    def submit(self, rgb: np.ndarray, t: float) -> None:
        """Hand over one RGB uint8 frame at time t seconds; its poses come from a later collect()."""
        if self._in_flight >= self.slots:
            raise RuntimeError(f"more than {self.slots} frames submitted and not collected")
        if not self._buffers or self._buffers[0].size < rgb.nbytes:
            self._make_buffers(rgb.nbytes)
        buffer = self._buffers[self._next]
        self._next = (self._next + 1) % self.slots
        np.copyto(np.ndarray(rgb.shape, np.uint8, buffer.buf), rgb)
        try:
            self._conn.send((buffer.name, rgb.shape, t))
        except OSError:
            raise self._lost() from None
        self._in_flight += 1

    def collect(self) -> list[Pose]:
        """The poses in the oldest frame submitted and not yet collected (waits for them)."""
        if self._in_flight == 0:
            raise RuntimeError("collect() without a frame submitted")
        self._in_flight -= 1
        if self._hung:  # one wait is enough: it is not answering
            raise EstimatorLostError("the pose estimator's process is not answering")
        poses: list[Pose] = self._reply(self.answer_timeout_s)
        return poses

    def detect(self, rgb: np.ndarray, t: float) -> list[Pose]:
        self.submit(rgb, t)
        return self.collect()

    def _make_buffers(self, size: int) -> None:
        """Buffers for frames of `size` bytes (the first frame; a bigger one only after all are collected)."""
        if self._in_flight:
            raise RuntimeError("the frame size changed with frames in flight")
        self._free_buffers()
        free = shared_memory_free()
        if free is not None and free < size * self.slots:  # writing past a full /dev/shm is a SIGBUS, no message
            raise InputError(
                f"{SHM_DIR} has {free / 1e6:.0f} MB free; {self.slots} frames of this video need"
                f" {size * self.slots / 1e6:.0f} MB (in Docker: --shm-size=256m)"
            )
        self._buffers = [SharedMemory(create=True, size=size) for _ in range(self.slots)]
        self._next = 0

    def _free_buffers(self) -> None:
        for buffer in self._buffers:
            buffer.close()
            buffer.unlink()
        self._buffers = []

    def _reply(self, timeout_s: float) -> Any:
        try:
            if not self._conn.poll(timeout_s):
                self._hung = True
                raise EstimatorLostError(f"the pose estimator's process is not answering (nothing for {timeout_s:g} s)")
            kind, value = self._conn.recv()
        except (EOFError, OSError):
            raise self._lost() from None
        if kind == "error":
            raise value
        return value

    def _lost(self) -> EstimatorLostError:
        self._process.join(timeout=1.0)
        code = self._process.exitcode
        how = "is not answering" if code is None else f"stopped (exit code {code})"
        return EstimatorLostError(f"the pose estimator's process {how}")

    def close(self) -> None:
        if self._conn.closed:
            return
        with contextlib.suppress(OSError):  # a child already gone
            self._conn.send(None)
        self._process.join(timeout=0.0 if self._hung else STOP_WAIT_S)
        if self._process.is_alive():  # it ignores SIGTERM (the parent's to handle): SIGKILL
            self._process.kill()
            self._process.join(timeout=STOP_WAIT_S)
        self._conn.close()
        self._free_buffers()

    def __enter__(self) -> EstimatorProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def serve(
    conn: Connection, model: str | Path | None, options: dict[str, Any], cpus: Collection[int] | None = None
) -> None:
    """The child: answers each frame with its poses (or the error), in order, until told to stop."""
    # Ctrl-C, a closed terminal, systemd's stop (sent to the whole group) are the parent's to handle;
    # it finishes the session and closes the child (which also ends when the parent's end of the pipe closes)
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    if cpus is not None:
        pin_process(cpus)  # numpy's threads too; MediaPipe's, started later, keep to the same CPUs
    from .estimator import PoseEstimator

    try:
        estimator = PoseEstimator(model, **options)
    except BaseException as error:
        _send_error(conn, error)
        return
    buffers: dict[str, SharedMemory] = {}
    with estimator:
        conn.send(("ready", None))
        while True:
            try:
                request = conn.recv()
            except (EOFError, OSError):  # the parent is gone
                break
            if request is None:
                break
            name, shape, t = request
            try:
                if name not in buffers:
                    buffers[name] = SharedMemory(name=name)
                # copied out: the parent refills the slot once this answer is collected, and the
                # bystander probe may still be reading the picture on its thread then
                rgb = np.ndarray(shape, np.uint8, buffers[name].buf).copy()
                poses = estimator.detect(rgb, t)
            except Exception as error:
                _send_error(conn, error)
                continue
            conn.send(("poses", poses))
    for buffer in buffers.values():
        buffer.close()


def _serve_then_exit(*args: Any) -> None:
    """The child's whole life: serve, then exit at once.  Python's usual shutdown (module teardown,
    mediapipe's included) took another 0.1-0.2 s here, which the parent waited for in close()."""
    code = 0
    try:
        serve(*args)
    except BaseException:  # as multiprocessing would: the traceback on stderr, exit code 1
        traceback.print_exc()
        code = 1
    with contextlib.suppress(Exception):
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)


def _send_error(conn: Connection, error: BaseException) -> None:
    try:
        conn.send(("error", error))
    except Exception:  # an error that does not pickle is sent as its message
        conn.send(("error", RuntimeError(f"{type(error).__name__}: {error}")))


__all__ = ["SLOTS", "EstimatorProcess", "serve"]
