"""Collects events into the report (its format: docs/labels.md) and writes it."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections import Counter
from pathlib import Path

from . import interrupt
from .errors import InputError
from .events import Cue, Event, HoldEvent, RepEvent, Say, SetEvent, SideEvent, Uncounted

SCHEMA = 1


class ReportBuilder:
    """A sink that keeps every event worth reporting; build() makes the JSON dict."""

    def __init__(self, exercise: str, video: str, fps: float) -> None:
        self.exercise = exercise
        self.video = video
        self.fps = fps
        self.reps: list[dict[str, object]] = []
        self.holds: list[dict[str, object]] = []
        self.sets: list[dict[str, object]] = []
        self.cues: list[dict[str, object]] = []
        self.sides: list[dict[str, object]] = []
        self.uncounted: list[dict[str, object]] = []
        self.frames_total = 0
        self.frames_with_pose = 0
        self.frames_modelled: int | None = None  # frames the pose model ran on (set by the session; None: not known)
        self.duration_s = 0.0
        self.extras: dict[str, object] = {}
        self.errors: list[str] = []
        self.interrupted = False  # stopped by a signal: what is here is what was analysed before it

    def on_frame(self, t: float, has_pose: bool, events: list[Event]) -> None:
        self.frames_total += 1
        self.frames_with_pose += int(has_pose)
        self.duration_s = max(self.duration_s, t)
        self.on_events(events)

    def on_events(self, events: list[Event]) -> None:
        for event in events:
            if isinstance(event, RepEvent):
                self.reps.append(event.rep.to_json())
            elif isinstance(event, HoldEvent):
                self.holds.append(event.hold.to_json())
            elif isinstance(event, SetEvent):
                self.sets.append({"side": event.side, "reps": event.reps, "t_s": round(event.t, 3)})
            elif isinstance(event, Cue):
                self.cues.append(
                    {"t_s": round(event.t, 3), "text": event.text, "fault": event.fault, "kind": event.kind}
                )
            elif isinstance(event, Say):
                self.cues.append({"t_s": round(event.t, 3), "text": event.text, "fault": None, "kind": "info"})
            elif isinstance(event, SideEvent):
                self.sides.append({"t_s": round(event.t, 3), "side": event.side})
            elif isinstance(event, Uncounted):
                self.uncounted.append(event.to_json())

    def summary(self) -> dict[str, object]:
        """Per side: reps or holds done, and the most frequent fault."""
        out: dict[str, dict[str, object]] = {}
        for item, key in [(r, "reps") for r in self.reps] + [(h, "holds") for h in self.holds]:
            side = str(item["side"])
            entry = out.setdefault(side, {"reps": 0, "holds": 0, "faults": Counter()})
            entry[key] = int(entry[key]) + 1  # type: ignore[call-overload]
            entry["faults"].update(item["faults"])  # type: ignore[union-attr]
        return {
            side: {
                "reps": e["reps"],
                "holds": e["holds"],
                "most_frequent_fault": (e["faults"].most_common(1)[0][0] if e["faults"] else None),  # type: ignore[union-attr]
            }
            for side, e in out.items()
        }

    def _frames(self) -> dict[str, int]:
        frames = {"total": self.frames_total, "with_pose": self.frames_with_pose}
        if self.frames_modelled is not None:
            frames["model"] = self.frames_modelled
        return frames

    def build(self) -> dict[str, object]:
        report: dict[str, object] = {
            "schema": SCHEMA,
            "video": self.video,
            "exercise": self.exercise,
            "fps": round(self.fps, 3),
            "duration_s": round(self.duration_s + (1.0 / self.fps if self.fps else 0.0), 3),
            "reps": self.reps,
            "holds": self.holds,
            "sets": self.sets,
            "cues": self.cues,
            "frames": self._frames(),
            "sides": self.sides,
            "uncounted": self.uncounted,
            "summary": self.summary(),
        }
        report.update(self.extras)
        if self.interrupted:
            report["interrupted"] = True
        if self.errors:
            report["errors"] = self.errors
        return report


def check_writable(path: Path) -> None:
    """Fail early, before any analysis, if the output cannot be written."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise InputError(f"cannot write {path}: it is a folder")
    if not folder.is_dir():
        raise InputError(f"cannot write {path}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise InputError(f"cannot write {path}: folder {folder} is not writable")


def current_umask() -> int:
    """The process's umask, read without changing it where Linux tells it (/proc), else set and put back."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_json(path: Path, data: dict[str, object]) -> None:
    """The report as JSON, written atomically (write_atomic)."""
    write_atomic(path, json.dumps(data, indent=2) + "\n")


def write_atomic(path: Path, text: str) -> None:
    """Write atomically (a temp file renamed into place), readable as the user's umask says.

    mkstemp makes its file 0600 whatever the umask; it gets 0666 & ~umask
    before the rename, as open() would have given.  A stop signal meanwhile
    waits until the file is in place (interrupt.deferred).
    """
    folder = path.parent if str(path.parent) else Path(".")
    tmp: str | None = None
    with interrupt.deferred():
        try:
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.chmod(tmp, 0o666 & ~current_umask())
            os.replace(tmp, path)
        except OSError as error:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            raise InputError(f"cannot write {path}: {error.strerror}") from None
