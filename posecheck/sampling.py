"""Which frames of a recorded video the pose model runs on: sparse while still, dense around motion.

`analyze` (not `live`) runs MediaPipe on a subset of a video's frames; `--every-frame` runs it on all.
The choice is made frame by frame, in order, before the model sees the frame:

- every frame is measured on a small grey copy (80x60): the share of its pixels that changed since the
  frame before, and since the last frame the model ran on (slow drift adds up there);
- a frame with motion within MOTION_AHEAD_S ahead or MOTION_BEHIND_S behind it (the decoder reads ahead)
  is sampled at MOVING_HZ, a still one at STILL_HZ; one that drifted from the last sample is taken at once;
- what the model found steers it too, FEEDBACK_LAG_S late (a fixed lag: the choice never depends on
  how far the pipeline has got, so a video gives the same report every run): a person found or lost,
  the landmarks jumping, a joint's visibility crossing the rules' 0.5, or nobody in view yet (the
  estimator's turned tries count frames: posecheck/estimator.py) make the next DENSE_S seconds dense.

The rules still see every frame: a skipped frame gets the pose interpolated between the samples on
either side of it (`poses_between`), so no rule's frame-counted window (medians over frames, view votes,
flicker counts) sees fewer frames than with `--every-frame`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, replace

import cv2
import numpy as np

from .pose import Landmark as L
from .pose import Pose
from .rules import RuleState
from .source import Frame

SMALL_SIZE = (80, 60)  # the grey copy the motion is measured on (an 8x8 block average of 640x480: sensor noise
#                        shrinks ~8 times, a limb still covers tens of its pixels)
PIXEL_STEP = 6  # grey levels: a small pixel that changed this much moved (compression noise stays under ~2)
MOVING_SHARE = 0.001  # this share of the small copy's pixels changed since the frame before: motion (the knees of
#                       a rendered ball squeeze, the smallest motion in the samples, change 0.1-1 %)
DRIFT_SHARE = 0.004  # changed this much since the last sample: sampled now, however slowly it got there
STILL_HZ = 5.0
MOVING_HZ = 10.0  # while something moves: a rep's rise takes 0.3-1 s, so 5-15 samples
MOTION_AHEAD_S = 0.3  # motion this soon after a frame makes it dense (a rep's start is sampled before it moves)
MOTION_BEHIND_S = 0.15  # ... or this recently before it (its end)
DENSE_S = 0.5  # the model's answer asked for density: every frame for this long
FEEDBACK_LAG_S = 0.6  # the model's answer about a frame steers the choice from this much later on (the
#                      estimator may run this far ahead of the sampler's choices: 3 still samples, SLOTS)
NOBODY_DENSE_S = 2.0  # nobody found yet, or lost this recently: every frame (the turned tries: estimator.py)
RULE_DENSE_S = 1.0  # the rule's state changed: every frame for this long (its debounces run 0.5-0.7 s)
JUMP = 0.03  # a joint moved this far (picture heights) between two samples: the body is moving
KEY_JOINTS = [
    L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_ELBOW, L.RIGHT_ELBOW, L.LEFT_WRIST, L.RIGHT_WRIST,
    L.LEFT_HIP, L.RIGHT_HIP, L.LEFT_KNEE, L.RIGHT_KNEE, L.LEFT_ANKLE, L.RIGHT_ANKLE,
]  # fmt: skip
VISIBLE = 0.5  # the rules' visibility bar


def small_grey(image: np.ndarray) -> np.ndarray:
    """The picture as the small grey copy its motion is measured on."""
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    return cv2.resize(grey, SMALL_SIZE, interpolation=cv2.INTER_AREA)


def changed_share(a: np.ndarray, b: np.ndarray) -> float:
    """The share of pixels that differ by PIXEL_STEP or more between two small grey copies."""
    return float(np.count_nonzero(cv2.absdiff(a, b) >= PIXEL_STEP)) / a.size


@dataclass(frozen=True)
class Plan:
    """The sampler's settings in frames, for one frame rate."""

    still_stride: int
    moving_stride: int
    ahead: int
    behind: int
    dense: int
    lag: int
    nobody: int
    rule_dense: int

    @classmethod
    def for_fps(cls, fps: float) -> Plan:
        def frames(seconds: float) -> int:
            return max(1, round(seconds * fps))

        return cls(
            still_stride=max(1, round(fps / STILL_HZ)),
            moving_stride=max(1, round(fps / MOVING_HZ)),
            ahead=frames(MOTION_AHEAD_S),
            behind=frames(MOTION_BEHIND_S),
            dense=frames(DENSE_S),
            lag=frames(FEEDBACK_LAG_S),
            nobody=frames(NOBODY_DENSE_S),
            rule_dense=frames(RULE_DENSE_S),
        )


@dataclass(frozen=True)
class Measured:
    """A frame read ahead, with its small grey copy and whether it moved since the frame before."""

    frame: Frame
    small: np.ndarray
    moved: bool


class FrameSampler:
    """Chooses the frames the model runs on (see the module's doc); one per video, frames in order.

    choices(frames) yields (frame, run_model) for every frame; observed(index, poses) is told what the
    model found in each sampled frame, in order.  Deterministic: the same video gives the same choices.
    """

    def __init__(self, fps: float) -> None:
        self.plan = Plan.for_fps(fps)
        self.modelled = 0
        self.frames = 0
        self._last_index: int | None = None
        self._last_small: np.ndarray | None = None
        self._recent_moves: deque[int] = deque()  # indices of frames that moved, within `behind`
        self._answers: deque[tuple[int, list[Pose]]] = deque()  # observed, not yet applied (the lag)
        self._hints: deque[tuple[int, str | None]] = deque()  # the rule's wishes, not yet applied (the lag)
        self._before: list[Pose] | None = None  # the last applied answer
        self._seen_index: int | None = None  # the last sample with someone in it (applied)
        self._dense_until = -1
        self._moving_until = -1

    def choices(self, frames: Iterator[Frame]) -> Iterator[tuple[Frame, bool]]:
        """Every frame with whether the model runs on it; the last one always does.  An error from `frames`
        is raised after the frames read before it."""
        ahead: deque[Measured] = deque()
        previous: np.ndarray | None = None
        failure: BaseException | None = None
        while True:
            try:
                frame = next(frames)
            except StopIteration:
                break
            except BaseException as error:  # the source's: after the frames already read
                failure = error
                break
            small = small_grey(frame.image)
            moved = previous is not None and changed_share(small, previous) >= MOVING_SHARE
            previous = small
            ahead.append(Measured(frame, small, moved))
            if len(ahead) > self.plan.ahead:
                yield self._choose(ahead.popleft(), ahead, last=False)
        while ahead:
            item = ahead.popleft()
            yield self._choose(item, ahead, last=not ahead)
        if failure is not None:
            raise failure

    def judged(self, index: int, wanted: str | None) -> None:
        """What the rule asked for after judging frame `index` (RuleWatch); it steers choices from index +
        plan.lag on.  Called from the rules' thread; the caller makes sure it came before those choices."""
        self._hints.append((index, wanted))

    def observed(self, index: int, poses: list[Pose]) -> None:
        """What the model found in sampled frame `index`; it steers choices from index + plan.lag on."""
        self._answers.append((index, poses))

    @property
    def speedup(self) -> float:
        """Frames per model run so far."""
        return self.frames / self.modelled if self.modelled else 1.0

    def _choose(self, item: Measured, ahead: deque[Measured], last: bool) -> tuple[Frame, bool]:
        index = item.frame.index
        self._apply_answers(index)
        if item.moved:
            self._recent_moves.append(index)
        while self._recent_moves and self._recent_moves[0] < index - self.plan.behind:
            self._recent_moves.popleft()
        self.frames += 1
        run = last or self._last_index is None or self._last_small is None
        if not run:
            assert self._last_index is not None and self._last_small is not None
            moving = bool(self._recent_moves) or any(m.moved for m in ahead) or self._moving_until >= index
            stride = self.plan.moving_stride if moving else self.plan.still_stride
            if self._dense_until >= index:
                stride = 1
            gap = index - self._last_index
            run = gap >= stride or (not moving and changed_share(item.small, self._last_small) >= DRIFT_SHARE)
        if run:
            self._last_index, self._last_small = index, item.small
            self.modelled += 1
            return item.frame, True
        return replace(item.frame, modelled=False), False

    def _apply_answers(self, index: int) -> None:
        """Answers and the rule's wishes about frames at least plan.lag before `index`, in order (only those:
        a fixed lag)."""
        while self._hints and self._hints[0][0] <= index - self.plan.lag:
            wanted = self._hints.popleft()[1]
            if wanted == "moving":
                self._moving_until = max(self._moving_until, index + 1)
            elif wanted == "every":
                self._dense_until = max(self._dense_until, index + self.plan.rule_dense)
        while self._answers and self._answers[0][0] <= index - self.plan.lag:
            at, poses = self._answers.popleft()
            wanted = self._wants(at, poses)
            if wanted == "moving":
                self._moving_until = max(self._moving_until, index + self.plan.dense)
            elif wanted == "every":
                self._dense_until = max(self._dense_until, index + self.plan.dense)
            self._before = poses
            if poses:
                self._seen_index = at

    def _wants(self, at: int, poses: list[Pose]) -> str | None:
        """What the answer about frame `at` asks for: "every" frame, the "moving" rate, or None."""
        before = self._before
        if not poses:  # nobody: the first seconds of it are every frame (the estimator's turned tries)
            since = at - (self._seen_index or 0)  # from the last sample with someone, or the start
            return "every" if since < self.plan.nobody else None
        if before is None or len(before) != len(poses):
            return "every"  # someone found, or a second person
        a, b = before[0], poses[0]
        moved = np.abs((b.image[KEY_JOINTS] - a.image[KEY_JOINTS]) * np.array([a.aspect, 1.0])).max()
        seen_before = a.visibility[KEY_JOINTS] >= VISIBLE
        seen_now = b.visibility[KEY_JOINTS] >= VISIBLE
        return "moving" if moved >= JUMP or np.any(seen_before != seen_now) else None


ACTIVE_PHASES = ("lift", "squeeze")  # a rep under way (posecheck/uncounted.py's list, less the hold)


class RuleWatch:
    """What the rule's state asks of the sampler, frame by frame (FrameSampler.judged): every frame for a
    while after it changed - a rep starting or ending, a count, a fault or a message coming or going, the
    camera check's instruction - since the rules' debounces and timers run on from there; the moving rate
    while a rep is under way; else nothing."""

    def __init__(self) -> None:
        self._key: tuple[object, ...] | None = None
        self._message: tuple[str | None, str | None] | None = None
        self._changed_t = float("-inf")
        self._message_t = float("-inf")

    def update(self, t: float, state: RuleState, camera: str | None) -> str | None:
        key = (state.phase, state.active_faults, state.count, state.sets, state.side)
        if key != self._key:
            self._key, self._changed_t = key, t
        if (state.status, camera) != self._message:
            self._message, self._message_t = (state.status, camera), t
        if t - self._changed_t < RULE_DENSE_S or t - self._message_t < RULE_DENSE_S or state.phase in ACTIVE_PHASES:
            return "moving"
        return None


def poses_between(before: list[Pose], after: list[Pose], share: float, t: float) -> list[Pose]:
    """The poses of a skipped frame `share` of the way from one sample to the next (0..1), at time t.

    One person on both sides: landmarks and visibility interpolated (world landmarks too, when both
    have them).  Otherwise (someone found or lost between, two people): the nearer sample's poses.
    """
    if len(before) == 1 and len(after) == 1:
        a, b = before[0], after[0]
        world = None
        if a.world is not None and b.world is not None:
            world = a.world + share * (b.world - a.world)
        return [
            Pose(
                a.image + share * (b.image - a.image),
                a.visibility + share * (b.visibility - a.visibility),
                world,
                t,
                a.aspect,
            )
        ]
    nearer = before if share < 0.5 else after
    return [pose.replace(t=t) for pose in nearer]


__all__ = ["FrameSampler", "Plan", "RuleWatch", "changed_share", "poses_between", "small_grey"]
