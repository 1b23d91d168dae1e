"""Keeping the estimator's process and posecheck's own threads to separate CPUs on a small machine."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from posecheck.cpus import CpuSplit, pinned, split_cpus, usable_cpus
from posecheck.report import ReportBuilder
from posecheck.session import SessionResult

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


class FakeRun:
    """Stands in for analyze's session run: notes the CPUs it was given for the estimator and this thread's."""

    def __init__(self) -> None:
        self.seen: list[tuple[frozenset[int] | None, set[int]]] = []

    def __call__(self, video, options, every_frame, rule, cpus, done, timeline=None) -> SessionResult:  # type: ignore[no-untyped-def]
        self.seen.append((cpus, os.sched_getaffinity(0)))
        done.append(SessionResult(ReportBuilder(rule.name, str(video), 0.0)))
        return done[0]


@linux_affinity
@pytest.mark.parametrize("pin", [False, True])
def test_the_library_call_pins_cpus_only_when_asked(monkeypatch: pytest.MonkeyPatch, pin: bool) -> None:
    import posecheck.analyze as analyze_module

    before = os.sched_getaffinity(0)
    if len(before) < 2:
        pytest.skip("one CPU: nothing to split")
    first, second = sorted(before)[:2]
    run = FakeRun()
    monkeypatch.setattr(analyze_module, "_run", run)
    monkeypatch.setattr(analyze_module, "split_cpus", lambda: CpuSplit(frozenset({first}), frozenset({second})))
    analyze_module.analyze("clip.mp4", analyze_module.AnalyzeOptions("leg-lift", every_frame=True, pin_cpus=pin))
    ((estimator, during),) = run.seen
    assert (estimator, during) == (({first}, {second}) if pin else (None, before))
    assert os.sched_getaffinity(0) == before


@pytest.mark.parametrize("command", [["analyze", "clip.mp4"], ["demo", "-e", "leg-lift"]])
def test_the_cli_run_asks_for_pinning(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, command: list[str]) -> None:
    import posecheck.analyze as analyze_module
    from posecheck.cli import main

    asked: list[bool] = []

    def fake_analyze(video, options) -> SessionResult:  # type: ignore[no-untyped-def]
        asked.append(options.pin_cpus)
        return SessionResult(ReportBuilder(options.exercise, str(video), 0.0))

    monkeypatch.setattr(analyze_module, "analyze", fake_analyze)
    monkeypatch.chdir(tmp_path)  # the demo makes ./posecheck-demo
    assert main(command) == 0
    assert asked == [True]
