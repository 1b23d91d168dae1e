"""Which CPUs the estimator's process and posecheck's own threads keep to, on a small machine.

On 2 vCPUs (measured here), with both free to run anywhere, posecheck's
decoding, rules, drawing and encoding kept landing on the core MediaPipe's
threads were about to use, and MediaPipe in its child process ran 5-15 %
slower than alone.  With the child kept to one CPU and this process's
threads to the other, MediaPipe runs as fast as it does alone
(docs/performance.md).  With 4 or more CPUs there is room for both, and nothing is pinned.
Linux only: elsewhere (no sched_setaffinity) nothing is pinned either.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Collection, Iterator
from dataclasses import dataclass

PIN_MAX_CPUS = 3  # pinned only with this many usable CPUs or fewer (and at least 2)


@dataclass(frozen=True)
class CpuSplit:
    estimator: frozenset[int]  # the estimator's process
    rest: frozenset[int]  # this process: decoding, rules, drawing, encoding


def split_cpus(allowed: Collection[int] | None = None) -> CpuSplit | None:
    """The first usable CPU for the estimator and the others for the rest; None: do not pin."""
    if allowed is None:
        allowed = usable_cpus()
    if allowed is None or not 2 <= len(allowed) <= PIN_MAX_CPUS:
        return None
    first, *others = sorted(allowed)
    return CpuSplit(frozenset({first}), frozenset(others))


def usable_cpus() -> frozenset[int] | None:
    """The CPUs this thread may run on; None where that cannot be asked (not Linux)."""
    if not hasattr(os, "sched_getaffinity"):
        return None
    return frozenset(os.sched_getaffinity(0))


def pin_this_thread(cpus: Collection[int]) -> bool:
    """Keep the calling thread, and the threads it starts from now on, to `cpus`; False if not possible."""
    if not hasattr(os, "sched_setaffinity"):
        return False
    try:
        os.sched_setaffinity(0, cpus)  # on Linux, pid 0 is the calling thread, not the whole process
    except OSError:  # a CPU not ours to use (a container's cpuset changed meanwhile)
        return False
    return True


def pin_process(cpus: Collection[int]) -> bool:
    """Keep every thread of this process (those started at import, like numpy's, too) to `cpus`."""
    if not pin_this_thread(cpus):
        return False
    with contextlib.suppress(OSError):  # no /proc: this thread only
        for thread in os.listdir("/proc/self/task"):
            with contextlib.suppress(OSError):  # a thread that ended meanwhile
                os.sched_setaffinity(int(thread), cpus)
    return True


@contextlib.contextmanager
def pinned(cpus: Collection[int] | None) -> Iterator[None]:
    """The calling thread (and those it starts meanwhile) kept to `cpus`, as before afterwards; None: no change."""
    before = usable_cpus()
    if cpus is None or before is None or not pin_this_thread(cpus):
        yield
        return
    try:
        yield
    finally:
        pin_this_thread(before)


__all__ = ["PIN_MAX_CPUS", "CpuSplit", "pin_process", "pin_this_thread", "pinned", "split_cpus", "usable_cpus"]
