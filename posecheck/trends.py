"""`posecheck history --html`: trend plots per exercise and side across days, from the history.

Per side: reps or holds done against the target, the time held (a hold's counted seconds, a rep's time at the
top), the share of reps or holds with a fault, and the exercise's main measure (rows.MEASURES) per session.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from datetime import datetime
from html import escape

from .history import Session
from .html_page import COLORS, legend, page, words
from .rows import MEASURES, Result, Row
from .svgplot import Series, chart

DAY_S = 86400.0
MIN_SPAN = 10.0  # a measure's axis spans at least this much (degrees, % of hip width)


def render_trends(sessions: list[Session], results: dict[int, list[Result]], rows: dict[int, list[Row]],
                  when: datetime, only: str | None = None) -> str:  # fmt: skip
    """The page; `only`: that exercise's plots (the sessions' table still lists everything they held)."""
    body = ["<h1>posecheck progress</h1>", f"<p>{len(sessions)} sessions"]
    if sessions:
        body[-1] += f", {sessions[0].started_at:%d %B %Y} to {sessions[-1].started_at:%d %B %Y}"
    body[-1] += f". Made {when:%d %B %Y, %H:%M}.</p>"
    exercises = list(dict.fromkeys(r.exercise for s in sessions for r in results.get(s.id, [])))
    exercises = [e for e in exercises if only is None or e == only]
    if not exercises:
        body.append('<p class="note">No sessions in the history yet.</p>')
    for exercise in exercises:
        body.append(_exercise(exercise, sessions, results, rows))
    body.append(_table(sessions, results))
    return page("posecheck progress", "\n".join(body))


def _exercise(exercise: str, sessions: list[Session], results: dict[int, list[Result]],
              rows: dict[int, list[Row]]) -> str:  # fmt: skip
    from .registry import available

    cls = available().get(exercise)
    out = [f'<section id="{escape(exercise)}"><h2>{escape(cls.title if cls else exercise)}</h2>']
    sides = list(dict.fromkeys(r.side for s in sessions for r in results.get(s.id, []) if r.exercise == exercise))
    start = sessions[0].started_at
    days = [(s.started_at - start).total_seconds() / DAY_S for s in sessions if exercise in s.exercises]
    x_range = (min(days, default=0.0) - 0.5, max(days, default=0.0) + 0.5)  # the same days for every side
    for side in sides:
        points: list[tuple[float, Result, list[Row]]] = []
        for s in sessions:
            mine = [r for r in results.get(s.id, []) if r.exercise == exercise and r.side == side]
            if mine:
                day = (s.started_at - start).total_seconds() / DAY_S
                points.append(
                    (day, mine[0], [r for r in rows.get(s.id, []) if r.exercise == exercise and r.side == side])
                )
        label = "both legs" if side == "both" else f"{side} side"
        out.append(f"<h3>{escape(label)}</h3>")
        out.append('<div class="trends">' + "".join(_charts(exercise, points, start, x_range)) + "</div>")
    out.append("</section>")
    return "\n".join(out)


def _charts(
    exercise: str, points: list[tuple[float, Result, list[Row]]], start: datetime, x_range: tuple[float, float]
) -> list[str]:
    xs = [p[0] for p in points]
    ticks = _day_ticks(x_range, start)
    kind = points[-1][1].kind
    done = [float(p[1].done) for p in points]
    targets = [float(p[1].target) if p[1].target else math.nan for p in points]
    target_x: Sequence[float] = xs
    if len(set(targets)) == 1 and math.isfinite(targets[0]):  # one target throughout: a line across the chart
        target_x, targets = x_range, [targets[0]] * 2
    held = [_median([r.held_s for r in p[2]]) for p in points]
    faults = [100.0 * sum(1 for r in p[2] if r.faults) / len(p[2]) if p[2] else math.nan for p in points]
    name, unit, _ = MEASURES.get(exercise, ("measure", "", None))
    measure = [_median([r.value for r in p[2]]) for p in points]
    dot = COLORS["signal"]
    return [
        _trend(f"{kind} done", [Series(xs, done, dot, dots=True), Series(xs, done, dot, width=1.5),
               Series(target_x, targets, COLORS["target"], dash="8 5")], x_range, ticks, 0.0,
               [(dot, "line", f"{kind} done"), (COLORS["target"], "dash", "target")]),
        _trend("seconds held" if kind == "holds" else "seconds at the top", [Series(xs, held, dot, dots=True),
               Series(xs, held, dot, width=1.5)], x_range, ticks, 0.0, [(dot, "line", "median per session")]),
        _trend(f"{kind} with a fault (%)", [Series(xs, faults, COLORS["fault"], dots=True),
               Series(xs, faults, COLORS["fault"], width=1.5)], x_range, ticks, (0.0, 100.0),
               [(COLORS["fault"], "line", "share with any fault")]),
        _trend(f"{name} ({unit})", [Series(xs, measure, dot, dots=True), Series(xs, measure, dot, width=1.5)],
               x_range, ticks, None, [(dot, "line", "median per session")]),
    ]  # fmt: skip


def _trend(title: str, series: list[Series], x_range: tuple[float, float], ticks: list[tuple[float, str]],
           floor: float | tuple[float, float] | None, keys: list[tuple[str, str, str]]) -> str:  # fmt: skip
    if not any(math.isfinite(y) for y in series[0].ys):
        return f"<figure><figcaption><b>{escape(title)}</b>: nothing measured yet.</figcaption></figure>"
    y_floor, y_range = (None, floor) if isinstance(floor, tuple) else (floor, None)
    values = [y for y in series[0].ys if math.isfinite(y)]
    if floor is None and max(values) - min(values) < MIN_SPAN:  # a small change drawn small
        middle = (max(values) + min(values)) / 2
        y_range = (middle - MIN_SPAN / 2, middle + MIN_SPAN / 2)
    svg = chart(
        series, x_range=x_range, x_ticks=ticks, y_floor=y_floor, y_range=y_range, label=title, css_class="trend"
    )
    return f"<figure><figcaption><b>{escape(title)}</b></figcaption>{svg}{legend(keys)}</figure>"


def _day_ticks(x_range: tuple[float, float], start: datetime) -> list[tuple[float, str]]:
    from datetime import timedelta

    from .svgplot import nice_ticks

    first = math.ceil(x_range[0])
    span = x_range[1] - x_range[0]
    step = max(1, round(span / 5)) if span > 6 else 1
    days = [float(d) for d in range(first, math.floor(x_range[1]) + 1, step)] or nice_ticks(*x_range)
    origin = start.replace(hour=0, minute=0, second=0, microsecond=0)
    offset = (start - origin).total_seconds() / DAY_S
    return [(d - offset, f"{origin + timedelta(days=d):%d %b}") for d in days]


def _median(values: Sequence[float | None]) -> float:
    finite = [v for v in values if v is not None and math.isfinite(v)]
    return statistics.median(finite) if finite else math.nan


def _table(sessions: list[Session], results: dict[int, list[Result]]) -> str:
    if not sessions:
        return ""
    out = ['<h2>Sessions</h2><div class="table-wrap"><table><thead><tr><th>date</th><th>exercise</th>'
           "<th>done</th><th>most frequent fault</th></tr></thead><tbody>"]  # fmt: skip
    for s in reversed(sessions):
        for exercise, done, fault in summary_lines(results.get(s.id, [])):
            out.append(f"<tr><td>{s.started_at:%Y-%m-%d %H:%M}</td><td>{escape(exercise)}</td>"
                       f"<td>{escape(done)}</td><td>{escape(fault)}</td></tr>")  # fmt: skip
    out.append("</tbody></table></div>")
    return "".join(out)


def summary_lines(results: list[Result]) -> list[tuple[str, str, str]]:
    """Per exercise: (exercise, 'left 8/10 reps, right 10/10 reps', the most frequent fault or 'none')."""
    out = []
    for exercise in dict.fromkeys(r.exercise for r in results):
        mine = [r for r in results if r.exercise == exercise]
        done = ", ".join(
            f"{'' if r.side == 'both' else r.side + ' '}{r.done}{f'/{r.target}' if r.target else ''} {r.kind}"
            for r in mine
        )
        faults = [r.top_fault for r in mine if r.top_fault]
        out.append((exercise, done, words(max(set(faults), key=faults.count)) if faults else "none"))
    return out


__all__ = ["render_trends", "summary_lines"]
