"""Camera view check at the start of each exercise: does the camera stand where the exercise wants it?

The Session runs it every frame for the exercise being coached (a routine's
current step).  Frames where the person is not in the exercise's position are
skipped (getting down on the floor is not a view), the rest are classified
(views.py) and voted.  A view that stays wrong for WRONG_AFTER_S gives the
exercise's instruction, on screen until the view is right and spoken again
every REPEAT_S; a view that is right for SETTLE_S settles the check for this
exercise (an acceptable but not recommended view gets the instruction once,
as a tip).  Leaving the position (for LEAVE_S) starts the vote afresh, so the
instruction comes only after WRONG_AFTER_S of being seen in position from the
wrong side.

A frame whose body reads cut off or too small (the framing check's message)
gives no view: MediaPipe has lost part of the body and its world landmarks
are no guide to where the camera is.  But a framing problem is no sign that
the camera moved, so while the person stays in position the view voted last
stands, and its timers run on: a camera at the raised feet of a figure-four
loses the torso behind the raised legs for the whole hold (the pose shrinks
to the legs; its world landmarks read the camera below the floor), and the
user must still hear where to put it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .events import Cue, Event
from .pose import Pose
from .rules import CueLimiter, ExerciseRule
from .views import CameraView, ViewSpec, ViewVote, classify_view

WRONG_AFTER_S = 2.0  # a wrong view must hold this long (voted) before the instruction
RIGHT_AFTER_S = 1.0  # the instruction leaves the screen once the view has been right this long
POSITION_S = 1.0  # the person must be in position this long before the view is judged
SETTLE_S = 3.0  # a view right this long is settled: no more instructions for this exercise
REPEAT_S = 10.0  # the instruction is said again this often while the view stays wrong
LEAVE_S = 1.0  # out of position (or unseen) this long has left it: the check starts afresh.  A shorter moment is
#               MediaPipe misreading the posture (a figure-four read seated for 0.4 s while the legs came up)


@dataclass
class ViewRecord:
    """What the check saw for one exercise (the report's "camera" entries)."""

    exercise: str
    votes: Counter[str] = field(default_factory=Counter)
    fits: dict[str, str] = field(default_factory=dict)
    last: CameraView | None = None
    instructed: int = 0
    settled: bool = False

    def to_json(self) -> dict[str, object]:
        view = self.votes.most_common(1)[0][0] if self.votes else None
        out: dict[str, object] = {
            "exercise": self.exercise,
            "view": view,
            "fit": self.fits.get(view) if view else None,
            "instructed": self.instructed,
            "settled": self.settled,
        }
        if self.last is not None:
            out["azimuth_deg"] = round(self.last.azimuth_deg, 1)
            if self.last.elevation_deg is not None:
                out["elevation_deg"] = round(self.last.elevation_deg, 1)
        return out


class ViewCheck:
    """update(t, pose, rule) -> setup/info cues; `message` is the standing on-screen instruction."""

    def __init__(self) -> None:
        self.message: str | None = None
        self.records: list[ViewRecord] = []
        self._rule: ExerciseRule | None = None
        self._record: ViewRecord | None = None
        self._vote = ViewVote()
        self._cue = CueLimiter(REPEAT_S)
        self._wrong_since: float | None = None
        self._right_since: float | None = None
        self._in_position_since: float | None = None
        self._standing: CameraView | None = None  # the view voted last while in position
        self._out_since: float | None = None

    def update(self, t: float, pose: Pose | None, rule: ExerciseRule | None, framing: str | None = None) -> list[Event]:
        """One frame; framing: the framing check's message for this pose (None: framed well)."""
        if rule is not self._rule:
            self._begin(rule)
        record = self._record
        if rule is None or rule.views is None or rule.posture is None or record is None or record.settled:
            return []  # settled: the view found at the start stands for the exercise
        if pose is None or not _in_position(pose, rule):
            self._out_since = t if self._out_since is None else self._out_since
            if t - self._out_since >= LEAVE_S:  # left the position: start afresh
                self._in_position_since = self._wrong_since = self._right_since = None
                self._standing = None
                self._vote.reset()
            return []
        self._out_since = None
        self._in_position_since = t if self._in_position_since is None else self._in_position_since
        if t - self._in_position_since < POSITION_S:
            return []
        if framing is not None:  # no view read from this body; the last one stands while in position
            return [] if self._standing is None else self._judge(t, self._standing, rule.views, record)
        view = classify_view(pose, rule.posture)
        voted = self._vote.update(t, view)
        if view is None or voted is None:
            return []  # nothing judged: the timers wait
        self._standing = voted
        record.votes[voted.name] += 1
        record.fits[voted.name] = rule.views.fit(voted)
        record.last = voted
        return self._judge(t, voted, rule.views, record)

    def _judge(self, t: float, voted: CameraView, spec: ViewSpec, record: ViewRecord) -> list[Event]:
        """The instruction's timers for this frame's view: told while wrong, settled once right."""
        fit = spec.fit(voted)
        if fit == "wrong":
            self._right_since = None
            self._wrong_since = t if self._wrong_since is None else self._wrong_since
            if t - self._wrong_since < WRONG_AFTER_S:
                return []
            self.message = spec.instruction
            said = self._cue(t, spec.instruction, None, "setup")
            record.instructed += len(said)
            return said
        self._wrong_since = None
        self._right_since = t if self._right_since is None else self._right_since
        if t - self._right_since >= RIGHT_AFTER_S:
            self.message = None
        if t - self._right_since < SETTLE_S:
            return []
        record.settled = True
        if fit == "acceptable":  # works, but not the best place: one tip
            record.instructed += 1
            return [Cue(t, spec.instruction, None, "info")]
        return []

    def report(self) -> list[dict[str, object]]:
        return [r.to_json() for r in self.records if r.votes]

    def _begin(self, rule: ExerciseRule | None) -> None:
        self._rule = rule
        self.message = None
        self._vote.reset()
        self._cue = CueLimiter(REPEAT_S)
        self._wrong_since = self._right_since = self._in_position_since = None
        self._standing = self._out_since = None
        self._record = ViewRecord(rule.name) if rule is not None and rule.views is not None else None
        if self._record is not None:
            self.records.append(self._record)


def _in_position(pose: Pose, rule: ExerciseRule) -> bool:
    """The person is in the exercise's position: by the posture classifier, or the rule is judging."""
    return rule.state.status is None or rule.fits(pose)


__all__ = ["ViewCheck", "ViewRecord"]
