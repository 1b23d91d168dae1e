"""Text drawing helpers shared by the annotators (OpenCV Hershey fonts)."""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np

FONT = cv2.FONT_HERSHEY_DUPLEX


def scale_for(frame: np.ndarray) -> float:
    """Size unit: 1.0 at 480 px high, growing with the frame."""
    return frame.shape[0] / 480.0


@lru_cache(maxsize=1024)
def text_size(text: str, size: float, thickness: int) -> tuple[int, int]:
    """(width, height) in pixels; cached: the panel and banner measure the same few texts every frame."""
    (w, h), _ = cv2.getTextSize(text, FONT, size, thickness)
    return w, h


def put_text(
    frame: np.ndarray, text: str, org: tuple[int, int], size: float,
    color: tuple[int, int, int], thickness: int = 1, outline: bool = True,
) -> None:  # fmt: skip
    """Text with a dark outline so it reads on any background."""
    if outline:  # offset copies: a thicker stroke would change the glyph spacing
        x, y = org
        for dx, dy in ((-1, -1), (1, -1), (-1, 1), (1, 1), (0, 2), (2, 0)):
            cv2.putText(frame, text, (x + dx, y + dy), FONT, size, (0, 0, 0), thickness, cv2.LINE_AA)
    cv2.putText(frame, text, org, FONT, size, color, thickness, cv2.LINE_AA)


def shade(frame: np.ndarray, x0: int, y0: int, x1: int, y1: int, color: tuple[int, int, int], alpha: float) -> None:
    """Blend a filled rectangle into the frame in place."""
    h, w = frame.shape[:2]
    x0, x1 = max(0, x0), min(w, x1)
    y0, y1 = max(0, y0), min(h, y1)
    if x1 <= x0 or y1 <= y0:
        return
    roi = frame[y0:y1, x0:x1]
    # one affine colour transform, out = (1 - alpha) * in + alpha * color: about 1/20 of numpy's float
    # round trip, which was the overlay's largest cost per frame
    blend = np.hstack([np.eye(3) * (1.0 - alpha), np.array(color, np.float64)[:, None] * alpha])
    cv2.transform(roi, blend, dst=roi)
