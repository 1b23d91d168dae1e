"""A phone as the camera: an MJPEG stream on 127.0.0.1 that pauses, dies and comes back (docs/robustness.md)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from mjpeg_server import PhoneCamera, clip_frames, frame_number

from posecheck.errors import InputError
from posecheck.overlay import OverlayInput
from posecheck.pose import Pose
from posecheck.registry import get_exercise
from posecheck.replay import Recording, pose_at
from posecheck.replay import replay as replay_recording
from posecheck.samples import samples_dir
from posecheck.session import CONNECTION_LOST_TEXT, Session
from posecheck.source import Frame, open_source
from posecheck.stream import StreamSource
from replay import recording

ROOT = Path(__file__).resolve().parent.parent  # `python -m` runs this checkout's posecheck from any folder
CLIP = samples_dir() / "leg-lift_right_clean_front.mp4"  # reps end at 4.3, 8.3, 12.7 and 16.7 s
PER_FRAME = ("t", "image", "visibility", "world")


class NumberedEstimator:
    """The recorded pose of the frame whose number the phone painted in its corner."""

    def __init__(self, data: Recording) -> None:
        self.data = data

    def detect(self, rgb: np.ndarray, t: float) -> list[Pose]:
        pose = pose_at(self.data, frame_number(rgb), t)
        return [] if pose is None else [pose]


def first_frames(data: Recording, n: int) -> Recording:
    return {k: v[:n] if k in PER_FRAME else v for k, v in data.items()}


def test_the_session_waits_says_so_reconnects_and_keeps_its_counts():
    data = recording(CLIP)
    last = 300  # 10 s: two reps, and the rest after them
    # a stall between the first two reps (the client gives up on the connection and opens another), then the
    # server dies after the second rep and comes back 1.5 s later
    with PhoneCamera(clip_frames(CLIP, 0, last), pause_at={150: 2.0}, die_at={260: 1.5}) as phone:
        numbers: list[int] = []
        times: list[float] = []  # the session's time of each frame in `numbers`
        shown: list[str | None] = []

        def hook(frame: Frame, item: OverlayInput, events: list) -> bool:
            if frame.lost:
                shown.append(item.state.status)
                return True
            numbers.append(frame_number(frame.image))
            times.append(frame.t)
            return numbers[-1] < last - 1

        started = time.monotonic()
        with StreamSource(phone.url, stall_s=1.0, reconnect_timeout_s=15.0, retry_s=0.4) as source:
            result = Session(get_exercise("leg-lift"), NumberedEstimator(data)).run(source, hook)  # type: ignore[arg-type]
            wall = time.monotonic() - started
    report = result.report.build()
    expected = replay_recording(first_frames(data, last), "leg-lift").report.build()
    seen = {k: report[k] for k in ("reps", "cues", "connection", "duration_s")} | {"wall": wall, "frames": len(numbers)}
    assert result.error is None, seen
    assert [r["side"] for r in report["reps"]] == [r["side"] for r in expected["reps"]] == ["right", "right"], seen

    def frame_at(t: float) -> int:
        """The number of the frame the session saw at its time t (a stream's times are its arrival times: the
        frames FFmpeg buffered while opening arrive at once)."""
        return numbers[int(np.argmin(np.abs(np.array(times) - t)))]

    for got, want in zip(report["reps"], expected["reps"], strict=True):  # the same frames as in the replay
        assert abs(frame_at(got["start_s"]) / 30 - want["start_s"]) < 0.3, seen
        assert abs(frame_at(got["end_s"]) / 30 - want["end_s"]) < 0.3, seen
    said = [c for c in report["cues"] if c["text"] == CONNECTION_LOST_TEXT]
    assert len(said) == 2, seen
    assert shown and set(shown) == {CONNECTION_LOST_TEXT}
    lost = report["connection"]["lost"]
    assert report["connection"]["reconnects"] == 2 and len(lost) == 2, seen
    assert abs(frame_at(lost[0]["t_s"]) - 149) <= 2 and abs(frame_at(lost[1]["t_s"]) - 259) <= 2, seen
    assert all(gap["seconds"] >= 1.0 for gap in lost), seen
    assert numbers == sorted(numbers) and len(numbers) > 0.9 * last, seen  # in order, few dropped
    assert report["duration_s"] < wall - 2.0, seen  # the outages are not in the session's time


def test_a_url_where_nothing_listens_is_one_clear_line():
    with PhoneCamera([]) as phone:
        url = phone.url
    started = time.monotonic()
    with pytest.raises(InputError, match="cannot open stream"):
        open_source(url, live=True)
    assert time.monotonic() - started < 10.0
    proc = subprocess.run(
        [sys.executable, "-m", "posecheck.cli", "live", "--camera", url, "--no-window"],
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [f"posecheck: error: cannot open stream {url!r} " + (
        "(is the phone's camera app streaming, on the same network?)")]  # fmt: skip


def test_live_cli_over_a_dropped_stream_exits_3_with_the_partial_report(tmp_path: Path):
    out = tmp_path / "live.json"
    with PhoneCamera(clip_frames(CLIP, 0, 45), die_at={30: None}) as phone:
        proc = subprocess.run(
            [sys.executable, "-m", "posecheck.cli", "live", "--camera", phone.url, "--no-window", "--mute",
             "--reconnect-timeout", "1", "--json", str(out)],
            capture_output=True, text=True, timeout=120, cwd=ROOT,
        )  # fmt: skip
    assert proc.returncode == 3, proc.stderr  # after the 3 s stall and the 1 s timeout: not for ever
    assert proc.stderr.strip().splitlines()[-1].startswith("posecheck: error: camera connection lost: no frames from")
    report = json.loads(out.read_text())
    assert report["errors"][0].startswith("camera connection lost")
    assert CONNECTION_LOST_TEXT in [c["text"] for c in report["cues"]]
    assert report["frames"]["total"] > 0 and len(report["connection"]["lost"]) == 1


def test_the_reconnect_timeout_must_be_positive():
    proc = subprocess.run(
        [sys.executable, "-m", "posecheck.cli", "live", "--camera", "http://127.0.0.1:9/x", "--no-window",
         "--reconnect-timeout", "0"],
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 2 and proc.stderr.strip() == "posecheck: error: --reconnect-timeout must be positive"
