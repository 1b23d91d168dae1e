"""Deferred imports: a module a package imports but posecheck never uses does not run until touched."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from posecheck.lazy_import import deferred


def make_package(root: Path) -> Path:
    """A package that imports a submodule and relies on it being its attribute (as mediapipe's vision does)."""
    package = root / "lazypkg"
    package.mkdir()
    (package / "__init__.py").write_text("import lazypkg.heavy\nheavy = heavy\n")
    marker = root / "heavy-ran"
    (package / "heavy.py").write_text(f"open({str(marker)!r}, 'w').close()\nVALUE = 42\n")
    return marker


def test_a_deferred_module_runs_at_its_first_use_not_at_import(tmp_path, monkeypatch):
    marker = make_package(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        with deferred(["lazypkg.heavy"]):
            import lazypkg  # type: ignore[import-not-found]
        assert not marker.exists()
        assert lazypkg.heavy.VALUE == 42
        assert marker.exists()
    finally:
        for name in ("lazypkg", "lazypkg.heavy"):
            sys.modules.pop(name, None)


def test_the_finder_is_gone_afterwards_and_unknown_names_import_as_usual(tmp_path, monkeypatch):
    before = list(sys.meta_path)
    with deferred(["no.such.module"]):
        import json  # noqa: F401
    assert sys.meta_path == before


def test_the_estimator_leaves_matplotlib_unloaded():
    """mediapipe imports its drawing helpers, and they import matplotlib.pyplot (about 0.4 s of start-up)."""
    script = textwrap.dedent(
        """
        import sys
        from posecheck.estimator import PoseEstimator
        with PoseEstimator(probe_every_s=None):
            pass
        print("matplotlib" in sys.modules)
        from mediapipe.tasks.python.vision import drawing_utils
        print(drawing_utils.DrawingSpec.__name__)
        """
    )
    checkout = Path(__file__).resolve().parent.parent  # this posecheck, not an installed copy
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=checkout)
    assert done.stdout.split() == ["False", "DrawingSpec"]  # still there when asked for
