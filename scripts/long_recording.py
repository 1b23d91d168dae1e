"""A long recording with the real model: the demo clip concatenated N times counts N times its reps, in flat memory.

    python scripts/long_recording.py [--times 18] [--clip PATH] [--exercise leg-lift] [--keep DIR]

Writes the clip once and N times over (re-encoded alike, in a temp folder, or
--keep DIR), runs `posecheck analyze` on each with the bundled model, and
samples the peak memory (VmHWM) of the analysing process and of the
estimator's child process.  Prints both counts, both peaks and their ratio;
exits 1 when the long run does not count exactly N times the clip's reps and
holds, or its peak memory is more than 30 % above the clip's.  Takes about
as long as the video (19 s x 18 = 5.8 min) or more on a busy machine, so it is
not in the default test run: `POSECHECK_SLOW=1 pytest tests/test_long_recordings.py`
runs it as a test.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import cv2

ROOT = Path(__file__).resolve().parent.parent
DEMO_CLIP = ROOT / "samples" / "leg-lift_left_clean_feet-oblique.mp4"
MEMORY_MARGIN = 1.30  # the long run's peak may be this much of the clip's


@dataclass
class Run:
    reps: int
    holds: int
    peak_mb: float  # the analysing process's and the estimator child's peaks, summed
    seconds: float


def concatenate(clip: Path, times: int, out: Path) -> int:
    """clip written `times` times over into out (mp4v); returns the frames written."""
    capture = cv2.VideoCapture(str(clip))
    fps = capture.get(cv2.CAP_PROP_FPS)
    frames = []
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        frames.append(frame)
    capture.release()
    if not frames:
        raise SystemExit(f"cannot read {clip}")
    height, width = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), fps, (width, height))
    for _ in range(times):
        for frame in frames:
            writer.write(frame)
    writer.release()
    return len(frames) * times


def _tree(pid: int) -> list[int]:
    """pid and its descendants (Linux /proc)."""
    pids = [pid]
    for child in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            for text in child.read_text().split():
                pids += _tree(int(text))
        except OSError:
            continue
    return pids


def _peak_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def analyze(video: Path, exercise: str, report: Path) -> Run:
    """`posecheck analyze` in a child process; its tree's peak memory sampled every 0.1 s."""
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "posecheck.cli", "analyze", str(video), "-e", exercise, "--json", str(report),
         "--no-progress"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    peaks: dict[int, int] = {}
    while proc.poll() is None:
        for pid in _tree(proc.pid):
            if (kb := _peak_kb(pid)) is not None:
                peaks[pid] = max(peaks.get(pid, 0), kb)
        time.sleep(0.1)
    _, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"analyze {video.name} failed ({proc.returncode}): {err.strip()}")
    data = json.loads(report.read_text())
    return Run(len(data["reps"]), len(data["holds"]), sum(peaks.values()) / 1024, time.monotonic() - started)


def check(clip: Path, exercise: str, times: int, folder: Path) -> tuple[Run, Run, list[str]]:
    """Both runs, and what failed (empty: passed)."""
    single, long = folder / "once.mp4", folder / f"x{times}.mp4"
    concatenate(clip, 1, single)
    concatenate(clip, times, long)
    one = analyze(single, exercise, folder / "once.json")
    many = analyze(long, exercise, folder / f"x{times}.json")
    failures = []
    if (many.reps, many.holds) != (times * one.reps, times * one.holds):
        failures.append(f"counted {many.reps} reps, {many.holds} holds; expected {times}x ({one.reps}, {one.holds})")
    if many.peak_mb > MEMORY_MARGIN * one.peak_mb:
        failures.append(f"peak memory {many.peak_mb:.0f} MB > {MEMORY_MARGIN:.2f} x {one.peak_mb:.0f} MB")
    return one, many, failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=18)
    parser.add_argument("--clip", type=Path, default=DEMO_CLIP)
    parser.add_argument("--exercise", default="leg-lift")
    parser.add_argument("--keep", type=Path, help="write the videos and reports here (default: a temp folder)")
    args = parser.parse_args()
    if not Path("/proc/self/status").exists():
        raise SystemExit("this measures memory through /proc: Linux only")
    with tempfile.TemporaryDirectory() as temp:
        folder = args.keep or Path(temp)
        folder.mkdir(parents=True, exist_ok=True)
        one, many, failures = check(args.clip, args.exercise, args.times, folder)
    print(f"{args.clip.name} once: {one.reps} reps, {one.holds} holds, peak {one.peak_mb:.0f} MB, {one.seconds:.0f} s")
    print(
        f"x{args.times}: {many.reps} reps, {many.holds} holds, peak {many.peak_mb:.0f} MB "
        f"({many.peak_mb / one.peak_mb:.2f} x), {many.seconds:.0f} s"
    )
    for failure in failures:
        print(f"FAILED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
