"""BackgroundCheck (the bystander probe's worker thread) and thread-safe stderr silencing, without a model."""

from __future__ import annotations

import os
import sys
import threading
import time
from contextlib import closing

import pytest

from posecheck.background import BackgroundCheck
from posecheck.quiet import native_stderr_silenced


def slow_even(delay: float):  # type: ignore[no-untyped-def]
    def setup():  # type: ignore[no-untyped-def]
        time.sleep(delay)  # a model loading
        return lambda n: (time.sleep(delay), n % 2 == 0)[1]

    return setup


def test_the_answer_lands_on_the_call_lag_calls_after_its_submission_however_slow_the_check() -> None:
    with closing(BackgroundCheck(slow_even(0.05), lag=3)) as check:
        check.submit(4, call=10)
        assert check.busy
        assert [check.answer(c) for c in (10, 11, 12)] == [None, None, None]
        assert check.answer(13) is True  # waited for the slow check
        assert not check.busy
        assert check.answer(14) is None  # answered once
        check.submit(5, call=14)
        assert check.answer(17) is False


def test_lag_zero_answers_on_the_submitting_call() -> None:
    with closing(BackgroundCheck(slow_even(0.02), lag=0)) as check:
        check.submit(2, call=0)
        assert check.answer(0) is True


def test_a_submission_while_busy_is_ignored() -> None:
    with closing(BackgroundCheck(slow_even(0.0), lag=2)) as check:
        check.submit(2, call=0)
        check.submit(3, call=1)  # ignored: the first is not collected yet
        assert check.answer(2) is True
        assert check.answer(3) is None


def test_the_check_runs_beside_the_caller() -> None:
    started = threading.Event()

    def setup():  # type: ignore[no-untyped-def]
        def check(item: int) -> bool:
            started.set()
            time.sleep(0.3)
            return True

        return check

    with closing(BackgroundCheck(setup, lag=5)) as check:
        t0 = time.perf_counter()
        check.submit(1, call=0)
        assert started.wait(2.0)
        assert time.perf_counter() - t0 < 0.25  # submit did not wait for the check
        assert check.answer(5) is True


def test_setup_and_check_errors_reach_the_caller_every_time() -> None:
    def broken_setup():  # type: ignore[no-untyped-def]
        raise RuntimeError("model broken")

    with closing(BackgroundCheck(broken_setup, lag=1)) as check:
        for call in (0, 10):
            check.submit(1, call=call)
            with pytest.raises(RuntimeError, match="model broken"):
                check.answer(call + 1)

    def failing(item: int) -> bool:
        raise ValueError(f"bad item {item}")

    with closing(BackgroundCheck(lambda: failing, lag=0)) as check:
        check.submit(7, call=0)
        with pytest.raises(ValueError, match="bad item 7"):
            check.answer(0)


def test_close_stops_an_idle_worker_and_returns_what_it_built() -> None:
    built = lambda n: True  # noqa: E731
    check = BackgroundCheck(lambda: built, lag=1)
    check.submit(1, call=0)
    assert check.answer(1) is True
    assert check.close() is built


def test_overlapping_silenced_blocks_on_two_threads_restore_stderr() -> None:
    # each thread saving and restoring fd 2 on its own leaves it silenced when the blocks interleave
    fd = sys.stderr.fileno()
    before = os.fstat(fd)
    inside = threading.Event()
    leave = threading.Event()

    def other() -> None:
        with native_stderr_silenced():
            inside.set()
            leave.wait(2.0)

    with native_stderr_silenced():
        thread = threading.Thread(target=other)
        thread.start()
        assert inside.wait(2.0)
    leave.set()  # this thread left first; the other leaves last
    thread.join()
    after = os.fstat(fd)
    assert (after.st_dev, after.st_ino) == (before.st_dev, before.st_ino)


def test_without_waiting_a_late_answer_is_collected_when_ready() -> None:
    with closing(BackgroundCheck(slow_even(0.2), lag=1, wait=False)) as check:  # setup and check each 0.2 s
        check.submit(2, call=0)
        start = time.monotonic()
        assert check.answer(1) is None  # due, not ready: no blocking
        assert time.monotonic() - start < 0.1
        assert check.busy
        deadline = time.monotonic() + 5.0
        call, got = 2, None
        while got is None and time.monotonic() < deadline:
            time.sleep(0.02)
            got, call = check.answer(call), call + 1
        assert got is True
        assert not check.busy
