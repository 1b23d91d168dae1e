"""One benchmark clip's random spec, drawn from ``numpy.random.default_rng([seed, index])``.

Clip ``index`` does ``EXERCISES[index % 4]`` and belongs to the ``test`` half when
``(index // 4) % 2 == 0``, else to ``tune``: any prefix of the indices is balanced across
exercises, and across halves within each exercise (to one clip).  Clips with
``(index // 8) % 10 == 9`` are negatives (the position, no rep or hold).  The draw depends on
(seed, index, version) only, so any slice of the benchmark renders the same clips.

Draw versions differ in the camera's azimuth only (every other draw is the same):
1 draws it across every preset of the exercise; 2 (the default) across the views posecheck
recommends or accepts (view.coached_sector), except one group of four clips in five
(``(index // 4) % 5 == 3``, both halves alike), drawn across every preset as in 1: views the
tool asks the user to leave, where it should say why it cannot count.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from samplegen.bench.view import HEIGHTS, coached_sector, nearest_preset, sector
from samplegen.pipeline import Spec

EXERCISES = ("leg-lift", "ball-squeeze", "figure-four", "seated-twist")
DRAW_VERSION = 2  # the current draw (module docstring); 1 reproduces the first benchmark
WIDE_EVERY = 5  # draw 2: clips (index // 4) % 5 == 3 take the camera across every preset
#: (width, height), weight: render time grows with the pixels
SIZES = (((640, 480), 0.32), ((854, 480), 0.26), ((960, 540), 0.20), ((1280, 720), 0.16), ((1920, 1080), 0.06))
FPS = ((24.0, 0.35), (25.0, 0.15), (30.0, 0.42), (50.0, 0.03), (60.0, 0.05))
P_ROLL = 0.6  # share of clips with a rolled camera (else level)
ROLL_MAX_DEG = 15.0
BODY_FRAC = (0.33, 0.9)
YFOV_DEG = (40.0, 60.0)
TEMPO_S = (0.8, 4.0)  # up + down time of one rep, log-uniform (median 1.8 s)
NEGATIVE_EVERY = 10  # clips index // 8 == 9 (mod 10) are negatives: the position with no rep / no hold,
# one in ten per exercise and split (at n=160: 2 test + 2 tune per exercise)
P_FAULTY = 0.6  # a clip with faults; then each rep (hold: 1-2 spells) gets one
P_REP_FAULT = 0.5
CLIP_S = (10.0, 20.0)  # budget for the rep exercises' motion; clips run ~8-21 s
# leg lift: the leg-to-leg angle wanted at the top (solved for the body; the top dwell wavers -2..+1 deg
# and the fidget adds up to 1.5).  docs/exercises.md: a rep needs > 20 deg, > 60 deg is too high; clean reps
# keep clear of both lines; a partial lift stays under 20, at least 3 deg above the body's resting angle
LIFT_CLEAN_DEG = (25.0, 55.0)
LIFT_HIGH_DEG = (65.0, 75.0)
LIFT_PARTIAL_DEG = (11.0, 14.5)
DWELL_S = (1.2, 3.0)  # docs/exercises.md: hold 1-3 s at the top; no_hold dwells 0-0.5 s
NO_HOLD_S = (0.0, 0.5)
SQUEEZE_CM = (1.5, 8.0)
SQUEEZE_HOLD_S = (0.0, 3.0)
HOLD_S = (4.0, 12.0)
TRANSITION_S = (1.0, 3.0)
HIP_FLEX_DEG = (65.0, 110.0)  # docs/exercises.md: support hip flexion > 60 deg
TWIST_DEG = (22.0, 60.0)  # docs/exercises.md: rotation >= 20 deg (no_rotation spells keep 15 % of it)
EPISODE_S = (1.5, 4.0)


@dataclass
class BenchClip:
    index: int
    name: str
    exercise: str
    split: str
    spec: Spec
    factors: dict


def exercise_of(index: int) -> str:
    return EXERCISES[index % len(EXERCISES)]


def split_of(index: int) -> str:
    return "test" if (index // len(EXERCISES)) % 2 == 0 else "tune"


def negative_of(index: int) -> bool:
    return (index // (2 * len(EXERCISES))) % NEGATIVE_EVERY == NEGATIVE_EVERY - 1


def wide_of(index: int, version: int = DRAW_VERSION) -> bool:
    """The camera drawn across every preset of the exercise, recommended or not."""
    return version == 1 or (index // 4) % WIDE_EVERY == 3


def clip_name(index: int) -> str:
    return f"b{index:04d}_{exercise_of(index)}_{split_of(index)}"


def _choice(rng: np.random.Generator, table: tuple) -> object:
    values, weights = zip(*table, strict=True)
    return values[int(rng.choice(len(values), p=np.asarray(weights) / sum(weights)))]


def _u(rng: np.random.Generator, lo_hi: tuple[float, float]) -> float:
    return round(float(rng.uniform(*lo_hi)), 3)


def _tempo(rng: np.random.Generator) -> float:
    return round(float(np.exp(rng.uniform(*np.log(TEMPO_S)))), 3)


def _rep_count(rng: np.random.Generator, per_rep_s: float, lead_s: float) -> int:
    return int(np.clip(round((_u(rng, CLIP_S) - lead_s) / per_rep_s), 2, 6))


def _lift_fault(rng: np.random.Generator, o: dict[str, float], k: int) -> str:
    """Draw a fault for rep ``k`` and act it out in its overrides ``o``."""
    name = str(rng.choice(["leg_forward", "knee_bent", "hip_hike", "too_high", "no_hold"]))
    if name == "too_high":
        o["angle"] = _u(rng, LIFT_HIGH_DEG)
    elif name == "no_hold":
        o["dwell"] = _u(rng, NO_HOLD_S)
    return f"{name}@{k}"


def _leg_lift(rng: np.random.Generator, negative: bool) -> tuple[dict, dict]:
    if negative:
        idle = _u(rng, (8.0, 12.0))
        return {"reps": 0, "motion": {"idle_s": idle}}, {"negative": True, "idle_s": idle}
    tempo, dwell, amp = _tempo(rng), _u(rng, DWELL_S), _u(rng, LIFT_CLEAN_DEG)
    rest = _u(rng, (0.4, 1.5))
    extra = _u(rng, (3.0, 6.0)) if rng.random() < 0.3 else 0.0
    reps = _rep_count(rng, tempo + dwell + rest, 1.1 + extra)
    faulty = rng.random() < P_FAULTY
    partial = int(rng.integers(2, reps + 1)) if reps >= 3 and rng.random() < 0.25 else 0
    mid_rest = (int(rng.integers(1, reps)), extra) if extra else None
    over: dict[int, dict[str, float]] = {}
    faults: list[str] = []
    for k in range(1, reps + 1):
        t = tempo * float(rng.uniform(0.9, 1.1))
        share = float(rng.uniform(0.4, 0.6))
        o = {
            "rise": round(t * share, 3),
            "lower": round(t * (1 - share), 3),
            "dwell": round(float(np.clip(dwell + rng.uniform(-0.2, 0.2), *DWELL_S)), 3),
            "rest": round(rest * float(rng.uniform(0.8, 1.2)), 3),
            "angle": round(float(np.clip(amp + rng.uniform(-3, 3), *LIFT_CLEAN_DEG)), 2),
        }
        if mid_rest and k == mid_rest[0]:
            o["rest"] += mid_rest[1]
        if k == partial:
            o["angle"], o["partial"] = _u(rng, LIFT_PARTIAL_DEG), 1.0
        elif faulty and rng.random() < P_REP_FAULT:
            faults.append(_lift_fault(rng, o, k))
        over[k] = o
    jitter = _u(rng, (0.3, 1.5))
    if faulty and not faults:  # a faulty clip has one fault at least (drawn last: the other draws stay)
        k = int(rng.choice([j for j in over if j != partial]))
        faults.append(_lift_fault(rng, over[k], k))
    motion = {"overrides": over, "jitter_deg": jitter}
    factors = {
        "negative": False,
        "reps": reps - bool(partial),
        "tempo_s": tempo,
        "dwell_s": dwell,
        "rest_s": rest,
        "amplitude": amp,
        "amplitude_unit": "deg leg-to-leg angle wanted (the label's peak_angle_deg is measured)",
        "partial_rep": partial or None,
        "mid_rest": {"after_rep": mid_rest[0], "extra_s": mid_rest[1]} if mid_rest else None,
        "fidget": jitter,
    }
    return {"reps": reps, "faults": faults, "motion": motion}, factors


def _ball_squeeze(rng: np.random.Generator, negative: bool) -> tuple[dict, dict]:
    if negative:
        idle = _u(rng, (6.0, 10.0))
        return {"reps": 0, "motion": {"idle_s": idle}}, {"negative": True, "idle_s": idle}
    tempo, hold, cm = _tempo(rng), _u(rng, SQUEEZE_HOLD_S), _u(rng, SQUEEZE_CM)
    rest = _u(rng, (0.4, 2.0))
    two_sets, pause = rng.random() < 0.3, _u(rng, (3.0, 8.0))
    reps = _rep_count(rng, tempo + hold + rest, 3.5 + (pause if two_sets else 0.0))
    sets = 2 if two_sets and reps >= 3 else 1
    faulty = rng.random() < P_FAULTY
    over: dict[int, dict[str, float]] = {}
    faults: list[str] = []
    for k in range(1, reps + 1):
        t = tempo * float(rng.uniform(0.9, 1.1))
        over[k] = {
            "ramp": round(t / 2, 3),
            "rel": round(t / 2, 3),
            "hold": round(float(np.clip(hold + rng.uniform(-0.3, 0.3), *SQUEEZE_HOLD_S)), 3),
            "rest": round(rest * float(rng.uniform(0.8, 1.2)), 3),
            "cm": round(float(np.clip(cm * rng.uniform(0.85, 1.15), *SQUEEZE_CM)), 2),
        }
        if faulty and rng.random() < P_REP_FAULT:
            faults.append(f"hips_lifted@{k}")
    nod = _u(rng, (0.02, 0.12))
    if faulty and not faults:  # a faulty clip has one fault at least (drawn last: the other draws stay)
        faults.append(f"hips_lifted@{int(rng.integers(1, reps + 1))}")
    factors = {
        "negative": False,
        "reps": reps,
        "sets": sets,
        "set_pause_s": pause if sets > 1 else None,
        "tempo_s": tempo,
        "dwell_s": hold,
        "rest_s": rest,
        "amplitude": cm,
        "amplitude_unit": "cm knee travel commanded (the label's peak_angle_deg is measured)",
        "fidget": nod,
    }
    spec = {"reps": reps, "faults": faults, "sets": sets, "set_pause_s": pause if sets > 1 else 3.0}
    return {**spec, "motion": {"overrides": over, "nod": nod}}, factors


def _episodes(rng: np.random.Generator, hold: float, names: tuple[str, str]) -> list[str]:
    """1-2 non-overlapping fault spells, seconds into the hold, clear of its ends by 0.8 s."""
    out: list[str] = []
    free = 0.8
    for _ in range(int(rng.integers(1, 3))):
        length = _u(rng, EPISODE_S)
        latest = hold - 0.8 - length
        if latest < free:
            break
        start = round(float(rng.uniform(free, latest)), 2)
        out.append(f"{rng.choice(names)}@{start}-{round(start + length, 2)}")
        free = start + length + 1.0
    return out


def _hold(rng: np.random.Generator, exercise: str, negative: bool) -> tuple[dict, dict]:
    if negative:
        idle = _u(rng, (8.0, 12.0))
        return {"motion": {"negative": True, "idle_s": idle}}, {"negative": True, "idle_s": idle}
    hold, trans = _u(rng, HOLD_S), _u(rng, TRANSITION_S)
    if exercise == "figure-four":
        amp, unit, names = _u(rng, HIP_FLEX_DEG), "deg support hip flexion", ("knee_inward", "ankle_off_thigh")
        motion: dict = {"hip_flex": amp, "fidget": _u(rng, (0.0, 0.12))}
    else:
        amp, unit, names = _u(rng, TWIST_DEG), "deg commanded trunk rotation", ("hip_lifted", "no_rotation")
        motion = {"twist_deg": amp, "fidget": _u(rng, (0.0, 3.0))}
    faults = _episodes(rng, hold, names) if rng.random() < P_FAULTY else []
    motion["transition_s"] = trans
    factors = {
        "negative": False,
        "hold_s": hold,
        "tempo_s": trans,
        "tempo_is": "transition into / out of the pose, s",
        "amplitude": amp,
        "amplitude_unit": unit,
        "fidget": motion["fidget"],
    }
    return {"hold_s": hold, "faults": faults, "motion": motion}, factors


def draw(seed: int, index: int, out_dir: str = ".", version: int = DRAW_VERSION) -> BenchClip:
    """The spec and factors of clip ``index`` (see the module docstring)."""
    if version not in (1, 2):
        raise ValueError(f"unknown draw version {version}: 1 or 2")
    rng = np.random.default_rng([seed, index])
    exercise = exercise_of(index)
    body = "female" if rng.random() < 0.5 else "male"
    body_seed = int(rng.integers(0, 2**31 - 1))
    side = "left" if rng.random() < 0.5 else "right"
    width, height = _choice(rng, SIZES)  # type: ignore[misc]
    fps = float(_choice(rng, FPS))  # type: ignore[arg-type]
    wide = wide_of(index, version)
    lo, hi = sector(exercise) if wide else coached_sector(exercise)
    view = {
        "azimuth_deg": _u(rng, (lo, hi)),
        "height_m": _u(rng, HEIGHTS[exercise]),
        "body_frac": _u(rng, BODY_FRAC),
        "yfov_deg": _u(rng, YFOV_DEG),
    }
    roll = _u(rng, (-ROLL_MAX_DEG, ROLL_MAX_DEG)) if rng.random() < P_ROLL else 0.0
    if exercise == "leg-lift":
        kw, motion_factors = _leg_lift(rng, negative_of(index))
    elif exercise == "ball-squeeze":
        kw, motion_factors = _ball_squeeze(rng, negative_of(index))
    else:
        kw, motion_factors = _hold(rng, exercise, negative_of(index))
    name = clip_name(index)
    camera = nearest_preset(exercise, view["azimuth_deg"])
    spec = Spec(
        exercise=exercise,
        side=side,
        camera=camera,
        output=f"{out_dir}/{name}.mp4",
        body=body,
        seed=body_seed,
        fps=fps,
        roll=roll,
        width=int(width),
        height=int(height),
        view=view,
        **kw,
    )
    factors = {
        "body": body,
        "body_seed": body_seed,
        "side": side,
        "camera": camera,
        "camera_is": "the exercise's preset nearest in azimuth (the camera itself is aimed, see view)",
        "draw": version,
        "views": "every preset" if wide else "coached",
        **{f"drawn_{k}": v for k, v in view.items()},
        "roll_deg": roll,
        "width": int(width),
        "height": int(height),
        "fps": fps,
        "faults": list(kw.get("faults", [])),
        **motion_factors,
    }
    return BenchClip(index, name, exercise, split_of(index), spec, factors)
