"""Speed benchmark, run on demand (not in the test suite):

    python scripts/benchmark.py [CLIP | --routine | --session] [--exercise NAME] [--repeat N] [--configs 0,2,3]
    python scripts/benchmark.py --agreement FOLDER [--split test]

Times, in one run on the same clip: bare MediaPipe PoseLandmarker (decode +
detect only, VIDEO mode, one and two poses), then `posecheck analyze --sparse`
(the pose model on the frames posecheck/sampling.py chooses) without and with
the annotated video, with and without its CPU split (posecheck/cpus.py; it
acts on 2-3 CPUs only), and `analyze --every-frame` without and with the
video.  --routine times the four demo clips joined (about 2 minutes, `-e
auto`); --session a 10-minute synthetic session: every bundled sample, in the
routine's order, with still rests between them (the last frame held).  Both
are made on demand in --work (default: a folder in the temp dir), never in
the repository.  Every posecheck run's report is kept there, and the sampled
runs' are compared with --every-frame's (posecheck/agreement.py); the memory
of each run's processes (RSS, the estimator's included) is sampled every
second.  --agreement does no timing: it replays recorded landmarks (the
samples': tests/data/landmarks; the rendered benchmark's beside their labels)
every frame and sampled, on the clip's pictures, or, where the video is not
kept (benchmarks/rendered), on pictures of the recorded skeleton.  Each
configuration runs in a fresh Python process, timed from its launch to its
exit: interpreter start, imports and model load included, as a user waits for
them, and nothing left over from an earlier configuration (MediaPipe's
threads, the allocator's state) weighs on a later one.  Prints
frames/s for each and the ratios to bare MediaPipe, twice: from launch to
exit, and in-process (model load and every frame, without interpreter start
and imports, which vary most from run to run; posecheck's in-process time
includes its estimator's child process starting, mediapipe's import with
it).  Machines here are shared: compare ratios from one run, not absolute
numbers across runs, and use several rounds (one round's ratios spread by +-0.1).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
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


def posecheck_analyze(clip: Path, exercise: str, video: bool, pin_cpus: bool = True, every_frame: bool = False) -> int:
    """`posecheck analyze` as the command line runs it; every_frame False: sampled (--sparse)."""
    # mediapipe is not imported here: posecheck imports it only in its estimator's child process,
    # so the in-process clock includes the child's start (about 0.7 s) while bare_mediapipe's does not
    from posecheck.analyze import AnalyzeOptions, analyze

    global STARTED
    STARTED = time.perf_counter()
    report = Path(os.environ["BENCHMARK_REPORT"]) if os.environ.get("BENCHMARK_REPORT") else None
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "annotated.mp4" if video else None
        options = AnalyzeOptions(
            exercise, json_path=report, video_path=out, progress=False, pin_cpus=pin_cpus, every_frame=every_frame
        )
        return analyze(clip, options).frames


STARTED = 0.0  # set by a configuration once its imports are done: the in-process clock starts there

# name -> what runs in the fresh process (clip, exercise) -> frames
CONFIGS: dict[str, Callable[[Path, str], int]] = {
    "bare MediaPipe (decode + detect, 1 pose)": lambda c, e: bare_mediapipe(c, 1),
    "bare MediaPipe (decode + detect, 2 poses)": lambda c, e: bare_mediapipe(c, 2),
    "posecheck analyze (report only)": lambda c, e: posecheck_analyze(c, e, False),
    "posecheck analyze (+ annotated video)": lambda c, e: posecheck_analyze(c, e, True),
    # the same without posecheck/cpus.py's split, which only acts on 2-3 CPUs: an A/B of it there
    "posecheck analyze (+ video, CPUs not pinned)": lambda c, e: posecheck_analyze(c, e, True, pin_cpus=False),
    "posecheck analyze --every-frame (report only)": lambda c, e: posecheck_analyze(c, e, False, every_frame=True),
    "posecheck analyze --every-frame (+ annotated video)": lambda c, e: posecheck_analyze(c, e, True, every_frame=True),
    "posecheck analyze (report only, CPUs not pinned)": lambda c, e: posecheck_analyze(c, e, False, pin_cpus=False),
}
EVERY_FRAME = 5  # the configuration whose report the sampled runs' are compared with
SAMPLED = (2, 3, 4, 7)
ROUTINE_ORDER = ("figure-four", "seated-twist", "ball-squeeze", "leg-lift")
SESSION_S = 600.0


def joined(clips: list[Path], out: Path, total_s: float | None = None) -> Path:
    """The clips joined into one video (same size and rate); total_s: still rests (the last frame held)
    between them fill it up to that length.  Made once: an existing file is kept."""
    if out.exists():
        return out
    first = cv2.VideoCapture(str(clips[0]))
    fps = first.get(cv2.CAP_PROP_FPS) or 30.0
    size = (int(first.get(cv2.CAP_PROP_FRAME_WIDTH)), int(first.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    first.release()
    counts = [int(cv2.VideoCapture(str(c)).get(cv2.CAP_PROP_FRAME_COUNT)) for c in clips]
    rest = 0
    if total_s is not None and len(clips) > 1:
        rest = max(0, int((total_s * fps - sum(counts)) / (len(clips) - 1)))
    tmp = out.with_name(f".{out.name}.tmp.mp4")
    writer = cv2.VideoWriter(str(tmp), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
    last = None
    for i, clip in enumerate(clips):
        if i and last is not None:
            for _ in range(rest):
                writer.write(last)
        capture = cv2.VideoCapture(str(clip))
        while True:
            ok, frame = capture.read()
            if not ok:
                break
            if frame.shape[1::-1] != size:
                frame = cv2.resize(frame, size)
            writer.write(frame)
            last = frame
        capture.release()
    writer.release()
    tmp.replace(out)
    return out


def routine_clips(every_sample: bool) -> list[Path]:
    """The demo clip of each exercise (or every labelled sample), in the routine's order."""
    from posecheck.samples import demo_clip, labelled_clips, samples_dir

    if not every_sample:
        return [demo_clip(exercise) for exercise in ROUTINE_ORDER]
    clips = labelled_clips(samples_dir())
    return [c for exercise in ROUTINE_ORDER for c in clips if c.name.startswith(exercise + "_")]


def rss_kb(pid: int) -> int:
    """Resident memory of a process and its descendants (Linux /proc; 0 elsewhere)."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(x) for x in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


def run_fresh(index: int, clip: Path, exercise: str, report: Path | None) -> tuple[int, float, float, list[int]]:
    """One configuration in a fresh Python process: (frames, seconds from launch to exit, seconds in-process,
    its processes' RSS in kB sampled every second)."""
    command = [sys.executable, __file__, str(clip), "--exercise", exercise, "--config", str(index)]
    env = dict(os.environ, BENCHMARK_REPORT=str(report) if report else "")
    memory: list[int] = []
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, text=True, env=env)
        while process.poll() is None:
            memory.append(rss_kb(process.pid))
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(1.0)
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise SystemExit(f"benchmark: configuration {index} failed:\n{err.read().strip()}")
        frames, inside = out.read().split()[-2:]
    return int(frames), seconds, float(inside), memory


def memory_line(memory: list[int]) -> str:
    """RSS at a tenth, half and the end of a run (its steady part), and the peak."""
    if len(memory) < 4:
        return "too short to sample"
    at = [memory[int(len(memory) * share)] for share in (0.1, 0.5, 0.95)]
    return "RSS at 10/50/95 %: " + " / ".join(f"{m / 1024:.0f}" for m in at) + f" MB, peak {max(memory) / 1024:.0f} MB"


def agreement_lines(reports: dict[int, Path]) -> list[str]:
    """The sampled runs' reports against --every-frame's."""
    from posecheck.agreement import differences, hold_gaps

    if EVERY_FRAME not in reports or not reports[EVERY_FRAME].exists():
        return []
    every = json.loads(reports[EVERY_FRAME].read_text())
    lines = [f" every frame: {len(every.get('reps', []))} reps, {len(every.get('holds', []))} holds"]
    for index in SAMPLED:
        if index not in reports or not reports[index].exists():
            continue
        sampled = json.loads(reports[index].read_text())
        frames = sampled.get("frames", {})
        gaps = hold_gaps(every, sampled)
        found = differences(every, sampled)
        lines.append(
            f" {list(CONFIGS)[index]}: model on {frames.get('model')} of {frames.get('total')} frames;"
            f" holds within {max(gaps, default=0.0):.2f} s; {'same results' if not found else '; '.join(found)}"
        )
    return lines


def agreement(folder: Path, split: str) -> int:
    """Every labelled clip in `folder` replayed from its recorded landmarks, on every frame and sampled: on the
    clip's own pictures when its video is there, else on pictures drawn from the landmarks (a stand-in)."""
    from posecheck.agreement import differences, hold_gaps
    from posecheck.replay import load, replay
    from posecheck.samples import VIDEO_SUFFIXES

    total = modelled = differing = 0
    worst = 0.0
    for label_path in sorted(folder.glob("*.json")):
        label = json.loads(label_path.read_text())
        if split != "all" and label.get("bench", {}).get("split", split) != split:
            continue
        recorded = [
            label_path.with_suffix(".landmarks.npz"),
            ROOT / "tests" / "data" / "landmarks" / f"{label_path.stem}.npz",
        ]
        found = next((p for p in recorded if p.is_file()), None)
        if found is None or "exercise" not in label:
            continue
        video = next((label_path.with_suffix(s) for s in VIDEO_SUFFIXES if label_path.with_suffix(s).is_file()), None)
        data = load(found)
        every = replay(data, label["exercise"], label_path.stem).report.build()
        result = replay(data, label["exercise"], label_path.stem, video=video, sparse=True)
        found_differences = differences(every, result.report.build())
        gaps = hold_gaps(every, result.report.build())
        worst = max([worst, *gaps])
        total += result.frames
        modelled += result.modelled
        differing += bool(found_differences)
        print(
            f"{label_path.stem:55s} {'video' if video else 'drawn'} model on {result.modelled}/{result.frames}"
            f"  holds within {max(gaps, default=0.0):.2f} s  {'; '.join(found_differences) or 'same'}"
        )
    print(
        f"model on {modelled} of {total} frames ({total / max(1, modelled):.2f}x fewer); "
        f"{differing} clip(s) differ; holds within {worst:.2f} s"
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("clip", nargs="?", type=Path)
    parser.add_argument("--exercise", default=None)
    parser.add_argument("--repeat", type=int, default=1, help="rounds; each round runs every configuration once")
    parser.add_argument("--routine", action="store_true", help="the four demo clips joined (about 2 min), -e auto")
    parser.add_argument("--session", action="store_true", help="a 10-minute synthetic session of every sample")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "posecheck-benchmark")
    parser.add_argument("--configs", default=None, help="which configurations, by number (default: all)")
    parser.add_argument(
        "--agreement", type=Path, default=None,
        help="no timing: replay every labelled clip's landmarks in this folder every frame and sampled, and compare",
    )  # fmt: skip
    parser.add_argument("--split", default="all", choices=("tune", "test", "all"), help="with --agreement")
    parser.add_argument("--config", type=int, default=None, help=argparse.SUPPRESS)  # one, in this process
    args = parser.parse_args()
    from posecheck.samples import demo_clip

    if args.agreement is not None:
        return agreement(args.agreement, args.split)
    if args.routine or args.session:
        args.work.mkdir(parents=True, exist_ok=True)
        name = "session-10min.mp4" if args.session else "routine-demo-clips.mp4"
        clip = joined(routine_clips(args.session), args.work / name, SESSION_S if args.session else None)
        exercise = args.exercise or "auto"
    else:
        clip = args.clip or demo_clip("leg-lift")
        exercise = args.exercise or clip.name.split("_")[0]
    names = list(CONFIGS)
    if args.config is not None:
        frames = CONFIGS[names[args.config]](clip, exercise)
        print(frames, time.perf_counter() - STARTED)
        return 0
    # Rounds interleave the configurations, so a burst of load on a shared machine
    # hits them alike; ratios are taken within a round, then the median over rounds.
    chosen = sorted({0, *(int(x) for x in args.configs.split(","))}) if args.configs else list(range(len(names)))
    fps: dict[str, list[float]] = {names[i]: [] for i in chosen}
    fps_inside: dict[str, list[float]] = {names[i]: [] for i in chosen}
    memory: dict[str, list[int]] = {}
    reports: dict[int, Path] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(max(1, args.repeat)):
            for index in chosen:
                name = names[index]
                report = Path(tmp) / f"{clip.stem}.config{index}.json" if name.startswith("posecheck") else None
                frames, seconds, inside, used = run_fresh(index, clip, exercise, report)
                fps[name].append(frames / seconds)
                fps_inside[name].append(frames / inside)
                memory[name] = used
                if report is not None:
                    reports[index] = args.work / report.name
                    args.work.mkdir(parents=True, exist_ok=True)
                    report.replace(reports[index])
    print(f"clip: {clip} ({exercise}, {frames} frames); {len(fps[names[0]])} round(s)")
    for title, table in (("from process launch to exit", fps), ("in-process (model load + frames)", fps_inside)):
        print(f" timed {title}:")
        base = table[names[0]]
        for name, values in table.items():
            ratios = [v / b for v, b in zip(values, base, strict=True)]
            print(
                f"  {name:46s} {statistics.median(values):7.1f} fps  ratio {statistics.median(ratios):5.2f}"
                f"  (per round: {', '.join(f'{r:.2f}' for r in ratios)})"
            )
    print(" memory of the last round's runs:")
    for name, used in memory.items():
        print(f"  {name:46s} {memory_line(used)}")
    for line in agreement_lines(reports):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
