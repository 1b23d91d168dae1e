"""What the hold exercises share (figure-four, seated twist; the ball squeeze uses a few pieces).

- Hysteresis: a fault flag with separate raise/clear levels over a short median;
- HoldCoach: the hold clock (_hold_clock.py) with per-side tallies, records and announcements;
- EpisodeCues: which problems to cue, once per episode after a short delay;
- visibility_message, view_of, majority_view: the visibility gate and the camera view;
- HoldRule: the per-frame gate every hold exercise runs before judging
  (no pose -> visibility -> posture -> measure and judge -> coach).

Not an exercise itself: the registry lists its built-ins by class (exercises/__init__.py).
"""

from __future__ import annotations

import statistics
from abc import abstractmethod
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from posecheck.events import Event, HoldEvent, HoldRecord, Say
from posecheck.geometry import unit
from posecheck.pose import Landmark as L
from posecheck.pose import Pose
from posecheck.posture import classify_posture, in_posture, points3d
from posecheck.rules import ExerciseRule, RuleState, unseen_wording

from ._hold_clock import GRACE_S, HoldClock, Stillness

# --- thresholds, each with its reason ----------------------------------------
SIDE_VIEW_DEPTH = 0.8  # hip line within ~37 deg of the lens axis: left/right across the body is a depth guess
PAIR_MIN_VIS = 0.3  # far-side knee/ankle seen from the side read 0.37-0.6 on rendered samples
SIDE_SWITCH_S = 1.0  # the other leg must be seen this long before a hold is closed as a side switch
UNSEEN_PAUSE_S = 0.5  # frames missing longer than this stop the timer (short dropouts do not)
MIN_LOGGED_HOLD_S = 2.0  # holds with less valid time than this are noise, not logged
SMOOTH_FRAMES = 5  # median over the last frames before a threshold is applied
CUE_DELAY_S = 0.7  # a problem is cued once it lasted this long (leaving the position breaks all at once)
SETTLED_CUE_S = 3.0  # before the hold starts a form fault is shown at once but said only once it lasted this long
#                      with the body still: someone settled in a wrong position (the ankle off the thigh from the
#                      start) hears it - lying on the floor they may not see the screen - while moving into position
#                      (1-2 s through faulty shapes) stays quiet
FAULT_MIN_S = 0.5  # a fault is logged on the hold once it lasted this long (a shorter one still pauses the clock):
#                    one fault coming on can jolt another measure past its line for a few frames


@dataclass
class Hysteresis:
    """A fault flag that is raised past `on` and cleared only past `off`.

    above=True: raised when the value goes above `on`; else when below.  The
    value is the median of the last `frames` values, so one jittery frame does
    not flip it; NaN keeps the state.
    """

    on: float
    off: float
    above: bool = True
    frames: int = SMOOTH_FRAMES
    active: bool = False
    _values: list[float] = field(default_factory=list)

    def update(self, value: float) -> bool:
        if not np.isfinite(value):
            return self.active
        self._values = [*self._values, float(value)][-self.frames :]  # frames=1: this value alone
        v = statistics.median(self._values)
        if self.above:
            self.active = v > self.on if not self.active else v > self.off
        else:
            self.active = v < self.on if not self.active else v < self.off
        return self.active

    def reset(self) -> None:
        self.active = False
        self._values = []


class HoldCoach:
    """Hold timing for a hold exercise: pauses, per-side tallies, records, announcements.

    update(t, ok, side, faults, in_position, still) is called on judged frames
    (in_position defaults to ok); unseen(t) on frames where nothing could be judged.
    """

    def __init__(
        self, target_s: float, holds_per_side: int, grace_s: float = GRACE_S, switch_say: str = "Switch sides"
    ) -> None:
        self.timer = HoldClock(target_s, grace_s)
        self.switch_say = switch_say
        self.holds_per_side = holds_per_side
        self.counts: dict[str, int] = {}
        self.records: list[HoldRecord] = []
        self.side: str | None = None
        self._votes: dict[str, int] = {}
        self._faults: set[str] = set()
        self._pending: set[str] = set()
        self._told_full = False
        self._switch_told: set[str] = set()
        self._last_seen: float | None = None
        self._other_since: float | None = None

    def update(
        self,
        t: float,
        ok: bool,
        side: str | None,
        faults: set[str],
        in_position: bool | None = None,
        still: bool = True,
        released: bool = False,
        slowed: bool = False,
    ) -> list[Event]:
        events: list[Event] = []
        self._last_seen = t
        if ok and side is not None and self.timer.running and self.side not in (None, side):
            self._other_since = t if self._other_since is None else self._other_since
            if t - self._other_since < SIDE_SWITCH_S:
                side = self.side  # a side flip for a moment is landmark noise
            else:
                events += self.close(t)  # the other leg: a new hold
        else:
            self._other_since = None
        if ok and side is not None:
            self._votes[side] = self._votes.get(side, 0) + 1
            self.side = side
        was_running = self.timer.running
        closed = self.timer.update(t, ok, ok if in_position is None else in_position, still, released, slowed)
        if self.timer.running:
            # faults of a pause count once the person is back in position; a pause
            # that ends the hold was the person leaving it
            self._pending |= faults
            if ok:
                self._faults |= self._pending
                self._pending = set()
            if not self._told_full and still and self.timer.valid_s >= self.timer.target_s:
                self._told_full = True
                events.append(Say(t, f"{self.timer.target_s:.0f} seconds, well done"))
        if was_running and not self.timer.running:
            events += self._ended(t, closed)
        return events

    def unseen(self, t: float) -> list[Event]:
        """Nothing judged this frame: short gaps are bridged, longer ones count toward the release."""
        if self._last_seen is None or t - self._last_seen <= UNSEEN_PAUSE_S:
            return []
        was_running = self.timer.running
        closed = self.timer.update(t, False, False, False)
        return self._ended(t, closed) if was_running and not self.timer.running else []

    def close(self, t: float) -> list[Event]:
        return self._ended(t, self.timer.finish())

    def _ended(self, t: float, closed: tuple[float, float, float] | None) -> list[Event]:
        """A hold ended: its record (none when it never settled); the next hold starts afresh."""
        if closed is None:
            self._votes, self._faults, self._pending, self._told_full = {}, set(), set(), False
            return []
        return self._record(t, closed)

    def _record(self, t: float, closed: tuple[float, float, float]) -> list[Event]:
        start, end, valid = closed
        votes, self._votes = self._votes, {}
        faults, self._faults, self._pending = self._faults, set(), set()
        self._told_full = False
        if valid < MIN_LOGGED_HOLD_S:
            return []
        side = max(votes, key=lambda s: votes[s]) if votes else (self.side or "unknown")
        complete = valid >= self.timer.target_s - 1e-6
        if complete:
            self.counts[side] = self.counts.get(side, 0) + 1
        record = HoldRecord(side, start, end, valid, tuple(sorted(faults)), complete)
        self.records.append(record)
        events: list[Event] = [HoldEvent(t, record, self.counts.get(side, 0))]
        if complete and self.counts[side] >= self.holds_per_side and side not in self._switch_told:
            self._switch_told.add(side)
            done = all(self.counts.get(s, 0) >= self.holds_per_side for s in ("left", "right"))
            events.append(Say(t, "All done, well done" if done else self.switch_say))
        return events

    def fill(self, state: RuleState) -> None:
        state.side = self.side
        state.count = self.counts.get(self.side or "", 0)
        state.target = self.holds_per_side
        state.per_side = dict(self.counts)
        state.hold_s = self.timer.valid_s if self.timer.running else 0.0
        state.hold_target_s = self.timer.target_s


class EpisodeCues:
    """Which cues to say: each problem once per episode, after it lasted `delay_s`.

    The delay keeps a person who is leaving the position (every check breaks
    within a moment) from hearing a form cue for each of them.
    """

    def __init__(self, delay_s: float = CUE_DELAY_S) -> None:
        self.delay_s = delay_s
        self._since: dict[str, float] = {}
        self._said: set[str] = set()

    def update(self, t: float, problems: set[str], quiet: bool = False, delay_s: float | None = None) -> list[str]:
        """The problems to say now; delay_s overrides the wait for this call."""
        delay = self.delay_s if delay_s is None else delay_s
        for key in [k for k in self._since if k not in problems]:
            del self._since[key]
            self._said.discard(key)
        for key in problems:
            self._since.setdefault(key, t)
        if quiet:
            return []
        due = [k for k in sorted(problems) if k not in self._said and t - self._since[k] >= delay]
        self._said.update(due)
        return due

    def restart_unsaid(self) -> None:
        """After a gap in judging: problems not yet said start their wait again (said ones stay said)."""
        self._since = {k: v for k, v in self._since.items() if k in self._said}


def visibility_message(pose: Pose, groups: dict[str, tuple[int, ...]]) -> str | None:
    """The first message whose landmark pair is not seen well enough, else None.

    A pair counts as seen when one of them is clearly visible (>= 0.5) and the
    other at least faintly (>= PAIR_MIN_VIS): from the side the far knee and
    ankle are occluded, and MediaPipe still places them usefully.
    """
    for message, indices in groups.items():
        v = pose.visibility[list(indices)]
        if float(v.max()) < 0.5 or float(v.min()) < PAIR_MIN_VIS:
            return unseen_wording(pose, message, indices)
    return None


def view_of(pose: Pose) -> str:
    """'side' when the hip line runs along the lens axis (left/right is a depth guess), else 'front'."""
    p = points3d(pose)
    hip_line = unit(p[L.LEFT_HIP] - p[L.RIGHT_HIP])
    return "side" if abs(float(hip_line[2])) > SIDE_VIEW_DEPTH else "front"


VIEW_FRAMES = 300  # the view is the majority of the latest frames (~10 s): kept per rule, never more


def majority_view(views: Sequence[str]) -> str | None:
    """The view most of the last VIEW_FRAMES frames saw (None before 10 frames)."""
    if len(views) < 10:
        return None
    recent = list(views)[-VIEW_FRAMES:]
    return "side" if recent.count("side") > len(recent) / 2 else "front"


@dataclass(frozen=True)
class Verdict:
    """What a hold exercise found in one frame it could judge."""

    side: str | None  # the working side seen in this frame
    faults: set[str]  # form faults (docs/labels.md names); they pause the timer
    setup: str | None = None  # a setup instruction when the position itself is not reached
    hint: str | None = None  # what to show while getting into position (default: setup, else the first fault)
    released: bool = False  # the position plainly left (legs down, legs uncrossed): the hold ends sooner (_hold_clock)


class HoldRule(ExerciseRule):
    """Base of the hold exercises: the gate before judging, the coach after it.

    A subclass names its visibility groups, its posture and the cue for it,
    its fault cues, and implements judge(pose, t) -> Verdict (measure,
    hysteresis, faults).  Everything else (status line, cues once per
    episode, the timer, the view vote, the overlay state) is here.
    """

    visibility: ClassVar[dict[str, tuple[int, ...]]]
    posture: ClassVar[str]
    posture_cue: ClassVar[str]
    fault_cues: ClassVar[dict[str, str]]

    def __init__(self, target_s: float, holds_per_side: int) -> None:
        super().__init__()
        self.coach = HoldCoach(target_s, holds_per_side, switch_say=self.switching("Switch sides"))
        self.episodes = EpisodeCues()
        self._status: str | None = None
        self._active: tuple[str, ...] = ()
        self._views: deque[str] = deque(maxlen=VIEW_FRAMES)  # bounded: a long session keeps the latest only
        self.rolled = False  # this frame's body read rolled onto its side, and let through as on the back
        self.stillness = Stillness()
        self._fault_since: dict[str, float] = {}
        self._judged_t: float | None = None  # the last frame judged (not stopped at the visibility or posture gate)
        self._state = RuleState(self.name, self.title, self.kind, target=holds_per_side, hold_target_s=target_s)

    def set_hold_target(self, seconds: float) -> None:
        self.coach.timer.target_s = seconds  # "well done" and a counted hold at the routine's length

    @abstractmethod
    def judge(self, pose: Pose, t: float) -> Verdict:
        """Measure one pose in the exercise's posture and decide its faults."""

    def visibility_problem(self, pose: Pose) -> str | None:
        """What the visibility gate says for this pose (None: everything the checks need is seen)."""
        return visibility_message(pose, self.visibility)

    def update(self, pose: Pose | None, t: float) -> list[Event]:
        events = self._start(t)
        if pose is None:
            self._status = "No one in view"
            return events + self.coach.unseen(t)
        message = self.visibility_problem(pose)
        events += self.visibility_cue(t, message)
        if message is not None:
            self._status = message
            return events + self.coach.unseen(t)
        posture = classify_posture(pose)
        if not in_posture(posture, self.posture):
            self._status = self.posture_cue
            return events + self.cue(t, self.posture_cue, None, "setup") + self.coach.update(t, False, None, set())
        self.rolled = posture.posture != self.posture  # taken for the posture despite MediaPipe's roll (in_posture)
        self._status = None
        self._views.append(view_of(pose))
        verdict = self.judge(pose, t)
        still = self.stillness.update(pose, t)
        faults = verdict.faults
        if self._judged_t is not None and t - self._judged_t > UNSEEN_PAUSE_S:
            self._fault_since = {}  # a fault seen before a gap is not one that lasted through it
            self.episodes.restart_unsaid()
        self._judged_t = t
        self._fault_since = {f: self._fault_since.get(f, t) for f in faults}
        lasting = {f for f, since in self._fault_since.items() if t - since >= FAULT_MIN_S}  # logged on the hold
        self._active = tuple(sorted(faults))
        ok = verdict.setup is None and not faults
        problems = {verdict.setup} if verdict.setup is not None else set(faults)  # setup first: may be leaving
        holding = self.coach.timer.running
        settled_wrong = not holding and verdict.setup is None and still  # in position, a form fault, not moving
        quiet, delay = not (holding or settled_wrong), CUE_DELAY_S if holding else SETTLED_CUE_S
        for key in self.episodes.update(t, problems, quiet=quiet, delay_s=delay):
            if key in self.fault_cues:
                events += self.cue(t, self.fault_cues[key], key)
            else:
                events += self.cue(t, key, None, "setup")
        if not ok and not holding:  # getting into position: one instruction, on screen (said: above)
            self._status = verdict.hint or verdict.setup or self.fault_cues[sorted(faults)[0]]
        return events + self.coach.update(
            t, ok, verdict.side, lasting, verdict.setup is None, still, verdict.released, self.stillness.slowed
        )

    def finish(self, t: float) -> list[Event]:
        return self.coach.close(t)

    @property
    def view(self) -> str | None:
        return majority_view(self._views)

    def _angle(self, state: RuleState) -> None:
        """Fill the overlay's angle (angle_deg, angle_at) from the last frame measured."""

    @property
    def state(self) -> RuleState:
        s = self._state
        self.coach.fill(s)
        s.status = self._status
        s.view = self.view
        s.active_faults = self._active
        s.phase = "hold" if self.coach.timer.running else "setup"
        self._angle(s)
        return s
