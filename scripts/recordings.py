"""The bundled samples' recorded landmarks (tests/data/landmarks) replayed: a sample's report with its Timeline, and
a history of replayed samples, one session a day.  The trend page's input for scripts/report_pictures.py and for
the report tests (which import this module: tests may use scripts, scripts never use tests)."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

import numpy as np

from posecheck.history import History
from posecheck.html_report import exercises_of
from posecheck.registry import get_exercise
from posecheck.replay import RecordedEstimator, RecordedSource, Recording, file_sha256, load
from posecheck.rows import results_of, rows_of
from posecheck.session import Session
from posecheck.source import Frame
from posecheck.timeline import Timeline

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
LANDMARKS = ROOT / "tests" / "data" / "landmarks"  # one per sample: python scripts/record_landmarks.py


def recording(clip: Path) -> Recording:
    """A clip's recorded landmarks, checked against the clip (a re-rendered sample needs a new recording)."""
    path = LANDMARKS / f"{clip.stem}.npz"
    data = load(path)
    if str(data["clip_sha256"]) != file_sha256(clip):
        raise AssertionError(f"{path.name} is stale: run python scripts/record_landmarks.py {clip}")
    return data


class PaintedSource(RecordedSource):
    """The recording's times with a grey frame whose shade follows the time (so pictures differ)."""

    def __iter__(self):  # type: ignore[no-untyped-def]
        for frame in super().__iter__():
            shade = int(40 + (frame.t * 20) % 200)
            yield Frame(np.full((48, 64, 3), shade, np.uint8), frame.t, frame.index)


def replay_with_timeline(data: Recording, exercise: str, name: str) -> tuple[dict[str, object], Timeline]:
    rule = get_exercise(exercise)
    timeline = Timeline(thumbs=True)
    result = Session(rule, RecordedEstimator(data)).run(PaintedSource(name, data), timeline.wrap(rule, None))  # type: ignore[arg-type]
    report = result.report.build()
    timeline.close(report)
    return report, timeline


@cache
def sample(clip: str, exercise: str) -> tuple[dict[str, object], Timeline]:
    return replay_with_timeline(recording(SAMPLES / f"{clip}.mp4"), exercise, f"{clip}.mp4")


SESSIONS = (  # (clip, exercise): replayed as one session a day
    ("leg-lift_left_forward-knee_feet-oblique", "leg-lift"),
    ("ball-squeeze_both_clean-2x5_feet-raised", "ball-squeeze"),
    ("leg-lift_left_knee-hike_front", "leg-lift"),
    ("figure-four_left_ankle-off_feet-oblique", "figure-four"),
    ("leg-lift_left_high-nohold_front", "leg-lift"),
    ("ball-squeeze_both_clean-2sets_feet-raised", "ball-squeeze"),
    ("leg-lift_left_clean_feet-oblique", "leg-lift"),
    ("leg-lift_right_hike-knee_front", "leg-lift"),
    ("figure-four_left_clean-30s_side-raised", "figure-four"),
    ("leg-lift_right_clean_front", "leg-lift"),
    ("ball-squeeze_both_clean-2x10_feet-raised", "ball-squeeze"),
)


def fill_history(path: Path, start: datetime = datetime(2026, 11, 2, 8, 30)) -> History:
    """A history of the replayed samples, one a day from `start` (the trend page's input)."""
    history = History(path)
    for day, (clip, exercise) in enumerate(SESSIONS):
        report, timeline = sample(clip, exercise)
        rows = rows_of(report, timeline)
        results = results_of(report, rows, timeline, exercises_of(report, timeline, rows))
        history.record(start + timedelta(days=day), "analyze", report, rows, results)
    return history


__all__ = ["LANDMARKS", "SAMPLES", "SESSIONS", "fill_history", "recording", "replay_with_timeline", "sample"]
