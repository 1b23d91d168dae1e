"""Where posecheck.exercises comes from (docs/design.md): the top-level exercises/ folder, with no import hook.

In a checkout, through the symlink posecheck/exercises; installed, plain or editable, through pyproject.toml's
package-dir mapping, which must work without the symlink (a Windows checkout may not have it).  The builds run
offline with the environment's own setuptools (the test extra pins one new enough)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
SETUPTOOLS = tuple(int(part) for part in version("setuptools").split(".")[:2])
needs_setuptools = pytest.mark.skipif(
    SETUPTOOLS < (77, 0), reason="builds need setuptools >= 77 (pip install -e '.[test]' brings it)"
)
IMPORT_RULES = (
    "import posecheck.exercises.leg_lift as m, posecheck; print(m.__file__); print(posecheck.available()['leg-lift'])"
)


def python(*args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_a_checkout_imports_the_rules_without_the_registry(tmp_path: Path) -> None:
    """A fresh interpreter, in another folder, with only the checkout on its path (no install, no conftest)."""
    assert (ROOT / "posecheck" / "exercises").resolve() == ROOT / "exercises"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = python("-c", IMPORT_RULES, cwd=tmp_path, env=env).splitlines()
    assert Path(out[0]).resolve() == ROOT / "exercises" / "leg_lift.py"
    assert "LegLift" in out[1]


def source_copy(tmp_path: Path) -> Path:
    """What a build reads (pyproject.toml and what it names), copied, without the posecheck/exercises symlink."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "posecheck", src / "posecheck", symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    (src / "posecheck" / "exercises").unlink()
    shutil.copytree(ROOT / "exercises", src / "exercises", ignore=shutil.ignore_patterns("__pycache__"))
    (src / "samples").mkdir()
    setup = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    for path in (path for paths in setup["data-files"].values() for path in paths):
        shutil.copy(ROOT / path, src / path)
    return src


@needs_setuptools
def test_the_wheel_holds_the_rules_and_the_model(tmp_path: Path) -> None:
    src = source_copy(tmp_path)
    python(
        "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(tmp_path / "out"),
        str(src), cwd=tmp_path,
    )  # fmt: skip
    (wheel,) = (tmp_path / "out").glob("posecheck-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    rules = {f"posecheck/exercises/{p.name}" for p in (ROOT / "exercises").glob("*.py")}
    assert rules <= names
    assert "posecheck/models/pose_landmarker_full.task" in names
    assert not any(name.startswith("exercises/") for name in names)


@needs_setuptools
def test_an_editable_install_imports_the_rules_from_any_folder(tmp_path: Path) -> None:
    """The editable wheel pip builds for `pip install -e .`, unpacked as pip would and run without site-packages
    (so no other posecheck is found): its finder maps posecheck.exercises to exercises/ (no symlink here)."""
    src = source_copy(tmp_path)
    build = f"from setuptools import build_meta; print(build_meta.build_editable({str(tmp_path / 'out')!r}))"
    name = python("-c", build, cwd=src).strip().splitlines()[-1]
    site = tmp_path / "site"
    zipfile.ZipFile(tmp_path / "out" / name).extractall(site)
    (pth,) = site.glob("__editable__*.pth")
    deps = tmp_path / "deps"  # numpy alone, not the site-packages it lives in
    deps.mkdir()
    numpy_dir = Path(np.__file__).parent
    for entry in numpy_dir.parent.glob("numpy*"):
        if entry.is_dir() and not entry.name.endswith("-info"):
            (deps / entry.name).symlink_to(entry)
    code = f"import site, sys; sys.path.append({str(deps)!r}); site.addsitedir({str(site)!r}); {IMPORT_RULES}"
    out = python("-S", "-c", code, cwd=tmp_path).splitlines()
    assert pth.exists()
    assert Path(out[0]) == src / "exercises" / "leg_lift.py"
    assert "LegLift" in out[1]
