"""Finding the bundled sample clips: a checkout's samples/ folder, else the demo clips installed with the package."""

from __future__ import annotations

import os
import sys
import sysconfig
from pathlib import Path

from .errors import InputError

VIDEO_SUFFIXES = (".mp4", ".avi", ".mov", ".mkv", ".webm")
# one clip per exercise for `posecheck` / `posecheck demo`; pyproject.toml installs these (and their labels) into
# <prefix>/share/posecheck/samples, so the demo runs outside a checkout too (about 4 MB of the 24 in samples/)
DEMO_CLIPS = {
    "leg-lift": "leg-lift_left_clean_feet-oblique.mp4",
    "figure-four": "figure-four_left_clean-30s_side-raised.mp4",
    "seated-twist": "seated-twist_left_hip-lifted_front-oblique.mp4",
    "ball-squeeze": "ball-squeeze_both_clean-2x5_feet-raised.mp4",
}
CHECKOUT = Path(__file__).resolve().parent.parent / "samples"
INSTALLED = Path(sys.prefix) / "share" / "posecheck" / "samples"
USER_INSTALLED = Path(sysconfig.get_path("data", f"{os.name}_user")) / "share" / "posecheck" / "samples"  # pip --user


def samples_dir() -> Path:
    """samples/ beside the package (a checkout), in the working folder, or the demo clips installed with it."""
    for folder in (CHECKOUT, Path.cwd() / "samples", INSTALLED, USER_INSTALLED):
        if folder.is_dir():
            return folder
    raise InputError("no sample clips found (samples/ or the installed demo clips): give a video")


def labelled_clips(folder: Path) -> list[Path]:
    """Videos in a folder that have a label JSON beside them, sorted by name."""
    return sorted(
        p for p in folder.iterdir() if p.suffix.lower() in VIDEO_SUFFIXES and p.with_suffix(".json").is_file()
    )


def demo_clip(exercise: str | None = None) -> Path:
    """The demo clip for the exercise (leg-lift by default), else the first bundled clip of it, else any."""
    folder = samples_dir()
    wanted = exercise or "leg-lift"
    if wanted in DEMO_CLIPS and (folder / DEMO_CLIPS[wanted]).is_file():
        return folder / DEMO_CLIPS[wanted]
    clips = labelled_clips(folder)
    for clip in clips:
        if clip.name.startswith(wanted):
            return clip
    if clips:
        return clips[0]
    raise InputError(f"no sample videos in {folder}")
