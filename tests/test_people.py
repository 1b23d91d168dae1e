"""Several people on photos and videos: the one in the exercise's posture is judged, and it is said."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from posecheck.estimator import PoseEstimator
from posecheck.events import Cue
from posecheck.footage import default_footage
from posecheck.overlay import OverlayInput
from posecheck.people import find_people, same_person
from posecheck.pose import Pose
from posecheck.registry import get_exercise
from posecheck.samples import samples_dir
from posecheck.selection import SEVERAL_TEXT
from posecheck.session import Session
from posecheck.source import Frame, open_source
from posecheck.trackers import LOST_FRAMES

LYING = samples_dir() / "figure-four_left_clean-30s_side-raised.mp4"  # the person on the mat, left of centre
SEATED = samples_dir() / "seated-twist_left_hip-lifted_front-oblique.mp4"  # pasted in at the right: a bystander
DONOR_BOX = (170, 100, 440, 340)  # x0, y0, x1, y1 of the seated person in SEATED's frames


def paste(base: np.ndarray, donor: np.ndarray, box: tuple[int, int, int, int], scale: float, at: tuple[int, int]):
    """base with donor[box] scaled and pasted with its top-left corner at `at` (x, y)."""
    x0, y0, x1, y1 = box
    piece = cv2.resize(donor[y0:y1, x0:x1], None, fx=scale, fy=scale)
    out = base.copy()
    h, w = piece.shape[:2]
    out[at[1] : at[1] + h, at[0] : at[0] + w] = piece[: out.shape[0] - at[1], : out.shape[1] - at[0]]
    return out


def frames(clip: Path, first: int, n: int) -> list[np.ndarray]:
    capture = cv2.VideoCapture(str(clip))
    capture.set(cv2.CAP_PROP_POS_FRAMES, first)
    out = []
    for _ in range(n):
        ok, image = capture.read()
        assert ok
        out.append(image)
    capture.release()
    return out


def two_people(lying: np.ndarray, seated: np.ndarray) -> np.ndarray:
    return paste(lying, seated, DONOR_BOX, 0.75, (640 - 203, 240))


def judged(source_path: Path, exercise: str, estimator: PoseEstimator) -> tuple[list[Pose | None], list[str]]:
    """The pose judged on each frame, and the cues said."""
    chosen: list[Pose | None] = []

    def hook(frame: Frame, item: OverlayInput, events: list) -> bool:
        chosen.append(item.pose)
        return True

    with open_source(source_path) as source:
        result = Session(get_exercise(exercise), estimator).run(source, hook)
    return chosen, [e.text for e in result.events if isinstance(e, Cue)]


def centre_x(pose: Pose | None) -> float:
    assert pose is not None
    x0, _, x1, _ = pose.bbox()
    return (x0 + x1) / 2


@pytest.mark.parametrize(("exercise", "on_the_left"), [("figure-four", True), ("seated-twist", False)])
def test_on_a_photo_the_person_in_the_exercises_posture_is_judged(tmp_path: Path, exercise: str, on_the_left: bool):
    photo = tmp_path / "two.png"
    cv2.imwrite(str(photo), two_people(frames(LYING, 300, 1)[0], frames(SEATED, 200, 1)[0]))
    with PoseEstimator(still=True) as estimator:
        found = estimator.detect(cv2.cvtColor(cv2.imread(str(photo)), cv2.COLOR_BGR2RGB), 0.0)
        chosen, said = judged(photo, exercise, estimator)
    assert len(found) == 2  # MediaPipe alone, asked for three poses, finds only the seated one here
    assert (centre_x(chosen[0]) < 0.65) == on_the_left
    assert SEVERAL_TEXT in said


def test_on_a_video_the_person_on_the_mat_is_followed_from_its_first_frames(tmp_path: Path):
    video = tmp_path / "two.mp4"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"mp4v"), 30.0, (640, 480))
    for lying, seated in zip(frames(LYING, 0, 75), frames(SEATED, 0, 75), strict=True):
        writer.write(two_people(lying, seated))
    writer.release()
    with PoseEstimator() as estimator:
        chosen, said = judged(video, "figure-four", estimator)
    assert len(chosen) == 75
    # the first frames' tracker sees only the seated bystander; the search finds both by frame 4 (its lag)
    assert all(centre_x(pose) < 0.65 for pose in chosen[10:])
    assert said.count(SEVERAL_TEXT) == 1


def box_pose(cx: float, cy: float, size: float) -> Pose:
    """A person-shaped set of landmarks around (cx, cy): torso landmarks spread so the torso has a length."""
    rng = np.random.default_rng(int(cx * 100 + cy * 10))
    image = np.column_stack([cx + rng.uniform(-size, size, 33), cy + rng.uniform(-size, size, 33)])
    image[[11, 12]] = [[cx - size / 4, cy - size / 2], [cx + size / 4, cy - size / 2]]  # shoulders
    image[[23, 24]] = [[cx - size / 4, cy + size / 2], [cx + size / 4, cy + size / 2]]  # hips
    return Pose(image, np.ones(33))


def test_the_search_paints_over_whom_it_found_and_looks_again():
    """A detector that sees only the first unpainted person of its list (as MediaPipe beside someone upright),
    and reports them twice (a second fit of the same body)."""
    people = [box_pose(0.25, 0.5, 0.15), box_pose(0.7, 0.4, 0.12), box_pose(0.5, 0.8, 0.1)]
    picture = np.full((200, 200, 3), 100, np.uint8)
    for i, person in enumerate(people):
        x, y = (person.image[[11, 12, 23, 24]].mean(axis=0) * 200).astype(int)
        picture[y - 2 : y + 3, x - 2 : x + 3] = 200 + 20 * i  # each person's mark at the torso's centre

    looks = []

    def find(image: np.ndarray) -> list[Pose]:
        looks.append(1)
        for i, person in enumerate(people):
            x, y = (person.image[[11, 12, 23, 24]].mean(axis=0) * 200).astype(int)
            if image[y, x, 0] == 200 + 20 * i:
                return [person, person.replace(image=person.image + 0.01)]
        return []

    found = find_people(picture, find, max_people=3)
    assert len(found) == 3 and all(any(same_person(f, p) for f in found) for p in people)
    assert len(looks) == 3  # stopped at three people: no fourth look
    assert len(find_people(picture, find, max_people=2)) == 2


@pytest.mark.skipif(default_footage() is None, reason="no real footage here (../shared/footage)")
def test_a_real_photo_with_a_second_person_pasted_in(tmp_path: Path):
    """Real people: a man lying on a mat (figure-four start) with a seated man pasted into the corner."""
    folder = default_footage()
    assert folder is not None
    lying = cv2.imread(str(folder / "fig4_supine_fedb_start.jpg"))
    seated = cv2.imread(str(folder / "twist_seated_fedb_start.jpg"))
    if lying is None or seated is None:
        pytest.skip("the two photos are not in the footage folder")
    photo = tmp_path / "real.png"
    cv2.imwrite(str(photo), paste(lying, seated, (450, 40, 850, 560), 0.6, (0, 0)))
    with PoseEstimator(still=True) as estimator:
        for exercise, on_the_left in (("figure-four", False), ("seated-twist", True)):
            chosen, said = judged(photo, exercise, estimator)
            assert (centre_x(chosen[0]) < 0.3) == on_the_left, exercise
            assert SEVERAL_TEXT in said


def test_when_everyone_followed_has_gone_one_person_is_tracked_again():
    """Two people (each then followed on their own), an empty room until both trackers give up, then the person
    on the mat alone: found again."""
    lying = frames(LYING, 0, 60)
    seated = frames(SEATED, 0, 12)
    empty = np.full_like(lying[0], np.median(lying[0].reshape(-1, 3), axis=0).astype(np.uint8))
    pictures = [two_people(a, b) for a, b in zip(lying[:12], seated, strict=True)]
    pictures += [empty] * (LOST_FRAMES + 2) + lying[-10:]
    with PoseEstimator() as estimator:
        found = [estimator.detect(cv2.cvtColor(p, cv2.COLOR_BGR2RGB), i / 30) for i, p in enumerate(pictures)]
        assert estimator.num_poses == 1  # back to one tracker (and the probe)
    assert [len(poses) for poses in found[8:12]] == [2] * 4  # both followed once the search had answered
    assert all(len(poses) == 1 for poses in found[-5:])
