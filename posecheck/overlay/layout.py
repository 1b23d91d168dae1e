"""Where the panel and the cue banner go: out of the body's way, and not jumping about.

The panel takes the first corner (top-left, top-right, bottom-left, bottom-right)
free of the body's bounding box, wide if it can, else tall; the banner the bottom edge, else the top, else
half of an edge (a body standing or sitting tall in one half).  Both keep their
place while it stays free, so a body's jitter near an edge does not make them hop.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..pose import Pose

CORNERS = ("top-left", "top-right", "bottom-left", "bottom-right")
BANNERS = ("bottom", "top", "bottom-right", "bottom-left", "top-right", "top-left")
MIN_VISIBILITY = 0.3  # the landmarks the skeleton draws
MARGIN = 0.02  # the body's box grows by this much of the frame height (hands and feet reach past their landmarks)


@dataclass(frozen=True)
class Box:
    """A pixel rectangle, x1/y1 exclusive."""

    x0: int
    y0: int
    x1: int
    y1: int

    def overlap(self, other: Box | None) -> int:
        """Area shared with another box (0 for None)."""
        if other is None:
            return 0
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.y1, other.y1) - max(self.y0, other.y0)
        return max(0, w) * max(0, h)


def body_box(pose: Pose | None, width: int, height: int) -> Box | None:
    """The visible landmarks' bounding box in pixels, with a margin; None without a pose."""
    if pose is None:
        return None
    seen = pose.image[pose.visibility >= MIN_VISIBILITY]
    if len(seen) == 0:
        return None
    margin = MARGIN * height
    (x0, y0), (x1, y1) = seen.min(axis=0) * [width, height], seen.max(axis=0) * [width, height]
    return Box(int(np.floor(x0 - margin)), int(np.floor(y0 - margin)), int(np.ceil(x1 + margin)),
               int(np.ceil(y1 + margin)))  # fmt: skip


class Layout:
    """Remembers where the panel and banner are; place_* move them only when the body is in the way."""

    def __init__(self) -> None:
        self.panel = (CORNERS[0], "wide")  # corner, shape
        self.banner = BANNERS[0]

    def place_banner(self, width: int, height: int, bands: tuple[int, int], body: Box | None) -> Box:
        """The banner's box: full width at the bottom or top, else half width where the body is not.

        bands: the band's height at full and at half width (a half-width band may need two lines).
        """
        boxes = _banner_boxes(width, height, bands)
        now = boxes[self.banner].overlap(body)
        if now > 0:
            best = min(boxes, key=lambda name: (boxes[name].overlap(body), list(boxes).index(name)))
            if boxes[best].overlap(body) < now:
                self.banner = best
        return boxes[self.banner]

    def place_panel(self, width: int, height: int, sizes: dict[str, tuple[int, int]], body: Box | None,
                    banner: Box) -> tuple[Box, str]:  # fmt: skip
        """The panel's box and shape: a corner clear of the banner's band and, if it can, of the body.

        sizes: the panel's size per shape, tried in this order ("wide" before "tall").
        """
        boxes = {
            (corner, shape): _corner_box(corner, width, height, size, banner)
            for shape, size in sizes.items()
            for corner in CORNERS
        }
        if self.panel not in boxes:
            self.panel = next(iter(boxes))
        now = boxes[self.panel].overlap(body)
        if now > 0:
            order = list(boxes)
            best = min(order, key=lambda key: (boxes[key].overlap(body), order.index(key)))
            if boxes[best].overlap(body) < now:
                self.panel = best
        return boxes[self.panel], self.panel[1]

    @property
    def corner(self) -> str:
        return self.panel[0]


def _banner_boxes(width: int, height: int, bands: tuple[int, int]) -> dict[str, Box]:
    full, half = bands
    mid = width // 2
    return {
        "bottom": Box(0, height - full, width, height), "top": Box(0, 0, width, full),
        "bottom-right": Box(mid, height - half, width, height), "bottom-left": Box(0, height - half, mid, height),
        "top-right": Box(mid, 0, width, half), "top-left": Box(0, 0, mid, half),
    }  # fmt: skip


def _corner_box(corner: str, width: int, height: int, size: tuple[int, int], banner: Box) -> Box:
    w, h = size
    top = banner.y1 if banner.y0 == 0 else 0  # below a banner at the top
    bottom = banner.y0 if banner.y0 > 0 else height  # above a banner at the bottom
    y0 = top if corner.startswith("top") else bottom - h
    x0 = 0 if corner.endswith("left") else width - w
    return Box(x0, y0, x0 + w, y0 + h)


__all__ = ["BANNERS", "CORNERS", "Box", "Layout", "body_box"]
