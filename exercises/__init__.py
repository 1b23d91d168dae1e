"""posecheck's built-in exercises, one rule module each (installed as posecheck.exercises)."""

from __future__ import annotations

from posecheck.rules import ExerciseRule

from .leg_lift import LegLift

BUILTIN: dict[str, type[ExerciseRule]] = {cls.name: cls for cls in (LegLift,)}

__all__ = ["BUILTIN", "LegLift"]
