"""Headless Chromium screenshots of a page (Debian's `chromium`), for scripts/report_pictures.py and the tests."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import cv2
import numpy as np

NAMES = ("chromium", "chromium-browser")
MARGIN = 400  # px of empty window right of the page, where anything wider than the page shows


def chromium() -> str | None:
    return next((path for name in NAMES if (path := shutil.which(name)) is not None), None)


def screenshot(page: Path, out: Path, width: int, height: int) -> np.ndarray:
    """The page at this window size (BGR pixels); no network (every host name resolves to nothing)."""
    browser = chromium()
    if browser is None:
        raise RuntimeError("chromium is not installed")
    with tempfile.TemporaryDirectory(prefix="posecheck-chromium-") as profile:
        done = subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
             "--disable-extensions", "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={profile}",
             f"--window-size={width},{height}", f"--screenshot={out}", page.resolve().as_uri()],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    image = cv2.imread(str(out))
    if done.returncode != 0 or image is None:
        raise RuntimeError(f"chromium failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return image


def pdf_pages(page: Path, out: Path) -> int:
    """Printed to PDF (A4/Letter as Chromium's default, print styles applied): how many pages."""
    browser = chromium()
    if browser is None:
        raise RuntimeError("chromium is not installed")
    with tempfile.TemporaryDirectory(prefix="posecheck-chromium-") as profile:
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
             "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={profile}", f"--print-to-pdf={out}",
             page.resolve().as_uri()],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    return len(re.findall(rb"/Type\s*/Page[^s]", out.read_bytes())) if out.exists() else 0


def overflow_shot(page: Path, out: Path, width: int, height: int) -> np.ndarray:
    """The page laid out `width` wide in a window MARGIN px wider: what overflows the page draws in the margin."""
    text = page.read_text(encoding="utf-8")
    pinned = text.replace("</head>", f"<style>html{{width:{width}px}}</style></head>", 1)
    copy = out.with_suffix(".pinned.html")
    copy.write_text(pinned, encoding="utf-8")
    try:
        return screenshot(copy, out, width + MARGIN, height)
    finally:
        copy.unlink()


def near(image: np.ndarray, hex_color: str, tolerance: int = 24) -> np.ndarray:
    """A mask of the pixels within `tolerance` (per channel) of an #rrggbb colour."""
    rgb = [int(hex_color[i : i + 2], 16) for i in (1, 3, 5)]
    bgr = np.array(rgb[::-1], np.int16)
    return np.all(np.abs(image.astype(np.int16) - bgr) <= tolerance, axis=2)


__all__ = ["MARGIN", "chromium", "near", "overflow_shot", "pdf_pages", "screenshot"]
