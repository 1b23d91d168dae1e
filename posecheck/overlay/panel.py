"""The counter panel: exercise, side, the count / target or the hold ring and countdown, per-side tally.

Two shapes: "wide" (text on the left, the counter on the right: fits above or
below a body lying across the picture) and "tall" (one column: fits beside a
body sitting or standing in one half).  Text is in units of the frame height,
for reading from 2-3 m away.  The Overlay says where it goes and in which
shape (overlay/layout.py keeps it off the body).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

from ..rules import RuleState
from .layout import Box
from .text import put_text, scale_for, shade, text_size

WHITE = (255, 255, 255)
MUTED = (200, 200, 200)
ACCENT = (90, 220, 120)
RING_BACK = (90, 90, 90)
SHAPES = ("wide", "tall")
PAD, GAP, LEADING = 12, 18, 9  # padding, column gap, line spacing (units of scale_for)
RING_R, RING_W = 30, 7  # the hold ring's radius and stroke


@dataclass(frozen=True)
class Row:
    """One line of text: its size and weight (units of scale_for) and colour."""

    text: str
    size: float
    color: tuple[int, int, int]
    weight: int = 1

    def measure(self, s: float) -> tuple[int, int]:
        return text_size(self.text, self.size * s, self.thickness(s))

    def thickness(self, s: float) -> int:
        return max(1, int(round(self.weight * s)))


@dataclass(frozen=True)
class Placed:
    """A row (or the ring, row None) at an offset (x, y of its top-left) inside the panel, with its size."""

    row: Row | None
    x: int
    y: int
    w: int
    h: int


class CounterPanel:
    """size() says how big the panel is, annotate() draws it into a box, ring() says where the hold ring is."""

    def __init__(self, alpha: float = 0.75) -> None:
        self.alpha = alpha

    def rows(self, state: RuleState, fps: float | None = None) -> tuple[list[Row], Row, Row | None]:
        """The heading lines (title, side), the counter, and the info line (holds, tally, fps)."""
        sides = {k: v for k, v in state.per_side.items() if k in ("left", "right")}
        tally = "  ".join(f"{k[0].upper()}:{v}" for k, v in sorted(sides.items()))
        info = [f"holds {state.count}/{state.target}"] if state.kind == "hold" else []
        info += [tally] if tally else []
        info += [f"{fps:.0f} fps"] if fps is not None else []
        heading = [Row(state.title, 0.6, MUTED), Row(_side_label(state.side), 0.9, WHITE, 2)]
        if state.kind == "hold":
            held, target = state.hold_s or 0.0, state.hold_target_s or 30.0
            counter = Row(f"{max(0, math.ceil(target - held))} s", 1.8, ACCENT, 3)
        else:
            counter = Row(f"{state.count}/{state.target}" if state.target else str(state.count), 2.2, ACCENT, 3)
        return heading, counter, (Row("   ".join(info), 0.7, MUTED) if info else None)

    def size(self, frame: np.ndarray, state: RuleState, fps: float | None = None, shape: str = "wide",
             ) -> tuple[int, int]:  # fmt: skip
        return self._layout(frame, state, fps, shape)[0]

    def annotate(self, frame: np.ndarray, state: RuleState, box: Box, fps: float | None = None, shape: str = "wide",
                 ) -> np.ndarray:  # fmt: skip
        s = scale_for(frame)
        shade(frame, box.x0, box.y0, box.x1, box.y1, (20, 20, 20), self.alpha)
        for item in self._layout(frame, state, fps, shape)[1]:
            if item.row is None:
                center, radius = (box.x0 + item.x + item.w // 2, box.y0 + item.y + item.h // 2), int(RING_R * s)
                self._ring(frame, center, radius, state, s)
                continue
            put_text(frame, item.row.text, (box.x0 + item.x, box.y0 + item.y + item.h), item.row.size * s,
                     item.row.color, item.row.thickness(s), outline=False)  # fmt: skip
        return frame

    def ring(self, frame: np.ndarray, state: RuleState, box: Box, fps: float | None = None, shape: str = "wide",
             ) -> tuple[tuple[int, int], int] | None:  # fmt: skip
        """The hold ring's centre and radius in a panel drawn into box (None: no ring for this state)."""
        for item in self._layout(frame, state, fps, shape)[1]:
            if item.row is None:
                return (box.x0 + item.x + item.w // 2, box.y0 + item.y + item.h // 2), int(RING_R * scale_for(frame))
        return None

    def _layout(self, frame: np.ndarray, state: RuleState, fps: float | None, shape: str,
                ) -> tuple[tuple[int, int], tuple[Placed, ...]]:  # fmt: skip
        """The panel's size and where each piece goes inside it."""
        heading, counter, info = self.rows(state, fps)
        return _place(tuple(heading), counter, info, scale_for(frame), state.kind == "hold", shape)

    @staticmethod
    def _ring(frame: np.ndarray, center: tuple[int, int], radius: int, state: RuleState, s: float) -> None:
        """The hold's progress: a grey circle filling with green clockwise from the top."""
        held, target = state.hold_s or 0.0, state.hold_target_s or 30.0
        width = max(3, int(RING_W * s))
        cv2.circle(frame, center, radius, RING_BACK, width, cv2.LINE_AA)
        sweep = 360.0 * min(1.0, held / target)
        if sweep > 0:
            cv2.ellipse(frame, center, (radius, radius), -90, 0, sweep, ACCENT, width, cv2.LINE_AA)


@lru_cache(maxsize=256)
def _place(heading: tuple[Row, ...], counter: Row, info: Row | None, s: float, hold: bool, shape: str,
           ) -> tuple[tuple[int, int], tuple[Placed, ...]]:  # fmt: skip
    """The panel's size and its pieces' places, for these rows; cached: the same rows come back every frame."""
    pad, gap, leading = int(PAD * s), int(GAP * s), int(LEADING * s)
    column = [*heading, *([info] if info else [])] if shape == "wide" else heading
    placed: list[Placed] = []
    y = pad
    for row in column:
        w, h = row.measure(s)
        placed.append(Placed(row, pad, y, w, h))
        y += h + leading
    ring = 2 * int(RING_R * s) + int(RING_W * s) if hold else 0
    cw, ch = counter.measure(s)
    counter_w, counter_h = (ring + gap if ring else 0) + cw, max(ch, ring)
    text_w = max(p.w for p in placed)
    if shape == "wide":
        width = pad + text_w + gap + counter_w + pad
        height = max(y - leading, counter_h) + pad
        x0, y0 = width - pad - counter_w, (height - counter_h) // 2
    else:
        width = pad + max(text_w, counter_w, info.measure(s)[0] if info else 0) + pad
        x0, y0 = pad, y
        y += counter_h + leading
        if info is not None:
            iw, ih = info.measure(s)
            placed.append(Placed(info, pad, y, iw, ih))
            y += ih + leading
        height = y - leading + pad
    if ring:
        placed.append(Placed(None, x0, y0 + (counter_h - ring) // 2, ring, ring))
    placed.append(Placed(counter, x0 + (ring + gap if ring else 0), y0 + (counter_h - ch) // 2, cw, ch))
    return (width, height), tuple(placed)


def _side_label(side: str | None) -> str:
    if side is None:
        return "side: -"
    return "both legs" if side == "both" else f"{side} side"
