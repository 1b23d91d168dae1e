"""A slow yes/no check run on a worker thread, its answer collected a fixed number of calls later."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

Item = TypeVar("Item")
Check = Callable[[Item], bool]


class BackgroundCheck(Generic[Item]):
    """Runs `check(item)` on a worker thread while the caller goes on.

    The check is built by `setup()` on the worker as soon as this object is
    made (loading a model there overlaps the caller's own start-up).  An item
    submitted at call n is answered at call n + lag: the caller blocks then
    only if the check is still running, so the answer lands on the same call
    every run, however busy the machine (a recorded video gives the same
    report twice).  lag=0 answers on the call that submitted (a still photo
    has no later call).  wait=False never blocks: an answer not ready when
    due is collected at the first call after it is (a live camera, where a
    stall shows and the same report twice means nothing).  Errors raised by
    setup or check reach the caller at answer().
    """

    def __init__(
        self, setup: Callable[[], Check[Item]], lag: int, name: str = "posecheck-check", wait: bool = True
    ) -> None:
        if lag < 0:
            raise ValueError(f"lag must be 0 or more, got {lag}")
        self.lag = lag
        self.wait = wait
        self._setup = setup
        self._check: Check[Item] | None = None
        self._lock = threading.Condition()
        self._job: Item | None = None
        self._due: int | None = None  # the call that collects the answer
        self._answer: bool | None = None
        self._error: BaseException | None = None
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    @property
    def busy(self) -> bool:
        """An item is submitted and its answer not yet collected."""
        return self._due is not None

    def submit(self, item: Item, call: int) -> None:
        """Check `item`; its answer is collected at `call + lag`.  Ignored while busy."""
        with self._lock:
            if self._due is not None or self._closed:
                return
            self._job, self._answer, self._due = item, None, call + self.lag
            self._lock.notify_all()

    def answer(self, call: int) -> bool | None:
        """The answer due at this call (waiting for it if need be), else None."""
        with self._lock:
            if self._due is None or call < self._due:
                return None
            if not self.wait and self._answer is None and self._error is None:
                return None  # still running: asked again at the next call
            while self._answer is None and self._error is None:
                self._lock.wait()
            self._due = None
            if self._error is not None:
                error, self._error = self._error, None
                raise error
            return self._answer

    def close(self) -> Check[Item] | None:
        """Stop the worker; returns the check it built (to release what it holds), if any."""
        with self._lock:
            self._closed = True
            self._lock.notify_all()
        self._thread.join()
        return self._check

    def _run(self) -> None:
        setup_error: BaseException | None = None
        try:
            self._check = self._setup()
        except BaseException as error:  # handed to the caller at every answer()
            setup_error = error
        while True:
            with self._lock:
                while self._job is None and not self._closed:
                    self._lock.wait()
                if self._closed:
                    return
                job, self._job = self._job, None
            try:
                if self._check is None:
                    raise setup_error or RuntimeError("check was not built")
                result = self._check(job)
            except BaseException as error:
                with self._lock:
                    self._error = error
                    self._lock.notify_all()
                continue
            with self._lock:
                self._answer = result
                self._lock.notify_all()
