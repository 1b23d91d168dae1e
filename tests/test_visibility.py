"""Visibility cues: said once a joint stays out of view, not for a one-frame slip of MediaPipe's."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from synthetic_poses import FigureFour as Pose4
from test_ball_squeeze import crook

from posecheck.events import Cue
from posecheck.exercises.ball_squeeze import BallSqueeze
from posecheck.exercises.figure_four import FigureFour
from posecheck.rules import SAY_UNSEEN_AFTER_S, ExerciseRule
from synthetic import placement, project

FEET = [27, 28, 29, 30, 31, 32]
CASES = [
    pytest.param(BallSqueeze, crook, "feet", id="ball-squeeze"),
    pytest.param(FigureFour, lambda: Pose4("left").points(), "feet-oblique", id="figure-four"),
]


def cues_with_feet_lost(make_rule: Callable[[], ExerciseRule], points: Callable[[], np.ndarray], view: str,
                        lost_s: float, outside: bool) -> list[str]:  # fmt: skip
    """The cues said when the feet go unseen for lost_s, cut off by the picture's edge or hidden inside it."""
    rule, camera, body = make_rule(), placement("supine", "left", view), points()
    texts: list[str] = []
    fps = 30.0
    for i in range(int(8 * fps)):
        t = i / fps
        pose = project(body, camera, t)
        if 4.0 <= t < 4.0 + lost_s:
            pose.visibility[FEET] = 0.1
            if outside:
                pose.image[FEET, 1] = 1.05  # MediaPipe places cut-off joints beyond the edge
        texts += [e.text for e in rule.update(pose, t) if isinstance(e, Cue)]
    return texts


@pytest.mark.parametrize(("make_rule", "points", "view"), CASES)
@pytest.mark.parametrize(("lost_s", "said"), [(0.05, False), (SAY_UNSEEN_AFTER_S - 0.2, False), (1.5, True)])
def test_feet_out_of_view_are_said_only_when_it_lasts(
    make_rule: Callable[[], ExerciseRule], points: Callable[[], np.ndarray], view: str, lost_s: float, said: bool,
) -> None:  # fmt: skip
    texts = cues_with_feet_lost(make_rule, points, view, lost_s, outside=True)
    assert ("Move back: feet not visible" in texts) is said, texts


@pytest.mark.parametrize(("make_rule", "points", "view"), CASES)
def test_feet_hidden_inside_the_picture_are_not_told_to_move_back(
    make_rule: Callable[[], ExerciseRule], points: Callable[[], np.ndarray], view: str,
) -> None:  # fmt: skip
    texts = cues_with_feet_lost(make_rule, points, view, 1.5, outside=False)
    assert "Feet hidden from the camera" in texts, texts
    assert not any(text.startswith("Move back") for text in texts), texts
