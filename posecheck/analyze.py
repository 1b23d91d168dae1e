"""posecheck analyze: a recorded video (or a photo) -> report JSON + annotated video."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import interrupt
from .cpus import pinned, split_cpus
from .errors import PosecheckError
from .estimator import PROBE_LAG_FRAMES
from .events import Event
from .outputs import Outputs
from .overlay import OverlayInput
from .registry import get_exercise
from .remote import EstimatorProcess
from .report import ReportBuilder, check_writable, write_json
from .rules import ExerciseRule
from .session import Session, SessionResult, note_failure
from .sinks import AnnotatedVideoSink, Progress, StillImageSink, open_sink
from .source import Frame, open_source
from .timeline import Timeline

# Sampling is off by default until its results equal --every-frame's on every bundled sample: on 2 of 21 they
# do not yet (tests/test_sampled_equality.py, docs/performance.md); `analyze --sparse` turns it on
SAMPLED_BY_DEFAULT = False


@dataclass
class AnalyzeOptions:
    exercise: str | ExerciseRule = "leg-lift"
    json_path: Path | None = None
    video_path: Path | None = None
    model: Path | None = None
    smoothing: str = "one-euro"
    progress: bool | None = None  # None: only on a terminal
    outputs: Outputs | None = None  # the HTML report, the CSV, the history entry
    # the pose model on every frame (True), or only on the frames posecheck/sampling.py chooses, the others'
    # poses interpolated (False; the rules see every frame either way); None: SAMPLED_BY_DEFAULT
    every_frame: bool | None = None
    debug: bool = False  # the annotated video says in its corner which frames' poses were interpolated
    # with every_frame, on 2-3 CPUs: the estimator's process on one and the rest on the others (cpus.py); it changes
    # this thread's CPU affinity while analyze runs (restored after), so only the CLI's run asks for it
    pin_cpus: bool = False


def analyze(video: str | Path, options: AnalyzeOptions) -> SessionResult:
    """Analyse one clip; outputs are written even when the analysis stops early.

    Raises PosecheckError for bad input found before analysis starts; errors
    met during the analysis are in result.error (after the outputs are saved).
    """
    for out in (options.json_path, options.video_path):
        if out is not None:
            check_writable(out)
    if options.outputs is not None:
        options.outputs.check()
    timeline = options.outputs.timeline() if options.outputs is not None else None
    rule = get_exercise(options.exercise)
    every_frame = not SAMPLED_BY_DEFAULT if options.every_frame is None else options.every_frame
    # sampled, the estimator's process idles most of the time: a CPU of its own would be wasted (measured on the
    # joined demo clips: 2.20x bare MediaPipe not pinned against 1.99x pinned; with the video 1.81x against 1.47x)
    split = split_cpus() if options.pin_cpus and every_frame else None
    done: list[SessionResult] = []  # the session's result as soon as it has one
    try:
        # the threads started meanwhile (the decoder's, the encoder's, FFmpeg's) keep to this thread's CPUs
        with pinned(split.rest if split else None):
            result = _run(video, options, every_frame, rule, split.estimator if split else None, done, timeline)
    except KeyboardInterrupt as stop:  # outside the session's loop: while starting (nothing analysed) or closing
        result = done[0] if done else SessionResult(ReportBuilder(rule.name, Path(str(video)).name, 0.0))
        result.stopped_by_user = True
        result.interrupted = result.interrupted or interrupt.signum_of(stop)
    except Exception as error:  # closing after the session (the estimator, the decoder): its result stands
        if not done:
            raise
        result = done[0]
        note_failure(result, error, "closing the analysis")
    result.interrupted = result.interrupted or interrupt.take_pending()
    result.report.interrupted = result.interrupted is not None
    checked = result.report.extras.get("camera_check")  # the camera check's view name is the report's guess
    guess = checked[0].get("view") if isinstance(checked, list) and checked else None
    result.report.extras["camera"] = guess or result.report.extras.get("view")
    if options.json_path is not None:
        write_json(options.json_path, result.report.build())
    if options.outputs is not None:
        options.outputs.write(result.report.build(), timeline, "analyze")
    return result


def _run(
    video: str | Path,
    options: AnalyzeOptions,
    every_frame: bool,
    rule: ExerciseRule,
    cpus: frozenset[int] | None,
    done: list[SessionResult],
    timeline: Timeline | None = None,
) -> SessionResult:
    source = open_source(str(video))
    still = source.info.kind == "still"  # one frame: the bystander probe must answer on it
    lag = 0 if still else PROBE_LAG_FRAMES
    with source, EstimatorProcess(options.model, cpus=cpus, probe_lag_frames=lag, still=still) as estimator:
        session = Session(rule, estimator, options.smoothing, sparse=not every_frame)
        info = source.info
        sink = None
        if options.video_path is not None:
            sink = open_sink(options.video_path, info.fps, (info.width, info.height))
        progress = Progress(info.frame_count, f"analyzing {info.name}", options.progress)

        def on_frame(frame: Frame, item: OverlayInput, events: list[Event]) -> bool:
            item.fps = None  # processing speed means nothing in a recorded output
            if not options.debug:
                item.note = None
            if sink is not None and not frame.lost:  # a stream reconnecting: no picture of its own
                sink.write(frame.image, item)
            progress.update(frame.index + 1, session.sampler.speedup if session.sampler is not None else None)
            return True

        try:
            hook = timeline.wrap(rule, on_frame) if timeline is not None else on_frame
            done.append(session.run(source, hook))
        finally:
            with interrupt.deferred(reraise=False):  # a signal now: the outputs first (analyze takes it)
                progress.close()
                if sink is not None:
                    _close_sink(sink, done[0] if done else None)
    return done[0]


def _close_sink(sink: AnnotatedVideoSink | StillImageSink, result: SessionResult | None) -> None:
    """The sink closed (the video playable); its failure is the run's error unless there is one already."""
    try:
        sink.close()
    except Exception as error:
        if result is None:
            raise
        note_failure(result, error, "closing the annotated video")


__all__ = ["AnalyzeOptions", "PosecheckError", "analyze"]
