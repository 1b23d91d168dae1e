"""README stays true to the code: its commands parse, its pictures exist and are small, its links resolve,
and the camera pictures' script covers every exercise from a view samplegen knows."""

from __future__ import annotations

import importlib.util
import re
import shlex
import sys
from pathlib import Path

import pytest

from posecheck.cli import build_parser
from posecheck.registry import available

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
EXERCISES = ("figure-four", "seated-twist", "ball-squeeze", "leg-lift")


def documented_commands() -> list[str]:
    """Every `posecheck ...` in backticks or in a code block, with README's placeholders filled in."""
    found = re.findall(r"`(posecheck(?: [^`]*)?)`", README)
    for block in re.findall(r"^```sh\n(.*?)^```", README, flags=re.MULTILINE | re.DOTALL):
        found += re.findall(r"(?:^|&& )(?:\.venv/bin/)?(posecheck(?: [^#\n]*)?)$", block, flags=re.MULTILINE)
    commands = []
    for text in found:
        text = text.split("#")[0].strip().replace("\\|", "|")
        text = re.sub(r"\[([^\]]*)\]", r"\1", text)  # optional parts: keep them, so they parse too
        text = text.replace("0|FILE|URL", "0").replace("none|ema|one-euro", "ema").replace("EXERCISE", "leg-lift")
        text = text.replace("FOLDER", "out").replace("VIDEO", "clip.mp4").replace("COMMAND", "demo")
        commands.append(text)
    return sorted(set(commands))


def test_readme_documents_the_commands() -> None:
    commands = documented_commands()
    for name in ("live", "routine", "analyze", "demo", "eval", "exercises"):
        assert any(c.startswith(f"posecheck {name}") for c in commands), name


@pytest.mark.parametrize("command", documented_commands())
def test_readme_command_parses(command: str) -> None:
    words = shlex.split(command)[1:]
    if "--help" in words or "PATH" in words:
        return  # --help exits; --model PATH is shown on its own
    build_parser().parse_args(words)  # argparse exits (SystemExit) on an unknown command or option


def test_readme_exercise_names_are_the_tools() -> None:
    assert set(EXERCISES) | {"auto"} <= set(available())
    for name in EXERCISES:
        assert f"`{name}`" in README


def test_readme_links_resolve() -> None:
    for target in re.findall(r"\]\(([^)#]+)\)", README):
        if "://" not in target:
            assert (ROOT / target).exists(), target


def test_camera_pictures_exist_and_are_small() -> None:
    total = 0
    for name in EXERCISES:
        picture = ROOT / "docs" / "images" / f"camera-{name}.png"
        assert f"]({picture.relative_to(ROOT)})" in README
        assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        total += picture.stat().st_size
    assert total < 400_000


def test_camera_pictures_script_uses_the_recommended_views() -> None:
    spec = importlib.util.spec_from_file_location("camera_pictures", ROOT / "scripts" / "camera_pictures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)  # samplegen's camera and pipeline import without the render extras
    from samplegen.camera import PRESETS

    assert sorted(s.exercise for s in module.SHOTS) == sorted(EXERCISES)
    for shot in module.SHOTS:
        assert shot.camera in PRESETS[shot.exercise]
