"""Scores by factor bucket: where on a benchmark the rules (and the peer) win or lose.

A benchmark label carries `"bench": {"index", "split", "factors": {name: value}}`.
Per exercise (a factor such as amplitude or tempo_s means another thing for
each) and per factor: numeric values are cut into 3 bins of about equal size
by value (fewer when there are fewer distinct values); anything else is
bucketed by its value; a list (faults) puts the clip in one bucket per
distinct item, up to any "@" (faults are written NAME@REP), "none" when
empty.  Factors with one value over an exercise's clips, dict values, seeds
(*_seed), the generator's bookkeeping (SKIP) and a factor with another's
values (to 3 digits) on every clip (drawn_body_frac and body_frac) are left
out.  The first
rows, factor "(all)", are each exercise's clips together; the factors that mean
the same for every exercise (EVERY_EXERCISE: how well MediaPipe read the body,
whether the camera was in a coached view) get a row over all exercises,
"(any)".  Per bucket, for
posecheck and the peer: count sets (clip x side) exact and within 1, holds
found (|time error| <= 1.5 s) and false, and precision/recall of every fault
added up.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from .scoring import Totals

if TYPE_CHECKING:
    from .evaluate import ItemResult

Json = dict[str, object]
BINS = 3
# the generator's bookkeeping, not properties of a clip
SKIP = {"render_s", "record_s", "frames", "truth_problems", "camera_is", "index"}
# factors that mean the same for every exercise: also tallied over all exercises together (exercise "(any)")
EVERY_EXERCISE = ("landmarks", "views")


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _category(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return "+".join(_items(value)) or "none"
    return "none" if value is None else str(value)


def _items(values: list[object] | tuple[object, ...]) -> list[str]:
    """A list factor's distinct items, each up to an '@' (the generator writes faults as NAME@REP)."""
    return sorted({str(v).split("@")[0] for v in values})


def _keys(value: object, ranges: list[tuple[float, float]] | None) -> list[str]:
    """The buckets a clip falls in: one per distinct item of a list ("none" when empty), else one."""
    if isinstance(value, (list, tuple)):
        return _items(value) or ["none"]
    return [bucket_of(value, ranges)]


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.3g}"


def numeric_buckets(values: Sequence[float]) -> list[tuple[float, float]]:
    """Up to BINS (low, high) value ranges, about equally filled; equal values always share a bin."""
    ordered = sorted(values)
    bins: dict[int, list[float]] = {}
    for value in sorted(set(ordered)):
        below = sum(1 for v in ordered if v < value)  # values before this one: where in the order it starts
        bins.setdefault(min(BINS - 1, below * BINS // len(ordered)), []).append(value)
    return [(b[0], b[-1]) for _, b in sorted(bins.items())]


def bucket_of(value: object, ranges: list[tuple[float, float]] | None) -> str:
    if ranges is None or not _is_number(value):
        return _category(value)
    x = float(value)  # type: ignore[arg-type]
    for low, high in ranges:
        if low <= x <= high:
            return _fmt(low) if low == high else f"{_fmt(low)}..{_fmt(high)}"
    return _category(value)


def _useful(name: str, values: list[object]) -> bool:
    if name in SKIP or name.endswith("_seed") or any(isinstance(v, dict) for v in values):
        return False
    return len({_category(v) for v in values}) > 1


Table = dict[str, dict[str, dict[str, tuple[Totals, Totals]]]]  # factor -> exercise -> bucket -> (posecheck, peer)


def _add(row: dict[str, tuple[Totals, Totals]], key: str, r: ItemResult) -> None:
    mine, theirs = row.setdefault(key, (Totals(), Totals()))
    mine.add(r.score)
    if r.peer is not None:
        theirs.add(r.peer)


def buckets(items: Sequence[ItemResult], only: Collection[str] | None = None) -> Table:
    """The scores of the items with a bench block, by factor (all useful ones, or `only` these), exercise, bucket."""
    bench = [r for r in items if r.item.bench.get("factors")]
    out: Table = {"(all)": {}}
    by_exercise: dict[str, list[ItemResult]] = {}
    for r in bench:
        by_exercise.setdefault(r.score.exercise, []).append(r)
    for exercise, group in sorted(by_exercise.items()):
        for r in group:
            _add(out["(all)"].setdefault(exercise, {}), "all", r)
        values: dict[str, list[object]] = {}
        for r in group:
            for name, value in r.item.bench["factors"].items():  # type: ignore[union-attr]
                values.setdefault(name, []).append(value)
        shown: set[tuple[str, ...]] = set()
        for name, seen in sorted(values.items(), key=lambda kv: (kv[0].startswith("drawn_"), kv[0])):
            if not _useful(name, seen) or (only is not None and name not in only):
                continue
            numbers = [float(v) for v in seen if _is_number(v)]  # type: ignore[arg-type]
            ranges = numeric_buckets(numbers) if len(numbers) == len(seen) else None
            same = tuple(_fmt(float(v)) if _is_number(v) else _category(v) for v in seen)  # type: ignore[arg-type]
            if same in shown:
                continue  # another factor's values, to 3 digits, on every clip (drawn_azimuth_deg, azimuth_deg)
            shown.add(same)
            keys = [_keys(r.item.bench["factors"].get(name), ranges) for r in group]  # type: ignore[union-attr]
            row: dict[str, tuple[Totals, Totals]] = {}
            for key in [bucket_of(low, ranges) for low, _ in ranges] if ranges else []:
                row[key] = (Totals(), Totals())  # numeric buckets in value order
            for r, clip_keys in zip(group, keys, strict=True):
                for key in clip_keys:
                    _add(row, key, r)
            out.setdefault(name, {})[exercise] = row if ranges else dict(sorted(row.items()))
    for name in EVERY_EXERCISE:
        if name in out and (only is None or name in only):
            row: dict[str, tuple[Totals, Totals]] = {}
            for r in bench:
                _add(row, _category(r.item.bench["factors"].get(name)), r)  # type: ignore[union-attr]
            out[name]["(any)"] = dict(sorted(row.items()))
    return dict(sorted(out.items())) if bench else {}


def _cells(t: Totals, faults: bool = True) -> Json:
    f = t.all_faults()
    return {
        "clips": t.clips,
        "sets": t.sides,
        "sets_exact": t.sides_exact,
        "sets_within_1": t.within_one,
        "holds": t.holds,
        "holds_found": t.holds_found,
        "holds_false": t.holds_false,
        "fault_precision": f.precision if faults else None,
        "fault_recall": f.recall if faults else None,
    }


def breakdown_json(items: Sequence[ItemResult], only: Collection[str] | None = None) -> Json:
    """factor -> exercise -> bucket -> {"posecheck": cells, "peer": cells}."""
    return {
        factor: {
            exercise: {key: {"posecheck": _cells(a), "peer": _cells(b, faults=False)} for key, (a, b) in row.items()}
            for exercise, row in rows.items()
        }
        for factor, rows in buckets(items, only).items()
    }


def _ratio(a: int, b: int) -> str:
    return f"{a}/{b}" if b else "-"


def _pr(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def format_breakdown(items: Sequence[ItemResult], only: Collection[str] | None = None) -> str:
    table = buckets(items, only)
    if not table:
        return ""
    lines = [
        "by factor bucket (count sets = clip x side; holds found with |time error| <= 1.5 s, + false holds)",
        f"{'factor':18s} {'exercise':12s} {'bucket':24s} {'clips':>5s} | {'exact':>7s} {'within1':>7s} "
        f"{'holds':>9s} {'fault P/R':>9s} | peer {'exact':>7s} {'within1':>7s}",
    ]
    for factor, rows in table.items():
        for exercise, row in rows.items():
            for key, (a, b) in row.items():
                f = a.all_faults()
                holds = _ratio(a.holds_found, a.holds) + (f"+{a.holds_false}" if a.holds_false else "")
                lines.append(
                    f"{factor[:18]:18s} {exercise[:12]:12s} {key[:24]:24s} {a.clips:5d} | "
                    f"{_ratio(a.sides_exact, a.sides):>7s} {_ratio(a.within_one, a.sides):>7s} {holds:>9s} "
                    f"{_pr(f.precision) + '/' + _pr(f.recall):>9s} | peer {_ratio(b.sides_exact, b.sides):>7s} "
                    f"{_ratio(b.within_one, b.sides):>7s}"
                )
    return "\n".join(lines)
