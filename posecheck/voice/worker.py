"""The Voice: a background thread that says queued utterances one at a time.

The frame loop only calls say(), which queues and returns at once; the
thread asks the SpeechQueue what to say next and blocks in the engine.
"""

from __future__ import annotations

import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable

from ..crash import describe
from .engines import SpeechEngine
from .schedule import Priority, SpeechQueue, Utterance
from .tone import Beeper

Clock = Callable[[], float]
MAX_ENGINE_ERRORS = 3  # after this many failures in a row the voice goes quiet instead of retrying


class Voice:
    """Speaks from a worker thread.  start=False: no thread; call step() yourself (tests)."""

    def __init__(
        self,
        engine: SpeechEngine,
        *,
        mute: bool = False,
        clock: Clock = time.monotonic,
        queue: SpeechQueue | None = None,
        tone_player: Beeper | None = None,
        start: bool = True,
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.queue = queue if queue is not None else SpeechQueue()
        self.tone_player = tone_player
        self.spoken: deque[str] = deque(maxlen=500)  # what was said, in order ("<beep>" for a tone)
        self._mute = mute
        self._failures = 0
        self._off: str | None = None  # why speech turned itself off
        self._busy = False
        self._stop = False
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        if start:
            self._thread = threading.Thread(target=self._run, name="posecheck-voice", daemon=True)
            self._thread.start()

    # --- the frame loop's side ----------------------------------------------
    @property
    def mute(self) -> bool:
        return self._mute

    @mute.setter
    def mute(self, value: bool) -> None:
        with self._cond:
            self._mute = value
            if value:
                self.queue.clear()

    @property
    def enabled(self) -> bool:
        return not self._mute and self._off is None

    @property
    def failure(self) -> str | None:
        """'speech off: <engine> failed: <reason>' once speech has turned itself off (for the screen and report)."""
        return self._off

    def say(
        self, text: str, priority: Priority = Priority.INFO, *, keep: bool = False, tone: bool = False, group: str = ""
    ) -> bool:
        """Queue text; returns at once.  False when muted or refused as a duplicate."""
        if not text.strip() or not self.enabled:
            return False
        with self._cond:
            accepted = self.queue.push(Utterance(text, priority, self.clock(), keep, tone, group))
            self._cond.notify_all()
        return accepted

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until everything queued is said (or dropped); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self.queue.pending or self._busy:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._thread is None or not self._thread.is_alive():
                    return False
                self._cond.wait(remaining)
        return True

    def close(self, timeout: float = 2.0) -> None:
        with self._cond:
            self._stop = True
            self.queue.clear()
            self._cond.notify_all()
        self.engine.close()
        if self._thread is not None:
            self._thread.join(timeout)
        if self.tone_player is not None:
            self.tone_player.close()

    def __enter__(self) -> Voice:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the worker's side ----------------------------------------------------
    def step(self) -> Utterance | None:
        """Say the next utterance now (blocking); None when there was nothing to say."""
        with self._cond:
            if not self.enabled:
                self.queue.clear()
            item = self.queue.pop(self.clock())
            self._busy = item is not None
        if item is None:
            return None
        try:
            self._speak(item)
        finally:
            with self._cond:
                self._busy = False
                self._cond.notify_all()
        return item

    def _speak(self, item: Utterance) -> None:
        if item.tone:
            if self.tone_player is not None and self.tone_player.available:
                self.spoken.append("<beep>")
                self.tone_player.play()
            return  # no player: skip silently
        self.spoken.append(item.text)
        try:
            self.engine.say(item.text)
            self._failures = 0
        except (OSError, subprocess.SubprocessError) as error:
            self._failed(error)
        except Exception as error:  # an engine's own bug: the same, never the end of the thread
            self._failed(error)

    def _failed(self, error: BaseException) -> None:
        self._failures += 1
        reason = str(error) or type(error).__name__
        if self._failures >= MAX_ENGINE_ERRORS and self._off is None:
            self._off = f"speech off: {self.engine.name} failed: {reason}"

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._stop and not self.queue.pending:
                    self._cond.wait()
                if self._stop:
                    return
            try:
                self.step()
            except Exception as error:  # the queue's or the tone's: speech stops, and says why
                self._off = self._off or f"speech off: {self.engine.name} failed: {describe(error)}"
                with self._cond:
                    self.queue.clear()
                    self._cond.notify_all()
                return


__all__ = ["Voice"]
