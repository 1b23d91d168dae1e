"""What rules emit and sinks consume.  Plain frozen dataclasses, no behaviour."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

CueKind = Literal["form", "setup", "info"]


@dataclass(frozen=True)
class RepRecord:
    side: str
    start_s: float
    peak_s: float
    end_s: float
    peak_angle_deg: float
    hold_s: float
    faults: tuple[str, ...] = ()
    extra: dict[str, float] = field(default_factory=dict)
    exercise: str | None = None  # named when one recording holds several exercises (-e auto)

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "side": self.side,
            "start_s": round(self.start_s, 3),
            "peak_s": round(self.peak_s, 3),
            "end_s": round(self.end_s, 3),
            "peak_angle_deg": round(self.peak_angle_deg, 1),
            "hold_s": round(self.hold_s, 2),
            "faults": list(self.faults),
        }
        out.update({k: round(v, 2) for k, v in self.extra.items()})
        if self.exercise is not None:
            out["exercise"] = self.exercise
        return out


@dataclass(frozen=True)
class HoldRecord:
    side: str
    start_s: float
    end_s: float
    valid_s: float
    faults: tuple[str, ...] = ()
    complete: bool = False
    exercise: str | None = None  # named when one recording holds several exercises (-e auto)

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "side": self.side,
            "start_s": round(self.start_s, 3),
            "end_s": round(self.end_s, 3),
            "valid_s": round(self.valid_s, 2),
            "complete": self.complete,
            "faults": list(self.faults),
        }
        if self.exercise is not None:
            out["exercise"] = self.exercise
        return out


@dataclass(frozen=True)
class Event:
    t: float


@dataclass(frozen=True)
class Cue(Event):
    """Something to show and say: a form correction, a setup instruction or info."""

    text: str
    fault: str | None = None
    kind: CueKind = "form"


@dataclass(frozen=True)
class RepEvent(Event):
    rep: RepRecord
    count: int  # reps on this side so far, this one included


@dataclass(frozen=True)
class HoldEvent(Event):
    hold: HoldRecord
    count: int  # complete holds on this side so far


@dataclass(frozen=True)
class SetEvent(Event):
    side: str
    reps: int


@dataclass(frozen=True)
class SideEvent(Event):
    """The working side changed (or was first found)."""

    side: str


@dataclass(frozen=True)
class Uncounted(Event):
    """Motion that looked like a rep or a hold went uncounted: when, and why (also said as a cue)."""

    reason: str
    start_s: float | None = None

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"t_s": round(self.t, 3), "reason": self.reason}
        if self.start_s is not None:
            out["start_s"] = round(self.start_s, 3)
        return out


@dataclass(frozen=True)
class Say(Event):
    """An announcement that is not tied to a fault ("ten seconds left")."""

    text: str
