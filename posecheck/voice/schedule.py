"""What to say next: priorities, staleness and rate limits, as a pure policy.

No threads and no clock of its own: push() and pop() get the time, so the
policy is tested deterministically; the Voice worker drives it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from enum import IntEnum


class Priority(IntEnum):
    """Lower is more urgent."""

    FORM = 0  # a form correction: say it while the rep is still going on
    SETUP = 1  # camera/position instructions, visibility messages
    COUNT = 2  # rep counts, hold announcements ("Hold done", "Five seconds left")
    INFO = 3  # everything else


#: An utterance waiting longer than this is dropped, not said late (a late count misleads).
#: A newer count replaces a pending one (group "count"), so a count only has to outlast one
#: line spoken ahead of it (espeak-ng lines run 0.7-2.3 s): at 2 s a tip dropped "One".
MAX_AGE_S: dict[Priority, float] = {
    Priority.FORM: 3.0,
    Priority.SETUP: 6.0,
    Priority.COUNT: 3.5,
    Priority.INFO: 10.0,
}
REPEAT_GAP_S = 3.0  # the same text not again within this (docs/exercises.md: no repeat within ~3 s)
FORM_GAP_S = 2.0  # at most one form cue this often, whatever its text
STALE_S = 1.0  # a lower-priority item pending this long is replaced by a newer, more urgent one
MAX_PENDING = 16


@dataclass(frozen=True)
class Utterance:
    text: str
    priority: Priority = Priority.INFO
    created: float = 0.0
    keep: bool = False  # never dropped as stale or replaced (routine instructions, the safety line)
    tone: bool = False  # play the rep beep instead of speaking the text
    group: str = ""  # a newer item of the same group replaces a pending one ("count": only the latest count)
    seq: int = 0

    @property
    def key(self) -> str:
        return " ".join(self.text.lower().split())


@dataclass
class SpeechQueue:
    """Pending utterances and the memory of what was said when."""

    repeat_gap_s: float = REPEAT_GAP_S
    form_gap_s: float = FORM_GAP_S
    stale_s: float = STALE_S
    max_age_s: dict[Priority, float] = field(default_factory=lambda: dict(MAX_AGE_S))
    max_pending: int = MAX_PENDING
    pending: list[Utterance] = field(default_factory=list)
    dropped: list[tuple[Utterance, str]] = field(default_factory=list)  # (item, why): for tests and debugging
    _said: dict[str, float] = field(default_factory=dict)
    _last_form: float | None = None
    _seq: itertools.count[int] = field(default_factory=itertools.count)

    def __len__(self) -> int:
        return len(self.pending)

    def push(self, item: Utterance) -> bool:
        """Queue an utterance; False when it was refused as a duplicate."""
        item = replace(item, seq=next(self._seq))
        if any(p.key == item.key for p in self.pending):
            self._drop(item, "already pending")
            return False
        for old in list(self.pending):
            if old.keep:
                continue
            same_group = bool(item.group) and old.group == item.group
            replaced = old.priority > item.priority and item.created - old.created >= self.stale_s
            if same_group or replaced:
                self.pending.remove(old)
                self._drop(old, f"replaced by {item.text!r}")
        self.pending.append(item)
        while len(self.pending) > self.max_pending:
            worst = max((p for p in self.pending if not p.keep), key=lambda p: (p.priority, -p.seq), default=None)
            if worst is None:
                break
            self.pending.remove(worst)
            self._drop(worst, "queue full")
        return True

    def pop(self, now: float) -> Utterance | None:
        """The next utterance to say at time `now`, or None; drops stale and rate-limited ones."""
        while self.pending:
            item = min(self.pending, key=lambda p: (p.priority, p.seq))
            self.pending.remove(item)
            why = self._refusal(item, now)
            if why is not None:
                self._drop(item, why)
                continue
            self._said[item.key] = now
            if item.priority == Priority.FORM:
                self._last_form = now
            return item
        return None

    def clear(self) -> None:
        for item in self.pending:
            self._drop(item, "cleared")
        self.pending.clear()

    def _refusal(self, item: Utterance, now: float) -> str | None:
        if not item.keep and now - item.created > self.max_age_s[item.priority]:
            return f"stale ({now - item.created:.1f} s old)"
        last = self._said.get(item.key)
        if last is not None and now - last < self.repeat_gap_s:
            return "said just now"
        if item.priority == Priority.FORM and self._last_form is not None and now - self._last_form < self.form_gap_s:
            return "form cue just said"
        return None

    def _drop(self, item: Utterance, why: str) -> None:
        self.dropped.append((item, why))
        del self.dropped[:-200]


__all__ = ["MAX_AGE_S", "Priority", "SpeechQueue", "Utterance"]
