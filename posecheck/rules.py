"""The contract every exercise rule module fulfils, and helpers they share.

A rule is pure: it gets a smoothed Pose (or None when nobody is seen) and the
time, and returns events.  It never imports OpenCV or MediaPipe.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field, replace
from typing import ClassVar, Literal

import numpy as np

from .events import Cue, CueKind, Event
from .pose import Pose
from .views import ViewSpec

Kind = Literal["reps", "hold"]

#: Said when nothing is counted and the rule's own messages kept changing: none of them is true then.
UNCLEAR = "Hard to see you: check light, camera"

#: What the cue repeats for "stop if it hurts": said once at the start.
SAFETY_LINE = "Stop if it hurts"


@dataclass
class RuleState:
    """What the overlay and the live panel show; filled by the rule each frame."""

    exercise: str
    title: str
    kind: Kind
    side: str | None = None
    count: int = 0
    target: int = 0
    sets: int = 0
    angle_deg: float | None = None
    angle_unit: str = " deg"  # printed after the value (the ball squeeze's is the knee gap's closing, "%")
    angle_at: tuple[int, int, int] | None = None  # landmarks a-b-c of the drawn arc
    hold_s: float | None = None
    hold_target_s: float | None = None
    phase: str = ""
    status: str | None = None  # a setup/visibility message, shown instead of judging
    active_faults: tuple[str, ...] = ()
    view: str | None = None
    per_side: dict[str, int] = field(default_factory=dict)

    def snapshot(self) -> RuleState:
        """A copy safe to hand to another thread (the one mutable field copied; ~10x cheaper than deepcopy)."""
        return replace(self, per_side=dict(self.per_side))


class CueLimiter:
    """Lets the same cue text through at most once every `min_gap_s` seconds."""

    def __init__(self, min_gap_s: float = 3.0) -> None:
        self.min_gap_s = min_gap_s
        self._last: dict[str, float] = {}

    def __call__(self, t: float, text: str, fault: str | None = None, kind: CueKind = "form") -> list[Event]:
        last = self._last.get(text)
        if last is not None and t - last < self.min_gap_s:
            return []
        self._last[text] = t
        return [Cue(t, text, fault, kind)]


SAY_UNSEEN_AFTER_S = 0.5  # a joint out of view is said only once it lasts: MediaPipe's misfit bursts (1-3
# frames) drop a joint's visibility and said "Move back: feet not visible" twice on a clean rendered set


class ExerciseRule(ABC):
    """Base of every exercise: landmarks and time in, events out."""

    name: ClassVar[str]
    title: ClassVar[str]
    kind: ClassVar[Kind]
    description: ClassVar[str]
    camera_advice: ClassVar[str]
    #: said with "switch sides" when the camera must move too (figure-four: it watches the crossed leg's side)
    switch_advice: ClassVar[str | None] = None
    #: the body position the exercise is done in ("supine", "side-lying", "seated"), if one
    posture: ClassVar[str | None] = None
    #: the camera views that suit the exercise (docs/design.md, "Camera placement"); None: any view
    views: ClassVar[ViewSpec | None] = None

    def __init__(self) -> None:
        self.cue = CueLimiter()
        self.started = False
        self._unseen = Debounce(SAY_UNSEEN_AFTER_S)

    @classmethod
    def switching(cls, line: str) -> str:
        """A line that sends the person to the other side ("Switch sides"), with the camera's move when it has one."""
        return line + (f". {cls.switch_advice}" if cls.switch_advice else "")

    def visibility_cue(self, t: float, message: str | None) -> list[Event]:
        """This frame's visibility problem (None: all seen), said once it has lasted SAY_UNSEEN_AFTER_S."""
        said = self._unseen.update(t, message)
        return self.cue(t, said, "not_visible", "setup") if said is not None else []

    @abstractmethod
    def update(self, pose: Pose | None, t: float) -> list[Event]:
        """Consume one frame's pose (None: nobody seen) at time t seconds."""

    def finish(self, t: float) -> list[Event]:
        """The video or session ended at t: close what is open."""
        return []

    @property
    @abstractmethod
    def state(self) -> RuleState:
        """What to show now."""

    def report_extras(self) -> dict[str, object]:
        """Extra fields for the JSON report (view found, checks not judged, ...)."""
        return {}

    def counter_lines(self) -> dict[str, float]:
        """The rep counter's lines now, in the counted signal's own units (the HTML report's plot draws them):
        enter and exit of a `counter` attribute with them (a RepCounter), else none (holds count time)."""
        counter = getattr(self, "counter", None)
        lines = {name: getattr(counter, name, None) for name in ("enter", "exit")}
        return {name: float(v) for name, v in lines.items() if isinstance(v, int | float)}

    def uncounted_reason(self, what: str, unclear: bool = False) -> str | None:
        """Why nothing was counted while the legs moved (what='moving') or were held still ('still', hold
        exercises); a short cue, or None to stay quiet.  Default: the rule's own setup or visibility message, or
        UNCLEAR when that message kept changing (unclear: MediaPipe losing and finding the body by turns)."""
        if unclear:
            return UNCLEAR
        status = self.state.status
        if status is not None:
            return status
        return f"Not counted as {self.title.lower()}" if what == "moving" else None

    @property
    def coached(self) -> ExerciseRule | None:
        """The exercise being coached now: this rule (a routine: its current step's, None between steps)."""
        return self

    def set_hold_target(self, seconds: float) -> None:
        """Time holds to `seconds` (a routine step's own length); rep exercises have none and ignore it."""
        return None

    def fits(self, pose: Pose) -> bool:
        """Whether this person is in the exercise's position (to pick them out of several)."""
        if self.posture is None:
            return True
        from .posture import classify_posture, in_posture

        return in_posture(classify_posture(pose), self.posture)

    def _start(self, t: float) -> list[Event]:
        if self.started:
            return []
        self.started = True
        return [Cue(t, SAFETY_LINE, None, "info")]


def missing_message(pose: Pose, groups: dict[str, tuple[int, ...]], threshold: float = 0.5) -> str | None:
    """The first visibility message whose landmarks are not visible, else None.

    groups maps a message ("Move back: feet not visible") to the landmarks it needs.
    """
    for message, indices in groups.items():
        if not pose.visible(indices, threshold):
            return unseen_wording(pose, message, indices)
    return None


INSIDE_MARGIN = 0.02  # a joint this far inside the picture's border is in it (MediaPipe places cut-off ones outside)


def in_picture(pose: Pose, indices: tuple[int, ...] | list[int]) -> bool:
    """Whether those joints lie inside the picture, INSIDE_MARGIN from its border (cut-off ones lie outside)."""
    points = pose.image[list(indices)]
    return bool(np.all((points > INSIDE_MARGIN) & (points < 1.0 - INSIDE_MARGIN)))


def unseen_wording(pose: Pose, message: str, indices: tuple[int, ...] | list[int]) -> str:
    """'Move back: knees not visible' as is when those joints lie outside the picture; 'Knees hidden from the
    camera' when they are inside it but not seen (covered by the other leg, say): moving back would not help,
    and said beside the framing check's 'Move the camera closer' it contradicted it."""
    if not in_picture(pose, indices) or not (message.startswith("Move back: ") and message.endswith(" not visible")):
        return message
    part = message.removeprefix("Move back: ").removesuffix(" not visible")
    return f"{part.capitalize()} hidden from the camera"


class Debounce:
    """A message that takes effect only after it has persisted `after_s` seconds.

    update(t, message) returns the message once it has been the same for
    after_s, else None; None (all fine) clears it at once.
    """

    def __init__(self, after_s: float = 0.7) -> None:
        self.after_s = after_s
        self._message: str | None = None
        self._since = 0.0

    def update(self, t: float, message: str | None) -> str | None:
        if message != self._message:
            self._message, self._since = message, t
        if message is not None and t - self._since >= self.after_s:
            return message
        return None
