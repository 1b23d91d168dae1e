"""What every motion script returns, plus timing and placement helpers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from samplegen.human import Human
from samplegen.skinning import Posed, pose_human

SIDES = ("left", "right")


@dataclass(frozen=True)
class FramePose:
    """Global bone rotations (canonical frame) and the root head position."""

    rot: dict[str, np.ndarray]
    root_pos: np.ndarray


@dataclass(frozen=True)
class RepPlan:
    """A commanded repetition: times of the motion and the faults acted out."""

    side: str
    start_s: float
    end_s: float
    faults: tuple[str, ...]


@dataclass(frozen=True)
class Episode:
    fault: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class HoldPlan:
    """A commanded hold; ``episodes`` are the fault spells inside it."""

    side: str
    start_s: float
    end_s: float
    episodes: tuple[Episode, ...] = ()


@dataclass
class Clip:
    """A whole performance, ready to pose, label and render."""

    exercise: str
    side: str
    fps: float
    frames: list[FramePose]
    place_rot: np.ndarray
    reps: list[RepPlan] = field(default_factory=list)
    partials: list[RepPlan] = field(default_factory=list)  # lifts too small to be reps (not labelled as reps)
    holds: list[HoldPlan] = field(default_factory=list)
    set_gaps_s: list[float] = field(default_factory=list)  # rep-index boundaries of sets
    measure: Callable[[dict[str, np.ndarray]], float] | None = None
    measure_definition: str = ""
    measure_unit: str = "deg"
    rest_margin: float = 2.0  # a rep starts/ends where the measure leaves/reaches rest + this
    near_peak: float = 3.0  # hold_s counts the time within this of the peak
    ball: bool = False  # render a soft ball between the knees
    place_pos: np.ndarray = field(default_factory=lambda: np.zeros(3))
    floor_z: float = 0.0

    @property
    def duration_s(self) -> float:
        return len(self.frames) / self.fps

    def pose(self, human: Human, i: int, skin: bool = True) -> Posed:
        f = self.frames[i]
        return pose_human(human, f.rot, f.root_pos, self.place_rot, self.place_pos, skin=skin)

    def ground(self, human: Human, floor_z: float, frame: int = 0) -> None:
        """Shift the body so its lowest vertex on ``frame`` touches ``floor_z``.

        Hands are left out: fingers resting on the floor may dip into the mat.
        """
        self.place_pos = np.zeros(3)
        v = self.pose(human, frame).verts
        dom = np.asarray(human.bones)[human.w_idx[:, 0]]
        body = ~np.char.startswith(dom, "wrist")
        centre = v.mean(axis=0)
        self.place_pos = np.array([-centre[0], -centre[1], floor_z - v[body, 2].min()])
        self.floor_z = floor_z

    def directions(self) -> dict[str, np.ndarray]:
        """World unit vectors of the person's body axes (for camera presets)."""
        r = self.place_rot
        return {
            "head": r @ np.array([0.0, 0.0, 1.0]),
            "front": r @ np.array([0.0, -1.0, 0.0]),
            "left": r @ np.array([1.0, 0.0, 0.0]),
        }


def place_matrix(canon: tuple[np.ndarray, np.ndarray], world: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """Rotation taking two canonical axes onto two world axes (third by cross product)."""
    c = np.stack([canon[0], canon[1], np.cross(canon[0], canon[1])], axis=1)
    w = np.stack([world[0], world[1], np.cross(world[0], world[1])], axis=1)
    return w @ c.T


def ease(x: float) -> float:
    """Smooth 0..1 ramp (minimum-jerk profile)."""
    x = min(max(x, 0.0), 1.0)
    return x * x * x * (10 - 15 * x + 6 * x * x)


@dataclass(frozen=True)
class Segment:
    """Value goes from ``a`` to ``b`` between ``t0`` and ``t1`` with an eased ramp."""

    t0: float
    t1: float
    a: float
    b: float

    def at(self, t: float) -> float:
        if self.t1 <= self.t0:
            return self.b
        return self.a + (self.b - self.a) * ease((t - self.t0) / (self.t1 - self.t0))


class Track:
    """A scalar channel built from consecutive eased segments (holds between them)."""

    def __init__(self, start: float) -> None:
        self.segs: list[Segment] = []
        self.t = 0.0
        self.v = start

    def hold(self, dt: float) -> Track:
        self.t += dt
        return self

    def go(self, value: float, dt: float) -> Track:
        self.segs.append(Segment(self.t, self.t + dt, self.v, value))
        self.t += dt
        self.v = value
        return self

    def at(self, t: float) -> float:
        v = self.segs[0].a if self.segs else self.v
        for s in self.segs:
            if t >= s.t0:
                v = s.at(t)
        return v


def pick(over: dict[str, float], key: str, drawn: float) -> float:
    """``over[key]`` if given, else the value drawn from the seed (drawn either way: same stream)."""
    return float(over[key]) if key in over else drawn


def wobble(rng: np.random.Generator, n: int, fps: float, amp: float, hz: float = 0.4) -> np.ndarray:
    """Smooth small random motion (sum of a few sines), length ``n``."""
    t = np.arange(n) / fps
    out = np.zeros(n)
    for _ in range(3):
        f = hz * rng.uniform(0.5, 1.5)
        out += np.sin(2 * np.pi * f * t + rng.uniform(0, 2 * np.pi))
    return amp * out / 3


def episode_level(t: float, start: float, end: float, ramp: float = 0.6) -> float:
    """0..1 intensity of a fault spell whose threshold crossings are ``start``/``end``.

    The ramps are centred on the crossings, so the labelled times sit at half level.
    """
    up = ease((t - start + ramp / 2) / ramp)
    down = 1.0 - ease((t - end + ramp / 2) / ramp)
    return min(up, down)


def hold_episodes(
    items: list[tuple[str, float, float]], hold_start: float, hold_end: float, known: tuple[str, ...]
) -> tuple[Episode, ...]:
    """Episodes given in seconds from the hold start, checked and clipped to the hold."""
    out = []
    for name, a, b in items:
        if name not in known:
            raise ValueError(f"unknown fault {name!r}; known: {list(known)}")
        s, e = hold_start + a, min(hold_start + b, hold_end - 0.5)
        if not hold_start + 0.3 <= s < e:
            raise ValueError(f"episode {name}@{a}-{b} does not fit a hold of {hold_end - hold_start:.1f} s")
        out.append(Episode(name, s, e))
    return tuple(sorted(out, key=lambda e: e.start_s))
