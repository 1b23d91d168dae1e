"""Guided routines as data: a TOML file of steps, loaded into a validated frozen dataclass.

The built-in routine is default.toml beside this file; users copy and edit it.
Every bad value fails with a ConfigError naming the file and the key.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser from PyPI (`tomli; python_version < "3.11"`)
    import tomli as tomllib

DEFAULT_NAME = "default.toml"
SIDES = ("left", "right")
TOP_KEYS = {"name", "posture_s", "step"}
STEP_KEYS = {"exercise", "title", "target", "sides", "sets", "rest_s", "hold_s", "camera", "instruction"}


@dataclass(frozen=True)
class StepSpec:
    """One exercise of a routine."""

    exercise: str
    target: int  # reps or holds per side in one set
    sides: tuple[str, ...] = SIDES  # () when both legs work together (ball squeeze)
    sets: int = 1
    rest_s: float = 20.0
    hold_s: float | None = None  # None: the exercise's own hold length
    camera: str = ""  # "": the exercise's own camera advice
    instruction: str = ""
    title: str = ""

    @property
    def tallies(self) -> tuple[str, ...]:
        """The keys progress is counted under: the sides, or "both"."""
        return self.sides or ("both",)


@dataclass(frozen=True)
class RoutineSpec:
    name: str
    steps: tuple[StepSpec, ...]
    posture_s: float = 1.5

    def only(self, exercises: set[str]) -> RoutineSpec:
        """The same routine without the steps whose exercise is not in `exercises`."""
        return RoutineSpec(self.name, tuple(s for s in self.steps if s.exercise in exercises), self.posture_s)


class _Reader:
    """Typed reads from one TOML table, each failure naming `where.key`."""

    def __init__(self, table: Mapping[str, object], where: str, allowed: set[str]) -> None:
        unknown = sorted(set(table) - allowed)
        if unknown:
            raise ConfigError(f"{where}.{unknown[0]}: unknown key (known: {', '.join(sorted(allowed))})")
        self.table = table
        self.where = where

    def _bad(self, key: str, what: str) -> ConfigError:
        return ConfigError(f"{self.where}.{key} must be {what}, got {self.table.get(key)!r}")

    def text(self, key: str, default: str | None = None) -> str:
        value = self.table.get(key, default)
        if not isinstance(value, str) or (default is None and not value.strip()):
            raise self._bad(key, "a non-empty string" if default is None else "a string")
        return " ".join(value.split())

    def integer(self, key: str, default: int | None = None, low: int = 1, high: int = 1000) -> int:
        value = self.table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self._bad(key, f"a whole number from {low} to {high}")
        return value

    def seconds(self, key: str, default: float | None, low: float, high: float) -> float | None:
        value = self.table.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            raise self._bad(key, f"a number of seconds from {low:g} to {high:g}")
        return float(value)

    def sides(self, key: str) -> tuple[str, ...]:
        value = self.table.get(key, list(SIDES))
        if not isinstance(value, list) or any(v not in SIDES for v in value) or len(set(value)) != len(value):
            raise self._bad(key, 'a list of distinct sides from ["left", "right"] (or [])')
        return tuple(value)


def parse_routine(data: Mapping[str, object], source: str = "routine") -> RoutineSpec:
    """A validated RoutineSpec from parsed TOML; ConfigError names the bad key."""
    top = _Reader(data, source, TOP_KEYS)
    steps = data.get("step")
    if not isinstance(steps, list) or not steps or not all(isinstance(s, dict) for s in steps):
        raise ConfigError(f"{source}.step must be a list of [[step]] tables, at least one")
    parsed = []
    for index, table in enumerate(steps, 1):
        r = _Reader(table, f"{source}.step[{index}]", STEP_KEYS)
        rest_s = r.seconds("rest_s", 20.0, 0.0, 600.0)
        parsed.append(
            StepSpec(
                exercise=r.text("exercise"),
                target=r.integer("target"),
                sides=r.sides("sides"),
                sets=r.integer("sets", 1, high=20),
                rest_s=20.0 if rest_s is None else rest_s,
                hold_s=r.seconds("hold_s", None, 1.0, 600.0),
                camera=r.text("camera", ""),
                instruction=r.text("instruction", ""),
                title=r.text("title", ""),
            )
        )
    posture_s = top.seconds("posture_s", 1.5, 0.0, 30.0)
    return RoutineSpec(top.text("name", "Routine"), tuple(parsed), 1.5 if posture_s is None else posture_s)


def load_routine(path: Path | str | None = None) -> RoutineSpec:
    """A routine from a TOML file; None: the built-in default routine."""
    try:
        if path is None:
            source = DEFAULT_NAME
            raw = resources.files(__package__).joinpath(DEFAULT_NAME).read_bytes()
        else:
            source = str(path)
            raw = Path(path).read_bytes()
    except OSError as error:
        raise ConfigError(f"cannot read routine {source}: {error.strerror or error}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{source}: not valid TOML: {error}") from None
    return parse_routine(data, Path(source).name)


__all__ = ["RoutineSpec", "StepSpec", "load_routine", "parse_routine"]
