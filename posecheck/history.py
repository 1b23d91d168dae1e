"""The session history: every analyze, live and routine run's summary and per-rep/hold rows, in SQLite in the
user's data folder (POSECHECK_HOME overrides it).  Never video or landmarks.

- The schema is versioned (PRAGMA user_version) and upgraded in place by MIGRATIONS, in order.
- WAL mode and a busy timeout: two sessions writing at once both land.
- A file SQLite cannot read is moved aside (never deleted) with a one-line warning, and a fresh one started.
- A file from a newer posecheck is left alone: nothing is written to it.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .errors import InputError
from .rows import Result, Row

FILENAME = "history.sqlite3"
BUSY_MS = 10_000  # a writer waits this long for another one to finish
Warn = Callable[[str], None]


def _script(db: sqlite3.Connection, sql: str) -> None:
    """Statements one by one inside the caller's transaction (executescript would commit it first)."""
    for statement in sql.split(";"):
        if statement.strip():
            db.execute(statement)


def _v1(db: sqlite3.Connection) -> None:
    _script(
        db,
        """
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, command TEXT NOT NULL, source TEXT NOT NULL,
            exercises TEXT NOT NULL);
        CREATE TABLE items (
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, exercise TEXT NOT NULL,
            side TEXT NOT NULL, kind TEXT NOT NULL, number INTEGER NOT NULL, start_s REAL, end_s REAL, value REAL,
            held_s REAL, faults TEXT NOT NULL DEFAULT '');
        CREATE INDEX items_session ON items(session_id);
    """,
    )


def _v2(db: sqlite3.Connection) -> None:
    """Sets, whether a hold reached its target, the session's length, and per side the count against its target."""
    _script(
        db,
        """
        ALTER TABLE sessions ADD COLUMN duration_s REAL;
        ALTER TABLE sessions ADD COLUMN interrupted INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE items ADD COLUMN set_no INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE items ADD COLUMN complete INTEGER;
        CREATE TABLE results (
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, exercise TEXT NOT NULL,
            side TEXT NOT NULL, kind TEXT NOT NULL, done INTEGER NOT NULL, target INTEGER, top_fault TEXT);
        CREATE INDEX results_session ON results(session_id);
    """,
    )
    # sessions kept by v1: their counts from their rows (no target was kept then)
    old = db.execute("SELECT session_id, exercise, side, kind, faults FROM items ORDER BY session_id").fetchall()
    tally: dict[tuple[int, str, str], tuple[str, int, dict[str, int]]] = {}
    for session_id, exercise, side, kind, faults in old:
        plural, done, counts = tally.get((session_id, exercise, side), (f"{kind}s", 0, {}))
        for fault in faults.split():
            counts[fault] = counts.get(fault, 0) + 1
        tally[(session_id, exercise, side)] = (plural, done + 1, counts)
    db.executemany(
        "INSERT INTO results VALUES (?, ?, ?, ?, ?, NULL, ?)",
        [(s, e, side, kind, done, max(c, key=c.__getitem__) if c else None)
         for (s, e, side), (kind, done, c) in tally.items()],
    )  # fmt: skip


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1, _v2]
VERSION = len(MIGRATIONS)


def home() -> Path:
    """Where posecheck keeps its history: POSECHECK_HOME, else the platform's user data folder."""
    if env := os.environ.get("POSECHECK_HOME"):
        return Path(env).expanduser()
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming") / "posecheck"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "posecheck"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "posecheck"


def default_path() -> Path:
    return home() / FILENAME


@dataclass(frozen=True)
class Session:
    id: int
    started_at: datetime
    command: str
    source: str
    exercises: tuple[str, ...]
    duration_s: float | None
    interrupted: bool


class History:
    """One history file.  Each call opens its own connection: short, and safe beside other processes."""

    def __init__(self, path: Path | None = None, warn: Warn | None = None) -> None:
        self.path = path or default_path()
        self.warn = warn or (lambda line: print(f"posecheck: {line}", file=sys.stderr))

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A connection to an up-to-date file (made, upgraded, or started afresh if it was damaged)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)  # made for this person's eyes only
        except OSError as error:
            raise InputError(f"cannot make the history folder {self.path.parent}: {error.strerror}") from None
        try:
            db = self._open_waiting()
        except NewerSchema as error:
            raise InputError(str(error)) from None
        except sqlite3.OperationalError as error:  # busy, locked, not readable: the file itself may be fine
            raise InputError(f"cannot use the history {self.path}: {error}") from None
        except sqlite3.DatabaseError as error:  # not a database, or a malformed one
            self._move_aside(error)
            db = self._open_waiting()
        with closing(db):
            yield db

    def _open_waiting(self) -> sqlite3.Connection:
        """_open(), tried again while another process holds the file: switching a new file to WAL mode can
        answer "locked" at once, without waiting out the busy timeout."""
        deadline = time.monotonic() + BUSY_MS / 1000
        while True:
            try:
                return self._open()
            except sqlite3.OperationalError as error:
                busy = "locked" in str(error) or "busy" in str(error)
                if not busy or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=BUSY_MS / 1000, isolation_level=None)
        try:
            db.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
            version = int(db.execute("PRAGMA user_version").fetchone()[0])
            if version > VERSION:  # before anything changes the file (WAL mode marks its header)
                raise NewerSchema(f"{self.path} was written by a newer posecheck (schema {version} > {VERSION})")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA foreign_keys = ON")
            if version < VERSION:
                self._migrate(db)
            db.execute("SELECT count(*) FROM sessions").fetchone()  # a damaged page shows here, not at connect
        except BaseException:
            db.close()
            raise
        return db

    def _migrate(self, db: sqlite3.Connection) -> None:
        db.execute("BEGIN IMMEDIATE")  # one process upgrades; another waits, then finds it done
        try:
            version = int(db.execute("PRAGMA user_version").fetchone()[0])
            for number in range(version, VERSION):
                MIGRATIONS[number](db)
                db.execute(f"PRAGMA user_version = {number + 1}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _move_aside(self, error: sqlite3.DatabaseError) -> None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        try:
            os.replace(self.path, aside)
            for suffix in ("-wal", "-shm"):
                extra = self.path.with_name(self.path.name + suffix)
                if extra.exists():
                    os.replace(extra, aside.with_name(aside.name + suffix))
        except OSError as move_error:
            raise InputError(f"the history {self.path} is damaged ({error}) and cannot be moved aside: "
                             f"{move_error.strerror}") from None  # fmt: skip
        self.warn(f"the history {self.path} was damaged ({error}): moved to {aside.name}; starting a new one")

    # --- writing ---------------------------------------------------------------
    def record(
        self, when: datetime, command: str, report: dict[str, object], rows: list[Row], results: list[Result]
    ) -> int:
        """One session; its id."""
        exercises = ",".join(dict.fromkeys(r.exercise for r in results))
        with self.connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                cursor = db.execute(
                    "INSERT INTO sessions (started_at, command, source, exercises, duration_s, interrupted) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (when.isoformat(timespec="seconds"), command, str(report.get("video", "")), exercises,
                     report.get("duration_s"), int(bool(report.get("interrupted")))),
                )  # fmt: skip
                session = int(cursor.lastrowid or 0)
                db.executemany(
                    "INSERT INTO items (session_id, exercise, side, kind, number, start_s, end_s, value, held_s, "
                    "faults, set_no, complete) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(session, r.exercise, r.side, r.kind, r.number, r.start_s, r.end_s, r.value, r.held_s,
                      " ".join(r.faults), r.set, None if r.complete is None else int(r.complete)) for r in rows],
                )  # fmt: skip
                db.executemany(
                    "INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(session, r.exercise, r.side, r.kind, r.done, r.target, r.top_fault) for r in results],
                )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return session

    def delete_all(self) -> int:
        """Every session gone; how many there were."""
        with self.connect() as db:
            db.execute("BEGIN IMMEDIATE")
            n = int(db.execute("SELECT count(*) FROM sessions").fetchone()[0])
            db.execute("DELETE FROM sessions")  # items and results follow (ON DELETE CASCADE)
            db.execute("COMMIT")
            db.execute("VACUUM")
        return n

    # --- reading ---------------------------------------------------------------
    def sessions(self, exercise: str | None = None, since: datetime | None = None) -> list[Session]:
        query = "SELECT id, started_at, command, source, exercises, duration_s, interrupted FROM sessions"
        where, args = _filters(exercise, since, "exercises")
        with self.connect() as db:
            found = db.execute(f"{query}{where} ORDER BY started_at, id", args).fetchall()
        return [
            Session(i, datetime.fromisoformat(at), cmd, src, tuple(e for e in ex.split(",") if e), dur, bool(stop))
            for i, at, cmd, src, ex, dur, stop in found
        ]

    def results(self, session_ids: list[int]) -> dict[int, list[Result]]:
        out: dict[int, list[Result]] = {i: [] for i in session_ids}
        with self.connect() as db:
            for sid, *fields in db.execute(
                "SELECT session_id, exercise, side, kind, done, target, top_fault FROM results ORDER BY rowid"
            ):
                if sid in out:
                    out[sid].append(Result(*fields))
        return out

    def rows(self, session_ids: list[int]) -> dict[int, list[Row]]:
        out: dict[int, list[Row]] = {i: [] for i in session_ids}
        with self.connect() as db:
            for sid, ex, side, set_no, kind, n, start, end, value, held, complete, faults in db.execute(
                "SELECT session_id, exercise, side, set_no, kind, number, start_s, end_s, value, held_s, complete, "
                "faults FROM items ORDER BY session_id, start_s"
            ):
                if sid in out:
                    done = None if complete is None else bool(complete)
                    out[sid].append(Row(ex, side, set_no, kind, n, start, end, value, held, done,
                                        tuple(faults.split()), {}))  # fmt: skip
        return out

    def last_totals(self, command: str) -> dict[str, int] | None:
        """The last session of this command: reps and holds done in all ("reps" -> n, "holds" -> n); None if none."""
        with self.connect() as db:
            last = db.execute("SELECT max(id) FROM sessions WHERE command = ?", (command,)).fetchone()[0]
            if last is None:
                return None
            found = db.execute("SELECT kind, sum(done) FROM results WHERE session_id = ? GROUP BY kind", (last,))
            return {str(kind): int(n) for kind, n in found}


class NewerSchema(sqlite3.DatabaseError):
    """The file is newer than this posecheck: read nothing wrong into it, write nothing to it."""


def _filters(exercise: str | None, since: datetime | None, column: str) -> tuple[str, list[object]]:
    clauses: list[str] = []
    args: list[object] = []
    if exercise is not None:
        clauses.append(f"(',' || {column} || ',') LIKE ?")
        args.append(f"%,{exercise},%")
    if since is not None:
        clauses.append("started_at >= ?")
        args.append(since.isoformat(timespec="seconds"))
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), args


__all__ = ["FILENAME", "MIGRATIONS", "VERSION", "History", "NewerSchema", "Session", "default_path", "home"]
