"""Redraws docs/images/report.png and docs/images/trends.png: the README's pictures of the HTML report and the
trend page, taken with headless Chromium (bash scripts/install.sh --test installs it).

The report is `posecheck analyze` on a bundled sample (real MediaPipe, real pictures); the trend page is a history
of the bundled samples' recorded landmarks replayed as one session a day.  Nothing is kept in your own history.

    python scripts/report_pictures.py [--out docs/images]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's posecheck, not an installed copy

from browser import chromium, screenshot  # noqa: E402  (scripts/browser.py)
from posecheck.analyze import AnalyzeOptions, analyze  # noqa: E402
from posecheck.outputs import Outputs  # noqa: E402
from posecheck.samples import samples_dir  # noqa: E402
from posecheck.trends import render_trends  # noqa: E402
from recordings import fill_history  # noqa: E402  (scripts/recordings.py)

CLIP = "leg-lift_left_forward-knee_feet-oblique.mp4"  # 4 reps, 2 with the leg drifting forward: faults to show


def trimmed(image: np.ndarray, max_height: int) -> np.ndarray:
    """The page's content: white margins cut (a few px kept), at most max_height tall."""
    ink = np.any(image < 245, axis=2)
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    top, bottom = max(0, rows[0] - 12), min(image.shape[0], rows[-1] + 12, rows[0] + max_height)
    left, right = max(0, cols[0] - 12), min(image.shape[1], cols[-1] + 12)
    return image[top:bottom, left:right]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args()
    if chromium() is None:
        print("needs chromium: bash scripts/install.sh --test", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="posecheck-pictures-") as folder:
        tmp = Path(folder)
        report = tmp / "report.html"
        when = datetime(2026, 11, 9, 18, 30)
        outputs = Outputs(html=report, history=False, started=when)
        result = analyze(samples_dir() / CLIP, AnalyzeOptions("leg-lift", outputs=outputs))
        if result.error is not None:
            print(f"analysis failed: {result.error}", file=sys.stderr)
            return 1
        history = fill_history(tmp / "history.sqlite3")
        sessions = history.sessions()
        ids = [s.id for s in sessions]
        trends = tmp / "trends.html"
        made = sessions[-1].started_at.replace(hour=19, minute=0)
        trends.write_text(render_trends(sessions, history.results(ids), history.rows(ids), made), encoding="utf-8")
        shots = {
            "report.png": (report, 1280, 2600, 2400),
            "trends.png": (trends, 1280, 4000, 1500),
        }
        for name, (page, width, height, keep) in shots.items():
            image = trimmed(screenshot(page, tmp / name, width, height), keep)
            cv2.imwrite(str(args.out / name), image, [cv2.IMWRITE_PNG_COMPRESSION, 9])
            print(f"wrote {args.out / name} ({image.shape[1]}x{image.shape[0]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
