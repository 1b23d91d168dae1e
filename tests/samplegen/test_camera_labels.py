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
    clip = build_clip("leg-lift", human, "left", rng, reps=2, faults={2: ("knee_bent",)}, fps=10.0)
    clip.ground(human, 0.01)
    pts = [clip.pose(human, i, skin=False).points for i in range(len(clip.frames))]
    world = np.stack([landmark_array(p) for p in pts])
    core = world[:, [11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28]].reshape(-1, 3)
    cam = preset_camera("leg-lift", "front", clip.directions(), core, rng)
    meta = {"_trace": [clip.measure(p) for p in pts]}
    label = build_label(clip, "x.mp4", "front", cam, world, meta)
    for key in (
        "schema",
        "video",
        "exercise",
        "fps",
        "duration_s",
        "camera",
        "reps",
        "holds",
        "sets",
        "cues",
        "frames",
    ):
        assert key in label
    assert [r["faults"] for r in label["reps"]] == [[], ["knee_bent"]]
    assert all(r["start_s"] < r["peak_s"] < r["end_s"] for r in label["reps"])
    json.dumps(label)
    save_truth(tmp_path / "x.gt.npz", world, cam, 10.0)
    z = np.load(tmp_path / "x.gt.npz")
    assert z["world"].shape == (len(clip.frames), 33, 3) and z["pixels"].shape[-1] == 2
    assert np.isnan(z["world"][0, 0]).all() and np.isfinite(z["pixels"][:, 23]).all()


@pytest.mark.parametrize("roll", [-20.0, 15.0, 30.0])
def test_a_rolled_camera_turns_the_picture_about_its_centre(human, roll):
    """--roll turns the camera about its viewing axis only: the same spot, the same draws from the seed
    (body, look, timing as the level clip), every joint still framed, the picture turned by `roll`
    (clockwise on screen for +), and roll 0 is the level camera bit for bit."""
    clip = build_clip("ball-squeeze", human, "left", np.random.default_rng(3), reps=1, fps=4.0)
    clip.ground(human, 0.01)
    verts = np.concatenate([clip.pose(human, i).verts[::30] for i in range(len(clip.frames))])

    def camera(rng: np.random.Generator, roll: float | None) -> object:
        extra = {} if roll is None else {"roll_deg": roll}
        return preset_camera("ball-squeeze", "feet-raised", clip.directions(), verts, rng, **extra)

    rng_level, rng_rolled = np.random.default_rng(5), np.random.default_rng(5)
    level, rolled = camera(rng_level, None), camera(rng_rolled, roll)
    assert np.array_equal(camera(np.random.default_rng(5), 0.0).pose, level.pose)
    assert rng_level.random() == rng_rolled.random()  # no extra draws: the rest of the sample is unchanged
    uv = rolled.project(verts)
    assert np.isfinite(uv).all()
    assert ((uv > 0) & (uv < [rolled.width, rolled.height])).all()
    a = np.radians(-roll)  # turned back about its viewing axis, its x axis is level (the floor's horizon)
    unrolled = rolled.pose[:3, :3] @ np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]])
    assert abs(unrolled[2, 0]) < 1e-9
    assert rolled.pose[2, 0] == pytest.approx(np.sin(np.radians(roll)) * unrolled[2, 1], abs=1e-9)  # rolled: not
    # (framing may move it back a little to keep the turned body in the picture; it looks at the same spot)
    centre = np.array([level.width, level.height]) / 2
    u, v = level.project(verts) - centre, uv - centre
    turned = np.degrees(np.arctan2(u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0], (u * v).sum(axis=1)))
    assert np.median(turned) == pytest.approx(roll, abs=1.0)  # + : clockwise on screen (y grows downward)
