"""The peer (posecheck/peer.py): a plain peak counter on 2-D landmarks, the baseline eval scores beside the rules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

from posecheck import peer
from posecheck.pose import Landmark as L
from posecheck.pose import Pose

FPS = 30.0


def side_lying(t: float, lift_deg: float, side: str = "left", noise: float = 0.0, rng=None) -> Pose:
    """A person lying along the picture's x axis; the top leg (side) swung up by lift_deg at the hip."""
    image = np.full((33, 2), 0.5)
    hips = {"left": np.array([0.5, 0.52]), "right": np.array([0.5, 0.56])}
    for s, hip in hips.items():
        i_hip, i_knee, i_ankle = (
            (L.LEFT_HIP, L.LEFT_KNEE, L.LEFT_ANKLE) if s == "left" else (L.RIGHT_HIP, L.RIGHT_KNEE, L.RIGHT_ANKLE)
        )
        angle = np.radians(lift_deg if s == side else 0.0)
        direction = np.array([np.cos(angle), -np.sin(angle)])
        image[i_hip], image[i_knee], image[i_ankle] = hip, hip + 0.2 * direction, hip + 0.4 * direction
    image[L.LEFT_SHOULDER], image[L.RIGHT_SHOULDER] = [0.1, 0.52], [0.1, 0.56]
    if noise and rng is not None:
        image = image + rng.normal(0.0, noise, image.shape)
    return Pose(image / np.array([4 / 3, 1.0]), np.ones(33), None, t, 4 / 3)


def crook_lying(t: float, gap: float, noise: float = 0.0, rng=None) -> Pose:
    """Seen from the feet: hips 0.2 apart, knees `gap` hip widths apart."""
    image = np.full((33, 2), 0.5)
    image[L.LEFT_HIP], image[L.RIGHT_HIP] = [0.6, 0.6], [0.4, 0.6]
    image[L.LEFT_KNEE], image[L.RIGHT_KNEE] = [0.5 + 0.1 * gap, 0.45], [0.5 - 0.1 * gap, 0.45]
    image[L.LEFT_ANKLE], image[L.RIGHT_ANKLE] = [0.55, 0.7], [0.45, 0.7]
    if noise and rng is not None:
        image = image + rng.normal(0.0, noise, image.shape)
    return Pose(image, np.ones(33), None, t, 1.0)


def lifts(n: int, side: str = "left", top: float = 40.0) -> list[Pose]:
    """n lifts of ~3 s each (up 0.5 s, hold 1.5 s, down 0.5 s, rest 1.5 s) after 2 s of rest."""
    poses, t = [], 0.0
    while t < 2.0 + 4.0 * n + 2.0:
        phase = (t - 2.0) % 4.0 if 2.0 <= t < 2.0 + 4.0 * n else 3.9
        lift = min(phase / 0.5, 1.0, max(0.0, (2.5 - phase) / 0.5)) * top
        poses.append(side_lying(t, 5.0 + lift, side))
        t += 1 / FPS
    return poses


def test_leg_lifts_are_counted_with_the_lifted_side():
    report = peer.count(lifts(5, "right"), "leg-lift", FPS)
    assert [r["side"] for r in report["reps"]] == ["right"] * 5
    assert report["sets"] == [{"side": "right", "reps": 5}]
    for rep, start in zip(report["reps"], (2.0, 6.0, 10.0, 14.0, 18.0), strict=True):  # lifts start every 4 s
        assert start - 0.1 < rep["start_s"] < rep["peak_s"] < rep["end_s"] < start + 3.0, rep
    assert report["frames"] == {"total": len(lifts(5, "right")), "with_pose": len(lifts(5, "right"))}


def test_a_still_or_jittering_person_counts_nothing():
    rng = np.random.default_rng(3)
    still = [side_lying(i / FPS, 5.0, noise=0.002, rng=rng) for i in range(600)]
    assert peer.count(still, "leg-lift", FPS)["reps"] == []
    squeezing_nothing = [crook_lying(i / FPS, 1.5, noise=0.002, rng=rng) for i in range(600)]
    assert peer.count(squeezing_nothing, "ball-squeeze", FPS)["reps"] == []


def test_ball_squeeze_counts_dips_of_the_knee_gap():
    poses = []
    for i in range(int(30 * FPS)):
        t = i / FPS
        squeezing = t > 2.0 and (t - 2.0) % 3.0 < 1.5 and t < 2.0 + 3.0 * 8
        poses.append(crook_lying(t, 1.2 if squeezing else 1.5))
    report = peer.count(poses, "ball-squeeze", FPS)
    assert len(report["reps"]) == 8 and {r["side"] for r in report["reps"]} == {"both"}


def test_holds_are_not_the_peers_job():
    report = peer.count([side_lying(0.0, 5.0)], "figure-four", FPS)
    assert report["applicable"] is False and report["reps"] == []
    assert not peer.applicable("seated-twist") and peer.applicable("leg-lift")


def test_the_peer_imports_neither_mediapipe_nor_cv2():
    script = "import sys, posecheck.peer; print(any(m in sys.modules for m in ('mediapipe', 'cv2')))"
    checkout = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=checkout)
    assert done.stdout.strip() == "False"
