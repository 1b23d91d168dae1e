"""Which person to follow when MediaPipe returns several poses.

Follow the person doing the exercise: once chosen, keep the pose nearest to
the last one (never switch silently to a bystander).  The choice goes to
whoever is in the exercise's posture (the rule's `fits`), then to the person
lowest in the picture and largest (on the floor / on the mat).  For the
first CHOOSE_S seconds, and again for CHOOSE_S once several people are first
seen, the one followed is kept only while in the posture: the estimator
finds the others a few frames in (its search for several people runs beside
the tracking), and the first frames may show only a bystander.  Tell the
user, once in a while, that several people are in view.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .events import Cue, Event
from .pose import Pose

SEVERAL_MIN_AREA = 0.25  # a second person counts if at least this share of the followed one's size
SEVERAL_TEXT = "Several people in view: following the one on the mat"
LOST_MATCH = 0.25  # a pose whose centre moved more than this (image units) is another person
CHOOSE_S = 2.0  # this long after the first person, and after several: the one followed is kept only in the posture


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
        self._choosing_from: float | None = None  # when choosing afresh began (the first person, or several)
        self._seen_several = False

    def __call__(self, poses: list[Pose], t: float) -> tuple[Pose | None, list[Event]]:
        if not poses:
            self._last = None if self._last is not None and t - self._last.t > 1.0 else self._last
            return None, []
        if self._choosing_from is None:
            self._choosing_from = t
        elif len(poses) > 1 and not self._seen_several and self._nearest(poses) is not None:
            self._choosing_from = t  # others joined the one followed (not: ours gone and others there)
        self._seen_several = self._seen_several or len(poses) > 1
        chosen = self._choose(poses, choosing=t - self._choosing_from < CHOOSE_S)
        events: list[Event] = []
        if chosen is None:
            return None, events
        others = [p for p in poses if p is not chosen and p.area() >= SEVERAL_MIN_AREA * chosen.area()]
        if others and (self._told_t is None or t - self._told_t >= self.repeat_s):
            self._told_t = t
            events.append(Cue(t, SEVERAL_TEXT, None, "info"))
        self._last = chosen
        return chosen, events

    def _nearest(self, poses: list[Pose]) -> Pose | None:
        """The pose within LOST_MATCH of the one followed last, if any."""
        if self._last is None:
            return None
        last = _centre(self._last)
        distances = [float(np.linalg.norm(_centre(p) - last)) for p in poses]
        best = int(np.argmin(distances))
        return poses[best] if distances[best] <= LOST_MATCH else None

    def _choose(self, poses: list[Pose], choosing: bool) -> Pose | None:
        """choosing: the one followed is kept only while it is in the posture (or nobody else is there)."""
        if self._last is not None:
            nearest = self._nearest(poses)
            keep = not choosing or len(poses) == 1 or self.prefer is None
            if nearest is not None and (keep or self.prefer(nearest)):  # type: ignore[misc]
                return nearest
            if len(poses) > 1 and not choosing:
                return None  # our person vanished and someone else is there: do not switch
        if self.prefer is not None and len(poses) > 1:
            fitting = [p for p in poses if self.prefer(p)]
            poses = fitting or poses
        return max(poses, key=lambda p: p.area() * (0.5 + p.bbox()[3]))
