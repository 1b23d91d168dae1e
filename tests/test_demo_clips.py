"""The demo clips: one per exercise, installed with the package so `posecheck` runs outside a checkout too."""

from __future__ import annotations

from pathlib import Path

import pytest

from posecheck import samples
from posecheck.registry import available

ROOT = Path(__file__).resolve().parent.parent


def test_pyproject_installs_every_demo_clip_with_its_label():
    tomllib = pytest.importorskip("tomllib")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    installed = config["tool"]["setuptools"]["data-files"]["share/posecheck/samples"]
    wanted = {f"samples/{clip}" for clip in samples.DEMO_CLIPS.values()}
    wanted |= {str(Path(c).with_suffix(".json")) for c in wanted}
    assert set(installed) == wanted
    assert all((ROOT / path).is_file() for path in installed)


def test_every_exercise_has_a_demo_clip():
    assert set(samples.DEMO_CLIPS) == set(available()) - {"auto"}


@pytest.mark.parametrize("scheme", ["prefix", "user"])
def test_outside_a_checkout_the_installed_clips_are_found(tmp_path, monkeypatch, scheme):
    installed = tmp_path / "share" / "posecheck" / "samples"
    installed.mkdir(parents=True)
    for clip in samples.DEMO_CLIPS.values():
        (installed / clip).write_bytes(b"")
        (installed / clip).with_suffix(".json").write_text("{}")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setattr(samples, "INSTALLED", installed if scheme == "prefix" else tmp_path / "none")
    monkeypatch.setattr(samples, "USER_INSTALLED", installed if scheme == "user" else tmp_path / "none")
    monkeypatch.setattr(samples, "CHECKOUT", tmp_path / "no-checkout" / "samples")
    assert samples.samples_dir() == installed
    assert samples.demo_clip("figure-four") == installed / samples.DEMO_CLIPS["figure-four"]
    assert samples.demo_clip() == installed / samples.DEMO_CLIPS["leg-lift"]


def test_with_no_clips_anywhere_the_error_is_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(samples, "INSTALLED", tmp_path / "none")
    monkeypatch.setattr(samples, "USER_INSTALLED", tmp_path / "none")
    monkeypatch.setattr(samples, "CHECKOUT", tmp_path / "no-checkout")
    with pytest.raises(samples.InputError, match="give a video"):
        samples.samples_dir()
