"""Real-footage expectations (benchmarks/footage/*.json) and how they are checked; the footage is not in the repo."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np

from posecheck.footage import LABELS, check_footage, check_label, format_checks, read_labels
from posecheck.registry import available
from posecheck.replay import bundled_model_sha256, load, save
from posecheck.samples import samples_dir
from replay import LANDMARKS

EXERCISES = set(available()) - {"auto"}


def sample(name: str) -> tuple[dict, dict]:
    data = load(LANDMARKS / f"{name}.npz")
    data["model_sha256"] = np.array(bundled_model_sha256())
    return json.loads((samples_dir() / f"{name}.json").read_text()), data


def test_footage_labels_are_well_formed_and_only_labels_are_committed():
    labels = read_labels()
    assert len(labels) >= 20
    assert {p.suffix for p in LABELS.iterdir()} == {".json"}  # never the third-party footage itself
    for label in labels:
        expect = label["expect"]
        assert ("scored_as" in expect) != ("nothing_for" in expect), label["video"]
        if "scored_as" in expect:
            assert expect["scored_as"] == label["exercise"] in EXERCISES
            assert label["reps"] or label["holds"] or expect.get("faults"), label["video"]
        else:
            assert set(expect["nothing_for"]) == EXERCISES and not label["reps"] and not label["holds"]
    leg = next(x for x in labels if x["video"].startswith("leglift_"))
    assert len(leg["reps"]) == 6 and leg["sets"] == [{"side": "left", "reps": 6}]


def test_an_exercise_expectation_passes_when_the_count_is_the_labels():
    label, data = sample("leg-lift_left_clean_feet-oblique")
    checks = check_label({**label, "expect": {"scored_as": "leg-lift"}}, data)
    mine = next(c for c in checks if c.tool == "posecheck")
    assert mine.passed and mine.outcome == "counted 4 of 4, 4 overlap a labelled rep"
    assert any(c.tool == "peer" for c in checks)
    wrong = check_label({**label, "reps": label["reps"][:3], "expect": {"scored_as": "leg-lift"}}, data)
    assert not wrong[0].passed and "FAIL" in wrong[0].line()


def test_a_negative_expectation_fails_when_anything_is_counted():
    _, data = sample("leg-lift_left_clean_feet-oblique")
    checks = check_label({"video": "x.mp4", "expect": {"nothing_for": ["leg-lift", "figure-four"]}}, data)
    by = {(c.tool, c.what): c for c in checks}
    assert not by[("posecheck", "as leg-lift")].passed and by[("posecheck", "as figure-four")].passed
    assert ("peer", "as figure-four") not in by  # holds: the peer does not apply


def test_hold_expectations_and_faults():
    label, data = sample("figure-four_left_knee-inward_feet-oblique")
    expect = {"scored_as": "figure-four", "side_sure": True, "faults": ["knee_inward", "ankle_off_thigh"]}
    checks = {c.what: c for c in check_label({**label, "expect": expect}, data) if c.tool == "posecheck"}
    assert checks["figure-four holds"].passed and checks["figure-four holds"].outcome.startswith("found 1 of 1")
    assert checks["knee_inward flagged"].passed and not checks["ankle_off_thigh flagged"].passed


def test_check_footage_reads_the_cache_and_reports_missing_files(tmp_path: Path):
    name = "leg-lift_left_clean_feet-oblique"
    label, data = sample(name)
    labels, footage, cache = tmp_path / "labels", tmp_path / "footage", tmp_path / "cache"
    for folder in (labels, footage, cache):
        folder.mkdir()
    shutil.copy(samples_dir() / f"{name}.mp4", footage / "clip.mp4")
    save(cache / "clip.mp4.npz", data)
    (labels / "clip.json").write_text(json.dumps({**label, "video": "clip.mp4", "expect": {"scored_as": "leg-lift"}}))
    (labels / "gone.json").write_text(json.dumps({"video": "gone.mp4", "expect": {"nothing_for": ["leg-lift"]}}))
    checks, missing = check_footage(footage, cache, labels)
    assert [c.passed for c in checks if c.tool == "posecheck"] == [True]
    assert list(missing) == ["gone.mp4"]
    text = format_checks(checks, missing)
    assert "leg-lift reps: counted 4 of 4, 4 overlap a labelled rep — PASS" in text and "NOT CHECKED" in text
