"""Record MediaPipe landmarks of a clip (the rules' replay format), importable by samplegen.

``record(clip)`` returns per frame the followed person's image landmarks, visibility and
world landmarks (NaN where nobody was found), as ``scripts/record_landmarks.py`` stores
them: ``t, image, visibility, world, aspect, fps, clip_sha256``.  ``model_info()`` gives
the pose model's sha256 and the mediapipe version, for files that must say what made them.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np


def record(clip: Path) -> dict[str, np.ndarray]:
    import cv2

    from posecheck.estimator import PoseEstimator
    from posecheck.selection import PersonSelector
    from posecheck.source import open_source

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


def model_info() -> dict[str, np.ndarray]:
    """``model_sha256`` of the bundled pose model and ``mediapipe_version``."""
    import mediapipe

    from posecheck.model import BUNDLED_MODEL

    return {
        "model_sha256": np.array(hashlib.sha256(Path(BUNDLED_MODEL).read_bytes()).hexdigest()),
        "mediapipe_version": np.array(mediapipe.__version__),
    }
