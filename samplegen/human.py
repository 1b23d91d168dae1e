"""Load the vendored CC0 human (mesh, reduced rig, skin weights, shape targets).

Data: ``samplegen/data/human.npz`` built by ``samplegen/tools/build_data.py`` from
the MakeHuman/MPFB2 base mesh (CC0-1.0, see ``samplegen/data/LICENSE.md``).
Coordinates are metres, Z up; the person's left is +X and their front is -Y.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent / "data" / "human.npz"

#: shape-target mixes per body kind; each value is {target name: weight}
BODIES: dict[str, dict[str, float]] = {
    "female": {"female": 1.0},
    "male": {"male": 1.0},
}
#: targets that may be mixed in per seed for build variation, by body kind
BUILD_VARIANTS: dict[str, tuple[str, ...]] = {
    "female": ("female_thin", "female_heavy"),
    "male": ("male_thin", "male_heavy", "male_muscle"),
}
PART_BODY, PART_LEYE, PART_REYE, PART_HAIR = 0, 1, 2, 3


@dataclass(frozen=True)
class Human:
    """One shaped body in its rest (A-) pose."""

    verts: np.ndarray  # (N, 3) rest vertices
    faces: np.ndarray  # (F, 3) triangles
    part: np.ndarray  # (N,) PART_* code
    bones: tuple[str, ...]
    parents: np.ndarray  # (B,) parent bone index, -1 for the root
    w_idx: np.ndarray  # (N, 4) bone indices
    w_val: np.ndarray  # (N, 4) weights summing to 1
    points: dict[str, np.ndarray]  # rest joint heads and a few named points

    def __post_init__(self) -> None:
        n = len(self.verts)
        if self.verts.shape != (n, 3) or self.w_idx.shape != (n, 4) or self.part.shape != (n,):
            raise ValueError(
                f"inconsistent human arrays: verts {self.verts.shape}, w_idx {self.w_idx.shape}, part {self.part.shape}"
            )

    def bone(self, name: str) -> int:
        return self.bones.index(name)


@lru_cache(maxsize=1)
def _raw() -> dict[str, np.ndarray]:
    with np.load(DATA) as z:
        return {k: z[k] for k in z.files}


def load_human(body: str = "female", build: dict[str, float] | None = None) -> Human:
    """Return the base mesh shaped as ``body`` plus optional extra target weights."""
    if body not in BODIES:
        raise ValueError(f"unknown body {body!r}; known: {sorted(BODIES)}")
    raw = _raw()
    mix = dict(BODIES[body])
    for k, w in (build or {}).items():
        mix[k] = mix.get(k, 0.0) + w
    verts = raw["verts"].astype(np.float64)
    points = raw["points"].astype(np.float64)
    for name, w in mix.items():
        verts = verts + w * raw[f"target_{name}"].astype(np.float64)
        points = points + w * raw[f"tpoints_{name}"].astype(np.float64)
    names = [str(s) for s in raw["point_names"]]
    return Human(
        verts=verts,
        faces=raw["faces"].astype(np.int32),
        part=raw["part"].astype(np.int32),
        bones=tuple(str(s) for s in raw["bones"]),
        parents=raw["parents"].astype(np.int64),
        w_idx=raw["w_idx"].astype(np.int64),
        w_val=raw["w_val"].astype(np.float64),
        points=dict(zip(names, points, strict=True)),
    )


def random_build(body: str, rng: np.random.Generator) -> dict[str, float]:
    """A mild random build (thin/heavy/muscular) for ``body``."""
    return {t: float(rng.uniform(0.0, 0.5)) for t in BUILD_VARIANTS[body] if rng.random() < 0.5}
