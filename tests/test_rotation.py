"""Quarter and half turns: points on the turned picture map back onto the upright picture."""

from __future__ import annotations

import numpy as np
import pytest

from posecheck.rotation import CCW, CW, HALF, Rotation


def dot_centre(picture: np.ndarray) -> np.ndarray:
    """Normalised (x, y) of the single bright square in a picture."""
    ys, xs = np.nonzero(picture[..., 0])
    h, w = picture.shape[:2]
    return np.array([(xs.mean() + 0.5) / w, (ys.mean() + 0.5) / h])


@pytest.mark.parametrize("turn", [CCW, CW, HALF], ids=lambda r: r.name)
@pytest.mark.parametrize("where", [(40, 30), (600, 90), (321, 447)])
def test_a_point_on_the_turned_picture_maps_back_where_it_was(turn: Rotation, where: tuple[int, int]):
    picture = np.zeros((480, 640, 3), np.uint8)
    x, y = where
    picture[y : y + 4, x : x + 6] = 255
    turned = turn.apply(picture)
    assert turned.shape[:2] == ((640, 480) if turn is not HALF else (480, 640))
    back = turn.image_to_upright(dot_centre(turned)[None, :])[0]
    np.testing.assert_allclose(back, dot_centre(picture), atol=1e-9)


@pytest.mark.parametrize(
    ("turn", "right_on_turned", "down_on_turned"),
    [
        (CCW, [0, 1], [-1, 0]),  # turned left: its right is the picture's bottom, its bottom the left
        (CW, [0, -1], [1, 0]),
        (HALF, [-1, 0], [0, -1]),
    ],
    ids=["ccw", "cw", "180"],
)
def test_world_axes_of_the_turned_picture_turn_back_about_the_camera_axis(
    turn: Rotation, right_on_turned: list[int], down_on_turned: list[int]
):
    world = np.array([[1.0, 0.0, 0.3], [0.0, 1.0, -0.2]])
    np.testing.assert_allclose(turn.world_to_upright(world), [[*right_on_turned, 0.3], [*down_on_turned, -0.2]])
