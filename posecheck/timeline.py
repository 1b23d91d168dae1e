"""What the HTML report plots and shows, kept while a session runs: each exercise's counted signal over time and
small pictures of the reps, holds and first fault cues.  Nothing here is written unless the report asks for it.

Timeline.wrap(rule, hook) makes a Session frame hook that records, then calls the hook it wraps.  Per frame it
reads the coached rule's state (the value on the overlay: the lift, the squeeze's closing, the knee-out, the twist;
the hold clock) and its counter's lines (ExerciseRule.counter_lines), so the rules are not touched.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

import cv2
import numpy as np

from .events import Cue, Event, HoldEvent, RepEvent
from .overlay import OverlayInput
from .rules import ExerciseRule
from .session import FrameHook
from .source import Frame

THUMB_WIDTH = 240  # px: a phone shows two side by side; JPEG at 70 is 6-12 kB each
THUMB_QUALITY = 70
THUMB_EVERY_S = 0.2  # a picture kept this often ...
THUMB_KEEP_S = 45.0  # ... over this long: a 30 s hold's middle is still there when the hold ends
MAX_THUMBS = 120  # a long routine's report stays a few MB at most
GAP_S = 1.0  # samples further apart than this are drawn as a break in the line


@dataclass
class Track:
    """One exercise's signal: time, the value the rule counts on (NaN: not measured), the hold clock, lines."""

    exercise: str
    title: str
    kind: str
    unit: str = " deg"
    t: list[float] = field(default_factory=list)
    value: list[float] = field(default_factory=list)
    hold: list[float] = field(default_factory=list)
    lines: dict[str, list[float]] = field(default_factory=dict)
    target: int = 0
    hold_target_s: float | None = None

    def add(self, t: float, value: float | None, hold: float | None, lines: dict[str, float]) -> None:
        n = len(self.t)
        self.t.append(t)
        self.value.append(math.nan if value is None else float(value))
        self.hold.append(math.nan if hold is None else float(hold))
        for name in set(self.lines) | set(lines):
            self.lines.setdefault(name, [math.nan] * n).append(lines.get(name, math.nan))

    def span(self, counted: list[tuple[float, float]]) -> tuple[float, float]:
        """The time worth plotting: the stretches of samples (split at gaps) holding a counted rep or hold, or the
        longest stretch when none does; a moment the exercise was briefly recognised elsewhere is left out."""
        stretches: list[tuple[float, float]] = []
        for t in self.t:
            if stretches and t - stretches[-1][1] <= GAP_S:
                stretches[-1] = (stretches[-1][0], t)
            else:
                stretches.append((t, t))
        kept = [(a, b) for a, b in stretches if any(start <= b and end >= a for start, end in counted)]
        if not kept:
            kept = [max(stretches, key=lambda ab: ab[1] - ab[0])] if stretches else [(0.0, 1.0)]
        return kept[0][0], kept[-1][1]

    def between(self, start: float, end: float) -> list[float]:
        """The measured values from start to end (NaN left out)."""
        return [v for t, v in zip(self.t, self.value, strict=True) if start <= t <= end and not math.isnan(v)]


@dataclass(frozen=True)
class Thumb:
    """A small JPEG of one moment: a rep's top, a hold's middle or a fault's first cue."""

    t: float
    exercise: str
    what: str  # "rep", "hold" or "fault"
    label: str
    jpeg: bytes


class Timeline:
    """The recorder; `thumbs=False` keeps the signal only (no pictures: a recording without video)."""

    def __init__(self, thumbs: bool = True) -> None:
        self.tracks: dict[str, Track] = {}
        self.thumbs: list[Thumb] = []
        self.rules: dict[str, ExerciseRule] = {}  # the last rule coaching each exercise: what it could not judge
        self.keep_thumbs = thumbs
        self._recent: deque[tuple[float, bytes]] = deque()
        self._faults_seen: set[tuple[str, str]] = set()
        self._pictured: set[tuple[str, float]] = set()

    def exercise_at(self, t: float) -> str | None:
        """The exercise coached at time t (the latest whose signal started by then and had not ended long before)."""
        best: tuple[float, str] | None = None
        for name, track in self.tracks.items():
            if track.t and track.t[0] <= t <= track.t[-1] + GAP_S and (best is None or track.t[0] > best[0]):
                best = (track.t[0], name)
        return best[1] if best is not None else None

    def wrap(self, rule: ExerciseRule, hook: FrameHook | None) -> FrameHook:
        def recording(frame: Frame, item: OverlayInput, events: list[Event]) -> bool:
            self.observe(rule, frame, events)
            return hook(frame, item, events) if hook is not None else True

        return recording

    def observe(self, rule: ExerciseRule, frame: Frame | None, events: list[Event], t: float | None = None) -> None:
        """One frame: the coached rule's signal, and pictures for the frame's reps, holds and first fault cues."""
        t = frame.t if frame is not None else float(t or 0.0)
        coached = rule.coached
        exercise = None
        if coached is not None:
            state = coached.state
            exercise = state.exercise
            self.rules[exercise] = coached
            track = self.tracks.get(exercise)
            if track is None:
                track = self.tracks[exercise] = Track(exercise, coached.title, coached.kind, state.angle_unit)
            scale = 100.0 if state.angle_unit.strip() == "%" else 1.0  # shown in % of a share the counter counts in
            lines = {name: v * scale for name, v in coached.counter_lines().items()}
            hold = state.hold_s if coached.kind == "hold" else None
            track.add(t, state.angle_deg, hold, lines)
            track.target = state.target or track.target
            track.hold_target_s = state.hold_target_s or track.hold_target_s
        if frame is not None and self.keep_thumbs:
            self._pictures(frame, events, exercise)

    def _pictures(self, frame: Frame, events: list[Event], exercise: str | None) -> None:
        if not self._recent or frame.t - self._recent[-1][0] >= THUMB_EVERY_S:
            self._recent.append((frame.t, _jpeg(frame.image)))
            while self._recent and frame.t - self._recent[0][0] > THUMB_KEEP_S:
                self._recent.popleft()
        for event in events:
            if len(self.thumbs) >= MAX_THUMBS:
                return
            if isinstance(event, RepEvent):
                self._rep(event.rep.to_json(), event.rep.exercise or exercise)
            elif isinstance(event, HoldEvent):
                self._hold(event.hold.to_json(), event.hold.exercise or exercise)
            elif isinstance(event, Cue) and event.kind == "form" and event.fault:
                key = (exercise or "", event.fault)
                if key not in self._faults_seen:
                    self._faults_seen.add(key)
                    self._keep(frame.t, exercise, "fault", event.fault)

    def close(self, report: dict[str, object]) -> None:
        """Pictures for the reps and holds closed when the session ended (they reach no frame hook)."""
        if not self.keep_thumbs:
            return
        for rep in report.get("reps", []) or []:  # type: ignore[union-attr]
            self._rep(rep, rep.get("exercise") or self.exercise_at(float(rep["start_s"])))
        for hold in report.get("holds", []) or []:  # type: ignore[union-attr]
            self._hold(hold, hold.get("exercise") or self.exercise_at(float(hold["start_s"])))

    def _rep(self, rep: dict[str, object], exercise: str | None) -> None:
        side = rep["side"]
        number = 1 + sum(1 for t in self.thumbs if t.exercise == exercise and t.label.startswith(f"{side} rep"))
        self._keep(float(rep["peak_s"]), exercise, "rep", f"{side} rep {number}", float(rep["start_s"]))  # type: ignore[arg-type]

    def _hold(self, hold: dict[str, object], exercise: str | None) -> None:
        start, end = float(hold["start_s"]), float(hold["end_s"])  # type: ignore[arg-type]
        side = hold["side"]
        number = 1 + sum(1 for t in self.thumbs if t.exercise == exercise and t.label.startswith(f"{side} hold"))
        label = f"{side} hold {number}, {float(hold['valid_s']):.0f} s held"  # type: ignore[arg-type]
        self._keep((start + end) / 2, exercise, "hold", label, start)

    def _keep(self, t: float, exercise: str | None, what: str, label: str, key: float | None = None) -> None:
        """The kept picture nearest t; a rep or hold (its start as the key) gets one only once."""
        if key is not None:
            if (what, round(key, 2)) in self._pictured:
                return
            self._pictured.add((what, round(key, 2)))
        if not self._recent or len(self.thumbs) >= MAX_THUMBS:
            return
        at, jpeg = min(self._recent, key=lambda item: abs(item[0] - t))
        self.thumbs.append(Thumb(at, exercise or "", what, label, jpeg))


def _jpeg(image: np.ndarray) -> bytes:
    height, width = image.shape[:2]
    scale = THUMB_WIDTH / max(1, width)
    small = cv2.resize(image, (THUMB_WIDTH, max(1, round(height * scale))), interpolation=cv2.INTER_AREA)
    ok, data = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, THUMB_QUALITY])
    return data.tobytes() if ok else b""


__all__ = ["Thumb", "Timeline", "Track"]
