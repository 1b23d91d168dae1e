"""MediaPipe PoseLandmarker (Tasks API) -> Pose.  The only module importing mediapipe."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from .background import BackgroundCheck
from .errors import ModelError
from .lazy_import import MEDIAPIPE_DRAWING, deferred
from .model import load_model
from .people import MAX_PEOPLE, FindIn, find_people
from .pose import NUM_LANDMARKS, Pose, sane_poses
from .quiet import native_stderr_silenced
from .rotation import CCW, CW, HALF, Rotation
from .trackers import Detect as TrackDetect
from .trackers import PeopleTracker


def poses_from_result(result: object, t: float, aspect: float) -> list[Pose]:
    """Convert a PoseLandmarkerResult into Pose objects (one per person).

    A person with a non-finite or far-off landmark (pose.sane) is left out:
    that frame counts as one with nobody, and no later stage sees the junk.
    """
    poses: list[Pose] = []
    worlds = getattr(result, "pose_world_landmarks", None) or []
    for i, landmarks in enumerate(getattr(result, "pose_landmarks", None) or []):
        if len(landmarks) != NUM_LANDMARKS:
            continue
        image = np.array([[lm.x, lm.y] for lm in landmarks])
        visibility = np.array([lm.visibility or 0.0 for lm in landmarks])
        world = None
        if i < len(worlds) and len(worlds[i]) == NUM_LANDMARKS:
            world = np.array([[lm.x, lm.y, lm.z] for lm in worlds[i]])
        poses.append(Pose(image, visibility, world, t, aspect))
    return sane_poses(poses)


PROBE_MIN_DETECTION = 0.3  # at 0.5 the probe missed the second of two people in a side-by-side photo
# The probe's answer is used 4 frames after the frame it looked at (130 ms at 30 fps): it runs on a
# worker thread meanwhile (about 60 ms of a free core here), so the tracker never waits for it.
# Run in line, its load (0.4-0.7 s) and its seven looks at a 20 s clip cost about 7 % of the run.
PROBE_LAG_FRAMES = 4
TURNS: tuple[Rotation, ...] = (HALF, CCW, CW)  # tried in turn while nobody is found upright
TURN_MIN_DETECTION = 0.2  # a lying person missed upright was found turned at 0.2, not at 0.5 (docs/design.md)
TURN_AFTER_MISSES = 10  # frames in a row with nobody upright before the first turned try
TURN_EVERY = 10  # then one turned try every this many frames: bounded cost while nobody is in view


def _import_mediapipe() -> None:
    """mediapipe imported, with its drawing helpers (and matplotlib) left unloaded: posecheck draws its own."""
    if "mediapipe.tasks.python.vision" in sys.modules:
        return
    with deferred(MEDIAPIPE_DRAWING):
        import mediapipe.tasks.python.vision  # noqa: F401


def _picture(rgb: np.ndarray) -> Any:
    """An RGB uint8 frame as MediaPipe's image."""
    import mediapipe as mp

    return mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))


def _quiet_at_first(calls: int, first: int = 2) -> contextlib.AbstractContextManager[None]:
    """fd 2 silenced for a landmarker's first calls, which print native warnings; later ones print nothing."""
    return native_stderr_silenced() if calls < first else contextlib.nullcontext()


class PoseEstimator:
    """Runs PoseLandmarker in VIDEO mode on RGB frames with rising timestamps.

    Tracking one person is the fast path: asked for two poses, PoseLandmarker
    runs its person detector on every frame (about 30 % slower here).  So it
    tracks one, and every `probe_every_s` a second landmarker (IMAGE mode, up
    to three poses, people.py) looks for bystanders; once one is seen, each
    person found is followed by a one-pose tracker of their own for the rest
    of the session (trackers.py), so the session can tell them apart, follow
    the one doing the exercise and never follow a bystander silently.
    probe_every_s=None: never.
    The probe runs on its own thread and its answer is used probe_lag_frames
    frames later (the same frame every run); 0 waits for it (a still photo).
    probe_wait=False (live): never wait; a late answer is used when it comes
    (the probe's model still loading at frame 4 stalled a live start ~0.5 s).

    A person lying still can go unfound upright (the detector is trained on
    upright people).  turns=True: after TURN_AFTER_MISSES frames with nobody,
    every TURN_EVERY frames one of TURNS is tried on a second VIDEO-mode
    landmarker (detection bar TURN_MIN_DETECTION); once it finds someone,
    that turn is fed every frame (so it tracks) and its landmarks are mapped
    back upright, until it loses them.  While someone is found upright this
    costs nothing.  still=True: every frame on its own (a photo), searched for
    up to three people in IMAGE mode (people.py).  Use as a context manager,
    or call close().
    """

    def __init__(
        self,
        model: str | Path | None = None,
        num_poses: int = 1,
        min_detection: float = 0.5,
        min_presence: float = 0.5,
        min_tracking: float = 0.5,
        probe_every_s: float | None = 3.0,
        probe_lag_frames: int = PROBE_LAG_FRAMES,
        probe_wait: bool = True,
        turns: bool = True,
        still: bool = False,
    ) -> None:
        _import_mediapipe()  # here, before the probe's thread imports it too
        self._model_name = str(model) if model is not None else "bundled model"
        self._data = load_model(model)
        self._thresholds = (min_detection, min_presence, min_tracking)
        self.num_poses = num_poses
        self.turns = turns
        self.turn: Rotation | None = None  # the turn being tracked, None: upright
        self._turned: Any = None
        self._turned_calls = 0
        self._misses = 0
        self._next_turn = 0
        self.probe_every_s = probe_every_s
        self.still = still
        self._people: Callable[[np.ndarray, float], list[Pose]] | None = None  # a photo's search, made at first use
        self._image_landmarkers: list[Any] = []  # the IMAGE-mode ones (a photo's, or the probe's on its thread)
        self._probe: BackgroundCheck[np.ndarray] | None = None
        self._probe_found: list[Pose] = []  # the people the probe found, when more than one
        self._tracker: PeopleTracker | None = None  # several people: each followed on their own
        self._track_landmarkers: list[Any] = []
        self._probe_timing = (probe_lag_frames, probe_wait)
        if probe_every_s is not None and num_poses == 1 and not still:  # the probe's model loads beside the tracker's
            self._start_probe()
        try:
            self._landmarker = self._create(num_poses, video=True)
        except ModelError:
            self.close()
            raise
        self._last_probe_t: float | None = None
        self._last_ms = -1
        self._calls = 0

    def _create(self, num_poses: int, video: bool, turned: bool = False) -> Any:
        from mediapipe.tasks.python import BaseOptions, vision

        detection, presence, tracking = self._thresholds
        if num_poses > 1:  # looking for bystanders: a lower bar, or the second person is missed
            detection = min(detection, PROBE_MIN_DETECTION)
        if turned:
            detection = min(detection, TURN_MIN_DETECTION)
        options = vision.PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_buffer=self._data),
            running_mode=vision.RunningMode.VIDEO if video else vision.RunningMode.IMAGE,
            num_poses=num_poses,
            min_pose_detection_confidence=detection,
            min_pose_presence_confidence=presence,
            min_tracking_confidence=tracking,
        )
        try:
            with native_stderr_silenced():
                return vision.PoseLandmarker.create_from_options(options)
        except (RuntimeError, ValueError) as error:
            raise ModelError(f"pose model could not be loaded: {self._model_name} ({error})") from None

    def detect(self, rgb: np.ndarray, t: float) -> list[Pose]:
        """Poses in one RGB uint8 frame at time t seconds (timestamps forced monotonic).

        still=True: each frame on its own (a photo), every person in it searched for (people.py)."""
        if self.still:
            if self._people is None:
                self._people = self._people_finder()
            return self._people(rgb, t)
        ms = max(int(round(t * 1000.0)), self._last_ms + 1)
        self._last_ms = ms
        image: Any = None  # the upright picture, made only when the upright landmarker needs it
        if self._probe is not None and self.num_poses == 1:
            if not self._probe.busy and self._probe_due(t):
                self._probe.submit(rgb.copy(), self._calls)  # a copy: the caller's buffer takes the next frame
            if self._probe.answer(self._calls):
                self._follow_each(self._probe_found)
        if self._tracker is not None:
            poses = self._tracker(rgb, t, ms)
            if self._tracker.tracks:
                return poses
            self._back_to_one()  # everyone gone: one tracker again, and the probe looks anew
        if self.turn is not None:
            poses = self._detect_turned(rgb, t, ms, self.turn)
            if poses:
                return poses
            self.turn = None  # lost: upright again, and this turn is tried first next time
        if image is None:
            image = _picture(rgb)
        with _quiet_at_first(self._calls):
            result = self._landmarker.detect_for_video(image, ms)
        self._calls += 1
        h, w = rgb.shape[:2]
        poses = poses_from_result(result, t, w / h)
        if poses or not self.turns:
            self._misses = 0
            return poses
        self._misses += 1
        if self._misses >= TURN_AFTER_MISSES:
            self._misses -= TURN_EVERY
            turn = TURNS[self._next_turn]
            poses = self._detect_turned(rgb, t, ms, turn)
            if poses:
                self.turn = turn
            else:
                self._next_turn = (self._next_turn + 1) % len(TURNS)
        return poses

    def _detect_turned(self, rgb: np.ndarray, t: float, ms: int, turn: Rotation) -> list[Pose]:
        """Poses found on the frame turned by `turn`, mapped back upright."""
        if self._turned is None:
            self._turned = self._create(self.num_poses, video=True, turned=True)
            self._turned_calls = 0
        image = _picture(turn.apply(rgb))
        with _quiet_at_first(self._turned_calls):
            result = self._turned.detect_for_video(image, ms)
        self._turned_calls += 1
        h, w = rgb.shape[:2]
        return [
            pose.replace(
                image=turn.image_to_upright(pose.image),
                world=None if pose.world is None else turn.world_to_upright(pose.world),
            )
            for pose in poses_from_result(result, t, w / h)
        ]

    def _probe_due(self, t: float) -> bool:
        if self.probe_every_s is None:
            return False
        if self._last_probe_t is not None and t - self._last_probe_t < self.probe_every_s:
            return False
        self._last_probe_t = t
        return True

    def _people_finder(self) -> Callable[[np.ndarray, float], list[Pose]]:
        """Every person in a picture (people.find_people) with IMAGE-mode landmarkers for MAX_PEOPLE poses,
        upright and (turns=True) turned with the lower bar; built on the thread that uses it."""
        upright = self._create(MAX_PEOPLE, video=False)
        self._image_landmarkers.append(upright)
        turned = upright
        if self.turns:
            turned = self._create(MAX_PEOPLE, video=False, turned=True)
            self._image_landmarkers.append(turned)
        looks = 0

        def people(rgb: np.ndarray, t: float) -> list[Pose]:
            def finder(landmarker: Any) -> FindIn:
                def find(picture: np.ndarray) -> list[Pose]:
                    nonlocal looks
                    # only the first looks print native warnings; silencing fd 2 from the probe's thread hides
                    # the whole process's stderr meanwhile, so it is not done on every look
                    with _quiet_at_first(looks, 2):
                        result = landmarker.detect(_picture(picture))
                    looks += 1
                    return poses_from_result(result, t, picture.shape[1] / picture.shape[0])

                return find

            return find_people(rgb, finder(upright), TURNS if self.turns else (), finder(turned))

        return people

    def _probe_check(self) -> Callable[[np.ndarray], bool]:
        """Built on the probe's thread: whether bystanders are in view (a search for several people); the people
        found are kept for the trackers."""
        people = self._people_finder()

        def bystanders(rgb: np.ndarray) -> bool:
            found = people(rgb, 0.0)
            if len(found) > 1:
                self._probe_found = found  # read by the caller once answer() says True
            return len(found) > 1

        return bystanders

    def _start_probe(self) -> None:
        lag, wait = self._probe_timing
        self._probe = BackgroundCheck(self._probe_check, lag, "posecheck-probe", wait)
        self._last_probe_t = None

    def _back_to_one(self) -> None:
        """The several people's trackers have all lost their person: track one again, look for bystanders again."""
        self._tracker = None
        self.num_poses = 1
        landmarkers, self._track_landmarkers = self._track_landmarkers, []
        for landmarker in landmarkers:
            with native_stderr_silenced():
                landmarker.close()
        if self.probe_every_s is not None:
            self._start_probe()

    def _follow_each(self, people: list[Pose]) -> None:
        """Several people in view: each followed by a one-pose landmarker of its own (trackers.py) from now on."""
        self._close_probe()  # no more looking
        self.num_poses = len(people)
        self.turn = None

        def make() -> TrackDetect:
            landmarker = self._create(1, video=True)
            self._track_landmarkers.append(landmarker)
            calls = 0

            def detect(picture: np.ndarray, t: float, ms: int) -> list[Pose]:
                nonlocal calls
                with _quiet_at_first(calls):
                    result = landmarker.detect_for_video(_picture(picture), ms)
                calls += 1
                return poses_from_result(result, t, picture.shape[1] / picture.shape[0])

            return detect

        self._tracker = PeopleTracker(make, people)

    def _close_probe(self) -> None:
        probe, self._probe = getattr(self, "_probe", None), None
        if probe is not None:
            probe.close()
        landmarkers, self._image_landmarkers = getattr(self, "_image_landmarkers", []), []
        for landmarker in landmarkers:
            with native_stderr_silenced():
                landmarker.close()

    def close(self) -> None:
        self._close_probe()
        landmarkers = [getattr(self, name, None) for name in ("_landmarker", "_turned")]
        landmarkers += getattr(self, "_track_landmarkers", [])
        self._landmarker = self._turned = None
        self._track_landmarkers = []
        for landmarker in landmarkers:
            if landmarker is not None:
                with native_stderr_silenced():
                    landmarker.close()

    def __enter__(self) -> PoseEstimator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
