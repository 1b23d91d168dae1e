"""The pose estimator in its own process: the same poses as in this one, and clear errors when it fails."""

from __future__ import annotations

import os
import signal
from multiprocessing.shared_memory import SharedMemory
from pathlib import Path

import cv2
import numpy as np
import pytest

from posecheck.errors import EstimatorLostError, InputError, ModelError
from posecheck.estimator import PoseEstimator
from posecheck.exercises.leg_lift import LegLift
from posecheck.remote import EstimatorProcess
from posecheck.samples import labelled_clips, samples_dir
from posecheck.session import Session
from posecheck.source import open_source


def clip() -> Path:
    return next(c for c in labelled_clips(samples_dir()) if c.name.startswith("leg-lift_left_clean"))


def frames(n: int) -> list[np.ndarray]:
    capture = cv2.VideoCapture(str(clip()))
    pictures = []
    for _ in range(n):
        ok, frame = capture.read()
        assert ok
        pictures.append(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
    capture.release()
    return pictures


def test_the_same_poses_as_in_process_with_frames_in_flight():
    pictures = frames(12)
    with PoseEstimator() as here:
        expected = [here.detect(p, i / 30) for i, p in enumerate(pictures)]
    with EstimatorProcess(slots=3) as there:
        got = []
        for i, picture in enumerate(pictures):
            there.submit(picture, i / 30)
            if i >= 2:
                got.append(there.collect())
        got += [there.collect() for _ in range(2)]
    assert [len(p) for p in got] == [len(p) for p in expected] == [1] * 12
    for (a,), (b,) in zip(got, expected, strict=True):
        assert a.t == b.t
        np.testing.assert_allclose(a.image, b.image, atol=1e-6)
        np.testing.assert_allclose(a.visibility, b.visibility, atol=1e-6)
        assert a.world is not None and b.world is not None
        np.testing.assert_allclose(a.world, b.world, atol=1e-6)


def test_no_more_frames_than_slots_in_flight():
    picture = frames(1)[0]
    with EstimatorProcess(slots=2) as estimator:
        estimator.submit(picture, 0.0)
        estimator.submit(picture, 0.04)
        with pytest.raises(RuntimeError, match="more than 2"):
            estimator.submit(picture, 0.08)
        assert len(estimator.collect()) == 1


def test_a_bad_model_is_reported_from_the_child(tmp_path):
    bad = tmp_path / "broken.task"
    bad.write_bytes(b"not a model")
    with pytest.raises(ModelError, match=r"broken\.task"):
        EstimatorProcess(bad)


def test_shared_memory_is_released_on_close():
    with EstimatorProcess() as estimator:
        estimator.detect(frames(1)[0], 0.0)
        names = [buffer.name for buffer in estimator._buffers]
    assert estimator._process.exitcode == 0  # it left at once, and cleanly
    assert len(names) == estimator.slots
    for name in names:
        with pytest.raises(FileNotFoundError):
            SharedMemory(name=name)


def test_ctrl_c_is_left_to_the_parent():
    picture = frames(1)[0]
    with EstimatorProcess() as estimator:
        estimator.detect(picture, 0.0)
        os.kill(estimator._process.pid, signal.SIGINT)  # a terminal's Ctrl-C reaches the whole group
        assert len(estimator.detect(picture, 0.04)) == 1


def test_a_child_killed_mid_session_ends_it_with_a_clear_error_and_keeps_what_was_analysed():
    with open_source(str(clip())) as source, EstimatorProcess() as estimator:

        def kill_at_frame_20(frame, item, events) -> bool:
            if frame.index == 20:
                os.kill(estimator._process.pid, signal.SIGKILL)
            return True

        result = Session(LegLift(), estimator).run(source, kill_at_frame_20)
    assert isinstance(result.error, EstimatorLostError)
    assert "exit code -9" in str(result.error)
    assert 20 < result.frames < 40  # the frames already answered are judged and reported
    assert result.report.build()["errors"] == [str(result.error)]


def test_too_little_shared_memory_is_a_clear_error_not_a_crash(monkeypatch):
    import posecheck.remote as remote

    picture = frames(1)[0]
    with EstimatorProcess() as estimator:
        monkeypatch.setattr(remote, "shared_memory_free", lambda: 2 * picture.nbytes)  # room for 2 of 3 slots
        with pytest.raises(InputError, match=r"/dev/shm has 2 MB free; 3 frames of this video need 3 MB"):
            estimator.submit(picture, 0.0)
        monkeypatch.setattr(remote, "shared_memory_free", lambda: 3 * picture.nbytes)
        assert len(estimator.detect(picture, 0.0)) == 1


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="no CPU affinity here")
def test_the_child_and_every_thread_mediapipe_starts_in_it_keep_to_the_cpus_given():
    cpu = max(os.sched_getaffinity(0))
    before = os.sched_getaffinity(0)
    with EstimatorProcess(cpus={cpu}) as estimator:
        assert len(estimator.detect(frames(1)[0], 0.0)) == 1
        tasks = os.listdir(f"/proc/{estimator._process.pid}/task")
        assert len(tasks) > 2  # MediaPipe's graph threads and the bystander probe's
        assert {frozenset(os.sched_getaffinity(int(task))) for task in tasks} == {frozenset({cpu})}
    assert os.sched_getaffinity(0) == before  # this process is not the child's to pin
