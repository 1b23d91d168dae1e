"""The test suite's recordings (tests/data/landmarks/NAME.npz, one per sample), replayed with posecheck.replay."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from posecheck.replay import RecordedEstimator, RecordedSource
from posecheck.replay import replay as replay_recording
from posecheck.session import SessionResult
from recordings import LANDMARKS, recording  # scripts/recordings.py: the stale check too

__all__ = ["LANDMARKS", "RecordedEstimator", "RecordedSource", "recording", "replay", "replayed"]


def replay(clip: Path, exercise: str) -> SessionResult:
    return replay_recording(recording(clip), exercise, clip.name)


@cache
def replayed(clip: Path, exercise: str) -> SessionResult:
    """replay(), once per clip and exercise in a test run (several test files score the same replays)."""
    return replay(clip, exercise)
