"""analyze's sampling (posecheck/sampling.py) gives --every-frame's results on every bundled sample.

Each sample is replayed twice from its recorded MediaPipe landmarks: on every frame, and with the model's
answers only on the frames the sampler chooses from the clip's own pictures (decoded, as analyze does),
the others interpolated.  Agreeing (posecheck/agreement.py): the same reps, sets and faults, every hold
within 0.5 s.  (With the real model a sampled frame's landmarks also differ a little, its tracking having
skipped frames: scripts/benchmark.py compares those runs; docs/performance.md has the numbers.)
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from posecheck.agreement import differences
from posecheck.replay import replay
from posecheck.samples import labelled_clips, samples_dir
from posecheck.session import SessionResult
from replay import recording, replayed

CLIPS = labelled_clips(samples_dir())
# Where they differ still (why analyze samples only with --sparse for now): both are readings on the edge of
# a decision whatever the sampling, and MediaPipe's frame-to-frame jitter, which interpolation smooths, tips them
KNOWN = {
    "ball-squeeze_both_clean-2x5_feet-raised": "a short squeeze (0.7 s, at the rep line's height) is missed, 9 of"
    " 10: the squeeze's thresholds are learnt from the jitter the interpolation smooths (at 15 samples a second"
    " in motion it is found, and the 2x10 clip counts a rest between sets as a rep instead)",
    "figure-four_left_ankle-off_feet-raised": "a view MediaPipe loses the body in: every frame reads a 2.7 s hold"
    " (the label: 11 s), just over the 2 s a hold must last; sampled, it runs on to 17.5 s",
}


def params() -> list[object]:
    return [
        pytest.param(c, marks=pytest.mark.xfail(reason=KNOWN[c.stem], strict=True)) if c.stem in KNOWN else c
        for c in CLIPS
    ]


def exercise_of(clip: Path) -> str:
    return str(json.loads(clip.with_suffix(".json").read_text())["exercise"])


@cache
def sampled(clip: Path) -> SessionResult:
    result = replay(recording(clip), exercise_of(clip), clip.name, video=clip, sparse=True)
    assert result.error is None, result.error
    return result


@pytest.mark.parametrize("clip", params(), ids=lambda c: c.stem)
def test_sampled_frames_give_the_results_of_every_frame(clip: Path) -> None:
    every = replayed(clip, exercise_of(clip)).report.build()
    result = sampled(clip)
    report = result.report.build()
    assert report["frames"]["model"] == result.modelled < result.frames == every["frames"]["total"]
    assert differences(every, report) == []


def test_the_model_runs_on_well_under_half_the_frames() -> None:
    frames = sum(sampled(clip).frames for clip in CLIPS)
    modelled = sum(sampled(clip).modelled for clip in CLIPS)
    assert modelled < 0.4 * frames
