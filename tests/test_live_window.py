"""The live window under a virtual X display: a real window, grabbed from the screen."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from posecheck.samples import demo_clip

ROOT = Path(__file__).resolve().parent.parent  # `python -m` runs this checkout's posecheck from any folder

pytestmark = pytest.mark.skipif(shutil.which("Xvfb") is None, reason="Xvfb is not installed")


@pytest.fixture
def display():
    # Xvfb picks a free display number and writes it once it is ready: a fixed number collided with
    # another test run's server, and a fixed wait was too short on a loaded machine
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "800x600x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(write,),
    )  # fmt: skip
    os.close(write)
    try:
        ready, _, _ = select.select([read], [], [], 30.0)
        number = os.read(read, 32).decode().strip() if ready else ""
        if not number:
            pytest.fail("Xvfb did not start")
        yield f":{number}"
    finally:
        os.close(read)
        server.terminate()
        server.wait(timeout=10)


def test_live_window_shows_the_picture_with_the_panel(tmp_path: Path, display: str):
    from PIL import Image, ImageGrab

    video = demo_clip("leg-lift")
    env = {**os.environ, "DISPLAY": display}
    env.pop("WAYLAND_DISPLAY", None)
    # the whole clip (about 19 s), not --max-seconds: that counts video time from the first frame, and on a
    # fresh machine the first window took so long to come up that an 8 s session ended before it was drawn
    proc = subprocess.Popen(
        [sys.executable, "-m", "posecheck.cli", "live", "--camera", str(video), "--no-person-timeout", "60"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    shot = None
    green = skeleton = 0
    deadline = time.monotonic() + 90
    # screenshots until the window shows the panel's count and a skeleton (a busy machine draws the first
    # pose late), or the session ends: the last one taken is judged
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.5)
        image = np.asarray(ImageGrab.grab(xdisplay=display).convert("RGB"))
        if (image.max(axis=2) > 100).mean() <= 0.02:  # nothing bright on screen: the window is not up yet
            continue
        shot = image
        green = int(((shot[:, :, 1] > 180) & (shot[:, :, 0] < 150) & (shot[:, :, 2] < 150)).sum())
        skeleton = int(((shot[:, :, 0] > 230) & (shot[:, :, 1] > 230) & (shot[:, :, 2] > 230)).sum())
        if green > 200 and skeleton > 300:
            break
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert shot is not None, f"no window appeared; the tool printed:\n{out}\n{err}"
    Image.fromarray(shot).save(tmp_path / "screen.png")
    assert green > 200, "the counter panel's count is not on screen"
    assert skeleton > 300, "no skeleton drawn"
    assert "processed" in out
