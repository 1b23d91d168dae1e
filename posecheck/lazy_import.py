"""Modules a package imports but posecheck never uses, left unloaded until something touches them."""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Iterator, Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

# mediapipe's package imports its drawing helpers, and they import matplotlib.pyplot: 0.35-0.5 s of
# the estimator's start here (mediapipe's import: 0.54-0.72 s, 0.19-0.20 s with these two deferred)
MEDIAPIPE_DRAWING = ("mediapipe.tasks.python.vision.drawing_utils", "mediapipe.tasks.python.vision.drawing_styles")


class _Deferred(importlib.abc.MetaPathFinder):
    """Finds `names` as usual, but their code runs at the first use of one of their attributes."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names = frozenset(names)

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname not in self.names:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return None  # not there (another version): the usual import, which says so
        spec.loader = importlib.util.LazyLoader(spec.loader)
        return spec


@contextlib.contextmanager
def deferred(names: Sequence[str]) -> Iterator[None]:
    """Imports made meanwhile load `names` lazily: a module that is never used never runs."""
    finder = _Deferred(names)
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)


__all__ = ["MEDIAPIPE_DRAWING", "deferred"]
