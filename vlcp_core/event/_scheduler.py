"""The scheduler: queued events delivered to waiting coroutines and callbacks.

Theory of operation
-------------------
Producers ``send`` events into a queue tree (``_queue.EventQueue``).  When the
tree goes from idle to having an event, it calls the scheduler's ready callback,
which schedules one *drain* with ``loop.call_soon``: delivery is always
asynchronous, never inside ``send``.  A coroutine about to wait (``wait_event``)
drains what is already queued first, so an exchange of events costs one loop turn
per hop, as with ``asyncio.Queue``, not two; the order is the queues' order either
way.  A drain takes events in the tree's order
(priorities, round robin, per-key fairness), finds the registrations each event
satisfies in the matcher index tree (cost independent of how many matchers wait)
and delivers it:

- to waiters (``wait_event``): their future gets ``(event, matcher)``; the waiter
  resumes on its own loop step and removes its registrations;
- to callbacks (``on``): called right there, for hot paths where a coroutine resume
  per event is too dear; an exception is logged with the event and counted.

An event nobody takes is dropped, unless its class is ``cannot_ignore``: then it
is put back at the head of its queue, which is blocked (only that queue) until a
new waiter or callback registers.  A drain handles a bounded batch, then yields
the loop to other tasks.

The scheduler belongs to one asyncio loop (the first one that uses it) and is not
thread-safe: other threads reach it through ``loop.call_soon_threadsafe``.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from ._clock import Clock, LoopClock, TimerHandle
from ._event import Event, event
from ._matcher import EventMatcher, MatcherTree
from ._queue import EventQueue, QueueStatistics

__all__ = ["QueueEmptyEvent", "Scheduler", "SchedulerStatistics", "TimerEvent"]

log = logging.getLogger("vlcp_core.event")
T = TypeVar("T")
_BATCH = 256


@event(index=("timer",))
class TimerEvent(Event):
    """Sent when a timer made by ``Scheduler.timer`` expires."""

    timer: int


@event(index=("queue",))
class QueueEmptyEvent(Event):
    """Delivered when a queue watched with ``Scheduler.watch_empty`` becomes empty.

    It is delivered directly to matchers (asynchronously), not through the queues:
    queueing it would make the queue non-empty again."""

    queue: str


@dataclass(frozen=True)
class SchedulerStatistics:
    """Counters of a scheduler, ready for a notebook table."""

    dispatched: int
    delivered: int
    ignored: int
    blocked_events: int
    errors: int
    waiters: int
    callbacks: int
    tasks: int
    queue: QueueStatistics


class _Callback:
    __slots__ = ("function",)

    def __init__(self, function: Callable[[Event, EventMatcher], object]) -> None:
        self.function = function


class Scheduler:
    """Delivers events from a queue tree to waiters and callbacks on one asyncio loop.

    Args:
        queue: the queue tree (a plain root queue by default); add subqueues to it
            for priorities, limits and per-key fairness.
        clock: timers and timeouts (the loop's clock by default; ``ManualClock`` in
            tests).

    Example::

        scheduler = Scheduler()
        scheduler.send_nowait(PacketInEvent(datapath=1, ...))
        event, matcher = await scheduler.wait_event(EventMatcher(PacketInEvent, datapath=1))
    """

    def __init__(self, queue: EventQueue | None = None, *, clock: Clock | None = None) -> None:
        self.queue = queue if queue is not None else EventQueue("root")
        self.clock: Clock = clock if clock is not None else LoopClock()
        self._tree = MatcherTree()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._drain_scheduled = False
        self._draining = False
        self._blocked = 0
        self._timers = itertools.count(1)
        self._waiters = 0
        self._callbacks = 0
        self._dispatched = 0
        self._delivered = 0
        self._ignored = 0
        self._errors = 0
        # The last event each spawned task received, to log with its failure.
        self._last_event: weakref.WeakKeyDictionary[asyncio.Task[Any], Event] = (
            weakref.WeakKeyDictionary())
        self._tasks: set[asyncio.Task[Any]] = set()
        self.queue.set_ready_callback(self._schedule_drain)

    # -- sending ----------------------------------------------------------------------
    def send_nowait(self, event: Event) -> None:
        """Queue *event*; raises ``QueueFull`` when its queue is full (see ``send``)."""
        self._bind()
        self.queue.send_nowait(event)

    async def send(self, event: Event) -> None:
        """Queue *event*, waiting while its queue is full (back-pressure)."""
        self._bind()
        await self.queue.send(event)

    # -- waiting ----------------------------------------------------------------------
    async def wait_event(self, *matchers: EventMatcher,
                         timeout: float | None = None) -> tuple[Event, EventMatcher]:
        """Wait until an event satisfies one of *matchers*; returns it and the matcher.

        Raises ``TimeoutError`` after *timeout* seconds (of the scheduler's clock).
        """
        if not matchers:
            raise ValueError("wait_event needs at least one matcher")
        loop = self._bind()
        future: asyncio.Future[tuple[Event, EventMatcher]] = loop.create_future()
        handles = [self._tree.add(m, future) for m in matchers]
        self._waiters += 1
        timer: TimerHandle | None = None
        if timeout is not None:
            timer = self.clock.call_later(timeout, lambda: _expire(future, timeout))
        self._registered()
        if len(self.queue) and not self._draining:
            # About to wait: deliver what is already queued now rather than one loop
            # turn later (still after the senders returned, in the queues' order).
            self._drain()
        try:
            got = await future
            task = asyncio.current_task()
            if task is not None and task in self._tasks:
                self._last_event[task] = got[0]
            return got
        finally:
            self._waiters -= 1
            for handle in handles:
                self._tree.remove(handle)
            if timer is not None:
                timer.cancel()

    def on(self, matcher: EventMatcher,
           callback: Callable[[Event, EventMatcher], object]) -> int:
        """Call ``callback(event, matcher)`` for every event *matcher* takes, until ``off``.

        Returns a handle for ``off``.  Exceptions are logged with the event.
        """
        self._bind()
        handle = self._tree.add(matcher, _Callback(callback))
        self._callbacks += 1
        self._registered()
        return handle

    def off(self, handle: int) -> None:
        """Stop a callback registered with ``on``."""
        before = len(self._tree)
        self._tree.remove(handle)
        if len(self._tree) < before:
            self._callbacks -= 1

    def spawn(self, coro: Awaitable[Any], name: str | None = None) -> asyncio.Task[Any]:
        """Run *coro* as a task of this scheduler: if it fails, the error is logged with
        the last event it received (and counted), and nothing else stops."""
        task = self._bind().create_task(_as_coroutine(coro), name=name)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            self._errors += 1
            log.error("task %s failed after event %r", task.get_name(),
                      self._last_event.get(task), exc_info=error)

    def timer(self, delay: float) -> EventMatcher:
        """A matcher that fires once, *delay* seconds from now (a ``TimerEvent``)."""
        number = next(self._timers)
        self._bind()
        self.clock.call_later(delay, lambda: self.send_nowait(TimerEvent(number)))
        return EventMatcher(TimerEvent, timer=number)

    async def run_with_timeout(self, coro: Awaitable[T], timeout: float) -> T:
        """Run *coro*; if it is not done after *timeout* seconds, cancel it and raise
        ``TimeoutError``."""
        result, fired = await self.run_until_event(coro, self.timer(timeout))
        if fired is not None:
            raise TimeoutError(f"not done within {timeout} s")
        return result  # type: ignore[return-value]

    async def run_until_event(self, coro: Awaitable[T], *matchers: EventMatcher
                              ) -> tuple[T | None, tuple[Event, EventMatcher] | None]:
        """Run *coro* until it finishes or one of *matchers* fires, whichever is first.

        Returns ``(result, None)`` when it finished, or ``(None, (event, matcher))``
        when a matcher fired first (the coroutine is then cancelled).
        """
        loop = self._bind()
        task = loop.create_task(_as_coroutine(coro))
        waiter = loop.create_task(self.wait_event(*matchers))
        try:
            done, _ = await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
        except BaseException:
            task.cancel()
            waiter.cancel()
            raise
        if task in done:
            waiter.cancel()
            return task.result(), None
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
        return None, waiter.result()

    async def wait_drained(self, queue: EventQueue | None = None) -> None:
        """Wait until *queue* (the whole tree by default) has no events left."""
        await (queue if queue is not None else self.queue).wait_drained()

    def watch_empty(self, queue: EventQueue) -> Callable[[], None]:
        """Deliver a ``QueueEmptyEvent(queue=name)`` whenever *queue* becomes empty;
        returns a function that stops it."""
        loop = self._bind()

        def empty(q: EventQueue) -> None:
            loop.call_soon(self._deliver, QueueEmptyEvent(q.name), None)

        return queue.watch_empty(empty)

    # -- dispatch ----------------------------------------------------------------------
    def _bind(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
        return self._loop

    def _schedule_drain(self) -> None:
        if not self._drain_scheduled:
            self._drain_scheduled = True
            self._bind().call_soon(self._drain)

    def _registered(self) -> None:
        # A new waiter or callback may take an event that nobody took before.
        if self._blocked:
            self._blocked = 0
            self.queue.unblock_all()

    def _drain(self) -> None:
        self._drain_scheduled = False
        self._draining = True
        get = self.queue.get_nowait
        try:
            for _ in range(_BATCH):
                item = get()
                if item is None:
                    return
                event_, leaf = item
                self._dispatched += 1
                if not self._deliver(event_, leaf):
                    if type(event_).cannot_ignore:
                        self.queue.block(leaf, event_)
                        self._blocked += 1
                    else:
                        self._ignored += 1
        finally:
            self._draining = False
        self._schedule_drain()  # more to do: let other tasks run first

    def _deliver(self, event_: Event, leaf: EventQueue | None) -> bool:
        """Give *event_* to everything registered for it; True if anything took it."""
        taken = False
        for _, matcher, target in self._tree.find(event_):
            if isinstance(target, _Callback):
                taken = True
                try:
                    target.function(event_, matcher)
                except Exception:
                    self._errors += 1
                    log.exception("callback %r failed on %r", target.function, event_)
            elif not target.done():
                target.set_result((event_, matcher))
                taken = True
        if taken:
            self._delivered += 1
        return taken

    def statistics(self) -> SchedulerStatistics:
        """Counters: dispatched, delivered, ignored, blocked, errors, registrations, queues."""
        return SchedulerStatistics(
            dispatched=self._dispatched, delivered=self._delivered, ignored=self._ignored,
            blocked_events=self._blocked, errors=self._errors, waiters=self._waiters,
            callbacks=self._callbacks, tasks=len(self._tasks), queue=self.queue.statistics())


def _expire(future: asyncio.Future[Any], timeout: float) -> None:
    if not future.done():
        future.set_exception(TimeoutError(f"no matching event within {timeout} s"))


async def _as_coroutine(awaitable: Awaitable[T]) -> T:
    return await awaitable
