"""Render the live overlay on sample frames at 640x480 and 1280x720, to look at (not part of the tests):

    python scripts/overlay_frames.py [OUT_DIR]      (default /tmp/posecheck-overlay)

Each case draws a rendered sample's frame with its recorded MediaPipe landmarks
(tests/data/landmarks) and a typical panel state: reps with a form cue, a hold
with the ring, a long camera instruction, a body low in the picture (the
banner moves up) and a body in the left half (tall panel, half banner).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's posecheck, not an installed copy

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from posecheck.events import Cue  # noqa: E402
from posecheck.overlay import Overlay, OverlayInput  # noqa: E402
from posecheck.pose import Pose  # noqa: E402
from posecheck.rules import RuleState  # noqa: E402

SIZES = [(640, 480), (1280, 720)]


def sample(stem: str, index: int) -> tuple[np.ndarray, Pose]:
    capture = cv2.VideoCapture(str(ROOT / "samples" / f"{stem}.mp4"))
    capture.set(cv2.CAP_PROP_POS_FRAMES, index)
    ok, image = capture.read()
    capture.release()
    if not ok:
        raise SystemExit(f"cannot read frame {index} of {stem}")
    with np.load(ROOT / "tests" / "data" / "landmarks" / f"{stem}.npz") as d:
        pose = Pose(d["image"][index], d["visibility"][index], d["world"][index], index / 30, float(d["aspect"]))
    return image, pose


def shifted(pose: Pose, dx: float = 0.0, dy: float = 0.0) -> Pose:
    return pose.replace(image=pose.image + [dx, dy])


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    reps = RuleState("leg-lift", "Side-lying leg lifts", "reps", side="left", count=3, target=10,
                     angle_deg=34.0, angle_at=(27, 23, 28), per_side={"left": 3})  # fmt: skip
    hold = RuleState("figure-four", "Figure-four stretch", "hold", side="right", count=1, target=3, hold_s=12.4,
                     hold_target_s=30.0, per_side={"right": 1})  # fmt: skip
    twist = RuleState("seated-twist", "2/4 Seated spinal twist", "hold", side="left", count=0, target=1, hold_s=21.0,
                      hold_target_s=30.0, per_side={"left": 0})  # fmt: skip
    squeeze = RuleState("ball-squeeze", "Ball squeeze", "reps", side="both", count=0, target=10,
                        status="Place the camera at your feet, a little to one side, raised")  # fmt: skip
    cases = {
        "reps": ("leg-lift_left_clean_feet-oblique", 120, reps, Cue(4.0, "Lift in line with your body", None, "form"),
                 (0.0, 0.0)),
        "hold": ("figure-four_right_knee-inward-ankle-off_side-raised", 200, hold,
                 Cue(6.6, "Point your knee out", "knee_inward", "form"), (0.0, 0.0)),
        "camera": ("ball-squeeze_both_hips-lifted_side", 150, squeeze, None, (0.0, 0.0)),
        "low": ("ball-squeeze_both_hips-lifted_side", 150, squeeze, None, (0.0, 0.45)),
        "left-half": ("seated-twist_left_hip-lifted_front-oblique", 250, twist,
                      Cue(8.0, "Turn your chest toward your knee", "no_rotation", "form"), (-0.25, 0.0)),
    }  # fmt: skip
    for w, h in SIZES:
        for name, (stem, index, state, cue, (dx, dy)) in cases.items():
            image, pose = sample(stem, index)
            image = cv2.resize(image, (w, h))
            if dx or dy:  # move the picture and the landmarks together
                matrix = np.float32([[1, 0, dx * w], [0, 1, dy * h]])
                image = cv2.warpAffine(image, matrix, (w, h), borderMode=cv2.BORDER_REPLICATE)
                pose = shifted(pose, dx, dy)
            drawn = Overlay().annotate(image, OverlayInput(pose.t, pose, state, cue, None))
            path = out / f"{name}_{w}x{h}.png"
            cv2.imwrite(str(path), drawn)
            print(path)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp/posecheck-overlay"))
