"""The scheduler: queued events delivered to waiting coroutines and callbacks.

Theory of operation
-------------------
Producers ``send`` events into a queue tree (``_queue.EventQueue``).  When the
tree goes from idle to having an event, it calls the scheduler's ready callback,
which schedules one *drain* with ``loop.call_soon``: delivery is always
asynchronous, never inside ``send``.  A drain takes events in the tree's order
(priorities, round robin, per-key fairness), finds what each event satisfies in
the matcher indexes (cost independent of how many matchers wait) and delivers it:

- to waiters (``wait_event``): their future gets ``(event, matcher)`` and their
  registrations go (``_waiters``); the waiter resumes on its own loop step;
- to callbacks (``on``): called right there, for hot paths where a coroutine resume
  per event is too dear; an exception is logged with the event and counted.

*Bypass* (like the qdisc bypass of Linux tc): an event sent while the whole tree
is empty and no drain runs, which only waiting coroutines take (no callback's
matcher fits it), is handed to those waiters at once: their futures resolve in
``send``, they resume on the next loop step as before, and the event is counted
as served by its leaf without being stored.  Order is unchanged (nothing was
queued before it), priorities only matter for a backlog, and a ping-pong costs one
loop step per hop, as with ``asyncio.Queue``.  The difference a program can see:
a bypassed event went to the waiters registered when it was *sent*, a queued one
goes to those registered when it is *served*.  An event no waiter takes is queued
as usual (predicates may then run twice for one event: keep them pure).

A coroutine about to wait drains what is already queued first (one loop turn per
hop when a callback answers).  An event nobody takes is dropped, unless its class
is ``cannot_ignore``: then it is put back at the head of its queue, which is
blocked (only that queue) until a new waiter or callback registers.  A drain
handles a bounded batch, then yields the loop to other tasks.

The scheduler belongs to one asyncio loop (the first one that uses it) and is not
thread-safe: other threads reach it through ``loop.call_soon_threadsafe``.
"""

from __future__ import annotations

import asyncio
import contextvars
import itertools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from ._clock import Clock, LoopClock, TimerHandle
from ._event import Event, event
from ._matcher import EventMatcher, MatcherTree
from ._queue import EventQueue, QueueStatistics
from ._waiters import LastEvent, WaiterIndex

__all__ = ["QueueEmptyEvent", "Scheduler", "SchedulerStatistics", "TimerEvent"]

log = logging.getLogger("vlcp_core.event")
T = TypeVar("T")
_BATCH = 256
_Future = asyncio.Future
# The cell of the task spawned by ``Scheduler.spawn`` running now (see ``_waiters``).
_LAST_EVENT: contextvars.ContextVar[LastEvent | None] = contextvars.ContextVar(
    "vlcp_last_event", default=None)


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
        self._tree = MatcherTree()  # callbacks
        self._waiting = WaiterIndex()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._drain_scheduled = False
        self._draining = False
        self._blocked = 0
        self._timers = itertools.count(1)
        self._callbacks = 0  # len(self._tree), kept for the hot path of send_nowait
        self._dispatched = 0  # events taken from the queues
        self._delivered = 0  # of those, events somebody took
        self._handed_over = 0  # events delivered by the bypass (counted in both)
        self._ignored = 0
        self._errors = 0
        # The last event each spawned task received, to log with its failure.
        self._tasks: set[asyncio.Task[Any]] = set()
        self.queue.set_ready_callback(self._schedule_drain)

    # -- sending ----------------------------------------------------------------------
    def send_nowait(self, event: Event) -> None:
        """Queue *event*; raises ``QueueFull`` when its queue is full (see ``send``)."""
        # _hand_over, written out: the call alone costs 2% of a ping-pong hop
        # (bench/bench_events.py), and a bare root counts its own hand-overs.
        queue = self.queue
        if (self._draining or queue._length
                or (self._callbacks and self._tree.has_candidates(event))
                or not self._waiting.deliver(event)):
            queue.send_nowait(event)
            return
        if queue._children:
            queue.count_served(event)
        else:
            queue._served += 1
        self._handed_over += 1

    async def send(self, event: Event) -> None:
        """Queue *event*, waiting while its queue is full (back-pressure)."""
        if not self._hand_over(event):
            await self.queue.send(event)

    def _hand_over(self, event: Event) -> bool:
        """The bypass: True when the tree is idle and waiters alone took *event*
        (counted as served by its leaf)."""
        queue = self.queue
        if (self._draining or queue._length
                or (self._callbacks and self._tree.has_candidates(event))
                or not self._waiting.deliver(event)):
            return False
        queue.count_served(event)
        self._handed_over += 1
        return True

    # -- waiting ----------------------------------------------------------------------
    def wait_event(self, *matchers: EventMatcher, timeout: float | None = None
                   ) -> asyncio.Future[tuple[Event, EventMatcher]]:
        """A future of the first event that satisfies one of *matchers*, and that
        matcher: ``event, matcher = await scheduler.wait_event(m1, m2)``.

        The wait is registered when this is called, not when it is awaited, so
        ``reply = scheduler.wait_event(m); scheduler.send_nowait(request); await reply``
        cannot miss a fast reply.  The future fails with ``TimeoutError`` after
        *timeout* seconds (of the scheduler's clock); cancel it to stop waiting.  It is
        a future, not a coroutine: await it, or pass it to ``asyncio.wait``/``gather``.
        """
        loop = self._loop or self._bind()
        future: asyncio.Future[tuple[Event, EventMatcher]] = _Future(loop=loop)
        if timeout is None and len(matchers) == 1:
            # WaiterIndex.add written out for its common case (a known table, a new
            # key, no sweep due), for the same reason as in send_nowait.
            matcher = matchers[0]
            waiting = self._waiting
            table = waiting._tables.get(matcher.table_id)
            if table is None or matcher.key in table or waiting._added >= waiting._sweep_at:
                waiting.add(matcher, future)
            else:
                table[matcher.key] = (future, matcher)
                waiting._added += 1
        else:
            self._wait_many(future, matchers, timeout)
        if self._tasks:
            self._note_last_event(future)
        if self._blocked or self.queue._length:
            self._registered()
        return future

    def _wait_many(self, future: asyncio.Future[tuple[Event, EventMatcher]],
                   matchers: tuple[EventMatcher, ...], timeout: float | None) -> None:
        """A wait with a timeout or several matchers: registrations, a timer, and
        removal of every registration once the future is done (a plain wait needs
        neither: delivery removes its one registration)."""
        if not matchers:
            raise ValueError("wait_event needs at least one matcher")
        for matcher in matchers:
            self._waiting.add(matcher, future)
        timer: TimerHandle | None = None
        if timeout is not None:
            timer = self.clock.call_later(timeout, partial(_expire, future, timeout))

        def done(_: object) -> None:
            if timer is not None:
                timer.cancel()
            for matcher in matchers:
                self._waiting.discard(matcher, future)

        future.add_done_callback(done)

    def _note_last_event(self, future: asyncio.Future[tuple[Event, EventMatcher]]) -> None:
        """In a spawned task: delivery to *future* records the event for its errors."""
        cell = _LAST_EVENT.get()
        if cell is not None and cell.task is asyncio.current_task():
            self._waiting.cells[future] = cell

    def on(self, matcher: EventMatcher,
           callback: Callable[[Event, EventMatcher], object]) -> int:
        """Call ``callback(event, matcher)`` for every event *matcher* takes, until ``off``.

        Returns a handle for ``off``.  Exceptions are logged with the event.
        """
        self._bind()
        handle = self._tree.add(matcher, callback)
        self._callbacks = len(self._tree)
        self._unblock()
        return handle

    def off(self, handle: int) -> None:
        """Stop a callback registered with ``on``."""
        self._tree.remove(handle)
        self._callbacks = len(self._tree)

    def spawn(self, coro: Awaitable[Any], name: str | None = None) -> asyncio.Task[Any]:
        """Run *coro* as a task of this scheduler: if it fails, the error is logged with
        the last event it received (and counted), and nothing else stops."""
        cell = LastEvent()
        task = self._bind().create_task(_in_cell(coro, cell), name=name)
        cell.task = task
        self._tasks.add(task)
        task.add_done_callback(partial(self._task_done, cell))
        return task

    def _task_done(self, cell: LastEvent, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            self._errors += 1
            log.error("task %s failed after event %r", task.get_name(), cell.event,
                      exc_info=error)

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
        waiter = self.wait_event(*matchers)
        both: set[asyncio.Future[Any]] = {task, waiter}
        try:
            done, _ = await asyncio.wait(both, return_when=asyncio.FIRST_COMPLETED)
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

    def _unblock(self) -> None:
        """A new waiter or callback may take an event that nobody took before."""
        if self._blocked:
            self._blocked = 0
            self.queue.unblock_all()

    def _registered(self) -> None:
        """A waiter registered while events are queued or blocked."""
        self._unblock()
        if len(self.queue) and not self._draining:
            # About to wait: deliver what is already queued now rather than one loop
            # turn later (still after the senders returned, in the queues' order).
            self._drain()

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
        if self._callbacks:
            for _, matcher, callback in self._tree.find(event_):
                taken = True
                try:
                    callback(event_, matcher)
                except Exception:
                    self._errors += 1
                    log.exception("callback %r failed on %r", callback, event_)
        if self._waiting.deliver(event_):
            taken = True
        if taken:
            self._delivered += 1
        return taken

    def statistics(self) -> SchedulerStatistics:
        """Counters: dispatched, delivered, ignored, blocked, errors, registrations, queues."""
        return SchedulerStatistics(
            dispatched=self._dispatched + self._handed_over,
            delivered=self._delivered + self._handed_over, ignored=self._ignored,
            blocked_events=self._blocked, errors=self._errors,
            waiters=self._waiting.waiting(),
            callbacks=self._callbacks, tasks=len(self._tasks), queue=self.queue.statistics())


def _expire(future: asyncio.Future[Any], timeout: float) -> None:
    if not future.done():
        future.set_exception(TimeoutError(f"no matching event within {timeout} s"))


async def _as_coroutine(awaitable: Awaitable[T]) -> T:
    return await awaitable


async def _in_cell(awaitable: Awaitable[T], cell: LastEvent) -> T:
    _LAST_EVENT.set(cell)  # in the task's own context
    return await awaitable
