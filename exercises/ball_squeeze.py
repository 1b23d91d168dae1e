"""Adductor ball squeeze, lying on the back (docs/exercises.md §3): reps and sets.

The squeeze is near-isometric: the knees close on the ball by a few
centimetres.  Counting needs the camera at the feet, where the knees'
separation lies across the picture, so the signal is the knees' separation
across the axis their wander follows in the picture, over the hips' (median
of the last seconds).  Not the 3-D gap: MediaPipe's depth is a guess.  Not
the straight distance in the picture either: from the feet MediaPipe's knees
wander along the thighs, up and down the picture (rendered male clip: 12 px,
and 25 px lower while squeezing, against 2 px across), which hid the
squeezes.  That axis (BodyAxis: the knees' main axis of moves over seconds,
near the trunk's, else the trunk's) is upright for a level camera and turns
with a phone propped crookedly: read across the picture's horizontal, a
20 deg roll let the wander in (4 reps for 20 on the recorded male clip with
its picture turned).
It is median-filtered over 0.3 s.  A squeeze is a dip of that gap below the
release level (median of the not-squeezing frames of the last 15 s).  The
noise floor is the spread of gap differences 0.2 s apart (wander_sigma);
the rep thresholds are set from it between reps (enter = max(0.05,
5 sigma), exit = enter / 2 or half the squeeze's peak), so jitter while
resting is not counted, whatever the camera and the person's distance;
when it would need more than any real squeeze the rule says the knees are
unclear instead of counting.  Frames whose 3-D hip width jumps (a
MediaPipe misfit) are skipped like dropouts.

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

import statistics
from collections import deque

import numpy as np

from posecheck.counters import RepCounter
from posecheck.events import Event, RepEvent, RepRecord, Say, SetEvent
from posecheck.pose import Landmark as L
from posecheck.pose import Pose
from posecheck.posture import classify_posture, in_posture
from posecheck.rules import CueLimiter, ExerciseRule, RuleState, missing_message, unseen_wording
from posecheck.views import ViewSpec

from ._holds import VIEW_FRAMES, EpisodeCues, Hysteresis, majority_view, view_of
from ._squeeze_axis import BodyAxis
from ._squeeze_measure import Frame, across, hip_width_across, measure, push, steady, wander_sigma
from ._squeeze_rise import PictureRise

# --- thresholds, each with its reason ----------------------------------------
KNEE_MIN_DEG = 35.0  # spec starts at 60-120 deg; real crook lying (feet near the buttocks) reads 41-48 deg
KNEE_MAX_DEG = 150.0  # ... and feet further out up to 120; seen from raised feet (foreshortened) 112-139
FEET_DOWN_MAX = 0.35  # ankles at most 0.35 thigh lengths above the hips (along the chest direction)
HIP_LIFT_FAULT = 0.25  # hips above the shoulder-ankle line, thigh lengths: a real bridge reads 0.40-0.43,
HIP_LIFT_CLEAR = 0.18  # crook lying 0.02-0.13 (real side views and the rendered feet view); hysteresis
MIN_SQUEEZE = 0.05  # smallest counted squeeze: 5 % of the hip width (~1 cm); below it is not a squeeze
SMOOTH_S = 0.3  # running median over 0.3 s (9 frames at 30 fps): a squeeze ramps in 0.4 s and holds
# 1 s or more, so it survives; one-frame misreads do not
HIP_WIDTH_TOL = 0.15  # 3-D hip width or the shoulder width in the picture off its running median by > 15 %:
# a MediaPipe misfit, skipped like a dropout (body constants: lying still they vary < 3 %; misfits - a
# shoulder dropped onto the hips - read 30-90 % off.  The hips' width in the picture is no constant from the
# feet: a bridge brings them nearer the lens and MediaPipe's reads up to 20 % wider)
HIP_WIDTH_3D_TOL = 0.35  # ... but the 3-D hip width only past 35 %: a firm squeeze pulls MediaPipe's hips together
#                          (a rendered 8 cm squeeze from the raised feet read the 3-D hip width 27 % narrow at its
#                          peak, and the rep was dropped as a misfit; over the tuning half and the samples, squeezes
#                          read p99 31 %, max 36 %); the misfits above read 30-90 % off
HIPS_WINDOW_S = 3.0  # body constants are medians over the last 3 s, and the knee gap's unit (the hip line in the
#                     picture) over the last 3 s at rest: seconds, not frames, so that with frames dropped (live on
#                     a busy machine) a window spans the same stretch of squeezes and rests
REBASE_S = 1.0  # a "misfit" or a shoulder shift that lasts 1 s and agrees with itself is a new normal:
# the camera or the person moved (a routine moves the camera from the side to the feet); calibrate anew
MAX_ENTER = 0.3  # noise puts the enter threshold above 30 % of the hip width: a firm squeeze closes the
# knees 10-25 % (2-5 cm on 20-25 cm), so nothing real could be told from jitter: say so, count nothing
NOISE_K = 5.0  # enter threshold = 5 noise sigmas: resting jitter crosses it ~never
NOISE_LAG_S = 0.2  # the noise floor from differences of the filtered gap this far apart (wander_sigma): the
# jitter MediaPipe's tracking and the One Euro filter leave is correlated over frames (rendered male clip at rest:
# 1 frame apart reads 0.004, 0.2 s 0.016, its full spread 0.025); longer lags also catch more squeeze ramps
# (0.25-0.3 s missed squeezes in the synthetic 10 fps sets); rests there reach 0.08 against 5 x 0.016
EXIT_FRACTION = 0.5  # release when the dip is back under half the enter threshold
RELEASE_SHARE = 0.5  # ... or under half the squeeze's own peak (RepCounter.release_share): MediaPipe reads
# some releases between squeezes as half releases (2x10 render: 0.27 -> 0.10 -> 0.27); until a full release
# the next squeeze must deepen by half that peak from the lowest point since (a misread spike: one rep)
REST_FRACTION = 0.3  # "at rest" for the rep's start time
AXIS_WINDOW_S = 10.0  # the body's axis in the picture: median of the last 10 s (steady: camera roll + the lie)
WINDOW_S = 15.0  # release level: median of the last 15 s of not-squeezing frames; noise floor: of all the
# counted frames of the last 15 s (wander_sigma)
CALIBRATE_S = 1.5  # seconds of position before anything is counted (noise floor first; a shorter
MIN_REST_SAMPLES = 30  # window under-reads correlated jitter: 1 s let a resting test count a rep), and 30
# frames: the noise floor's lower quartile of 13 differences (1.5 s at 10 fps) read low and counted a rest
# the same calibration gives the picture's resting shoulder-to-hip distance (RISE_*)
MIN_REP_S = 0.6  # a squeeze and release takes longer than this
MIN_SQUEEZE_S = 0.3  # ... and stays past the enter threshold this long (not a jitter spike)
SET_PAUSE_S = 10.0  # spec: a pause > ~10 s closes a set
REPS_MIN, REPS_MAX, SETS = 10, 15, 3  # spec dose: 10-15 reps a set, up to 3 sets
KNEE_VIS = 0.5  # both knees this visible to measure their gap
UNSEEN_S = 1.0  # a dropout (no pose, a MediaPipe misfit burst, a posture flicker) shorter than this does not
# break a squeeze nor the calibration: bursts of 0.3-0.7 s of a flipped skeleton come mid-squeeze on the
# rendered feet views (0.5 s dropped a squeeze and re-calibrated for 1.5 s: a missed rep); a dropout of 1 s
# cannot hide a whole release and squeeze (release + rest + squeeze ramp >= 1.6 s)
EXIT_DWELL_S = 0.25  # a squeeze ends only after the dip stays under the exit threshold this long: the first
# frames after a misfit burst read the knees apart (one at -0.02 mid-squeeze split a rep in two); a release
# is followed by >= 0.8 s of rest

KNEES = (L.LEFT_KNEE, L.RIGHT_KNEE)
ANKLES = (L.LEFT_ANKLE, L.RIGHT_ANKLE)
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


class BallSqueeze(ExerciseRule):
    name = "ball-squeeze"
    title = "Ball squeeze"
    kind = "reps"
    description = "On your back, knees bent, ball between the knees: squeeze, release; 10-15 reps, 3 sets"
    # the knee gap needs both knees across the picture; from the side it is depth (reps not counted).  Straight
    # from the feet MediaPipe misplaces most lying bodies: on the rendered benchmark (both draws) its hips, knees
    # and ankles read 0.33-1.7 thigh lengths off on all 11 such clips (bodies other than the samples'), 0.12-0.22
    # on 4 of 5 filmed from the feet 20-36 deg to one side (docs/accuracy.md): a little to one side it is
    views = ViewSpec(
        ("feet-side-raised",), ("feet", "feet-side"), "Place the camera at your feet, a little to one side, raised"
    )
    camera_advice = "At your feet, a little to one side, raised, so both knees show"
    posture = "supine"

    def __init__(self, reps_max: int = REPS_MAX, sets: int = SETS) -> None:
        super().__init__()
        self.reps_max = reps_max
        self.sets_target = sets
        self.counter = RepCounter(MIN_SQUEEZE, MIN_SQUEEZE * EXIT_FRACTION, MIN_SQUEEZE * REST_FRACTION,
                                  min_rep_s=MIN_REP_S, exit_dwell_s=EXIT_DWELL_S,
                                  release_share=RELEASE_SHARE)  # fmt: skip
        self.hips = Hysteresis(HIP_LIFT_FAULT, HIP_LIFT_CLEAR)
        self.rise = PictureRise(CALIBRATE_S, MIN_REST_SAMPLES, REBASE_S, WINDOW_S)  # hips_lifted from the feet
        self.episodes = EpisodeCues()
        self.hint = CueLimiter(10.0)
        self.reps = 0
        self.sets: list[int] = []
        self._set_reps = 0
        self._last_rep_t: float | None = None
        # the body constants over the last HIPS_WINDOW_S, as (t, value)
        self._widths: deque[tuple[float, float]] = deque()  # 3-D hip width, metres
        self._image_widths: deque[tuple[float, float]] = deque()  # hip width in the picture
        self._hips_px: deque[tuple[float, tuple[float, float]]] = deque()  # left - right hip in the picture, at rest
        self.axis = BodyAxis(AXIS_WINDOW_S, NOISE_LAG_S)  # the knees' wander in the picture: gap read across it
        self._image_shoulders: deque[tuple[float, float]] = deque()  # shoulder width in the picture
        self._raw: deque[tuple[float, float]] = deque()  # (t, gap) over the last SMOOTH_S
        self._rest: deque[tuple[float, float]] = deque()  # (t, gap) while not squeezing
        self._filtered: deque[tuple[float, float]] = deque()  # (t, gap) every counted frame (noise floor)
        self._in_position_since: float | None = None
        self._misfit_since: float | None = None
        self._odd: list[tuple[float, float, float]] = []  # (t, hip width, shoulder width): last REBASE_S of misfits
        self._odd_since: float | None = None
        self._last_counted: float | None = None
        self._rep_faults: set[str] = set()
        self._dip = float("nan")
        self._sigma = float("nan")
        self._status: str | None = None
        self._active: tuple[str, ...] = ()
        self._views: deque[str] = deque(maxlen=VIEW_FRAMES)  # bounded: a long session keeps the latest only
        self._hips_episodes: list[list[float]] = []
        self._state = RuleState(self.name, self.title, self.kind, target=REPS_MIN)

    # --- per frame -------------------------------------------------------------
    def update(self, pose: Pose | None, t: float) -> list[Event]:
        events = self._start(t) + self._maybe_close_set(t)
        if pose is None:
            self._status = "No one in view"
            return events + self._out_of_position(t)
        message = missing_message(pose, VISIBILITY)
        for part, joints in (("knees", KNEES), ("feet", ANKLES)):  # either one of a pair will do
            if message is None and max(pose.visibility[list(joints)]) < 0.5:
                message = unseen_wording(pose, f"Move back: {part} not visible", joints)
        events += self.visibility_cue(t, message)
        if message is not None:
            self._status = message
            return events + self._out_of_position(t)
        setup = None
        frame = measure(pose)
        if not in_posture(classify_posture(pose), "supine"):
            setup = "supine"
        elif not self._crook(frame):
            setup = "crook"
        for key in self.episodes.update(t, {setup} if setup else set()):
            events += self.cue(t, SETUP[key], None, "setup")
        if setup is not None:
            self._status = SETUP[setup]
            return events + self._out_of_position(t)
        self._status = None
        if self._misfit(t, frame):
            if self._misfit_since is None:
                self._misfit_since = t
            if t - self._misfit_since > REBASE_S:  # not one slip, no new normal: MediaPipe cannot place this body
                self._status = SETUP["unsteady"]
                events += self.hint(t, SETUP["unsteady"], "not_visible", "setup")
            return events + self._out_of_position(t)
        self._misfit_since = None
        self._views.append(view_of(pose))
        events += self._judge_hips(t, frame, self._views[-1])
        if self._views[-1] == "side" or min(pose.visibility[[L.LEFT_KNEE, L.RIGHT_KNEE]]) < KNEE_VIS:
            self._status = SETUP["view"]  # on screen; the Session's camera check says where the camera goes
            return events + self._out_of_position(t)
        return events + self._count(t, frame)

    def _misfit(self, t: float, frame: Frame) -> bool:
        """A body constant (hip or shoulder width) jumped: MediaPipe misplaced a joint this frame.

        Misfits that last REBASE_S and agree among themselves over the last REBASE_S are the camera
        or the person moved: the constants and the resting spots are taken anew from there.
        """
        pairs = ((self._widths, frame.hip_width), (self._image_shoulders, frame.image_shoulders))
        tolerances = (HIP_WIDTH_3D_TOL, HIP_WIDTH_TOL)
        if any(
            seen and abs(value / _median(seen) - 1.0) > tol
            for (seen, value), tol in zip(pairs, tolerances, strict=True)
        ):
            self._odd_since = t if self._odd_since is None else self._odd_since
            self._odd = [o for o in self._odd if t - o[0] < REBASE_S] + [(t, frame.hip_width, frame.image_shoulders)]
            settled = all(steady([o[k] for o in self._odd], HIP_WIDTH_TOL) for k in (1, 2))
            if t - self._odd_since < REBASE_S or not settled:
                return True
            self._recalibrate()
        self._odd, self._odd_since = [], None
        for seen, value in pairs:
            push(seen, t, value, HIPS_WINDOW_S)
        if not self.counter.active:  # a squeeze pulls MediaPipe's hips in (the picture's hip line reads 7 % short)
            push(self._hips_px, t, frame.image_hips, HIPS_WINDOW_S)
        self.axis.push(t, frame)
        push(self._image_widths, t, frame.image_width, HIPS_WINDOW_S)  # not a gate: a bridge brings the hips nearer
        return False

    def _recalibrate(self) -> None:
        for buffer in (self._widths, self._image_shoulders, self._image_widths, self._hips_px, self.axis,
                       self._rest, self._filtered, self._raw):  # fmt: skip
            buffer.clear()
        self.rise.reset()
        self._in_position_since = None
        if self.counter.active:
            self.counter.reset()

    @staticmethod
    def _crook(frame: Frame) -> bool:
        """Knees bent within range and feet down."""
        return KNEE_MIN_DEG <= min(frame.knees) <= max(frame.knees) <= KNEE_MAX_DEG and frame.feet_up <= FEET_DOWN_MAX

    def _judge_hips(self, t: float, frame: Frame, view: str) -> list[Event]:
        lifted = self.hips.update(frame.hip_lift)
        if view != "side":  # from the feet: the pelvis rising in the picture (after a resting baseline)
            lifted = self.rise.update(t, frame, _median(self._image_widths)) or lifted
            if self.rise.rebase:  # the shoulders rest somewhere else now
                self._recalibrate()
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
        if self._in_position_since is None:
            self._in_position_since = t
        self._last_counted = t
        axis = self.axis.unit
        raw = across(frame.image_knees, axis) / hip_width_across([h for _, h in self._hips_px], axis)
        push(self._raw, t, raw, SMOOTH_S)
        gap = statistics.median(g for _, g in self._raw)
        push(self._filtered, t, gap, WINDOW_S)
        if not self.counter.active:
            push(self._rest, t, gap, WINDOW_S)
        if t - self._in_position_since < CALIBRATE_S or len(self._rest) < MIN_REST_SAMPLES:
            self._status = "Hold still a moment"
            return []
        rest = [g for _, g in self._rest]
        release = statistics.median(rest)
        self._sigma = wander_sigma([tt for tt, _ in self._filtered], [g for _, g in self._filtered], NOISE_LAG_S)
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

    def _close_rep(self, start: float, peak_t: float, end: float, peak: float, dwell: float) -> list[Event]:
        self.reps += 1
        self._set_reps += 1
        self._last_rep_t = end
        faults = tuple(sorted(self._rep_faults))
        self._rep_faults = set(self._active)
        width = _median(self._widths) if self._widths else float("nan")
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
        s.angle_unit = "%"  # not an angle: the knees' gap closing, in % of the hip width
        s.angle_at = (L.LEFT_KNEE, L.LEFT_HIP, L.RIGHT_KNEE)
        s.phase = "squeeze" if self.counter.active else "release"
        return s

    def uncounted_reason(self, what: str, unclear: bool = False) -> str | None:
        """Legs moving with nothing counted: a bridge is no squeeze (a real bridge reads hips up only in flashes, the
        posture and visibility messages flickering between them); else the rule's message."""
        if what == "moving" and self._hips_episodes:
            return CUE_HIPS
        return super().uncounted_reason(what, unclear)

    def report_extras(self) -> dict[str, object]:
        counted = self.view != "side" and bool(self._views)
        extras: dict[str, object] = {
            "view": self.view,
            "faults_judged": {"hips_lifted": bool(self._views)},
            "reps_judged": counted,
            "noise_sigma": None if not np.isfinite(self._sigma) else round(self._sigma, 4),
            "fault_episodes": [
                {"fault": "hips_lifted", "start_s": round(a, 2), "end_s": round(b, 2)} for a, b in self._hips_episodes
            ],
        }
        if not counted:
            extras["not_judged"] = {"reps": "knee gap needs the camera at the feet (both knees across the picture)"}
        return extras


def _median(buffer: deque[tuple[float, float]]) -> float:
    return statistics.median(v for _, v in buffer)


__all__ = ["BallSqueeze", "measure", "wander_sigma"]
