"""A small rendered frame agrees with the projected ground-truth joints."""

from __future__ import annotations

import os

import numpy as np
import pytest

from samplegen.appearance import random_look, vertex_colors
from samplegen.camera import Camera, preset_camera
from samplegen.motions.registry import build_clip


@pytest.mark.parametrize("exercise,camera", [("leg-lift", "feet-oblique"), ("figure-four", "side")])
def test_projected_joints_land_on_the_body(human, exercise, camera):
    os.environ.setdefault("PYOPENGL_PLATFORM", "osmesa")
    pytest.importorskip("pyrender")
    from samplegen.render import Lighting, Renderer

    rng = np.random.default_rng(0)
    clip = build_clip(exercise, human, "left", rng, reps=1, hold_s=4.0, fps=5.0)
    clip.ground(human, 0.01)
    i = len(clip.frames) // 2
    posed = clip.pose(human, i)
    cam = preset_camera(exercise, camera, clip.directions(), posed.verts[::20], rng)
    small = Camera(cam.pose, cam.yfov, width=160, height=120)
    light = Lighting(sun_dir=np.array([0.2, 0.3, -1.0]), sun_intensity=3.0, fill_intensity=1.0, ambient=0.3)
    r = Renderer(small, [], light, human.faces, vertex_colors(human, random_look(rng)), bg=(0.0, 0.0, 0.0))
    img = r.frame(posed.verts)
    r.close()
    body = img.sum(axis=2) > 0
    assert 0.02 < body.mean() < 0.8
    names = [
        "upperleg01.L",
        "upperleg01.R",
        "lowerleg01.L",
        "lowerleg01.R",
        "foot.L",
        "foot.R",
        "upperarm01.L",
        "upperarm01.R",
    ]
    uv = small.project(np.stack([posed.points[n] for n in names]))
    for n, (u, v) in zip(names, uv, strict=True):
        x, y = int(round(u)), int(round(v))
        assert 0 <= x < 160 and 0 <= y < 120, n
        patch = body[max(y - 1, 0) : y + 2, max(x - 1, 0) : x + 2]
        assert patch.any(), f"{n} projects to background at {(x, y)}"
