"""`posecheck history`: the table of past sessions, their rows as CSV, the trend page, and deleting it all."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from .errors import ConfigError, InputError
from .history import History, Session
from .report import check_writable, write_atomic
from .rows import Result, csv_text
from .trends import render_trends, summary_lines


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Adds `history` to the CLI's subparsers (argparse's _SubParsersAction)."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "history", help="past sessions: a table, their reps and holds as CSV, trend plots (kept on this computer)"
    )
    p.add_argument("--exercise", "-e", default=None, help="only sessions with this exercise")
    p.add_argument("--since", default=None, help="only sessions from this date on (YYYY-MM-DD)")
    p.add_argument("--csv", type=Path, dest="csv_path", help="write every listed session's reps and holds here")
    p.add_argument("--html", type=Path, dest="html_path", help="write trend plots per exercise and side here")
    p.add_argument("--delete-all", action="store_true", help="delete the whole history (asks first)")
    p.add_argument("--yes", action="store_true", help="with --delete-all: do not ask")
    return p


def since_date(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(f"--since wants a date like 2026-01-31, not {text!r}") from None


def run(args: argparse.Namespace) -> int:
    history = History()
    if args.delete_all:
        return _delete_all(history, args.yes)
    if args.exercise is not None:
        from .registry import get_exercise

        get_exercise(args.exercise)  # an unknown name fails with the known ones
    for path in (args.csv_path, args.html_path):
        if path is not None:
            check_writable(path)
    if not history.path.exists():
        print(f"no history yet ({history.path}): sessions are kept there from the next analyze, live or routine")
        sessions: list[Session] = []
    else:
        sessions = history.sessions(args.exercise, since_date(args.since))
    ids = [s.id for s in sessions]
    results = history.results(ids) if ids else {}
    if not args.csv_path and not args.html_path:
        _print_table(sessions, results, history.path)
    if args.csv_path is not None:
        rows = history.rows(ids) if ids else {}
        triples = [(str(s.id), f"{s.started_at:%Y-%m-%d %H:%M}", row) for s in sessions for row in rows.get(s.id, [])]
        write_atomic(args.csv_path, csv_text(triples))
        print(f"wrote {args.csv_path} ({len(triples)} reps and holds from {len(sessions)} sessions)")
    if args.html_path is not None:
        rows = history.rows(ids) if ids else {}
        write_atomic(args.html_path, render_trends(sessions, results, rows, datetime.now(), args.exercise))
        print(f"wrote {args.html_path}")
    return 0


def _print_table(sessions: list[Session], results: dict[int, list[Result]], path: Path) -> None:
    if not sessions:
        if path.exists():
            print("no sessions match")
        return
    print(f"{'date':16s}  {'exercise':13s}  {'done':32s}  most frequent fault")
    for s in sessions:
        note = " (stopped early)" if s.interrupted else ""
        for exercise, done, fault in summary_lines(results.get(s.id, [])):
            print(f"{s.started_at:%Y-%m-%d %H:%M}  {exercise:13s}  {done:32s}  {fault}{note}")


def _delete_all(history: History, yes: bool) -> int:
    if not history.path.exists():
        print(f"no history to delete ({history.path})")
        return 0
    count = len(history.sessions())
    if not yes:
        if not sys.stdin.isatty():
            raise InputError("--delete-all asks for confirmation: run it in a terminal, or add --yes")
        try:
            answer = input(f"Delete all {count} sessions in {history.path}? This cannot be undone. Type yes: ")
        except EOFError:
            answer = ""
        if answer.strip().lower() != "yes":
            print("nothing deleted")
            return 1
    deleted = history.delete_all()
    print(f"deleted {deleted} sessions")
    return 0


__all__ = ["add_parser", "run", "since_date"]
