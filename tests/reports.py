"""Builders for the report tests: replayed samples with their Timeline (scripts/recordings.py), the four demo
recordings joined as one routine, and histories of replayed sessions."""

from __future__ import annotations

from functools import cache

import numpy as np

from posecheck.replay import Recording
from posecheck.timeline import Timeline
from recordings import SAMPLES, fill_history, recording, replay_with_timeline, sample

ROUTINE = (
    "figure-four_left_clean-30s_side-raised",
    "seated-twist_left_hip-lifted_front-oblique",
    "ball-squeeze_both_clean-2x5_feet-raised",
    "leg-lift_left_clean_feet-oblique",
)


def joined() -> Recording:
    """The four demo recordings one after the other, as one clip's landmarks (a routine filmed in one go)."""
    parts = [recording(SAMPLES / f"{name}.mp4") for name in ROUTINE]
    times, offset = [], 0.0
    for part in parts:
        times.append(part["t"] + offset)
        offset += float(part["t"][-1]) + 1.0 / float(part["fps"])
    data = {key: np.concatenate([part[key] for part in parts]) for key in ("image", "visibility", "world")}
    return {**data, "t": np.concatenate(times), "fps": parts[0]["fps"], "aspect": parts[0]["aspect"]}


@cache
def routine_sample() -> tuple[dict[str, object], Timeline]:
    return replay_with_timeline(joined(), "auto", "routine.mp4")


__all__ = ["ROUTINE", "SAMPLES", "fill_history", "joined", "routine_sample", "sample"]
