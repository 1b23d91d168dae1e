"""Drawing: one annotator per job, composed by Overlay.  No computation here."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..events import Cue
from ..pose import Pose
from ..rules import RuleState
from .angle import AngleAnnotator
from .banner import CueBanner
from .panel import CounterPanel
from .skeleton import SkeletonAnnotator


@dataclass
class OverlayInput:
    """Everything drawn on one frame (a snapshot, safe to hand to another thread)."""

    t: float
    pose: Pose | None
    state: RuleState
    cue: Cue | None
    fps: float | None = None


class Overlay:
    def __init__(self) -> None:
        self.skeleton = SkeletonAnnotator()
        self.angle = AngleAnnotator()
        self.panel = CounterPanel()
        self.banner = CueBanner()

    def annotate(self, frame: np.ndarray, item: OverlayInput, mirror: bool = False) -> np.ndarray:
        pose = item.pose
        if mirror:
            frame = np.ascontiguousarray(frame[:, ::-1])
            if pose is not None:
                image = pose.image.copy()
                image[:, 0] = 1.0 - image[:, 0]
                pose = pose.replace(image=image)
        self.skeleton.annotate(frame, pose)
        self.angle.annotate(frame, pose, item.state)
        self.panel.annotate(frame, item.state, item.fps)
        self.banner.annotate(frame, item.t, item.cue, item.state.status)
        return frame


__all__ = ["AngleAnnotator", "CounterPanel", "CueBanner", "Overlay", "OverlayInput", "SkeletonAnnotator"]
