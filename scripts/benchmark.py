"""Speed benchmark, run on demand (not in the test suite):

    python scripts/benchmark.py [CLIP] [--exercise NAME] [--repeat N]

Times, in one run on the same clip: bare MediaPipe PoseLandmarker (decode +
detect only, VIDEO mode, one and two poses), then `posecheck analyze` without
and with the annotated video, and with the video but without its CPU split
(posecheck/cpus.py; it acts on 2-3 CPUs only).  Each configuration runs in a
fresh Python process, timed from its launch to its exit: interpreter start,
imports and model load included, as a user waits for them, and nothing left
over from an earlier configuration (MediaPipe's threads, the allocator's
state) weighs on a later one.  Prints frames/s for each and the ratios to
bare MediaPipe, twice: from launch to exit, and in-process (model load and
every frame, without interpreter start and imports, which vary most from run
to run; posecheck's in-process time includes its estimator's child process
starting, mediapipe's import with it).  Machines here are shared: compare
ratios from one run, not absolute numbers across runs, and use several
rounds (one round's ratios spread by +-0.1).
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's posecheck, not an installed copy

import cv2  # noqa: E402


def bare_mediapipe(clip: Path, num_poses: int) -> int:
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    from posecheck.model import BUNDLED_MODEL
    from posecheck.quiet import native_stderr_silenced

    global STARTED
    STARTED = time.perf_counter()
    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(BUNDLED_MODEL)),
        running_mode=vision.RunningMode.VIDEO,
        num_poses=num_poses,
    )
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
        with native_stderr_silenced() if n < 2 else contextlib.nullcontext():
            landmarker.detect_for_video(image, int(n * 1000 / fps))
        n += 1
    capture.release()
    with native_stderr_silenced():
        landmarker.close()
    return n


def posecheck_analyze(clip: Path, exercise: str, video: bool, pin_cpus: bool = True) -> int:
    # mediapipe is not imported here: posecheck imports it only in its estimator's child process,
    # so the in-process clock includes the child's start (about 0.7 s) while bare_mediapipe's does not
    from posecheck.analyze import AnalyzeOptions, analyze

    global STARTED
    STARTED = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "annotated.mp4" if video else None
        return analyze(clip, AnalyzeOptions(exercise, video_path=out, progress=False, pin_cpus=pin_cpus)).frames


STARTED = 0.0  # set by a configuration once its imports are done: the in-process clock starts there

# name -> what runs in the fresh process (clip, exercise) -> frames
CONFIGS: dict[str, Callable[[Path, str], int]] = {
    "bare MediaPipe (decode + detect, 1 pose)": lambda c, e: bare_mediapipe(c, 1),
    "bare MediaPipe (decode + detect, 2 poses)": lambda c, e: bare_mediapipe(c, 2),
    "posecheck analyze (report only)": lambda c, e: posecheck_analyze(c, e, False),
    "posecheck analyze (+ annotated video)": lambda c, e: posecheck_analyze(c, e, True),
    # the same without posecheck/cpus.py's split, which only acts on 2-3 CPUs: an A/B of it there
    "posecheck analyze (+ video, CPUs not pinned)": lambda c, e: posecheck_analyze(c, e, True, pin_cpus=False),
}


def run_fresh(index: int, clip: Path, exercise: str) -> tuple[int, float, float]:
    """One configuration in a fresh Python process: (frames, seconds from launch to exit, seconds in-process)."""
    command = [sys.executable, __file__, str(clip), "--exercise", exercise, "--config", str(index)]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"benchmark: configuration {index} failed:\n{done.stderr.strip()}")
    frames, inside = done.stdout.split()[-2:]
    return int(frames), seconds, float(inside)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("clip", nargs="?", type=Path)
    parser.add_argument("--exercise", default=None)
    parser.add_argument("--repeat", type=int, default=1, help="rounds; each round runs every configuration once")
    parser.add_argument("--config", type=int, default=None, help=argparse.SUPPRESS)  # one, in this process
    args = parser.parse_args()
    from posecheck.samples import demo_clip

    clip = args.clip or demo_clip("leg-lift")
    exercise = args.exercise or clip.name.split("_")[0]
    names = list(CONFIGS)
    if args.config is not None:
        frames = CONFIGS[names[args.config]](clip, exercise)
        print(frames, time.perf_counter() - STARTED)
        return 0
    # Rounds interleave the configurations, so a burst of load on a shared machine
    # hits them alike; ratios are taken within a round, then the median over rounds.
    fps: dict[str, list[float]] = {name: [] for name in names}
    fps_inside: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(max(1, args.repeat)):
        for index, name in enumerate(names):
            frames, seconds, inside = run_fresh(index, clip, exercise)
            fps[name].append(frames / seconds)
            fps_inside[name].append(frames / inside)
    print(f"clip: {clip} ({exercise}); {len(fps[names[0]])} round(s)")
    for title, table in (("from process launch to exit", fps), ("in-process (model load + frames)", fps_inside)):
        print(f" timed {title}:")
        base = table[names[0]]
        for name, values in table.items():
            ratios = [v / b for v, b in zip(values, base, strict=True)]
            print(
                f"  {name:46s} {statistics.median(values):7.1f} fps  ratio {statistics.median(ratios):5.2f}"
                f"  (per round: {', '.join(f'{r:.2f}' for r in ratios)})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
