"""The test suite's recordings (tests/data/landmarks/NAME.npz, one per sample), replayed with posecheck.replay."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from posecheck.replay import RecordedEstimator, RecordedSource, Recording, file_sha256, load
from posecheck.replay import replay as replay_recording
from posecheck.session import SessionResult

LANDMARKS = Path(__file__).resolve().parent / "data" / "landmarks"

__all__ = ["LANDMARKS", "RecordedEstimator", "RecordedSource", "recording", "replay", "replayed"]


def recording(clip: Path) -> Recording:
    path = LANDMARKS / f"{clip.stem}.npz"
    data = load(path)
    if str(data["clip_sha256"]) != file_sha256(clip):
        raise AssertionError(f"{path.name} is stale: run python scripts/record_landmarks.py {clip}")
    return data


def replay(clip: Path, exercise: str) -> SessionResult:
    return replay_recording(recording(clip), exercise, clip.name)


@cache
def replayed(clip: Path, exercise: str) -> SessionResult:
    """replay(), once per clip and exercise in a test run (several test files score the same replays)."""
    return replay(clip, exercise)
