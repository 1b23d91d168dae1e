"""A whole routine recorded as one video (the four demo clips end to end) under -e auto."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from posecheck.registry import get_exercise
from posecheck.session import Session
from replay import LANDMARKS, RecordedEstimator, RecordedSource, recording

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
ROUTINE = (
    "figure-four_left_clean-30s_side-raised",
    "seated-twist_left_hip-lifted_front-oblique",
    "ball-squeeze_both_clean-2x5_feet-raised",
    "leg-lift_left_clean_feet-oblique",
)


def joined() -> dict[str, np.ndarray]:
    """The four recordings one after the other, as one clip's landmarks."""
    parts = [recording(SAMPLES / f"{name}.mp4") for name in ROUTINE]
    times, offset = [], 0.0
    for part in parts:
        times.append(part["t"] + offset)
        offset += float(part["t"][-1]) + 1.0 / float(part["fps"])
    data = {key: np.concatenate([part[key] for part in parts]) for key in ("image", "visibility", "world")}
    return {**data, "t": np.concatenate(times), "fps": parts[0]["fps"], "aspect": parts[0]["aspect"]}


def report_of(data: dict[str, np.ndarray], exercise: str) -> dict:
    session = Session(get_exercise(exercise), RecordedEstimator(data))  # type: ignore[arg-type]
    return session.run(RecordedSource("routine", data)).report.build()


def test_every_exercise_of_a_routine_recording_is_found_with_its_own_counts():
    assert LANDMARKS.is_dir()
    report = report_of(joined(), "auto")
    assert report["exercises"] == [name.split("_")[0] for name in ROUTINE]
    assert report["exercise"] == "routine"
    for name in ROUTINE:
        exercise = name.split("_")[0]
        alone = report_of(recording(SAMPLES / f"{name}.mp4"), exercise)
        reps = [r for r in report["reps"] if r["exercise"] == exercise]
        holds = [h for h in report["holds"] if h["exercise"] == exercise]
        assert len(reps) == len(alone["reps"]), exercise
        assert len(holds) == len(alone["holds"]), exercise
        for got, want in zip(holds, alone["holds"], strict=True):
            assert abs(got["valid_s"] - want["valid_s"]) <= 0.5, exercise
