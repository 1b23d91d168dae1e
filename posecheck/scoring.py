"""Scoring a report against a label, as docs/labels.md describes.

- reps: exact count per side; absolute count error; off-by-one.
- rep faults: each report rep is matched to the label rep it overlaps most in
  time; precision and recall per fault name.  Holds' faults are matched the
  same way, hold to hold.  Faults the report says it could
  not judge in this view are left out (and listed).
- holds: total valid hold time per side, absolute error in seconds; and per
  label hold, "found" when the report's holds of that side overlapping it add
  up to its valid time within HOLD_TOLERANCE_S.
- detection: with_pose / total frames.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

Json = dict[str, object]
HOLD_TOLERANCE_S = 1.5


@dataclass
class FaultTally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: FaultTally) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


@dataclass
class ClipScore:
    clip: str
    exercise: str
    reps_report: dict[str, int] = field(default_factory=dict)
    reps_label: dict[str, int] = field(default_factory=dict)
    faults: dict[str, FaultTally] = field(default_factory=dict)
    not_judged: list[str] = field(default_factory=list)
    hold_error_s: dict[str, float] = field(default_factory=dict)
    detection: float = 0.0
    sets_exact: bool | None = None
    holds_total: int = 0
    holds_found: int = 0
    holds_false: int = 0  # report holds overlapping no label hold of their side
    expects_reps: bool = False  # a rep exercise: a label with no reps still makes one set (of 0)

    @property
    def sides(self) -> list[str]:
        return sorted(set(self.reps_report) | set(self.reps_label))

    @property
    def count_errors(self) -> dict[str, int]:
        """Per side |reported - labelled| reps; a rep exercise's clip with none on either side: {"none": 0}."""
        if not self.sides and self.expects_reps:
            return {"none": 0}
        return {s: abs(self.reps_report.get(s, 0) - self.reps_label.get(s, 0)) for s in self.sides}

    @property
    def reps_exact(self) -> bool:
        return all(e == 0 for e in self.count_errors.values())

    def to_json(self) -> Json:
        return {
            "clip": self.clip,
            "exercise": self.exercise,
            "reps_report": self.reps_report,
            "reps_label": self.reps_label,
            "reps_exact": self.reps_exact,
            "count_errors": self.count_errors,
            "sets_exact": self.sets_exact,
            "faults": {k: {"tp": v.tp, "fp": v.fp, "fn": v.fn} for k, v in self.faults.items()},
            "not_judged": self.not_judged,
            "hold_error_s": {k: round(v, 2) for k, v in self.hold_error_s.items()},
            "holds_found": f"{self.holds_found}/{self.holds_total}",
            "holds_false": self.holds_false,
            "detection": round(self.detection, 4),
        }


def _reps(doc: Json) -> list[Json]:
    return [r for r in doc.get("reps", []) or [] if isinstance(r, dict)]  # type: ignore[union-attr]


def _episodes(doc: Json) -> list[Json]:
    """A report's fault episodes as rep-like items, one fault each.

    Where a view lets a rule see a fault but not count reps (the ball squeeze
    from the side), the report lists `fault_episodes` instead: {fault,
    start_s, end_s}.  They are scored against the label's reps by time.
    """
    episodes = [e for e in doc.get("fault_episodes", []) or [] if isinstance(e, dict)]  # type: ignore[union-attr]
    return [{"start_s": e["start_s"], "end_s": e["end_s"], "faults": [e["fault"]]} for e in episodes]


def _per_side(items: list[Json]) -> dict[str, int]:
    return dict(Counter(str(i.get("side")) for i in items))


def _overlap(a: Json, b: Json) -> float:
    lo = max(float(a["start_s"]), float(b["start_s"]))  # type: ignore[arg-type]
    hi = min(float(a["end_s"]), float(b["end_s"]))  # type: ignore[arg-type]
    return max(0.0, hi - lo)


def match_reps(report: list[Json], label: list[Json]) -> list[tuple[Json | None, Json | None]]:
    """Pairs (report rep, label rep) by greatest time overlap, one-to-one; unmatched get None."""
    pairs: list[tuple[Json | None, Json | None]] = []
    used: set[int] = set()
    for r in report:
        best, best_overlap = None, 0.0
        for j, lab in enumerate(label):
            if j not in used and (o := _overlap(r, lab)) > best_overlap:
                best, best_overlap = j, o
        if best is None:
            pairs.append((r, None))
        else:
            used.add(best)
            pairs.append((r, label[best]))
    pairs += [(None, lab) for j, lab in enumerate(label) if j not in used]
    return pairs


def _valid_s(hold: Json) -> float:
    valid = hold.get("valid_s")
    return float(valid) if valid is not None else float(hold["end_s"]) - float(hold["start_s"])  # type: ignore[arg-type]


def _hold_seconds(holds: list[Json]) -> dict[str, float]:
    out: dict[str, float] = {}
    for h in holds:
        out[str(h["side"])] = out.get(str(h["side"]), 0.0) + _valid_s(h)
    return out


def holds_found(report: list[Json], label: list[Json], same_side: bool = True) -> int:
    """Label holds whose overlapping report holds (of the same side) add up to its valid time within tolerance."""
    found = 0
    for lab in label:
        pieces = [h for h in report if _overlap(h, lab) > 0 and (not same_side or h.get("side") == lab.get("side"))]
        found += int(bool(pieces) and abs(sum(map(_valid_s, pieces)) - _valid_s(lab)) <= HOLD_TOLERANCE_S)
    return found


def false_holds(report: list[Json], label: list[Json]) -> int:
    return sum(1 for h in report if not any(_overlap(h, lab) > 0 and h.get("side") == lab.get("side") for lab in label))


def score(report: Json, label: Json, clip: str = "", kind: str | None = None) -> ClipScore:
    """kind: the exercise's ("reps" or "hold"), where known: a rep exercise's label without reps expects 0."""
    s = ClipScore(clip or str(label.get("video", "")), str(label.get("exercise", "")))
    s.expects_reps = kind == "reps"
    r_reps, l_reps = _reps(report), _reps(label)
    s.reps_report, s.reps_label = _per_side(r_reps), _per_side(l_reps)
    judged = report.get("faults_judged") or {}
    s.not_judged = sorted(k for k, v in judged.items() if v is False)  # type: ignore[union-attr]
    l_holds = [h for h in label.get("holds", []) or [] if isinstance(h, dict)]  # type: ignore[union-attr]
    r_holds = [h for h in report.get("holds", []) or [] if isinstance(h, dict)]  # type: ignore[union-attr]
    r_faulted = r_reps if r_reps or report.get("reps_judged") is not False else _episodes(report)
    items = r_faulted + l_reps + r_holds + l_holds
    names = {f for r in items for f in r.get("faults", [])} - set(s.not_judged)  # type: ignore[union-attr]
    names.discard("not_visible")
    s.faults = {name: FaultTally() for name in sorted(names)}
    # reps, and holds alike: a fault counts on the item it was matched to by time overlap
    for r, lab in match_reps(r_faulted, l_reps) + match_reps(r_holds, l_holds):
        got = set(r.get("faults", [])) if r else set()  # type: ignore[arg-type]
        want = set(lab.get("faults", [])) if lab else set()  # type: ignore[arg-type]
        for name, tally in s.faults.items():
            tally.tp += int(name in got and name in want)
            tally.fp += int(name in got and name not in want)
            tally.fn += int(name in want and name not in got)
    if l_holds or r_holds:
        want_h, got_h = _hold_seconds(l_holds), _hold_seconds(r_holds)
        s.hold_error_s = {side: abs(got_h.get(side, 0.0) - want_h.get(side, 0.0)) for side in set(want_h) | set(got_h)}
        s.holds_total, s.holds_found = len(l_holds), holds_found(r_holds, l_holds)
        s.holds_false = false_holds(r_holds, l_holds)
    l_sets = [(x.get("side"), x.get("reps")) for x in label.get("sets", []) or []]  # type: ignore[union-attr]
    r_sets = [(x.get("side"), x.get("reps")) for x in report.get("sets", []) or []]  # type: ignore[union-attr]
    if l_sets:
        s.sets_exact = l_sets == r_sets
    frames = report.get("frames") or {}
    total = int(frames.get("total", 0))  # type: ignore[union-attr]
    s.detection = int(frames.get("with_pose", 0)) / total if total else 0.0  # type: ignore[union-attr]
    return s


@dataclass
class Totals:
    clips: int = 0
    sides: int = 0
    sides_exact: int = 0
    abs_error_sum: int = 0
    off_by_one: int = 0
    faults: dict[str, FaultTally] = field(default_factory=dict)
    hold_errors: list[float] = field(default_factory=list)
    holds: int = 0
    holds_found: int = 0
    holds_false: int = 0

    def add(self, s: ClipScore) -> None:
        self.clips += 1
        for err in s.count_errors.values():
            self.sides += 1
            self.sides_exact += int(err == 0)
            self.abs_error_sum += err
            self.off_by_one += int(err == 1)
        for name, tally in s.faults.items():
            self.faults.setdefault(name, FaultTally()).add(tally)
        self.hold_errors += list(s.hold_error_s.values())
        self.holds += s.holds_total
        self.holds_found += s.holds_found
        self.holds_false += s.holds_false

    @property
    def within_one(self) -> int:
        return self.sides_exact + self.off_by_one

    def all_faults(self) -> FaultTally:
        """Every fault name's tally added up (micro-averaged precision and recall)."""
        out = FaultTally()
        for tally in self.faults.values():
            out.add(tally)
        return out

    def to_json(self) -> Json:
        return {
            "clips": self.clips,
            "sides_exact": f"{self.sides_exact}/{self.sides}",
            "sides_within_1": f"{self.within_one}/{self.sides}",
            "holds_found": f"{self.holds_found}/{self.holds}",
            "holds_false": self.holds_false,
            "mean_abs_count_error": round(self.abs_error_sum / self.sides, 3) if self.sides else None,
            "off_by_one_rate": round(self.off_by_one / self.sides, 3) if self.sides else None,
            "faults": {
                k: {"precision": v.precision, "recall": v.recall, "tp": v.tp, "fp": v.fp, "fn": v.fn}
                for k, v in sorted(self.faults.items())
            },
            "max_hold_error_s": round(max(self.hold_errors), 2) if self.hold_errors else None,
        }
