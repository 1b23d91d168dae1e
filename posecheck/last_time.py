"""The routine's spoken summary ends with one line from the history: "Three more reps than last time"."""

from __future__ import annotations

from collections.abc import Callable

from .errors import PosecheckError
from .outputs import Outputs
from .routine import StepResult
from .voice.sink import number_word

LastTime = Callable[[list[StepResult]], "str | None"]
"""The summary's line compared with the last routine, from this routine's step results."""


def step_totals(results: list[StepResult]) -> dict[str, int]:
    """Reps and holds done over the whole routine ("reps" -> n, "holds" -> n)."""
    totals: dict[str, int] = {}
    for result in results:
        kind = "holds" if result.kind == "hold" else "reps"
        totals[kind] = totals.get(kind, 0) + sum(result.done.values())
    return totals


def than_last_time(now: dict[str, int], before: dict[str, int]) -> str | None:
    """One line comparing reps (or, with no reps either time, holds) with the last routine's."""
    for kind in ("reps", "holds"):
        if now.get(kind) or before.get(kind):
            change = now.get(kind, 0) - before.get(kind, 0)
            if change == 0:
                return f"As many {kind} as last time"
            unit = kind if abs(change) != 1 else kind[:-1]
            more = "more" if change > 0 else "fewer"
            return f"{number_word(abs(change)).capitalize()} {more} {unit} than last time"
    return None


def compared_to_last(outputs: Outputs | None) -> LastTime | None:
    """The history's last routine, read now (before this one is kept), as a LastTime; None without one."""
    store = outputs.store() if outputs is not None else None
    if store is None or not store.path.exists():
        return None
    try:
        before = store.last_totals("routine")
    except PosecheckError:
        return None
    if before is None:
        return None
    return lambda results: than_last_time(step_totals(results), before)


__all__ = ["LastTime", "compared_to_last", "step_totals", "than_last_time"]
