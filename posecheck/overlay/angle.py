"""Draws the measured angle as an arc at its joint with the value beside it."""

from __future__ import annotations

import math

import cv2
import numpy as np

from ..pose import Pose
from ..rules import RuleState
from .text import put_text, scale_for


def label(state: RuleState) -> str:
    """The value beside the arc, in the rule's unit: "35 deg", or "14%" of the hip width for the ball squeeze."""
    return f"{state.angle_deg:.0f}{state.angle_unit}"


class AngleAnnotator:
    def __init__(self, color: tuple[int, int, int] = (60, 220, 255)) -> None:
        self.color = color

    def annotate(self, frame: np.ndarray, pose: Pose | None, state: RuleState) -> np.ndarray:
        if pose is None or state.angle_at is None or state.angle_deg is None or not math.isfinite(state.angle_deg):
            return frame
        h, w = frame.shape[:2]
        s = scale_for(frame)
        a, b, c = (pose.image[i] * [w, h] for i in state.angle_at)
        radius = int(max(18.0, 0.35 * min(np.linalg.norm(a - b), np.linalg.norm(c - b))))
        start = math.degrees(math.atan2(a[1] - b[1], a[0] - b[0]))
        end = math.degrees(math.atan2(c[1] - b[1], c[0] - b[0]))
        sweep = (end - start + 540.0) % 360.0 - 180.0
        center = (int(b[0]), int(b[1]))
        cv2.ellipse(
            frame, center, (radius, radius), 0, start, start + sweep, self.color, max(2, int(3 * s)), cv2.LINE_AA
        )
        mid = math.radians(start + sweep / 2)
        org = (int(b[0] + (radius + 8) * math.cos(mid)), int(b[1] + (radius + 8) * math.sin(mid)))
        put_text(frame, label(state), org, 0.7 * s, self.color, max(1, int(2 * s)))
        return frame
