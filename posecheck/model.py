"""The pose model file: where the bundled one lives and how it is checked."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .errors import ModelError

BUNDLED_MODEL = Path(__file__).resolve().parent / "models" / "pose_landmarker_full.task"
BUNDLED_SHA256 = "4eaa5eb7a98365221087693fcc286334cf0858e2eb6e15b506aa4a7ecdcec4ad"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_model(path: str | Path | None = None) -> bytes:
    """The model's bytes; the bundled model is checked against its sha256.

    A user-supplied .task file (lite/heavy) is only checked for being a
    readable zip-based MediaPipe task bundle.
    """
    model = Path(path) if path is not None else BUNDLED_MODEL
    if not model.is_file():
        raise ModelError(f"pose model not found: {model}")
    try:
        data = model.read_bytes()
    except OSError as error:
        raise ModelError(f"pose model cannot be read: {model} ({error.strerror})") from None
    if path is None and hashlib.sha256(data).hexdigest() != BUNDLED_SHA256:
        raise ModelError(f"pose model is corrupt (sha256 mismatch): {model}; reinstall posecheck")
    if not data.startswith(b"PK") and b"TFL3" not in data[:64]:
        raise ModelError(f"not a MediaPipe .task model file: {model}")
    return data
