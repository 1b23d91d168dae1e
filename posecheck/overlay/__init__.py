"""Drawing: one annotator per job, composed by Overlay.  No computation here."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..events import Cue
from ..pose import Pose, sane
from ..rules import RuleState
from .angle import AngleAnnotator
from .banner import CueBanner
from .layout import Box, Layout, body_box
from .panel import SHAPES, CounterPanel
from .skeleton import SkeletonAnnotator
from .text import put_text, scale_for


@dataclass
class OverlayInput:
    """Everything drawn on one frame (a snapshot, safe to hand to another thread)."""

    t: float
    pose: Pose | None
    state: RuleState
    cue: Cue | None
    fps: float | None = None
    note: str | None = None  # a debugging line in the bottom-left corner (analyze --debug: an interpolated pose)


class Overlay:
    """Skeleton, angle, counter panel and cue banner; the panel and banner keep off the body (layout.py)."""

    def __init__(self) -> None:
        self.skeleton = SkeletonAnnotator()
        self.angle = AngleAnnotator()
        self.panel = CounterPanel()
        self.banner = CueBanner()
        self.layout = Layout()

    def annotate(self, frame: np.ndarray, item: OverlayInput, mirror: bool = False) -> np.ndarray:
        pose = item.pose if item.pose is not None and sane(item.pose) else None  # junk is drawn as nobody
        if mirror:
            frame = np.ascontiguousarray(frame[:, ::-1])
            if pose is not None:
                image = pose.image.copy()
                image[:, 0] = 1.0 - image[:, 0]
                pose = pose.replace(image=image)
        self.skeleton.annotate(frame, pose)
        self.angle.annotate(frame, pose, item.state)
        h, w = frame.shape[:2]
        body = body_box(pose, w, h)
        message = self.banner.message(item.t, item.cue, item.state.status)
        text = message[0] if message else "Ag"  # no message: keep the room a one-line cue takes
        bands = (self.banner.height(frame, text, w), self.banner.height(frame, text, w // 2))
        banner = self.layout.place_banner(w, h, bands, body)
        sizes = {shape: self.panel.size(frame, item.state, item.fps, shape) for shape in SHAPES}
        box, shape = self.layout.place_panel(w, h, sizes, body, banner)
        self.panel.annotate(frame, item.state, box, item.fps, shape)
        self.banner.annotate(frame, message, banner)
        if item.note:  # the bottom-left corner, above the banner when the banner is at the bottom
            scale = scale_for(frame)
            bottom = banner.y0 if message and banner.x0 < w // 4 and banner.y1 >= h - 2 else h
            put_text(frame, item.note, (int(8 * scale), bottom - int(8 * scale)), 0.45 * scale, (0, 220, 255))
        return frame


__all__ = [
    "AngleAnnotator",
    "Box",
    "CounterPanel",
    "CueBanner",
    "Layout",
    "Overlay",
    "OverlayInput",
    "SkeletonAnnotator",
    "body_box",
]
