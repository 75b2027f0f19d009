"""Clocks for timers and timeouts: the running loop's, or a manual one for tests.

A manual clock makes time a value the test sets: ``clock.advance(5)`` runs every
timer due within the next 5 seconds, in order, with no sleeping.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Callable
from typing import Protocol

__all__ = ["Clock", "LoopClock", "ManualClock", "TimerHandle"]


class TimerHandle(Protocol):
    def cancel(self) -> None: ...


class Clock(Protocol):
    """What the scheduler needs of time."""

    def now(self) -> float: ...

    def call_later(self, delay: float, callback: Callable[[], None]) -> TimerHandle: ...


class LoopClock:
    """The running asyncio loop's clock (``loop.time()``, ``loop.call_later``)."""

    def now(self) -> float:
        return asyncio.get_running_loop().time()

    def call_later(self, delay: float, callback: Callable[[], None]) -> TimerHandle:
        return asyncio.get_running_loop().call_later(max(delay, 0.0), callback)


class _ManualTimer:
    __slots__ = ("cancelled",)

    def __init__(self) -> None:
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class ManualClock:
    """A clock that only moves when told to: ``advance(seconds)`` runs the timers due."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = start
        self._heap: list[tuple[float, int, _ManualTimer, Callable[[], None]]] = []
        self._seq = itertools.count()

    def now(self) -> float:
        return self._now

    def call_later(self, delay: float, callback: Callable[[], None]) -> TimerHandle:
        timer = _ManualTimer()
        heapq.heappush(self._heap, (self._now + max(delay, 0.0), next(self._seq), timer,
                                    callback))
        return timer

    def advance(self, seconds: float) -> int:
        """Move time forward by *seconds*, running due timers in order; returns how many ran."""
        until = self._now + seconds
        ran = 0
        while self._heap and self._heap[0][0] <= until:
            when, _, timer, callback = heapq.heappop(self._heap)
            self._now = when
            if not timer.cancelled:
                callback()
                ran += 1
        self._now = until
        return ran

    @property
    def pending(self) -> int:
        """Timers not yet run nor cancelled."""
        return sum(1 for _, _, t, _ in self._heap if not t.cancelled)
