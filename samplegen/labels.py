"""Ground-truth labels (docs/labels.md shape) and per-frame landmark truth."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from samplegen.camera import Camera
from samplegen.motions.base import Clip

#: MediaPipe Pose landmark index -> rig point that stands for it
MP_POINTS: dict[int, str] = {
    2: "eye.L",
    5: "eye.R",
    11: "upperarm01.L",
    12: "upperarm01.R",
    13: "lowerarm01.L",
    14: "lowerarm01.R",
    15: "wrist.L",
    16: "wrist.R",
    23: "upperleg01.L",
    24: "upperleg01.R",
    25: "lowerleg01.L",
    26: "lowerleg01.R",
    27: "foot.L",
    28: "foot.R",
    31: "toe_base.L",
    32: "toe_base.R",
}
#: the joints used for the landmark-error figure (shoulders .. ankles)
CORE = (11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28)


def landmark_array(points: dict[str, np.ndarray]) -> np.ndarray:
    """(33, 3) world positions; NaN where the rig has no counterpart."""
    out = np.full((33, 3), np.nan)
    for i, name in MP_POINTS.items():
        out[i] = points[name]
    return out


def _r(x: float) -> float:
    return round(float(x), 3)


def rep_labels(clip: Clip, trace: np.ndarray) -> list[dict]:
    """Reps measured on the ground-truth trace, one per commanded rep."""
    fps = clip.fps
    out = []
    for plan in clip.reps:
        i0 = max(int(plan.start_s * fps) - 1, 0)
        i1 = min(int(plan.end_s * fps) + 2, len(trace) - 1)
        base = float(min(trace[i0], trace[i1]))
        seg = trace[i0 : i1 + 1]
        k = int(np.argmax(seg))
        peak = float(seg[k])
        up = np.nonzero(seg[: k + 1] <= base + clip.rest_margin)[0]
        dn = np.nonzero(seg[k:] <= base + clip.rest_margin)[0]
        s = i0 + (int(up[-1]) if len(up) else 0)
        e = i0 + k + (int(dn[0]) if len(dn) else len(seg) - 1 - k)
        near = float(np.sum(seg >= peak - clip.near_peak)) / fps
        out.append(
            {
                "side": plan.side,
                "start_s": _r(s / fps),
                "peak_s": _r((i0 + k) / fps),
                "end_s": _r(e / fps),
                "peak_angle_deg": round(peak, 2),
                "rest_value": round(base, 2),
                "measure_unit": clip.measure_unit,
                "hold_s": _r(near),
                "faults": list(plan.faults),
            }
        )
    return out


def set_labels(clip: Clip) -> list[dict]:
    sets: list[dict] = []
    starts = {0, *[int(g) for g in clip.set_gaps_s]}
    for i, rep in enumerate(clip.reps):
        if i in starts or not sets or sets[-1]["side"] != rep.side:
            sets.append({"side": rep.side, "reps": 0})
        sets[-1]["reps"] += 1
    return sets


def hold_labels(clip: Clip) -> list[dict]:
    out = []
    for h in clip.holds:
        bad = sum(e.end_s - e.start_s for e in h.episodes)
        out.append(
            {
                "side": h.side,
                "start_s": _r(h.start_s),
                "end_s": _r(h.end_s),
                "valid_s": _r(h.end_s - h.start_s - bad),
                "faults": sorted({e.fault for e in h.episodes}),
                "episodes": [{"fault": e.fault, "start_s": _r(e.start_s), "end_s": _r(e.end_s)} for e in h.episodes],
            }
        )
    return out


def build_label(clip: Clip, video: str, camera_name: str, camera: Camera, world: np.ndarray, meta: dict) -> dict:
    """The label JSON; ``world`` is (frames, 33, 3) ground-truth landmarks."""
    label: dict = {
        "schema": 1,
        "video": video,
        "exercise": clip.exercise,
        "fps": clip.fps,
        "duration_s": _r(clip.duration_s),
        "camera": camera_name,
        "reps": [],
        "holds": [],
        "sets": [],
        "cues": [],
        "frames": {"total": len(clip.frames), "with_pose": len(clip.frames)},
        "synthetic": True,
        "generator": meta,
        "camera_model": camera.to_json(),
        "ground_truth_landmarks": Path(video).with_suffix(".gt.npz").name,
    }
    if clip.reps:
        label["reps"] = rep_labels(clip, np.asarray(meta.pop("_trace")))
        label["sets"] = set_labels(clip)
        label["angle_definition"] = clip.measure_definition
    if clip.holds:
        label["holds"] = hold_labels(clip)
        label["hold_definition"] = (
            "start_s/end_s: every check of the exercise holds; valid_s excludes the fault episodes"
        )
    meta.pop("_trace", None)
    return label


def save_truth(path: Path, world: np.ndarray, camera: Camera, fps: float) -> None:
    """Per-frame world (metres) and pixel landmarks, MediaPipe indexing, NaN = none."""
    px = camera.project(world)
    np.savez_compressed(
        path,
        world=world.astype(np.float32),
        pixels=px.astype(np.float32),
        fps=np.float32(fps),
        indices=np.array(sorted(MP_POINTS)),
    )
