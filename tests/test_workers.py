"""A worker that fails or hangs (drawing, estimator, decoder, voice) ends the run in bounded time, report kept."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
from fake_estimator import never_answers

import posecheck.crash as crash
from posecheck.ahead import DetectAhead
from posecheck.errors import EstimatorLostError, InternalError, WorkerError
from posecheck.events import Event
from posecheck.exercises.leg_lift import LegLift
from posecheck.live import LiveOptions, LiveView, finish_result
from posecheck.overlay import Overlay, OverlayInput
from posecheck.pose import Pose
from posecheck.registry import get_exercise
from posecheck.remote import EstimatorProcess
from posecheck.samples import samples_dir
from posecheck.session import Session
from posecheck.sinks import AnnotatedVideoSink
from posecheck.source import Frame, FrameSource, SourceInfo, VideoFileSource
from posecheck.voice import NullEngine, Voice
from replay import RecordedEstimator, recording

CLIP = samples_dir() / "leg-lift_left_clean_feet-oblique.mp4"
SIZE = (160, 120)


class Pictures(FrameSource):
    """The recorded clip's times, with small grey pictures (the estimator is RecordedEstimator)."""

    def __init__(self, data: dict[str, np.ndarray]) -> None:
        self.times = data["t"]
        self.info = SourceInfo("clip", "video", float(data["fps"]), SIZE[0], SIZE[1], len(self.times))

    def __iter__(self) -> Iterator[Frame]:
        for i, t in enumerate(self.times):
            yield Frame(np.full((SIZE[1], SIZE[0], 3), 90, np.uint8), float(t), i)


def frames_in(path: Path) -> int:
    capture = cv2.VideoCapture(str(path))
    count = 0
    while capture.read()[0]:
        count += 1
    capture.release()
    return count


def run_with_sink(sink: AnnotatedVideoSink) -> Any:
    data = recording(CLIP)

    def hook(frame: Frame, item: OverlayInput, events: list[Event]) -> bool:
        sink.write(frame.image, item)
        return True

    result = Session(get_exercise("leg-lift"), RecordedEstimator(data)).run(Pictures(data), hook)  # type: ignore[arg-type]
    return result


def test_a_drawing_function_that_raises_ends_the_run_with_one_line_and_a_playable_video(tmp_path, monkeypatch):
    """Reproduced: a ValueError in the drawing thread killed it and the next queue.put blocked for ever."""
    real = Overlay.annotate
    calls = []

    def breaks_at_frame_30(self: Overlay, frame: np.ndarray, item: OverlayInput, mirror: bool = False) -> np.ndarray:
        calls.append(1)
        if len(calls) == 30:
            raise ValueError("cannot convert float NaN to integer")
        return real(self, frame, item, mirror)

    monkeypatch.setattr(Overlay, "annotate", breaks_at_frame_30)
    video = tmp_path / "out.mp4"
    sink = AnnotatedVideoSink(video, 30.0, SIZE)
    start = time.monotonic()
    result = run_with_sink(sink)
    with pytest.raises(WorkerError) as closed:  # closing finishes the file, and says what failed
        sink.close()
    assert closed.value is result.error
    assert time.monotonic() - start < 10
    assert isinstance(result.error, WorkerError)
    message = str(result.error)
    assert message.startswith("drawing the annotated video failed: ValueError: cannot convert float NaN to integer")
    assert "\n" not in message
    saved = Path(message.split("traceback saved to ")[1].rstrip(")"))
    assert "breaks_at_frame_30" in saved.read_text()
    assert 30 <= result.frames < 200  # stopped soon after, with what was analysed
    assert result.report.build()["errors"] == [message]
    assert frames_in(video) == 29  # the frames drawn before it, in a file that plays


def test_a_drawing_thread_that_hangs_is_reported_not_waited_for(tmp_path, monkeypatch):
    stuck = threading.Event()
    monkeypatch.setattr(Overlay, "annotate", lambda self, frame, item, mirror=False: stuck.wait(30) or frame)
    sink = AnnotatedVideoSink(tmp_path / "out.mp4", 30.0, SIZE, max_queue=4, wait_s=0.5)
    start = time.monotonic()
    result = run_with_sink(sink)
    assert isinstance(result.error, WorkerError)
    assert "stopped answering" in str(result.error)
    with pytest.raises(WorkerError, match="stopped answering"):
        sink.close()
    assert time.monotonic() - start < 5
    stuck.set()


def test_an_estimator_process_that_never_answers_ends_the_run_in_bounded_time():
    data = recording(CLIP)
    start = time.monotonic()
    with EstimatorProcess(target=never_answers, answer_timeout_s=0.5) as estimator:
        result = Session(get_exercise("leg-lift"), estimator).run(Pictures(data))
    assert time.monotonic() - start < 8
    assert isinstance(result.error, EstimatorLostError)
    assert "not answering" in str(result.error)
    assert not estimator._process.is_alive()  # killed: it ignores SIGTERM


def test_a_detect_thread_that_hangs_is_reported_by_the_frame_loop():
    data = recording(CLIP)
    stuck = threading.Event()

    def hangs(rgb: np.ndarray, t: float) -> list[Pose]:
        stuck.wait(30)
        return []

    ahead = DetectAhead(Pictures(data), hangs)
    ahead.stall_s = 0.5
    with pytest.raises(WorkerError, match="the pose estimator stopped answering"), ahead:
        list(ahead)
    stuck.set()


def test_a_decoder_that_fails_is_reported_after_the_frames_read(monkeypatch):
    source = VideoFileSource(CLIP)
    real = source._capture.read
    count = [0]

    def read() -> tuple[bool, np.ndarray | None]:
        count[0] += 1
        if count[0] == 10:
            raise cv2.error("broken stream")
        return real()

    monkeypatch.setattr(source, "_capture", type("Capture", (), {"read": staticmethod(read), "release": lambda: None}))
    with source, pytest.raises(WorkerError, match=r"decoding leg-lift_left_clean_feet-oblique\.mp4 failed: error"):
        frames = [frame.index for frame in source]
    assert count[0] == 10
    assert "frames" not in locals()


def test_a_decoder_that_hangs_is_reported(monkeypatch):
    source = VideoFileSource(CLIP)
    stuck = threading.Event()
    source.wait_s = 0.3
    monkeypatch.setattr(
        source, "_capture", type("Capture", (), {"read": lambda: stuck.wait(30), "release": lambda: None})
    )
    with source, pytest.raises(WorkerError, match="stopped answering"):
        list(source)
    stuck.set()


class BrokenRule(LegLift):
    """The leg lift until frame 50, then a bug."""

    frames = 0

    def update(self, pose: Pose | None, t: float) -> list[Event]:
        self.frames += 1
        if self.frames == 50:
            _ = {}["missing"]
        return super().update(pose, t)


def test_an_unexpected_error_keeps_the_partial_report_and_saves_the_traceback():
    data = recording(CLIP)
    result = Session(BrokenRule(), RecordedEstimator(data)).run(Pictures(data))  # type: ignore[arg-type]
    assert isinstance(result.error, InternalError)
    message = str(result.error)
    assert message.startswith("internal error during the analysis: KeyError: 'missing' (traceback saved to ")
    assert '_ = {}["missing"]' in Path(message.split("saved to ")[1].rstrip(")")).read_text()
    report = result.report.build()
    assert report["frames"]["total"] == 49 and report["errors"] == [message]


def test_with_debug_the_traceback_is_printed_instead(monkeypatch, capsys):
    monkeypatch.setattr(crash, "DEBUG", True)
    try:
        raise RuntimeError("boom")
    except RuntimeError as error:
        message = str(crash.internal_error(error, "the analysis"))
    assert message == "internal error during the analysis: RuntimeError: boom"
    assert "Traceback" in capsys.readouterr().err


class FailingEngine(NullEngine):
    name = "espeak-ng"

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def say(self, text: str) -> None:
        raise self.error


@pytest.mark.parametrize("error", [OSError("audio device busy"), RuntimeError("audio device busy")])
def test_speech_that_turns_itself_off_is_said_once_on_screen_and_in_the_report(error, capsys):
    voice = Voice(FailingEngine(error), start=False)
    for i in range(3):
        assert voice.failure is None
        voice.say(f"line {i}")
        voice.step()
    assert voice.failure == "speech off: espeak-ng failed: audio device busy"
    assert not voice.say("more")  # off: nothing more is queued
    view = LiveView(LiveOptions(window=False), voice=voice)
    data = recording(CLIP)
    rule = get_exercise("leg-lift")
    shown = []
    for i in range(300):  # 10 s of frames
        item = OverlayInput(i / 30, None, rule.state.snapshot(), None)
        view(Frame(np.zeros((SIZE[1], SIZE[0], 3), np.uint8), i / 30, i), item, [])
        shown.append(view.notice(i / 30) is not None)
    assert shown[0] and not shown[-1]  # on screen for a while, then gone
    assert capsys.readouterr().err.count("speech off") == 1
    result = Session(rule, RecordedEstimator(data)).run(Pictures(data))  # type: ignore[arg-type]
    report = finish_result(result, voice).report.build()
    assert report["errors"] == ["speech off: espeak-ng failed: audio device busy"]


def test_the_voice_thread_survives_an_engine_bug():
    voice = Voice(FailingEngine(RuntimeError("engine bug")))
    try:
        for i in range(3):
            voice.say(f"line {i}")
            voice.wait_idle(timeout=2.0)
        assert voice.failure == "speech off: espeak-ng failed: engine bug"
        assert voice.wait_idle(timeout=0.5)
    finally:
        voice.close()


def test_analyze_with_a_broken_drawing_exits_with_one_line_and_writes_both_outputs(tmp_path, monkeypatch, capsys):
    """The whole command: exit 3, one line naming the drawing, the partial JSON, and a video that plays."""
    from posecheck.cli import main

    real = Overlay.annotate
    calls = []

    def breaks_at_frame_20(self: Overlay, frame: np.ndarray, item: OverlayInput, mirror: bool = False) -> np.ndarray:
        calls.append(1)
        if len(calls) == 20:
            raise ValueError("cannot convert float NaN to integer")
        return real(self, frame, item, mirror)

    monkeypatch.setattr(Overlay, "annotate", breaks_at_frame_20)
    report, video = tmp_path / "r.json", tmp_path / "v.mp4"
    code = main(["analyze", str(CLIP), "--json", str(report), "--video", str(video), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 3
    assert err.count("\n") == 1 and err.startswith("posecheck: error: drawing the annotated video failed: ValueError")
    data = json.loads(report.read_text())
    assert 20 <= data["frames"]["total"] < 583 and data["errors"][0] == err.split("error: ", 1)[1].strip()
    assert "interrupted" not in data
    assert frames_in(video) == 19


def test_a_failure_while_closing_after_the_session_keeps_the_report(tmp_path, monkeypatch):
    from posecheck.analyze import AnalyzeOptions, analyze

    real = EstimatorProcess.close

    def close_then_fail(self: EstimatorProcess) -> None:
        real(self)
        raise RuntimeError("shared memory already unlinked")

    monkeypatch.setattr(EstimatorProcess, "close", close_then_fail)
    clip = tmp_path / "grey.mp4"
    writer = cv2.VideoWriter(str(clip), cv2.VideoWriter_fourcc(*"mp4v"), 10.0, SIZE)
    for _ in range(10):
        writer.write(np.full((SIZE[1], SIZE[0], 3), 90, np.uint8))
    writer.release()
    report = tmp_path / "r.json"
    result = analyze(clip, AnalyzeOptions("leg-lift", json_path=report, progress=False))
    errors = json.loads(report.read_text())["errors"]
    assert result.frames == 10
    assert errors[0] == "no person found in the video"  # the session's own error comes first
    assert errors[1].startswith("internal error during closing the analysis: RuntimeError: shared memory")


@pytest.mark.parametrize("debug", [False, True])
def test_a_bug_in_a_command_is_one_line_and_a_saved_traceback_or_the_traceback_with_debug(monkeypatch, capsys, debug):
    import posecheck.registry
    from posecheck.cli import main

    def broken() -> dict:
        raise AttributeError("'NoneType' object has no attribute 'kind'")

    monkeypatch.setattr(posecheck.registry, "available", broken)
    monkeypatch.setattr(crash, "DEBUG", False)  # main sets it from --debug
    code = main(["--debug", "exercises"] if debug else ["exercises"])
    err = capsys.readouterr().err
    assert code == 70
    line = (
        "posecheck: error: internal error during exercises: AttributeError: 'NoneType' object has no attribute 'kind'"
    )
    if debug:
        assert "Traceback (most recent call last)" in err and err.rstrip().endswith(line)
    else:
        assert err.count("\n") == 1 and err.startswith(line + " (traceback saved to ")
        assert ", in broken" in Path(err.split("saved to ")[1].strip().rstrip(")")).read_text()
