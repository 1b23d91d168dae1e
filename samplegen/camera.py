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
        return {
            "pose_cam_to_world": np.round(self.pose, 5).tolist(),
            "yfov_deg": round(float(np.degrees(self.yfov)), 3),
            "width": self.width,
            "height": self.height,
            "focal_px": round(self.focal, 3),
        }


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


def rolled(pose: np.ndarray, roll_deg: float) -> np.ndarray:
    """``pose`` turned by ``roll_deg`` about its own viewing axis (a phone propped crookedly).

    Positive roll turns the camera counter-clockwise as its user sees it from behind, so
    the picture's content turns clockwise.  0 returns ``pose`` itself (bit for bit).
    """
    if roll_deg == 0.0:
        return pose
    a = np.radians(roll_deg)
    c, s = np.cos(a), np.sin(a)
    turn = np.eye(4)
    turn[:2, :2] = [[c, -s], [s, c]]  # camera x toward camera y: the horizon tilts
    return pose @ turn


def fit_camera(
    direction: np.ndarray,
    height: float,
    target: np.ndarray,
    pts: np.ndarray,
    yfov_deg: float = 50.0,
    margin: float = 0.12,
    min_dist: float = 1.6,
    roll_deg: float = 0.0,
) -> Camera:
    """Camera on a horizontal ``direction`` from ``target`` at ``height`` m, rolled by
    ``roll_deg`` about its viewing axis, moved back until every point in ``pts`` lies
    inside the frame with ``margin`` (fraction)."""
    d = np.asarray(direction, dtype=float)
    d[2] = 0.0
    d = d / np.linalg.norm(d)
    yfov = np.radians(yfov_deg)
    dist = min_dist
    for _ in range(60):
        eye = target + d * dist
        eye[2] = height
        cam = Camera(rolled(look_at(eye, target), roll_deg), yfov)
        uv = cam.project(pts)
        ok = np.all(np.isfinite(uv))
        if ok:
            mx, my = margin * WIDTH, margin * HEIGHT
            inside = (uv[:, 0] > mx) & (uv[:, 0] < WIDTH - mx) & (uv[:, 1] > my) & (uv[:, 1] < HEIGHT - my)
            if inside.all():
                return cam
        dist *= 1.06
    return cam


# name -> (horizontal direction from the body as weights of body axes, height m, min dist m)
PRESETS: dict[str, dict[str, tuple[dict[str, float], float, float]]] = {
    "leg-lift": {
        "front": ({"front": 1.0}, 0.4, 2.6),
        "feet-oblique": ({"front": 1.0, "feet": 1.0}, 1.1, 2.2),
        "back": ({"front": -1.0}, 0.5, 2.6),
    },
    "ball-squeeze": {
        "feet-raised": ({"feet": 1.0}, 1.35, 1.2),
        "side": ({"left": 1.0}, 0.6, 2.4),
    },
    "figure-four": {
        "side": ({"left": 1.0}, 0.5, 2.4),
        "side-raised": ({"left": 1.0, "feet": 0.25}, 1.3, 2.2),
        "side-raised-other": ({"left": -1.0, "feet": 0.25}, 1.3, 2.2),  # on the support leg's side
        "feet-raised": ({"feet": 1.0, "left": 0.15}, 1.35, 1.4),
        "feet-oblique": ({"feet": 1.0, "left": 1.0}, 1.0, 2.2),
    },
    "seated-twist": {
        "front-oblique": ({"front": 1.0, "left": 0.8}, 0.9, 2.4),
        "side": ({"left": 1.0}, 0.7, 2.4),
    },
}


def preset_camera(
    exercise: str,
    name: str,
    dirs: dict[str, np.ndarray],
    pts: np.ndarray,
    rng: np.random.Generator,
    side_sign: float = 1.0,
    roll_deg: float = 0.0,
) -> Camera:
    """A preset camera for ``exercise`` framing ``pts``, jittered by ``rng``.

    ``dirs`` holds the body's world axes ("head", "front", "left"); ``side_sign``
    flips "left" to the working side so side views show the working leg.  ``roll_deg``
    rolls it about its viewing axis (see ``rolled``); it draws nothing from ``rng``, so a
    rolled clip has the same body, look, timing and camera spot as the level one.
    """
    table = PRESETS.get(exercise, {})
    if name not in table:
        raise ValueError(f"unknown camera {name!r} for {exercise}; known: {sorted(table)}")
    weights, height, min_dist = table[name]
    axes = {"front": dirs["front"], "feet": -dirs["head"], "left": side_sign * dirs["left"]}
    d = sum(w * axes[k] for k, w in weights.items())
    ang = np.radians(rng.uniform(-6, 6))
    c, s = np.cos(ang), np.sin(ang)
    d = np.array([c * d[0] - s * d[1], s * d[0] + c * d[1], 0.0])
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    target = (lo + hi) / 2
    target[2] = lo[2] + 0.4 * (hi[2] - lo[2])
    return fit_camera(
        d,
        height * rng.uniform(0.92, 1.08),
        target,
        pts,
        yfov_deg=float(rng.uniform(45, 55)),
        margin=0.08,
        min_dist=min_dist * rng.uniform(0.95, 1.1),
        roll_deg=roll_deg,
    )
