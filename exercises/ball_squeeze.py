"""Adductor ball squeeze, lying on the back (EXERCISES.md §3): reps and sets.

The squeeze is near-isometric: the knees close on the ball by a few
centimetres.  The signal is the knee gap (3-D distance between the knees)
divided by the hip width (median of the last seconds, it does not change),
median-filtered over 5 frames.  A squeeze is a dip of that gap below the
release level (median of the not-squeezing frames of the last 15 s).  The
noise floor is the larger of a robust MAD of those same frames (upper half
only) and the frame-to-frame jitter; the rep thresholds are set from it each
frame (enter = max(0.05, 5 sigma), exit = enter / 2), so jitter while resting
is never counted, whatever the camera and the person's distance.

Per frame also: knee angles and foot height (crook lying), and how far the
hips rise above the line from the shoulders to the ankles (both stay on the
floor): a glute bridge lifts them, the `hips_lifted` fault.  Counting needs both knees seen across the picture
(camera at the feet); from the side the knee gap is a depth guess and is not
counted, but the hips are still judged.
"""

from __future__ import annotations

import itertools
import statistics
from collections import deque
from dataclasses import dataclass

import numpy as np

from posecheck.counters import RepCounter
from posecheck.events import Event, RepEvent, RepRecord, Say, SetEvent
from posecheck.geometry import joint_angle
from posecheck.pose import Landmark as L
from posecheck.pose import Pose
from posecheck.posture import chest_direction, classify_posture, hip_flexion, leg_chains, points3d
from posecheck.rules import CueLimiter, ExerciseRule, RuleState, missing_message

from ._holds import EpisodeCues, Hysteresis, majority_view, view_of

# --- thresholds, each with its reason ----------------------------------------
KNEE_MIN_DEG = 35.0  # spec starts at 60-120 deg; real crook lying (feet near the buttocks) reads 41-48 deg
KNEE_MAX_DEG = 150.0  # ... and feet further out up to 120; seen from raised feet (foreshortened) 112-139
FEET_DOWN_MAX = 0.35  # ankles at most 0.35 thigh lengths above the hips (along the chest direction)
HIP_LIFT_FAULT = 0.25  # hips above the shoulder-ankle line, thigh lengths: a real bridge reads 0.40-0.43,
HIP_LIFT_CLEAR = 0.18  # crook lying 0.02-0.13 (real side views and the rendered feet view); hysteresis
MIN_SQUEEZE = 0.05  # smallest counted squeeze: 5 % of the hip width (~1 cm); below it is not a squeeze
MEDIAN_NOISE_SHARE = 0.6  # a 5-frame median keeps ~0.56 of white jitter: the floor from frame differences
NOISE_K = 5.0  # enter threshold = 5 noise sigmas: resting jitter crosses it ~never
EXIT_FRACTION = 0.5  # release when the dip is back under half the enter threshold
REST_FRACTION = 0.3  # "at rest" for the rep's start time
WINDOW_S = 15.0  # release level (median) and noise (MAD) over the last 15 s of not-squeezing frames
CALIBRATE_S = 1.5  # seconds of position before anything is counted (noise floor first; a shorter
MIN_REST_SAMPLES = 15  # window under-reads correlated jitter: 1 s let a resting test count a rep)
MIN_REP_S = 0.6  # a squeeze and release takes longer than this
MIN_SQUEEZE_S = 0.3  # ... and stays past the enter threshold this long (not a jitter spike)
SET_PAUSE_S = 10.0  # spec: a pause > ~10 s closes a set
REPS_MIN, REPS_MAX, SETS = 10, 15, 3  # spec dose: 10-15 reps a set, up to 3 sets
KNEE_VIS = 0.5  # both knees this visible to measure their gap
UNSEEN_S = 0.5  # a dropout (no pose, low visibility) shorter than this does not break a squeeze

VISIBILITY = {
    "Move back: hips not visible": (L.LEFT_HIP, L.RIGHT_HIP),
    "Move back: shoulders not visible": (L.LEFT_SHOULDER, L.RIGHT_SHOULDER),
}
CUE_HIPS = "Keep your hips on the floor"
SETUP = {
    "supine": "Lie on your back",
    "crook": "Bend your knees, feet flat",
    "view": "Camera at your feet to count",
}


@dataclass(frozen=True)
class Frame:
    """The per-frame measures of one crook-lying pose."""

    gap: float  # knee gap / hip width
    hip_width: float  # metres (world)
    knees: tuple[float, float]  # knee angles, degrees
    feet_up: float  # highest ankle above the hips along the chest direction, thigh lengths
    hip_flex: float  # mean hip flexion, degrees
    hip_lift: float  # hip mid above the shoulder-to-ankle line (toward the chest side), thigh lengths


def measure(pose: Pose) -> Frame:
    """All ball-squeeze measures of one pose (no state)."""
    p = points3d(pose)
    chains = leg_chains(pose)
    knees = tuple(joint_angle(p[c[0]], p[c[1]], p[c[2]]) for c in chains.values())
    width = float(np.linalg.norm(p[L.LEFT_HIP] - p[L.RIGHT_HIP]))
    gap = float(np.linalg.norm(p[L.LEFT_KNEE] - p[L.RIGHT_KNEE])) / width if width > 1e-6 else float("nan")
    chest = chest_direction(pose)
    hip_mid = (p[L.LEFT_HIP] + p[L.RIGHT_HIP]) / 2
    thigh = float(np.mean([np.linalg.norm(p[c[1]] - p[c[0]]) for c in chains.values()]))
    feet_up = max(float(np.dot(p[c[2]] - hip_mid, chest)) for c in chains.values()) / max(thigh, 1e-6)
    flex = float(np.mean([hip_flexion(pose, c[0], c[1]) for c in chains.values()]))
    shoulders = (p[L.LEFT_SHOULDER] + p[L.RIGHT_SHOULDER]) / 2
    line = (p[L.LEFT_ANKLE] + p[L.RIGHT_ANKLE]) / 2 - shoulders
    s = float(np.dot(hip_mid - shoulders, line) / max(float(np.dot(line, line)), 1e-9))
    lift = float(np.dot(hip_mid - (shoulders + s * line), chest)) / max(thigh, 1e-6)
    return Frame(gap, width, (float(knees[0]), float(knees[1])), feet_up, flex, lift)


def robust_sigma(values: list[float]) -> float:
    """Normal-equivalent jitter from the upper half: 1.4826 x median deviation above the median.

    Squeezes only pull the gap down, so a squeeze caught among the resting
    frames (before the first count, or one too faint to count) cannot inflate
    the noise floor and raise the threshold past the squeezes themselves.
    """
    if len(values) < 5:
        return float("nan")
    m = statistics.median(values)
    return 1.4826 * statistics.median([v - m for v in values if v >= m])


def jitter_sigma(values: list[float]) -> float:
    """Frame-to-frame jitter: 1.4826 x median |difference| / sqrt 2 (a squeeze's slow ramp hardly counts).

    Settles within a second, where a MAD of a few correlated samples under-reads.
    """
    if len(values) < 5:
        return 0.0
    return 1.4826 * statistics.median(abs(b - a) for a, b in itertools.pairwise(values)) / np.sqrt(2.0)


class BallSqueeze(ExerciseRule):
    name = "ball-squeeze"
    title = "Ball squeeze"
    kind = "reps"
    description = "On your back, knees bent, ball between the knees: squeeze, release; 10-15 reps, 3 sets"
    camera_advice = "At your feet, so both knees show"
    posture = "supine"

    def __init__(self, reps_max: int = REPS_MAX, sets: int = SETS) -> None:
        super().__init__()
        self.reps_max = reps_max
        self.sets_target = sets
        self.counter = RepCounter(MIN_SQUEEZE, MIN_SQUEEZE * EXIT_FRACTION, MIN_SQUEEZE * REST_FRACTION,
                                  min_rep_s=MIN_REP_S)  # fmt: skip
        self.hips = Hysteresis(HIP_LIFT_FAULT, HIP_LIFT_CLEAR)
        self.episodes = EpisodeCues()
        self.hint = CueLimiter(10.0)
        self.reps = 0
        self.sets: list[int] = []
        self._set_reps = 0
        self._last_rep_t: float | None = None
        self._widths: deque[float] = deque(maxlen=90)
        self._raw: deque[float] = deque(maxlen=5)
        self._rest: deque[tuple[float, float]] = deque()  # (t, gap) while not squeezing
        self._unfiltered: deque[tuple[float, float]] = deque()  # (t, gap) before the median filter
        self._in_position_since: float | None = None
        self._last_counted: float | None = None
        self._rep_faults: set[str] = set()
        self._dip = float("nan")
        self._sigma = float("nan")
        self._status: str | None = None
        self._active: tuple[str, ...] = ()
        self._views: list[str] = []
        self._hips_episodes: list[list[float]] = []
        self._state = RuleState(self.name, self.title, self.kind, target=REPS_MIN)

    # --- per frame -------------------------------------------------------------
    def update(self, pose: Pose | None, t: float) -> list[Event]:
        events = self._start(t) + self._maybe_close_set(t)
        if pose is None:
            self._status = "No one in view"
            return events + self._out_of_position(t)
        message = missing_message(pose, VISIBILITY)
        if message is None and max(pose.visibility[[L.LEFT_KNEE, L.RIGHT_KNEE]]) < 0.5:
            message = "Move back: knees not visible"
        if message is None and max(pose.visibility[[L.LEFT_ANKLE, L.RIGHT_ANKLE]]) < 0.5:
            message = "Move back: feet not visible"
        if message is not None:
            self._status = message
            return events + self.cue(t, message, "not_visible", "setup") + self._out_of_position(t)
        setup = None
        frame = measure(pose)
        if classify_posture(pose).posture != "supine":
            setup = "supine"
        elif not self._crook(frame):
            setup = "crook"
        for key in self.episodes.update(t, {setup} if setup else set()):
            events += self.cue(t, SETUP[key], None, "setup")
        if setup is not None:
            self._status = SETUP[setup]
            return events + self._out_of_position(t)
        self._status = None
        events += self._judge_hips(t, frame)
        self._views.append(view_of(pose))
        if self._views[-1] == "side" or min(pose.visibility[[L.LEFT_KNEE, L.RIGHT_KNEE]]) < KNEE_VIS:
            self._status = SETUP["view"]
            return events + self.hint(t, SETUP["view"], "not_visible", "setup") + self._out_of_position(t)
        return events + self._count(t, frame)

    @staticmethod
    def _crook(frame: Frame) -> bool:
        """Knees bent within range and feet down."""
        return KNEE_MIN_DEG <= min(frame.knees) <= max(frame.knees) <= KNEE_MAX_DEG and frame.feet_up <= FEET_DOWN_MAX

    def _judge_hips(self, t: float, frame: Frame) -> list[Event]:
        lifted = self.hips.update(frame.hip_lift)
        self._active = ("hips_lifted",) if lifted else ()
        if not lifted:
            return []
        self._rep_faults.add("hips_lifted")
        if self._hips_episodes and t - self._hips_episodes[-1][1] < 1.0:
            self._hips_episodes[-1][1] = t
        else:
            self._hips_episodes.append([t, t])
        return self.cue(t, CUE_HIPS, "hips_lifted")

    def _out_of_position(self, t: float) -> list[Event]:
        """Nothing is counted out of position; after UNSEEN_S a squeeze in progress is dropped."""
        if self._last_counted is not None and t - self._last_counted <= UNSEEN_S:
            return []  # a short dropout: carry on
        self._in_position_since = None
        self._raw.clear()
        if self.counter.active:
            self.counter.reset()
        return []

    def _count(self, t: float, frame: Frame) -> list[Event]:
        self._last_counted = t
        if self._in_position_since is None:
            self._in_position_since = t
        self._widths.append(frame.hip_width)
        self._raw.append(frame.gap * frame.hip_width / statistics.median(self._widths))
        gap = statistics.median(self._raw)
        self._push(self._unfiltered, t, self._raw[-1])
        if not self.counter.active:
            self._push(self._rest, t, gap)
        if t - self._in_position_since < CALIBRATE_S or len(self._rest) < MIN_REST_SAMPLES:
            self._status = "Hold still a moment"
            return []
        rest = [g for _, g in self._rest]
        release = statistics.median(rest)
        self._sigma = max(robust_sigma(rest), MEDIAN_NOISE_SHARE * jitter_sigma([g for _, g in self._unfiltered]))
        enter = max(MIN_SQUEEZE, NOISE_K * self._sigma)
        self._dip = release - gap
        was_active = self.counter.active
        if not was_active:  # thresholds move only between reps
            self.counter.enter, self.counter.exit = enter, enter * EXIT_FRACTION
            self.counter.rest, self.counter.dwell_band = enter * REST_FRACTION, enter * EXIT_FRACTION
        cycle = self.counter.update(t, self._dip)
        if not was_active and not self.counter.active:  # resting: faults count from here
            self._rep_faults = set(self._active)
        if cycle is None:
            return []
        above = [tt for tt, v in zip(cycle.samples_t, cycle.samples_v, strict=True) if v > self.counter.enter]
        if not above or above[-1] - above[0] < MIN_SQUEEZE_S:
            return []
        return self._close_rep(cycle.start_t, cycle.peak_t, cycle.end_t, cycle.peak, cycle.dwell_s)

    @staticmethod
    def _push(buffer: deque[tuple[float, float]], t: float, value: float) -> None:
        buffer.append((t, value))
        while buffer and t - buffer[0][0] > WINDOW_S:
            buffer.popleft()

    def _close_rep(self, start: float, peak_t: float, end: float, peak: float, dwell: float) -> list[Event]:
        self.reps += 1
        self._set_reps += 1
        self._last_rep_t = end
        faults = tuple(sorted(self._rep_faults))
        self._rep_faults = set(self._active)
        width = statistics.median(self._widths) if self._widths else float("nan")
        extra = {
            "gap_change_pct": 100.0 * peak,  # the peak, in % of the hip width (the JSON rounds to 0.1)
            "gap_change_cm": 100.0 * peak * width,  # ... in MediaPipe's world centimetres (approximate)
            "noise_sigma_pct": 100.0 * float(self._sigma),
            "enter_pct": 100.0 * float(self.counter.enter),
        }
        record = RepRecord("both", start, peak_t, end, peak, dwell, faults, extra)
        events: list[Event] = [RepEvent(end, record, self.reps)]
        if self._set_reps == REPS_MIN:
            events.append(Say(end, f"{REPS_MIN} reps, up to {self.reps_max}"))
        elif self._set_reps == self.reps_max:
            events.append(Say(end, "Set done, rest a moment"))
        return events

    def _maybe_close_set(self, t: float) -> list[Event]:
        if self._set_reps == 0 or self._last_rep_t is None or self.counter.active:
            return []
        if t - self._last_rep_t <= SET_PAUSE_S:
            return []
        return self._close_set(t)

    def _close_set(self, t: float) -> list[Event]:
        reps, self._set_reps = self._set_reps, 0
        self.sets.append(reps)
        events: list[Event] = [SetEvent(t, "both", reps)]
        if len(self.sets) == self.sets_target:
            events.append(Say(t, f"{self.sets_target} sets done, well done"))
        return events

    def finish(self, t: float) -> list[Event]:
        return self._close_set(t) if self._set_reps else []

    # --- views -----------------------------------------------------------------
    @property
    def view(self) -> str | None:
        return majority_view(self._views)

    @property
    def state(self) -> RuleState:
        s = self._state
        s.side = "both"
        s.count = self._set_reps
        s.sets = len(self.sets)
        s.per_side = {"both": self.reps}
        s.status = self._status
        s.view = self.view
        s.active_faults = self._active
        s.angle_deg = None if not np.isfinite(self._dip) else 100.0 * self._dip  # % of hip width
        s.angle_at = (L.LEFT_KNEE, L.LEFT_HIP, L.RIGHT_KNEE)
        s.phase = "squeeze" if self.counter.active else "release"
        return s

    def report_extras(self) -> dict[str, object]:
        counted = self.view != "side" and bool(self._views)
        extras: dict[str, object] = {
            "view": self.view,
            "faults_judged": {"hips_lifted": bool(self._views)},
            "reps_judged": counted,
            "noise_sigma": None if not np.isfinite(self._sigma) else round(self._sigma, 4),
            "hips_lifted_s": [[round(a, 2), round(b, 2)] for a, b in self._hips_episodes],
        }
        if not counted:
            extras["not_judged"] = {"reps": "knee gap needs the camera at the feet (both knees across the picture)"}
        return extras


__all__ = ["BallSqueeze", "measure", "robust_sigma"]
