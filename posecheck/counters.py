"""Rep counting: returns records and draws nothing (hold clocks live with the hold rules, exercises/_hold_clock.py)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Cycle:
    """One completed up-and-down of a signal."""

    start_t: float
    peak_t: float
    end_t: float
    peak: float
    dwell_s: float
    samples_t: tuple[float, ...] = field(repr=False, default=())
    samples_v: tuple[float, ...] = field(repr=False, default=())


@dataclass
class RepCounter:
    """Hysteresis rep counter on a scalar signal (e.g. a lift angle).

    A rep starts when the signal rises above `enter` and ends when it falls
    below `exit`; it counts only if it lasted `min_rep_s` and the signal had
    been below `exit` before.  The start time is taken back to the last time
    the signal was at rest (below `rest`).  Peak and dwell are read from the
    rep's samples after a 5-frame moving average; dwell = time from the first
    to the last sample within `dwell_band` of the peak.  With `exit_dwell_s`
    the signal must stay below `exit` that long before the rep ends (at the
    time it first fell below): a dip of a frame or two mid-rep, as when the
    pose model swaps two limbs, does not split the rep.

    With `release_share` the hysteresis follows the rep's own size: a rep also
    ends once the signal is back below that share of its peak.  Until the
    signal is back below `exit`, the next rep then needs a rise from the
    lowest value since of that same share of the last peak: two reps whose
    release the pose model reads as a half release are two, and a wobble on a
    slow release or a misread spike before a rep's peak does not make two.
    """

    enter: float
    exit: float
    rest: float | None = None
    min_rep_s: float = 0.4
    dwell_band: float = 5.0
    exit_dwell_s: float = 0.0
    release_share: float = 0.0

    def __post_init__(self) -> None:
        if self.exit >= self.enter:
            raise ValueError(f"exit ({self.exit}) must be below enter ({self.enter})")
        self.rest = self.exit if self.rest is None else self.rest
        self.reset()

    def reset(self) -> None:
        self.active = False
        self._armed = False
        self._rest_t: float | None = None
        self._t: list[float] = []
        self._v: list[float] = []
        self._below: int | None = None  # index of the sample where the signal fell below exit
        self._trough = float("-inf")  # lowest value since the last rep ended (release_share)
        self._rise = 0.0  # ... and the rise from it that starts the next rep before a full release

    @property
    def current_peak(self) -> float:
        return max(self._v) if self._v else float("nan")

    def update(self, t: float, value: float) -> Cycle | None:
        if not np.isfinite(value):
            return None
        if not self.active:
            self._trough = min(self._trough, value)
            if value < self.exit:
                self._armed = True
                self._rise = 0.0
            if value <= self.rest:  # type: ignore[operator]
                self._rest_t = t
                self._t, self._v = [], []
            else:
                self._t.append(t)
                self._v.append(value)
            if self._armed and value > self.enter and value - self._trough >= self._rise:
                self.active = True
            return None
        self._t.append(t)
        self._v.append(value)
        if value >= max(self.exit, self.release_share * self.current_peak):
            self._below = None
            return None
        if self._below is None:
            self._below = len(self._t) - 1
        end_t = self._t[self._below]
        if t - end_t < self.exit_dwell_s:
            return None
        del self._t[self._below :], self._v[self._below :]
        self.active = False
        self._armed = True
        self._below = None
        cycle = self._close(end_t)
        self._t, self._v = [], []
        self._rest_t = t
        self._trough = value
        if cycle.end_t - cycle.start_t < self.min_rep_s:
            self._rise = 0.0  # a blip, not a rep: it sets no bar for the next one
            return None
        self._rise = self.release_share * cycle.peak
        return cycle

    def _close(self, end_t: float) -> Cycle:
        t = np.asarray(self._t)
        v = np.asarray(self._v)
        k = min(5, len(v))  # a short moving average so one noisy frame is not the peak
        smooth = np.convolve(np.pad(v, (k // 2, k - 1 - k // 2), mode="edge"), np.ones(k) / k, mode="valid")
        i = int(np.argmax(smooth))
        top = np.flatnonzero(smooth >= smooth[i] - self.dwell_band)
        dwell = float(t[top[-1]] - t[top[0]])  # first to last time near the peak
        start = self._rest_t if self._rest_t is not None else float(t[0])
        return Cycle(start, float(t[i]), end_t, float(smooth[i]), dwell, tuple(t), tuple(v))


@dataclass
class PersonalRange:
    """A RepCounter's thresholds from the person's own rest level and range, learned as they go.

    rest: a low percentile of the signal over the last `window_s` seconds while no rep is under
    way (frozen during a rep), so a person whose resting reading is off zero - a bent bottom leg,
    a camera that reads the legs apart - is counted from where they rest.  rise: the median rise
    (peak - rest) of the last three reps, `first_rise` before any.  Between reps the counter gets

        enter = rest + clip(enter_share * rise, min_rise, max_rise)
        exit  = rest + exit_ratio * (enter - rest)
        rest line (a rep's start) = rest + rest_ratio * (enter - rest)

    min_rise and max_rise are in the spec's terms (degrees of lift, share of the hip width): the
    smallest rise that can be a rep, and the most that is ever asked of one.
    """

    min_rise: float
    max_rise: float
    first_rise: float
    enter_share: float = 0.5
    exit_ratio: float = 0.5
    rest_ratio: float = 0.25
    window_s: float = 4.0
    percentile: float = 20.0
    _seen: deque[tuple[float, float]] = field(default_factory=deque, repr=False)  # (t, value) of the window
    _rises: deque[float] = field(default_factory=lambda: deque(maxlen=3), repr=False)
    rest: float = float("nan")

    def __post_init__(self) -> None:
        if not 0.0 < self.min_rise <= self.max_rise:
            raise ValueError(f"need 0 < min_rise <= max_rise, got {self.min_rise} and {self.max_rise}")

    def observe(self, t: float, value: float, active: bool) -> None:
        """One sample; the rest level follows only while no rep is under way."""
        if active or not np.isfinite(value):
            return
        self._seen.append((t, value))
        while self._seen[0][0] < t - self.window_s:
            self._seen.popleft()
        self.rest = float(np.percentile([v for _, v in self._seen], self.percentile))

    def rep_done(self, peak: float) -> float:
        """A rep ended at this peak: its rise over the rest level (also remembered for the next thresholds)."""
        rise = peak - self.rest
        self._rises.append(rise)
        return rise

    @property
    def rise(self) -> float:
        return float(np.median(self._rises)) if self._rises else self.first_rise

    @property
    def enter_rise(self) -> float:
        return float(np.clip(self.enter_share * self.rise, self.min_rise, self.max_rise))

    def thresholds(self, rest: float) -> tuple[float, float, float]:
        """(enter, exit, rest line) over a resting level, for the current rise."""
        step = self.enter_rise
        return rest + step, rest + self.exit_ratio * step, rest + self.rest_ratio * step

    def apply(self, counter: RepCounter) -> None:
        """Set the counter's thresholds from the current rest and rise (call between reps only)."""
        if counter.active or not np.isfinite(self.rest):
            return
        counter.enter, counter.exit, counter.rest = self.thresholds(self.rest)
