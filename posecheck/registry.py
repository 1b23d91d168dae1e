"""Exercises by name: the built-ins in posecheck.exercises plus entry points.

Third-party packages can add exercises through the entry-point group
``posecheck.exercises`` (name = exercise name, value = "module:Class").
The built-in modules live in the repository's top-level ``exercises/`` folder,
installed as ``posecheck.exercises``; from a plain checkout the folder is
loaded under that same name, so both paths find the same modules.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType

from .errors import ConfigError
from .rules import ExerciseRule

ENTRY_POINT_GROUP = "posecheck.exercises"


def _builtin_package() -> ModuleType:
    try:
        return importlib.import_module("posecheck.exercises")
    except ModuleNotFoundError as error:
        if error.name != "posecheck.exercises":
            raise
    folder = Path(__file__).resolve().parent.parent / "exercises"
    spec = importlib.util.spec_from_file_location(
        "posecheck.exercises", folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    if spec is None or spec.loader is None:
        raise ImportError(f"posecheck's exercises folder is missing ({folder})")
    module = importlib.util.module_from_spec(spec)
    sys.modules["posecheck.exercises"] = module
    spec.loader.exec_module(module)
    return module


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
