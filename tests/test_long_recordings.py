"""Long recordings: exact counts over many repeats, flat memory and a constant frame time over an hour."""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from synthetic_stream import LoopedRecording, SyntheticStream

from posecheck.overlay import OverlayInput
from posecheck.registry import get_exercise
from posecheck.replay import Recording
from posecheck.replay import replay as replay_recording
from posecheck.samples import demo_clip, samples_dir
from posecheck.session import Session
from posecheck.source import Frame
from replay import recording

ROOT = Path(__file__).resolve().parent.parent
PER_FRAME = ("image", "visibility", "world")


def repeated(data: Recording, times: int) -> Recording:
    """The recording played `times` times in a row, its clock running on."""
    out = {k: np.concatenate([v] * times) if k in PER_FRAME else v for k, v in data.items()}
    out["t"] = np.arange(len(data["t"]) * times) / float(data["fps"])
    return out


def test_the_demo_clip_repeated_counts_as_many_times_its_reps():
    """The clip's recorded landmarks four times in a row (three joins) through the real session: every repeat
    counts as the clip alone does.  18 times (5.8 min) counted 72 too; with the real model that run is
    scripts/long_recording.py and the slow test below."""
    data = recording(demo_clip("leg-lift"))
    once = replay_recording(data, "leg-lift").report.build()
    many = replay_recording(repeated(data, 4), "leg-lift").report.build()
    assert len(once["reps"]) == 4
    assert len(many["reps"]) == 4 * len(once["reps"]) and len(many["holds"]) == 4 * len(once["holds"])
    starts = np.array([r["start_s"] for r in many["reps"]]).reshape(4, -1)
    clip_s = len(data["t"]) / float(data["fps"])
    np.testing.assert_allclose(starts - clip_s * np.arange(4)[:, None], starts[:1].repeat(4, axis=0), atol=0.2)


def resident_bytes() -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads memory from /proc (Linux)")
@pytest.mark.parametrize(("exercise", "clip", "per_loop"), [
    ("leg-lift", "leg-lift_left_clean_feet-oblique", 4),  # reps
    ("figure-four", "figure-four_left_clean-30s_side-raised", 1),  # holds
])  # fmt: skip
def test_an_hour_long_stream_keeps_flat_memory_and_a_constant_frame_time(exercise: str, clip: str, per_loop: int):
    """60 minutes of stream (a recorded clip looped, at 2 fps to keep the test short: 7,200 frames) through
    the session loop and the rule.  Memory is read at every tenth of the hour; what grows is one report row per
    rep or hold (about 1 KB each), nothing per frame: keeping one pose per frame (tried) adds 17 MB."""
    data = recording(samples_dir() / f"{clip}.mp4")
    source = SyntheticStream(3600.0, 2.0)
    tenth = source.total // 10
    marks: list[tuple[int, int, float]] = []  # resident bytes, allocated blocks, CPU time: at each tenth

    def hook(frame: Frame, item: OverlayInput, events: list) -> bool:
        if (frame.index + 1) % tenth == 0:
            marks.append((resident_bytes(), sys.getallocatedblocks(), time.process_time()))
        return True

    result = Session(get_exercise(exercise), LoopedRecording(data)).run(source, hook)  # type: ignore[arg-type]
    assert result.error is None and len(marks) == 10
    expected = per_loop * 3600.0 / (len(data["t"]) / float(data["fps"]))
    counted = len(result.report.reps) + len(result.report.holds)
    assert abs(counted - expected) <= 0.05 * expected  # it counted all along
    grew = marks[-1][0] - marks[0][0]
    assert grew < 5e6, f"resident memory grew {grew / 1e6:.1f} MB over the last nine tenths of the hour"
    blocks = marks[-1][1] - marks[0][1]
    assert blocks < 40_000, f"{blocks} more memory blocks after the hour than at its first tenth"
    per_tenth = np.diff([m[2] for m in marks])  # CPU seconds per tenth: not disturbed by other processes
    early, late = float(np.median(per_tenth[:3])), float(np.median(per_tenth[-3:]))
    assert late < 2.0 * early, f"a frame costs {late / early:.2f} x at the end of the hour what it did early on"


@pytest.mark.skipif(os.environ.get("POSECHECK_SLOW") != "1", reason="slow (about 6-12 min): POSECHECK_SLOW=1")
def test_the_demo_clip_18_times_with_the_real_model(tmp_path: Path):
    """scripts/long_recording.py as a test: the real model on the 5.8 min concatenation."""
    spec = importlib.util.spec_from_file_location("long_recording", ROOT / "scripts" / "long_recording.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    one, many, failures = script.check(demo_clip("leg-lift"), "leg-lift", 18, tmp_path)
    assert not failures, (one, many, failures)
