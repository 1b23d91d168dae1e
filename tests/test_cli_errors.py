"""Bad input: one clear line on stderr, a non-zero exit, no traceback; partial reports saved."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from posecheck.cli import main
from posecheck.model import BUNDLED_MODEL

ROOT = Path(__file__).resolve().parent.parent  # `python -m` runs this checkout's posecheck from any folder


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "posecheck.cli", *args], capture_output=True, text=True, timeout=300, cwd=ROOT
    )


def one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.startswith("posecheck: error:")]
    assert len(lines) == 1, proc.stderr
    return lines[0]


def blank_video(path: Path, frames: int = 20, size: tuple[int, int] = (320, 240)) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 10.0, size)
    for i in range(frames):
        writer.write(np.full((size[1], size[0], 3), 40 + i, np.uint8))
    writer.release()
    return path


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["analyze", "no/such/video.mp4"], "no such file"),
        (["analyze", str(ROOT / "pyproject.toml")], "cannot open video"),
        (["analyze", str(ROOT / "tests")], "is a folder"),
        (["analyze", str(ROOT / "README.md"), "--exercise", "yoga"], "known exercises: "),
        (["live", "--camera", "9", "--no-window"], "cannot open camera 9"),
        (["live", "--camera", "0", "--no-window", "--max-seconds", "-1"], "--max-seconds must be positive"),
    ],
)
def test_bad_input_gives_one_line(args, expected, capsys):
    code = main(args)
    err = capsys.readouterr().err
    assert code != 0
    assert expected in err
    assert err.count("\n") == 1


@pytest.mark.parametrize("command", ["analyze", "demo"])
def test_an_unknown_exercise_without_a_video_picks_no_sample(command, capsys, tmp_path):
    code = main([command, "--exercise", "yoga", *(["--out", str(tmp_path)] if command == "demo" else [])])
    out, err = capsys.readouterr()
    assert code != 0 and "known exercises: " in err and err.count("\n") == 1
    assert out == ""  # not "analysing the bundled sample ..." first


def test_not_a_video_file(tmp_path):
    fake = tmp_path / "clip.mp4"
    fake.write_bytes(b"this is not a video at all" * 100)
    proc = run_cli("analyze", str(fake))
    line = one_line_error(proc)
    assert "clip.mp4" in line
    assert proc.stderr.strip() == line  # nothing else: FFmpeg's own complaint is kept off the terminal


def test_output_that_cannot_be_written(tmp_path):
    video = blank_video(tmp_path / "v.mp4")
    line = one_line_error(run_cli("analyze", str(video), "--json", str(tmp_path / "missing" / "r.json")))
    assert "does not exist" in line


def test_corrupt_and_missing_model(tmp_path):
    video = blank_video(tmp_path / "v.mp4")
    broken = tmp_path / "broken.task"
    broken.write_bytes(BUNDLED_MODEL.read_bytes()[:5000])
    line = one_line_error(run_cli("analyze", str(video), "--model", str(broken)))
    assert "broken.task" in line
    line = one_line_error(run_cli("analyze", str(video), "--model", str(tmp_path / "none.task")))
    assert "none.task" in line


def test_no_person_exits_non_zero_and_still_writes_the_report(tmp_path):
    video = blank_video(tmp_path / "empty.mp4")
    report = tmp_path / "r.json"
    line = one_line_error(run_cli("analyze", str(video), "--json", str(report)))
    assert "no person" in line
    data = json.loads(report.read_text())
    assert data["frames"] == {"total": 20, "with_pose": 0, "model": 20}
    assert data["errors"]


def test_python_dash_m_posecheck_is_the_command() -> None:
    proc = subprocess.run([sys.executable, "-m", "posecheck", "routine", "--camera", "/no/such.mp4", "--no-window"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)  # fmt: skip
    assert one_line_error(proc) == "posecheck: error: no such file: /no/such.mp4"
