"""`posecheck routine`: the guided routine, live from a camera (or a file at camera pace), spoken.

Glue only: the Routine is wrapped as an ExerciseRule so the ordinary Session
runs it; RoutineSpeaker turns its events into speech; the live view draws,
shows the window and reads its keys (q/Esc quit, space pause, m mirror,
d debug, v voice on/off) plus the routine's (n skip step, r repeat step).
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import interrupt
from .errors import ConfigError
from .events import Cue, Event, Say, SetEvent
from .last_time import LastTime, compared_to_last
from .outputs import Outputs
from .outputs import add_arguments as add_outputs
from .outputs import from_arguments as outputs_of
from .pose import Pose
from .routine import Guide, Routine, StepResult
from .routines import RoutineSpec, load_routine
from .rules import ExerciseRule, RuleState
from .voice import Voice, VoiceSink, make_voice

if TYPE_CHECKING:
    from .ahead import Pipelined
    from .estimator import PoseEstimator
    from .live import KeyHook
    from .overlay import OverlayInput
    from .session import FrameHook, SessionResult
    from .source import Frame, FrameSource
    from .timeline import Timeline

QUIET_PHASES = ("instruct", "rest", "summary")  # the session's "nobody in view" is not news here
DRAIN_S = 20.0  # after the summary, wait this long at most for the voice to finish


class RoutineRule(ExerciseRule):
    """The Routine behind the ExerciseRule interface, so Session.run drives it unchanged."""

    name = "routine"
    title = "Guided routine"
    kind = "reps"
    description = "The article's full session, step by step, spoken"
    camera_advice = "Each step says where to put the camera"

    def __init__(self, routine: Routine) -> None:
        super().__init__()
        self.routine = routine
        self.closing: list[Event] = []  # what finish() returned: the Session hands it to no hook

    def update(self, pose: Pose | None, t: float) -> list[Event]:
        return self.routine.update(pose, t)

    def finish(self, t: float) -> list[Event]:
        self.closing = self.routine.finish(t)
        return self.closing

    @property
    def state(self) -> RuleState:
        return self.routine.state

    @property
    def coached(self) -> ExerciseRule | None:
        """The current step's rule while it is fed (the camera check starts anew for each step)."""
        return self.routine.rule if self.routine.phase in ("wait_posture", "active") else None

    def report_extras(self) -> dict[str, object]:
        return {"routine": {"name": self.routine.spec.name, "steps": [r.to_json() for r in self.routine.results]}}


class RoutineSpeaker:
    """Routes the routine's events to the voice: Guide lines must be heard; the rest as usual."""

    def __init__(self, routine: Routine, sink: VoiceSink) -> None:
        self.routine = routine
        self.sink = sink

    def __call__(self, t: float, events: Iterable[Event], state: RuleState | None = None) -> None:
        events = list(events)
        guided = any(isinstance(event, Guide) for event in events)
        for event in events:
            if isinstance(event, Guide):
                self.sink.guide(event.text)
            elif isinstance(event, SetEvent):
                continue  # the routine says its own "Set done"
            elif guided and type(event) is Say:
                continue  # the rule's "Switch sides" / "All done": the routine's line says what comes next
            elif isinstance(event, Cue) and event.kind == "setup" and self.routine.phase in QUIET_PHASES:
                continue
            else:
                self.sink.on_events([event])
        if state is not None:
            self.sink.on_state(t, state)


def routine_keys(routine: Routine, speaker: RoutineSpeaker) -> KeyHook:
    """The routine's keys for the live view: n skips the step (or the rest), r repeats it."""

    def on_key(key: str, t: float) -> bool:
        if key not in ("n", "r"):
            return False
        speaker(t, routine.key(key, t))
        return True

    return on_key


def until_said(routine: Routine, voice: Voice, view: FrameHook) -> FrameHook:
    """The view as the Session's hook, stopping once the routine is done and its summary said."""
    done_at: list[float] = []

    def hook(frame: Frame, item: OverlayInput, events: list[Event]) -> bool:
        going = view(frame, item, events)
        if not routine.done:
            return going
        done_at[:] = done_at or [frame.t]
        return going and not (voice.wait_idle(timeout=0.0) or frame.t - done_at[0] > DRAIN_S)

    return hook


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Adds `routine` to the CLI's subparsers (argparse's _SubParsersAction)."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "routine", help="the guided routine: all four exercises in order, spoken"
    )
    p.add_argument("--routine", type=Path, help="a routine TOML file (default: the built-in routine)")
    p.add_argument("--list", action="store_true", help="print the routine's steps and exit")
    p.add_argument("--camera", default="0", help="camera index, video file or stream URL (default 0)")
    p.add_argument("--mirror", action="store_true", help="show the picture mirrored (m toggles)")
    p.add_argument("--no-window", action="store_true", help="no window (headless)")
    p.add_argument("--mute", action="store_true", help="no speech (v toggles)")
    p.add_argument("--tone", action="store_true", help="a beep for each rep instead of the spoken count")
    p.add_argument("--json", type=Path, dest="json_path", help="write the report JSON here")
    p.add_argument("--model", type=Path, help="another PoseLandmarker .task model")
    p.add_argument("--max-seconds", type=float, help="stop after this many seconds")
    add_outputs(p)
    return p


def describe(spec: RoutineSpec) -> list[str]:
    lines = [spec.name]
    for i, step in enumerate(spec.steps, 1):
        sides = "per side" if step.sides else "both legs"
        sets = f"{step.sets} x " if step.sets > 1 else ""
        plural = "s" if step.target > 1 else ""
        what = f"hold{plural} of {step.hold_s:g} s" if step.hold_s else f"rep{plural}"
        lines.append(f"  {i}. {step.title or step.exercise} ({step.exercise}): {sets}{step.target} {what}, {sides}")
    return lines


def available_steps(spec: RoutineSpec, warn: Callable[[str], None] = print) -> RoutineSpec:
    """The routine without exercises this install does not have (said once); ConfigError when none is left."""
    from .registry import available

    known = set(available())
    missing = [s.exercise for s in spec.steps if s.exercise not in known]
    if missing:
        warn(f"not available yet, skipped: {', '.join(dict.fromkeys(missing))}")
    kept = spec.only(known)
    if not kept.steps:
        raise ConfigError(f"none of the routine's exercises is available; known: {', '.join(sorted(known))}")
    return kept


def print_summary(results: Iterable[StepResult]) -> None:
    for result in results:
        print(f"  {result.line()}")


def run(args: argparse.Namespace) -> int:
    spec = load_routine(args.routine)
    if args.list:
        print("\n".join(describe(spec)))
        return 0
    if args.max_seconds is not None and args.max_seconds <= 0:
        raise ConfigError("--max-seconds must be positive")
    result, routine = run_routine(
        available_steps(spec), args.camera, window=not args.no_window, mirror=args.mirror,
        mute=args.mute, tone=args.tone, model=args.model, max_seconds=args.max_seconds, json_path=args.json_path,
        outputs=(outputs := outputs_of(args)),
    )  # fmt: skip
    print(f"{spec.name}:")
    print_summary(routine.results)
    for path in (args.json_path, *outputs.written):
        if path is not None:
            print(f"wrote {path}")
    if result.error is not None:
        raise result.error
    return 0


def run_routine(spec: RoutineSpec, camera: str | Path, *, window: bool = True, mirror: bool = False,
                mute: bool = False, tone: bool = False, model: Path | None = None, max_seconds: float | None = None,
                json_path: Path | None = None, live: bool = True, voice: Voice | None = None,
                outputs: Outputs | None = None) -> tuple[SessionResult, Routine]:  # fmt: skip
    """Runs the routine over a camera or file; live=False reads a file as fast as it decodes (tests)."""
    from .live import display_available, finish_result
    from .remote import EstimatorProcess
    from .report import ReportBuilder, check_writable, write_json
    from .session import SessionResult, result_kept
    from .source import open_source

    if window and not display_available():
        raise ConfigError("no display found: run with --no-window (or set DISPLAY)")
    if json_path is not None:
        check_writable(json_path)
    if outputs is not None:
        outputs.check()
    timeline = outputs.timeline() if outputs is not None else None
    last_time = compared_to_last(outputs)
    routine = Routine(spec)
    voice = voice if voice is not None else make_voice(mute=mute, tone=tone)
    done: list[SessionResult] = []
    empty = lambda: SessionResult(ReportBuilder(RoutineRule.name, str(camera), 0.0))  # noqa: E731
    with result_kept(done, empty, "closing the routine"):  # the window, the estimator: the result stands
        try:
            with open_source(str(camera), live=live) as source, EstimatorProcess(model, probe_wait=False) as estimator:
                with contextlib.suppress(OSError, ValueError):
                    print(
                        f"routine: {spec.name} from {source.info.name}; stop with q in the window or Ctrl-C", flush=True
                    )
                done.append(drive_routine(routine, source, estimator, voice, window=window, mirror=mirror, tone=tone,
                                          max_seconds=max_seconds, timeline=timeline, last_time=last_time))  # fmt: skip
        finally:
            with interrupt.deferred(reraise=False):  # a signal now: the report first
                voice.close()
    result = finish_result(done[0], voice)
    if json_path is not None:
        write_json(json_path, result.report.build())
    if outputs is not None:
        outputs.write(result.report.build(), timeline, "routine")
    return result, routine


def drive_routine(routine: Routine, source: FrameSource, estimator: PoseEstimator | Pipelined, voice: Voice, *,
                  window: bool = False, mirror: bool = False, tone: bool = False, max_seconds: float | None = None,
                  timeline: Timeline | None = None, last_time: LastTime | None = None) -> SessionResult:  # fmt: skip
    """The routine over an open source and estimator, spoken by `voice` (the library entry; tests script both).

    The window (optional) is the live view's, with the routine's keys added.  A timeline records the signal
    and pictures for the HTML report; last_time gives the summary's line compared with the last routine.
    """
    from .live import LiveOptions, LiveView
    from .session import Session

    routine.summary_line = last_time
    speaker = RoutineSpeaker(routine, VoiceSink(voice, tone=tone, announce_switch=False))
    options = LiveOptions(mirror=mirror, window=window, max_seconds=max_seconds)
    view = LiveView(options, speaker, voice, routine_keys(routine, speaker), title="posecheck routine")
    rule = RoutineRule(routine)
    try:
        hook = until_said(routine, voice, view)
        result = Session(rule, estimator, no_person_timeout_s=300.0).run(
            source, timeline.wrap(rule, hook) if timeline is not None else hook
        )
        if not result.stopped_by_user:  # the source ended: say the summary (a quit key means quiet now)
            try:
                speaker(0.0, rule.closing)
                voice.wait_idle(timeout=DRAIN_S)
            except KeyboardInterrupt as stop:  # stopped while the summary is said: the results stand
                result.interrupted = interrupt.signum_of(stop)
                result.report.interrupted = True
    finally:
        view.close()
    return result


__all__ = [
    "RoutineRule",
    "RoutineSpeaker",
    "add_parser",
    "describe",
    "drive_routine",
    "routine_keys",
    "run",
    "run_routine",
    "until_said",
]
