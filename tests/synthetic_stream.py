"""A synthetic stream of any length, no model: a recording's poses looped over blank frames (the soak test)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from posecheck.pose import Pose
from posecheck.replay import Recording, pose_at
from posecheck.source import Frame, FrameSource, SourceInfo


class LoopedRecording:
    """A fake estimator: the pose at time t is the recording's frame at t modulo the recording's length."""

    def __init__(self, data: Recording) -> None:
        self.data = data
        self.fps = float(data["fps"])
        self.frames = len(data["t"])

    def detect(self, rgb: np.ndarray, t: float) -> list[Pose]:
        pose = pose_at(self.data, int(round(t * self.fps)) % self.frames, t)
        return [] if pose is None else [pose]


class SyntheticStream(FrameSource):
    """`seconds` of blank frames at `fps`, as a camera that never stops would give them."""

    def __init__(self, seconds: float, fps: float) -> None:
        self.total = int(seconds * fps)
        self.info = SourceInfo("synthetic stream", "stream", fps, 640, 480, None)

    def __iter__(self) -> Iterator[Frame]:
        blank = np.zeros((2, 2, 3), np.uint8)
        for i in range(self.total):
            yield Frame(blank, i / self.info.fps, i)
