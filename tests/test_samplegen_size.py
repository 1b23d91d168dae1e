"""samplegen's --size: the same shot at another picture size, so a failure can be tested against resolution."""

from __future__ import annotations

import argparse

import numpy as np
import pytest

pytest.importorskip("trimesh", reason="samplegen needs its render extras")

from samplegen.cli import _size
from samplegen.pipeline import Spec, stage


def test_a_bigger_picture_frames_the_body_the_same():
    small = stage(Spec("figure-four", "right", "feet-oblique", "x.mp4", seed=42))
    big = stage(Spec("figure-four", "right", "feet-oblique", "x.mp4", seed=42, width=1280, height=960))
    points = small.clip.pose(small.human, 0).verts[::50]
    assert (big.camera.width, big.camera.height) == (1280, 960)
    np.testing.assert_allclose(big.camera.project(points), 2.0 * small.camera.project(points), rtol=1e-9, atol=1e-6)


@pytest.mark.parametrize("text", ["1280", "1280x", "x960", "12x3", "axb", "-640x480"])
def test_a_bad_size_is_refused(text: str):
    with pytest.raises(argparse.ArgumentTypeError):
        _size(text)


def test_a_size_reads_either_case():
    assert _size("1280X960") == (1280, 960)
