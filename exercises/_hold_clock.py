"""The clock of a hold: when the time of a hold starts, what pauses it, when it ends (used by _holds.HoldCoach).

- HoldClock: ok / fault / out frames -> the hold's start, end and valid seconds;
- Stillness: whether the body has come to rest in the position.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from posecheck.pose import Landmark as L
from posecheck.pose import Pose
from posecheck.posture import points3d

# --- thresholds, each with its reason ----------------------------------------
GRACE_S = 5.0  # unseen (or out of position) this long ends a hold: the person released it; a form fault only pauses
RELEASE_SEEN_S = 2.0  # the position plainly left (the rule says released: legs down, legs uncrossed) this long ends
#                       a hold sooner.  A real figure-four clip releases and sets up again within 4.9 s (two holds, by
#                       eye); unseen frames and lesser setup problems (an elbow off the knee) keep the longer grace
STILL_TOLERANCE = 0.12  # thigh lengths (~5 cm): a joint pair this far from where it rested has moved; MediaPipe
#                         jitter of a body at rest reads <= 0.1 (p95 of knees, ankles, elbows on the rendered holds)
SETTLE_S = 0.3  # at rest this long: settled in the position (the hold's time starts) ...
SETTLE_MAX_S = 3.0  # ... or this long after the checks first held, whatever the jitter: a fidgety hold still counts
MOTION_WINDOW_S = 0.3  # ... or the swing into the position has slowed: the mean pose of the last 0.3 s against the
SWING_TOLERANCE = 0.2  # 0.3 s before differs by less than 0.2 thigh lengths.  Averaging over the windows takes out
#                        the jitter that keeps real people from ever reading still at STILL_TOLERANCE: on two real
#                        clips (seated twist, figure-four) that wait cost 1-2 s of each ~5.4 s hold.  In the second
#                        before a rendered hold's labelled start (tuning half and bundled samples) the measure reads
#                        p5 0.12, p25 0.39, p50 0.54: the legs swinging up; once the swing ends it falls below 0.1
RELEASE_TRIM_MAX_S = 2.0  # on release at most this much time is taken back (leaving a position takes 1-2 s)
ANCHOR_TAU_S = 3.0  # a body at rest may drift slowly: the anchor follows it with this time constant (a faster one
#                    would follow the slow first part of leaving the position too)
FAULT_ONSET_SHARE = 0.5  # a form fault coming on while the body moves is dated halfway back to its last still
#                         moment (at most RELEASE_TRIM_MAX_S): the drift began there and the check broke part-way
#                         through it.  Rendered figure-four holds: a drifting knee was flagged 0.4-0.5 s after its
#                         labelled start (the midpoint of its move), a sliding ankle 0.1 s; taking the whole way back
#                         overshot the ankle's by 0.1 s, half of it (this) left every hold's error the same or smaller
MAX_FRAME_GAP_S = 0.5  # a longer gap between frames is not held time


class HoldClock:
    """The time of one hold: what counts, when it starts, when it ends.

    Each frame is one of three: ok (in position, every check holds), a fault
    (in position, a form check broken: the clock pauses) or out (not in
    position, or nothing judged: after `grace_s` of that the hold ends - the
    person released it).  Time counts from when the body has settled in the
    position (still, see Stillness) - moving into it is not holding it - and
    on release it is taken back to the last moment the body was still: the
    checks break only part-way through leaving the position.  A form fault
    that comes on after the body started moving takes back half that time.
    """

    def __init__(self, target_s: float, grace_s: float = GRACE_S) -> None:
        self.target_s = target_s
        self.grace_s = grace_s
        self.running = False
        self.start_t = 0.0
        self.valid_s = 0.0  # counted time of the open hold
        self.settled = False
        self._last_t: float | None = None
        self._prev_ok = False
        self._last_in_t = 0.0
        self._still_t = 0.0
        self._valid_at_still = 0.0
        self._valid_at_ok = 0.0
        self._out_seen_since: float | None = None

    def update(
        self, t: float, ok: bool, in_position: bool, still: bool, released: bool = False, slowed: bool = False
    ) -> tuple[float, float, float] | None:
        """Advance one frame; returns (start, end, valid_s) when a hold ends.

        released: the body is seen plainly out of the position (after RELEASE_SEEN_S of it the hold ends).
        slowed: the swing into the position has ended (Stillness.slowed), though the body may not read still."""
        dt = 0.0 if self._last_t is None else min(max(0.0, t - self._last_t), MAX_FRAME_GAP_S)
        prev_ok, self._prev_ok, self._last_t = self._prev_ok, ok, t
        if ok and not self.running:
            self.running, self.settled, self.start_t, self.valid_s = True, False, t, 0.0
            self._last_in_t = self._still_t = t
            self._valid_at_still = self._valid_at_ok = 0.0
        if not self.running:
            return None
        if in_position:
            self._last_in_t = t
            self._out_seen_since = None
        elif released and self._out_seen_since is None:
            self._out_seen_since = t  # unseen frames after it do not restart the count: the person got up
        if self._out_seen_since is not None and t - self._out_seen_since >= RELEASE_SEEN_S:
            return self.finish()
        if ok and not self.settled and (still or slowed or t - self.start_t >= SETTLE_MAX_S):
            self.settled, self.start_t = True, t  # the hold starts once the body has come to rest
        elif ok and prev_ok and self.settled:
            self.valid_s += dt
        if ok and self.settled and still:
            self._still_t, self._valid_at_still = t, self.valid_s
        if ok and self.settled:
            self._valid_at_ok = self.valid_s
        if prev_ok and not ok and in_position and self.settled:  # drifting into a fault: part of it was the fault
            moving = self.valid_s - max(self._valid_at_still, self.valid_s - RELEASE_TRIM_MAX_S)
            self.valid_s -= FAULT_ONSET_SHARE * moving
        if not in_position and t - self._last_in_t > self.grace_s:
            return self.finish()
        return None

    def finish(self) -> tuple[float, float, float] | None:
        """End the open hold (release, side switch, end of video); None if none is open."""
        if not self.running:
            return None
        self.running = False
        self._out_seen_since = None
        if not self.settled:
            return None
        # leaving is not holding: back to the last still moment, at most RELEASE_TRIM_MAX_S before the last ok
        # frame (a fault's onset may have taken part of that back already)
        valid = min(self.valid_s, max(self._valid_at_still, self._valid_at_ok - RELEASE_TRIM_MAX_S))
        end = self._still_t if valid < self.valid_s else self._last_in_t
        return self.start_t, end, valid


class Stillness:
    """Whether the body has been at rest for `settle_s`: no joint pair moved `tolerance` from its anchor.

    Positions are taken from the hip centre in thigh lengths (any camera
    distance); each left/right pair is compared either way round, so a label
    swap (the crossed ankle) is not movement.  The anchor follows slow drift
    while at rest and jumps to the pose when the body moves.  `slowed` is the
    coarser question asked of a jittery body: has the swing ended (the mean
    poses of two successive MOTION_WINDOW_S windows within SWING_TOLERANCE)?
    """

    PAIRS = ((L.LEFT_SHOULDER, L.RIGHT_SHOULDER), (L.LEFT_ELBOW, L.RIGHT_ELBOW),
             (L.LEFT_KNEE, L.RIGHT_KNEE), (L.LEFT_ANKLE, L.RIGHT_ANKLE))  # fmt: skip

    def __init__(self, tolerance: float = STILL_TOLERANCE, settle_s: float = SETTLE_S) -> None:
        self.tolerance = tolerance
        self.settle_s = settle_s
        self._anchor: np.ndarray | None = None
        self._since = 0.0
        self._last_t = 0.0
        self._recent: deque[tuple[float, np.ndarray]] = deque()  # the last 2 MOTION_WINDOW_S of poses
        self.slowed = False

    def update(self, pose: Pose, t: float) -> bool:
        p = points3d(pose)
        thighs = ((L.LEFT_HIP, L.LEFT_KNEE), (L.RIGHT_HIP, L.RIGHT_KNEE))
        thigh = float(np.mean([np.linalg.norm(p[k] - p[h]) for h, k in thighs]))
        pairs = np.array([[p[a], p[b]] for a, b in self.PAIRS])
        if not (thigh > 1e-6 and np.isfinite(pairs).all()):
            return False
        now = (pairs - (p[L.LEFT_HIP] + p[L.RIGHT_HIP]) / 2) / thigh
        dt, self._last_t = min(max(t - self._last_t, 0.0), MAX_FRAME_GAP_S), t
        self.slowed = self._swing(now, t) < SWING_TOLERANCE
        if self._anchor is None or self.deviation(now, self._anchor) > self.tolerance:
            self._anchor, self._since = now, t
        else:
            self._anchor += min(1.0, dt / ANCHOR_TAU_S) * (now - self._anchor)
        return t - self._since >= self.settle_s

    def _swing(self, now: np.ndarray, t: float) -> float:
        """How far the mean pose of the last MOTION_WINDOW_S moved from the window before (inf until both exist)."""
        recent = self._recent
        recent.append((t, now))
        while recent and recent[0][0] < t - 2 * MOTION_WINDOW_S:
            recent.popleft()
        last = [x for s, x in recent if s > t - MOTION_WINDOW_S]
        before = [x for s, x in recent if s <= t - MOTION_WINDOW_S]
        if not (last and before):
            return float("inf")
        return self.deviation(np.mean(last, axis=0), np.mean(before, axis=0))

    @staticmethod
    def deviation(now: np.ndarray, anchor: np.ndarray) -> float:
        """Largest move of a joint pair (pairs, 2, 3), each pair matched to the anchor the nearer way round."""
        direct = np.linalg.norm(now - anchor, axis=-1).max(axis=1)
        swapped = np.linalg.norm(now - anchor[:, ::-1], axis=-1).max(axis=1)
        return float(np.minimum(direct, swapped).max())
