"""Record MediaPipe landmarks of clips to .npz, for fast replays of the rules.

    python scripts/record_landmarks.py CLIP [CLIP ...] [-o OUT_DIR]

Default OUT_DIR: tests/data/landmarks (the golden recordings the test suite
replays; rerun this after changing a sample).

Stores per frame the followed person's image landmarks, visibility and world
landmarks (NaN where nobody was found), with the sha256 of the clip and of the
pose model, so rule thresholds can be studied and regression-tested without
running the pose model again (posecheck/replay.py: record, load, replay).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's posecheck, not an installed copy

import numpy as np  # noqa: E402

from posecheck.replay import record  # noqa: E402  (samplegen's benchmark records with the same steps)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("clips", type=Path, nargs="+")
    parser.add_argument("-o", "--out", type=Path, default=Path("tests/data/landmarks"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for clip in args.clips:
        out = args.out / f"{clip.stem}.npz"
        np.savez_compressed(out, **record(clip))
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
