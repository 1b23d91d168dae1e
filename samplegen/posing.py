"""Turn joint targets (positions, directions) into bone rotations.

Motion scripts describe a frame in the person's *canonical* frame (the rest
pose's axes: +X the person's left, -Y their front, +Z their head end, origin
at the rest pelvis) and a rigid placement into the world. ``PoseBuilder``
keeps rest segment geometry and offers limb helpers (two-bone IK with a pole,
straight limbs by direction) so scripts never handle bone rolls.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from samplegen.human import Human
from samplegen.skinning import forward_kinematics, global_rotations

LEFT = np.array([1.0, 0.0, 0.0])
FRONT = np.array([0.0, -1.0, 0.0])
UP = np.array([0.0, 0.0, 1.0])
SPINE = ("spine05", "spine04", "spine03", "spine02", "spine01")
NECK = ("neck01", "neck02", "neck03")


def unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    if n < 1e-12:
        raise ValueError("zero-length vector")
    return v / n


def rotvec(v: np.ndarray | list[float]) -> np.ndarray:
    """Rotation matrix of a rotation vector (axis * angle in radians), Rodrigues."""
    v = np.asarray(v, dtype=float)
    th = float(np.linalg.norm(v))
    if th < 1e-12:
        return np.eye(3)
    k = v / th
    kx = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    return np.eye(3) + np.sin(th) * kx + (1 - np.cos(th)) * kx @ kx


def log_rot(r: np.ndarray) -> np.ndarray:
    """Rotation vector of a rotation matrix (inverse of ``rotvec``)."""
    c = float(np.clip((np.trace(r) - 1) / 2, -1.0, 1.0))
    th = float(np.arccos(c))
    w = np.array([r[2, 1] - r[1, 2], r[0, 2] - r[2, 0], r[1, 0] - r[0, 1]])
    if th < 1e-9:
        return w / 2
    if np.pi - th < 1e-6:  # half-turn: axis from the symmetric part
        m = (r + np.eye(3)) / 2
        axis = m[int(np.argmax(np.diag(m)))]
        return th * axis / np.linalg.norm(axis)
    return th * w / (2 * np.sin(th))


def slerp(a: np.ndarray, b: np.ndarray, x: float) -> np.ndarray:
    """Rotation ``x`` of the way from ``a`` to ``b`` (x clipped to 0..1)."""
    x = float(np.clip(x, 0.0, 1.0))
    return a @ rotvec(x * log_rot(a.T @ b))


def rot_axis(axis: np.ndarray, deg: float) -> np.ndarray:
    return rotvec(unit(np.asarray(axis, dtype=float)) * np.radians(deg))


def frame(d: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """Orthonormal basis (columns) with first axis ``d`` and second close to ``ref``."""
    a = unit(d)
    b = ref - a * float(a @ ref)
    b = unit(b)
    return np.stack([a, b, np.cross(a, b)], axis=1)


def aim(d0: np.ndarray, r0: np.ndarray, d1: np.ndarray, r1: np.ndarray) -> np.ndarray:
    """Rotation taking direction ``d0`` to ``d1`` and reference ``r0`` towards ``r1``."""
    return frame(d1, r1) @ frame(d0, r0).T


def two_bone_ik(a: np.ndarray, c: np.ndarray, l1: float, l2: float, pole: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Middle joint and (reachable) end for a chain rooted at ``a`` aiming at ``c``.

    The middle joint bends towards ``pole`` (a direction). If ``c`` is out of
    reach the chain straightens towards it.
    """
    e = unit(c - a)
    d = float(np.clip(np.linalg.norm(c - a), abs(l1 - l2) + 1e-4, l1 + l2 - 1e-6))
    cos_a = (l1 * l1 + d * d - l2 * l2) / (2 * l1 * d)
    p = pole - e * float(e @ pole)
    p = unit(p) if np.linalg.norm(p) > 1e-9 else unit(np.cross(e, LEFT + 0.1 * UP))
    sin_a = np.sqrt(max(0.0, 1 - cos_a * cos_a))
    b = a + l1 * (cos_a * e + sin_a * p)
    return b, a + d * e


@dataclass
class Limb:
    """Rest geometry of a two-segment limb (hip-knee-ankle or shoulder-elbow-wrist)."""

    bones: tuple[str, ...]  # upper bone(s), lower bone(s) are set from the segments
    root: str
    mid: str
    end: str
    l1: float
    l2: float
    d1: np.ndarray  # rest upper direction
    d2: np.ndarray  # rest lower direction
    hinge: np.ndarray  # rest hinge axis (mid joint flexes about it)


@dataclass
class PoseBuilder:
    """Accumulates global bone rotations for one frame in canonical coordinates."""

    human: Human
    rot: dict[str, np.ndarray] = field(default_factory=dict)
    root: np.ndarray | None = None  # posed root head; default: its rest position

    def p(self, name: str) -> np.ndarray:
        """Rest position of a joint head or named point."""
        return self.human.points[name]

    @property
    def root_pos(self) -> np.ndarray:
        return self.human.points["root"] if self.root is None else self.root

    def at(self, bone: str) -> np.ndarray:
        """Posed head of ``bone`` given the rotations set so far."""
        rots = global_rotations(self.human, self.rot)
        return forward_kinematics(self.human, rots, self.root_pos)[self.human.bone(bone)]

    def limb(self, kind: str, side: str) -> Limb:
        if kind == "leg":
            names = ("upperleg01", "lowerleg01", "foot")
            hinge = LEFT
        else:
            names = ("upperarm01", "lowerarm01", "wrist")
            hinge = None
        root, mid, end = (f"{n}.{side}" for n in names)
        a, b, c = self.p(root), self.p(mid), self.p(end)
        d1, d2 = unit(b - a), unit(c - b)
        h = hinge if hinge is not None else unit(np.cross(d1, d2))
        return Limb(
            bones=names,
            root=root,
            mid=mid,
            end=end,
            l1=float(np.linalg.norm(b - a)),
            l2=float(np.linalg.norm(c - b)),
            d1=d1,
            d2=d2,
            hinge=h,
        )

    # --- trunk -------------------------------------------------------------
    def trunk(
        self,
        pelvis: np.ndarray,
        spine: np.ndarray | None = None,
        neck: np.ndarray | None = None,
        head: np.ndarray | None = None,
    ) -> None:
        """Pelvis rotation, then rotation vectors spread over spine, neck and head.

        ``spine``/``neck``/``head`` are rotation vectors (radians) relative to the
        segment below, expressed in the pelvis frame.
        """
        self.rot["root"] = pelvis
        sv = np.zeros(3) if spine is None else np.asarray(spine, dtype=float)
        nv = np.zeros(3) if neck is None else np.asarray(neck, dtype=float)
        hv = np.zeros(3) if head is None else np.asarray(head, dtype=float)
        for k, b in enumerate(SPINE):
            self.rot[b] = pelvis @ rotvec(sv * (k + 1) / len(SPINE))
        for k, b in enumerate(NECK):
            self.rot[b] = pelvis @ rotvec(sv + nv * (k + 1) / len(NECK))
        self.rot["head"] = pelvis @ rotvec(sv + nv + hv)

    # --- limbs -------------------------------------------------------------
    def set_limb(
        self,
        kind: str,
        side: str,
        root_pos: np.ndarray,
        mid: np.ndarray,
        end: np.ndarray,
        hinge_hint: np.ndarray,
        end_rot: np.ndarray | None = None,
    ) -> None:
        """Rotate a limb so its joints hit ``mid`` and ``end`` (from the posed root).

        ``hinge_hint`` fixes the limb's twist when it is straight: it is the
        axis about which the middle joint would flex (for a leg: knee front x leg
        direction). ``end_rot`` optionally rotates the foot/hand relative to the
        lower segment (default: keeps the rest ankle/wrist angle).
        """
        lb = self.limb(kind, side)
        u, v = unit(mid - root_pos), unit(end - mid)
        h = np.cross(u, v)
        hint = hinge_hint - u * float(u @ hinge_hint)
        h = unit(h + 0.15 * unit(hint)) if np.linalg.norm(h) > 0.05 else unit(hint)
        r_up = aim(lb.d1, lb.hinge, u, h)
        r_lo = aim(lb.d2, lb.hinge, v, h)
        up, lo, ex = lb.bones
        twin_up = "upperleg02" if kind == "leg" else "upperarm02"
        twin_lo = "lowerleg02" if kind == "leg" else "lowerarm02"
        self.rot[f"{up}.{side}"] = r_up
        self.rot[f"{twin_up}.{side}"] = r_up
        self.rot[f"{lo}.{side}"] = r_lo
        self.rot[f"{twin_lo}.{side}"] = r_lo
        self.rot[f"{ex}.{side}"] = r_lo if end_rot is None else r_lo @ end_rot

    def ik_limb(
        self,
        kind: str,
        side: str,
        root_pos: np.ndarray,
        target: np.ndarray,
        pole: np.ndarray,
        hinge_hint: np.ndarray,
        end_rot: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        lb = self.limb(kind, side)
        mid, end = two_bone_ik(root_pos, target, lb.l1, lb.l2, pole)
        self.set_limb(kind, side, root_pos, mid, end, hinge_hint, end_rot)
        return mid, end

    def straight_limb(
        self,
        kind: str,
        side: str,
        root_pos: np.ndarray,
        direction: np.ndarray,
        front: np.ndarray,
        bend_deg: float = 0.0,
        end_rot: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Limb pointing along ``direction`` with its knee/elbow front towards ``front``.

        ``bend_deg`` flexes the middle joint (a knee bends towards the back,
        i.e. away from ``front``; an elbow towards ``front``).
        """
        lb = self.limb(kind, side)
        d = unit(direction)
        f = unit(front - d * float(d @ front))
        hinge = np.cross(f, d) if kind == "leg" else np.cross(d, f)
        mid = root_pos + lb.l1 * d
        lower = rot_axis(hinge, bend_deg) @ d if bend_deg else d
        end = mid + lb.l2 * lower
        self.set_limb(kind, side, root_pos, mid, end, hinge, end_rot)
        return mid, end
