"""Optional check: run MediaPipe PoseLandmarker on a clip and compare with its truth.

Reports the detection rate and the mean/median pixel error of shoulders,
elbows, wrists, hips, knees and ankles against the projected rig joints.
Note MediaPipe's hip landmark sits a few cm off the anatomical hip centre,
so hips carry a systematic part of the error.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from samplegen.labels import CORE

#: MediaPipe left/right landmark pairs, for a left/right-swap tolerant error
SWAP = {11: 12, 13: 14, 15: 16, 23: 24, 25: 26, 27: 28}
SWAP.update({v: k for k, v in SWAP.items()})


def detect(video: str, model: str) -> np.ndarray:
    """(frames, 33, 2) pixel landmarks, NaN where no pose was found."""
    import cv2
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    opts = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=model), running_mode=vision.RunningMode.VIDEO
    )
    cap = cv2.VideoCapture(video)
    fps = cap.get(cv2.CAP_PROP_FPS) or 30.0
    out = []
    with vision.PoseLandmarker.create_from_options(opts) as lm:
        i = 0
        while True:
            ok, bgr = cap.read()
            if not ok:
                break
            h, w = bgr.shape[:2]
            img = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(bgr[..., ::-1]))
            res = lm.detect_for_video(img, int(round(i * 1000 / fps)))
            arr = np.full((33, 2), np.nan)
            if res.pose_landmarks:
                arr = np.array([[p.x * w, p.y * h] for p in res.pose_landmarks[0]])
            out.append(arr)
            i += 1
    cap.release()
    return np.stack(out)


def compare(pred: np.ndarray, truth: np.ndarray) -> dict:
    n = min(len(pred), len(truth))
    pred, truth = pred[:n], truth[:n]
    found = ~np.isnan(pred[:, 0, 0])
    err = np.linalg.norm(pred[found][:, CORE] - truth[found][:, CORE], axis=-1)
    per = {int(j): round(float(np.nanmean(err[:, k])), 1) for k, j in enumerate(CORE)} if found.any() else {}
    swapped = [SWAP[j] for j in CORE]
    err_sw = np.linalg.norm(pred[found][:, swapped] - truth[found][:, CORE], axis=-1)
    best = np.minimum(np.nanmean(err, axis=1), np.nanmean(err_sw, axis=1))
    return {
        "frames": int(n),
        "with_pose": int(found.sum()),
        "detection_rate": round(float(found.mean()), 3),
        "mean_err_px": round(float(np.nanmean(err)), 1) if found.any() else None,
        "mean_err_px_lr_tolerant": round(float(np.nanmean(best)), 1) if found.any() else None,
        "lr_swapped_frames": int(np.sum(np.nanmean(err_sw, axis=1) < np.nanmean(err, axis=1))) if found.any() else 0,
        "median_err_px": round(float(np.nanmedian(err)), 1) if found.any() else None,
        "per_joint_px": per,
    }


def check_videos(videos: list[str], model: str) -> int:
    for v in videos:
        truth = np.load(Path(v).with_suffix(".gt.npz"))["pixels"]
        res = compare(detect(v, model), truth)
        print(json.dumps({"video": Path(v).name, **res}), flush=True)
    return 0
