"""Adductor ball squeeze, lying on the back (EXERCISES.md §3): reps and sets.

The squeeze is near-isometric: the knees close on the ball by a few
centimetres.  Counting needs the camera at the feet, where the knees'
separation lies across the picture, so the signal is the knee gap in the
picture divided by the hip width in the picture (median of the last
seconds): MediaPipe measures the picture; its 3-D depth is a guess, and on
the rendered male clip the 3-D gap's jitter was as large as the squeeze.
It is median-filtered over 0.3 s.  A squeeze is a dip of that gap below the
release level (median of the not-squeezing frames of the last 15 s).  The
noise floor is the frame-to-frame jitter (scaled to the median filter); the
rep thresholds are set from it between reps (enter = max(0.05, 5 sigma),
exit = enter / 2), so jitter while resting is never counted, whatever the
camera and the person's distance; when it would need more than any real
squeeze the rule says the knees are unclear instead of counting.  Frames
whose 3-D hip width jumps (a MediaPipe misfit) are skipped like dropouts.

Per frame also: knee angles and foot height (crook lying), and the
`hips_lifted` fault (a glute bridge).  From the side: how far the hips rise
above the line from the shoulders to the ankles (both stay on the floor).
From the feet that is mostly depth, so the picture is used as well: the
pelvis rising toward the ceiling shortens the shoulder-to-hip distance in
the picture against its resting level.  From the side the knee gap is a
depth guess and reps are not counted (the report says so), but the hips are
still judged.
"""

from __future__ import annotations

import itertools
import statistics
from collections import deque
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from posecheck.counters import RepCounter
from posecheck.events import Event, RepEvent, RepRecord, Say, SetEvent
from posecheck.geometry import joint_angle
from posecheck.pose import Landmark as L
from posecheck.pose import Pose
from posecheck.posture import chest_direction, classify_posture, hip_flexion, leg_chains, points3d
from posecheck.rules import CueLimiter, ExerciseRule, RuleState, missing_message
from posecheck.views import ViewSpec

from .figure_four import EpisodeCues, Hysteresis, majority_view, view_of

T = TypeVar("T")

# --- thresholds, each with its reason ----------------------------------------
KNEE_MIN_DEG = 35.0  # spec starts at 60-120 deg; real crook lying (feet near the buttocks) reads 41-48 deg
KNEE_MAX_DEG = 150.0  # ... and feet further out up to 120; seen from raised feet (foreshortened) 112-139
FEET_DOWN_MAX = 0.35  # ankles at most 0.35 thigh lengths above the hips (along the chest direction)
HIP_LIFT_FAULT = 0.25  # hips above the shoulder-ankle line, thigh lengths: a real bridge reads 0.40-0.43,
HIP_LIFT_CLEAR = 0.18  # crook lying 0.02-0.13 (real side views and the rendered feet view); hysteresis
# From the feet the 3-D lift is mostly depth, a guess; the picture shows it instead: the pelvis rising
# toward the ceiling moves up the picture toward the shoulders (which stay down), so the shoulder-to-hip
# distance in the picture shrinks by about lift x cos(camera pitch) against a hip width of 20-25 cm.
RISE_FAULT = 0.2  # shrink below its resting level, in hip widths (~6 cm of lift seen from 30-55 deg):
RISE_CLEAR = 0.12  # midway between squeezes (they move MediaPipe's hips <= 0.1) and 10-14 cm rendered
# bridges (MediaPipe reads 0.23-0.5; geometry alone says 0.4-0.6: its hips move less than the pelvis)
SHOULDERS_MOVED = 0.3  # shoulders this far (hip widths) off their resting spot: MediaPipe misplaced them
# (or the person shifted): the rise is not judged that frame - lying down, the shoulders stay put
RISE_MEDIAN_S = 0.6  # judged on the median of the last 0.6 s: a bridge is held through the squeeze (1-2 s),
# while MediaPipe's misfits (the shoulders dropped onto the hips, smoothed into a 0.2-0.3 s decay) come alone
MIN_SQUEEZE = 0.05  # smallest counted squeeze: 5 % of the hip width (~1 cm); below it is not a squeeze
SMOOTH_S = 0.3  # running median over 0.3 s (9 frames at 30 fps): a squeeze ramps in 0.4 s and holds
# 1 s or more, so it survives; white jitter shrinks by ~1.25/sqrt(frames) (the floor from frame differences)
HIP_WIDTH_TOL = 0.15  # 3-D hip width or the shoulder width in the picture off its running median by > 15 %:
# a MediaPipe misfit, skipped like a dropout (body constants: lying still they vary < 3 %; misfits - a
# shoulder dropped onto the hips - read 30-90 % off.  The hips' width in the picture is no constant from the
# feet: a bridge brings them nearer the lens and MediaPipe's reads up to 20 % wider)
MAX_ENTER = 0.3  # noise puts the enter threshold above 30 % of the hip width: a firm squeeze closes the
# knees 10-25 % (2-5 cm on 20-25 cm), so nothing real could be told from jitter: say so, count nothing
NOISE_K = 5.0  # enter threshold = 5 noise sigmas: resting jitter crosses it ~never
EXIT_FRACTION = 0.5  # release when the dip is back under half the enter threshold
REST_FRACTION = 0.3  # "at rest" for the rep's start time
WINDOW_S = 15.0  # release level (median) and jitter over the last 15 s of not-squeezing frames
CALIBRATE_S = 1.5  # seconds of position before anything is counted (noise floor first; a shorter
MIN_REST_SAMPLES = 15  # window under-reads correlated jitter: 1 s let a resting test count a rep)
# the same calibration gives the picture's resting shoulder-to-hip distance (RISE_*)
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
    "unsteady": "Knees unclear: more light, hold still",
}


@dataclass(frozen=True)
class Frame:
    """The per-frame measures of one crook-lying pose."""

    gap: float  # knee gap / hip width, 3-D (world)
    hip_width: float  # metres (world)
    image_gap: float  # knee gap / hip width, in the picture
    image_width: float  # hip width in the picture, image heights
    image_shoulder_mid: tuple[float, float]  # in the picture, image heights
    image_hip_mid: tuple[float, float]
    image_shoulders: float  # shoulder width in the picture, image heights
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
    px = pose.pixels_iso
    image_width = float(np.linalg.norm(px[L.LEFT_HIP] - px[L.RIGHT_HIP]))
    image_gap = float(np.linalg.norm(px[L.LEFT_KNEE] - px[L.RIGHT_KNEE])) / max(image_width, 1e-6)
    sh_mid = (px[L.LEFT_SHOULDER] + px[L.RIGHT_SHOULDER]) / 2
    hip_px = (px[L.LEFT_HIP] + px[L.RIGHT_HIP]) / 2
    knee_angles = (float(knees[0]), float(knees[1]))
    shoulders_px = float(np.linalg.norm(px[L.LEFT_SHOULDER] - px[L.RIGHT_SHOULDER]))
    return Frame(gap, width, image_gap, image_width, (float(sh_mid[0]), float(sh_mid[1])),
                 (float(hip_px[0]), float(hip_px[1])), shoulders_px, knee_angles, feet_up, flex, lift)  # fmt: skip


def jitter_sigma(values: list[float]) -> float:
    """Frame-to-frame jitter: 1.4826 x median |difference| / sqrt 2 (a squeeze's slow ramp hardly counts).

    The noise floor.  A spread of the resting level (a MAD) would also take in
    every squeeze not yet counted and every MediaPipe misfit (the knees read
    apart while the hips lift): on the rendered male clip that lifted the
    threshold past the squeezes for good.  Frame differences see neither.
    """
    if len(values) < 5:
        return 0.0
    return 1.4826 * statistics.median(abs(b - a) for a, b in itertools.pairwise(values)) / np.sqrt(2.0)


class BallSqueeze(ExerciseRule):
    name = "ball-squeeze"
    title = "Ball squeeze"
    kind = "reps"
    description = "On your back, knees bent, ball between the knees: squeeze, release; 10-15 reps, 3 sets"
    # the knee gap needs both knees across the picture; from the side it is depth (reps not counted)
    views = ViewSpec(("feet-raised",), ("feet", "feet-side"), "Place the camera at your feet, raised")
    camera_advice = "At your feet, so both knees show"
    posture = "supine"

    def __init__(self, reps_max: int = REPS_MAX, sets: int = SETS) -> None:
        super().__init__()
        self.reps_max = reps_max
        self.sets_target = sets
        self.counter = RepCounter(MIN_SQUEEZE, MIN_SQUEEZE * EXIT_FRACTION, MIN_SQUEEZE * REST_FRACTION,
                                  min_rep_s=MIN_REP_S)  # fmt: skip
        self.hips = Hysteresis(HIP_LIFT_FAULT, HIP_LIFT_CLEAR)
        self._rising = False  # hips_lifted from the picture (RISE_FAULT / RISE_CLEAR hysteresis)
        self._shrink: deque[tuple[float, float]] = deque()  # (t, torso shrink) over the last RISE_MEDIAN_S
        self._rest_spots: deque[tuple[float, np.ndarray]] = deque()  # (t, shoulder-mid + hip-mid), hips down
        self.episodes = EpisodeCues()
        self.hint = CueLimiter(10.0)
        self.reps = 0
        self.sets: list[int] = []
        self._set_reps = 0
        self._last_rep_t: float | None = None
        self._widths: deque[float] = deque(maxlen=90)  # 3-D hip width, metres
        self._image_widths: deque[float] = deque(maxlen=90)  # hip width in the picture
        self._image_shoulders: deque[float] = deque(maxlen=90)  # shoulder width in the picture
        self._raw: deque[tuple[float, float]] = deque()  # (t, gap) over the last SMOOTH_S
        self._rest: deque[tuple[float, float]] = deque()  # (t, gap) while not squeezing
        self._unfiltered: deque[tuple[float, float]] = deque()  # (t, gap) before the median filter
        self._in_position_since: float | None = None
        self._misfit_since: float | None = None
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
        if self._misfit(frame):
            if self._misfit_since is None:
                self._misfit_since = t
            if t - self._misfit_since > UNSEEN_S:  # not one slip: MediaPipe cannot place this body steadily
                self._status = SETUP["unsteady"]
                events += self.hint(t, SETUP["unsteady"], "not_visible", "setup")
            return events + self._out_of_position(t)
        self._misfit_since = None
        self._views.append(view_of(pose))
        events += self._judge_hips(t, frame, self._views[-1])
        if self._views[-1] == "side" or min(pose.visibility[[L.LEFT_KNEE, L.RIGHT_KNEE]]) < KNEE_VIS:
            self._status = SETUP["view"]
            return events + self.hint(t, SETUP["view"], "not_visible", "setup") + self._out_of_position(t)
        return events + self._count(t, frame)

    def _misfit(self, frame: Frame) -> bool:
        """A body constant (hip or shoulder width) jumped: MediaPipe misplaced a joint this frame."""
        pairs = ((self._widths, frame.hip_width), (self._image_shoulders, frame.image_shoulders))
        if any(seen and abs(value / statistics.median(seen) - 1.0) > HIP_WIDTH_TOL for seen, value in pairs):
            return True
        for seen, value in pairs:
            seen.append(value)
        self._image_widths.append(frame.image_width)  # not a gate: a bridge brings the hips nearer the lens
        return False

    @staticmethod
    def _crook(frame: Frame) -> bool:
        """Knees bent within range and feet down."""
        return KNEE_MIN_DEG <= min(frame.knees) <= max(frame.knees) <= KNEE_MAX_DEG and frame.feet_up <= FEET_DOWN_MAX

    def _judge_hips(self, t: float, frame: Frame, view: str) -> list[Event]:
        lifted = self.hips.update(frame.hip_lift)
        if view != "side":  # from the feet: the pelvis rising in the picture (after a resting baseline)
            lifted = self._picture_rise(t, frame) or lifted
        self._active = ("hips_lifted",) if lifted else ()
        if not lifted:
            return []
        self._rep_faults.add("hips_lifted")
        if self._hips_episodes and t - self._hips_episodes[-1][1] < 1.0:
            self._hips_episodes[-1][1] = t
        else:
            self._hips_episodes.append([t, t])
        return self.cue(t, CUE_HIPS, "hips_lifted")

    def _picture_rise(self, t: float, frame: Frame) -> bool:
        """Seen from the feet: has the hip mid moved up the picture toward the resting shoulders?"""
        spots = np.array([*frame.image_shoulder_mid, *frame.image_hip_mid])
        width = statistics.median(self._image_widths)
        span = t - self._rest_spots[0][0] if self._rest_spots else 0.0
        if span >= CALIBRATE_S and len(self._rest_spots) >= MIN_REST_SAMPLES:
            rest = np.median([v for _, v in self._rest_spots], axis=0)
            moved = float(np.linalg.norm(spots[:2] - rest[:2])) / width
            shrink = float(np.linalg.norm(rest[2:] - rest[:2]) - np.linalg.norm(spots[2:] - rest[:2])) / width
            if moved > SHOULDERS_MOVED:
                return self._rising  # not judged this frame
            self._shrink.append((t, shrink))
            while t - self._shrink[0][0] > RISE_MEDIAN_S:
                self._shrink.popleft()
            median = statistics.median(v for _, v in self._shrink)
            self._rising = median > (RISE_CLEAR if self._rising else RISE_FAULT)
        if not self._rising:
            self._push(self._rest_spots, t, spots)
        return self._rising

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
        if self._in_position_since is None:
            self._in_position_since = t
        self._last_counted = t
        raw = frame.image_gap * frame.image_width / statistics.median(self._image_widths)
        self._raw.append((t, raw))
        while t - self._raw[0][0] > SMOOTH_S:
            self._raw.popleft()
        gap = statistics.median(g for _, g in self._raw)
        self._push(self._unfiltered, t, raw)
        if not self.counter.active:
            self._push(self._rest, t, gap)
        if t - self._in_position_since < CALIBRATE_S or len(self._rest) < MIN_REST_SAMPLES:
            self._status = "Hold still a moment"
            return []
        rest = [g for _, g in self._rest]
        release = statistics.median(rest)
        median_share = 1.2533 / np.sqrt(len(self._raw))  # a median of n keeps ~1.25/sqrt(n) of white jitter
        self._sigma = median_share * jitter_sigma([g for _, g in self._unfiltered])
        enter = max(MIN_SQUEEZE, NOISE_K * self._sigma)
        if enter > MAX_ENTER and not self.counter.active:
            self._status = SETUP["unsteady"]
            return self.hint(t, SETUP["unsteady"], "not_visible", "setup")
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
    def _push(buffer: deque[tuple[float, T]], t: float, value: T) -> None:
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


__all__ = ["BallSqueeze", "jitter_sigma", "measure"]
