"""The bundled samples against fixed targets (tests/data/targets.json): truths from the labels, not a past run.

Each sample's recorded MediaPipe landmarks (tests/data/landmarks) are replayed
through the real Session and scored against its label; the targets say what
the score must reach.  Targets only go up (see the file's _about).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from posecheck.samples import labelled_clips, samples_dir
from posecheck.scoring import ClipScore, score
from replay import replayed

TARGETS = json.loads((Path(__file__).resolve().parent / "data" / "targets.json").read_text())
CLIPS = labelled_clips(samples_dir())


def targets_for(clip: Path) -> dict:
    return {**TARGETS["defaults"], **TARGETS["clips"].get(clip.name, {})}


def label_of(clip: Path) -> dict:
    return json.loads(clip.with_suffix(".json").read_text())


def scored(clip: Path) -> tuple[ClipScore, dict]:
    label = label_of(clip)
    result = replayed(clip, label["exercise"])
    assert result.error is None, result.error
    return score(result.report.build(), label, clip.name), label


def test_every_sample_has_targets_and_every_override_a_sample_and_a_reason():
    names = {c.name for c in CLIPS}
    assert len(names) >= 20
    assert set(TARGETS["clips"]) <= names
    assert all(entry.get("why") for entry in TARGETS["clips"].values())


@pytest.mark.parametrize("clip", CLIPS, ids=[c.stem for c in CLIPS])
def test_sample_meets_its_targets(clip: Path):
    s, label = scored(clip)
    want = targets_for(clip)
    assert s.detection >= want["detection"]
    if want["counts"] == "exact":
        assert s.reps_exact, f"reps per side {s.reps_report}, label {s.reps_label}"
    if want["sets"] == "exact" and label.get("sets"):
        assert s.sets_exact, "the sets differ from the label's"
    for side, error in s.hold_error_s.items():
        assert error <= want["hold_error_s"], f"{side} hold time off by {error:.1f} s"
    found = s.holds_total if want["holds_found"] == "all" else want["holds_found"]
    assert s.holds_found >= found, f"holds found {s.holds_found} of {s.holds_total}"
    for name, tally in s.faults.items():
        override = want.get("faults", {}).get(name, {})
        fault = {"precision": want["fault_precision"], "recall": want["fault_recall"], **override}
        if tally.precision is not None:
            assert tally.precision >= fault["precision"], (name, tally)
        if tally.recall is not None:
            assert tally.recall >= fault["recall"], (name, tally)
    labelled = {f for item in label.get("reps", []) + label.get("holds", []) for f in item.get("faults", [])}
    assert labelled & set(s.not_judged) <= set(want["may_skip"]), f"not judged: {s.not_judged}"


def test_the_targets_would_catch_a_miscount():
    """The same checks fail on a report that drops a rep (the test can fail)."""
    clip = next(c for c in CLIPS if label_of(c)["exercise"] == "leg-lift")
    label = label_of(clip)
    report = replayed(clip, "leg-lift").report.build()
    worse = score({**report, "reps": report["reps"][1:]}, label, clip.name)
    assert not worse.reps_exact
