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


@pytest.mark.parametrize(("make_rule", "points", "view"), CASES)
@pytest.mark.parametrize(("lost_s", "said"), [(0.05, False), (SAY_UNSEEN_AFTER_S - 0.2, False), (1.5, True)])
def test_feet_out_of_view_are_said_only_when_it_lasts(
    make_rule: Callable[[], ExerciseRule], points: Callable[[], np.ndarray], view: str, lost_s: float, said: bool,
) -> None:  # fmt: skip
    rule, camera, body = make_rule(), placement("supine", "left", view), points()
    texts: list[str] = []
    fps = 30.0
    for i in range(int(8 * fps)):
        t = i / fps
        pose = project(body, camera, t)
        if 4.0 <= t < 4.0 + lost_s:
            pose.visibility[FEET] = 0.1
        texts += [e.text for e in rule.update(pose, t) if isinstance(e, Cue)]
    assert ("Move back: feet not visible" in texts) is said, texts
