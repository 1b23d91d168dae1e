"""Recorded MediaPipe landmarks: record a clip once, replay it through the real session loop without the model.

A recording is a dict of arrays (saved as .npz):
    t (n,) frame times; image (n, 33, 2), visibility (n, 33), world (n, 33, 3)
    float16, NaN where nobody was found; aspect, fps; clip_sha256 of the clip;
    model_sha256 and mediapipe_version of the pose model that made it (recordings
    made before these two fields existed lack them, and are not trusted as caches).
Replaying one costs a fraction of a second; running MediaPipe costs about real time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import numpy as np

from .errors import InputError
from .model import BUNDLED_MODEL, sha256
from .pose import Pose
from .registry import get_exercise
from .session import Session, SessionResult
from .source import Frame, FrameSource, SourceInfo

Recording = dict[str, np.ndarray]
FIELDS = ("t", "image", "visibility", "world", "aspect", "fps", "clip_sha256")


class RecordedSource(FrameSource):
    """The recording's frame times as blank frames (the rules never look at pixels).

    drawn: each frame shows the recorded skeleton instead (for the sampler's motion measure, where the
    clip itself is not at hand: the benchmark's recordings).
    """

    def __init__(self, name: str, data: Recording, drawn: bool = False) -> None:
        self.times = data["t"]
        self.data = data
        self.drawn = drawn
        fps = float(data["fps"])
        self.info = SourceInfo(name, "video", fps, 640, 480, len(self.times))

    def __iter__(self) -> Iterator[Frame]:
        blank = np.zeros((2, 2, 3), np.uint8)
        for i, t in enumerate(self.times):
            yield Frame(self._drawn(i) if self.drawn else blank, float(t), i)

    def _drawn(self, i: int) -> np.ndarray:
        from .overlay.skeleton import SkeletonAnnotator

        picture = np.zeros((self.info.height, self.info.width, 3), np.uint8)
        pose = pose_at(self.data, i)
        if pose is not None:
            SkeletonAnnotator().annotate(picture, pose)
        return picture


class RecordedEstimator:
    """Answers detect() with the recording's next frame: one pose, or none.

    by_time: with the recording's frame at time t instead (the model skipping frames: posecheck/sampling.py).
    """

    def __init__(self, data: Recording, by_time: bool = False) -> None:
        self.data = data
        self.i = 0
        self.by_time = by_time

    def detect(self, rgb: np.ndarray, t: float) -> list[Pose]:
        if self.by_time:
            times = self.data["t"]
            self.i = min(int(np.searchsorted(times, t - 1e-6)), len(times) - 1)
        i, self.i = self.i, self.i + 1
        pose = pose_at(self.data, i, t)
        return [] if pose is None else [pose]


def pose_at(data: Recording, i: int, t: float | None = None) -> Pose | None:
    """Frame i of a recording as a Pose at time t (default: the frame's own), None where nobody was found."""
    image = data["image"][i].astype(np.float64)
    if np.isnan(image).any():
        return None
    world = data["world"][i].astype(np.float64)
    t = float(data["t"][i]) if t is None else t
    return Pose(image, data["visibility"][i].astype(np.float64), world, t, float(data["aspect"]))


def poses(data: Recording) -> Iterator[Pose | None]:
    for i in range(len(data["t"])):
        yield pose_at(data, i)


def load(path: Path) -> Recording:
    try:
        with np.load(path) as f:
            data = {k: f[k] for k in f.files}
    except (OSError, ValueError) as error:
        raise InputError(f"cannot read landmarks {path}: {error}") from None
    missing = [k for k in FIELDS if k not in data]
    if missing:
        raise InputError(f"landmarks {path} lack {', '.join(missing)}")
    return data


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@cache
def bundled_model_sha256() -> str:
    return sha256(BUNDLED_MODEL)


def made_by_bundled_model(data: Recording) -> bool:
    """True when the recording says it was made by the vendored pose model (older recordings do not say)."""
    return "model_sha256" in data and str(data["model_sha256"]) == bundled_model_sha256()


def replay(
    data: Recording, exercise: str, name: str = "recording", video: Path | None = None, sparse: bool = False
) -> SessionResult:
    """The real Session over a recording: what `posecheck analyze --every-frame` would report, without the model.

    sparse: the model's answers only on the frames posecheck/sampling.py chooses, as `posecheck analyze` does;
    it measures motion on `video`'s frames (the recorded clip), or, without one, on pictures drawn from the
    recorded landmarks (a stand-in: RecordedSource(..., drawn=True)).
    """
    session = Session(get_exercise(exercise), RecordedEstimator(data, by_time=sparse), sparse=sparse)  # type: ignore[arg-type]
    if video is not None:
        from .source import open_source

        with open_source(video) as source:
            return session.run(source)
    return session.run(RecordedSource(name, data, drawn=sparse))


def record(clip: Path) -> Recording:
    """Run the vendored MediaPipe model over a clip or photo (about real time; imports cv2).

    The model runs in its own process (posecheck/remote.py), as in `posecheck
    analyze`: a stop signal or a hung model ends this in bounded time.  A
    script calling this needs the `if __name__ == "__main__":` guard.
    """
    from importlib.metadata import version

    import cv2

    from .remote import EstimatorProcess
    from .selection import PersonSelector
    from .source import open_source

    times, image, vis, world = [], [], [], []
    selector = PersonSelector()
    with open_source(str(clip)) as source, EstimatorProcess() as estimator:
        aspect = source.info.width / source.info.height
        for frame in source:
            pose, _ = selector(estimator.detect(cv2.cvtColor(frame.image, cv2.COLOR_BGR2RGB), frame.t), frame.t)
            times.append(frame.t)
            if pose is None or pose.world is None:
                image.append(np.full((33, 2), np.nan))
                vis.append(np.zeros(33))
                world.append(np.full((33, 3), np.nan))
            else:
                image.append(pose.image)
                vis.append(pose.visibility)
                world.append(pose.world)
    return {
        "t": np.array(times),
        "image": np.array(image, np.float16).reshape(-1, 33, 2),
        "visibility": np.array(vis, np.float16).reshape(-1, 33),
        "world": np.array(world, np.float16).reshape(-1, 33, 3),
        "aspect": np.array(aspect),
        "fps": np.array(source.info.fps),
        "clip_sha256": np.array(file_sha256(clip)),
        "model_sha256": np.array(bundled_model_sha256()),
        "mediapipe_version": np.array(version("mediapipe")),
    }


def save(path: Path, data: Recording) -> None:
    """Write atomically, so an interrupted run leaves no half cache behind."""
    tmp = path.with_name(f".{path.name}.tmp.npz")
    try:
        np.savez_compressed(tmp, **data)
        tmp.replace(path)
    except OSError as error:
        raise InputError(f"cannot write landmarks {path}: {error.strerror}") from None
