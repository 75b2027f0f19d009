"""The scheduler: waiting, callbacks, blocking, timers and timeouts on a manual clock,
fairness, back-pressure, errors, statistics.  No test sleeps."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest

from vlcp_core.event import (
    Event,
    EventMatcher,
    EventQueue,
    ManualClock,
    QueueEmptyEvent,
    Scheduler,
    event,
)

T = TypeVar("T")


@event(index=("source", "kind"))
class Ping(Event):
    source: int
    kind: int = 0
    n: int = 0


@event(index=("source",), cannot_ignore=True)
class Important(Event):
    source: int


def run(test: Callable[[], Awaitable[T]]) -> T:
    return asyncio.run(test())  # type: ignore[arg-type]


async def settle(rounds: int = 5) -> None:
    """Let scheduled drains and resumed waiters run (loop steps, not time)."""
    for _ in range(rounds):
        await asyncio.sleep(0)


def test_wait_event_gets_the_event_and_the_matcher() -> None:
    async def main() -> None:
        s = Scheduler()
        m1, m2 = EventMatcher(Ping, source=1), EventMatcher(Ping, source=2)
        waiter = asyncio.create_task(s.wait_event(m1, m2))
        await settle()
        s.send_nowait(Ping(2, n=7))
        got, matcher = await waiter
        assert got == Ping(2, n=7) and matcher is m2
        assert s.statistics().waiters == 0 and len(s._tree) == 0

    run(main)


def test_delivery_is_asynchronous_and_in_order() -> None:
    async def main() -> None:
        s = Scheduler()
        seen: list[int] = []
        s.on(EventMatcher(Ping), lambda e, m: seen.append(e.n))
        for n in range(5):
            s.send_nowait(Ping(1, n=n))
        assert seen == []  # never inside send_nowait
        await settle()
        assert seen == [0, 1, 2, 3, 4]

    run(main)


def test_every_matching_registration_gets_it() -> None:
    async def main() -> None:
        s = Scheduler()
        waiters = [asyncio.create_task(s.wait_event(EventMatcher(Ping))) for _ in range(3)]
        calls: list[str] = []
        handle = s.on(EventMatcher(Ping, source=1), lambda e, m: calls.append("cb"))
        await settle()
        s.send_nowait(Ping(1))
        results = await asyncio.gather(*waiters)
        assert [r[0] for r in results] == [Ping(1)] * 3 and calls == ["cb"]
        s.off(handle)
        s.send_nowait(Ping(1))
        await settle()
        assert calls == ["cb"] and s.statistics().callbacks == 0

    run(main)


def test_timeout_on_a_manual_clock() -> None:
    async def main() -> None:
        clock = ManualClock()
        s = Scheduler(clock=clock)
        waiter = asyncio.create_task(s.wait_event(EventMatcher(Ping), timeout=5))
        await settle()
        clock.advance(4.9)
        await settle()
        assert not waiter.done()
        clock.advance(0.2)
        with pytest.raises(TimeoutError):
            await waiter
        assert len(s._tree) == 0 and clock.pending == 0

    run(main)


def test_cancelled_waiter_leaves_nothing_behind() -> None:
    async def main() -> None:
        s = Scheduler(clock=ManualClock())
        waiter = asyncio.create_task(s.wait_event(EventMatcher(Ping), timeout=10))
        await settle()
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        assert len(s._tree) == 0 and s.statistics().waiters == 0
        s.send_nowait(Ping(1))
        await settle()
        assert s.statistics().ignored == 1

    run(main)


def test_timers_and_run_helpers() -> None:
    async def main() -> None:
        clock = ManualClock()
        s = Scheduler(clock=clock)
        waiter = asyncio.create_task(s.wait_event(s.timer(3)))
        await settle()
        clock.advance(3)
        got, _ = await waiter
        assert got.timer >= 1

        async def slow() -> str:
            await s.wait_event(EventMatcher(Ping, source=99))
            return "finished"

        task = asyncio.create_task(s.run_with_timeout(slow(), 2))
        await settle()
        clock.advance(2)
        with pytest.raises(TimeoutError):
            await task

        async def quick() -> str:
            return "done"

        assert await s.run_until_event(quick(), EventMatcher(Ping)) == ("done", None)
        interrupted = asyncio.create_task(s.run_until_event(slow(), EventMatcher(Ping, source=5)))
        await settle()
        s.send_nowait(Ping(5))
        result, fired = await interrupted
        assert result is None and fired is not None and fired[0] == Ping(5)

    run(main)


def test_cannot_ignore_blocks_its_queue_only() -> None:
    async def main() -> None:
        root = EventQueue()
        important = root.add("important", EventMatcher(Important))
        root.add("pings", EventMatcher(Ping))
        s = Scheduler(root)
        pings: list[int] = []
        s.on(EventMatcher(Ping), lambda e, m: pings.append(e.n))
        s.send_nowait(Important(1))
        s.send_nowait(Important(2))
        for n in range(3):
            s.send_nowait(Ping(1, n=n))
        await settle()
        assert pings == [0, 1, 2]  # the pings kept flowing
        assert len(important) == 2 and important.statistics().blocked
        assert s.statistics().blocked_events == 1
        got, _ = await s.wait_event(EventMatcher(Important))  # a taker arrives
        assert got == Important(1)  # not dropped, still first
        assert (await s.wait_event(EventMatcher(Important)))[0] == Important(2)

    run(main)


def test_priorities_and_fairness() -> None:
    async def main() -> None:
        root = EventQueue()
        root.add("high", EventMatcher(Ping, kind=1), priority=10)
        root.add("per_source", EventMatcher(Ping), key=lambda e: e.source)
        s = Scheduler(root)
        order: list[tuple[int, int]] = []
        s.on(EventMatcher(Ping), lambda e, m: order.append((e.source, e.n)))
        for n in range(5000):  # source 1 floods
            s.send_nowait(Ping(1, n=n))
        s.send_nowait(Ping(2, n=0))
        s.send_nowait(Ping(3, kind=1, n=0))
        while len(order) < 5002:
            await settle(1)
        assert order[0] == (3, 0)  # higher priority first
        assert order.index((2, 0)) <= 3  # fair: not behind source 1's flood
        assert [n for src, n in order if src == 1] == list(range(5000))  # FIFO per source

    run(main)


@event(index=("source",), cannot_ignore=True)
class Kept(Event):
    source: int
    n: int = 0


def test_back_pressure_send_waits_for_room() -> None:
    async def main() -> None:
        root = EventQueue(limit=2)
        s = Scheduler(root)
        # Nobody waits yet: these cannot-ignore events stay queued (blocked), full.
        s.send_nowait(Kept(1, n=0))
        s.send_nowait(Kept(1, n=1))
        sender = asyncio.create_task(s.send(Kept(1, n=2)))
        await settle()
        assert not sender.done()  # full: waits for "can write"
        got = [(await s.wait_event(EventMatcher(Kept)))[0].n for _ in range(3)]
        await sender
        assert got == [0, 1, 2]

    run(main)


def test_errors_are_logged_with_the_event_and_do_not_stop(
        caplog: pytest.LogCaptureFixture) -> None:
    async def main() -> None:
        s = Scheduler()
        seen: list[int] = []

        def bad(e: Any, m: Any) -> None:
            raise RuntimeError("boom")

        s.on(EventMatcher(Ping, source=1), bad)
        s.on(EventMatcher(Ping), lambda e, m: seen.append(e.n))

        async def worker() -> None:
            await s.wait_event(EventMatcher(Ping, source=2))
            raise ValueError("worker failed")

        task = s.spawn(worker(), name="worker")
        await settle()
        s.send_nowait(Ping(1, n=1))
        s.send_nowait(Ping(2, n=2))
        await settle()
        with pytest.raises(ValueError):
            await task
        await settle()
        s.send_nowait(Ping(3, n=3))
        await settle()
        assert seen == [1, 2, 3]  # still dispatching
        assert s.statistics().errors == 2

    with caplog.at_level(logging.ERROR, logger="vlcp_core.event"):
        run(main)
    text = caplog.text
    assert "boom" in text and "Ping(source=1, kind=0, n=1)" in text
    assert "worker failed" in text and "Ping(source=2, kind=0, n=2)" in text


def test_queue_empty_events_and_wait_drained() -> None:
    async def main() -> None:
        root = EventQueue()
        pings = root.add("pings", EventMatcher(Ping))
        s = Scheduler(root)
        s.watch_empty(pings)
        s.on(EventMatcher(Ping), lambda e, m: None)
        empty = asyncio.create_task(s.wait_event(EventMatcher(QueueEmptyEvent, queue="pings")))
        for n in range(10):
            s.send_nowait(Ping(1, n=n))
        await s.wait_drained()
        assert len(root) == 0
        got, _ = await empty
        assert got == QueueEmptyEvent("pings")

    run(main)


def test_statistics() -> None:
    async def main() -> None:
        s = Scheduler()
        s.on(EventMatcher(Ping, source=1), lambda e, m: None)
        for source in (1, 1, 2):
            s.send_nowait(Ping(source))
        await settle()
        st = s.statistics()
        assert (st.dispatched, st.delivered, st.ignored, st.callbacks) == (3, 2, 1, 1)
        assert st.queue.served >= 3 and st.queue.length == 0

    run(main)
