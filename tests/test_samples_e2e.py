"""End to end on the bundled samples, scored against their labels like `posecheck eval`.

Two layers (norfair-style golden metrics):
- every sample is replayed from its recorded MediaPipe landmarks
  (tests/data/landmarks, checked against the clip's sha256) through the real
  session loop: fast, so all clips are scored on every run;
- one clip per exercise runs the real pose model end to end, and must agree
  with its recording's result.
Expectations follow the issues' acceptance: exact rep counts per side, hold
time within 1 s, and per-fault precision and recall >= 0.9 wherever the
report says the fault was judged (views that cannot show a fault say so).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from posecheck.analyze import AnalyzeOptions, analyze
from posecheck.samples import labelled_clips, samples_dir
from posecheck.scoring import ClipScore, FaultTally, score
from replay import replay

CLIPS = labelled_clips(samples_dir())
EXERCISES = ("leg-lift", "ball-squeeze", "figure-four", "seated-twist")


def label_of(clip: Path) -> dict:
    return json.loads(clip.with_suffix(".json").read_text())


@cache
def replayed(clip: Path) -> tuple[ClipScore, dict]:
    label = label_of(clip)
    result = replay(clip, label["exercise"])
    assert result.error is None, result.error
    report = result.report.build()
    return score(report, label, clip.name), report


def first_clip(exercise: str) -> Path:
    return next(c for c in CLIPS if label_of(c)["exercise"] == exercise)


def test_there_are_samples_for_every_exercise():
    assert {label_of(c)["exercise"] for c in CLIPS} == set(EXERCISES)


@pytest.mark.parametrize("clip", CLIPS, ids=[c.stem for c in CLIPS])
def test_sample_counts_holds_and_detection(clip: Path):
    s, report = replayed(clip)
    assert s.detection >= 0.95
    assert s.reps_exact, f"reps got {s.reps_report}, want {s.reps_label}"
    if s.sets_exact is not None:
        assert s.sets_exact, (report["sets"], label_of(clip)["sets"])
    for side, error in s.hold_error_s.items():
        assert error <= 1.0, f"{side} hold time off by {error:.1f} s"


def test_fault_precision_and_recall_where_judged():
    totals: dict[str, FaultTally] = {}
    for clip in CLIPS:
        s, _ = replayed(clip)
        for name, tally in s.faults.items():
            totals.setdefault(name, FaultTally()).add(tally)
    assert totals, "no faults scored"
    for name, t in totals.items():
        assert t.precision is None or t.precision >= 0.9, (name, t)
        assert t.recall is None or t.recall >= 0.9, (name, t)


@pytest.mark.parametrize("exercise", EXERCISES)
def test_real_pose_model_end_to_end_agrees_with_the_recording(exercise: str):
    clip = first_clip(exercise)
    label = label_of(clip)
    result = analyze(clip, AnalyzeOptions(exercise, progress=False))
    assert result.error is None, result.error
    live = score(result.report.build(), label, clip.name)
    recorded, _ = replayed(clip)
    assert live.reps_report == recorded.reps_report
    assert live.reps_exact
    for side, error in live.hold_error_s.items():
        assert error <= 1.0, f"{side} hold time off by {error:.1f} s"
    assert live.detection >= 0.95
