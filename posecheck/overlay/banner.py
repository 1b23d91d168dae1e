"""The cue banner along the bottom (or top) edge: the current cue in large type, wrapped to two lines if long.

Full width, or half when the body reaches both edges (overlay/layout.py decides).
"""

from __future__ import annotations

import numpy as np

from ..events import Cue
from .layout import Box
from .text import put_text, scale_for, shade, text_size

COLORS = {"form": (0, 140, 255), "setup": (200, 120, 40), "info": (90, 90, 90)}
SIZE = 1.2  # text size in units of scale_for(frame): cap height ~6 % of the frame height
MIN_SIZE = 0.6  # a text too long for two lines at SIZE shrinks down to this


class CueBanner:
    """Shows the latest cue for `show_s` seconds, or a standing status message."""

    def __init__(self, show_s: float = 2.5) -> None:
        self.show_s = show_s

    def message(self, t: float, cue: Cue | None, status: str | None) -> tuple[str, str] | None:
        """(text, kind) to show now, or None."""
        if cue is not None and t - cue.t <= self.show_s:
            return cue.text, cue.kind
        if status:
            return status, "setup"
        return None

    def height(self, frame: np.ndarray, text: str, width: int) -> int:
        """The band's height for this text in a band this wide."""
        lines, size, thickness = _fit(text, frame, width)
        th = text_size(lines[0], size, thickness)[1]
        return _band(len(lines), th, scale_for(frame))

    def annotate(self, frame: np.ndarray, message: tuple[str, str] | None, box: Box) -> np.ndarray:
        if message is None:
            return frame
        text, kind = message
        s = scale_for(frame)
        lines, size, thickness = _fit(text, frame, box.x1 - box.x0)
        th = text_size(lines[0], size, thickness)[1]
        shade(frame, box.x0, box.y0, box.x1, box.y1, COLORS.get(kind, COLORS["info"]), 0.85)
        step = th + int(14 * s)
        y = box.y0 + (box.y1 - box.y0 - len(lines) * step) // 2 + (step + th) // 2
        for line in lines:
            tw = text_size(line, size, thickness)[0]
            put_text(frame, line, (box.x0 + (box.x1 - box.x0 - tw) // 2, y), size, (255, 255, 255), thickness,
                     outline=False)  # fmt: skip
            y += step
        return frame


def _band(lines: int, text_height: int, s: float) -> int:
    return lines * (text_height + int(14 * s)) + int(14 * s)


def _fit(text: str, frame: np.ndarray, width: int) -> tuple[list[str], float, int]:
    """One line at SIZE if it fits the width, else two lines split near the middle word, shrunk until they fit."""
    s = scale_for(frame)
    room = width - int(24 * s)
    size, thickness = SIZE * s, max(1, int(round(2 * s)))
    if text_size(text, size, thickness)[0] <= room:
        return [text], size, thickness
    words = text.split()
    lines = [text]
    if len(words) > 1:
        cut = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))))
        lines = [" ".join(words[:cut]), " ".join(words[cut:])]
    while max(text_size(line, size, thickness)[0] for line in lines) > room and size > MIN_SIZE * s:
        size *= 0.92
    return lines, size, thickness
