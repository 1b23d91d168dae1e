from __future__ import annotations

import numpy as np
import pytest

from posecheck.counters import PersonalRange, RepCounter


def lift_signal(
    peaks: list[tuple[float, float]], fps: float = 30.0, rest: float = 3.0, noise: float = 0.0, seed: int = 0
):
    """(t, value) samples: each (peak, hold_s) is a rise of 0.8 s, a hold, a fall of 0.8 s, 1 s rest."""
    rng = np.random.default_rng(seed)
    values: list[float] = [rest] * int(fps)
    for peak, hold in peaks:
        rise = np.linspace(rest, peak, int(0.8 * fps))
        values += list(rise) + [peak] * int(hold * fps) + list(rise[::-1]) + [rest] * int(fps)
    v = np.array(values) + rng.normal(0, noise, len(values))
    return [(i / fps, float(x)) for i, x in enumerate(v)]


def run(counter, samples):
    return [c for t, v in samples if (c := counter.update(t, v)) is not None]


@pytest.mark.parametrize(
    ("peaks", "noise", "expected"),
    [
        ([(40, 1.5)] * 5, 0.0, 5),
        ([(40, 1.5)] * 5, 2.0, 5),  # jitter does not split or add reps
        ([(40, 1.5), (15, 1.5), (40, 1.5)], 0.0, 2),  # a 15 deg lift is not a rep
        ([(25, 0.0)] * 3, 0.5, 3),  # quick reps still count
        ([], 2.0, 0),  # rest with jitter: nothing
    ],
)
def test_rep_counter_counts(peaks, noise, expected):
    counter = RepCounter(enter=20, exit=12, rest=10)
    assert len(run(counter, lift_signal(peaks, noise=noise))) == expected


def test_rep_counter_peak_dwell_and_times():
    cycles = run(RepCounter(enter=20, exit=12, rest=10, dwell_band=5), lift_signal([(45, 2.0)]))
    (c,) = cycles
    assert c.peak == pytest.approx(45)
    assert 1.9 <= c.dwell_s <= 2.4
    assert c.start_t < c.peak_t < c.end_t
    assert c.start_t == pytest.approx(1.0, abs=0.15)


def test_rep_counter_ignores_nan_and_needs_min_duration():
    counter = RepCounter(enter=20, exit=12, min_rep_s=0.5)
    samples = [(0.0, 5.0), (0.1, float("nan")), (0.2, 30.0), (0.3, 5.0)]
    assert run(counter, samples) == []


def test_rep_counter_rejects_bad_thresholds():
    with pytest.raises(ValueError, match="exit"):
        RepCounter(enter=10, exit=12)


@pytest.mark.parametrize(("exit_dwell_s", "expected"), [(0.0, 3), (0.25, 1)])
def test_rep_counter_exit_dwell_keeps_a_rep_whole_through_brief_dips(exit_dwell_s, expected):
    """Two 3-frame dips to rest mid-lift (limbs swapped by the pose model) split a rep unless the
    signal must stay down exit_dwell_s; the rep then ends where it first fell below exit."""
    samples = lift_signal([(40, 3.0)])
    dips = {int(1.8 * 30) + k for k in range(3)} | {int(2.6 * 30) + k for k in range(3)}
    samples = [(t, 3.0 if i in dips else v) for i, (t, v) in enumerate(samples)]
    cycles = run(RepCounter(20, 12, exit_dwell_s=exit_dwell_s), samples)
    assert len(cycles) == expected
    if exit_dwell_s:
        assert cycles[0].end_t == pytest.approx(1.0 + 0.8 + 3.0 + 0.8 * 0.7, abs=0.1)
        assert cycles[0].peak == pytest.approx(40, abs=0.5)


def test_release_share_splits_reps_the_pose_model_reads_half_released():
    """Two squeezes (peak 0.25) whose release reads only down to 0.10: one rep with fixed thresholds,
    two when a rep also ends below half its own peak."""
    fps = 30.0
    values = [0.0] * 30 + [0.25] * 45 + [0.10] * 20 + [0.25] * 45 + [0.0] * 40
    samples = [(i / fps, v) for i, v in enumerate(values)]
    assert len(run(RepCounter(0.05, 0.025, exit_dwell_s=0.25), samples)) == 1
    assert len(run(RepCounter(0.05, 0.025, exit_dwell_s=0.25, release_share=0.5), samples)) == 2


@pytest.mark.parametrize("spike_frames", [8, 20])  # shorter and longer than min_rep_s
def test_release_share_needs_a_rise_of_that_share_before_the_next_rep(spike_frames):
    """A misread spike before the hold, then a half drop and back: one rep.  After a full release,
    a weaker rep still counts."""
    fps = 30.0
    spike = [0.0] * 30 + [0.26] * spike_frames + [0.11] * 12 + [0.13] * 30 + [0.0] * 30
    weaker = [0.0] * 30 + [0.25] * 40 + [0.0] * 30 + [0.08] * 40 + [0.0] * 30
    counter = RepCounter(0.05, 0.025, exit_dwell_s=0.25, release_share=0.5)
    assert len(run(counter, [(i / fps, v) for i, v in enumerate(spike)])) == 1
    counter = RepCounter(0.05, 0.025, exit_dwell_s=0.25, release_share=0.5)
    assert len(run(counter, [(i / fps, v) for i, v in enumerate(weaker)])) == 2


def adaptive_run(samples, min_rise=10.0, max_rise=15.0, first_rise=20.0):
    """A RepCounter whose thresholds follow the signal's own rest and range (PersonalRange)."""
    personal = PersonalRange(min_rise, max_rise, first_rise)
    counter = RepCounter(enter=first_rise / 2, exit=first_rise / 4, dwell_band=5)
    cycles = []
    for t, v in samples:
        personal.observe(t, v, counter.active)
        personal.apply(counter)
        if (c := counter.update(t, v)) is not None:
            personal.rep_done(c.peak)
            cycles.append(c)
    return cycles, personal


@pytest.mark.parametrize(
    ("rest", "peaks", "noise", "expected"),
    [
        (3.0, [(40, 1.5)] * 5, 1.0, 5),
        (25.0, [(55, 1.5)] * 5, 1.0, 5),  # resting 25 deg apart (a bent bottom leg): counted from there
        (25.0, [(70, 1.0)] * 4, 2.0, 4),
        (3.0, [(16, 1.0)] * 4, 0.5, 4),  # a small lift is still a rep
        (3.0, [(45, 1.0), (45, 1.0), (20, 1.0), (45, 1.0)], 0.5, 4),  # one weaker rep after big ones
        (25.0, [], 2.0, 0),  # resting jitter: nothing
        (3.0, [(9, 1.0)] * 3, 0.5, 0),  # a twitch of 6 deg is no lift
    ],
)
def test_personal_range_counts_from_the_persons_rest(rest, peaks, noise, expected):
    cycles, personal = adaptive_run(lift_signal(peaks, rest=rest, noise=noise, seed=3))
    assert len(cycles) == expected
    assert personal.rest == pytest.approx(rest, abs=3 * noise + 0.5)


def test_the_fixed_counter_misses_a_person_resting_high():
    """Why PersonalRange exists: thresholds fixed for a rest near zero never arm when the rest reads 25 deg."""
    assert run(RepCounter(enter=20, exit=12, rest=10), lift_signal([(55, 1.5)] * 5, rest=25.0)) == []


def test_personal_range_rejects_bad_limits():
    with pytest.raises(ValueError, match="min_rise"):
        PersonalRange(10.0, 5.0, 20.0)
