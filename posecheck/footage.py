"""Real footage: the expectations in benchmarks/footage/*.json checked against the clips and photos they name.

The footage itself is third-party and never in the repository: the team keeps
it in ../shared/footage (MANIFEST.tsv says what each file shows).  Each label
says what must happen in its `expect` block (docs/evaluation.md):

- {"scored_as": EXERCISE, "side_sure": bool, "faults": [...]}: the clip shows
  EXERCISE; analysed as it, the reps per side must be the label's exactly, and
  every label hold must be found (|time error| <= 1.5 s; the side only counts
  when side_sure), and each fault listed must be flagged somewhere;
- {"nothing_for": [EXERCISE, ...]}: analysed as each of these, no rep and no
  hold may be counted (a distractor, or an unrelated movement or photo).

MediaPipe runs once per file; its landmarks are cached (CACHE/FILE_NAME.npz).
The peer is checked on the same expectations where it applies (reps).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from . import peer
from .errors import InputError, PosecheckError, RunInterrupted
from .evaluate import Item, recording_of
from .registry import get_exercise
from .replay import Recording, poses, replay
from .scoring import holds_found, match_reps

Json = dict[str, object]
REPO = Path(__file__).resolve().parent.parent
LABELS = REPO / "benchmarks" / "footage"


def default_footage() -> Path | None:
    """../shared/footage beside the checkout (or beside the folder holding its worktrees), when there is one."""
    for parent in (REPO.parent, REPO.parent.parent):
        if (parent / "shared" / "footage").is_dir() and LABELS.is_dir():
            return parent / "shared" / "footage"
    return None


@dataclass
class Check:
    clip: str
    tool: str  # "posecheck" or "peer"
    what: str
    outcome: str
    passed: bool | None  # None: not applicable to this tool

    def line(self) -> str:
        verdict = "n/a" if self.passed is None else "PASS" if self.passed else "FAIL"
        return f"{self.clip[:44]:44s} {self.tool:9s} {self.what}: {self.outcome} — {verdict}"

    def to_json(self) -> Json:
        return {"clip": self.clip, "tool": self.tool, "what": self.what, "outcome": self.outcome, "pass": self.passed}


def read_labels(folder: Path = LABELS) -> list[Json]:
    if not folder.is_dir():
        raise InputError(f"no footage labels: {folder} is missing (they live in a posecheck checkout)")
    labels = []
    for path in sorted(folder.glob("*.json")):
        try:
            label = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise InputError(f"cannot read footage label {path}: {error}") from None
        if not isinstance(label, dict) or not isinstance(label.get("expect"), dict) or "video" not in label:
            raise InputError(f"footage label {path} has no 'video' or no 'expect' block")
        labels.append(label)
    return labels


def _per_side(items: list[Json]) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in items:
        out[str(item.get("side"))] = out.get(str(item.get("side")), 0) + 1
    return out


def _counted(report: Json) -> str:
    reps = list(report.get("reps") or [])  # type: ignore[call-overload]
    holds = list(report.get("holds") or [])  # type: ignore[call-overload]
    parts = []
    if reps:
        parts.append(", ".join(f"{n} {side}" for side, n in _per_side(reps).items()) + " rep(s)")
    if holds:
        seconds = sum(float(h.get("valid_s", 0.0)) for h in holds)
        parts.append(f"{len(holds)} hold(s), {seconds:.1f} s")
    return "; ".join(parts) or "nothing"


def _flagged(report: Json, fault: str) -> bool:
    items = list(report.get("reps") or []) + list(report.get("holds") or []) + list(report.get("fault_episodes") or [])  # type: ignore[call-overload]
    if any(fault in (i.get("faults") or []) or i.get("fault") == fault for i in items):
        return True
    return any(c.get("fault") == fault for c in report.get("cues") or [])  # type: ignore[union-attr]


def _count_check(clip: str, tool: str, exercise: str, report: Json, label: Json) -> Check:
    got, want = _per_side(list(report.get("reps") or [])), _per_side(list(label.get("reps") or []))  # type: ignore[call-overload]
    total_got, total_want = sum(got.values()), sum(want.values())
    sides = ", ".join(f"{s} {n}" for s, n in sorted(got.items())) if got else ""
    outcome = f"counted {total_got} of {total_want}" + (f" ({sides})" if sides and set(got) != set(want) else "")
    if total_want:  # not part of the verdict: how many label reps a counted rep overlaps (times read by eye)
        pairs = match_reps(list(report.get("reps") or []), list(label.get("reps") or []))  # type: ignore[call-overload]
        outcome += f", {sum(1 for r, lab in pairs if r is not None and lab is not None)} overlap a labelled rep"
    return Check(clip, tool, f"{exercise} reps", outcome, got == want)


def _hold_check(clip: str, exercise: str, report: Json, label: Json, same_side: bool) -> Check:
    want = [h for h in label.get("holds") or [] if isinstance(h, dict)]  # type: ignore[union-attr]
    got = [h for h in report.get("holds") or [] if isinstance(h, dict)]  # type: ignore[union-attr]
    found = holds_found(got, want, same_side)
    outcome = f"found {found} of {len(want)} (|time error| <= 1.5 s); reported {_counted(report)}"
    return Check(clip, "posecheck", f"{exercise} holds", outcome, found == len(want))


def check_label(label: Json, data: Recording) -> list[Check]:
    clip, expect = str(label["video"]), label["expect"]
    fps = float(data["fps"])
    checks: list[Check] = []
    exercise = expect.get("scored_as")  # type: ignore[union-attr]
    if isinstance(exercise, str):
        report = _replayed(data, exercise, clip)
        if get_exercise(exercise).kind == "reps":
            checks.append(_count_check(clip, "posecheck", exercise, report, label))
            checks.append(_count_check(clip, "peer", exercise, peer.count(poses(data), exercise, fps), label))
        else:
            checks.append(_hold_check(clip, exercise, report, label, bool(expect.get("side_sure", True))))  # type: ignore[union-attr]
            checks.append(Check(clip, "peer", f"{exercise} holds", "not applicable (reps only)", None))
        for fault in expect.get("faults") or []:  # type: ignore[union-attr]
            checks.append(Check(clip, "posecheck", f"{fault} flagged", "yes" if _flagged(report, fault) else "no",
                                _flagged(report, fault)))  # fmt: skip
    for other in expect.get("nothing_for") or []:  # type: ignore[union-attr]
        report = _replayed(data, other, clip)
        nothing = not report["reps"] and not report["holds"]
        checks.append(Check(clip, "posecheck", f"as {other}", _counted(report), nothing))
        if peer.applicable(other):
            counted = peer.count(poses(data), other, fps)
            checks.append(Check(clip, "peer", f"as {other}", _counted(counted), not counted["reps"]))
    return checks


def _replayed(data: Recording, exercise: str, clip: str) -> Json:
    result = replay(data, exercise, clip)
    if result.interrupted is not None:
        raise RunInterrupted("interrupted: not checked")
    if result.error is not None and not result.report.frames_total:
        raise result.error
    return result.report.build()  # "no person found" still scores: nothing was counted


def check_footage(folder: Path, cache: Path | None, labels: Path = LABELS) -> tuple[list[Check], dict[str, str]]:
    """Every footage label's checks, and the files that could not be checked (name -> why)."""
    if not folder.is_dir():
        raise InputError(f"not a folder: {folder}")
    checks: list[Check] = []
    failures: dict[str, str] = {}
    for label in read_labels(labels):
        media = folder / str(label["video"])
        if not media.is_file():
            failures[str(label["video"])] = f"not in {folder}"
            continue
        try:
            data, _ = recording_of(Item(media.stem, label, video=media), cache)
            checks += check_label(label, data)
        except KeyboardInterrupt:  # a stop signal while MediaPipe records the file
            failures[str(label["video"])] = "interrupted: not checked"
            break
        except PosecheckError as error:
            failures[str(label["video"])] = str(error)
            if isinstance(error, RunInterrupted):
                break
    return checks, failures


def format_checks(checks: list[Check], failures: dict[str, str]) -> str:
    lines = ["real footage (benchmarks/footage): one line per expectation"]
    lines += [c.line() for c in checks]
    lines += [f"{clip[:44]:44s} NOT CHECKED: {why}" for clip, why in failures.items()]
    for tool in ("posecheck", "peer"):
        mine = [c for c in checks if c.tool == tool and c.passed is not None]
        lines.append(f"{tool}: {sum(bool(c.passed) for c in mine)} of {len(mine)} expectations pass")
    # the like-for-like part: the expectations both tools face (reps; the peer has no holds and judges no fault)
    faced = {(c.clip, c.what) for c in checks if c.tool == "peer" and c.passed is not None}
    for tool in ("posecheck", "peer"):
        both = [c for c in checks if c.tool == tool and (c.clip, c.what) in faced]
        passed = sum(bool(c.passed) for c in both)
        lines.append(f"  on the {len(both)} rep expectations both face: {tool} {passed} pass")
    return "\n".join(lines)
