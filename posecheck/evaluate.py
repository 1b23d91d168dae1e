"""posecheck eval: analyse every labelled clip in a folder and score it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .analyze import AnalyzeOptions, analyze
from .errors import InputError, PosecheckError, RunInterrupted
from .samples import labelled_clips
from .scoring import ClipScore, Totals, score


@dataclass
class EvalResult:
    scores: list[ClipScore] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    totals: Totals = field(default_factory=Totals)

    def to_json(self) -> dict[str, object]:
        return {
            "clips": [s.to_json() for s in self.scores],
            "failures": self.failures,
            "totals": self.totals.to_json(),
        }


def load_label(clip: Path) -> dict[str, object]:
    path = clip.with_suffix(".json")
    try:
        label = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise InputError(f"cannot read label {path}: {error}") from None
    if not isinstance(label, dict) or "exercise" not in label:
        raise InputError(f"label {path} has no 'exercise' field")
    return label


def evaluate_clip(clip: Path, exercise: str | None = None) -> tuple[ClipScore, dict[str, object]]:
    label = load_label(clip)
    options = AnalyzeOptions(exercise or str(label["exercise"]), progress=False)
    result = analyze(clip, options)
    if result.interrupted is not None:  # a partial analysis is not scored as the clip's
        raise RunInterrupted("interrupted: not scored")
    if result.error is not None:
        raise result.error
    report = result.report.build()
    return score(report, label, clip.name), report


def evaluate(folder: Path, exercise: str | None = None) -> EvalResult:
    if not folder.is_dir():
        raise InputError(f"not a folder: {folder}")
    clips = labelled_clips(folder)
    if not clips:
        raise InputError(f"no video + label pairs in {folder}")
    out = EvalResult()
    for clip in clips:
        try:
            clip_score, _ = evaluate_clip(clip, exercise)
        except PosecheckError as error:
            out.failures[clip.name] = str(error)
            if isinstance(error, RunInterrupted):
                break  # a stop signal: the clips after it are not started
            continue
        out.scores.append(clip_score)
        out.totals.add(clip_score)
    return out


def _fmt_faults(s: ClipScore) -> str:
    parts = []
    for name, t in s.faults.items():
        p = "-" if t.precision is None else f"{t.precision:.2f}"
        r = "-" if t.recall is None else f"{t.recall:.2f}"
        parts.append(f"{name} P{p} R{r}")
    parts += [f"{name} not judged" for name in s.not_judged]
    return "; ".join(parts) or "-"


def format_table(result: EvalResult) -> str:
    lines = [f"{'clip':44s} {'reps got/want':18s} {'exact':5s} {'hold err':8s} {'pose':5s} faults"]
    for s in result.scores:
        reps = " ".join(f"{d[0].upper()}{s.reps_report.get(d, 0)}/{s.reps_label.get(d, 0)}" for d in s.sides)
        hold = " ".join(f"{v:.1f}" for v in s.hold_error_s.values()) or "-"
        exact = "yes" if s.reps_exact else "NO"
        lines.append(f"{s.clip[:44]:44s} {reps or '-':18s} {exact:5s} {hold:8s} {s.detection:5.0%} {_fmt_faults(s)}")
    for clip, error in result.failures.items():
        lines.append(f"{clip[:44]:44s} FAILED: {error}")
    t = result.totals.to_json()
    lines.append("")
    lines.append(
        f"totals: {t['clips']} clips; sides exact {t['sides_exact']}; mean |count error| "
        f"{t['mean_abs_count_error']}; off-by-one rate {t['off_by_one_rate']}; max hold error {t['max_hold_error_s']} s"
    )
    for name, f in t["faults"].items():  # type: ignore[union-attr]
        p = "-" if f["precision"] is None else f"{f['precision']:.2f}"
        r = "-" if f["recall"] is None else f"{f['recall']:.2f}"
        lines.append(f"  {name:16s} precision {p}  recall {r}  (tp {f['tp']}, fp {f['fp']}, fn {f['fn']})")
    return "\n".join(lines)
