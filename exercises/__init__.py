"""posecheck's built-in exercises, one rule module each (installed as posecheck.exercises)."""

from __future__ import annotations

from posecheck.rules import ExerciseRule

from .auto import Auto
from .ball_squeeze import BallSqueeze
from .figure_four import FigureFour
from .leg_lift import LegLift
from .seated_twist import SeatedTwist

_CLASSES: tuple[type[ExerciseRule], ...] = (LegLift, FigureFour, SeatedTwist, BallSqueeze, Auto)
BUILTIN: dict[str, type[ExerciseRule]] = {cls.name: cls for cls in _CLASSES}

__all__ = ["BUILTIN", "Auto", "BallSqueeze", "FigureFour", "LegLift", "SeatedTwist"]
