"""One sample from a spec: motion -> poses -> camera -> frames -> MP4 + label + truth."""

from __future__ import annotations

import json
import multiprocessing as mp
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from samplegen.appearance import Look, random_look, vertex_colors
from samplegen.camera import HEIGHT, WIDTH, Camera, preset_camera
from samplegen.human import PART_HAIR, Human, load_human, random_build
from samplegen.labels import build_label, landmark_array, rep_labels, save_truth
from samplegen.motions.base import Clip
from samplegen.motions.registry import build_clip
from samplegen.render import Lighting, Renderer, SetBox, random_lighting

MAT_TOP = 0.01
CHUNK = 150  # frames rendered per child process
KNEE_HALF_WIDTH = 0.05  # knee joint centre to skin, m (for the ball prop)


class Ball:
    """A soft ball squashed between the knees: an ellipsoid placed per frame."""

    def __init__(self, color: tuple[float, float, float]) -> None:
        import trimesh

        sph = trimesh.creation.icosphere(subdivisions=3)
        self.unit = np.asarray(sph.vertices)
        self.faces = np.asarray(sph.faces, dtype=np.int32)
        self.colors = np.tile(np.asarray(color), (len(self.unit), 1))
        self.r0: float | None = None

    def verts(self, points: dict[str, np.ndarray]) -> np.ndarray:
        a, b = points["lowerleg01.L"], points["lowerleg01.R"]
        axis = (a - b) / np.linalg.norm(a - b)
        rx = max((np.linalg.norm(a - b) - 2 * KNEE_HALF_WIDTH) / 2, 0.02)
        if self.r0 is None:
            self.r0 = rx
        ro = self.r0 * np.sqrt(self.r0 / rx)
        up = np.array([0.0, 0.0, 1.0])
        e2 = np.cross(up, axis)
        e2 /= np.linalg.norm(e2)
        e3 = np.cross(axis, e2)
        m = np.stack([axis * rx, e2 * ro, e3 * ro], axis=1)
        centre = (a + b) / 2 - up * 0.015
        return self.unit @ m.T + centre


@dataclass
class Spec:
    """Everything that determines one sample (the CLI flags)."""

    exercise: str
    side: str
    camera: str
    output: str
    body: str = "female"
    seed: int = 0
    reps: int = 5
    faults: list[str] = field(default_factory=list)  # "name@2,4" or "name@3.5-6"
    hold_s: float = 14.0
    sets: int = 1
    set_pause_s: float = 3.0
    fps: float = 30.0
    roll: float = 0.0  # camera roll about its viewing axis, degrees (a phone propped crookedly)
    width: int = WIDTH  # picture size, pixels; the camera frames the body the same at any 4:3 size
    height: int = HEIGHT
    motion: dict = field(default_factory=dict)  # extra motion-script knobs (samplegen.bench draws them)
    view: dict | None = None  # aimed camera instead of the preset (samplegen.bench.view.aimed_camera)


def parse_faults(items: list[str]) -> tuple[dict[int, tuple[str, ...]], list[tuple[str, float, float]]]:
    """``name@1,3`` -> rep faults; ``name@4.0-7.5`` -> an episode (seconds into the hold)."""
    reps: dict[int, tuple[str, ...]] = {}
    episodes: list[tuple[str, float, float]] = []
    for item in items:
        name, _, where = item.partition("@")
        if not where:
            raise ValueError(f"fault {item!r}: expected NAME@REPS or NAME@START-END")
        for part in where.split(","):
            if "-" in part:
                a, b = (float(x) for x in part.split("-"))
                episodes.append((name, a, b))
            else:
                k = int(part)
                reps[k] = tuple(sorted({*reps.get(k, ()), name}))
    return reps, episodes


def make_clip(spec: Spec) -> tuple[Clip, Human, np.random.Generator]:
    rng = np.random.default_rng(spec.seed)
    human = load_human(spec.body, random_build(spec.body, rng))
    rep_faults, episodes = parse_faults(spec.faults)
    clip = build_clip(
        spec.exercise,
        human,
        spec.side,
        rng,
        reps=spec.reps,
        faults=rep_faults,
        episodes=episodes,
        hold_s=spec.hold_s,
        sets=spec.sets,
        set_pause_s=spec.set_pause_s,
        fps=spec.fps,
        **spec.motion,
    )
    clip.ground(human, MAT_TOP)
    return clip, human, rng


def set_boxes(clip: Clip, pts: np.ndarray, look: Look) -> list[SetBox]:
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    c = (lo + hi) / 2
    d = clip.directions()["head"]
    long_x = abs(d[0]) >= abs(d[1])
    half = (1.0, 0.35) if long_x else (0.35, 1.0)
    mat = SetBox((c[0] - half[0], c[1] - half[1], 0.0), (c[0] + half[0], c[1] + half[1], MAT_TOP), look.mat)
    floor = SetBox((-6, -6, -0.02), (6, 6, 0.0), look.floor)
    return [floor, mat]


@dataclass
class Staged:
    """A sample ready to render: clip, body, look, camera, set, light, mesh."""

    clip: Clip
    human: Human
    look: Look
    camera: Camera
    boxes: list[SetBox]
    light: Lighting
    faces: np.ndarray
    colors: np.ndarray
    ball: Ball | None
    view: dict | None = None  # the aimed camera's measured placement (spec.view only)

    def verts(self, i: int) -> np.ndarray:
        posed = self.clip.pose(self.human, min(i, len(self.clip.frames) - 1))
        if self.ball is None:
            return posed.verts
        return np.concatenate([posed.verts, self.ball.verts(posed.points)])

    def renderer(self) -> Renderer:
        return Renderer(self.camera, self.boxes, self.light, self.faces, self.colors, bg=self.look.wall)


def stage(spec: Spec) -> Staged:
    """Everything but the pixels; deterministic for a given spec (seeded)."""
    clip, human, rng = make_clip(spec)
    n = len(clip.frames)
    look = random_look(rng)
    sample = [clip.pose(human, i).verts[::25] for i in range(0, n, max(n // 12, 1))]
    pts = np.concatenate(sample)
    side_sign = 1.0 if spec.side == "left" else -1.0
    view = None
    if spec.view is None:
        cam = preset_camera(spec.exercise, spec.camera, clip.directions(), pts, rng, side_sign, spec.roll)
        cam = replace(cam, width=spec.width, height=spec.height)
    else:
        from samplegen.bench.view import aimed_camera

        cam, view = aimed_camera(
            spec.exercise, clip.directions(), pts, side_sign, spec.width, spec.height, roll_deg=spec.roll, **spec.view
        )
    keep = human.part[human.faces].max(axis=1) != PART_HAIR
    faces, colors = human.faces[keep], vertex_colors(human, look)
    ball = Ball(tuple(rng.uniform(0.2, 0.9, 3))) if clip.ball else None
    if ball is not None:
        faces = np.concatenate([faces, ball.faces + len(colors)])
        colors = np.concatenate([colors, ball.colors])
    light = random_lighting(rng)
    return Staged(clip, human, look, cam, set_boxes(clip, pts, look), light, faces, colors, ball, view)


def render_frames(spec: Spec, frames: list[int]) -> np.ndarray:
    """RGB frames (k, H, W, 3); meant to run in a child process (see ``render_sample``)."""
    st = stage(spec)
    if st.ball is not None:  # the ball's rest size comes from the first frame
        st.ball.verts(st.clip.pose(st.human, 0, skin=False).points)
    r = st.renderer()
    out = np.stack([r.frame(st.verts(i)) for i in frames])
    r.close()
    return out


def render_sample(
    spec: Spec, preview: list[int] | None = None, preview_path: str | None = None, chunk: int = CHUNK
) -> dict:
    """Render ``spec`` to ``spec.output`` (+ .json, .gt.npz); returns the label.

    Frames are rendered in child processes of ``chunk`` frames each: pyrender
    under OSMesa leaks native memory (~10 MB a frame) that only process exit
    gives back.
    """
    import cv2

    t_start = time.time()
    st = stage(spec)
    clip, human, cam = st.clip, st.human, st.camera
    n = len(clip.frames)
    out = Path(spec.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    ctx = mp.get_context("spawn")
    if preview:
        from PIL import Image

        with ctx.Pool(1) as pool:
            imgs = pool.apply(render_frames, (spec, [min(i, n - 1) for i in preview]))
        Image.fromarray(np.concatenate(list(imgs), axis=1)).save(preview_path or out.with_suffix(".png"))
        return {}
    world = np.stack([landmark_array(clip.pose(human, i, skin=False).points) for i in range(n)])
    trace = [clip.measure(clip.pose(human, i, skin=False).points) for i in range(n)] if clip.measure else []
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), spec.fps, (cam.width, cam.height))
    with ctx.Pool(1, maxtasksperchild=1) as pool:
        for a in range(0, n, chunk):
            for rgb in pool.apply(render_frames, (spec, list(range(a, min(a + chunk, n))))):
                writer.write(cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    writer.release()
    # level, preset-camera clips' labels as before
    spec_json = {k: v for k, v in asdict(spec).items() if k not in ("roll", "motion", "view") or v}
    meta = {
        "tool": "samplegen",
        "spec": spec_json,
        "look": asdict(st.look),
        "render_s": round(time.time() - t_start, 1),
        "_trace": trace,
    }
    if st.view is not None:
        meta["view"] = st.view
    partials = rep_labels(replace(clip, reps=clip.partials), np.asarray(trace)) if clip.partials else []
    label = build_label(clip, out.name, spec.camera, cam, world, meta)
    if partials:  # lifts too small to be reps (samplegen.bench), kept out of "reps"
        label["partial_reps"] = partials
    if spec.roll:
        label["camera_roll_deg"] = spec.roll
    out.with_suffix(".json").write_text(json.dumps(label, indent=1) + "\n")
    save_truth(out.with_suffix(".gt.npz"), world, cam, spec.fps)
    return label
