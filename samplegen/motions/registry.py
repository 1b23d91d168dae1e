"""Exercise name -> motion script builder."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from samplegen.human import Human
from samplegen.motions import ball_squeeze, figure_four, leg_lift, seated_twist
from samplegen.motions.base import Clip

Builder = Callable[..., Clip]
BUILDERS: dict[str, Builder] = {
    "leg-lift": leg_lift.build,
    "ball-squeeze": ball_squeeze.build,
    "figure-four": figure_four.build,
    "seated-twist": seated_twist.build,
}
FAULTS: dict[str, tuple[str, ...]] = {
    "leg-lift": leg_lift.FAULTS,
    "ball-squeeze": ball_squeeze.FAULTS,
    "figure-four": figure_four.FAULTS,
    "seated-twist": seated_twist.FAULTS,
}


def build_clip(exercise: str, human: Human, side: str, rng: np.random.Generator, **kwargs: object) -> Clip:
    if exercise not in BUILDERS:
        raise ValueError(f"unknown exercise {exercise!r}; known: {sorted(BUILDERS)}")
    return BUILDERS[exercise](human, side, rng=rng, **kwargs)
