"""SIGINT, SIGTERM and SIGHUP stop a run cleanly: the session ends, the partial report is written.

The first signal raises Interrupted (a KeyboardInterrupt, so every `except
KeyboardInterrupt` stop path also handles `kill`, `docker stop` and a closed
terminal) in the main thread, unless a `deferred()` block is saving results:
then it is only recorded, and `requested()` says so.  A second signal while
stopping quits at once (exit 128 + signal number) without waiting for the
saving to finish.  The exit code of an interrupted run is 128 + the signal's
number: 130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType

SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


class Interrupted(KeyboardInterrupt):
    """A stop signal received; signum is its number (SIGINT for a plain Ctrl-C)."""

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__(signal_name(signum))
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def signal_name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


def signum_of(error: BaseException) -> int:
    """The signal behind a KeyboardInterrupt (SIGINT for Python's own)."""
    return error.signum if isinstance(error, Interrupted) else int(signal.SIGINT)


class _State:
    def __init__(self) -> None:
        self.signum: int | None = None
        self.pending = False  # received inside deferred(), not raised yet
        self.deferring = 0
        self.installed = 0


_state = _State()


def _handle(signum: int, frame: FrameType | None) -> None:
    if _state.signum is not None:  # the second: the user (or the supervisor) will not wait
        with contextlib.suppress(Exception):
            sys.stderr.write(f"posecheck: {signal_name(signum)} again: quitting without saving\n")
            sys.stderr.flush()
        os._exit(128 + _state.signum)
    _state.signum = signum
    if _state.deferring:
        _state.pending = True
    else:
        raise Interrupted(signum)


def requested() -> int | None:
    """The signal received so far in this run, None when none was."""
    return _state.signum


def take_pending() -> int | None:
    """The signal received inside deferred() and not raised, now taken (the caller stops instead)."""
    if not _state.pending:
        return None
    _state.pending = False
    return _state.signum


@contextlib.contextmanager
def handled() -> Iterator[None]:
    """The three signals handled as above inside the block (main thread only; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, _handle) for signum in SIGNALS}
    _state.installed += 1
    if _state.installed == 1:
        reset()
    try:
        yield
    finally:
        _state.installed -= 1
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextlib.contextmanager
def deferred(reraise: bool = True) -> Iterator[None]:
    """Inside the block a first signal is only recorded (results are being saved).

    reraise: Interrupted is raised when the outermost such block ends; else
    the caller takes it with take_pending().
    """
    _state.deferring += 1
    try:
        yield
    finally:
        _state.deferring -= 1
    if reraise and _state.deferring == 0 and (signum := take_pending()) is not None:
        raise Interrupted(signum)


def reset() -> None:
    """Forget a signal received (a new run in the same process, as in tests)."""
    _state.signum = None
    _state.pending = False


__all__ = [
    "SIGNALS",
    "Interrupted",
    "deferred",
    "handled",
    "requested",
    "reset",
    "signal_name",
    "signum_of",
    "take_pending",
]
