"""Speed benchmark, run on demand (not in the test suite):

    python scripts/benchmark.py [CLIP] [--repeat 1]

Times, in one run on the same clip: bare MediaPipe PoseLandmarker (decode +
detect only, VIDEO mode, one pose), then `posecheck analyze` without and with
the annotated video, and prints frames/s for each and the ratios to bare
MediaPipe.  Machines here are shared: compare ratios from one run, not
absolute numbers across runs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import cv2


def bare_mediapipe(clip: Path, num_poses: int) -> tuple[int, float]:
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    from posecheck.model import BUNDLED_MODEL
    from posecheck.quiet import native_stderr_silenced

    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(BUNDLED_MODEL)),
        running_mode=vision.RunningMode.VIDEO,
        num_poses=num_poses,
    )
    with native_stderr_silenced():
        landmarker = vision.PoseLandmarker.create_from_options(options)
    capture = cv2.VideoCapture(str(clip))
    fps = capture.get(cv2.CAP_PROP_FPS) or 30.0
    start = time.perf_counter()
    n = 0
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        rgb = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb)
        with native_stderr_silenced() if n < 2 else _null():
            landmarker.detect_for_video(image, int(n * 1000 / fps))
        n += 1
    seconds = time.perf_counter() - start
    capture.release()
    with native_stderr_silenced():
        landmarker.close()
    return n, seconds


class _null:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def posecheck_analyze(clip: Path, exercise: str, video: bool) -> tuple[int, float]:
    from posecheck.analyze import AnalyzeOptions, analyze

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "annotated.mp4" if video else None
        start = time.perf_counter()
        result = analyze(clip, AnalyzeOptions(exercise, video_path=out, progress=False))
        seconds = time.perf_counter() - start
    return result.frames, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("clip", nargs="?", type=Path)
    parser.add_argument("--exercise", default=None)
    args = parser.parse_args()
    from posecheck.samples import demo_clip

    clip = args.clip or demo_clip("leg-lift")
    exercise = args.exercise or clip.name.split("_")[0]
    rows = []
    n, s = bare_mediapipe(clip, 1)
    rows.append(("bare MediaPipe (decode + detect, 1 pose)", n, s))
    n, s = bare_mediapipe(clip, 2)
    rows.append(("bare MediaPipe (decode + detect, 2 poses)", n, s))
    n, s = posecheck_analyze(clip, exercise, video=False)
    rows.append(("posecheck analyze (report only)", n, s))
    n, s = posecheck_analyze(clip, exercise, video=True)
    rows.append(("posecheck analyze (+ annotated video)", n, s))
    base = rows[0][1] / rows[0][2]
    print(f"clip: {clip} ({exercise}); cores: see nproc")
    for name, frames, seconds in rows:
        fps = frames / seconds
        print(f"  {name:44s} {frames:5d} frames {seconds:7.2f} s {fps:7.1f} fps  ratio {fps / base:5.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
