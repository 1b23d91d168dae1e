"""Silence the native libraries' start-up chatter on stderr (fd 2)."""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_depth = 0  # blocks open now, on any thread: the first in redirects fd 2, the last out restores it
_saved: int | None = None


@contextlib.contextmanager
def native_stderr_silenced() -> Iterator[None]:
    """Send fd 2 to /dev/null for the block; Python's own sys.stderr object is kept.

    Safe across threads: while any thread is inside such a block fd 2 stays
    silenced, and it is restored once when the last one leaves (two threads
    each saving and restoring on their own could leave it silenced for good).
    """
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        yield
        return
    _enter(fd)
    try:
        yield
    finally:
        _leave(fd)


def _enter(fd: int) -> None:
    global _depth, _saved
    with _lock:
        if _depth == 0:
            sys.stderr.flush()
            _saved = os.dup(fd)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, fd)
            os.close(devnull)
        _depth += 1


def _leave(fd: int) -> None:
    global _depth, _saved
    with _lock:
        _depth -= 1
        if _depth == 0 and _saved is not None:
            os.dup2(_saved, fd)
            os.close(_saved)
            _saved = None
