"""Finding the bundled sample clips (a checkout's samples/ folder)."""

from __future__ import annotations

from pathlib import Path

from .errors import InputError

VIDEO_SUFFIXES = (".mp4", ".avi", ".mov", ".mkv", ".webm")


def samples_dir() -> Path:
    """samples/ beside the package (a checkout) or in the working folder."""
    for folder in (Path(__file__).resolve().parent.parent / "samples", Path.cwd() / "samples"):
        if folder.is_dir():
            return folder
    raise InputError("no samples/ folder found: run from a posecheck checkout, or give a video")


def labelled_clips(folder: Path) -> list[Path]:
    """Videos in a folder that have a label JSON beside them, sorted by name."""
    return sorted(
        p for p in folder.iterdir() if p.suffix.lower() in VIDEO_SUFFIXES and p.with_suffix(".json").is_file()
    )


def demo_clip(exercise: str | None = None) -> Path:
    """A bundled clip for the exercise (or the first leg-lift clip)."""
    folder = samples_dir()
    clips = labelled_clips(folder)
    wanted = exercise or "leg-lift"
    for clip in clips:
        if clip.name.startswith(wanted):
            return clip
    if clips:
        return clips[0]
    raise InputError(f"no sample videos in {folder}")
