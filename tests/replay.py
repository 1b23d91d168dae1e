"""Replaying recorded MediaPipe landmarks through the real session loop (no pose model)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import numpy as np

from posecheck.pose import Pose
from posecheck.registry import get_exercise
from posecheck.session import Session, SessionResult
from posecheck.source import Frame, FrameSource, SourceInfo

LANDMARKS = Path(__file__).resolve().parent / "data" / "landmarks"


class RecordedSource(FrameSource):
    def __init__(self, name: str, data: dict[str, np.ndarray]) -> None:
        self.times = data["t"]
        fps = float(data["fps"])
        self.info = SourceInfo(name, "video", fps, 640, 480, len(self.times))

    def __iter__(self) -> Iterator[Frame]:
        blank = np.zeros((2, 2, 3), np.uint8)
        for i, t in enumerate(self.times):
            yield Frame(blank, float(t), i)


class RecordedEstimator:
    def __init__(self, data: dict[str, np.ndarray]) -> None:
        self.data = data
        self.i = 0

    def detect(self, rgb: np.ndarray, t: float) -> list[Pose]:
        i, self.i = self.i, self.i + 1
        image = self.data["image"][i].astype(np.float64)
        if np.isnan(image).any():
            return []
        world = self.data["world"][i].astype(np.float64)
        return [Pose(image, self.data["visibility"][i].astype(np.float64), world, t, float(self.data["aspect"]))]


def recording(clip: Path) -> dict[str, np.ndarray]:
    path = LANDMARKS / f"{clip.stem}.npz"
    with np.load(path) as f:
        data = {k: f[k] for k in f.files}
    digest = hashlib.sha256(clip.read_bytes()).hexdigest()
    if str(data["clip_sha256"]) != digest:
        raise AssertionError(f"{path.name} is stale: run python scripts/record_landmarks.py {clip}")
    return data


def replay(clip: Path, exercise: str) -> SessionResult:
    data = recording(clip)
    return Session(get_exercise(exercise), RecordedEstimator(data)).run(RecordedSource(clip.name, data))  # type: ignore[arg-type]


@cache
def replayed(clip: Path, exercise: str) -> SessionResult:
    """replay(), once per clip and exercise in a test run (several test files score the same replays)."""
    return replay(clip, exercise)
