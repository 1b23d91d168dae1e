"""The guided routine end to end on a rendered sample clip: real MediaPipe, no window, spoken to a fake engine."""

from __future__ import annotations

import json
from pathlib import Path

from posecheck.routine_cli import run_routine
from posecheck.routines import RoutineSpec, StepSpec
from posecheck.samples import samples_dir
from posecheck.voice import NullEngine, Voice

CLIP = samples_dir() / "leg-lift_left_clean_feet-oblique.mp4"  # 4 clean reps, left side up, first ends at 3.9 s


def in_order(said: list[str], wanted: list[str]) -> bool:
    it = iter(said)
    return all(any(line == w for line in it) for w in wanted)


def test_routine_on_a_sample_clip(tmp_path: Path) -> None:
    assert CLIP.is_file()  # a bundled sample: committed, never skipped
    step = StepSpec("leg-lift", 2, ("left",), rest_s=0.0, camera="Camera at your feet.", instruction="Lie down.")
    engine = NullEngine()
    voice = Voice(engine)
    report = tmp_path / "routine.json"
    result, routine = run_routine(
        RoutineSpec("Lifts", (step,)), CLIP, window=False, live=False, voice=voice, json_path=report
    )
    assert result.error is None
    assert [phase for _, phase in routine.history] == ["instruct", "wait_posture", "active", "summary"]
    # the instructions take ~6 s to say; the reps after them are counted
    assert routine.results[0].done == {"left": 2} and routine.results[0].complete
    wanted = [
        "Lifts: one exercise. Stop if anything hurts.", "Next: Side-lying leg lifts.", "Camera at your feet.",
        "Lie down.", "Good. Begin", "One", "Two", "Well done", "Routine done", "Side-lying leg lifts: left two of two",
    ]  # fmt: skip
    assert in_order(engine.said, wanted), engine.said
    assert not any(line.startswith("Set done") for line in engine.said)
    steps = json.loads(report.read_text())["routine"]["steps"]
    assert steps[0]["sides"]["left"]["done"] == 2
