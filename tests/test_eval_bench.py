"""posecheck eval on a benchmark folder of landmark recordings + labels with a `bench` block (no videos)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from posecheck import evaluate as ev
from posecheck.breakdown import buckets, format_breakdown, numeric_buckets
from posecheck.cli import main
from posecheck.replay import bundled_model_sha256, load, save
from posecheck.samples import samples_dir
from replay import LANDMARKS

# (sample, split, body_frac, camera): two splits, five leg lifts of five body sizes, three views
CLIPS = [
    ("leg-lift_left_clean_feet-oblique", "test", 0.20, "feet-oblique"),
    ("leg-lift_right_clean_front", "test", 0.35, "front"),
    ("leg-lift_left_knee-hike_front", "test", 0.50, "front"),
    ("leg-lift_left_forward-knee_feet-oblique", "tune", 0.60, "feet-oblique"),
    ("leg-lift_right_hike-high-nohold_back", "test", 0.80, "back"),
    ("ball-squeeze_both_clean-2x5_feet-raised", "tune", 0.50, "feet-raised"),
    ("figure-four_left_knee-inward_feet-oblique", "test", 0.65, "feet-oblique"),
]


def stamped(name: str) -> dict[str, np.ndarray]:
    data = load(LANDMARKS / f"{name}.npz")
    data["model_sha256"] = np.array(bundled_model_sha256())
    data["mediapipe_version"] = np.array("test")
    return data


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bench")
    for index, (name, split, body_frac, camera) in enumerate(CLIPS):
        label = json.loads((samples_dir() / f"{name}.json").read_text())
        faults = [f"{f}@{i}" for i, r in enumerate(label["reps"] + label["holds"]) for f in r["faults"]]
        factors = {"body_frac": body_frac, "camera": camera, "faults": faults,
                   "render_s": 60.0 + index, "body_seed": index, "camera_is": "a note",  # bookkeeping
                   "drawn_body_frac": body_frac + 1e-4,  # body_frac again, to rounding
                   "landmarks": "misread" if index in (4, 6) else "read well"}  # fmt: skip
        label["bench"] = {"index": index, "split": split, "factors": factors}
        (folder / f"{name}.json").write_text(json.dumps(label))
        save(folder / f"{name}{ev.CACHE_SUFFIX}", stamped(name))
    (folder / "detection.json").write_text("{}")  # not a label: no clip beside it
    return folder


@pytest.fixture(scope="module")
def result(bench: Path) -> ev.EvalResult:
    return ev.evaluate(bench)


def test_items_are_the_labels_with_landmarks_and_the_split_filters_them(bench: Path):
    assert [i.name for i in ev.find_items(bench)] == sorted(c[0] for c in CLIPS)
    assert {i.name for i in ev.find_items(bench, "tune")} == {CLIPS[3][0], CLIPS[5][0]}
    assert len(ev.find_items(bench, "test")) == 5


def test_recordings_are_replayed_without_the_model_and_both_tools_scored(result: ev.EvalResult):
    assert not result.failures and all(r.replayed for r in result.items)
    assert result.totals.sides_exact == result.totals.sides == 6  # five leg-lift sides and the squeeze's "both"
    assert result.totals.holds == 1 and result.peer_totals.clips == 6  # the hold exercise has no peer
    figure_four = next(r for r in result.items if r.item.label["exercise"] == "figure-four")
    assert figure_four.peer is None and figure_four.score.holds_found == 1


def test_a_recording_from_another_model_without_its_video_is_a_failure(bench: Path, tmp_path: Path):
    name = CLIPS[0][0]
    shutil.copy(bench / f"{name}.json", tmp_path)
    data = stamped(name)
    data["model_sha256"] = np.array("0" * 64)
    save(tmp_path / f"{name}{ev.CACHE_SUFFIX}", data)
    assert "not made by the vendored pose model" in ev.evaluate(tmp_path).failures[name]


def test_a_stale_cache_is_recorded_again_and_then_reused(tmp_path: Path, monkeypatch):
    name = CLIPS[0][0]
    video = tmp_path / f"{name}.mp4"
    shutil.copy(samples_dir() / f"{name}.mp4", video)
    cache = tmp_path / "cache"
    cache.mkdir()
    stale = stamped(name)
    stale["clip_sha256"] = np.array("f" * 64)
    save(cache / f"{video.name}.npz", stale)
    calls = []
    monkeypatch.setattr(ev, "record", lambda clip: calls.append(clip) or stamped(name))
    item = ev.Item(name, {"exercise": "leg-lift"}, video=video)
    _, replayed = ev.recording_of(item, cache)
    assert calls == [video] and not replayed
    _, replayed = ev.recording_of(item, cache)
    assert calls == [video] and replayed  # the fresh recording went to the cache


def test_numeric_factors_fall_into_three_bins_and_equal_values_share_one():
    assert numeric_buckets([1, 2, 3, 4, 5, 6, 7, 8, 9]) == [(1, 3), (4, 6), (7, 9)]
    assert numeric_buckets([30.0, 30.0, 60.0]) == [(30.0, 30.0), (60.0, 60.0)]
    assert len(numeric_buckets([0.2, 0.3, 0.3, 0.3, 0.5, 0.9])) <= 3


def test_breakdown_by_exercise_and_factor_bucket(result: ev.EvalResult):
    table = buckets(result.items)
    assert set(table) == {"(all)", "body_frac", "camera", "faults", "landmarks"}  # no bookkeeping, seeds, repeats
    assert set(table["(all)"]) == {"leg-lift", "ball-squeeze", "figure-four"}
    assert table["(all)"]["leg-lift"]["all"][0].clips == 5
    assert list(table["body_frac"]["leg-lift"]) == ["0.2..0.35", "0.5..0.6", "0.8"]  # value order, ~equal bins
    assert "ball-squeeze" not in table["body_frac"]  # one clip: one value, nothing to compare
    mine, peer = table["camera"]["leg-lift"]["front"]
    assert (mine.clips, mine.sides, mine.sides_exact, peer.clips) == (2, 2, 2, 2)
    hike = table["faults"]["leg-lift"]["hip_hike"][0]  # a list factor: one bucket per item, without its @REP
    assert hike.clips == 2 and table["faults"]["leg-lift"]["knee_bent"][0].clips == 2
    assert "none" in table["faults"]["leg-lift"]
    text = format_breakdown(result.items)
    assert "body_frac" in text and "0.5..0.6" in text
    assert format_breakdown([r for r in result.items if not r.item.bench]) == ""
    assert set(buckets(result.items, only=["camera"])) == {"(all)", "camera"}


def test_how_well_mediapipe_read_the_body_is_also_tallied_over_every_exercise(result: ev.EvalResult):
    rows = buckets(result.items)["landmarks"]
    assert "ball-squeeze" not in rows  # one value among its clips
    assert rows["(any)"]["read well"][0].clips == 5 and rows["(any)"]["misread"][0].clips == 2
    assert rows["(any)"]["misread"][0].holds == 1  # the figure-four clip's hold is in it
    assert "(any)" not in buckets(result.items)["camera"]  # a camera preset means another place per exercise


def test_cli_eval_on_a_bench_split_writes_both_tools(bench: Path, tmp_path: Path, capsys):
    out = tmp_path / "scores.json"
    args = ["eval", str(bench), "--split", "test", "--json", str(out), "--cache", str(tmp_path / "c")]
    code = main([*args, "--factors", "camera, faults"])
    assert code == 0
    printed = capsys.readouterr().out
    assert "by factor bucket" in printed and "peer" in printed and "real footage" not in printed
    data = json.loads(out.read_text())
    assert len(data["clips"]) == 5 and set(data["totals"]) == {"posecheck", "peer"}
    assert set(data["breakdown"]["camera"]["leg-lift"]["front"]) == {"posecheck", "peer"}
    assert set(data["breakdown"]) == {"(all)", "camera", "faults"}


def test_cli_eval_bad_input_is_one_line_and_non_zero(tmp_path: Path, capsys):
    assert main(["eval", str(tmp_path / "nothing-here"), "--no-footage"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("posecheck: error:") and "\n" not in err
    assert main(["eval", str(tmp_path), "--no-footage"]) == 2  # a folder with no labelled clips
    capsys.readouterr()
    missing = tmp_path / "no-footage-here"
    assert main(["eval", str(tmp_path), "--footage", str(missing)]) == 2
    assert capsys.readouterr().err.strip() == f"posecheck: error: footage folder not found: {missing}"


def test_a_clip_where_nobody_is_found_scores_as_nothing_counted():
    name = CLIPS[0][0]
    data = stamped(name)
    data["image"] = np.full_like(data["image"], np.nan)
    label = json.loads((samples_dir() / f"{name}.json").read_text())
    result = ev.evaluate_recording(ev.Item(name, label), data)
    assert result.score.reps_report == {} and result.score.count_errors == {"left": 4}
    assert result.peer is not None and result.peer.count_errors == {"left": 4}
