"""A whole routine recorded as one video (the four demo clips end to end) under -e auto."""

from __future__ import annotations

import numpy as np

from posecheck.registry import get_exercise
from posecheck.session import Session
from replay import LANDMARKS, RecordedEstimator, RecordedSource, recording
from reports import ROUTINE, SAMPLES, joined


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
