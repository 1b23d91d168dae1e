"""Aimed cameras for the benchmark: a chosen azimuth, height, body size in the picture and roll.

Azimuth is measured in a horizontal frame fixed to the body (``body_axes``): 0 deg = the
camera towards the feet, +90 deg = the camera on the working side (the working leg's side
for the lying-on-the-back and seated exercises; the belly side for the side-lying leg lift,
whose working side faces the ceiling).  Elevation is the camera's angle above the horizontal
as seen from the body's centre.  ``body_frac`` is the longer side of the picture box the body
covers over the whole clip, divided by the picture height.
"""

from __future__ import annotations

import numpy as np

from samplegen.camera import PRESETS, Camera, look_at, rolled

#: beyond each end of an exercise's preset sector, degrees
BEYOND_DEG = 15.0
#: camera height above the floor, m: the presets' heights (camera.PRESETS) widened by -25 % / +15 %
HEIGHTS: dict[str, tuple[float, float]] = {
    "leg-lift": (0.3, 1.27),
    "ball-squeeze": (0.45, 1.55),
    "figure-four": (0.38, 1.55),
    "seated-twist": (0.5, 1.2),
}
MARGIN = 0.01  # every body point at least this fraction of the picture inside its edges


def _horizontal(v: np.ndarray) -> np.ndarray:
    h = np.array([v[0], v[1], 0.0])
    n = np.linalg.norm(h)
    return h / n if n > 1e-6 else h


def body_axes(exercise: str, dirs: dict[str, np.ndarray], side_sign: float) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal unit vectors (azimuth 0 deg, azimuth +90 deg) of the body frame above."""
    # sitting, the legs point the way the body faces
    feet = _horizontal(dirs["front"]) if exercise == "seated-twist" else _horizontal(-dirs["head"])
    lateral = _horizontal(dirs["front"]) if exercise == "leg-lift" else _horizontal(side_sign * dirs["left"])
    return feet, lateral


def preset_azimuth(exercise: str, name: str) -> float:
    """Azimuth (deg, frame above) of a camera preset, before the preset's +-6 deg jitter."""
    weights = PRESETS[exercise][name][0]
    if exercise == "seated-twist":
        feet, lat = weights.get("front", 0.0) + weights.get("feet", 0.0), weights.get("left", 0.0)
    elif exercise == "leg-lift":
        feet, lat = weights.get("feet", 0.0), weights.get("front", 0.0)
    else:
        feet, lat = weights.get("feet", 0.0), weights.get("left", 0.0)
    return float(np.degrees(np.arctan2(lat, feet)))


#: the azimuths of the views posecheck recommends or accepts for each exercise (its rules' ViewSpec, in this
#: module's convention): leg lift at the feet, feet-front and front; ball squeeze at the feet, feet-side;
#: figure-four at the crossed leg's side, raised, and toward the feet from there; twist front, front-side, side
COACHED_DEG: dict[str, tuple[float, float]] = {
    "leg-lift": (0.0, 90.0),
    "ball-squeeze": (0.0, 45.0),
    "figure-four": (45.0, 90.0),
    "seated-twist": (0.0, 90.0),
}


def sector(exercise: str) -> tuple[float, float]:
    """Every preset's azimuth span and BEYOND_DEG past each end (draw 1; draw 2's wide clips)."""
    az = [preset_azimuth(exercise, n) for n in PRESETS[exercise]]
    return min(az) - BEYOND_DEG, max(az) + BEYOND_DEG


def coached_sector(exercise: str) -> tuple[float, float]:
    """The coached views' azimuth span (COACHED_DEG) and BEYOND_DEG past each end (draw 2)."""
    lo, hi = COACHED_DEG[exercise]
    return lo - BEYOND_DEG, hi + BEYOND_DEG


def nearest_preset(exercise: str, azimuth_deg: float) -> str:
    return min(PRESETS[exercise], key=lambda n: abs(preset_azimuth(exercise, n) - azimuth_deg))


def _frac(cam: Camera, pts: np.ndarray) -> tuple[float, bool]:
    """(body box's longer side / picture height, whole body inside the picture with MARGIN)."""
    uv = cam.project(pts)
    if not np.isfinite(uv).all():
        return float("inf"), False
    frac = float(max(np.ptp(uv[:, 0]), np.ptp(uv[:, 1])) / cam.height)
    mx, my = MARGIN * cam.width, MARGIN * cam.height
    inside = (mx < uv[:, 0]) & (uv[:, 0] < cam.width - mx) & (my < uv[:, 1]) & (uv[:, 1] < cam.height - my)
    return frac, bool(inside.all())


def _centred(cam: Camera, pts: np.ndarray, roll_deg: float, rounds: int = 2) -> Camera:
    """``cam`` turned (same eye, same roll) so the body's picture box is centred."""
    eye = cam.pose[:3, 3]
    for _ in range(rounds):
        uv = cam.project(pts)
        if not np.isfinite(uv).all():
            return cam
        u, v = (uv.min(axis=0) + uv.max(axis=0)) / 2
        ray = cam.pose[:3, :3] @ np.array([(u - cam.width / 2) / cam.focal, -(v - cam.height / 2) / cam.focal, -1.0])
        cam = Camera(rolled(look_at(eye, eye + ray), roll_deg), cam.yfov, cam.width, cam.height)
    return cam


def aimed_camera(
    exercise: str,
    dirs: dict[str, np.ndarray],
    pts: np.ndarray,
    side_sign: float,
    width: int,
    height: int,
    *,
    azimuth_deg: float,
    height_m: float,
    body_frac: float,
    yfov_deg: float,
    roll_deg: float = 0.0,
) -> tuple[Camera, dict]:
    """A camera at ``azimuth_deg`` and ``height_m`` looking at the body, moved along the floor
    until the body spans ``body_frac`` of the picture height (or further, if it would not fit);
    returns it and its measured placement (true azimuth, elevation, distance, body_frac).
    The camera looks at the middle of the body's picture box."""
    feet, lateral = body_axes(exercise, dirs, side_sign)
    a = np.radians(azimuth_deg)
    d = np.cos(a) * feet + np.sin(a) * lateral
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    target = (lo + hi) / 2
    target[2] = lo[2] + 0.4 * (hi[2] - lo[2])

    def cam_at(dist: float) -> Camera:
        eye = target + d * dist
        eye[2] = height_m
        cam = Camera(rolled(look_at(eye, target), roll_deg), np.radians(yfov_deg), width, height)
        return _centred(cam, pts, roll_deg)

    near, far = np.log(0.3), np.log(40.0)
    for _ in range(40):  # the body's size falls as the camera moves back
        mid = (near + far) / 2
        if _frac(cam_at(float(np.exp(mid))), pts)[0] > body_frac:
            near = mid
        else:
            far = mid
    dist = float(np.exp(far))
    for _ in range(200):
        if _frac(cam_at(dist), pts)[1]:
            break
        dist *= 1.02
    cam = cam_at(dist)
    eye = cam.pose[:3, 3]
    off = eye - target
    horiz = float(np.hypot(off[0], off[1]))
    az = float(np.degrees(np.arctan2(off[:2] @ lateral[:2], off[:2] @ feet[:2])))
    info = {
        "azimuth_deg": round(az, 2),
        "elevation_deg": round(float(np.degrees(np.arctan2(off[2], horiz))), 2),
        "distance_m": round(float(np.linalg.norm(off)), 3),
        "height_m": round(float(eye[2]), 3),
        "body_frac": round(_frac(cam, pts)[0], 3),
        "yfov_deg": round(float(yfov_deg), 2),
        "roll_deg": round(float(roll_deg), 2),
    }
    return cam, info
