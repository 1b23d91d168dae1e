"""The counter panel: exercise, side, count / target or hold timer, per-side tally."""

from __future__ import annotations

import math

import cv2
import numpy as np

from ..rules import RuleState
from .text import put_text, scale_for, shade, text_size

WHITE = (255, 255, 255)
MUTED = (200, 200, 200)
ACCENT = (90, 220, 120)


class CounterPanel:
    """Top-left panel, sized for reading from 2-3 m away."""

    def __init__(self, alpha: float = 0.7) -> None:
        self.alpha = alpha

    def annotate(self, frame: np.ndarray, state: RuleState, fps: float | None = None) -> np.ndarray:
        s = scale_for(frame)
        pad = int(10 * s)
        width = int(230 * s)
        height = int(150 * s)
        shade(frame, 0, 0, width, height, (20, 20, 20), self.alpha)
        put_text(frame, state.title, (pad, int(24 * s)), 0.55 * s, MUTED, max(1, int(s)), outline=False)
        side = f"{state.side} side" if state.side else "side: -"
        put_text(frame, side, (pad, int(48 * s)), 0.6 * s, WHITE, max(1, int(s)), outline=False)
        if state.kind == "hold":
            self._hold(frame, state, s, pad)
        else:
            count = f"{state.count}/{state.target}" if state.target else str(state.count)
            put_text(frame, count, (pad, int(108 * s)), 1.9 * s, ACCENT, max(2, int(3 * s)), outline=False)
        tally = "  ".join(f"{k[0].upper()}:{v}" for k, v in sorted(state.per_side.items()))
        if tally:
            put_text(frame, tally, (pad, int(138 * s)), 0.55 * s, MUTED, max(1, int(s)), outline=False)
        if fps is not None:
            label = f"{fps:.0f} fps"
            tw, _ = text_size(label, 0.5 * s, 1)
            put_text(frame, label, (frame.shape[1] - tw - pad, int(22 * s)), 0.5 * s, MUTED, 1, outline=False)
        return frame

    def _hold(self, frame: np.ndarray, state: RuleState, s: float, pad: int) -> None:
        held = state.hold_s or 0.0
        target = state.hold_target_s or 30.0
        center = (pad + int(30 * s), int(92 * s))
        radius = int(26 * s)
        cv2.circle(frame, center, radius, (90, 90, 90), max(2, int(5 * s)), cv2.LINE_AA)
        sweep = 360.0 * min(1.0, held / target)
        cv2.ellipse(frame, center, (radius, radius), -90, 0, sweep, ACCENT, max(2, int(5 * s)), cv2.LINE_AA)
        left = max(0, math.ceil(target - held))
        put_text(
            frame,
            f"{left}s",
            (center[0] + radius + pad, int(104 * s)),
            1.2 * s,
            ACCENT,
            max(2, int(2 * s)),
            outline=False,
        )
        put_text(frame, f"holds {state.count}/{state.target}", (pad, int(138 * s)), 0.55 * s, WHITE, 1, outline=False)
