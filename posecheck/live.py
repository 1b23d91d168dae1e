"""posecheck live: coach from a camera (or a file at camera pace) in a window."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from .errors import ConfigError
from .estimator import PoseEstimator
from .events import Event
from .overlay import Overlay, OverlayInput
from .registry import get_exercise
from .report import check_writable, write_json
from .rules import ExerciseRule
from .session import Session, SessionResult
from .source import Frame, open_source
from .voice import VoiceSink, make_voice

WINDOW = "posecheck"
KEY_QUIT = {ord("q"), 27}
KEY_PAUSE = ord(" ")
KEY_MIRROR = ord("m")
KEY_DEBUG = ord("d")
KEY_VOICE = ord("v")


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


def display_available() -> bool:
    return sys.platform != "linux" or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


class LiveView:
    """Draws, shows the window and handles keys; also usable without a window."""

    def __init__(self, options: LiveOptions, voice: VoiceSink | None = None) -> None:
        self.options = options
        self.voice = voice
        self.overlay = Overlay()
        self.mirror = options.mirror
        self.paused = False
        self.debug = False
        self.last_drawn: np.ndarray | None = None

    def __call__(self, frame: Frame, item: OverlayInput, events: list[Event]) -> bool:
        if self.options.max_seconds is not None and frame.t >= self.options.max_seconds:
            return False
        if self.voice is not None and not self.paused:
            self.voice.on_events(events)
            self.voice.on_state(item.t, item.state)
        shown = item if self.debug else OverlayInput(item.t, item.pose, item.state, item.cue, None)
        if self.paused:
            shown.state.status = "Paused: press space"
        drawn = self.overlay.annotate(frame.image.copy(), shown, mirror=self.mirror)
        self.last_drawn = drawn
        if not self.options.window:
            return True
        cv2.imshow(WINDOW, drawn)
        key = cv2.waitKey(1) & 0xFF
        while True:
            if key in KEY_QUIT:
                return False
            if key == KEY_MIRROR:
                self.mirror = not self.mirror
            elif key == KEY_DEBUG:
                self.debug = not self.debug
            elif key == KEY_VOICE and self.voice is not None:
                self.voice.voice.mute = not self.voice.voice.mute
            elif key == KEY_PAUSE:
                self.paused = not self.paused
            if not self.paused:
                return True
            key = cv2.waitKey(50) & 0xFF  # paused: keep the window alive, wait for a key

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
    rule = get_exercise(options.exercise)
    source = open_source(options.camera, live=True)
    voice = make_voice(options.mute, options.tone, warn=lambda line: print(f"posecheck: {line}", file=sys.stderr))
    view = LiveView(options, VoiceSink(voice, tone=options.tone))
    with source, PoseEstimator(options.model) as estimator:
        session = Session(rule, estimator, options.smoothing, options.no_person_timeout_s)
        try:
            result = session.run(source, view)
        finally:
            view.close()
            voice.close()
    report = result.report
    report.extras["live"] = {
        "frames_processed": result.frames,
        "frames_dropped": source.dropped,
        "processing_fps": round(result.fps, 1),
        "mirror": view.mirror,
    }
    if options.json_path is not None:
        write_json(options.json_path, report.build())
    return result
