"""Figure-four from a raised side camera: the support leg hidden behind a dropped knee is a knee-in, not a lost leg.

On rendered bodies MediaPipe keeps placing the far (support) leg when the
crossed knee drops in over it, but its knee's and ankle's visibility fall
(exercises/_figure_four_rest.py, SUPPORT_HIDDEN).  Here the landmarks stay
where they are and only that visibility falls, as it did there.
"""

from __future__ import annotations

import numpy as np
import pytest
from synthetic_poses import point_sequence
from test_figure_four import SIDE_READS, TARGET, script

from posecheck.events import Cue, HoldEvent
from posecheck.exercises.figure_four import CUES, FigureFour
from synthetic import project, view_camera

SUPPORT = {"left": [26, 28], "right": [25, 27]}  # knee and ankle of the leg the crossed one rests on
CROSSED_KNEE = {"left": 25, "right": 26}


def run(side: str, segments: list[tuple[float, str]], hide: tuple[float, float] = (0.0, 0.0),
        landmarks: list[int] | None = None, elevation: float = 30.0, vis: float = 0.25, vis_else: float | None = None,
        reads: dict[str, dict[str, float]] = SIDE_READS, seed: int = 0,
        noise: float = 0.003) -> tuple[FigureFour, list[object]]:  # fmt: skip
    """The scripted hold (Pose4 `reads` per segment kind) seen from the crossed leg's side; those landmarks'
    visibility at `vis` during `hide`, and at `vis_else` (if given) the rest of the time."""
    keyframes, _ = script(side, segments, knee=reads)
    camera = view_camera("supine", 80.0 if side == "left" else -80.0, elevation)
    rule, events, rng, t = FigureFour(target_s=TARGET), [], np.random.default_rng(seed), 0.0
    for t, points in point_sequence(keyframes, fps=10.0):
        pose = project(points, camera, t, noise=noise, rng=rng)
        if landmarks and hide[0] <= t < hide[1]:
            pose.visibility[landmarks] = vis
        elif landmarks and vis_else is not None:
            pose.visibility[landmarks] = vis_else
        events += rule.update(pose, t)
    return rule, events + rule.finish(t)


def holds(events: list[object]) -> list:
    return [e.hold for e in events if isinstance(e, HoldEvent)]


def cues(events: list[object]) -> list[Cue]:
    return [e for e in events if isinstance(e, Cue)]


@pytest.mark.parametrize("side", ["left", "right"])
def test_the_support_leg_hidden_mid_hold_is_a_knee_in_said_as_one(side):
    rule, events = run(side, [(12.0, "clean")], (7.0, 10.0), SUPPORT[side])
    (hold,) = holds(events)
    assert rule.view == "side"
    assert hold.faults == ("knee_inward",)
    assert hold.valid_s == pytest.approx(9.0, abs=1.0)  # 12 s in position, 3 s of them with the knee in
    said = cues(events)
    assert [c.text for c in said if c.kind == "form"] == [CUES["knee_inward"]]
    assert not [c for c in said if c.fault == "not_visible"]  # not "Feet hidden from the camera"


@pytest.mark.parametrize("side", ["left", "right"])
def test_the_support_leg_hidden_while_the_legs_come_down_is_not_a_knee_in(side):
    """Releasing the hold hides the far leg too, but it moves: the support knee leaves where it rested."""
    _, events = run(side, [(8.0, "clean")], (10.6, 20.0), SUPPORT[side])
    (hold,) = holds(events)
    assert hold.faults == ()
    assert not [c for c in cues(events) if c.fault == "knee_inward"]


@pytest.mark.parametrize("side", ["left", "right"])
def test_both_legs_hidden_is_a_visibility_problem(side):
    """The crossed knee unseen as well: the legs left the picture, said as such, and nothing is named."""
    _, events = run(side, [(12.0, "clean")], (7.0, 10.0), [*SUPPORT[side], CROSSED_KNEE[side]], vis=0.1)
    (hold,) = holds(events)
    assert hold.faults == ()
    said = cues(events)
    assert [c.fault for c in said if c.fault == "not_visible"] == ["not_visible"]
    assert not [c for c in said if c.kind == "form"]


def test_from_a_level_side_camera_a_hidden_support_leg_is_not_named():
    """There the crossed knee covers the far leg in any case; nothing is judged across the body from there."""
    rule, events = run("left", [(12.0, "clean")], (7.0, 10.0), SUPPORT["left"], elevation=5.0)
    assert rule.view == "side" and not rule.ankle_judged
    assert all(h.faults == () for h in holds(events))
    assert not [c for c in cues(events) if c.fault == "knee_inward"]


@pytest.mark.parametrize("side", ["left", "right"])
def test_the_support_leg_hidden_with_the_ankle_toward_the_hip_is_a_slide(side):
    """One rendered slide hid the support knee under the slid ankle; the ankle read nearer the hip names it."""
    toward_hip = {**SIDE_READS, "slid": {**SIDE_READS["clean"], "ankle_at": 0.6}}
    segments = [(4.0, "clean"), (3.0, "slid"), (5.0, "clean")]
    _, events = run(side, segments, (7.0, 9.5), SUPPORT[side], reads=toward_hip)
    (hold,) = holds(events)
    assert hold.faults == ("ankle_off_thigh",)
    assert [c.fault for c in cues(events) if c.kind == "form"] == ["ankle_off_thigh"]


@pytest.mark.parametrize("side", ["left", "right"])
def test_an_ankle_resting_on_the_absolute_line_is_judged_against_its_rest(side):
    """A clean rendered body settled at 0.29-0.37 thigh lengths from the raised side, then read 0.37-0.40, on the 0.40
    line, for the rest of the hold: that is where it rests, not a fault."""
    clean = SIDE_READS["clean"]
    reads = {"clean": {**clean, "ankle_gap": 0.165}, "on_line": {**clean, "ankle_gap": 0.178}}
    _, events = run(side, [(3.0, "clean"), (9.0, "on_line")], reads=reads, seed=1, noise=0.004)  # 0.34, then 0.40
    (hold,) = holds(events)
    assert hold.faults == ()
    assert hold.valid_s == pytest.approx(12.0, abs=1.0)
    assert not [c for c in cues(events) if c.kind == "form"]


@pytest.mark.parametrize("side", ["left", "right"])
def test_a_support_leg_seen_only_faintly_at_rest_is_not_judged_by_its_visibility(side):
    """Resting at 0.45 and dropping to 0.35 is a share of MediaPipe's noise, not the leg going out of sight."""
    _, events = run(side, [(12.0, "clean")], (7.0, 10.0), SUPPORT[side], vis=0.35, vis_else=0.45)
    (hold,) = holds(events)
    assert hold.faults == ()
    assert not [c for c in cues(events) if c.fault == "knee_inward"]
