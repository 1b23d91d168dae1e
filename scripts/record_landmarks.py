"""Record MediaPipe landmarks of a clip to .npz, for fast replays of the rules.

    python scripts/record_landmarks.py CLIP [-o OUT.npz]

Stores per frame the followed person's image landmarks, visibility and world
landmarks (NaN where nobody was found), so rule thresholds can be studied and
regression-tested without running the pose model again.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2
import numpy as np

from posecheck.estimator import PoseEstimator
from posecheck.selection import PersonSelector
from posecheck.source import open_source


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
        "image": np.array(image, np.float32),
        "visibility": np.array(vis, np.float32),
        "world": np.array(world, np.float32),
        "aspect": np.array(aspect),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("clip", type=Path)
    parser.add_argument("-o", "--out", type=Path)
    args = parser.parse_args()
    out = args.out or args.clip.with_suffix(".landmarks.npz")
    np.savez_compressed(out, **record(args.clip))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
