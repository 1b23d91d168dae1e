"""The one pose type every stage after the estimator works with."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

NUM_LANDMARKS = 33
IMAGE_LIMIT = 2.0  # normalised image units: a landmark this far outside 0..1 (a frame beyond an edge) is junk
WORLD_LIMIT_M = 3.0  # world landmarks are hip-centred: no body part is this far from the hips


class Landmark(IntEnum):
    """MediaPipe Pose landmark indices (the person's own left/right)."""

    NOSE = 0
    LEFT_SHOULDER = 11
    RIGHT_SHOULDER = 12
    LEFT_ELBOW = 13
    RIGHT_ELBOW = 14
    LEFT_WRIST = 15
    RIGHT_WRIST = 16
    LEFT_HIP = 23
    RIGHT_HIP = 24
    LEFT_KNEE = 25
    RIGHT_KNEE = 26
    LEFT_ANKLE = 27
    RIGHT_ANKLE = 28
    LEFT_HEEL = 29
    RIGHT_HEEL = 30
    LEFT_FOOT = 31
    RIGHT_FOOT = 32


#: Bones drawn by the skeleton overlay (pairs of landmark indices).
SKELETON_EDGES: tuple[tuple[int, int], ...] = (
    (11, 12), (11, 13), (13, 15), (12, 14), (14, 16),
    (11, 23), (12, 24), (23, 24),
    (23, 25), (25, 27), (27, 29), (29, 31), (27, 31),
    (24, 26), (26, 28), (28, 30), (30, 32), (28, 32),
    (0, 11), (0, 12),
)  # fmt: skip


def _check_shape(name: str, value: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    array = np.asarray(value, dtype=np.float64)
    if array.shape != shape:
        raise ValueError(f"Pose.{name}: expected shape {shape}, got {array.shape}")
    return array


@dataclass
class Pose:
    """One person's landmarks in one frame.

    image: (33, 2) normalised image coordinates (x right, y down, 0..1).
    visibility: (33,) MediaPipe visibility scores, 0..1.
    world: (33, 3) metres, hip-centred, camera-aligned axes (x right, y down,
        z away from the camera), or None when not available.
    aspect: image width / height, so image distances can be made isotropic.
    """

    image: np.ndarray
    visibility: np.ndarray
    world: np.ndarray | None = None
    t: float = 0.0
    aspect: float = 4.0 / 3.0

    def __post_init__(self) -> None:
        self.image = _check_shape("image", self.image, (NUM_LANDMARKS, 2))
        self.visibility = _check_shape("visibility", self.visibility, (NUM_LANDMARKS,))
        if self.world is not None:
            self.world = _check_shape("world", self.world, (NUM_LANDMARKS, 3))

    @property
    def pixels_iso(self) -> np.ndarray:
        """Image landmarks scaled so x and y share one unit (image height = 1)."""
        return self.image * np.array([self.aspect, 1.0])

    def visible(self, indices: tuple[int, ...] | list[int], threshold: float = 0.5) -> bool:
        return bool(np.all(self.visibility[list(indices)] >= threshold))

    def bbox(self) -> tuple[float, float, float, float]:
        """Normalised (x0, y0, x1, y1) around the landmarks."""
        x0, y0 = self.image.min(axis=0)
        x1, y1 = self.image.max(axis=0)
        return float(x0), float(y0), float(x1), float(y1)

    def area(self) -> float:
        x0, y0, x1, y1 = self.bbox()
        return max(0.0, x1 - x0) * max(0.0, y1 - y0)

    def replace(self, **changes: object) -> Pose:
        values = {
            "image": self.image, "visibility": self.visibility, "world": self.world,
            "t": self.t, "aspect": self.aspect,
        }  # fmt: skip
        values.update(changes)
        return Pose(**values)  # type: ignore[arg-type]


def landmarks_sane(image: np.ndarray, world: np.ndarray | None = None, visibility: np.ndarray | None = None) -> bool:
    """Finite, and within IMAGE_LIMIT / WORLD_LIMIT_M: what the estimator may hand on as a person."""
    if not (np.all(np.isfinite(image)) and np.all(np.abs(image) <= IMAGE_LIMIT)):
        return False
    if world is not None and not (np.all(np.isfinite(world)) and np.all(np.abs(world) <= WORLD_LIMIT_M)):
        return False
    return visibility is None or bool(np.all(np.isfinite(visibility)))


def sane(pose: Pose) -> bool:
    """A pose every later stage can trust (landmarks_sane); anything else counts as a frame with nobody."""
    return landmarks_sane(pose.image, pose.world, pose.visibility)


def sane_poses(poses: list[Pose]) -> list[Pose]:
    """The poses that are sane(); a non-finite or far-off landmark drops its whole pose."""
    return [pose for pose in poses if sane(pose)]
