"""The exercise rules stay pure: no exercises/*.py module imports OpenCV or MediaPipe (landmarks and time in)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

EXERCISES = Path(__file__).resolve().parent.parent / "exercises"
FORBIDDEN = {"cv2", "mediapipe"}


def imported_roots(source: str) -> set[str]:
    """Top-level package names a module imports: import x.y, from x.y import z, importlib.import_module("x") and
    __import__("x") with a literal name (relative imports skipped)."""
    roots: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and _is_import_call(node.func) and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str) and not first.value.startswith("."):
                roots.add(first.value.split(".")[0])
    return roots


def _is_import_call(func: ast.expr) -> bool:
    if isinstance(func, ast.Name):
        return func.id in ("__import__", "import_module")
    return isinstance(func, ast.Attribute) and func.attr == "import_module"


@pytest.mark.parametrize(
    "source,found",
    [
        ("import cv2", {"cv2"}),
        ("import mediapipe.tasks as mpt", {"mediapipe"}),
        ("def f():\n    from mediapipe.tasks.python import vision", {"mediapipe"}),
        ("from . import _holds\nfrom .auto import x", set()),
        ("import numpy as np", {"numpy"}),
        ("import importlib\nimportlib.import_module('cv2')", {"importlib", "cv2"}),
        ("__import__('mediapipe')", {"mediapipe"}),
    ],
)
def test_imported_roots(source: str, found: set[str]) -> None:
    assert imported_roots(source) == found


def test_there_are_exercise_modules() -> None:
    assert len(list(EXERCISES.glob("*.py"))) >= 5


@pytest.mark.parametrize("path", sorted(EXERCISES.glob("*.py")), ids=lambda p: p.name)
def test_exercise_module_imports_neither_cv2_nor_mediapipe(path: Path) -> None:
    bad = imported_roots(path.read_text(encoding="utf-8")) & FORBIDDEN
    assert not bad, f"{path.name} imports {sorted(bad)}: rules take landmarks and time, never frames"
