"""Camera presets frame the whole body; labels and truth files have the agreed shape."""

from __future__ import annotations

import json

import numpy as np
import pytest

from samplegen.camera import PRESETS, preset_camera
from samplegen.labels import build_label, landmark_array, save_truth
from samplegen.motions.registry import build_clip

CASES = [(ex, cam) for ex, cams in PRESETS.items() for cam in cams]


@pytest.mark.parametrize("exercise,camera", CASES)
def test_preset_frames_every_joint(human, exercise, camera):
    rng = np.random.default_rng(7)
    clip = build_clip(exercise, human, "right", rng, reps=1, hold_s=3.0, fps=4.0)
    clip.ground(human, 0.01)
    verts = np.concatenate([clip.pose(human, i).verts[::30] for i in range(len(clip.frames))])
    cam = preset_camera(exercise, camera, clip.directions(), verts, rng, -1.0)
    uv = cam.project(verts)
    assert np.isfinite(uv).all()
    assert (uv[:, 0] > 0).all() and (uv[:, 0] < cam.width).all()
    assert (uv[:, 1] > 0).all() and (uv[:, 1] < cam.height).all()
    # not a speck either: the body spans a fair part of the frame
    assert np.ptp(uv[:, 0]) > 0.25 * cam.width or np.ptp(uv[:, 1]) > 0.25 * cam.height


def test_label_and_truth_shape(human, tmp_path):
    rng = np.random.default_rng(1)
    clip = build_clip("leg-lift", human, "left", rng, reps=2, faults={2: ("knee_bent",)},
                      fps=10.0)
    clip.ground(human, 0.01)
    pts = [clip.pose(human, i, skin=False).points for i in range(len(clip.frames))]
    world = np.stack([landmark_array(p) for p in pts])
    core = world[:, [11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28]].reshape(-1, 3)
    cam = preset_camera("leg-lift", "front", clip.directions(), core, rng)
    meta = {"_trace": [clip.measure(p) for p in pts]}
    label = build_label(clip, "x.mp4", "front", cam, world, meta)
    for key in ("schema", "video", "exercise", "fps", "duration_s", "camera", "reps", "holds",
                "sets", "cues", "frames"):
        assert key in label
    assert [r["faults"] for r in label["reps"]] == [[], ["knee_bent"]]
    assert all(r["start_s"] < r["peak_s"] < r["end_s"] for r in label["reps"])
    json.dumps(label)
    save_truth(tmp_path / "x.gt.npz", world, cam, 10.0)
    z = np.load(tmp_path / "x.gt.npz")
    assert z["world"].shape == (len(clip.frames), 33, 3) and z["pixels"].shape[-1] == 2
    assert np.isnan(z["world"][0, 0]).all() and np.isfinite(z["pixels"][:, 23]).all()
