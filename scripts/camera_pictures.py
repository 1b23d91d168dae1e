"""Renders README's camera pictures (docs/images/camera-EXERCISE.png) with samplegen.

Each picture has two panels: the room seen from above with the camera marked where it should stand
(a dark box on a pole, orange dots along the way it looks), and what that camera sees, rendered from
the recommended view in the middle of a rep or hold. Needs the render extras
(`bash scripts/install.sh --render`); about a minute on 2 cores.

    python scripts/camera_pictures.py [--out docs/images] [--only leg-lift]
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PYOPENGL_PLATFORM", "osmesa")

from samplegen.camera import Camera, fit_camera  # noqa: E402
from samplegen.pipeline import Spec, Staged, stage  # noqa: E402
from samplegen.render import Renderer, SetBox  # noqa: E402

PANEL_W, PANEL_H = 440, 330
COLORS = 128  # a palette PNG stays small


@dataclass(frozen=True)
class Shot:
    exercise: str
    camera: str  # samplegen's preset for the recommended view (posecheck exercises)
    caption: str
    seed: int
    view: dict | None = None  # an aimed camera instead of the preset (samplegen.bench.view.aimed_camera's terms)


SHOTS = (
    Shot("leg-lift", "feet-oblique", "In front of you, toward your feet (about 45 deg), hip height or higher", 3),
    Shot("figure-four", "side-raised", "On the crossed leg's side, raised ~1.3 m, looking down", 5),
    Shot("seated-twist", "front-oblique", "In front of you, a little to the bent knee's side", 2),
    Shot(
        "ball-squeeze",
        "feet-raised",
        "At your feet, ~30 deg to one side, raised (on a chair)",
        4,
        {"azimuth_deg": 30.0, "height_m": 1.2, "body_frac": 0.75, "yfov_deg": 55.0},
    ),
)


def middle_frame(st: Staged) -> int:
    """A frame in the middle of the first rep or hold (the exercise's position)."""
    plan = (st.clip.reps or st.clip.holds)[0]
    return int((plan.start_s + plan.end_s) / 2 * st.clip.fps)


def camera_marker(cam: Camera, toward: np.ndarray) -> list[SetBox]:
    """A dark box at the camera on a pole to the floor, and orange dots along its line of sight."""
    eye = cam.pose[:3, 3]
    dark, orange = (0.1, 0.1, 0.12), (1.0, 0.35, 0.0)
    s = 0.09
    boxes = [
        SetBox(tuple(eye - s), tuple(eye + s), dark),
        SetBox((eye[0] - 0.015, eye[1] - 0.015, 0.0), (eye[0] + 0.015, eye[1] + 0.015, eye[2]), dark),
    ]
    look = toward - eye
    look /= np.linalg.norm(look)
    for k in range(1, 6):
        p = eye + look * (0.12 + 0.12 * k)
        boxes.append(SetBox(tuple(p - 0.035), tuple(p + 0.035), orange))
    return boxes


def overview_camera(st: Staged, pts: np.ndarray) -> Camera:
    """A camera high up and off to one side of the line from the body to the recommended camera."""
    eye = st.camera.pose[:3, 3]
    centre = pts.mean(axis=0)
    v = eye - centre
    v[2] = 0.0
    v /= np.linalg.norm(v)
    side = np.array([-v[1], v[0], 0.0])
    direction = 0.55 * side - 0.45 * v  # beside the line, a little behind the body: both in view
    everything = np.concatenate([pts, eye[None], np.array([[eye[0], eye[1], 0.0]])])
    target = (everything.min(axis=0) + everything.max(axis=0)) / 2
    target[2] = 0.3
    cam = fit_camera(direction, 3.2, target, everything, yfov_deg=45.0, margin=0.1, min_dist=2.5)
    return replace(cam, width=PANEL_W, height=PANEL_H)


def render_shot(shot: Shot) -> np.ndarray:
    spec = Spec(shot.exercise, "left", shot.camera, "unused.mp4", seed=shot.seed, reps=1, hold_s=8.0, view=shot.view)
    st = stage(spec)
    i = middle_frame(st)
    if st.ball is not None:  # the ball's rest size comes from the first frame, as samplegen renders it
        st.ball.verts(st.clip.pose(st.human, 0, skin=False).points)
    verts = st.verts(i)
    view_cam = replace(st.camera, width=PANEL_W, height=PANEL_H)
    r = Renderer(view_cam, st.boxes, st.light, st.faces, st.colors, bg=st.look.wall)
    seen = r.frame(verts)
    r.close()
    body = verts[:: max(len(verts) // 400, 1)]
    over_cam = overview_camera(st, body)
    centre = (body.min(axis=0) + body.max(axis=0)) / 2
    r = Renderer(over_cam, st.boxes + camera_marker(st.camera, centre), st.light, st.faces, st.colors, bg=st.look.wall)
    above = r.frame(verts)
    r.close()
    return compose(above, seen, shot)


def compose(above: np.ndarray, seen: np.ndarray, shot: Shot) -> np.ndarray:
    from PIL import Image, ImageDraw, ImageFont

    gap, head, foot = 8, 30, 30
    img = Image.new("RGB", (2 * PANEL_W + gap, head + PANEL_H + foot), (255, 255, 255))
    img.paste(Image.fromarray(above), (0, head))
    img.paste(Image.fromarray(seen), (PANEL_W + gap, head))
    draw = ImageDraw.Draw(img)
    try:
        font = ImageFont.truetype("DejaVuSans.ttf", 15)
    except OSError:
        font = ImageFont.load_default()
    draw.text((6, 7), f"{shot.exercise}: where the camera goes", fill=(0, 0, 0), font=font)
    draw.text((PANEL_W + gap + 6, 7), "what it sees", fill=(0, 0, 0), font=font)
    draw.text((6, head + PANEL_H + 7), f"Camera: {shot.caption}", fill=(0, 0, 0), font=font)
    return np.asarray(img)


def save_small(rgb: np.ndarray, path: Path) -> None:
    from PIL import Image

    Image.fromarray(rgb).quantize(colors=COLORS, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "images", help="output folder")
    ap.add_argument("--only", help="one exercise")
    args = ap.parse_args(argv)
    shots = [s for s in SHOTS if args.only in (None, s.exercise)]
    if not shots:
        print(f"camera_pictures: unknown exercise {args.only!r}", file=sys.stderr)
        return 2
    try:
        import pyrender  # noqa: F401
    except ImportError:
        print("camera_pictures: needs the render extras: bash scripts/install.sh --render", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    for shot in shots:
        path = args.out / f"camera-{shot.exercise}.png"
        save_small(render_shot(shot), path)
        print(f"{path} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
