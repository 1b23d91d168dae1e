"""The session history: schema upgrade from a v1 file, two writers at once, a damaged file, a newer one."""

from __future__ import annotations

import multiprocessing
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from posecheck.errors import InputError
from posecheck.history import VERSION, History, default_path
from posecheck.rows import Result, Row

WHEN = datetime(2026, 12, 7, 18, 30)
ROWS = [
    Row("leg-lift", "left", 1, "rep", 1, 1.0, 3.0, 41.0, 1.5, None, ("leg_forward",), {}),
    Row("leg-lift", "left", 1, "rep", 2, 5.0, 7.0, 45.0, 2.0, None, (), {}),
]
RESULTS = [Result("leg-lift", "left", "reps", 2, 10, "leg_forward")]
REPORT = {"video": "clip.mp4", "duration_s": 9.0}

# a history file as posecheck's first schema made it (user_version 1): kept literally, not made by today's code
V1 = """
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, command TEXT NOT NULL, source TEXT NOT NULL,
    exercises TEXT NOT NULL);
CREATE TABLE items (
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, exercise TEXT NOT NULL,
    side TEXT NOT NULL, kind TEXT NOT NULL, number INTEGER NOT NULL, start_s REAL, end_s REAL, value REAL,
    held_s REAL, faults TEXT NOT NULL DEFAULT '');
CREATE INDEX items_session ON items(session_id);
INSERT INTO sessions VALUES (1, '2026-11-01T09:00:00', 'analyze', 'old.mp4', 'ball-squeeze');
INSERT INTO items VALUES (1, 'ball-squeeze', 'both', 'rep', 1, 1.0, 2.0, 12.0, 0.5, 'hips_lifted');
INSERT INTO items VALUES (1, 'ball-squeeze', 'both', 'rep', 2, 4.0, 5.0, 14.0, 0.6, 'hips_lifted');
INSERT INTO items VALUES (1, 'ball-squeeze', 'both', 'rep', 3, 7.0, 8.0, 15.0, 0.4, '');
PRAGMA user_version = 1;
"""


def make_v1(path: Path) -> None:
    db = sqlite3.connect(path)
    db.executescript(V1)
    db.close()


def test_a_session_is_kept_and_read_back(tmp_path):
    history = History(tmp_path / "h.sqlite3")
    sid = history.record(WHEN, "analyze", REPORT, ROWS, RESULTS)
    (session,) = history.sessions()
    assert session.id == sid and session.started_at == WHEN and session.exercises == ("leg-lift",)
    assert session.source == "clip.mp4" and session.duration_s == 9.0 and not session.interrupted
    assert history.results([sid]) == {sid: RESULTS}
    assert history.rows([sid]) == {sid: ROWS}


def test_the_file_is_in_wal_mode_with_the_current_schema(tmp_path):
    history = History(tmp_path / "h.sqlite3")
    history.record(WHEN, "live", REPORT, ROWS, RESULTS)
    db = sqlite3.connect(history.path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == VERSION


def test_a_v1_file_is_upgraded_in_place_and_keeps_its_sessions(tmp_path):
    path = tmp_path / "h.sqlite3"
    make_v1(path)
    history = History(path)
    old, *_ = history.sessions()
    assert old.started_at == datetime(2026, 11, 1, 9) and old.duration_s is None
    assert history.results([old.id]) == {old.id: [Result("ball-squeeze", "both", "reps", 3, None, "hips_lifted")]}
    assert [r.set for r in history.rows([old.id])[old.id]] == [1, 1, 1]
    new = history.record(WHEN, "analyze", REPORT, ROWS, RESULTS)
    assert [s.id for s in history.sessions()] == [old.id, new]
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == VERSION


def _write_many(path: str, who: int, count: int) -> None:
    history = History(Path(path))
    for i in range(count):
        history.record(WHEN + timedelta(seconds=i), f"writer-{who}", REPORT, ROWS, RESULTS)


def test_two_processes_writing_at_once_both_land(tmp_path):
    path = tmp_path / "h.sqlite3"
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_write_many, args=(str(path), who, 25)) for who in (1, 2)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(120)
        assert writer.exitcode == 0
    sessions = History(path).sessions()
    assert len(sessions) == 50
    assert {s.command for s in sessions} == {"writer-1", "writer-2"}
    assert sum(len(rows) for rows in History(path).rows([s.id for s in sessions]).values()) == 100


def test_a_damaged_file_is_moved_aside_with_one_warning_and_a_new_one_started(tmp_path):
    path = tmp_path / "h.sqlite3"
    History(path).record(WHEN, "analyze", REPORT, ROWS, RESULTS)
    damaged = b"this is not sqlite at all " * 200
    path.write_bytes(damaged)
    warnings: list[str] = []
    history = History(path, warnings.append)
    assert history.sessions() == []
    assert len(warnings) == 1 and "damaged" in warnings[0] and "\n" not in warnings[0]
    (aside,) = tmp_path.glob("h.sqlite3.damaged-*[0-9]")
    assert aside.read_bytes() == damaged  # kept, as it was
    assert aside.name in warnings[0]
    history.record(WHEN, "analyze", REPORT, ROWS, RESULTS)
    assert len(history.sessions()) == 1 and len(warnings) == 1


def test_a_file_from_a_newer_posecheck_is_left_alone(tmp_path):
    path = tmp_path / "h.sqlite3"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {VERSION + 1}")
    db.close()
    before = path.read_bytes()
    with pytest.raises(InputError, match="newer posecheck"):
        History(path, lambda line: None).record(WHEN, "analyze", REPORT, ROWS, RESULTS)
    assert path.read_bytes() == before and list(tmp_path.glob("*.damaged-*")) == []


def test_filters_and_delete_all(tmp_path):
    history = History(tmp_path / "h.sqlite3")
    history.record(WHEN - timedelta(days=3), "analyze", REPORT, ROWS, RESULTS)
    squeeze = [Result("ball-squeeze", "both", "reps", 10, 10, None)]
    history.record(WHEN, "routine", REPORT, [], [*RESULTS, *squeeze])
    assert len(history.sessions()) == 2
    assert [s.command for s in history.sessions(exercise="ball-squeeze")] == ["routine"]
    assert [s.command for s in history.sessions(since=WHEN - timedelta(days=1))] == ["routine"]
    assert history.sessions(exercise="ball") == []  # a whole name, not a part
    assert history.last_totals("routine") == {"reps": 12}
    assert history.delete_all() == 2
    assert history.sessions() == [] and history.last_totals("routine") is None


def test_posecheck_home_sets_the_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("POSECHECK_HOME", str(tmp_path / "home"))
    assert default_path() == tmp_path / "home" / "history.sqlite3"
    monkeypatch.delenv("POSECHECK_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    if default_path().parent.parent == tmp_path / "data":  # Linux and other XDG systems
        assert default_path() == tmp_path / "data" / "posecheck" / "history.sqlite3"
