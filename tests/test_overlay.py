"""The live overlay at 640x480 and 1280x720, checked by pixels: legible sizes, off the body, the hold ring.

Legible from 2-3 m: a frame shown 25-30 cm tall (a laptop screen), text 4.5 % of its height is
~1.2 cm, ~17 arc minutes at 2.5 m - three times the 5' of a 20/20 letter.  The count is bigger still.
"""

from __future__ import annotations

import numpy as np
import pytest

from posecheck.events import Cue
from posecheck.overlay import Box, Overlay, OverlayInput, body_box
from posecheck.pose import Pose
from posecheck.rules import RuleState

SIZES = [(640, 480), (1280, 720)]
GREY = 128


def frame(size: tuple[int, int]) -> np.ndarray:
    w, h = size
    return np.full((h, w, 3), GREY, np.uint8)


def body(x0: float, y0: float, x1: float, y1: float) -> Pose:
    """A pose whose landmarks spread over the normalised box (corners included)."""
    rng = np.random.default_rng(1)
    image = np.column_stack([rng.uniform(x0, x1, 33), rng.uniform(y0, y1, 33)])
    image[:4] = [[x0, y0], [x1, y0], [x0, y1], [x1, y1]]
    return Pose(image, np.ones(33))


REPS = RuleState("leg-lift", "Side-lying leg lifts", "reps", side="left", count=3, target=10, per_side={"left": 3})
CUE = Cue(0.0, "Lift in line with your body", "leg_forward", "form")


def hold(held: float) -> RuleState:
    return RuleState("figure-four", "Figure-four stretch", "hold", side="right", count=1, target=3, hold_s=held,
                     hold_target_s=30.0, per_side={"right": 1})  # fmt: skip


def accent(image: np.ndarray) -> np.ndarray:
    """The counter's green: (B, G, R) near (90, 220, 120)."""
    b, g, r = (image[:, :, i].astype(int) for i in range(3))
    return (g > 170) & (g - r > 60) & (g - b > 80)


def white(image: np.ndarray) -> np.ndarray:
    return image.min(axis=2) > 225


def rows_height(mask: np.ndarray) -> int:
    rows = np.flatnonzero(mask.any(axis=1))
    return int(rows[-1] - rows[0] + 1) if len(rows) else 0


def draw(size: tuple[int, int], state: RuleState, pose: Pose | None = None, cue: Cue | None = CUE,
         overlay: Overlay | None = None) -> tuple[np.ndarray, Overlay]:  # fmt: skip
    overlay = overlay or Overlay()
    return overlay.annotate(frame(size), OverlayInput(0.5, pose, state, cue)), overlay


def banner_box(overlay: Overlay, image: np.ndarray, text: str = CUE.text, body: Box | None = None) -> Box:
    """Where the banner went (placing it again with the same inputs changes nothing)."""
    h, w = image.shape[:2]
    bands = (overlay.banner.height(image, text, w), overlay.banner.height(image, text, w // 2))
    return overlay.layout.place_banner(w, h, bands, body)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_text_is_legible_sized_and_scales_with_the_frame(size: tuple[int, int]) -> None:
    image, overlay = draw(size, REPS)
    h = size[1]
    count = rows_height(accent(image))  # "3/10"
    band = banner_box(overlay, image)
    cue = rows_height(white(image[band.y0 : band.y1]))  # "Lift in line with your body"
    assert count >= 0.08 * h, (count, h)
    assert cue >= 0.045 * h, (cue, h)
    small, _ = draw(SIZES[0], REPS)
    ratio = h / SIZES[0][1]
    assert count == pytest.approx(ratio * rows_height(accent(small)), rel=0.15)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize(
    "where",
    [
        (0.05, 0.05, 0.45, 0.50),  # top left: the panel's own corner
        (0.55, 0.05, 0.95, 0.55),  # top right
        (0.02, 0.40, 0.98, 0.99),  # across the bottom, feet at the edge: the banner goes up
        (0.02, 0.02, 0.46, 0.98),  # the left half, head to feet: a tall panel, a half banner on the right
        (0.55, 0.02, 0.98, 0.98),  # the whole right half
        (0.30, 0.25, 0.70, 0.75),  # the middle
    ],
)
def test_panel_and_banner_keep_off_the_body(size: tuple[int, int], where: tuple[float, float, float, float]) -> None:
    pose = body(*where)
    image, _ = draw(size, hold(12.0), pose)
    bare = frame(size)
    overlay = Overlay()
    overlay.skeleton.annotate(bare, pose)  # what is drawn on the body by design
    h, w = image.shape[:2]
    box = body_box(pose, w, h)
    assert box is not None
    x0, y0, x1, y1 = max(0, box.x0), max(0, box.y0), min(w, box.x1), min(h, box.y1)
    changed = np.any(image[y0:y1, x0:x1] != bare[y0:y1, x0:x1], axis=2)
    assert not changed.any(), f"{changed.sum()} body pixels covered"


def test_panel_does_not_hop_while_the_body_stays_clear() -> None:
    overlay = Overlay()
    corners = []
    for dx in np.linspace(0.0, 0.1, 12):  # a body drifting in the middle: the panel stays top-left
        draw(SIZES[0], REPS, body(0.35 + dx, 0.3, 0.65 + dx, 0.7), overlay=overlay)
        corners.append(overlay.layout.panel)
    assert set(corners) == {("top-left", "wide")}
    draw(SIZES[0], REPS, body(0.05, 0.05, 0.5, 0.6), overlay=overlay)  # now in its way
    assert overlay.layout.corner != "top-left"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_hold_ring_fills_clockwise_from_the_top(size: tuple[int, int]) -> None:
    def ring_pixels(held: float) -> tuple[np.ndarray, tuple[int, int], int]:
        overlay = Overlay()
        image, _ = draw(size, hold(held), overlay=overlay)
        h, w = image.shape[:2]
        shape = overlay.layout.panel[1]
        sizes = {shape: overlay.panel.size(image, hold(held), None, shape)}
        panel, _ = overlay.layout.place_panel(w, h, sizes, None, banner_box(overlay, image))
        found = overlay.panel.ring(image, hold(held), panel, None, shape)
        assert found is not None
        (cx, cy), r = found
        yy, xx = np.mgrid[0:h, 0:w]
        annulus = np.abs(np.hypot(xx - cx, yy - cy) - r) < 0.25 * r
        return accent(image) & annulus, (cx, cy), r

    empty, _, _ = ring_pixels(0.0)
    half, _, r = ring_pixels(15.0)
    full, _, _ = ring_pixels(30.0)
    quarter, (cx, cy), _ = ring_pixels(7.5)
    assert not empty.any()
    assert full.sum() > 2 * np.pi * r * 0.2  # a drawn ring, not a dot
    assert half.sum() == pytest.approx(0.5 * full.sum(), rel=0.15)
    ys, xs = np.nonzero(quarter)
    assert xs.mean() > cx and ys.mean() < cy  # the first quarter is top right: clockwise from 12 o'clock


def test_the_arc_label_carries_the_rules_unit():
    """The ball squeeze's arc shows the knee gap's closing in % of the hip width, not degrees."""
    from posecheck.exercises.ball_squeeze import BallSqueeze
    from posecheck.overlay.angle import label
    from posecheck.rules import RuleState

    assert label(RuleState("leg-lift", "Leg lifts", "reps", angle_deg=34.6)) == "35 deg"
    state = BallSqueeze().state
    state.angle_deg = 14.2
    assert label(state) == "14%"
