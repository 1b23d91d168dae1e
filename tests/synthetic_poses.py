"""Poses the stick Body cannot reach by joint angles alone (extends synthetic.py).

Figure-four and the seated twist put a foot at a given place (on the other
thigh, beside the other knee); the knee is then solved on the circle of
points a thigh from the hip and a shin from the foot.  Every builder returns
(33, 3) body-frame points for `synthetic.project`.  Angles in degrees.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import numpy as np

from posecheck.geometry import project_out, signed_angle_in_plane, unit
from posecheck.pose import Landmark as L
from posecheck.pose import Pose
from synthetic import FOOT, SHIN, THIGH, Body, Camera, Limb, body_points, project

LEG = {"left": (L.LEFT_HIP, L.LEFT_KNEE, L.LEFT_ANKLE, L.LEFT_HEEL, L.LEFT_FOOT),
       "right": (L.RIGHT_HIP, L.RIGHT_KNEE, L.RIGHT_ANKLE, L.RIGHT_HEEL, L.RIGHT_FOOT)}  # fmt: skip
OTHER = {"left": "right", "right": "left"}
X = np.array([1.0, 0.0, 0.0])  # body frame: x = person's left, y = head, z = forward


def knee_circle(hip: np.ndarray, ankle: np.ndarray, n: int = 360) -> np.ndarray:
    """(n, 3) knee positions a thigh from the hip and a shin from the ankle."""
    d = ankle - hip
    dist = float(np.clip(np.linalg.norm(d), 1e-6, THIGH + SHIN - 1e-6))
    axis = d / np.linalg.norm(d)
    a = (dist**2 + THIGH**2 - SHIN**2) / (2 * dist)
    r = np.sqrt(max(THIGH**2 - a**2, 0.0))
    u = unit(np.cross(axis, [0.0, 1.0, 0.0]) if abs(axis[1]) < 0.9 else np.cross(axis, X))
    v = np.cross(axis, u)
    phi = np.linspace(0, 2 * np.pi, n, endpoint=False)[:, None]
    return hip + a * axis + r * (np.cos(phi) * u + np.sin(phi) * v)


def knee_out_angle(crossed: np.ndarray, support: np.ndarray, side: str) -> float:
    """Signed angle of the crossed thigh from the support thigh, seen along the body's long axis."""
    y = np.array([0.0, 1.0, 0.0])
    out = X if side == "left" else -X
    return signed_angle_in_plane(project_out(crossed, y), project_out(support, y), out)


def place_leg(p: np.ndarray, side: str, ankle: np.ndarray, score: Callable[[np.ndarray], np.ndarray]) -> None:
    """Put `side`'s ankle at `ankle` and its knee at the best-scoring point of the knee circle."""
    hip, knee, ank, heel, foot = LEG[side]
    candidates = knee_circle(p[hip], ankle)
    p[knee] = candidates[int(np.argmax(score(candidates)))]
    shin = unit(ankle - p[knee])
    p[ank] = ankle
    p[heel] = ankle + 0.05 * shin
    p[foot] = ankle + FOOT * unit(np.cross(shin, X) if abs(shin[0]) < 0.9 else [0.0, 1.0, 0.0])


@dataclass(frozen=True)
class FigureFour:
    """Lying on the back; `side` = the crossed leg (its ankle on the other thigh)."""

    side: str = "left"
    knee_out: float = 30.0  # crossed thigh from the support thigh, seen along the trunk, toward its side
    hip_flex: float = 80.0  # support thigh toward the chest
    ankle_at: float = 0.85  # where the ankle rests along the support thigh (0 hip .. 1 knee)
    ankle_gap: float = 0.06  # ankle height above the support thigh (m)
    pelvis_tilt: float = 0.0
    slide: float = 0.0  # the ankle moved this far toward the crossed leg's side (m), off the thigh

    def points(self) -> np.ndarray:
        support = OTHER[self.side]
        legs = {f"{support}_leg": Limb(flex=self.hip_flex, bend=85.0)}
        p = body_points(replace(Body(pelvis_tilt=self.pelvis_tilt), **legs))
        sh, sk = LEG[support][:2]
        thigh = p[sk] - p[sh]
        lift = unit(np.cross(thigh, X)) * (1 if self.side == "left" else -1)
        lift = lift if lift[1] > 0 else -lift  # the upper face of the thigh (toward the head)
        target = p[sh] + self.ankle_at * thigh + self.ankle_gap * lift + self.slide * (X if self.side == "left" else -X)
        ch = LEG[self.side][0]

        def closeness(k: np.ndarray) -> np.ndarray:
            out = np.array([knee_out_angle(q - p[ch], thigh, self.side) for q in k])
            return -np.abs(out - self.knee_out) - 1000 * (k[:, 2] < 0.05) + 0.01 * k[:, 2]

        place_leg(p, self.side, target, closeness)
        return p


@dataclass(frozen=True)
class SeatedTwist:
    """Sitting on the floor; `side` = the bent leg, foot beside the straight knee."""

    side: str = "left"
    rotation: float = 35.0  # trunk turned toward the bent knee
    hip_lift: float = 0.0  # the bent side's hip raised (pelvic tilt, deg)
    bent: bool = True  # False: both legs straight (setting up)
    elbow: bool = True  # False: the opposite elbow is not at the knee

    def points(self) -> np.ndarray:
        s = 1.0 if self.side == "left" else -1.0
        straight = OTHER[self.side]
        body = Body(
            left_leg=Limb(flex=88.0),
            right_leg=Limb(flex=88.0),
            left_arm=Limb(flex=-40.0, abd=25.0),  # hands on the floor behind
            right_arm=Limb(flex=-40.0, abd=25.0),
            pelvis_tilt=s * self.hip_lift,
            trunk_twist=-s * self.rotation,
        )
        p = body_points(body)
        if not self.bent:
            return p
        sk = LEG[straight][1]
        target = p[sk] + np.array([0.08 * -s, 0.0, 0.0])  # just past the straight knee, across the midline
        target[1] = min(target[1], p[sk][1])
        place_leg(p, self.side, target, lambda k: k[:, 1])  # knee up
        if self.elbow:
            bk = LEG[self.side][1]
            elbow, wrist = (L.RIGHT_ELBOW, L.RIGHT_WRIST) if self.side == "left" else (L.LEFT_ELBOW, L.LEFT_WRIST)
            p[elbow] = p[bk] + np.array([0.07 * s, 0.0, 0.02])
            p[wrist] = p[elbow] + 0.27 * unit(p[LEG[self.side][2]] - p[bk])
            for j in (17, 19, 21) if self.side == "right" else (18, 20, 22):
                p[j] = p[wrist]
        return p


def lerp_points(a: np.ndarray, b: np.ndarray, w: float) -> np.ndarray:
    return a + (b - a) * w


def point_sequence(keyframes: list[tuple[float, np.ndarray]], fps: float = 30.0) -> Iterator[tuple[float, np.ndarray]]:
    """Points at each frame time, linearly interpolated between keyframes (t, points)."""
    times = [k[0] for k in keyframes]
    for t in np.arange(times[0], times[-1] + 1e-9, 1.0 / fps):
        i = max(0, min(len(keyframes) - 2, int(np.searchsorted(times, t, side="right")) - 1))
        (t0, a), (t1, b) = keyframes[i], keyframes[i + 1]
        w = 0.0 if t1 == t0 else float(np.clip((t - t0) / (t1 - t0), 0.0, 1.0))
        yield float(t), lerp_points(a, b, w)


def run_points(rule: object, keyframes: list[tuple[float, np.ndarray]], camera: Camera, noise: float = 0.0,
               dropout: float = 0.0, low_vis: float = 0.0, seed: int = 0,
               fps: float = 10.0) -> list[object]:  # fmt: skip
    """Feed a rule the interpolated sequence; returns its events (finish included).

    10 fps by default (webcams give 15-30): the rules must not depend on a high frame rate, and tests stay fast.
    """
    rng = np.random.default_rng(seed)
    events: list[object] = []
    t = 0.0
    for t, points in point_sequence(keyframes, fps):
        pose: Pose | None = project(points, camera, t, noise=noise, rng=rng)
        r = rng.random()
        if r < dropout:
            pose = None
        elif r < dropout + low_vis and pose is not None:
            pose.visibility[[25, 26, 27, 28]] = 0.2
        events += rule.update(pose, t)  # type: ignore[attr-defined]
    events += rule.finish(t)  # type: ignore[attr-defined]
    return events
