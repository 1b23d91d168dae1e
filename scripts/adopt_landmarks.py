"""Stamp older landmark recordings (made before recordings named their model) into posecheck eval's cache.

    python scripts/adopt_landmarks.py MEDIA_FOLDER RECORDING [RECORDING ...] [--cache DIR]

Recordings written by scripts/record_landmarks.py or scripts/footage_check.py
before they carried model_sha256 / mediapipe_version were all made by the
vendored model (record() had no other); `posecheck eval` does not trust them
as they are.  This checks each one against its clip in MEDIA_FOLDER (by
clip_sha256, and by name: NAME.npz or NAME.EXT.npz), stamps the vendored
model's sha256 and the installed mediapipe version, and writes it to the cache
as NAME.EXT.npz.  Only adopt recordings you know came from the vendored model.
"""

from __future__ import annotations

import argparse
import sys
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's posecheck, not an installed copy

import numpy as np  # noqa: E402

from posecheck.evaluate import default_cache  # noqa: E402
from posecheck.replay import bundled_model_sha256, file_sha256, load, save  # noqa: E402


def clip_for(recording: Path, folder: Path) -> Path | None:
    name = recording.name[: -len(".npz")]
    exact = folder / name  # NAME.EXT.npz (footage_check)
    if exact.is_file():
        return exact
    matches = sorted(p for p in folder.glob(f"{name}.*") if p.suffix != ".json" and not p.name.endswith(".npz"))
    return matches[0] if matches else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("media", type=Path)
    parser.add_argument("recordings", type=Path, nargs="+")
    parser.add_argument("--cache", type=Path, default=default_cache())
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    bad = 0
    for path in args.recordings:
        clip = clip_for(path, args.media)
        data = load(path)
        if clip is None or str(data["clip_sha256"]) != file_sha256(clip):
            print(f"skipped {path}: no clip in {args.media} with its sha256", file=sys.stderr)
            bad += 1
            continue
        data["model_sha256"] = np.array(bundled_model_sha256())
        data["mediapipe_version"] = np.array(version("mediapipe"))
        save(args.cache / f"{clip.name}.npz", data)
        print(f"adopted {path} -> {args.cache / (clip.name + '.npz')}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
