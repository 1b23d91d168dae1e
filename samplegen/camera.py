"""Pinhole cameras: look-at poses, presets per exercise, projection of 3-D points."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

WIDTH, HEIGHT = 640, 480


@dataclass(frozen=True)
class Camera:
    """A pinhole camera; ``pose`` is camera-to-world (OpenGL: looks along -Z, +Y up)."""

    pose: np.ndarray  # (4, 4)
    yfov: float  # radians
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def focal(self) -> float:
        return (self.height / 2) / np.tan(self.yfov / 2)

    def project(self, pts: np.ndarray) -> np.ndarray:
        """World points (..., 3) to pixel coordinates (..., 2); NaN behind the camera."""
        w2c = np.linalg.inv(self.pose)
        p = pts @ w2c[:3, :3].T + w2c[:3, 3]
        z = -p[..., 2]
        with np.errstate(divide="ignore", invalid="ignore"):
            u = self.width / 2 + self.focal * p[..., 0] / z
            v = self.height / 2 - self.focal * p[..., 1] / z
        out = np.stack([u, v], axis=-1)
        out[z <= 1e-6] = np.nan
        return out

    def to_json(self) -> dict:
        return {"pose_cam_to_world": np.round(self.pose, 5).tolist(),
                "yfov_deg": round(float(np.degrees(self.yfov)), 3),
                "width": self.width, "height": self.height,
                "focal_px": round(self.focal, 3)}


def look_at(eye: np.ndarray, target: np.ndarray, up: np.ndarray | None = None) -> np.ndarray:
    up = np.array([0.0, 0.0, 1.0]) if up is None else up
    z = eye - target
    z = z / np.linalg.norm(z)
    x = np.cross(up, z)
    if np.linalg.norm(x) < 1e-6:  # looking straight down
        x = np.cross(np.array([0.0, 1.0, 0.0]), z)
    x = x / np.linalg.norm(x)
    y = np.cross(z, x)
    m = np.eye(4)
    m[:3, 0], m[:3, 1], m[:3, 2], m[:3, 3] = x, y, z, eye
    return m


def fit_camera(direction: np.ndarray, height: float, target: np.ndarray, pts: np.ndarray,
               yfov_deg: float = 50.0, margin: float = 0.12, min_dist: float = 1.6) -> Camera:
    """Camera on a horizontal ``direction`` from ``target`` at ``height`` m, moved back
    until every point in ``pts`` lies inside the frame with ``margin`` (fraction)."""
    d = np.asarray(direction, dtype=float)
    d[2] = 0.0
    d = d / np.linalg.norm(d)
    yfov = np.radians(yfov_deg)
    dist = min_dist
    for _ in range(60):
        eye = target + d * dist
        eye[2] = height
        cam = Camera(look_at(eye, target), yfov)
        uv = cam.project(pts)
        ok = np.all(np.isfinite(uv))
        if ok:
            mx, my = margin * WIDTH, margin * HEIGHT
            inside = (uv[:, 0] > mx) & (uv[:, 0] < WIDTH - mx) & \
                (uv[:, 1] > my) & (uv[:, 1] < HEIGHT - my)
            if inside.all():
                return cam
        dist *= 1.06
    return cam
