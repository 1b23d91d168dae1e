"""The camera-view classifier: synthetic bodies seen from every side, then the rendered samples' real landmarks."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from posecheck.geometry import unit
from posecheck.pose import Pose
from posecheck.registry import get_exercise
from posecheck.samples import labelled_clips, samples_dir
from posecheck.views import CameraView, ViewSpec, ViewVote, circular_median, classify_view, sector_name
from replay import LANDMARKS, replayed
from synthetic import FLOORS, Body, Limb, make_pose, view_camera

# --- synthetic: a stick body in its own frame, a camera anywhere (synthetic.view_camera) ---------
BODIES = {
    "supine": Body(left_leg=Limb(flex=45, bend=90), right_leg=Limb(flex=45, bend=90)),
    "side-lying": Body(),
    "seated": Body(left_leg=Limb(flex=90), right_leg=Limb(flex=90, bend=100)),
}


CASES = [
    (floor, azimuth, elevation)
    for floor in FLOORS
    for azimuth in range(-165, 181, 15)
    for elevation in ((0, 25, 50) if floor != "seated" else (0, 20))
]


@pytest.mark.parametrize(("floor", "azimuth", "elevation"), CASES)
def test_synthetic_views_are_recovered(floor: str, azimuth: float, elevation: float) -> None:
    posture = "side-lying" if floor.startswith("side-lying") else floor
    pose = make_pose(BODIES[posture], view_camera(floor, azimuth, elevation))
    view = classify_view(pose, posture)
    assert view is not None
    assert abs((view.azimuth_deg - azimuth + 180) % 360 - 180) < 1.0
    assert view.direction == sector_name(posture, azimuth)
    if posture == "seated":
        assert view.elevation_deg is None and view.raised is None
    else:
        assert view.elevation_deg == pytest.approx(elevation, abs=1.0)
        assert view.raised == (elevation > 20)


def test_landmark_noise_does_not_change_the_voted_view() -> None:
    rng = np.random.default_rng(5)
    camera = view_camera("side-lying", 60.0, 15.0)  # 15 deg from a sector edge
    vote = ViewVote()
    names = []
    for i in range(90):
        pose = make_pose(BODIES["side-lying"], camera, i / 30, noise=0.02, rng=rng)
        voted = vote.update(i / 30, classify_view(pose, "side-lying"))
        if voted is not None:
            names.append(voted.name)
    assert names and set(names) == {"feet-front"}


@pytest.mark.parametrize(
    ("posture", "azimuth", "name"),
    [
        ("supine", 0, "feet"), ("supine", 40, "feet-side"), ("supine", -95, "side"), ("supine", 150, "head-side"),
        ("side-lying", 50, "feet-front"), ("side-lying", 80, "front"), ("side-lying", -85, "back"),
        ("side-lying", -40, "feet-back"), ("side-lying", 130, "head-front"), ("side-lying", 179, "head"),
        ("seated", 10, "front"), ("seated", -35, "front-side"), ("seated", 100, "side"), ("seated", -170, "back"),
        ("seated", 140, "back-side"),
    ],
)  # fmt: skip
def test_sector_names(posture: str, azimuth: float, name: str) -> None:
    assert sector_name(posture, azimuth) == name


def test_no_view_without_world_landmarks_or_for_an_unknown_posture() -> None:
    pose = make_pose(BODIES["supine"], view_camera("supine", 0, 30))
    assert classify_view(pose.replace(world=None), "supine") is None
    assert classify_view(pose, "standing") is None


# --- the vote: hysteresis in direction and height ------------------------------------------------
def view(azimuth: float, elevation: float | None = 10.0, posture: str = "supine") -> CameraView:
    return CameraView(posture, azimuth, elevation, sector_name(posture, azimuth), None)


def test_vote_keeps_its_sector_until_clearly_past_the_edge() -> None:
    vote = ViewVote(window_s=0.3, min_samples=3)
    t = 0.0
    names = []
    for azimuth in [10.0] * 10 + [20.0, 27.0, 19.0, 28.0] * 5 + [40.0] * 10:  # edge at 22.5, kept to 30.5
        t += 0.1
        voted = vote.update(t, view(azimuth))
        names.append(voted.direction if voted else None)
    assert names[0:2] == [None, None]
    assert set(names[2:30]) == {"feet"}, names  # jitter across the edge does not flicker
    assert names[-1] == "feet-side"


def test_vote_raised_has_hysteresis_and_needs_recent_frames() -> None:
    vote = ViewVote(window_s=0.3, min_samples=3)
    states = []
    for i, elevation in enumerate([10.0] * 5 + [24.0] * 5 + [20.0] * 5 + [17.0] * 5):
        voted = vote.update(0.1 * i, view(0.0, elevation))
        states.append(voted.raised if voted else None)
    assert states[4] is False and states[9] is True and states[14] is True and states[19] is False
    assert vote.update(10.0, None) is None  # nothing seen for seconds: no view


def test_view_spec_fit() -> None:
    spec = ViewSpec(("feet-raised",), ("feet", "feet-side"), "Camera at your feet")
    raised = CameraView("supine", 0.0, 40.0, "feet", True)
    level = CameraView("supine", 0.0, 5.0, "feet", False)
    side = CameraView("supine", 90.0, 40.0, "side", True)
    assert (spec.fit(raised), spec.fit(level), spec.fit(side)) == ("recommended", "acceptable", "wrong")
    assert raised.name == "feet-raised" and level.name == "feet"


# --- the rendered samples: real MediaPipe landmarks --------------------------------------------
CLIPS = labelled_clips(samples_dir())
# the sample's camera name -> (direction, raised); None: the name says nothing about height
NAMED = {
    "feet-oblique": ("feet-front", None),  # samplegen: front + feet, 45 deg, 1.1 m high ("a bit higher")
    "front": ("front", False),
    "back": ("back", False),
    "feet-raised": ("feet", True),
    "side": ("side", False),
    "side-raised": ("side", True),
    "front-oblique": ("front-side", None),
}
# lying on the back the floor's names are feet / side / head: a camera at the feet, 45 deg off, is feet-side
NAMED_SUPINE = {"feet-oblique": ("feet-side", None)}
AZIMUTH_TOLERANCE_DEG = 25.0  # MediaPipe flattens depth: a body turned 45 deg to the lens reads 61-67


def label(clip: Path) -> dict:
    return json.loads(clip.with_suffix(".json").read_text())


def named(clip: Path) -> tuple[str, bool | None]:
    """The view name the sample's camera label stands for, in its exercise's posture."""
    camera = label(clip)["camera"]
    if get_exercise(label(clip)["exercise"]).posture == "supine" and camera in NAMED_SUPINE:
        return NAMED_SUPINE[camera]
    return NAMED[camera]


def true_view(clip: Path, posture: str) -> tuple[float, float]:
    """Median azimuth and elevation of the rendering camera, from the label's camera and the rig's joints."""
    eye = np.array(label(clip)["camera_model"]["pose_cam_to_world"])[:3, 3]
    with np.load(clip.with_suffix("").with_suffix(".gt.npz")) as gt:
        world = gt["world"]
    up = np.array([0.0, 0.0, 1.0])  # the renderer's world is z-up
    rows = []
    for w in world:
        if np.isnan(w[[11, 12, 23, 24]]).any():
            continue
        hip = (w[23] + w[24]) / 2
        head = unit((w[11] + w[12]) / 2 - hip)
        left = unit(w[23] - w[24] - np.dot(w[23] - w[24], head) * head)
        front = np.cross(left, head)
        a, b = {"supine": (-head, left), "side-lying": (-head, front), "seated": (front, left)}[posture]
        a, b = unit(a - np.dot(a, up) * up), unit(b - np.dot(b, up) * up)
        d = unit(eye - hip)
        rows.append((math.degrees(math.atan2(d @ b, d @ a)), math.degrees(math.asin(d @ up))))
    azimuth, elevation = np.median(rows, axis=0)
    return float(azimuth), float(elevation)


def frame_azimuths(clip: Path, posture: str) -> list[float]:
    """Every frame with a pose, classified on its own (no vote, no posture gate: the clip is all exercise)."""
    with np.load(LANDMARKS / f"{clip.stem}.npz") as f:
        data = {k: f[k] for k in f.files}
    azimuths = []
    for i, t in enumerate(data["t"]):
        if np.isnan(data["image"][i]).any():
            continue
        pose = Pose(data["image"][i], data["visibility"][i], data["world"][i], float(t), float(data["aspect"]))
        view = classify_view(pose, posture)
        assert view is not None
        azimuths.append(view.azimuth_deg)
    return azimuths


@pytest.mark.parametrize("clip", CLIPS, ids=[c.stem for c in CLIPS])
def test_sample_views_classify_as_named(clip: Path) -> None:
    """The session's camera check names the view the sample's name gives, and its angle is near the truth."""
    name = label(clip)["exercise"]
    (camera,) = replayed(clip, name).report.build()["camera_check"]
    direction, raised = named(clip)
    assert camera["view"].removesuffix("-raised") == direction, camera
    if raised is not None:
        assert camera["view"].endswith("-raised") == raised, camera
    # over the whole clip, frame by frame: the median direction against the rendering camera's
    posture = get_exercise(name).posture
    assert posture is not None
    true_azimuth, _ = true_view(clip, posture)
    median = circular_median(frame_azimuths(clip, posture))
    assert abs((median - true_azimuth + 180) % 360 - 180) < AZIMUTH_TOLERANCE_DEG, (median, true_azimuth)


@pytest.mark.parametrize("clip", CLIPS, ids=[c.stem for c in CLIPS])
def test_wrong_views_are_told_and_right_views_are_not_nagged(clip: Path) -> None:
    name = label(clip)["exercise"]
    spec = get_exercise(name).views
    assert spec is not None
    direction, raised = named(clip)
    expected = spec.fit(CameraView("", 0.0, None, direction, raised))
    report = replayed(clip, name).report.build()
    told = [c for c in report["cues"] if c["text"] == spec.instruction]
    (camera,) = report["camera_check"]
    assert camera["fit"] == expected
    if expected == "wrong":
        assert [c["kind"] for c in told][:2] == ["setup", "setup"], told  # and again until it is right
        assert told[0]["t_s"] < 4.0
    elif expected == "acceptable":
        assert [c["kind"] for c in told] == ["info"], told  # one tip, no nagging
    else:
        assert told == []
