"""Landmark smoothing strategies behind one interface (none / EMA / One Euro).

MediaPipe's Tasks API does no temporal smoothing of its own, so posecheck
smooths before any rule decides.  Each filter works on arrays of any shape and
handles missing frames: call reset() when the person is lost.

A non-finite value never enters a filter's state: that element keeps its
last smoothed value (or passes through when there is none yet), so one bad
landmark cannot poison the rest of the session.  The estimator drops such
poses before they get here (pose.sane); this is the second line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from .pose import Pose, sane


class ArrayFilter(Protocol):
    def __call__(self, t: float, x: np.ndarray) -> np.ndarray: ...

    def reset(self) -> None: ...


def _patched(x: np.ndarray, last: np.ndarray | None) -> np.ndarray:
    """x with its non-finite elements replaced by last's (when last has this shape)."""
    bad = ~np.isfinite(x)
    if not bad.any() or last is None or last.shape != x.shape:
        return x
    return np.where(bad, last, x)


class NoFilter:
    def __call__(self, t: float, x: np.ndarray) -> np.ndarray:
        return x

    def reset(self) -> None:
        pass


@dataclass
class EmaFilter:
    """Exponential moving average with a time constant in seconds."""

    tau_s: float = 0.1

    def __post_init__(self) -> None:
        self._t: float | None = None
        self._x: np.ndarray | None = None

    def __call__(self, t: float, x: np.ndarray) -> np.ndarray:
        x = _patched(np.asarray(x, dtype=np.float64), self._x)
        if not math.isfinite(t) or not np.all(np.isfinite(x)):
            return x.copy()  # nothing to start from: passed on, never kept
        if self._x is None or self._t is None or t <= self._t:
            self._t, self._x = t, x.copy()
            return x.copy()
        alpha = 1.0 - math.exp(-(t - self._t) / self.tau_s)
        self._x = self._x + alpha * (x - self._x)
        self._t = t
        return self._x.copy()

    def reset(self) -> None:
        self._t, self._x = None, None


def _alpha(cutoff_hz: np.ndarray | float, dt: float) -> np.ndarray | float:
    tau = 1.0 / (2.0 * math.pi * cutoff_hz)
    return 1.0 / (1.0 + tau / dt)


@dataclass
class OneEuroFilter:
    """The One Euro filter (Casiez, Roussel & Vogel, CHI 2012), element-wise.

    min_cutoff_hz: smoothing at rest (lower = smoother, more lag).
    beta: how fast the cutoff rises with speed (higher = less lag in motion).
    """

    min_cutoff_hz: float = 1.5
    beta: float = 0.3
    d_cutoff_hz: float = 1.0

    def __post_init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self._t: float | None = None
        self._x: np.ndarray | None = None
        self._dx: np.ndarray | None = None

    def __call__(self, t: float, x: np.ndarray) -> np.ndarray:
        x = _patched(np.asarray(x, dtype=np.float64), self._x)
        if not math.isfinite(t) or not np.all(np.isfinite(x)):
            return x.copy()  # nothing to start from: passed on, never kept
        if self._x is None or self._t is None or self._dx is None or t <= self._t:
            self._t, self._x, self._dx = t, x.copy(), np.zeros_like(x)
            return x.copy()
        dt = t - self._t
        dx = (x - self._x) / dt
        a_d = _alpha(self.d_cutoff_hz, dt)
        self._dx = self._dx + a_d * (dx - self._dx)
        cutoff = self.min_cutoff_hz + self.beta * np.abs(self._dx)
        a = _alpha(cutoff, dt)
        self._x = self._x + a * (x - self._x)
        self._t = t
        if not (np.all(np.isfinite(self._x)) and np.all(np.isfinite(self._dx))):  # overflow from huge jumps
            self._t, self._x, self._dx = t, x.copy(), np.zeros_like(x)
        return self._x.copy()


FILTERS = {"none": NoFilter, "ema": EmaFilter, "one-euro": OneEuroFilter}


def make_filter(name: str) -> ArrayFilter:
    try:
        return FILTERS[name]()
    except KeyError:
        raise ValueError(f"unknown smoothing {name!r}; choose one of {', '.join(FILTERS)}") from None


class PoseSmoother:
    """Smooths image and world landmarks of successive poses of one person.

    World landmarks (metres) need their own speed scale, so they get a filter
    with beta scaled for metres rather than normalised image units.
    """

    def __init__(self, name: str = "one-euro", max_gap_s: float = 0.5) -> None:
        self.name = name
        self.max_gap_s = max_gap_s
        self._image = make_filter(name)
        self._world = make_filter(name)
        self._last_t: float | None = None

    def reset(self) -> None:
        self._image.reset()
        self._world.reset()
        self._last_t = None

    def __call__(self, pose: Pose) -> Pose:
        """The pose smoothed; one with junk landmarks (pose.sane) is a missing frame: passed on, state reset."""
        if not math.isfinite(pose.t) or not sane(pose):
            self.reset()
            return pose
        if self._last_t is not None and pose.t - self._last_t > self.max_gap_s:
            self.reset()
        self._last_t = pose.t
        image = self._image(pose.t, pose.image)
        world = self._world(pose.t, pose.world) if pose.world is not None else None
        return pose.replace(image=image, world=world)
