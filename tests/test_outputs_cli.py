"""--html, --csv and the history from the command line, `posecheck history`, and the routine's line from it."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import pytest

from posecheck.cli import main
from posecheck.history import History
from posecheck.last_time import than_last_time
from posecheck.outputs import Outputs
from posecheck.routine_cli import run_routine
from posecheck.routines import RoutineSpec, StepSpec
from posecheck.rows import CSV_FIELDS, Result
from posecheck.samples import samples_dir
from posecheck.voice import NullEngine, Voice
from reports import fill_history, sample

CLIP = samples_dir() / "leg-lift_left_clean_feet-oblique.mp4"  # 4 clean reps, left side


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("POSECHECK_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and err.startswith("posecheck: error: "), err
    return err


def test_analyze_writes_the_html_the_csv_and_one_history_entry(tmp_path, home, capsys):
    html, table, report = tmp_path / "r.html", tmp_path / "r.csv", tmp_path / "r.json"
    args = ["analyze", str(CLIP), "-e", "leg-lift", "--no-progress", "--html", str(html), "--csv", str(table)]
    assert main([*args, "--json", str(report)]) == 0
    out = capsys.readouterr().out
    assert f"wrote {html}" in out and f"wrote {table}" in out
    reps = json.loads(report.read_text())["reps"]
    assert len(reps) == 4
    page = html.read_text(encoding="utf-8")
    assert page.count('<figure class="rep">') == 4 and "<svg" in page
    rows = list(csv.DictReader(io.StringIO(table.read_text())))
    assert list(rows[0]) == CSV_FIELDS and len(rows) == 4
    assert [float(r["value"]) for r in rows] == pytest.approx([r["peak_angle_deg"] for r in reps], abs=0.06)
    assert {r["exercise"] for r in rows} == {"leg-lift"} and {r["side"] for r in rows} == {"left"}
    (session,) = History(home / "history.sqlite3").sessions()
    assert session.command == "analyze" and session.exercises == ("leg-lift",)
    assert main(["history"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 2 and "leg-lift" in listed[1] and "left 4/10 reps" in listed[1]


def test_no_history_keeps_nothing(tmp_path):
    report, timeline = sample("ball-squeeze_both_clean-2x5_feet-raised", "ball-squeeze")
    path = tmp_path / "h.sqlite3"
    Outputs(history=False, history_path=path).write(report, timeline, "analyze")
    assert not path.exists()
    Outputs(history=True, history_path=path).write(report, timeline, "analyze")
    assert len(History(path).sessions()) == 1


def test_an_html_path_that_cannot_be_written_fails_before_the_analysis(tmp_path, home, capsys):
    code = main(["analyze", str(CLIP), "--html", str(tmp_path / "missing" / "r.html")])
    assert code != 0 and "folder" in one_line_error(capsys)
    assert not home.exists()


def test_history_lists_filters_and_exports(tmp_path, home, capsys):
    fill_history(home / "history.sqlite3")
    assert main(["history", "--exercise", "ball-squeeze"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 + 3 and all("ball-squeeze" in line for line in lines[1:])
    assert main(["history", "--since", "2026-11-10"]) == 0
    dates = [line[:10] for line in capsys.readouterr().out.splitlines()[1:]]
    assert dates == ["2026-11-10", "2026-11-11", "2026-11-12"]
    table, trends = tmp_path / "all.csv", tmp_path / "trends.html"
    assert main(["history", "--csv", str(table), "--html", str(trends)]) == 0
    rows = list(csv.DictReader(io.StringIO(table.read_text())))
    assert len({r["session"] for r in rows}) == 11 and {r["exercise"] for r in rows} == {
        "leg-lift", "ball-squeeze", "figure-four"
    }  # fmt: skip
    assert trends.read_text(encoding="utf-8").count("<section") == 3
    assert main(["history", "--exercise", "figure-four", "--html", str(trends)]) == 0
    assert trends.read_text(encoding="utf-8").count("<section") == 1


@pytest.mark.parametrize(
    ("args", "wanted"),
    [
        (["history", "--since", "last tuesday"], "--since wants a date"),
        (["history", "--exercise", "squats"], "squats"),
        (["history", "--html", "/no/such/folder/t.html"], "folder"),
    ],
)
def test_history_bad_input_is_one_line(home, capsys, args, wanted):
    fill_history(home / "history.sqlite3")
    capsys.readouterr()
    assert main(args) != 0
    assert wanted in one_line_error(capsys)


def test_delete_all_asks_first(home, capsys, monkeypatch):
    history = fill_history(home / "history.sqlite3")
    monkeypatch.setattr("sys.stdin", io.StringIO("yes\n"))  # not a terminal: no question, no deleting
    assert main(["history", "--delete-all"]) != 0
    assert "--yes" in one_line_error(capsys) and len(history.sessions()) == 11
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    assert main(["history", "--delete-all"]) == 1 and len(history.sessions()) == 11
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    assert main(["history", "--delete-all"]) == 0 and history.sessions() == []


@pytest.mark.parametrize(
    ("now", "before", "line"),
    [
        ({"reps": 13, "holds": 2}, {"reps": 10, "holds": 3}, "Three more reps than last time"),
        ({"reps": 9}, {"reps": 10}, "One fewer rep than last time"),
        ({"holds": 4}, {"holds": 4}, "As many holds as last time"),
        ({}, {}, None),
    ],
)
def test_the_line_against_last_time(now, before, line):
    assert than_last_time(now, before) == line


def test_the_routine_summary_says_how_it_compares_with_the_last_routine(tmp_path):
    path = tmp_path / "h.sqlite3"
    before = [Result("leg-lift", "left", "reps", 5, 10, None)]
    History(path).record(datetime(2026, 12, 1), "routine", {"video": "0"}, [], before)
    step = StepSpec("leg-lift", 2, ("left",), rest_s=0.0, camera="Camera at your feet.", instruction="Lie down.")
    engine = NullEngine()
    outputs = Outputs(html=tmp_path / "r.html", history_path=path)
    result, routine = run_routine(
        RoutineSpec("Lifts", (step,)), CLIP, window=False, live=False, voice=Voice(engine), outputs=outputs
    )
    assert result.error is None and routine.results[0].done == {"left": 2}
    assert engine.said[-1] == "Three fewer reps than last time", engine.said
    assert History(path).last_totals("routine") == {"reps": 2}
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert '<section id="leg-lift">' in page and "2 of 2</b> reps" in page


def test_a_history_that_cannot_be_written_is_one_warning_and_the_rest_stands(tmp_path):
    report, timeline = sample("ball-squeeze_both_clean-2x5_feet-raised", "ball-squeeze")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    warnings: list[str] = []
    outputs = Outputs(csv=tmp_path / "r.csv", history_path=blocker / "h.sqlite3", warn=warnings.append)
    outputs.write(report, timeline, "analyze")
    assert len(warnings) == 1 and warnings[0].startswith("not kept in the history")
    assert (tmp_path / "r.csv").read_text().count("\n") == 1 + len(report["reps"])


def test_live_writes_the_html_and_keeps_the_session(tmp_path, home, capsys):
    html = tmp_path / "live.html"
    args = ["live", "-e", "leg-lift", "--camera", str(CLIP), "--no-window", "--mute", "--max-seconds", "8"]
    assert main([*args, "--html", str(html)]) == 0
    assert f"wrote {html}" in capsys.readouterr().out
    page = html.read_text(encoding="utf-8")
    assert '<section id="leg-lift">' in page and '<svg class="plot"' in page
    (session,) = History(home / "history.sqlite3").sessions()
    assert session.command == "live" and session.exercises == ("leg-lift",)
    assert (home.stat().st_mode & 0o777) == 0o700


def test_analyze_recognises_the_exercise_unless_it_is_named():
    """A recording of any exercise (or a whole routine) is analysed as what it shows; live keeps its default."""
    from posecheck.cli import build_parser

    parser = build_parser()
    assert parser.parse_args(["analyze", "clip.mp4"]).exercise == "auto"
    assert parser.parse_args(["analyze", "clip.mp4", "-e", "ball-squeeze"]).exercise == "ball-squeeze"
    assert parser.parse_args(["live"]).exercise == "leg-lift"
