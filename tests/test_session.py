"""The session loop with a scripted estimator: sources, camera loss, pacing, partial reports."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from test_leg_lift import REST, rep_keyframes

from posecheck.errors import SourceLostError
from posecheck.events import RepEvent
from posecheck.exercises.leg_lift import LegLift
from posecheck.pose import Pose
from posecheck.session import Session
from posecheck.source import LiveSource, open_source
from synthetic import make_pose, placement, sequence


class ScriptedEstimator:
    """Stands in for MediaPipe: returns the scripted pose for each frame time."""

    def __init__(self, keyframes, side="left", view="feet-oblique", delay_s: float = 0.0):
        self.frames = sequence(keyframes)
        self.camera = placement("side-lying", side, view)
        self.delay_s = delay_s
        self.calls = 0

    def detect(self, rgb: np.ndarray, t: float) -> list[Pose]:
        self.calls += 1
        if self.delay_s:
            import time

            time.sleep(self.delay_s)
        i = min(len(self.frames) - 1, int(round(t * 30)))
        return [make_pose(self.frames[i][1], self.camera, t)]


def three_reps() -> list:
    keyframes = [(0.0, REST)]
    t = 0.0
    for _ in range(3):
        frames, t = rep_keyframes(t, "left")
        keyframes += frames[1:]
    return keyframes + [(t + 1.0, REST)]


def write_video(path: Path, seconds: float, fps: float = 30.0) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (160, 120))
    for i in range(int(seconds * fps)):
        writer.write(np.full((120, 160, 3), i % 255, np.uint8))
    writer.release()
    return path


def test_recorded_video_every_frame_and_three_reps(tmp_path):
    video = write_video(tmp_path / "v.mp4", 14.0)
    estimator = ScriptedEstimator(three_reps())
    with open_source(video) as source:
        result = Session(LegLift(), estimator).run(source)
    assert result.error is None
    assert result.report.frames_total == 420 == estimator.calls
    assert len([e for e in result.events if isinstance(e, RepEvent)]) == 3


def test_file_at_camera_pace_drops_frames_when_processing_is_slow(tmp_path):
    video = write_video(tmp_path / "v.mp4", 4.0)
    estimator = ScriptedEstimator(three_reps(), delay_s=0.07)  # ~14 fps of processing for a 30 fps source
    with open_source(str(video), live=True) as source:
        result = Session(LegLift(), estimator).run(source)
        dropped = source.dropped
    assert result.error is None
    assert 30 <= result.frames <= 90
    assert dropped > 20
    assert result.frames + dropped >= 110  # every frame was either processed or dropped


def test_camera_unplugged_mid_session_keeps_what_was_analysed(tmp_path):
    video = write_video(tmp_path / "v.mp4", 14.0)
    source = LiveSource(str(video), "camera", paced=True)  # a camera whose frames stop coming
    with source:
        result = Session(LegLift(), ScriptedEstimator(three_reps())).run(source)
    assert isinstance(result.error, SourceLostError)
    report = result.report.build()
    assert report["errors"] and "stopped delivering" in report["errors"][0]
    assert len(report["reps"]) == 3
    assert report["frames"]["total"] == result.frames > 0


@pytest.mark.parametrize("delay", [0.0])
def test_no_person_timeout_in_live_mode(tmp_path, delay):
    video = write_video(tmp_path / "v.mp4", 3.0)

    class Nobody(ScriptedEstimator):
        def detect(self, rgb, t):
            return []

    with open_source(str(video), live=True) as source:
        result = Session(LegLift(), Nobody(three_reps()), no_person_timeout_s=1.0).run(source)
    assert result.error is not None and "no person" in str(result.error)
    assert result.report.frames_with_pose == 0
