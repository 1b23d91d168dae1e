"""Offscreen rendering of a skinned body on a mat with pyrender.

``pyrender`` is imported lazily inside ``Renderer`` so the rest of samplegen
(motions, labels, tests) works without it. Set ``PYOPENGL_PLATFORM=osmesa``
(or ``egl``) before the first ``Renderer`` is built; the CLI does that.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from samplegen.camera import Camera


@dataclass(frozen=True)
class Lighting:
    sun_dir: np.ndarray  # direction light travels (world)
    sun_intensity: float
    fill_intensity: float
    ambient: float


def random_lighting(rng: np.random.Generator) -> Lighting:
    az = rng.uniform(0, 2 * np.pi)
    el = np.radians(rng.uniform(45, 75))
    d = -np.array([np.cos(az) * np.cos(el), np.sin(az) * np.cos(el), np.sin(el)])
    return Lighting(
        sun_dir=d,
        sun_intensity=float(rng.uniform(2.5, 4.0)),
        fill_intensity=float(rng.uniform(0.8, 1.6)),
        ambient=float(rng.uniform(0.25, 0.4)),
    )


def vertex_normals(verts: np.ndarray, faces: np.ndarray) -> np.ndarray:
    fn = np.cross(verts[faces[:, 1]] - verts[faces[:, 0]], verts[faces[:, 2]] - verts[faces[:, 0]])
    n = np.zeros_like(verts)
    for k in range(3):
        np.add.at(n, faces[:, k], fn)
    return n / np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-12)


def _dir_pose(direction: np.ndarray) -> np.ndarray:
    """Node pose whose -Z axis points along ``direction``."""
    z = -direction / np.linalg.norm(direction)
    x = np.cross([0.0, 0.0, 1.0], z)
    if np.linalg.norm(x) < 1e-6:
        x = np.array([1.0, 0.0, 0.0])
    x /= np.linalg.norm(x)
    m = np.eye(4)
    m[:3, 0], m[:3, 1], m[:3, 2] = x, np.cross(z, x), z
    return m


@dataclass(frozen=True)
class SetBox:
    """An axis-aligned box (mat, floor, wall) with a flat colour."""

    lo: tuple[float, float, float]
    hi: tuple[float, float, float]
    color: tuple[float, float, float]


class Renderer:
    """Keeps a pyrender scene; ``frame()`` swaps the body mesh and renders RGB."""

    def __init__(
        self,
        camera: Camera,
        boxes: list[SetBox],
        light: Lighting,
        faces: np.ndarray,
        colors: np.ndarray,
        bg: tuple[float, float, float] = (0.8, 0.8, 0.8),
    ) -> None:
        if not hasattr(np, "infty"):  # pyrender 0.1.45 still uses np.infty (gone in numpy 2)
            np.infty = np.inf  # type: ignore[attr-defined]
        import pyrender
        import trimesh

        self._pr = pyrender
        self.faces = faces.astype(np.uint32)
        self.colors = np.concatenate([colors, np.ones((len(colors), 1))], axis=1).astype(np.float32)
        self.scene = pyrender.Scene(bg_color=[*bg, 1.0], ambient_light=[light.ambient] * 3)
        for b in boxes:
            lo, hi = np.asarray(b.lo), np.asarray(b.hi)
            box = trimesh.creation.box(extents=hi - lo)
            box.apply_translation((lo + hi) / 2)
            mat = pyrender.MetallicRoughnessMaterial(
                baseColorFactor=[*b.color, 1.0], metallicFactor=0.0, roughnessFactor=0.9
            )
            self.scene.add(pyrender.Mesh.from_trimesh(box, material=mat, smooth=False))
        self.scene.add(pyrender.DirectionalLight(intensity=light.sun_intensity), pose=_dir_pose(light.sun_dir))
        fill = -light.sun_dir * np.array([1.0, 1.0, -0.3])
        self.scene.add(pyrender.DirectionalLight(intensity=light.fill_intensity), pose=_dir_pose(fill))
        self.scene.add(
            pyrender.PerspectiveCamera(yfov=camera.yfov, aspectRatio=camera.width / camera.height), pose=camera.pose
        )
        self.material = pyrender.MetallicRoughnessMaterial(
            baseColorFactor=[1.0, 1.0, 1.0, 1.0], metallicFactor=0.0, roughnessFactor=0.75
        )
        self.renderer = pyrender.OffscreenRenderer(camera.width, camera.height)
        self._node = None
        self._prim = None

    def frame(self, verts: np.ndarray) -> np.ndarray:
        """Render the body with vertices ``verts``; returns (H, W, 3) uint8 RGB.

        The body's vertex buffer is created once and then overwritten in place:
        swapping meshes per frame leaks ~14 MB a frame under OSMesa.
        """
        pr = self._pr
        pos = verts.astype(np.float32)
        nrm = vertex_normals(verts, self.faces).astype(np.float32)
        if self._node is None:
            self._prim = pr.Primitive(
                positions=pos, normals=nrm, color_0=self.colors, indices=self.faces, material=self.material
            )
            self._node = self.scene.add(pr.Mesh([self._prim]))
        elif self._prim._in_context():
            from OpenGL import GL

            data = np.ascontiguousarray(np.hstack([pos, nrm, self.colors]).ravel())
            GL.glBindBuffer(GL.GL_ARRAY_BUFFER, self._prim._buffers[0])
            GL.glBufferSubData(GL.GL_ARRAY_BUFFER, 0, data.nbytes, data)
        color, _ = self.renderer.render(self.scene, flags=pr.RenderFlags.SHADOWS_DIRECTIONAL)
        return np.ascontiguousarray(color[..., :3])

    def close(self) -> None:
        self.renderer.delete()
