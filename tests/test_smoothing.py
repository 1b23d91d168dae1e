from __future__ import annotations

import numpy as np
import pytest

from posecheck.smoothing import EmaFilter, NoFilter, OneEuroFilter, PoseSmoother, make_filter
from synthetic import Body, make_pose, placement


def test_one_euro_reduces_jitter_at_rest():
    rng = np.random.default_rng(1)
    f = OneEuroFilter()
    raw = rng.normal(0, 0.01, 300)
    out = np.array([f(i / 30, np.array([x]))[0] for i, x in enumerate(raw)])
    assert out[30:].std() < 0.4 * raw[30:].std()


def test_one_euro_follows_fast_motion_with_little_lag():
    f = OneEuroFilter()
    t = np.arange(0, 2, 1 / 30)
    signal = np.where(t < 1, 0.0, 1.0)
    out = np.array([f(ti, np.array([x]))[0] for ti, x in zip(t, signal, strict=True)])
    assert out[t >= 1.2].min() > 0.9  # within 0.2 s the step is mostly followed


@pytest.mark.parametrize("name", ["none", "ema", "one-euro"])
def test_filters_pass_constant_signals(name):
    f = make_filter(name)
    for i in range(10):
        out = f(i / 30, np.array([2.0, -1.0]))
    np.testing.assert_allclose(out, [2.0, -1.0])


def test_unknown_filter_name():
    with pytest.raises(ValueError, match="one-euro"):
        make_filter("kalman")


def test_pose_smoother_resets_after_gap():
    smoother = PoseSmoother("ema", max_gap_s=0.5)
    pose = make_pose(Body(), placement("supine"))
    smoother(pose.replace(t=0.0))
    moved = pose.replace(image=pose.image + 0.1, t=2.0)
    np.testing.assert_allclose(smoother(moved).image, moved.image)  # no lag carried over the gap
    assert isinstance(NoFilter()(0.0, np.zeros(1)), np.ndarray)
    assert isinstance(EmaFilter()(0.0, np.zeros(1)), np.ndarray)
