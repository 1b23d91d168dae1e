"""posecheck's built-in exercises, one rule module each (installed as posecheck.exercises)."""

from __future__ import annotations

from posecheck.rules import ExerciseRule

from .figure_four import FigureFour
from .leg_lift import LegLift

BUILTIN: dict[str, type[ExerciseRule]] = {cls.name: cls for cls in (LegLift, FigureFour)}

__all__ = ["BUILTIN", "FigureFour", "LegLift"]
