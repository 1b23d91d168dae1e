"""What analyze, live and routine write besides the JSON report: the HTML report, the CSV and the history entry.

Outputs.check() fails early (before any analysis) on a path that cannot be written; Outputs.write() runs after
the session, on whatever it analysed.  A history that cannot be written is a one-line warning, never a failure:
the session happened and its other outputs stand.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .errors import PosecheckError
from .history import History
from .html_report import exercises_of, render_report
from .report import check_writable, write_atomic
from .rows import Result, csv_text, results_of, rows_of
from .timeline import Timeline

Warn = Callable[[str], None]


def _stderr(line: str) -> None:
    print(f"posecheck: {line}", file=sys.stderr)


@dataclass
class Outputs:
    html: Path | None = None
    csv: Path | None = None
    history: bool = True
    history_path: Path | None = None  # None: history.default_path()
    warn: Warn = _stderr
    started: datetime = field(default_factory=datetime.now)
    written: list[Path] = field(default_factory=list)

    def check(self) -> None:
        for path in (self.html, self.csv):
            if path is not None:
                check_writable(path)

    def timeline(self) -> Timeline:
        """The recorder to wrap the session's frame hook with: pictures only when the HTML report shows them."""
        return Timeline(thumbs=self.html is not None)

    def store(self) -> History | None:
        return History(self.history_path, self.warn) if self.history else None

    def write(self, report: dict[str, object], timeline: Timeline | None, command: str) -> list[Result]:
        """The HTML, the CSV and the history entry for one finished session; its results per exercise and side."""
        if timeline is not None:
            timeline.close(report)
        rows = rows_of(report, timeline)
        results = results_of(report, rows, timeline, exercises_of(report, timeline, rows))
        if self.html is not None:
            write_atomic(self.html, render_report(report, timeline, self.started))
            self.written.append(self.html)
        if self.csv is not None:
            stamp = self.started.isoformat(timespec="seconds")
            write_atomic(self.csv, csv_text([(stamp, stamp[:10], row) for row in rows]))
            self.written.append(self.csv)
        store = self.store()
        if store is not None and results and not _empty(report):  # an exercise recognised, a person seen
            try:
                store.record(self.started, command, report, rows, results)
            except (PosecheckError, sqlite3.Error, OSError) as error:  # a full disk, a locked or unreadable file
                self.warn(f"not kept in the history: {error}")
        return results


def add_arguments(p: argparse.ArgumentParser) -> None:
    """--html, --csv and --no-history, for analyze, live and routine."""
    p.add_argument("--html", type=Path, dest="html_path", help="write the HTML report (plots, table, pictures) here")
    p.add_argument("--csv", type=Path, dest="csv_path", help="write one row per rep or hold here")
    p.add_argument("--no-history", action="store_true", help="do not keep this session in the history")


def from_arguments(args: argparse.Namespace) -> Outputs:
    return Outputs(args.html_path, args.csv_path, history=not args.no_history)


def _empty(report: dict[str, object]) -> bool:
    """Nothing seen at all (nobody in view, stopped at once): not worth a line in the history."""
    frames = report.get("frames")
    return not isinstance(frames, dict) or not frames.get("with_pose")


__all__ = ["Outputs", "add_arguments", "from_arguments"]
