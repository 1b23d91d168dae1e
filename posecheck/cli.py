"""The posecheck command line.  Every user-facing failure is one line and a non-zero exit."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__, crash, interrupt
from .errors import ConfigError, InputError, InternalError, PosecheckError
from .interrupt import signal_name
from .outputs import add_arguments as add_outputs
from .outputs import from_arguments as outputs_of
from .session import SessionResult
from .smoothing import FILTERS
from .stream import RECONNECT_TIMEOUT_S


def _add_common(p: argparse.ArgumentParser, exercise_default: str = "leg-lift") -> None:
    p.add_argument(
        "--exercise", "-e", default=exercise_default,
        help=f"exercise name, or auto to recognise it (see: posecheck exercises; default {exercise_default})",
    )  # fmt: skip
    p.add_argument("--json", type=Path, dest="json_path", help="write the report JSON here")
    p.add_argument("--model", type=Path, help="another PoseLandmarker .task model (lite/heavy)")
    p.add_argument("--smoothing", default="one-euro", choices=sorted(FILTERS), help="landmark smoothing")
    add_outputs(p)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="posecheck",
        description="Checks home exercises for low back pain from a camera or a video. "
        "With no command: coach live from the camera, or run the demo when there is none.",
    )
    parser.add_argument("--version", action="version", version=f"posecheck {__version__}")
    parser.add_argument("--debug", action="store_true", help="print the full traceback of an internal error")
    sub = parser.add_subparsers(dest="command")

    a = sub.add_parser("analyze", help="analyse a recorded video or a photo")
    a.add_argument("video", nargs="?", help="video file, photo or URL (default: a bundled sample)")
    _add_common(a, "auto")  # a recording of any exercise, or several: recognised unless named
    a.add_argument(
        "--video", type=Path, dest="video_path", help="write the annotated video here (.mp4; .png/.jpg for a photo)"
    )
    a.add_argument("--no-progress", action="store_true", help="no progress bar")
    frames = a.add_mutually_exclusive_group()
    frames.add_argument(
        "--sparse", action="store_const", const=False, dest="every_frame",
        help="run the pose model only around motion and sparsely while still (faster; docs/performance.md)",
    )  # fmt: skip
    frames.add_argument(
        "--every-frame", action="store_const", const=True, dest="every_frame",
        help="run the pose model on every frame (the default for now)",
    )  # fmt: skip

    d = sub.add_parser("demo", help="analyse a bundled sample clip and write its outputs")
    d.add_argument("--exercise", "-e", default=None, help="which exercise's sample to use")
    d.add_argument("--out", type=Path, default=Path("posecheck-demo"), help="output folder")

    li = sub.add_parser("live", help="coach live from a camera (or a file played at camera pace)")
    _add_common(li)
    li.add_argument("--camera", default="0", help="camera index, video file or stream URL (default 0)")
    li.add_argument("--mirror", action="store_true", help="show the picture mirrored (m toggles)")
    li.add_argument("--no-window", action="store_true", help="no window (headless; for tests)")
    li.add_argument("--max-seconds", type=float, help="stop after this many seconds")
    li.add_argument(
        "--no-person-timeout", type=float, default=120.0, help="give up after this long with nobody in view"
    )
    li.add_argument("--screenshot", type=Path, help="save the last drawn frame as an image")
    li.add_argument("--mute", action="store_true", help="no spoken cues or counts (v toggles)")
    li.add_argument("--tone", action="store_true", help="a short beep for each rep instead of the spoken count")
    li.add_argument(
        "--reconnect-timeout", type=float, default=None, metavar="SECONDS",
        help=f"a stream URL (a phone): give up reconnecting after this long (default {RECONNECT_TIMEOUT_S:g})",
    )  # fmt: skip

    ev = sub.add_parser(
        "eval", help="score the rules and the peer on labelled clips (video and/or landmarks + label JSON)"
    )
    ev.add_argument("folder", type=Path, nargs="?", default=None, help="folder (default: the bundled samples)")
    ev.add_argument("--json", type=Path, dest="json_path", help="write the scores as JSON here")
    ev.add_argument("--exercise", "-e", default=None, help="override the labels' exercise (e.g. auto)")
    ev.add_argument("--split", default="all", choices=("tune", "test", "all"), help="benchmark labels' split")
    ev.add_argument("--factors", help="break down by these factors only (comma-separated; default: all)")
    ev.add_argument(
        "--footage", type=Path, default=None,
        help="real footage folder for benchmarks/footage (default without FOLDER: ../shared/footage when present)",
    )  # fmt: skip
    ev.add_argument("--no-footage", action="store_true", help="skip the real footage")
    ev.add_argument("--cache", type=Path, default=None, help="landmark cache folder (default ~/.cache/posecheck)")

    from .history_cli import add_parser as add_history_parser
    from .routine_cli import add_parser as add_routine_parser

    add_routine_parser(sub)
    add_history_parser(sub)
    sub.add_parser("exercises", help="list the exercises")
    return parser


def _print_summary(result: SessionResult) -> None:
    report = result.report
    frames = f"{report.frames_with_pose}/{report.frames_total} frames with a person"
    print(f"{report.exercise}: {frames}")
    summary = report.summary()
    if not summary:
        print("  no reps or holds counted")
    for side, entry in summary.items():
        done = f"{entry['reps']} reps" if report.reps else f"{entry['holds']} holds"
        fault = entry["most_frequent_fault"] or "none"
        print(f"  {side_label(side)}: {done}; most frequent fault: {fault}")
    for note in report.errors:
        print(f"  note: {note}")
    if result.interrupted is not None:
        print(f"  note: interrupted ({signal_name(result.interrupted)}): the report covers what was analysed before")


def side_label(side: str) -> str:
    """'left side', 'right side'; 'both legs' for the exercises done with both at once (not 'both side')."""
    return "both legs" if side == "both" else f"{side} side"


def _cmd_exercises() -> int:
    from .registry import available

    for name, cls in available().items():
        print(f"{name:14s} {cls.kind:5s} {cls.description}")
        print(f"{'':14s}       camera: {cls.camera_advice}")
    return 0


def _known(exercise: str | None) -> None:
    """An unknown exercise name fails before a sample clip is picked for it (the demo fell back to another one)."""
    if exercise is not None:
        from .registry import get_exercise

        get_exercise(exercise)


def _cmd_analyze(args: argparse.Namespace) -> int:
    from .analyze import AnalyzeOptions, analyze
    from .samples import demo_clip

    video = args.video
    if video is None:
        _known(args.exercise)
        video = str(demo_clip(None if args.exercise == "auto" else args.exercise))
        print(f"no video given: analysing the bundled sample {video}")
    options = AnalyzeOptions(
        args.exercise, args.json_path, args.video_path, args.model, args.smoothing,
        False if args.no_progress else None, outputs_of(args), every_frame=args.every_frame, debug=args.debug,
        pin_cpus=True,
    )  # fmt: skip
    result = analyze(video, options)
    _print_summary(result)
    for path in (args.json_path, args.video_path, *options.outputs.written):  # type: ignore[union-attr]
        if path is not None and path.exists():  # stopped before the video was opened: not written
            print(f"wrote {path}")
    if result.error is not None:
        raise result.error
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from .analyze import AnalyzeOptions, analyze
    from .samples import demo_clip

    _known(args.exercise)
    clip = demo_clip(args.exercise)
    exercise = args.exercise or clip.name.split("_")[0]
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"cannot create {args.out}: {error.strerror}") from None
    json_path = args.out / f"{clip.stem}.report.json"
    video_path = args.out / f"{clip.stem}.annotated.mp4"
    print(f"demo: analysing the bundled sample {clip.name} ({exercise})")
    result = analyze(clip, AnalyzeOptions(exercise, json_path, video_path, pin_cpus=True))
    _print_summary(result)
    written = [str(path) for path in (json_path, video_path) if path.exists()]  # stopped early: maybe no video
    print(f"wrote {' and '.join(written)}")
    if result.error is not None:
        raise result.error
    return 0


def _cmd_live(args: argparse.Namespace) -> int:
    from .live import LiveOptions, live

    if args.max_seconds is not None and args.max_seconds <= 0:
        raise ConfigError("--max-seconds must be positive")
    if args.reconnect_timeout is not None and args.reconnect_timeout <= 0:
        raise ConfigError("--reconnect-timeout must be positive")
    options = LiveOptions(
        args.exercise, args.camera, args.mirror, not args.no_window, args.json_path, args.model,
        args.smoothing, args.no_person_timeout, args.max_seconds, args.screenshot, args.mute, args.tone,
        outputs_of(args), args.reconnect_timeout,
    )  # fmt: skip
    result = live(options)
    _print_summary(result)
    extras = result.report.extras.get("live", {})
    print(f"processed {result.frames} frames at {result.fps:.1f} fps; dropped {extras.get('frames_dropped', 0)}")
    for path in (args.json_path, *options.outputs.written):  # type: ignore[union-attr]
        if path is not None:
            print(f"wrote {path}")
    if result.error is not None:
        raise result.error
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    from .breakdown import format_breakdown
    from .evaluate import default_cache, evaluate, format_table
    from .footage import check_footage, default_footage, format_checks
    from .report import check_writable, write_json
    from .samples import samples_dir

    if args.json_path is not None:
        check_writable(args.json_path)
    cache = args.cache or default_cache()
    footage = None if args.no_footage else args.footage or (default_footage() if args.folder is None else None)
    if footage is not None and not footage.is_dir():
        raise InputError(f"footage folder not found: {footage}")
    result = evaluate(args.folder or samples_dir(), args.exercise, args.split, cache)
    print(format_table(result))
    factors = [f.strip() for f in args.factors.split(",") if f.strip()] if args.factors else None
    breakdown = format_breakdown(result.items, factors)
    if breakdown:
        print("\n" + breakdown)
    out = result.to_json(factors)
    failed = len(result.failures)
    if footage is not None:
        checks, missing = check_footage(footage, cache)
        print("\n" + format_checks(checks, missing))
        out["footage"] = {"checks": [c.to_json() for c in checks], "not_checked": missing}
        failed += len(missing)
    if args.json_path is not None:
        write_json(args.json_path, out)
    if failed:
        raise PosecheckError(f"{failed} clip(s) could not be analysed")
    return 0


def _cmd_routine(args: argparse.Namespace) -> int:
    from .routine_cli import run

    return run(args)


def _cmd_history(args: argparse.Namespace) -> int:
    from .history_cli import run

    return run(args)


def _cmd_start() -> int:
    """No command: live from camera 0 when there is one, else the demo."""
    from .live import display_available
    from .source import open_source

    try:
        open_source(0, live=True).close()
    except InputError:
        print("no camera found: running the demo on a bundled sample instead")
        return _run_command(build_parser().parse_args(["demo"]))
    if not display_available():
        print("no display found: running the demo on a bundled sample instead")
        return _run_command(build_parser().parse_args(["demo"]))
    return _run_command(build_parser().parse_args(["live"]))


def _quiet_opencv() -> None:
    import cv2

    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)


def main(argv: Sequence[str] | None = None) -> int:
    """The command's exit code: 0, a PosecheckError's, or 128 + the signal that interrupted it (interrupt.py)."""
    _quiet_opencv()
    parser = build_parser()
    args = parser.parse_args(argv)
    crash.DEBUG = args.debug
    code = 0
    try:
        with interrupt.handled():
            code = _run_command(args)
    except KeyboardInterrupt:  # landed after the command's own handling: its outputs are written
        pass
    stopped = interrupt.requested()
    if stopped is not None:  # the outputs are written (partial, marked "interrupted"); say so and exit 128+N
        _tell(f"posecheck: interrupted ({interrupt.signal_name(stopped)})")
        _flush_or_drop_output()
        return 128 + stopped
    return code


def _tell(line: str) -> None:
    """One line on stderr; nothing when it is gone (a closed terminal, SIGHUP's usual company)."""
    with contextlib.suppress(OSError, ValueError):
        print(line, file=sys.stderr)


def _flush_or_drop_output() -> None:
    """stdout flushed now; if it cannot be (a closed terminal), pointed at /dev/null so exiting does not fail."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())


def _run_command(args: argparse.Namespace) -> int:
    try:
        if args.command is None:
            return _cmd_start()
        command = {
            "analyze": _cmd_analyze, "demo": _cmd_demo, "live": _cmd_live, "eval": _cmd_eval,
            "routine": _cmd_routine, "history": _cmd_history,
        }.get(args.command)  # fmt: skip
        if command is None:
            return _cmd_exercises()
        return command(args)
    except PosecheckError as error:
        if interrupt.requested() is None:
            _tell(f"posecheck: error: {error}")
        return error.exit_code
    except KeyboardInterrupt as stop:  # outside a session (starting, between clips): nothing more to save
        return 128 + interrupt.signum_of(stop)
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
    except OSError as error:
        if (stopped := interrupt.requested()) is not None:  # stopping, the terminal gone: printing failed, not us
            return 128 + stopped
        return _bug(error, args)
    except Exception as error:
        return _bug(error, args)


def _bug(error: Exception, args: argparse.Namespace) -> int:
    """A bug: one line, the traceback in a file (or on stderr with --debug)."""
    _tell(f"posecheck: error: {crash.internal_error(error, args.command or 'start')}")
    return InternalError.exit_code


if __name__ == "__main__":
    sys.exit(main())
