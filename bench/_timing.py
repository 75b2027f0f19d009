"""A small, generic micro-benchmark harness.

``compare`` times several zero-argument callables fairly against each other:
each case gets its own inner loop count (calibrated so that one timing lasts
about ``min_time`` seconds), then the rounds alternate between the cases
(round 1: A, B, C; round 2: A, B, C; ...) so that slow drifts of the machine
(frequency scaling, other load) hit every case alike.  The result is the
median of the per-call times over the rounds.

Each timing runs with the garbage collector disabled (restored afterwards)
and includes the cost of one Python call per iteration; that overhead is the
same for every case and is not subtracted.
"""

from __future__ import annotations

import gc
import itertools
import math
import statistics
import time
from collections.abc import Callable, Iterable, Mapping

__all__ = ["calibrate", "compare", "format_ratio_table", "time_loop"]


def time_loop(func: Callable[[], object], loops: int) -> float:
    """Return the total seconds taken by ``loops`` calls of ``func``, GC disabled."""
    repeat = itertools.repeat
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in repeat(None, loops):
            func()
        return time.perf_counter() - start
    finally:
        if gc_was_enabled:
            gc.enable()


def calibrate(func: Callable[[], object], min_time: float) -> int:
    """Return a loop count for which ``time_loop(func, n)`` lasts about ``min_time``."""
    loops = 1
    while True:
        elapsed = time_loop(func, loops)
        # Once a measurement is long enough to be trusted, extrapolate.
        if elapsed >= min_time / 10:
            return max(1, math.ceil(loops * min_time / elapsed))
        loops *= 10 if elapsed < min_time / 1000 else 2


def compare(
    cases: Mapping[str, Callable[[], object]],
    *,
    rounds: int = 7,
    min_time: float = 0.2,
) -> dict[str, float]:
    """Time every case; return the median seconds per call of each.

    All cases are calibrated first (in order), then ``rounds`` rounds are run,
    each round timing every case once in the order given.
    """
    if not cases:
        raise ValueError("no cases to compare")
    if rounds < 1:
        raise ValueError(f"rounds must be >= 1, got {rounds}")
    if not min_time > 0:
        raise ValueError(f"min_time must be > 0, got {min_time}")
    loops = {name: calibrate(func, min_time) for name, func in cases.items()}
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, func in cases.items():
            samples[name].append(time_loop(func, loops[name]) / loops[name])
    return {name: statistics.median(values) for name, values in samples.items()}


def _ratio(ours: float, peer: float) -> str:
    if peer > 0:
        return f"{ours / peer:.2f}"
    return "inf" if ours > 0 else "n/a"


def format_ratio_table(
    rows: Iterable[tuple[str, float, float]],
    *,
    ours: str = "ours",
    peer: str = "peer",
) -> str:
    """Format ``(operation, ours_seconds, peer_seconds)`` rows as an aligned table.

    Times are given in seconds per call and shown in microseconds; the last
    column is the ratio ours / peer.  Returns the table without a trailing
    newline.
    """
    header = ("operation", f"{ours} µs", f"{peer} µs", f"{ours}/{peer}")
    cells = [header] + [
        (operation, f"{ours_s * 1e6:.3f}", f"{peer_s * 1e6:.3f}", _ratio(ours_s, peer_s))
        for operation, ours_s, peer_s in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(4)]
    lines = []
    for row in cells:
        first = row[0].ljust(widths[0])
        rest = [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join([first, *rest]).rstrip())
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)
