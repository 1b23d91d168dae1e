"""Whether two reports of one video agree: the model on every frame against the sampled frames (sampling.py).

Agreeing means: the same reps (side, faults, exercise) in the same order, the same sets, the same holds
(side, faults, complete) with every hold's start, end and counted seconds within HOLD_TOLERANCE_S.
Cue texts and times may differ (a cue said a frame later is the same cue); they are not compared.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

HOLD_TOLERANCE_S = 0.5


def _list(report: Mapping[str, Any], key: str) -> Sequence[Mapping[str, Any]]:
    value = report.get(key) or []
    return value if isinstance(value, list) else []


def differences(
    every: Mapping[str, Any], sampled: Mapping[str, Any], tolerance_s: float = HOLD_TOLERANCE_S
) -> list[str]:
    """What differs between two reports of one video (empty: they agree); `every` is the reference."""
    out: list[str] = []
    reps_a, reps_b = _list(every, "reps"), _list(sampled, "reps")
    if len(reps_a) != len(reps_b):
        out.append(f"reps: {len(reps_a)} against {len(reps_b)}")
    for i, (a, b) in enumerate(zip(reps_a, reps_b, strict=False)):
        for key in ("side", "exercise"):
            if a.get(key) != b.get(key):
                out.append(f"rep {i + 1} {key}: {a.get(key)} against {b.get(key)}")
        if sorted(a.get("faults", [])) != sorted(b.get("faults", [])):
            out.append(f"rep {i + 1} faults: {a.get('faults')} against {b.get('faults')}")
    sets_a = [(s.get("side"), s.get("reps")) for s in _list(every, "sets")]
    sets_b = [(s.get("side"), s.get("reps")) for s in _list(sampled, "sets")]
    if sets_a != sets_b:
        out.append(f"sets: {sets_a} against {sets_b}")
    holds_a, holds_b = _list(every, "holds"), _list(sampled, "holds")
    if len(holds_a) != len(holds_b):
        out.append(f"holds: {len(holds_a)} against {len(holds_b)}")
    for i, (a, b) in enumerate(zip(holds_a, holds_b, strict=False)):
        for key in ("side", "exercise", "complete"):
            if a.get(key) != b.get(key):
                out.append(f"hold {i + 1} {key}: {a.get(key)} against {b.get(key)}")
        if sorted(a.get("faults", [])) != sorted(b.get("faults", [])):
            out.append(f"hold {i + 1} faults: {a.get('faults')} against {b.get('faults')}")
        for key in ("start_s", "end_s", "valid_s"):
            gap = abs(float(a.get(key, 0.0)) - float(b.get(key, 0.0)))
            if gap > tolerance_s:
                out.append(f"hold {i + 1} {key}: {a.get(key)} against {b.get(key)} ({gap:.2f} s apart)")
    return out


def hold_gaps(every: Mapping[str, Any], sampled: Mapping[str, Any]) -> list[float]:
    """Every paired hold's largest time difference (start, end, counted seconds), for the record."""
    gaps = []
    for a, b in zip(_list(every, "holds"), _list(sampled, "holds"), strict=False):
        gaps.append(max(abs(float(a.get(k, 0.0)) - float(b.get(k, 0.0))) for k in ("start_s", "end_s", "valid_s")))
    return gaps


__all__ = ["HOLD_TOLERANCE_S", "differences", "hold_gaps"]
