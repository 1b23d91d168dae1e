"""SIGINT, SIGTERM and SIGHUP mid-run: the outputs are written (marked interrupted) and the exit is 128 + N."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import pytest

from posecheck import interrupt
from posecheck.samples import samples_dir

ROOT = Path(__file__).resolve().parent.parent
CLIP = samples_dir() / "leg-lift_left_clean_feet-oblique.mp4"  # 583 frames: ~15 s to analyse here
LIMIT_S = 120.0  # the longest any step waits (a machine shared with others' test runs)


class Run:
    """`python -m posecheck.cli ARGS` with its stdout read line by line as it comes."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "posecheck.cli", *args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.out: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)

    def wait_for(self, ready: Callable[[], bool]) -> None:
        deadline = time.monotonic() + LIMIT_S
        while not ready():
            assert self.proc.poll() is None, f"ended before the signal: {self.proc.stderr.read()}"  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "the run did not start"
            time.sleep(0.1)

    def printed(self, start: str) -> bool:
        while not self.lines.empty():
            self.out.append(self.lines.get())
        return any(line.startswith(start) for line in self.out)

    def stop(self, signum: int) -> tuple[int, str, str]:
        self.proc.send_signal(signum)
        self.proc.wait(timeout=LIMIT_S)
        self.reader.join(timeout=10)  # stdout read to its end
        self.printed("")
        assert self.proc.stderr is not None
        return self.proc.returncode, "".join(self.out), self.proc.stderr.read()


def video_frames(path: Path) -> int:
    capture = cv2.VideoCapture(str(path))
    assert capture.isOpened()
    count = 0
    while capture.read()[0]:
        count += 1
    capture.release()
    return count


def grown(path: Path, size: int) -> Callable[[], bool]:
    return lambda: path.exists() and path.stat().st_size > size


def children(pid: int) -> Callable[[], bool]:
    """True once the process has a child (the estimator's, started after the inputs opened)."""

    def started() -> bool:
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    return True
            except (OSError, ValueError, IndexError):
                continue
        return False

    return started


def check_interrupted_report(path: Path, frames_at_most: int) -> dict:
    report = json.loads(path.read_text())
    assert report["interrupted"] is True
    assert 0 < report["frames"]["total"] < frames_at_most
    return report


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_analyze_stopped_by_a_signal_writes_the_partial_report_and_a_playable_video(tmp_path, signum):
    report, video = tmp_path / "r.json", tmp_path / "v.mp4"
    run = Run("analyze", str(CLIP), "--json", str(report), "--video", str(video), "--no-progress")
    run.wait_for(grown(video, 30_000))  # frames are being drawn and encoded
    code, out, err = run.stop(signum)
    assert code == 128 + signum
    assert err.strip() == f"posecheck: interrupted ({signal.Signals(signum).name})"
    assert f"note: interrupted ({signal.Signals(signum).name})" in out
    frames = check_interrupted_report(report, 583)["frames"]["total"]
    assert video_frames(video) == frames  # every frame judged is in the video, and it plays
    assert oct(report.stat().st_mode & 0o777) == oct(0o666 & ~current_umask())


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_live_stopped_by_sigterm_writes_its_report(tmp_path):
    report = tmp_path / "live.json"
    run = Run("live", "--camera", str(CLIP), "--no-window", "--mute", "--json", str(report))
    run.wait_for(lambda: run.printed("live: "))
    time.sleep(2.0)  # some frames judged
    code, _, err = run.stop(signal.SIGTERM)
    assert code == 143, err
    assert "Traceback" not in err
    assert check_interrupted_report(report, 583)["live"]["frames_processed"] > 0


def test_routine_stopped_by_sighup_writes_its_report(tmp_path):
    report = tmp_path / "routine.json"
    run = Run("routine", "--camera", str(CLIP), "--no-window", "--mute", "--json", str(report))
    run.wait_for(lambda: run.printed("routine: "))
    time.sleep(2.0)
    code, _, err = run.stop(signal.SIGHUP)
    assert code == 129, err
    assert "Traceback" not in err
    assert "routine" in check_interrupted_report(report, 583)


def test_eval_stops_at_the_interrupted_clip_and_does_not_score_it(tmp_path):
    folder = tmp_path / "clips"
    folder.mkdir()
    for name in (CLIP.name, "leg-lift_right_clean_front.mp4"):
        (folder / name).symlink_to(samples_dir() / name)
        (folder / name).with_suffix(".json").symlink_to((samples_dir() / name).with_suffix(".json"))
    scores = tmp_path / "scores.json"
    run = Run("eval", str(folder), "--json", str(scores), "--cache", str(tmp_path / "cache"))  # MediaPipe runs
    run.wait_for(children(run.proc.pid))
    time.sleep(3.0)  # the first clip (alphabetically: left) is being analysed
    code, out, err = run.stop(signal.SIGINT)
    assert code == 130, err
    assert err.strip() == "posecheck: interrupted (SIGINT)"
    result = json.loads(scores.read_text())
    assert result["clips"] == []  # not scored as complete
    assert result["failures"] == {CLIP.name: "interrupted: not scored"}  # and the next clip not started
    assert "FAILED: interrupted" in out
    assert not list((tmp_path / "cache").glob("*.npz"))  # no half recording cached


def test_a_signal_while_saving_waits_for_the_save_then_stops():
    with interrupt.handled():
        with pytest.raises(interrupt.Interrupted) as stopped, interrupt.deferred():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)
            saved = True  # reached: the signal did not cut the block short
        assert saved
        assert stopped.value.exit_code == 143
        assert interrupt.requested() == signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # put back


def test_a_second_signal_quits_at_once():
    code = (
        "import os, signal, time\n"
        "from posecheck import interrupt\n"
        "with interrupt.handled(), interrupt.deferred():\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    os.kill(os.getpid(), signal.SIGINT)\n"
        "    time.sleep(5)\n"
        "print('not reached')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 143
    assert "not reached" not in proc.stdout
    assert "SIGINT again: quitting without saving" in proc.stderr


def test_sighup_from_a_closed_terminal_still_writes_the_report(tmp_path):
    """The terminal is gone (writes to it fail with EIO) when SIGHUP comes: the report is written, exit 129."""
    report, video = tmp_path / "r.json", tmp_path / "v.mp4"
    master, slave = os.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "posecheck.cli", "analyze", str(CLIP), "--json", str(report), "--video", str(video)],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=slave,
    )
    os.close(slave)
    deadline = time.monotonic() + LIMIT_S
    try:
        while not grown(video, 30_000)():
            assert proc.poll() is None and time.monotonic() < deadline
            with contextlib.suppress(OSError):  # the progress bar, read so the terminal never fills
                if select.select([master], [], [], 0.1)[0]:
                    os.read(master, 65536)
    finally:
        os.close(master)  # the terminal closes
    proc.send_signal(signal.SIGHUP)
    assert proc.wait(timeout=LIMIT_S) == 129
    check_interrupted_report(report, 583)
    assert video_frames(video) > 0
