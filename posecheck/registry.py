"""Exercises by name: the built-ins in posecheck.exercises plus entry points.

Third-party packages can add exercises through the entry-point group
``posecheck.exercises`` (name = exercise name, value = "module:Class").
The built-in modules live in the repository's top-level ``exercises/`` folder,
which is the package ``posecheck.exercises``: installed through pyproject.toml's
package-dir mapping, and in a checkout through the symlink posecheck/exercises
(docs/design.md, "Where posecheck.exercises comes from").
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points
from types import ModuleType

from .errors import ConfigError
from .rules import ExerciseRule

ENTRY_POINT_GROUP = "posecheck.exercises"


def _builtin_package() -> ModuleType:
    return importlib.import_module("posecheck.exercises")


def available() -> dict[str, type[ExerciseRule]]:
    """All known exercises, name -> rule class, built-ins first."""
    found: dict[str, type[ExerciseRule]] = dict(_builtin_package().BUILTIN)
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        if entry.name not in found:
            found[entry.name] = entry.load()
    return found


def get_exercise(exercise: str | ExerciseRule) -> ExerciseRule:
    """An exercise rule from its name, or the instance itself."""
    if isinstance(exercise, ExerciseRule):
        return exercise
    known = available()
    try:
        return known[exercise]()
    except KeyError:
        raise ConfigError(f"unknown exercise {exercise!r}; known exercises: {', '.join(sorted(known))}") from None
