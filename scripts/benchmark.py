"""Speed benchmark, run on demand (not in the test suite):

    python scripts/benchmark.py [CLIP] [--exercise NAME] [--repeat N]

Times, in one run on the same clip: bare MediaPipe PoseLandmarker (model
load, decode + detect only, VIDEO mode, one pose), then `posecheck analyze`
(everything from the call on, model load included) without and with
the annotated video, and prints frames/s for each and the ratios to bare
MediaPipe.  Machines here are shared: compare ratios from one run, not
absolute numbers across runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's posecheck, not an installed copy

import cv2  # noqa: E402


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
    start = time.perf_counter()  # model loading counts, as it does in posecheck analyze's time
    with native_stderr_silenced():
        landmarker = vision.PoseLandmarker.create_from_options(options)
    capture = cv2.VideoCapture(str(clip))
    fps = capture.get(cv2.CAP_PROP_FPS) or 30.0
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
    parser.add_argument("--repeat", type=int, default=1, help="rounds; each round runs every configuration once")
    args = parser.parse_args()
    from posecheck.samples import demo_clip

    clip = args.clip or demo_clip("leg-lift")
    exercise = args.exercise or clip.name.split("_")[0]
    configs: list[tuple[str, Callable[[], tuple[int, float]]]] = [
        ("bare MediaPipe (decode + detect, 1 pose)", lambda: bare_mediapipe(clip, 1)),
        ("bare MediaPipe (decode + detect, 2 poses)", lambda: bare_mediapipe(clip, 2)),
        ("posecheck analyze (report only)", lambda: posecheck_analyze(clip, exercise, video=False)),
        ("posecheck analyze (+ annotated video)", lambda: posecheck_analyze(clip, exercise, video=True)),
    ]
    # Rounds interleave the configurations, so a burst of load on a shared machine
    # hits them alike; ratios are taken within a round, then the median over rounds.
    fps: dict[str, list[float]] = {name: [] for name, _ in configs}
    for _ in range(max(1, args.repeat)):
        for name, run in configs:
            frames, seconds = run()
            fps[name].append(frames / seconds)
    base = fps[configs[0][0]]
    print(f"clip: {clip} ({exercise}); {len(base)} round(s); median over rounds")
    for name, values in fps.items():
        ratios = [v / b for v, b in zip(values, base, strict=True)]
        print(
            f"  {name:44s} {statistics.median(values):7.1f} fps  ratio {statistics.median(ratios):5.2f}"
            f"  (per round: {', '.join(f'{r:.2f}' for r in ratios)})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
