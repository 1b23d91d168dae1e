"""Run every exercise rule (and `auto`) over a folder of real footage, for false positives.

    python scripts/footage_check.py FOLDER [--cache DIR]

FOLDER holds photos and clips (.jpg .png .mp4 .gif ...) and optionally a
MANIFEST.tsv whose `file` and `shows` columns say what each one shows (the
project's real-footage folder, kept outside the repository, has one).  MediaPipe runs once per file (landmarks
cached in --cache as .npz); the recording is then replayed through each rule.
Prints a markdown table: what `auto` recognised, and what each exercise's rule
counted (reps, holds with valid seconds) and flagged on that footage.  Nothing
here is asserted: footage licences keep it out of the repository and the test
suite, so this is the on-demand check of real bodies.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's posecheck, not an installed copy

from posecheck.registry import get_exercise  # noqa: E402
from posecheck.replay import RecordedEstimator, RecordedSource, record  # noqa: E402
from posecheck.session import Session  # noqa: E402

MEDIA = {".mp4", ".avi", ".mov", ".mkv", ".webm", ".gif", ".jpg", ".jpeg", ".png", ".bmp", ".webp"}
EXERCISES = ("figure-four", "seated-twist", "ball-squeeze", "leg-lift")


def shows(folder: Path) -> dict[str, str]:
    manifest = folder / "MANIFEST.tsv"
    if not manifest.is_file():
        return {}
    with manifest.open(newline="") as f:
        return {row["file"]: row.get("shows", "") for row in csv.DictReader(f, delimiter="\t")}


def landmarks(clip: Path, cache: Path) -> dict[str, np.ndarray]:
    path = cache / f"{clip.name}.npz"
    if not path.exists():
        np.savez_compressed(path, **record(clip))
    with np.load(path) as f:
        return {k: f[k] for k in f.files}


def outcome(report: dict) -> str:
    """What a rule made of the footage, in a few words."""
    faults = sorted({f for item in report.get("reps", []) + report.get("holds", []) for f in item["faults"]})
    if report.get("reps"):
        text = f"{len(report['reps'])} rep(s)"
    elif report.get("holds"):
        seconds = sum(h.get("valid_s", 0.0) for h in report["holds"])
        text = f"{len(report['holds'])} hold(s) {seconds:.0f} s"
    else:
        text = "-"
    cued = sorted({c["fault"] for c in report.get("cues", []) if c.get("fault") and c["fault"] not in faults})
    cued = [f for f in cued if f != "not_visible"]
    return " ".join([text, ",".join(faults), f"cues: {','.join(cued)}" if cued else ""]).strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "posecheck-footage")
    args = parser.parse_args()
    if not args.folder.is_dir():
        print(f"error: {args.folder} is not a folder", file=sys.stderr)
        return 2
    args.cache.mkdir(parents=True, exist_ok=True)
    what = shows(args.folder)
    print("| file | shows | detected | auto | " + " | ".join(EXERCISES) + " |")
    print("|---|---|---|---|" + "---|" * len(EXERCISES))
    for clip in sorted(p for p in args.folder.iterdir() if p.suffix.lower() in MEDIA):
        data = landmarks(clip, args.cache)
        detected = float(np.mean(~np.isnan(data["image"][:, 0, 0].astype(float))))
        cells = []
        for exercise in ("auto", *EXERCISES):
            session = Session(get_exercise(exercise), RecordedEstimator(data))  # type: ignore[arg-type]
            report = session.run(RecordedSource(clip.name, data)).report.build()
            if exercise == "auto":
                auto = report.get("auto", {})
                cells.append(f"{auto.get('chosen', '?')} {auto.get('side') or ''}".strip() + f" ({outcome(report)})")
            else:
                cells.append(outcome(report))
        label = what.get(clip.name, "")[:60].replace("|", "/")
        print(f"| {clip.name} | {label} | {detected:.0%} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
