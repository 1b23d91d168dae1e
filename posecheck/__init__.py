"""posecheck: checks home exercises for low back pain with MediaPipe pose landmarks."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .errors import ConfigError, InputError, ModelError, NoPersonError, PosecheckError, SourceLostError
from .events import Cue, Event, HoldEvent, HoldRecord, RepEvent, RepRecord, Say, SetEvent, SideEvent
from .pose import Landmark, Pose
from .registry import available, get_exercise
from .rules import ExerciseRule, RuleState

try:
    __version__ = version("posecheck")
except PackageNotFoundError:  # a plain checkout
    __version__ = "0.0.0+checkout"

__all__ = [
    "ConfigError", "Cue", "Event", "ExerciseRule", "HoldEvent", "HoldRecord", "InputError",
    "Landmark", "ModelError", "NoPersonError", "Pose", "PosecheckError", "RepEvent", "RepRecord",
    "RuleState", "Say", "SetEvent", "SideEvent", "SourceLostError", "available", "get_exercise",
]  # fmt: skip
