"""posecheck live: coach from a camera (or a file at camera pace) in a window."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from . import interrupt
from .errors import ConfigError
from .events import Cue, Event
from .outputs import Outputs
from .overlay import Overlay, OverlayInput
from .registry import get_exercise
from .remote import EstimatorProcess
from .report import ReportBuilder, check_writable, write_json
from .rules import ExerciseRule, RuleState
from .session import Session, SessionResult, result_kept
from .source import Frame, open_source
from .voice import Voice, VoiceSink, make_voice

WINDOW = "posecheck"
NO_KEY = 0xFF
KEY_QUIT = {ord("q"), 27}
KEY_PAUSE = ord(" ")
KEY_MIRROR = ord("m")
KEY_DEBUG = ord("d")
KEY_VOICE = ord("v")
KEY_FULLSCREEN = ord("f")
NOTICE_S = 8.0  # how long a notice (speech turned off) stays on screen

Speaker = Callable[[float, Iterable[Event], RuleState | None], None]
"""Says one frame's events, following its state (a VoiceSink, or the routine's speaker)."""
KeyHook = Callable[[str, float], bool]
"""A key the view does not handle itself (its character, the frame time); True when it was used."""


@dataclass
class LiveOptions:
    exercise: str | ExerciseRule = "leg-lift"
    camera: str = "0"
    mirror: bool = False
    window: bool = True
    json_path: Path | None = None
    model: Path | None = None
    smoothing: str = "one-euro"
    no_person_timeout_s: float = 120.0
    max_seconds: float | None = None
    screenshot: Path | None = None  # save the last drawn frame (tests, docs)
    mute: bool = False
    tone: bool = False
    outputs: Outputs | None = None  # the HTML report, the CSV, the history entry
    reconnect_timeout_s: float | None = None  # a stream URL: give up reconnecting after this long (None: stream.py's)


def display_available() -> bool:
    return sys.platform != "linux" or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


class LiveView:
    """The Session's frame hook: speaks, draws, shows the window and reads keys; also usable without a window.

    Keys: q/Esc quit, space pause, m mirror, d debug (fps), v voice on/off,
    f full screen (the window can also be resized: the picture scales); any
    other key goes to on_key (the routine adds n = skip, r = repeat).
    """

    def __init__(
        self,
        options: LiveOptions,
        speaker: Speaker | None = None,
        voice: Voice | None = None,
        on_key: KeyHook | None = None,
        title: str = WINDOW,
    ) -> None:
        self.options = options
        self.speaker = speaker
        self.voice = voice
        self.on_key = on_key
        self.title = title
        self.overlay = Overlay()
        self.mirror = options.mirror
        self.paused = False
        self.debug = False
        self.fullscreen = False
        self.last_drawn: np.ndarray | None = None
        self._window_made = False
        self._notice: Cue | None = None  # said once: speech turned itself off

    def __call__(self, frame: Frame, item: OverlayInput, events: list[Event]) -> bool:
        if self.options.max_seconds is not None and frame.t >= self.options.max_seconds:
            return False
        if self.speaker is not None and not self.paused:
            self.speaker(item.t, events, item.state)
        shown = item if self.debug else OverlayInput(item.t, item.pose, item.state, item.cue, None)
        if (notice := self.notice(frame.t)) is not None:
            shown.cue = notice
        if self.paused:
            shown.state.status = "Paused: press space"
        drawn = self.overlay.annotate(frame.image.copy(), shown, mirror=self.mirror)
        self.last_drawn = drawn
        if not self.options.window:
            return True
        if not self._window_made:  # resizable, so it can fill a screen seen from the floor
            cv2.namedWindow(self.title, cv2.WINDOW_NORMAL | cv2.WINDOW_KEEPRATIO | cv2.WINDOW_GUI_NORMAL)
            cv2.resizeWindow(self.title, drawn.shape[1], drawn.shape[0])
            self._window_made = True
        cv2.imshow(self.title, drawn)
        code = cv2.waitKey(1) & 0xFF
        while True:
            if code != NO_KEY and not self.key(code, frame.t):
                return False
            if not self.paused:
                return True
            code = cv2.waitKey(50) & 0xFF  # paused: keep the window alive, wait for a key

    def notice(self, t: float) -> Cue | None:
        """The voice's failure, on screen for NOTICE_S from when it is first seen (and once on stderr)."""
        failure = self.voice.failure if self.voice is not None else None
        if failure is None:
            return None
        if self._notice is None:
            self._notice = Cue(t, failure, None, "info")
            with contextlib.suppress(OSError, ValueError):  # no terminal: the screen and the report say it
                print(f"posecheck: {failure}", file=sys.stderr)
        return self._notice if t - self._notice.t < NOTICE_S else None

    def key(self, code: int, t: float) -> bool:
        """One key press (its code); False to quit."""
        if code in KEY_QUIT:
            return False
        if code == KEY_MIRROR:
            self.mirror = not self.mirror
        elif code == KEY_DEBUG:
            self.debug = not self.debug
        elif code == KEY_VOICE and self.voice is not None:
            self.voice.mute = not self.voice.mute
        elif code == KEY_PAUSE:
            self.paused = not self.paused
        elif code == KEY_FULLSCREEN:
            self.fullscreen = not self.fullscreen
            if self._window_made:
                mode = cv2.WINDOW_FULLSCREEN if self.fullscreen else cv2.WINDOW_NORMAL
                cv2.setWindowProperty(self.title, cv2.WND_PROP_FULLSCREEN, mode)
        elif self.on_key is not None:
            self.on_key(chr(code), t)
        return True

    def close(self) -> None:
        if self.options.screenshot is not None and self.last_drawn is not None:
            cv2.imwrite(str(self.options.screenshot), self.last_drawn)
        if self.options.window:
            cv2.destroyAllWindows()


def live(options: LiveOptions) -> SessionResult:
    if options.window and not display_available():
        raise ConfigError("no display found: run with --no-window (or set DISPLAY)")
    if options.json_path is not None:
        check_writable(options.json_path)
    if options.outputs is not None:
        options.outputs.check()
    timeline = options.outputs.timeline() if options.outputs is not None else None
    rule = get_exercise(options.exercise)
    source = open_source(options.camera, live=True, reconnect_timeout_s=options.reconnect_timeout_s)
    voice = make_voice(options.mute, options.tone, warn=lambda line: print(f"posecheck: {line}", file=sys.stderr))
    view = LiveView(options, VoiceSink(voice, tone=options.tone), voice)
    done: list[SessionResult] = []
    empty = lambda: SessionResult(ReportBuilder(rule.name, source.info.name, source.info.fps))  # noqa: E731
    with (
        result_kept(done, empty, "closing the session"),  # the window, the estimator: the result stands
        source,
        EstimatorProcess(options.model, probe_wait=False) as estimator,
    ):
        session = Session(rule, estimator, options.smoothing, options.no_person_timeout_s)
        with contextlib.suppress(OSError, ValueError):
            print(f"live: {rule.name} from {source.info.name}; stop with q in the window or Ctrl-C", flush=True)
        try:
            done.append(session.run(source, timeline.wrap(rule, view) if timeline is not None else view))
        finally:
            with interrupt.deferred(reraise=False):  # a signal now: the report first
                view.close()
                voice.close()
    result = finish_result(done[0], voice)
    report = result.report
    report.extras["live"] = {
        "frames_processed": result.frames,
        "frames_dropped": source.dropped,
        "processing_fps": round(result.fps, 1),
        "mirror": view.mirror,
    }
    if options.json_path is not None:
        write_json(options.json_path, report.build())
    if options.outputs is not None:
        options.outputs.write(report.build(), timeline, "live")
    return result


def finish_result(result: SessionResult, voice: Voice | None) -> SessionResult:
    """A live run's result made final: a signal met while closing, and the voice's failure, are in its report."""
    result.interrupted = result.interrupted or interrupt.take_pending()
    result.report.interrupted = result.interrupted is not None
    failure = voice.failure if voice is not None else None
    if failure is not None and failure not in result.report.errors:
        result.report.errors.append(failure)
    return result
