"""Hand-written SVG line charts for the HTML pages: no plotting library, nothing loaded, scales with the page.

chart() draws series (lines, step lines or dots) over shaded bands and vertical marks, with ticks on both axes.
Legends are left to the page (HTML text stays readable at a phone's width; text inside a scaled SVG shrinks).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 560, 250
LEFT, RIGHT, TOP, BOTTOM = 50, 12, 14, 32  # margins inside the view box, for the tick labels
FONT = 16
MAX_POINTS = 900  # a long series is thinned to per-pixel minima and maxima


@dataclass(frozen=True)
class Series:
    xs: Sequence[float]
    ys: Sequence[float]  # NaN: a break in the line
    color: str
    width: float = 2.0
    dash: str | None = None
    dots: bool = False


@dataclass(frozen=True)
class Band:
    x0: float
    x1: float
    color: str
    title: str = ""


@dataclass(frozen=True)
class Mark:
    x: float
    color: str
    title: str = ""


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering low..high (about `count` of them)."""
    if not math.isfinite(low) or not math.isfinite(high) or high <= low:
        return [low] if math.isfinite(low) else [0.0]
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.ceil(low / step - 1e-9) * step
    return [round(first + i * step, 10) for i in range(int((high - first) / step + 1e-9) + 1)]


def _label(value: float) -> str:
    return f"{value:g}" if abs(value) >= 1 or value == 0 else f"{value:.2g}"


def thin(xs: Sequence[float], ys: Sequence[float], buckets: int = MAX_POINTS // 2) -> tuple[list[float], list[float]]:
    """At most about MAX_POINTS points: per bucket of x, the lowest and the highest (a peak is never lost)."""
    if len(xs) <= MAX_POINTS:
        return list(xs), list(ys)
    out_x: list[float] = []
    out_y: list[float] = []
    size = math.ceil(len(xs) / buckets)
    for i in range(0, len(xs), size):
        part = [(x, y) for x, y in zip(xs[i : i + size], ys[i : i + size], strict=True)]
        finite = [p for p in part if math.isfinite(p[1])]
        if not finite:
            out_x.append(part[0][0])
            out_y.append(math.nan)
            continue
        lo, hi = min(finite, key=lambda p: p[1]), max(finite, key=lambda p: p[1])
        for x, y in sorted({lo, hi}):
            out_x.append(x)
            out_y.append(y)
    return out_x, out_y


def chart(
    series: Sequence[Series],
    *,
    x_range: tuple[float, float],
    bands: Sequence[Band] = (),
    marks: Sequence[Mark] = (),
    x_ticks: Sequence[tuple[float, str]] | None = None,
    y_floor: float | None = None,
    y_range: tuple[float, float] | None = None,
    label: str = "",
    css_class: str = "plot",
) -> str:
    """One chart as an <svg> element (a view box WIDTH x HEIGHT; the page sets its displayed width).

    The y axis spans the values (from y_floor when given: counts start at 0), or y_range exactly."""
    x0, x1 = x_range
    if x1 <= x0:
        x1 = x0 + 1.0
    values = [y for s in series for y in s.ys if math.isfinite(y)]
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    if y_range is not None:
        low, high = y_range
    else:
        if y_floor is not None:
            low = min(low, y_floor)
        pad = (high - low) * 0.08 or 1.0
        low, high = low if low == y_floor else low - pad, high + pad
    ticks = nice_ticks(low, high)
    low, high = min(low, ticks[0]), max(high, ticks[-1])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def px(x: float) -> float:
        return LEFT + (x - x0) / (x1 - x0) * plot_w

    def py(y: float) -> float:
        return TOP + (high - y) / (high - low) * plot_h

    parts = [
        f'<svg class="{css_class}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(label)}" '
        f'font-size="{FONT}" font-family="sans-serif">'
    ]
    for band in bands:
        a, b = px(max(band.x0, x0)), px(min(band.x1, x1))
        parts.append(
            f'<rect x="{a:.1f}" y="{TOP}" width="{max(b - a, 1.5):.1f}" height="{plot_h}" fill="{band.color}">'
            f"<title>{escape(band.title)}</title></rect>"
        )
    for tick in ticks:
        y = py(tick)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e3e3"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 5:.1f}" text-anchor="end" fill="#555">{_label(tick)}</text>')
    for x, text in x_ticks if x_ticks is not None else [(t, _label(t)) for t in nice_ticks(x0, x1, 6)]:
        if x0 <= x <= x1:
            parts.append(
                f'<text x="{px(x):.1f}" y="{HEIGHT - 9}" text-anchor="middle" fill="#555">{escape(text)}</text>'
            )
    parts.append(
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#999" stroke-width="1"/>'
    )
    for s in series:
        parts += _series(s, px, py)
    for mark in marks:
        x = px(mark.x)
        parts.append(
            f'<g><title>{escape(mark.title)}</title><line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{TOP + plot_h}" '
            f'stroke="{mark.color}" stroke-width="2"/>'
            f'<path d="M{x - 6:.1f} {TOP} h12 l-6 10 z" fill="{mark.color}"/></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _series(s: Series, to_x: Callable[[float], float], to_y: Callable[[float], float]) -> list[str]:
    xs, ys = thin(s.xs, s.ys)
    if s.dots:
        return [
            f'<circle cx="{to_x(x):.1f}" cy="{to_y(y):.1f}" r="4" fill="{s.color}"/>'
            for x, y in zip(xs, ys, strict=True)
            if math.isfinite(y)
        ]
    paths: list[str] = []
    current: list[str] = []
    for x, y in zip(xs, ys, strict=True):
        if not math.isfinite(y):
            if current:
                paths.append(" ".join(current))
            current = []
            continue
        command = "M" if not current else "L"
        current.append(f"{command}{to_x(x):.1f} {to_y(y):.1f}")
    if current:
        paths.append(" ".join(current))
    dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
    return [
        f'<path d="{d}" fill="none" stroke="{s.color}" stroke-width="{s.width}"{dash} stroke-linejoin="round"/>'
        for d in paths
        if "L" in d or s.dash is None
    ]


__all__ = ["Band", "Mark", "Series", "chart", "nice_ticks", "thin"]
