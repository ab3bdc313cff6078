"""Small timing helpers: a monotonic clock, medians and percentiles."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence

clock = time.perf_counter


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) by nearest rank; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def median_time(fn: Callable[[], object], repeat: int = 5, warmup: int = 1) -> float:
    """The median wall time of fn() in seconds, after warm-up calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = clock()
        fn()
        times.append(clock() - start)
    return statistics.median(times)


def rate(count: int, seconds: float) -> float:
    """Events per second (0 when nothing was timed)."""
    return count / seconds if seconds > 0 else 0.0
