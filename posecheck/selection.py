"""Which person to follow when MediaPipe returns several poses.

Follow the person doing the exercise: once chosen, keep the pose nearest to
the last one (never switch silently to a bystander).  The first choice is the
person lowest in the picture and largest (on the floor / on the mat).
Tell the user, once in a while, that several people are in view.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .events import Cue, Event
from .pose import Pose

SEVERAL_MIN_AREA = 0.25  # a second person counts if at least this share of the followed one's size
SEVERAL_TEXT = "Several people in view: following the one on the mat"
LOST_MATCH = 0.25  # a pose whose centre moved more than this (image units) is another person


def _centre(pose: Pose) -> np.ndarray:
    x0, y0, x1, y1 = pose.bbox()
    return np.array([(x0 + x1) / 2, (y0 + y1) / 2])


class PersonSelector:
    """prefer: a test of "doing the exercise" (e.g. the rule's fits); those who pass come first."""

    def __init__(self, repeat_s: float = 20.0, prefer: Callable[[Pose], bool] | None = None) -> None:
        self.repeat_s = repeat_s
        self.prefer = prefer
        self._last: Pose | None = None
        self._told_t: float | None = None

    def __call__(self, poses: list[Pose], t: float) -> tuple[Pose | None, list[Event]]:
        if not poses:
            self._last = None if self._last is not None and t - self._last.t > 1.0 else self._last
            return None, []
        chosen = self._choose(poses)
        events: list[Event] = []
        if chosen is None:
            return None, events
        others = [p for p in poses if p is not chosen and p.area() >= SEVERAL_MIN_AREA * chosen.area()]
        if others and (self._told_t is None or t - self._told_t >= self.repeat_s):
            self._told_t = t
            events.append(Cue(t, SEVERAL_TEXT, None, "info"))
        self._last = chosen
        return chosen, events

    def _choose(self, poses: list[Pose]) -> Pose | None:
        if self._last is not None:
            last = _centre(self._last)
            distances = [float(np.linalg.norm(_centre(p) - last)) for p in poses]
            best = int(np.argmin(distances))
            if distances[best] <= LOST_MATCH:
                return poses[best]
            if len(poses) > 1:
                return None  # our person vanished and someone else is there: do not switch
        if self.prefer is not None and len(poses) > 1:
            fitting = [p for p in poses if self.prefer(p)]
            poses = fitting or poses
        return max(poses, key=lambda p: p.area() * (0.5 + p.bbox()[3]))
