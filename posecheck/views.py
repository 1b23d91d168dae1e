"""Where the camera is, relative to the body: a pure classifier and its debounced vote.

MediaPipe's world landmarks are camera-aligned (x right, y down, z away from
the lens), so the direction from the body to the camera is -z in them.  Put
in the body's own frame - head (hip-mid to shoulder-mid), left (the hip
line, its sign from where the face points), front (left x head) - it says
where the camera stands: at the feet, the head, a side, in front, behind.

Which body axis is vertical depends on how the person lies or sits, so the
classifier takes the exercise's posture:

- supine: the chest is up; the floor is spanned by feet-head and the sides;
- side-lying: the upper side is up; the floor is spanned by feet-head and front-back;
- seated: the trunk is (roughly) up; the floor is spanned by front-back and the sides.

Azimuth is measured on the floor from the first floor axis (feet, feet,
front) toward the second (the person's left, front, left); elevation is the
camera direction's angle above the floor (lying postures only: a seated
person leans back on the hands, so the trunk is no reliable vertical).
Names come in 45 deg sectors ("feet", "feet-front", "front", ...; left and
right are both "side"), plus "raised" for a camera looking down.

The hip line is used rather than the shoulders: a twist turns the shoulders
toward the camera (the rendered seated-twist samples read 35-43 deg off with
the face and shoulders, 2-15 deg with the hips).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

from .geometry import UP, cross3, project_out, unit
from .pose import Landmark as L
from .pose import Pose
from .posture import person_left, points3d, trunk

SECTOR_DEG = 45.0
HYSTERESIS_DEG = 8.0  # a named sector is kept until the azimuth is this far past its edge
# Raised: the camera looks down on the floor.  MediaPipe reads the rendered samples' elevation
# high on side views (8-12 deg true read 17-19) and low on a raised one (30 deg true reads 22-28);
# feet-raised cameras (34-44 deg) read 49-59.  21 deg on, 19 off sits between.
RAISED_ON_DEG = 21.0
RAISED_OFF_DEG = 19.0
WINDOW_S = 1.5  # the vote looks at this much of the recent past
MIN_SAMPLES = 8  # ... and needs this many frames before it names a view

# posture -> (names at azimuth 0, +90, 180, -90 deg): the floor axes' two ends
FLOOR_NAMES: dict[str, tuple[str, str, str, str]] = {
    "supine": ("feet", "side", "head", "side"),
    "side-lying": ("feet", "front", "head", "back"),
    "seated": ("front", "side", "back", "side"),
}
POSTURES = tuple(FLOOR_NAMES)


@dataclass(frozen=True)
class CameraView:
    """Where the camera is seen from one pose (or a vote over several)."""

    posture: str
    azimuth_deg: float  # on the floor, from the first floor axis toward the second (-180..180)
    elevation_deg: float | None  # above the floor; None when the posture gives no floor (seated)
    direction: str  # "feet", "feet-side", "front", ...
    raised: bool | None  # camera looking down (None: not known)

    @property
    def name(self) -> str:
        """direction, with "-raised" when the camera looks down: "feet-raised", "side"."""
        return f"{self.direction}-raised" if self.raised else self.direction

    def matches(self, entry: str) -> bool:
        """A spec entry matches its direction at any height, or "direction-raised" only raised."""
        return entry in (self.direction, self.name)


def sector_name(posture: str, azimuth_deg: float) -> str:
    """The 45 deg sector's name for an azimuth ("feet", "feet-side", ...)."""
    names = FLOOR_NAMES[posture]
    k = round(azimuth_deg / SECTOR_DEG) % 8
    if k % 2 == 0:
        return names[k // 2]
    a, b = names[(k - 1) // 2], names[((k + 1) // 2) % 4]
    first, second = (a, b) if a in ("feet", "head", "front", "back") else (b, a)
    if first in ("front", "back") and second in ("feet", "head"):
        first, second = second, first
    return f"{first}-{second}"


def body_axes(pose: Pose) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(head, left, front) unit vectors in the pose's world (camera-aligned) coordinates."""
    p = points3d(pose)
    head = trunk(pose).axis
    face_left = person_left(pose)
    hips = p[L.LEFT_HIP] - p[L.RIGHT_HIP]
    if float(np.dot(hips, face_left)) < 0:  # MediaPipe swapped the hips' labels: the face decides
        hips = -hips
    left = unit(project_out(hips, head))
    return head, left, unit(cross3(left, head))


def classify_view(pose: Pose, posture: str) -> CameraView | None:
    """Where the camera is for a person in `posture` (supine, side-lying, seated); None if unknown.

    Needs world landmarks (the image alone has no depth); None without them or
    for a degenerate body (hips on shoulders).
    """
    if posture not in FLOOR_NAMES or pose.world is None:
        return None
    head, left, front = body_axes(pose)
    if not (np.all(np.isfinite(head)) and np.all(np.isfinite(left))):
        return None
    if posture == "supine":
        normal, a, b = front, -head, left
    elif posture == "side-lying":
        normal, a, b = (left if float(np.dot(left, UP)) > 0 else -left), -head, front
    else:
        normal, a, b = head, front, left
    to_camera = np.array([0.0, 0.0, -1.0])
    azimuth = math.degrees(math.atan2(float(np.dot(to_camera, b)), float(np.dot(to_camera, a))))
    elevation: float | None = None
    raised: bool | None = None
    if posture != "seated":
        elevation = math.degrees(math.asin(float(np.clip(np.dot(to_camera, normal), -1.0, 1.0))))
        raised = elevation > 0.5 * (RAISED_ON_DEG + RAISED_OFF_DEG)
    return CameraView(posture, azimuth, elevation, sector_name(posture, azimuth), raised)


class ViewVote:
    """Per-frame views in, a steady view out: circular median over WINDOW_S, sectors with hysteresis.

    update(t, view) adds one frame's view (None: not judged this frame) and
    returns the voted view, or None while there are too few recent frames.
    """

    def __init__(self, window_s: float = WINDOW_S, min_samples: int = MIN_SAMPLES) -> None:
        self.window_s = window_s
        self.min_samples = min_samples
        self._samples: deque[tuple[float, CameraView]] = deque()
        self.current: CameraView | None = None
        self._sector: int | None = None

    def reset(self) -> None:
        self._samples.clear()
        self.current = None
        self._sector = None

    def update(self, t: float, view: CameraView | None) -> CameraView | None:
        if view is not None:
            if self._samples and self._samples[-1][1].posture != view.posture:
                self.reset()
            self._samples.append((t, view))
        while self._samples and t - self._samples[0][0] > self.window_s:
            self._samples.popleft()
        if len(self._samples) < self.min_samples:
            return self.current if self._samples else None
        views = [v for _, v in self._samples]
        azimuth = circular_median([v.azimuth_deg for v in views])
        heights = [v.elevation_deg for v in views if v.elevation_deg is not None]
        elevation = float(np.median(heights)) if heights else None
        self.current = CameraView(
            views[-1].posture, azimuth, elevation, self._direction(views[-1].posture, azimuth), self._raised(elevation)
        )
        return self.current

    def _direction(self, posture: str, azimuth: float) -> str:
        """The sector's name; the current sector is kept until the azimuth is HYSTERESIS_DEG past its edge."""
        if self._sector is None or _gap(azimuth, self._sector * SECTOR_DEG) > SECTOR_DEG / 2 + HYSTERESIS_DEG:
            self._sector = round(azimuth / SECTOR_DEG) % 8
        return sector_name(posture, self._sector * SECTOR_DEG)

    def _raised(self, elevation: float | None) -> bool | None:
        if elevation is None:
            return None
        was = self.current.raised if self.current is not None else None
        return elevation > (RAISED_OFF_DEG if was else RAISED_ON_DEG)


def circular_median(angles_deg: list[float]) -> float:
    """A median of angles (degrees) that wraps at +-180: the circular mean, moved to the median offset from it.

    A lifted leg tilts the hip line for a moment; the median is not pulled by those frames.
    """
    a = np.radians(angles_deg)
    mean = math.atan2(float(np.mean(np.sin(a))), float(np.mean(np.cos(a))))
    offsets = (a - mean + math.pi) % (2 * math.pi) - math.pi
    return (math.degrees(mean + float(np.median(offsets))) + 180.0) % 360.0 - 180.0


def _gap(a: float, b: float) -> float:
    """Absolute angle between two azimuths, degrees (0..180)."""
    return abs((a - b + 180.0) % 360.0 - 180.0)


@dataclass(frozen=True)
class ViewSpec:
    """Which camera views suit an exercise: entries are directions ("feet-front") or "direction-raised".

    instruction: what to say while the view is neither recommended nor acceptable.
    """

    recommended: tuple[str, ...]
    acceptable: tuple[str, ...] = ()
    instruction: str = ""

    def fit(self, view: CameraView) -> str:
        """How the view suits the exercise: "recommended", "acceptable" or "wrong"."""
        if any(view.matches(entry) for entry in self.recommended):
            return "recommended"
        if any(view.matches(entry) for entry in self.acceptable):
            return "acceptable"
        return "wrong"


__all__ = [
    "POSTURES",
    "CameraView",
    "ViewSpec",
    "ViewVote",
    "body_axes",
    "circular_median",
    "classify_view",
    "sector_name",
]
