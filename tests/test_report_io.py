"""The report file's mode follows the umask; the summary's wording; a photo's 'no person' message."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import numpy as np
import pytest

from posecheck.cli import _print_summary
from posecheck.errors import InputError, NoPersonError
from posecheck.events import RepEvent, RepRecord
from posecheck.pose import Pose
from posecheck.registry import get_exercise
from posecheck.report import ReportBuilder, write_json
from posecheck.session import Session, SessionResult
from posecheck.source import Frame, FrameSource, SourceInfo


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o077, 0o002])
def test_the_report_is_written_with_the_users_umask(tmp_path, umask):
    old = os.umask(umask)
    try:
        path = tmp_path / "report.json"
        write_json(path, {"a": 1})
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask
    assert json.loads(path.read_text()) == {"a": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temp file left


def test_a_failed_write_leaves_no_temp_file(tmp_path):
    (tmp_path / "report.json").mkdir()  # the rename onto a folder fails
    with pytest.raises(InputError, match="cannot write"):
        write_json(tmp_path / "report.json", {"a": 1})
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_the_interrupted_flag_is_top_level_only_when_set():
    report = ReportBuilder("leg-lift", "clip.mp4", 30.0)
    assert "interrupted" not in report.build()
    report.interrupted = True
    assert report.build()["interrupted"] is True


def test_both_legs_not_both_side(capsys):
    report = ReportBuilder("ball-squeeze", "clip.mp4", 30.0)
    for i in range(9):
        report.on_events([RepEvent(float(i), RepRecord("both", i, i + 0.5, i + 1.0, 20.0, 0.5), i + 1)])
    report.on_events([RepEvent(10.0, RepRecord("left", 10, 10.5, 11.0, 20.0, 0.5), 1)])
    _print_summary(SessionResult(report))
    out = capsys.readouterr().out
    assert "  both legs: 9 reps; most frequent fault: none" in out
    assert "  left side: 1 reps" in out
    assert "both side" not in out


class Photo(FrameSource):
    def __init__(self) -> None:
        self.info = SourceInfo("photo.jpg", "still", 1.0, 64, 48, 1)

    def __iter__(self) -> Iterator[Frame]:
        yield Frame(np.zeros((48, 64, 3), np.uint8), 0.0, 0)


class Nobody:
    def detect(self, rgb: np.ndarray, t: float) -> list[Pose]:
        return []


def test_a_photo_with_nobody_says_photo_not_video():
    result = Session(get_exercise("leg-lift"), Nobody()).run(Photo())  # type: ignore[arg-type]
    assert isinstance(result.error, NoPersonError)
    assert str(result.error) == "no person found in the photo"
    assert result.report.build()["errors"] == ["no person found in the photo"]
