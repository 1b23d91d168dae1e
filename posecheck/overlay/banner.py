"""The cue banner along the bottom edge: the current cue in large type."""

from __future__ import annotations

import numpy as np

from ..events import Cue
from .text import put_text, scale_for, shade, text_size

COLORS = {"form": (0, 140, 255), "setup": (200, 120, 40), "info": (90, 90, 90)}


class CueBanner:
    """Shows the latest cue for `show_s` seconds, or a standing status message."""

    def __init__(self, show_s: float = 2.5) -> None:
        self.show_s = show_s

    def annotate(self, frame: np.ndarray, t: float, cue: Cue | None, status: str | None) -> np.ndarray:
        text, kind = None, "info"
        if cue is not None and t - cue.t <= self.show_s:
            text, kind = cue.text, cue.kind
        elif status:
            text, kind = status, "setup"
        if not text:
            return frame
        s = scale_for(frame)
        h, w = frame.shape[:2]
        size = 0.95 * s
        thickness = max(1, int(2 * s))
        tw, th = text_size(text, size, thickness)
        while tw > w - 20 and size > 0.4:
            size *= 0.9
            tw, th = text_size(text, size, thickness)
        band = int(th + 24 * s)
        shade(frame, 0, h - band, w, h, COLORS[kind], 0.8)
        put_text(frame, text, ((w - tw) // 2, h - (band - th) // 2), size, (255, 255, 255), thickness, outline=False)
        return frame
