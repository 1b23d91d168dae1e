"""Draws the landmarks and bones of the followed person."""

from __future__ import annotations

import cv2
import numpy as np

from ..pose import SKELETON_EDGES, Pose
from .text import scale_for

LEFT = {11, 13, 15, 23, 25, 27, 29, 31}


class SkeletonAnnotator:
    def __init__(self, color: tuple[int, int, int] = (240, 240, 240), min_visibility: float = 0.3) -> None:
        self.color = color
        self.min_visibility = min_visibility

    def annotate(self, frame: np.ndarray, pose: Pose | None) -> np.ndarray:
        if pose is None:
            return frame
        h, w = frame.shape[:2]
        s = scale_for(frame)
        pts = np.round(pose.image * [w, h]).astype(int)
        seen = pose.visibility >= self.min_visibility
        for a, b in SKELETON_EDGES:
            if seen[a] and seen[b]:
                cv2.line(frame, tuple(pts[a]), tuple(pts[b]), self.color, max(2, int(3 * s)), cv2.LINE_AA)
        for i in sorted({i for edge in SKELETON_EDGES for i in edge}):
            if seen[i]:
                dot = (80, 200, 255) if i in LEFT else (255, 170, 60)
                cv2.circle(frame, tuple(pts[i]), max(3, int(4 * s)), dot, -1, cv2.LINE_AA)
        return frame
