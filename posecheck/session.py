"""The thin loop joining source -> estimator -> selection -> smoothing -> rule -> sinks."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from . import interrupt
from .ahead import DetectAhead, Pipelined
from .camera_check import ViewCheck
from .crash import internal_error
from .errors import NoPersonError, PosecheckError
from .estimator import PoseEstimator
from .events import Cue, Event
from .framing import framing_message
from .overlay import OverlayInput
from .pose import Pose, sane_poses
from .report import ReportBuilder
from .rules import CueLimiter, Debounce, ExerciseRule
from .sampling import FrameSampler, RuleWatch
from .selection import PersonSelector
from .smoothing import PoseSmoother
from .source import Frame, FrameSource
from .uncounted import UncountedWatch

SAMPLED_DEPTH = 48  # frames handed over ahead of the rules when sampling (about 43 MB at 640x480)
NO_PERSON_TEXT = "No one in view: step into the picture"
CONNECTION_LOST_TEXT = "Camera connection lost, reconnecting"

FrameHook = Callable[[Frame, OverlayInput, list[Event]], bool]
"""Called for every processed frame; return False to stop the session."""


@dataclass
class SessionResult:
    report: ReportBuilder
    frames: int = 0
    seconds: float = 0.0
    stopped_by_user: bool = False
    interrupted: int | None = None  # the signal that stopped the run (interrupt.py); the report is partial
    error: PosecheckError | None = None
    events: list[Event] = field(default_factory=list)
    modelled: int = 0  # frames the pose model ran on (the others: analyze's sampling, posecheck/sampling.py)

    @property
    def fps(self) -> float:
        return self.frames / self.seconds if self.seconds > 0 else 0.0


class Session:
    """Runs one exercise rule over one frame source.

    no_person_timeout_s: fail with NoPersonError when nobody has been seen for
    this long (None: never; recorded videos check "nobody at all" instead).
    sparse: on a recorded video, run the pose model only on the frames
    posecheck/sampling.py chooses (the rules still see every frame).
    """

    def __init__(
        self,
        rule: ExerciseRule,
        estimator: PoseEstimator | Pipelined,
        smoothing: str = "one-euro",
        no_person_timeout_s: float | None = None,
        sparse: bool = False,
    ) -> None:
        self.rule = rule
        self.estimator = estimator
        self.smoother = PoseSmoother(smoothing)
        self.selector = PersonSelector(prefer=rule.fits)
        self.no_person_timeout_s = no_person_timeout_s
        self.sparse = sparse
        self.sampler: FrameSampler | None = None
        self.last_cue: Cue | None = None
        self._cue = CueLimiter(5.0)
        self._framing = Debounce(1.0)
        self.views = ViewCheck()
        self.uncounted = UncountedWatch()
        self._start = 0.0
        self._reconnecting = False  # in a stream's lost connection (the frames say `lost`)

    def run(self, source: FrameSource, on_frame: FrameHook | None = None) -> SessionResult:
        info = source.info
        report = ReportBuilder(self.rule.name, info.name, info.fps)
        result = SessionResult(report)
        self._start = time.monotonic()
        last_seen = 0.0
        t = 0.0
        fps_meter = _Rate()
        framed: str | None = None
        try:
            detector = self.estimator if isinstance(self.estimator, Pipelined) else self.estimator.detect
            in_flight = 1  # a camera's newest frame goes alone
            if isinstance(self.estimator, Pipelined) and info.kind == "video":
                in_flight = int(getattr(self.estimator, "slots", 1))  # a recorded video keeps a pipeline fed
            if self.sparse and info.kind == "video":
                self.sampler = FrameSampler(info.fps)
            # sampled: a skipped frame waits for the next sample, then goes with those before it; a deeper
            # hand-over lets the worker pass them on at once and submit the next sample meanwhile
            depth = SAMPLED_DEPTH if self.sampler is not None else 1
            watch = RuleWatch()
            with DetectAhead(source, detector, depth, in_flight, self.sampler, judging=True) as ahead:
                for frame, poses in ahead:
                    t = frame.t
                    if frame.lost:
                        if not self._connection_lost(frame, result, on_frame):
                            result.stopped_by_user = True
                            break
                        continue
                    self._reconnecting = False
                    raw, events = self.selector(sane_poses(poses), t)  # junk landmarks: nobody in this frame
                    pose: Pose | None = self.smoother(raw) if raw is not None else None
                    if pose is None:
                        self.smoother.reset()
                        if t - last_seen > 2.0:
                            events += self._cue(t, NO_PERSON_TEXT, "not_visible", "setup")
                        if self.no_person_timeout_s is not None and t - last_seen > self.no_person_timeout_s:
                            raise NoPersonError(f"no person in view for {self.no_person_timeout_s:.0f} s")
                    else:
                        last_seen = t
                        framed = framing_message(pose)
                        framing = self._framing.update(t, framed)
                        if framing is not None:
                            events += self._cue(t, framing, "not_visible", "setup")
                    events += self.rule.update(pose, t)
                    events += self.uncounted.update(t, pose, self.rule, events)
                    # a cut-off body gives no view of its own (the framing instruction comes first); the last stands
                    events += self.views.update(t, pose, self.rule.coached, framed if pose is not None else None)
                    self._remember_cue(events)
                    report.on_frame(t, pose is not None, events)
                    result.events += events
                    result.frames += 1
                    result.modelled += frame.modelled
                    if on_frame is not None:
                        state = self.rule.state.snapshot()
                        if self.views.message is not None:  # the camera first: until it is right
                            state.status = self.views.message
                        note = None if frame.modelled else "pose interpolated (model skipped this frame)"
                        item = OverlayInput(t, pose, state, self.last_cue, fps_meter.tick(), note)
                        if not on_frame(frame, item, events):
                            result.stopped_by_user = True
                            break
                    if self.sampler is not None:
                        ahead.judged(frame.index, watch.update(t, self.rule.state, self.views.message))
        except PosecheckError as error:
            result.error = error
        except KeyboardInterrupt as stop:  # Ctrl-C, or SIGTERM/SIGHUP under interrupt.handled()
            result.stopped_by_user = True
            result.interrupted = interrupt.signum_of(stop)
        except Exception as error:  # a bug: the partial report is still written
            result.error = internal_error(error, "the analysis")
        finally:
            with interrupt.deferred(reraise=False):  # a signal now must not lose the results
                self._close(t, result)
        report.extras.update(source.extras())
        if result.interrupted is None:
            result.interrupted = interrupt.take_pending()
        report.interrupted = result.interrupted is not None
        report.frames_modelled = result.modelled
        nobody = report.frames_total > 0 and report.frames_with_pose == 0
        if result.error is None and result.interrupted is None and nobody:  # (stopped early: not known yet)
            where = "photo" if info.kind == "still" else "video"
            result.error = NoPersonError(f"no person found in the {where}")
        if result.error is not None:
            report.errors.append(str(result.error))
        if source.warning:
            report.errors.append(source.warning)
        return result

    def _close(self, t: float, result: SessionResult) -> None:
        """The rule's closing events and the report's extras; a bug here is reported, not raised."""
        report = result.report
        try:
            closing = self.rule.finish(t)
            report.on_events(closing)
            result.events += closing
            report.extras.update(self.rule.report_extras())
            if self.views.records:
                report.extras["camera_check"] = self.views.report()
        except Exception as error:
            failure = internal_error(error, "the end of the analysis")
            if result.error is None:
                result.error = failure  # into the report's errors with the rest, by run()
            else:
                report.errors.append(str(failure))
        result.seconds = time.monotonic() - self._start

    def _connection_lost(self, frame: Frame, result: SessionResult, on_frame: FrameHook | None) -> bool:
        """A frame with no new picture (a stream reconnecting): said once per loss and shown; nothing is judged,
        so the counts carry on once the frames come back.  False when the hook stops the session."""
        events: list[Event] = []
        if not self._reconnecting:
            self._reconnecting = True
            self.smoother.reset()
            events.append(Cue(frame.t, CONNECTION_LOST_TEXT, None, "setup"))
            self._remember_cue(events)
            result.report.on_events(events)
            result.events += events
        if on_frame is None:
            return True
        state = self.rule.state.snapshot()
        state.status = CONNECTION_LOST_TEXT
        return on_frame(frame, OverlayInput(frame.t, None, state, self.last_cue, None), events)

    def _remember_cue(self, events: list[Event]) -> None:
        for event in events:
            if isinstance(event, Cue):
                self.last_cue = event


@contextmanager
def result_kept(done: list[SessionResult], empty: Callable[[], SessionResult], during: str) -> Iterator[None]:
    """Around starting and closing a session whose result goes into `done`: a stop signal keeps what was analysed
    (or an empty result, when nothing was yet) marked interrupted; a failure while closing after the session is
    noted on its result, which stands (one raised before any result is raised)."""
    try:
        yield
    except KeyboardInterrupt as stop:  # outside the session's loop: while starting (nothing seen) or closing
        if not done:
            done.append(empty())
        done[0].interrupted = done[0].interrupted or interrupt.signum_of(stop)
    except Exception as error:
        if not done:
            raise
        note_failure(done[0], error, during)


def note_failure(result: SessionResult, error: Exception, during: str) -> None:
    """A failure after the session (closing an output, the estimator): noted in its result, which stands."""
    failure = error if isinstance(error, PosecheckError) else internal_error(error, during)
    if result.error is None:
        result.error = failure
    if str(failure) not in result.report.errors:
        result.report.errors.append(str(failure))


class _Rate:
    """Frames per second over the last second or so."""

    def __init__(self) -> None:
        self._times: list[float] = []

    def tick(self) -> float:
        now = time.monotonic()
        self._times = [x for x in self._times if now - x < 1.0] + [now]
        return float(len(self._times))
