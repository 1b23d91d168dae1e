"""scripts/install.sh's options (without installing anything) and the pins CI relies on."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "install.sh"
pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(SCRIPT), *args], capture_output=True, text=True, timeout=30, check=False)


def test_help_names_the_flags() -> None:
    done = run("--help")
    assert done.returncode == 0
    assert "--test" in done.stdout and "--render" in done.stdout and ".venv" in done.stdout


def test_an_unknown_option_is_one_line_and_installs_nothing() -> None:
    done = run("--tests")
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "unknown option --tests" in done.stderr


def test_never_pip_into_the_system_python() -> None:
    text = SCRIPT.read_text(encoding="utf-8")
    assert "--break-system-packages" not in text
    assert re.search(r"python3? -m pip", text) is None  # pip only through the environment's own python


def test_ruff_is_pinned_and_ci_checks_formatting() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert any(re.fullmatch(r"ruff==[\d.]+", req) for req in extras["test"])
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "ruff check ." in ci and "ruff format --check ." in ci and "--test --render" in ci
