"""The MediaPipe wrapper on project-made pictures: poses, bystander probe, person choice."""

from __future__ import annotations

import cv2
import numpy as np

from posecheck.estimator import PROBE_LAG_FRAMES, PoseEstimator
from posecheck.exercises.leg_lift import LegLift
from posecheck.samples import labelled_clips, samples_dir
from posecheck.selection import PersonSelector


def frame_of(name_start: str, t: float = 1.0) -> np.ndarray:
    clip = next(c for c in labelled_clips(samples_dir()) if c.name.startswith(name_start))
    capture = cv2.VideoCapture(str(clip))
    capture.set(cv2.CAP_PROP_POS_FRAMES, int(t * 30))
    ok, frame = capture.read()
    capture.release()
    assert ok
    return cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)


def test_one_person_gives_one_full_pose():
    with PoseEstimator() as estimator:
        (pose,) = estimator.detect(frame_of("leg-lift"), 0.0)
    assert pose.world is not None and pose.world.shape == (33, 3)
    assert pose.visibility.max() > 0.9
    assert estimator.num_poses == 1


def test_bystander_probe_switches_to_two_poses_and_the_exerciser_is_followed():
    # two rendered people side by side (cropped so each stays large enough for the detector)
    picture = np.ascontiguousarray(
        np.hstack([frame_of("seated-twist_left", 8.0)[:, 80:560], frame_of("leg-lift_left_clean", 8.0)[:, 80:560]])
    )
    with PoseEstimator() as estimator:
        poses = []
        counts = []
        for i in range(PROBE_LAG_FRAMES + 2):
            poses = estimator.detect(picture, i / 30)
            counts.append(estimator.num_poses)
    # the probe looks at the first frame on its own thread; its answer is used PROBE_LAG_FRAMES later
    assert counts == [1] * PROBE_LAG_FRAMES + [2, 2]
    assert len(poses) == 2
    chosen, events = PersonSelector(prefer=LegLift().fits)(poses, 0.1)
    assert chosen is not None and chosen.bbox()[0] > 0.5  # the side-lying person on the right half
    assert events and "Several people" in events[0].text


def test_a_still_photo_waits_for_the_probe_on_its_only_frame():
    picture = np.ascontiguousarray(
        np.hstack([frame_of("seated-twist_left", 8.0)[:, 80:560], frame_of("leg-lift_left_clean", 8.0)[:, 80:560]])
    )
    with PoseEstimator(probe_lag_frames=0) as estimator:
        poses = estimator.detect(picture, 0.0)
    assert estimator.num_poses == 2 and len(poses) == 2
