"""Saying why motion goes uncounted: silence is the worst answer a coach can give.

UncountedWatch looks at the legs (knees and ankles, around the hip centre, in trunk lengths in the
picture) and at what the rule did.  When the legs have gone back and forth for `window_s` seconds
and the rule counted nothing - no rep or hold, none under way - it tells the person why, once
every `repeat_s`: the rule's own reason (its setup or visibility message: "Straighten your top
leg", "Knees unclear: more light, hold still"), or that the movement was not counted.  When the
rule's message keeps changing (MediaPipe losing and finding the body by turns), none of its
messages is true: the person hears that the camera cannot see them clearly.  For a hold
exercise, a body held still for `window_s` in a position that the rule does not accept is told the
same way.  Each telling is a Cue (shown and said) and an Uncounted event (the report's `uncounted`).
"""

from __future__ import annotations

from collections import deque

import numpy as np

from .events import Cue, Event, HoldEvent, RepEvent, Uncounted
from .pose import Landmark as L
from .pose import Pose
from .rules import ExerciseRule

# --- thresholds, each with its reason ----------------------------------------
WINDOW_S = 6.0  # nothing counted for this long while moving (a rep takes 1-5 s; two would have been counted)
REPEAT_S = 15.0  # told again at most this often (a cue is short; the person needs time to act on it)
MOVE_MIN = 0.25  # trunk lengths: a knee or ankle going back and forth this far is an attempt at a rep (the ankle of
#                  a 20 deg leg lift travels ~0.5 trunk lengths, a knee drop of a clamshell ~0.3); breathing and
#                  MediaPipe's jitter of a still body move them < 0.05
STILL_MAX = 0.08  # trunk lengths: legs moving less than this over the window are held still (a hold attempt)
CROSSINGS_MIN = 3  # back, forth and back: at least three crossings of the middle of the travel
FLICKER_CHANGES = 8  # the rule's message changed this often within the window: MediaPipe keeps losing the body (a
#                      rendered feet-raised ball squeeze read on the back, not, knees hidden, nobody, by turns); its
#                      messages say nothing true then, the picture does
ACTIVE_PHASES = ("lift", "squeeze", "hold")  # the rule is counting something now
LEGS = (L.LEFT_KNEE, L.RIGHT_KNEE, L.LEFT_ANKLE, L.RIGHT_ANKLE)
MIN_VISIBILITY = 0.5


def leg_positions(pose: Pose) -> np.ndarray | None:
    """Knees and ankles around the hip centre, in trunk lengths in the picture (8 numbers), or None."""
    if float(pose.visibility[list(LEGS)].min()) < MIN_VISIBILITY:
        return None
    p = pose.image * np.array([pose.aspect, 1.0])  # square units across and down
    hips = (p[L.LEFT_HIP] + p[L.RIGHT_HIP]) / 2
    trunk = float(np.linalg.norm((p[L.LEFT_SHOULDER] + p[L.RIGHT_SHOULDER]) / 2 - hips))
    if not trunk > 1e-6:
        return None
    out = (p[list(LEGS)] - hips) / trunk
    return out.ravel() if np.isfinite(out).all() else None


def crossings(values: np.ndarray) -> int:
    """How often a series crosses the middle of its range, with hysteresis of a quarter of the range."""
    lo, hi = float(np.percentile(values, 5)), float(np.percentile(values, 95))
    mid, band = (lo + hi) / 2, (hi - lo) / 4
    state, count = 0, 0
    for v in values:
        now = 1 if v > mid + band else -1 if v < mid - band else state
        if state and now != state:
            count += 1
        state = now
    return count


class UncountedWatch:
    """Tells why motion that looked like a rep (or stillness that looked like a hold) was not counted."""

    def __init__(self, window_s: float = WINDOW_S, repeat_s: float = REPEAT_S) -> None:
        self.window_s = window_s
        self.repeat_s = repeat_s
        self._t: deque[float] = deque()
        self._x: deque[np.ndarray] = deque()
        self._counted_t: float | None = None
        self._said_t: float | None = None
        self._first_t: float | None = None
        self._status: deque[tuple[float, str | None]] = deque()

    def update(self, t: float, pose: Pose | None, rule: ExerciseRule, events: list[Event]) -> list[Event]:
        if self._first_t is None:
            self._first_t = t
        state = rule.state
        if state.phase in ACTIVE_PHASES or any(isinstance(e, RepEvent | HoldEvent) for e in events):
            self._counted_t = t
        self._status.append((t, state.status))
        while self._status and self._status[0][0] < t - self.window_s:
            self._status.popleft()
        x = leg_positions(pose) if pose is not None else None
        if x is not None:
            self._t.append(t)
            self._x.append(x)
        while self._t and self._t[0] < t - self.window_s:
            self._t.popleft()
            self._x.popleft()
        since = self._counted_t if self._counted_t is not None else self._first_t
        if t - since < self.window_s or (self._said_t is not None and t - self._said_t < self.repeat_s):
            return []
        if len(self._t) < 10 or self._t[-1] - self._t[0] < 0.8 * self.window_s:
            return []
        flicker = sum(a[1] != b[1] for a, b in zip(self._status, list(self._status)[1:], strict=False))
        what = self._what(np.array(self._x), state.kind)
        if what is None and flicker < FLICKER_CHANGES:
            return []
        reason = rule.uncounted_reason(what or "moving", unclear=flicker >= FLICKER_CHANGES)
        if reason is None:
            return []
        self._said_t = t
        return [Uncounted(t, reason, start_s=t - self.window_s), Cue(t, reason, None, "setup")]

    @staticmethod
    def _what(x: np.ndarray, kind: str) -> str | None:
        """'moving' (legs going back and forth), 'still' (a hold exercise's body held still) or None."""
        travel = np.percentile(x, 95, axis=0) - np.percentile(x, 5, axis=0)
        widest = int(np.argmax(travel))
        if travel[widest] >= MOVE_MIN and crossings(x[:, widest]) >= CROSSINGS_MIN:
            return "moving"
        if kind == "hold" and float(travel.max()) <= STILL_MAX:
            return "still"
        return None
