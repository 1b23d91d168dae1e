"""Keeping the estimator's process and posecheck's own threads to separate CPUs on a small machine."""

from __future__ import annotations

import os
import threading

import pytest

from posecheck.cpus import CpuSplit, pinned, split_cpus, usable_cpus

linux_affinity = pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="no CPU affinity here")


@pytest.mark.parametrize(
    ("allowed", "expected"),
    [
        ({0, 1}, CpuSplit(frozenset({0}), frozenset({1}))),
        ({0, 1, 2}, CpuSplit(frozenset({0}), frozenset({1, 2}))),
        ({7, 3}, CpuSplit(frozenset({3}), frozenset({7}))),  # a container's cpuset need not start at 0
        ({0, 1, 2, 3}, None),  # room for both: nothing pinned
        ({4}, None),  # one CPU: nothing to split
        (set(), None),
    ],
)
def test_split(allowed: set[int], expected: CpuSplit | None):
    assert split_cpus(allowed) == expected


@linux_affinity
def test_pinned_keeps_this_thread_and_the_threads_it_starts_then_restores():
    before = usable_cpus()
    assert before
    target = frozenset({max(before)})
    seen: list[set[int]] = []
    with pinned(target):
        assert os.sched_getaffinity(0) == target
        worker = threading.Thread(target=lambda: seen.append(os.sched_getaffinity(0)))
        worker.start()
        worker.join()
    assert seen == [target]
    assert usable_cpus() == before


@linux_affinity
def test_pinned_none_changes_nothing_and_restores_after_an_error():
    before = usable_cpus()
    assert before
    with pinned(None):
        assert usable_cpus() == before
    with pytest.raises(RuntimeError), pinned(frozenset({min(before)})):
        raise RuntimeError("analysis failed")
    assert usable_cpus() == before


@linux_affinity
def test_a_cpu_not_ours_is_ignored_not_an_error():
    before = usable_cpus()
    assert before
    with pinned(frozenset({max(before) + 4096})):
        assert usable_cpus() == before
