"""Turns posecheck events and rule state into things the Voice says."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from ..events import Cue, Event, HoldEvent, RepEvent, Say, SetEvent, SideEvent
from ..rules import SAFETY_LINE, RuleState
from .schedule import Priority
from .worker import Voice

if TYPE_CHECKING:  # the session imports OpenCV; the voice does not need it at run time
    from ..overlay import OverlayInput
    from ..session import FrameHook
    from ..source import Frame

_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)  # fmt: skip
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_KIND_PRIORITY = {"form": Priority.FORM, "setup": Priority.SETUP, "info": Priority.INFO}
COUNTDOWN_S = (10, 5)  # "Ten seconds left", "Five seconds left"


def number_word(n: int) -> str:
    """0-99 as English words ("twenty-one"); other numbers as digits."""
    if 0 <= n < 20:
        return _ONES[n]
    if 20 <= n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    return str(n)


class VoiceSink:
    """Events -> utterances.

    tone: a beep for each rep instead of the spoken count (the count that
    reaches the target is still said).  announce_switch: say "Switch sides"
    when one side reaches its target (the guided routine says its own).
    """

    def __init__(
        self,
        voice: Voice,
        *,
        tone: bool = False,
        countdown_s: Sequence[int] = COUNTDOWN_S,
        announce_switch: bool = True,
        announce_side: bool = True,
    ) -> None:
        self.voice = voice
        self.tone = tone
        self.countdown_s = tuple(sorted(countdown_s, reverse=True))
        self.announce_switch = announce_switch
        self.announce_side = announce_side
        self._state: RuleState | None = None
        self._last_hold_s: float | None = None
        self._announced: set[int] = set()
        self._rule_announces = False

    def on_events(self, events: Iterable[Event]) -> None:
        events = list(events)
        # a rule that announces its own "Switch sides" / "All done" in this batch is not echoed
        self._rule_announces = any(type(event) is Say for event in events)
        for event in events:
            if isinstance(event, Cue):
                keep = event.text == SAFETY_LINE
                self.voice.say(event.text, _KIND_PRIORITY.get(event.kind, Priority.INFO), keep=keep)
            elif isinstance(event, RepEvent):
                self._on_count(event.rep.side, event.count, tone=self.tone)
            elif isinstance(event, HoldEvent):
                if event.hold.complete:
                    self.voice.say("Hold done", Priority.COUNT)
                    self._on_target(event.hold.side, event.count)
            elif isinstance(event, Say):
                self.voice.say(event.text, Priority.COUNT)
            elif isinstance(event, SetEvent):
                self.voice.say(f"Set done: {number_word(event.reps)}", Priority.INFO)
            elif isinstance(event, SideEvent) and self.announce_side and event.side in ("left", "right"):
                self.voice.say(f"{event.side.capitalize()} side", Priority.INFO)

    def __call__(self, t: float, events: Iterable[Event], state: RuleState | None = None) -> None:
        """One frame: speaks its events and follows its state (a live view's speaker)."""
        self.on_events(events)
        if state is not None:
            self.on_state(t, state)

    def guide(self, text: str) -> None:
        """A line that must be heard (a routine instruction): never dropped as stale.

        Queued with the counts, first come first said, so "Ten" comes before "Well done. Rest";
        only form and setup cues go ahead of it.
        """
        self.voice.say(text, Priority.COUNT, keep=True)

    def on_state(self, t: float, state: RuleState) -> None:
        """Per frame: remembers targets and says hold countdowns."""
        self._state = state
        hold, target = state.hold_s, state.hold_target_s
        if state.kind != "hold" or hold is None or not target:
            self._last_hold_s = None
            self._announced.clear()
            return
        if self._last_hold_s is not None and hold < self._last_hold_s - 0.5:
            self._announced.clear()  # a new hold began
        self._last_hold_s = hold
        remaining = target - hold
        for mark in self.countdown_s:
            if mark >= target or mark in self._announced:
                continue
            if remaining <= mark:
                self._announced.add(mark)
                if remaining > mark - 1.0:  # not when the timer jumped past it
                    self.voice.say(f"{number_word(mark).capitalize()} seconds left", Priority.COUNT)

    def _on_count(self, side: str, count: int, tone: bool) -> None:
        target = self._target()
        reached = target is not None and count == target
        if tone and not reached:
            self.voice.say(number_word(count), Priority.COUNT, tone=True, group="count")
        else:
            self.voice.say(number_word(count).capitalize(), Priority.COUNT, group="count")
        self._on_target(side, count)

    def _on_target(self, side: str, count: int) -> None:
        target = self._target()
        if not self.announce_switch or self._rule_announces or target is None or count != target:
            return
        done = dict(self._state.per_side) if self._state is not None else {}
        done[side] = max(done.get(side, 0), count)
        others = [s for s in ("left", "right") if s != side]
        if side in ("left", "right") and any(done.get(s, 0) < target for s in others):
            self.voice.say("Switch sides", Priority.COUNT)
        else:
            self.voice.say("Well done", Priority.COUNT)

    def _target(self) -> int | None:
        return self._state.target if self._state is not None and self._state.target > 0 else None


def speaking(hook: Callable[[Frame, OverlayInput, list[Event]], bool], sink: VoiceSink) -> FrameHook:
    """Wraps a Session frame hook so every frame's events and state are also spoken."""

    def spoken(frame: Frame, item: OverlayInput, events: list[Event]) -> bool:
        sink.on_events(events)
        sink.on_state(item.t, item.state)
        return hook(frame, item, events)

    return spoken


__all__ = ["COUNTDOWN_S", "VoiceSink", "number_word", "speaking"]
