"""`--html`: one session's report as a self-contained HTML page (docs/report.md shows one).

Per exercise: the totals against the targets, the camera check's verdict, a plot of the signal the rule counts on
(reps or holds shaded, the counter's lines drawn, fault cues marked), a table of each rep or hold with its
measures and faults, pictures of each rep's top, each hold's middle and each fault's first cue, and what this
camera could not judge.  The plots and pictures need the Timeline kept during the run; without it (a report read
back from JSON) the page has the rest.
"""

from __future__ import annotations

import math
from datetime import datetime
from html import escape

from .html_page import COLORS, jpeg_uri, legend, page, words
from .rows import MEASURES, Row, report_exercise, rows_of, targets_of
from .svgplot import Band, Mark, Series, chart
from .timeline import Thumb, Timeline, Track

NOT_EXERCISES = {"routine", "none", "auto", ""}


def render_report(report: dict[str, object], timeline: Timeline | None, when: datetime) -> str:
    rows = rows_of(report, timeline)
    exercises = exercises_of(report, timeline, rows)
    body = [_header(report, exercises, when)]
    if not exercises:
        body.append('<p class="note">No exercise was recognised or counted in this recording.</p>')
    for exercise in exercises:
        body.append(_section(exercise, report, [r for r in rows if r.exercise == exercise], timeline))
    title = f"posecheck: {', '.join(exercises) or 'session'} on {when:%Y-%m-%d}"
    return page(title, "\n".join(body))


def exercises_of(report: dict[str, object], timeline: Timeline | None, rows: list[Row]) -> list[str]:
    """The exercises in the order they were done: the report's list (-e auto), the routine's steps, the tracks."""
    named: list[str] = [str(e) for e in report.get("exercises", []) or []]  # type: ignore[union-attr]
    routine = report.get("routine")
    if isinstance(routine, dict):
        named += [str(step["exercise"]) for step in routine.get("steps", []) if step.get("started")]
    named.append(str(report.get("exercise", "")))
    if timeline is not None:
        named += [name for name, track in timeline.tracks.items() if any(math.isfinite(v) for v in track.value)]
    named += [row.exercise for row in rows]
    return [name for name in dict.fromkeys(named) if name not in NOT_EXERCISES]


def _header(report: dict[str, object], exercises: list[str], when: datetime) -> str:
    frames = report.get("frames") if isinstance(report.get("frames"), dict) else {}
    total = int(frames.get("total", 0))  # type: ignore[union-attr]
    seen = int(frames.get("with_pose", 0))  # type: ignore[union-attr]
    facts = [
        ("Date", f"{when:%A %d %B %Y, %H:%M}"),
        ("Exercise", ", ".join(_title(e, None) for e in exercises) or "none recognised"),
        ("Source", str(report.get("video", ""))),
        ("Length", _clock(float(report.get("duration_s", 0.0)))),  # type: ignore[arg-type]
        ("Person seen", f"{100 * seen / total:.0f} % of {total} frames" if total else "no frames"),
    ]
    out = ["<h1>posecheck session report</h1>", '<dl class="facts">']
    out += [f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts]
    out.append("</dl>")
    if report.get("interrupted"):
        out.append('<p class="note">The session was stopped early: this report covers what was seen until then.</p>')
    for error in report.get("errors", []) or []:  # type: ignore[union-attr]
        out.append(f'<p class="note">Note: {escape(str(error))}</p>')
    return "\n".join(out)


def _section(exercise: str, report: dict[str, object], rows: list[Row], timeline: Timeline | None) -> str:
    track = timeline.tracks.get(exercise) if timeline is not None else None
    title = _title(exercise, track)
    out = [f'<section id="{escape(exercise)}">', f"<h2>{escape(title)}</h2>", _totals(exercise, report, rows, timeline)]
    out.append(_camera(exercise, report))
    if track is not None and track.t:
        out.append(_plots(track, rows, report))
    out.append(_table(exercise, rows))
    if timeline is not None:
        out.append(_thumbs([t for t in timeline.thumbs if t.exercise == exercise]))
    out.append(_not_judged(exercise, report, timeline))
    out.append(_uncounted(report, track))
    out.append("</section>")
    return "\n".join(part for part in out if part)


def _title(exercise: str, track: Track | None) -> str:
    if track is not None:
        return track.title
    from .registry import available

    cls = available().get(exercise)
    return cls.title if cls is not None else exercise


def _totals(exercise: str, report: dict[str, object], rows: list[Row], timeline: Timeline | None) -> str:
    track = timeline.tracks.get(exercise) if timeline is not None else None
    kind = "holds" if (track.kind if track is not None else rows and rows[0].kind) == "hold" else "reps"
    targets = targets_of(report, exercise, timeline)
    sides = list(dict.fromkeys([r.side for r in rows] + [s for s in targets if s != "*"])) or ["both"]
    items = []
    for side in sides:
        mine = [r for r in rows if r.side == side]
        done = sum(1 for r in mine if r.kind == "rep" or r.complete)
        short = len(mine) - done
        extra = f" (and {short} shorter)" if short else ""
        target = targets.get(side, targets.get("*"))
        sets = sorted({r.set for r in mine})
        per_set = [sum(1 for r in mine if r.set == n) for n in sets]
        if kind == "reps" and "*" in targets:  # the rule's own target is per set
            against = ""
            good = bool(per_set) and min(per_set) >= targets["*"]
            extra += f" in {len(sets)} sets ({', '.join(map(str, per_set))})" if len(sets) > 1 else ""
            extra += f"; aim: {targets['*']} per set"
        else:
            against = f" of {target}" if target else ""
            good = target is None or done >= target
        label = "both legs" if side == "both" else f"{side} side"
        items.append(
            f'<li>{escape(label)}: <b class="{"ok" if good else "short"}">{done}{against}</b> '
            f"{kind}{escape(extra)}</li>"
        )
    hold_target = track.hold_target_s if track is not None else None
    aim = f"<p>Each hold aims at {hold_target:g} s.</p>" if kind == "holds" and hold_target else ""
    return f'<ul class="totals">{"".join(items)}</ul>{aim}'


def _camera(exercise: str, report: dict[str, object]) -> str:
    checks = [c for c in report.get("camera_check", []) or [] if c.get("exercise") == exercise]  # type: ignore[union-attr]
    if not checks:
        return "<p>Camera: not checked (nobody was in the exercise's position long enough).</p>"
    c = checks[-1]
    fit = {"recommended": "a recommended place", "acceptable": "acceptable", "wrong": "not a good place"}
    verdict = fit.get(str(c.get("fit")), str(c.get("fit")))
    told = int(c.get("instructed", 0))
    note = f"; you were told to move it {told} time{'s' if told != 1 else ''}" if told else ""
    return f"<p>Camera: seen from <b>{escape(str(c.get('view')))}</b>, {escape(verdict)}{escape(note)}.</p>"


def _spans(rows: list[Row]) -> list[Band]:
    return [
        Band(r.start_s, r.end_s, COLORS.get(r.side, COLORS["other"]), f"{r.side} {r.kind} {r.number}") for r in rows
    ]


def _fault_marks(report: dict[str, object], track: Track, x_range: tuple[float, float]) -> list[Mark]:
    start, end = x_range
    marks = []
    for cue in report.get("cues", []) or []:  # type: ignore[union-attr]
        if cue.get("kind") == "form" and cue.get("fault") and start <= float(cue["t_s"]) <= end:
            marks.append(Mark(float(cue["t_s"]), COLORS["fault"], f"{cue['t_s']:.1f} s: {cue['text']}"))
    return marks


def _plots(track: Track, rows: list[Row], report: dict[str, object]) -> str:
    x_range = track.span([(r.start_s, r.end_s) for r in rows])
    bands, marks = _spans(rows), _fault_marks(report, track, x_range)
    sides = sorted({r.side for r in rows})
    side_legend = [(COLORS.get(s, COLORS["other"]), "box", f"{s} {track.kind if track.kind == 'hold' else 'rep'}s")
                   for s in sides]  # fmt: skip
    fault_legend = [(COLORS["fault"], "mark", "a fault cued")] if marks else []
    unit = track.unit.strip() or "deg"
    name = MEASURES.get(track.exercise, (track.exercise, unit, None))[0]
    value = Series(track.t, track.value, COLORS["signal"])
    out = []
    if track.kind == "hold":
        clock = [Series(track.t, track.hold, COLORS["signal"])]
        lines = []
        if track.hold_target_s:
            clock.append(Series(x_range, [track.hold_target_s] * 2, COLORS["target"], dash="8 5"))
            lines = [(COLORS["target"], "dash", f"target {track.hold_target_s:g} s")]
        out.append(_figure(
            chart(clock, x_range=x_range, bands=bands, marks=marks, x_ticks=_time_ticks(x_range), y_floor=0.0,
                  label=f"{track.title}: seconds held over time"),
            "Seconds held (what counts), over the session's time (s).",
            [(COLORS["signal"], "line", "seconds held"), *lines, *side_legend, *fault_legend],
        ))  # fmt: skip
        if any(math.isfinite(v) for v in track.value):
            out.append(_figure(
                chart([value], x_range=x_range, bands=bands, marks=marks, x_ticks=_time_ticks(x_range),
                      label=f"{track.title}: {name} over time"),
                f"{name.capitalize()} ({unit}) over time (s).",
                [(COLORS["signal"], "line", name), *side_legend, *fault_legend],
            ))  # fmt: skip
        return "\n".join(out)
    series, lines = [value], []
    for key, color, text in (("enter", COLORS["enter"], "a rep starts above"), ("exit", COLORS["exit"], "ends below")):
        if key in track.lines:
            series.append(Series(track.t, track.lines[key], color, width=1.5, dash="7 5"))
            lines.append((color, "dash", text))
    return _figure(
        chart(series, x_range=x_range, bands=bands, marks=marks, x_ticks=_time_ticks(x_range),
              label=f"{track.title}: {name} over time"),
        f"{name.capitalize()} ({unit}), the signal reps are counted on, over time (s).",
        [(COLORS["signal"], "line", name), *lines, *side_legend, *fault_legend],
    )  # fmt: skip


def _figure(svg: str, caption: str, keys: list[tuple[str, str, str]]) -> str:
    return f"<figure>{svg}{legend(keys)}<figcaption>{escape(caption)}</figcaption></figure>"


def _time_ticks(x_range: tuple[float, float]) -> list[tuple[float, str]]:
    from .svgplot import nice_ticks

    ticks = nice_ticks(x_range[0], x_range[1], 6)
    return [(t, _clock(t) if x_range[1] >= 120 else f"{t:g}") for t in ticks]


def _clock(seconds: float) -> str:
    seconds = max(0.0, seconds)
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}" if seconds >= 60 else f"{seconds:.0f} s"


def _table(exercise: str, rows: list[Row]) -> str:
    if not rows:
        return "<p>No reps or holds were counted.</p>"
    name, unit, _ = MEASURES.get(exercise, ("measure", "", None))
    hold = rows[0].kind == "hold"
    held = "held s" if hold else "top s"
    head = ["#", "side", "set", "time s", f"{name} {unit}".strip(), held, "faults"]
    out = [
        '<div class="table-wrap"><table><thead><tr>',
        *(f"<th>{escape(h)}</th>" for h in head),
        "</tr></thead><tbody>",
    ]
    for r in rows:
        faults = ", ".join(words(f) for f in r.faults) or "none"
        value = "" if r.value is None else f"{r.value + 0.0:.0f}".replace("-0", "0")  # no "-0"
        held_text = "" if r.held_s is None else f"{r.held_s:.1f}" + (" ✓" if r.complete else "")
        out.append(
            f"<tr><td>{r.number}</td><td>{escape(r.side)}</td><td>{r.set}</td>"
            f'<td class="num">{r.start_s:.0f}–{r.end_s:.0f}</td><td class="num">{value}</td>'
            f'<td class="num">{held_text}</td><td class="{"faults" if r.faults else ""}">{escape(faults)}</td></tr>'
        )
    out.append("</tbody></table></div>")
    if hold:
        out.append(f"<p>✓: held to the target. {escape(name.capitalize())}: the median over the hold.</p>")
    return "".join(out)


def _thumbs(thumbs: list[Thumb]) -> str:
    if not thumbs:
        return ""
    figures = [
        f'<figure class="{t.what}"><img alt="{escape(t.label)} at {t.t:.1f} s" src="{jpeg_uri(t.jpeg)}">'
        f"<figcaption>{escape(words(t.label) if t.what == 'fault' else t.label)} · at {_clock(t.t)}"
        f"{' (first cue)' if t.what == 'fault' else ''}</figcaption></figure>"
        for t in thumbs
    ]
    return '<h3>Pictures</h3><div class="thumbs">' + "".join(figures) + "</div>"


def _not_judged(exercise: str, report: dict[str, object], timeline: Timeline | None) -> str:
    extras: dict[str, object] = {}
    rule = timeline.rules.get(exercise) if timeline is not None else None
    if rule is not None:
        extras = rule.report_extras()
    elif report_exercise(report, {}) == exercise:
        extras = report
    not_judged = extras.get("not_judged") or {}
    partly = extras.get("judged_partly") or {}
    items = [f"<li><b>{escape(words(k))}</b>: not judged: {escape(str(v))}</li>" for k, v in not_judged.items()]  # type: ignore[union-attr]
    items += [f"<li><b>{escape(words(k))}</b>: judged only partly: {escape(str(v))}</li>" for k, v in partly.items()]  # type: ignore[union-attr]
    always = "<li>Pain, effort and breathing: only you can tell.</li>"
    return f"<h3>Not judged from this camera</h3><ul>{''.join(items)}{always}</ul>"


def _uncounted(report: dict[str, object], track: Track | None) -> str:
    entries = report.get("uncounted", []) or []
    if track is not None and track.t:
        entries = [u for u in entries if track.t[0] <= float(u["t_s"]) <= track.t[-1]]  # type: ignore[union-attr]
    if not entries:
        return ""
    items = [f"<li>{_clock(float(u['t_s']))}: {escape(str(u['reason']))}</li>" for u in entries]  # type: ignore[index]
    return f"<h3>Movement not counted</h3><ul>{''.join(items)}</ul>"


__all__ = ["exercises_of", "render_report"]
