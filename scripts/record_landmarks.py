"""Record MediaPipe landmarks of clips to .npz, for fast replays of the rules.

    python scripts/record_landmarks.py CLIP [CLIP ...] [-o OUT_DIR]

Default OUT_DIR: tests/data/landmarks (the golden recordings the test suite
replays; rerun this after changing a sample).

Stores per frame the followed person's image landmarks, visibility and world
landmarks (NaN where nobody was found), so rule thresholds can be studied and
regression-tested without running the pose model again.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's posecheck, not an installed copy

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from posecheck.estimator import PoseEstimator  # noqa: E402
from posecheck.selection import PersonSelector  # noqa: E402
from posecheck.source import open_source  # noqa: E402


def record(clip: Path) -> dict[str, np.ndarray]:
    times, image, vis, world = [], [], [], []
    selector = PersonSelector()
    with open_source(str(clip)) as source, PoseEstimator() as estimator:
        aspect = source.info.width / source.info.height
        for frame in source:
            pose, _ = selector(estimator.detect(cv2.cvtColor(frame.image, cv2.COLOR_BGR2RGB), frame.t), frame.t)
            times.append(frame.t)
            if pose is None or pose.world is None:
                image.append(np.full((33, 2), np.nan))
                vis.append(np.zeros(33))
                world.append(np.full((33, 3), np.nan))
            else:
                image.append(pose.image)
                vis.append(pose.visibility)
                world.append(pose.world)
    return {
        "t": np.array(times),
        "image": np.array(image, np.float16),
        "visibility": np.array(vis, np.float16),
        "world": np.array(world, np.float16),
        "aspect": np.array(aspect),
        "fps": np.array(source.info.fps),
        "clip_sha256": np.array(hashlib.sha256(clip.read_bytes()).hexdigest()),
    }


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
