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
from vlcp_core.event._waiters import SWEEP_MIN

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


def registrations(s: Scheduler) -> int:
    """Waiter entries still in the scheduler's index (live or not)."""
    return s._waiting.registrations()


async def settle(rounds: int = 5) -> None:
    """Let scheduled drains and resumed waiters run (loop steps, not time)."""
    for _ in range(rounds):
        await asyncio.sleep(0)


def test_wait_event_gets_the_event_and_the_matcher() -> None:
    async def main() -> None:
        s = Scheduler()
        m1, m2 = EventMatcher(Ping, source=1), EventMatcher(Ping, source=2)
        waiter = s.wait_event(m1, m2)
        await settle()
        s.send_nowait(Ping(2, n=7))
        got, matcher = await waiter
        assert got == Ping(2, n=7) and matcher is m2
        await settle()  # the other matcher's registration goes after the future is done
        assert s.statistics().waiters == 0 and registrations(s) == 0
        with pytest.raises(ValueError, match="at least one matcher"):
            s.wait_event()

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
        waiters = [s.wait_event(EventMatcher(Ping)) for _ in range(3)]
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
        waiter = s.wait_event(EventMatcher(Ping), timeout=5)
        await settle()
        clock.advance(4.9)
        await settle()
        assert not waiter.done()
        clock.advance(0.2)
        with pytest.raises(TimeoutError):
            await waiter
        await settle()
        assert registrations(s) == 0 and clock.pending == 0

    run(main)


def test_cancelled_waiter_leaves_nothing_behind() -> None:
    async def main() -> None:
        s = Scheduler(clock=ManualClock())
        waiter = s.wait_event(EventMatcher(Ping), timeout=10)
        await settle()
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        await settle()
        assert registrations(s) == 0 and s.statistics().waiters == 0
        assert s.clock.pending == 0  # type: ignore[attr-defined]
        s.send_nowait(Ping(1))
        await settle()
        assert s.statistics().ignored == 1

    run(main)


def test_cancelled_plain_waits_are_swept() -> None:
    async def main() -> None:
        s = Scheduler()
        keep = s.wait_event(EventMatcher(Ping, source=-1))
        for n in range(3 * SWEEP_MIN):  # each on a key no event will ever have
            s.wait_event(EventMatcher(Ping, source=n)).cancel()
            if n % 512 == 0:
                assert registrations(s) <= SWEEP_MIN + 2
        assert registrations(s) <= SWEEP_MIN + 2
        assert s.statistics().waiters == 1
        s.send_nowait(Ping(-1))
        assert (await keep)[0] == Ping(-1)

    run(main)


def test_registered_when_called_so_a_fast_reply_is_not_missed() -> None:
    async def main() -> None:
        s = Scheduler()
        s.on(EventMatcher(Ping, kind=0), lambda e, m: s.send_nowait(Ping(e.source, kind=1)))
        reply = s.wait_event(EventMatcher(Ping, source=4, kind=1))
        s.send_nowait(Ping(4))
        assert (await reply)[0] == Ping(4, kind=1)

    run(main)


def test_bypass_of_an_idle_tree() -> None:
    async def main() -> None:
        root = EventQueue()
        pings = root.add("pings", EventMatcher(Ping))
        s = Scheduler(root)
        early = s.wait_event(EventMatcher(Ping, source=1))
        s.send_nowait(Ping(1))  # idle tree, only a waiter takes it: handed over now
        assert early.done() and len(root) == 0
        late = s.wait_event(EventMatcher(Ping, source=1))
        await settle()
        assert not late.done()  # registered after the hand-over: not for it
        assert pings.statistics().served == 1 and s.statistics().delivered == 1
        # Nobody waits: queued, so a registration before the drain still gets it.
        s.send_nowait(Ping(2))
        assert len(root) == 1
        other = s.wait_event(EventMatcher(Ping, source=2))
        assert (await other)[0] == Ping(2)
        # A callback fits: queued too, never called inside send_nowait.
        called: list[Event] = []
        s.on(EventMatcher(Ping, source=1), lambda e, m: called.append(e))
        s.send_nowait(Ping(1, n=5))
        assert called == [] and not late.done() and len(root) == 1
        assert (await late)[0] == Ping(1, n=5) and called == [Ping(1, n=5)]

    run(main)


def test_timers_and_run_helpers() -> None:
    async def main() -> None:
        clock = ManualClock()
        s = Scheduler(clock=clock)
        waiter = s.wait_event(s.timer(3))
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
        empty = s.wait_event(EventMatcher(QueueEmptyEvent, queue="pings"))
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


def test_predicates_keep_their_waiters_until_they_say_yes(
        caplog: pytest.LogCaptureFixture) -> None:
    async def main() -> None:
        s = Scheduler()
        even = s.wait_event(EventMatcher(Ping, predicate=lambda e: e.n % 2 == 0, source=1))
        anything = s.wait_event(EventMatcher(Ping, source=1))
        broken = s.wait_event(EventMatcher(Ping, predicate=lambda e: 1 / 0, source=1))
        s.send_nowait(Ping(1, n=1))
        assert (await anything)[0].n == 1  # type: ignore[attr-defined]
        await settle()
        assert not even.done() and not broken.done()
        s.send_nowait(Ping(1, n=2))
        assert (await even)[0].n == 2  # type: ignore[attr-defined]
        assert not broken.done() and s.statistics().waiters == 1
        broken.cancel()

    with caplog.at_level(logging.ERROR, logger="vlcp_core.event"):
        run(main)
    assert "ZeroDivisionError" in caplog.text and "Ping(source=1, kind=0, n=1)" in caplog.text


def test_several_waiters_on_one_key_and_one_leaving() -> None:
    async def main() -> None:
        s = Scheduler()
        m = EventMatcher(Ping, source=3)
        first, second, third = (s.wait_event(m) for _ in range(3))
        second.cancel()
        s.send_nowait(Ping(3))
        assert (await first)[0] == Ping(3) and (await third)[0] == Ping(3)
        assert second.cancelled() and s.statistics().delivered == 1
        await settle()
        assert registrations(s) == 0

    run(main)
