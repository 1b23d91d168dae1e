"""MediaPipe PoseLandmarker (Tasks API) -> Pose.  The only module importing mediapipe."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .errors import ModelError
from .model import load_model
from .pose import NUM_LANDMARKS, Pose
from .quiet import native_stderr_silenced


def poses_from_result(result: object, t: float, aspect: float) -> list[Pose]:
    """Convert a PoseLandmarkerResult into Pose objects (one per person)."""
    poses: list[Pose] = []
    worlds = getattr(result, "pose_world_landmarks", None) or []
    for i, landmarks in enumerate(getattr(result, "pose_landmarks", None) or []):
        if len(landmarks) != NUM_LANDMARKS:
            continue
        image = np.array([[lm.x, lm.y] for lm in landmarks])
        visibility = np.array([lm.visibility or 0.0 for lm in landmarks])
        presence = np.array([lm.presence or 0.0 for lm in landmarks])
        world = None
        if i < len(worlds) and len(worlds[i]) == NUM_LANDMARKS:
            world = np.array([[lm.x, lm.y, lm.z] for lm in worlds[i]])
        poses.append(Pose(image, visibility, world, t, aspect, presence))
    return poses


class PoseEstimator:
    """Runs PoseLandmarker in VIDEO mode on RGB frames with rising timestamps.

    num_poses > 1 lets the session see bystanders and choose whom to follow.
    Use as a context manager, or call close().
    """

    def __init__(
        self,
        model: str | Path | None = None,
        num_poses: int = 2,
        min_detection: float = 0.5,
        min_presence: float = 0.5,
        min_tracking: float = 0.5,
    ) -> None:
        from mediapipe.tasks.python import BaseOptions, vision

        data = load_model(model)
        options = vision.PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_buffer=data),
            running_mode=vision.RunningMode.VIDEO,
            num_poses=num_poses,
            min_pose_detection_confidence=min_detection,
            min_pose_presence_confidence=min_presence,
            min_tracking_confidence=min_tracking,
        )
        try:
            with native_stderr_silenced():
                self._landmarker = vision.PoseLandmarker.create_from_options(options)
        except (RuntimeError, ValueError) as error:
            raise ModelError(f"pose model could not be loaded: {model or 'bundled model'} ({error})") from None
        self._last_ms = -1
        self._calls = 0

    def detect(self, rgb: np.ndarray, t: float) -> list[Pose]:
        """Poses in one RGB uint8 frame at time t seconds (timestamps forced monotonic)."""
        import mediapipe as mp

        ms = max(int(round(t * 1000.0)), self._last_ms + 1)
        self._last_ms = ms
        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))
        if self._calls < 2:  # the first calls print native warnings
            with native_stderr_silenced():
                result = self._landmarker.detect_for_video(image, ms)
        else:
            result = self._landmarker.detect_for_video(image, ms)
        self._calls += 1
        h, w = rgb.shape[:2]
        return poses_from_result(result, t, w / h)

    def close(self) -> None:
        landmarker, self._landmarker = getattr(self, "_landmarker", None), None
        if landmarker is not None:
            with native_stderr_silenced():
                landmarker.close()

    def __enter__(self) -> PoseEstimator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
