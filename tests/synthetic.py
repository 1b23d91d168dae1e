"""Builders of synthetic poses and pose sequences for rule tests.

A stick body is posed in its own frame (x = person's left, y = toward the
head, z = forward), placed in MediaPipe's camera-aligned world frame
(x right, y down, z away from the camera) by a rotation, and projected with a
pinhole camera for the image landmarks.  Angles are in degrees.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from posecheck.pose import Landmark as L
from posecheck.pose import Pose

THIGH, SHIN, FOOT = 0.45, 0.43, 0.15
UPPER_ARM, FOREARM = 0.3, 0.27


def rot(axis: str, deg: float) -> np.ndarray:
    a = np.radians(deg)
    c, s = np.cos(a), np.sin(a)
    return {
        "x": np.array([[1, 0, 0], [0, c, -s], [0, s, c]]),
        "y": np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]]),
        "z": np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]]),
    }[axis]


@dataclass(frozen=True)
class Limb:
    """A leg or arm: flexion forward, abduction outward, then the distal bend."""

    flex: float = 0.0  # toward forward (+z body)
    abd: float = 0.0  # away from the midline
    bend: float = 0.0  # knee flexion (shin goes backward) / elbow flexion (forearm forward)
    twist: float = 0.0  # rotation of the bend plane about the limb axis


@dataclass(frozen=True)
class Body:
    left_leg: Limb = Limb()
    right_leg: Limb = Limb()
    left_arm: Limb = Limb(abd=10)
    right_arm: Limb = Limb(abd=10)
    pelvis_tilt: float = 0.0  # the left hip moves toward the head (+) about the forward axis
    pelvis_roll: float = 0.0  # the pelvis turns about the trunk axis (+: left hip goes back)
    trunk_twist: float = 0.0  # shoulders turn to the left about the trunk axis
    hip_flex_trunk: float = 0.0  # trunk leans back from the thighs (seated poses use legs instead)
    trunk_side_bend: float = 0.0  # shoulders and head tip about the forward axis toward the right (+)


def _limb_points(
    root: np.ndarray, side: float, limb: Limb, lengths: tuple[float, float], leg: bool
) -> list[np.ndarray]:
    down = np.array([0.0, -1.0, 0.0])
    direction = rot("x", -limb.flex) @ down  # flex: rotate toward +z
    direction = rot("z", side * limb.abd) @ direction  # abduct toward this side's x
    mid = root + lengths[0] * direction
    # bend plane: knee bends the shin backward (-z), elbow bends the forearm forward
    bend_axis = np.cross(direction, np.array([0.0, 0.0, 1.0]))
    if np.linalg.norm(bend_axis) < 1e-6:
        bend_axis = np.array([1.0, 0.0, 0.0])
    bend_axis /= np.linalg.norm(bend_axis)
    bend_axis = _axis_rotate(bend_axis, direction, limb.twist)
    sign = -1.0 if leg else 1.0
    distal = _axis_rotate(direction, bend_axis, sign * limb.bend)
    end = mid + lengths[1] * distal
    return [mid, end, distal]


def _axis_rotate(v: np.ndarray, axis: np.ndarray, deg: float) -> np.ndarray:
    axis = axis / np.linalg.norm(axis)
    a = np.radians(deg)
    return v * np.cos(a) + np.cross(axis, v) * np.sin(a) + axis * np.dot(axis, v) * (1 - np.cos(a))


def body_points(body: Body) -> np.ndarray:
    """(33, 3) landmarks in the body frame (metres, hip-mid at the origin)."""
    p = np.zeros((33, 3))
    pelvis = rot("z", body.pelvis_tilt) @ rot("y", body.pelvis_roll)
    p[L.LEFT_HIP] = pelvis @ [0.1, 0, 0]
    p[L.RIGHT_HIP] = pelvis @ [-0.1, 0, 0]
    chest = rot("y", -body.trunk_twist)
    bend = rot("z", body.trunk_side_bend)
    p[L.LEFT_SHOULDER] = bend @ (chest @ [0.18, 0, 0] + [0, 0.5, 0])
    p[L.RIGHT_SHOULDER] = bend @ (chest @ [-0.18, 0, 0] + [0, 0.5, 0])
    head = bend @ (chest @ [0, 0, 0.1] + [0, 0.72, 0])
    for i in range(11):  # face points around the head
        p[i] = head + bend @ chest @ [0.02 * ((i % 3) - 1), 0.01 * (i % 2), 0.0]
    p[L.NOSE] = head
    for side, hip, knee, ankle, heel, foot, limb in (
        (1.0, L.LEFT_HIP, L.LEFT_KNEE, L.LEFT_ANKLE, L.LEFT_HEEL, L.LEFT_FOOT, body.left_leg),
        (-1.0, L.RIGHT_HIP, L.RIGHT_KNEE, L.RIGHT_ANKLE, L.RIGHT_HEEL, L.RIGHT_FOOT, body.right_leg),
    ):
        mid, end, shin_dir = _limb_points(p[hip], side, limb, (THIGH, SHIN), leg=True)
        p[knee], p[ankle] = mid, end
        p[heel] = end + 0.05 * shin_dir - 0.04 * chest @ [0, 0, 1]
        p[foot] = end + FOOT * (chest @ [0, 0, 1])
    for side, sh, el, wr, hand, limb in (
        (1.0, L.LEFT_SHOULDER, L.LEFT_ELBOW, L.LEFT_WRIST, (17, 19, 21), body.left_arm),
        (-1.0, L.RIGHT_SHOULDER, L.RIGHT_ELBOW, L.RIGHT_WRIST, (18, 20, 22), body.right_arm),
    ):
        mid, end, _ = _limb_points(p[sh], side, limb, (UPPER_ARM, FOREARM), leg=False)
        p[el], p[wr] = mid, end
        for j in hand:
            p[j] = end
    return p


@dataclass(frozen=True)
class Camera:
    """Where the body is, seen from the camera: body frame -> camera world frame."""

    rotation: np.ndarray = field(default_factory=lambda: np.eye(3))
    distance: float = 3.0
    focal: float = 1.1  # in image heights
    aspect: float = 4.0 / 3.0


def placement(posture: str, side: str = "left", view: str = "front") -> Camera:
    """Standard placements.

    posture: "side-lying" (the working side up), "supine", "seated".
    view: "front" (chest toward the lens; for "supine" the lens sees the body from its side), "back",
    "feet" (supine: from the feet, camera raised and looking down 30 deg), "feet-oblique" (feet
    toward the lens at 45 deg, camera raised 30 deg), "side" (the body's long axis across the picture).
    """
    # body frame -> a "floor" frame: X right, Y down (gravity), Z away from the camera
    if posture == "side-lying":
        # chest toward the camera (-Z); head to the left for side=left, right for side=right
        up_side = 1.0 if side == "left" else -1.0
        # body x (left) -> world -Y * up_side ; body y (head) -> world -X ; body z (forward) -> world -Z
        left = np.array([0.0, -up_side, 0.0])
        head = np.array([-up_side, 0.0, 0.0])
        fwd = np.cross(left, head)
        base = np.column_stack([left, head, fwd])
    elif posture == "supine":
        # face up (-Y), head to the left (-X)
        head = np.array([-1.0, 0.0, 0.0])
        fwd = np.array([0.0, -1.0, 0.0])
        left = np.cross(head, fwd)
        base = np.column_stack([left, head, fwd])
    elif posture == "seated":
        head = np.array([0.0, -1.0, 0.0])
        fwd = np.array([0.0, 0.0, -1.0])
        left = np.cross(head, fwd)
        base = np.column_stack([left, head, fwd])
    else:
        raise ValueError(posture)
    if view == "front":
        view_rot = np.eye(3)
    elif view == "back":
        view_rot = rot("y", 180)  # turned about the vertical: the back toward the lens
    elif view == "feet-oblique":
        view_rot = rot("x", -30) @ rot("y", 45)  # turn feet toward the lens, then look down
    elif view == "feet":
        view_rot = rot("x", 30) @ rot("y", 90 if posture == "supine" else 0)  # from the feet, looking down 30 deg
    elif view == "side":
        view_rot = rot("y", 90) if posture == "seated" else rot("x", -20)
    else:
        raise ValueError(view)
    return Camera(view_rot @ base)


def rolled(camera: Camera, deg: float) -> Camera:
    """The camera turned by `deg` about its viewing axis (a phone propped crookedly): the picture's
    content turns clockwise on screen by `deg`, about the picture's centre."""
    return replace(camera, rotation=rot("z", deg) @ camera.rotation)


def make_pose(body: Body, camera: Camera, t: float = 0.0, visibility: float = 0.99, noise: float = 0.0,
              rng: np.random.Generator | None = None) -> Pose:  # fmt: skip
    return project(body_points(body), camera, t, visibility, noise, rng)


def project(local: np.ndarray, camera: Camera, t: float = 0.0, visibility: float = 0.99, noise: float = 0.0,
            rng: np.random.Generator | None = None) -> Pose:  # fmt: skip
    """A Pose from (33, 3) body-frame points placed by the camera."""
    world = local @ camera.rotation.T
    if noise and rng is not None:
        world = world + rng.normal(0.0, noise, world.shape)
    z = world[:, 2] + camera.distance
    image = np.column_stack(
        [0.5 + camera.focal * world[:, 0] / z / camera.aspect, 0.5 + camera.focal * world[:, 1] / z]
    )
    return Pose(image, np.full(33, visibility), world, t, camera.aspect)


def sequence(keyframes: list[tuple[float, Body]], fps: float = 30.0) -> list[tuple[float, Body]]:
    """Bodies at each frame time, linearly interpolated between keyframes (t, Body)."""
    out: list[tuple[float, Body]] = []
    times = [k[0] for k in keyframes]
    for t in np.arange(times[0], times[-1] + 1e-9, 1.0 / fps):
        i = max(0, min(len(keyframes) - 2, int(np.searchsorted(times, t, side="right")) - 1))
        (t0, b0), (t1, b1) = keyframes[i], keyframes[i + 1]
        w = 0.0 if t1 == t0 else float(np.clip((t - t0) / (t1 - t0), 0.0, 1.0))
        out.append((float(t), lerp_body(b0, b1, w)))
    return out


def _lerp(a: object, b: object, w: float) -> object:
    if isinstance(a, float | int) and isinstance(b, float | int):
        return a + (b - a) * w
    if isinstance(a, Limb) and isinstance(b, Limb):
        return Limb(*(float(_lerp(x, y, w)) for x, y in zip(a.__dict__.values(), b.__dict__.values(), strict=True)))  # type: ignore[arg-type]
    return a


def lerp_body(a: Body, b: Body, w: float) -> Body:
    return replace(a, **{k: _lerp(getattr(a, k), getattr(b, k), w) for k in a.__dataclass_fields__})


# posture -> (floor normal, azimuth 0, azimuth +90) in the body frame, as posecheck.views measures them
FLOORS = {
    "supine": ((0, 0, 1), (0, -1, 0), (1, 0, 0)),  # chest up; feet; the person's left
    "side-lying": ((1, 0, 0), (0, -1, 0), (0, 0, 1)),  # left side up; feet; front
    "side-lying-right-up": ((-1, 0, 0), (0, -1, 0), (0, 0, 1)),
    "seated": ((0, 1, 0), (0, 0, 1), (1, 0, 0)),  # trunk up; front; the person's left
}


def view_camera(floor: str, azimuth: float, elevation: float) -> Camera:
    """A camera (no roll) at this azimuth and elevation from the body, on the floor of FLOORS[floor]."""
    n, a, b = (np.array(v, dtype=float) for v in FLOORS[floor])
    az, el = np.radians(azimuth), np.radians(elevation)
    to_camera = np.cos(el) * (np.cos(az) * a + np.sin(az) * b) + np.sin(el) * n
    z = -to_camera  # the lens looks at the body
    y = -n - np.dot(-n, z) * z  # image down: gravity, as far as the tilt allows
    y /= np.linalg.norm(y)
    return Camera(np.stack([np.cross(y, z), y, z]))
