"""Figure-four measures of one pose (no state): which leg is crossed, where its ankle rests, the knee's angle.

Per frame, from 3-D world landmarks (metres):
- which ankle is crossed: the ankle lying closest to the *other* leg's thigh
  (near its knee).  MediaPipe swaps the crossed ankle's label, so the legs
  are told apart by geometry: each ankle goes with the knee whose shin ends
  in it (posture.leg_chains), the thigh of the other leg it rests on is the
  support thigh, the other hip and knee belong to the crossed leg;
- ankle-to-thigh distance (in thigh lengths) and where along the thigh it rests,
  each the smaller of 3-D and the picture's (MediaPipe's ankle depth is poor;
  the picture's in the longer thigh's picture length);
- support hip flexion (thigh against the trunk line);
- knee out: the crossed thigh's angle from the support thigh, seen along the
  trunk axis, positive toward the crossed side (the knee pointing outward);
- the same angle in the picture (knee_out_image), and where the camera stands:
  its azimuth from the feet toward the crossed leg's side (camera_azimuth).
The person's own side of the crossed leg comes from the face direction.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from posecheck.geometry import project_out, signed_angle_in_plane, unit
from posecheck.pose import Landmark as L
from posecheck.pose import Pose
from posecheck.posture import hip_flexion, leg_chains, points3d, side_of, trunk

# where the picture shows the knee's drift (exercises/figure_four.py: "The knee from the feet-side view")
PICTURE_AZ_MIN_DEG = 25.0  # the picture judges the knee from a camera at the feet turned toward the crossed leg's
PICTURE_AZ_MAX_DEG = 80.0  # side: rendered 45 deg views read 52-74 (MediaPipe flattens depth toward the side);
#                            straight from the feet (< 25) the knee's swing toward the feet runs along the lens axis
PICTURE_HIP_FLEX_MIN_DEG = 90.0  # ... with the crossed ankle toward the head from the crossed hip (rendered support
#                                 hips read 92-107); synthetic, at 80 deg the picture angle stops growing with the knee


@dataclass(frozen=True)
class Frame:
    """The per-frame measures of one figure-four pose."""

    side: str  # the person's own side of the crossed leg
    ankle_gap: float  # crossed ankle to the support thigh, thigh lengths
    ankle_along: float  # where along the support thigh (0 hip, 1 knee)
    hip_flex: float  # support hip flexion, degrees
    knee_out: float  # crossed thigh from the support thigh, seen along the trunk, + outward
    crossed: tuple[int, int, int]  # hip, knee, ankle landmark indices of the crossed leg
    knee_out_image: float = float("nan")  # the same angle in the picture, + toward the crossed hip's side
    camera_azimuth: float = float("nan")  # camera from the feet toward the crossed leg's side, deg (-180..180)

    @property
    def picture_view(self) -> bool:
        """The picture shows the knee's drift: camera at the feet toward the crossed side, legs toward the chest."""
        toward = PICTURE_AZ_MIN_DEG <= self.camera_azimuth <= PICTURE_AZ_MAX_DEG
        return toward and self.hip_flex >= PICTURE_HIP_FLEX_MIN_DEG


THIGHS = ((L.LEFT_HIP, L.LEFT_KNEE), (L.RIGHT_HIP, L.RIGHT_KNEE))
# a leg landmark's twin on the other leg
OTHER = {
    L.LEFT_HIP: L.RIGHT_HIP, L.RIGHT_HIP: L.LEFT_HIP, L.LEFT_KNEE: L.RIGHT_KNEE, L.RIGHT_KNEE: L.LEFT_KNEE,
    L.LEFT_ANKLE: L.RIGHT_ANKLE, L.RIGHT_ANKLE: L.LEFT_ANKLE,
}  # fmt: skip


def measure(pose: Pose) -> Frame:
    """All figure-four measures of one pose (no state)."""
    p = points3d(pose)
    chains = leg_chains(pose)  # each ankle with the knee whose shin ends in it (MediaPipe swaps crossed ankles' labels)
    best: tuple[float, float, int, int] | None = None
    for ankle in (L.LEFT_ANKLE, L.RIGHT_ANKLE):
        for i, (hip, knee) in enumerate(THIGHS):
            if ankle == chains["left" if i == 0 else "right"][2]:
                continue  # an ankle rests on the other leg's thigh: MediaPipe put a rendered crossed ankle 25 px off,
                #           by its own mid-thigh, and that leg was taken for the support one in 60 % of the frames
            thigh = p[knee] - p[hip]
            length = float(np.linalg.norm(thigh))
            if length < 1e-6:
                continue
            s = float(np.dot(p[ankle] - p[hip], thigh) / length**2)
            gap = float(np.linalg.norm(p[ankle] - (p[hip] + np.clip(s, 0.0, 1.0) * thigh))) / length
            # the picture counts as much as 3-D, for choosing the pair too: MediaPipe's depth of the crossed
            # ankle is its least certain coordinate (a feet-oblique view put it 1.15 thigh lengths off the
            # support thigh in 3-D, 0.14 in the picture, and the ankle's own thigh won)
            gap, s = min((gap, s), _image_gap(pose, ankle, hip, knee))
            if s < 0.25:  # an ankle by the hip is its own heel at the buttock, not a crossed leg
                continue
            if best is None or gap < best[0]:
                best = (gap, s, ankle, i)
    if best is None:
        nan = float("nan")
        return Frame(side_of(pose, p[L.LEFT_HIP]), nan, nan, nan, nan, (L.LEFT_HIP, L.LEFT_KNEE, L.LEFT_ANKLE))
    gap, along, ankle, support_i = best
    s_hip, s_knee = THIGHS[support_i]
    c_hip, c_knee = THIGHS[1 - support_i]
    side = side_of(pose, p[c_hip])
    axis = trunk(pose).axis
    out = p[c_hip] - p[s_hip]
    knee_out = signed_angle_in_plane(
        project_out(p[c_knee] - p[c_hip], axis), project_out(p[s_knee] - p[s_hip], axis), out
    )
    q = pose.pixels_iso
    image_out = signed_angle_in_plane(q[c_knee] - q[c_hip], q[s_knee] - q[s_hip], q[c_hip] - q[s_hip])
    return Frame(
        side, gap, along, hip_flexion(pose, s_hip, s_knee), knee_out, (c_hip, c_knee, ankle),
        image_out, _camera_azimuth(axis, out),
    )  # fmt: skip


def _camera_azimuth(axis: np.ndarray, out: np.ndarray) -> float:
    """Where the camera stands: its azimuth from the feet toward the crossed hip's side, degrees.

    From the trunk axis and the hip line (support hip -> crossed hip) in
    MediaPipe's camera-aligned world, where the camera lies along -z.  The
    hip line, not the face, gives the side: on a rendered body MediaPipe's
    face direction flipped in 60 % of the frames while its hips stayed put.
    """
    across = unit(project_out(out, axis))
    to_camera = np.array([0.0, 0.0, -1.0])
    return float(np.degrees(np.arctan2(np.dot(to_camera, across), np.dot(to_camera, -axis))))


def across(pose: Pose) -> float:
    """How much of a move across the body (left-right) shows in the picture, 0 (along the lens axis) to 1.

    The shoulder line's length in the picture over its length in metres, with
    the picture's scale from the trunk's sides (across the picture when the
    body lies side-on to the camera).
    """
    p, q = points3d(pose), pose.pixels_iso
    sides = [(L.LEFT_SHOULDER, L.LEFT_HIP), (L.RIGHT_SHOULDER, L.RIGHT_HIP)]
    metres = sum(float(np.linalg.norm(p[a] - p[b])) for a, b in sides)
    scale = sum(float(np.linalg.norm(q[a] - q[b])) for a, b in sides) / metres if metres > 1e-6 else float("nan")
    width = float(np.linalg.norm(p[L.LEFT_SHOULDER] - p[L.RIGHT_SHOULDER]))
    if not (width > 1e-6 and scale > 1e-6):
        return float("nan")
    return float(np.linalg.norm(q[L.LEFT_SHOULDER] - q[L.RIGHT_SHOULDER])) / scale / width


def _image_gap(pose: Pose, ankle: int, hip: int, knee: int) -> tuple[float, float]:
    """Ankle-to-thigh distance in the picture, in (picture) thigh lengths, and where along the thigh.

    The crossed ankle's depth is MediaPipe's least certain coordinate; seen
    from the side the ankle lies on the thigh in the picture while the 3-D
    estimate puts it 0.5 thigh lengths away (rendered sample).  The length is
    the longer of the two thighs in the picture: both are as long, and one
    reads short when it points toward the lens or MediaPipe misplaces its hip
    (a rendered male body seen from the feet: support thigh 0.62 of its true
    picture length, its hip 25 px off; a resting ankle read 0.46 by it, 0.34
    by the crossed thigh, 0.14 true).
    """
    q = pose.pixels_iso
    thigh = q[knee] - q[hip]
    length = float(np.linalg.norm(thigh))
    if length < 1e-6:
        return float("inf"), float("nan")
    along = float(np.dot(q[ankle] - q[hip], thigh) / length**2)
    scale = max(float(np.linalg.norm(q[k] - q[h])) for h, k in THIGHS)
    return float(np.linalg.norm(q[ankle] - (q[hip] + np.clip(along, 0.0, 1.0) * thigh))) / scale, along


__all__ = ["OTHER", "THIGHS", "Frame", "across", "measure"]
