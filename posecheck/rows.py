"""One row per rep or hold, from a report (and, for a hold's measure, the timeline): for the CSV, the HTML table and
the history.  Each exercise names its main measure, the number a person follows over weeks."""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .timeline import Timeline

#: exercise -> (the main measure's name, its unit, the rep field it is read from; None: the median of the
#: exercise's plotted signal over the hold)
MEASURES: dict[str, tuple[str, str, str | None]] = {
    "leg-lift": ("peak lift", "deg", "peak_angle_deg"),
    "ball-squeeze": ("squeeze depth", "% hip width", "gap_change_pct"),
    "figure-four": ("knee-out", "deg", None),
    "seated-twist": ("twist", "deg", None),
}
#: other rep fields shown, with their names
DETAILS = {
    "hold_s": "held at top s",
    "knee_deg": "knee deg",
    "forward_deg": "forward deg",
    "hike_deg": "hip hike deg",
    "gap_change_cm": "squeeze cm",
}
CSV_FIELDS = [
    "session", "date", "exercise", "side", "set", "kind", "number", "start_s", "end_s", "measure", "value",
    "unit", "held_s", "complete", "faults",
]  # fmt: skip


@dataclass
class Row:
    exercise: str
    side: str
    set: int
    kind: str  # "rep" or "hold"
    number: int  # within its exercise and side
    start_s: float
    end_s: float
    value: float | None  # the exercise's main measure
    held_s: float | None  # a hold's counted seconds; a rep's time at the top
    complete: bool | None  # holds: held to the target
    faults: tuple[str, ...]
    details: dict[str, float]

    @property
    def measure(self) -> str:
        return MEASURES.get(self.exercise, ("", "", None))[0]

    @property
    def unit(self) -> str:
        return MEASURES.get(self.exercise, ("", "", None))[1]


def report_exercise(report: dict[str, object], item: dict[str, object]) -> str:
    """A rep's or hold's exercise: its own (-e auto), else the report's."""
    return str(item.get("exercise") or report.get("exercise") or "")


def rows_of(report: dict[str, object], timeline: Timeline | None = None) -> list[Row]:
    rows: list[Row] = []
    sets = [s for s in report.get("sets", []) if isinstance(s, dict)]  # type: ignore[union-attr]
    numbers: dict[tuple[str, str], int] = {}
    items = [("rep", r) for r in report.get("reps", [])] + [("hold", h) for h in report.get("holds", [])]  # type: ignore[operator]
    for kind, item in sorted(items, key=lambda pair: float(pair[1]["start_s"])):
        exercise = report_exercise(report, item)
        if exercise in ("routine", "auto") and timeline is not None:  # a routine's reps do not name their step
            exercise = timeline.exercise_at(float(item["start_s"])) or exercise
        side = str(item["side"])
        numbers[(exercise, side)] = numbers.get((exercise, side), 0) + 1
        start, end = float(item["start_s"]), float(item["end_s"])
        done_sets = sum(1 for s in sets if s.get("side") == side and float(s["t_s"]) < end)
        field = MEASURES.get(exercise, ("", "", None))[2]
        value: float | None = None
        if field is not None and isinstance(item.get(field), int | float):
            value = float(item[field])
        elif field is None and timeline is not None and exercise in timeline.tracks:
            during = timeline.tracks[exercise].between(start, end)
            value = round(statistics.median(during), 1) if during else None
        held = item.get("valid_s") if kind == "hold" else item.get("hold_s")
        details = {k: float(v) for k, v in item.items() if k in DETAILS and k != "hold_s" and isinstance(v, float)}
        rows.append(
            Row(exercise, side, done_sets + 1, kind, numbers[(exercise, side)], start, end, value,
                float(held) if isinstance(held, int | float) else None,
                bool(item["complete"]) if kind == "hold" else None, tuple(item.get("faults", [])), details)
        )  # fmt: skip
    return rows


@dataclass(frozen=True)
class Result:
    """Per exercise and side: what was done against what was aimed at, and the most frequent fault."""

    exercise: str
    side: str
    kind: str  # "reps" or "holds"
    done: int  # reps, or holds held to the target
    target: int | None  # the routine step's count (all sets), else the exercise's own aim for each set done
    top_fault: str | None


def targets_of(report: dict[str, object], exercise: str, timeline: Timeline | None) -> dict[str, int]:
    """Per side (or "*": every side), the count aimed at: the routine step's (all its sets), else the rule's own."""
    routine = report.get("routine")
    if isinstance(routine, dict):
        for step in routine.get("steps", []):
            if step.get("exercise") == exercise:
                return {side: int(v["target"]) for side, v in step.get("sides", {}).items()}
    track = timeline.tracks.get(exercise) if timeline is not None else None
    return {"*": track.target} if track is not None and track.target else {}


def results_of(
    report: dict[str, object], rows: list[Row], timeline: Timeline | None, exercises: list[str]
) -> list[Result]:
    out: list[Result] = []
    for exercise in exercises:
        mine = [r for r in rows if r.exercise == exercise]
        targets = targets_of(report, exercise, timeline)
        track = timeline.tracks.get(exercise) if timeline is not None else None
        hold = (track.kind == "hold") if track is not None else bool(mine) and mine[0].kind == "hold"
        sides = list(dict.fromkeys([r.side for r in mine] + [s for s in targets if s != "*"])) or ["both"]
        for side in sides:
            on_side = [r for r in mine if r.side == side]
            faults = Counter(f for r in on_side for f in r.faults)
            done = sum(1 for r in on_side if r.kind == "rep" or r.complete)
            target = targets.get(side, targets.get("*"))
            if "*" in targets and not hold and target is not None:  # the rule's own aim is per set: the sets done
                target *= max((r.set for r in on_side), default=1)
            top = faults.most_common(1)[0][0] if faults else None
            out.append(Result(exercise, side, "holds" if hold else "reps", done, target, top))
    return out


def csv_text(rows: list[tuple[str, str, Row]]) -> str:
    """(session, date, row) triples as CSV, one line per rep or hold."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for session, date, row in rows:
        writer.writerow([
            session, date, row.exercise, row.side, row.set, row.kind, row.number, f"{row.start_s:.2f}",
            f"{row.end_s:.2f}", row.measure, "" if row.value is None else f"{row.value:.1f}", row.unit,
            "" if row.held_s is None else f"{row.held_s:.1f}", "" if row.complete is None else int(row.complete),
            " ".join(row.faults),
        ])  # fmt: skip
    return out.getvalue()


def write_text(path: Path, text: str) -> None:
    """A text output written atomically (the report's way), readable as the user's umask says."""
    from .report import write_atomic

    write_atomic(path, text)


__all__ = ["CSV_FIELDS", "MEASURES", "Result", "Row", "csv_text", "results_of", "rows_of", "targets_of", "write_text"]
