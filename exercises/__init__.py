"""posecheck's built-in exercises, one rule module each (installed as posecheck.exercises)."""

from __future__ import annotations

from posecheck.rules import ExerciseRule

from .ball_squeeze import BallSqueeze
from .figure_four import FigureFour
from .leg_lift import LegLift
from .seated_twist import SeatedTwist

BUILTIN: dict[str, type[ExerciseRule]] = {cls.name: cls for cls in (LegLift, FigureFour, SeatedTwist, BallSqueeze)}

__all__ = ["BUILTIN", "BallSqueeze", "FigureFour", "LegLift", "SeatedTwist"]
