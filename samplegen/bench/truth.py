"""Checks that a bench label's faults agree with what the rig measured (docs/exercises.md lines)."""

from __future__ import annotations

LIFT_REP_MIN_DEG = 20.0  # docs/exercises.md: a rep needs > 20 deg
LIFT_TOO_HIGH_DEG = 60.0  # docs/exercises.md: > 60 deg is too high
SQUEEZE_MIN_CM = 1.0


def truth_problems(label: dict, negative: bool) -> list[str]:
    """Contradictions between the label and its ground-truth measures (empty: consistent)."""
    out = []
    reps, holds = label.get("reps", []), label.get("holds", [])
    if negative and (reps or holds):
        out.append("negative clip with reps or holds")
    if label["exercise"] == "leg-lift":
        for k, r in enumerate(reps, 1):
            peak, high = r["peak_angle_deg"], "too_high" in r["faults"]
            if peak <= LIFT_REP_MIN_DEG:
                out.append(f"rep {k}: {peak} deg is no rep (<= {LIFT_REP_MIN_DEG})")
            if high != (peak > LIFT_TOO_HIGH_DEG):
                out.append(f"rep {k}: {peak} deg but too_high {'' if high else 'not '}labelled")
        for r in label.get("partial_reps", []):
            if r["peak_angle_deg"] >= LIFT_REP_MIN_DEG:
                out.append(f"partial rep at {r['start_s']} s reaches {r['peak_angle_deg']} deg")
    if label["exercise"] == "ball-squeeze":
        out += [f"rep {k}: squeeze {r['peak_angle_deg']} cm" for k, r in enumerate(reps, 1) if r["peak_angle_deg"] < 1]
    return out
