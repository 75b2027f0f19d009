"""The event core against asyncio.Queue, and against itself with many waiting matchers.

Run: ``.venv/bin/python -m bench.bench_events`` (``--quick`` for a smoke run).

- ping-pong: two coroutines exchange events through the scheduler (send, then
  ``wait_event`` on a matcher), against the same exchange over two
  ``asyncio.Queue``s carrying the same event objects, and carrying bare ints;
  round trips per second. Target: at least as fast.
- one-way rate: a producer sends events that one callback takes while 10, 1,000 or
  100,000 other matchers wait on non-matching index values. Target: the rate with
  1,000 and 100,000 stays within 25% of the rate with 10 (the index tree).

Rounds alternate between the cases (same process); figures are medians.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import time

from vlcp_core.event import Event, EventMatcher, Scheduler, event


@event(index=("source", "kind"), cannot_ignore=True)
class Ping(Event):
    source: int
    kind: int
    n: int = 0


async def pingpong_events(n: int) -> float:
    """Seconds for *n* round trips through the scheduler."""
    s = Scheduler()
    ping, pong = EventMatcher(Ping, kind=0), EventMatcher(Ping, kind=1)

    async def ponger() -> None:
        for _ in range(n):
            got, _ = await s.wait_event(ping)
            s.send_nowait(Ping(0, 1, got.n))  # type: ignore[attr-defined]

    task = asyncio.create_task(ponger())
    await asyncio.sleep(0)
    start = time.perf_counter()
    for i in range(n):
        s.send_nowait(Ping(0, 0, i))
        await s.wait_event(pong)
    elapsed = time.perf_counter() - start
    await task
    return elapsed


async def pingpong_callback(n: int) -> float:
    """Seconds for *n* round trips where the answering side is a callback (the hot-path
    form the event core offers), the asking side a coroutine."""
    s = Scheduler()
    pong = EventMatcher(Ping, kind=1)
    s.on(EventMatcher(Ping, kind=0), lambda e, m: s.send_nowait(Ping(0, 1, e.n)))  # type: ignore[attr-defined]
    start = time.perf_counter()
    for i in range(n):
        s.send_nowait(Ping(0, 0, i))
        await s.wait_event(pong)
    return time.perf_counter() - start


async def pingpong_queue_events(n: int) -> float:
    """Seconds for *n* round trips over two asyncio.Queues carrying the same events as
    ``pingpong_events`` (made the same way, one per hop)."""
    there: asyncio.Queue[Ping] = asyncio.Queue()
    back: asyncio.Queue[Ping] = asyncio.Queue()

    async def ponger() -> None:
        for _ in range(n):
            got = await there.get()
            back.put_nowait(Ping(0, 1, got.n))  # type: ignore[attr-defined]

    task = asyncio.create_task(ponger())
    await asyncio.sleep(0)
    start = time.perf_counter()
    for i in range(n):
        there.put_nowait(Ping(0, 0, i))
        await back.get()
    elapsed = time.perf_counter() - start
    await task
    return elapsed


async def pingpong_queue(n: int) -> float:
    """Seconds for *n* round trips over two asyncio.Queues carrying ints."""
    there: asyncio.Queue[int] = asyncio.Queue()
    back: asyncio.Queue[int] = asyncio.Queue()

    async def ponger() -> None:
        for _ in range(n):
            back.put_nowait(await there.get())

    task = asyncio.create_task(ponger())
    await asyncio.sleep(0)
    start = time.perf_counter()
    for i in range(n):
        there.put_nowait(i)
        await back.get()
    elapsed = time.perf_counter() - start
    await task
    return elapsed


async def one_way(n: int, others: int) -> float:
    """Seconds for *n* events to reach their callback with *others* matchers waiting."""
    s = Scheduler()
    for i in range(others):
        s.on(EventMatcher(Ping, source=1000 + i), lambda e, m: None)
    done = asyncio.get_running_loop().create_future()
    count = 0

    def take(e: object, m: object) -> None:
        nonlocal count
        count += 1
        if count == n:
            done.set_result(None)

    s.on(EventMatcher(Ping, source=1), take)
    start = time.perf_counter()
    for i in range(n):
        s.send_nowait(Ping(1, 0, i))
        if i % 256 == 255:
            await asyncio.sleep(0)
    await done
    return time.perf_counter() - start


def measure(rounds: int, n: int) -> dict[str, float]:
    """Medians in events (round trips) per second, cases alternating each round."""
    samples: dict[str, list[float]] = {}
    cases = {
        "ping-pong events": lambda: pingpong_events(n),
        "ping-pong asyncio.Queue": lambda: pingpong_queue_events(n),
        "ping-pong asyncio.Queue, ints": lambda: pingpong_queue(n),
        "ping-pong, callback side": lambda: pingpong_callback(n),
        "one-way, 10 others": lambda: one_way(n, 10),
        "one-way, 1000 others": lambda: one_way(n, 1000),
        "one-way, 100000 others": lambda: one_way(n, 100_000),
    }
    for _ in range(rounds):
        for name, make in cases.items():
            gc.collect()
            gc.disable()
            try:
                seconds = asyncio.run(make())
            finally:
                gc.enable()
            samples.setdefault(name, []).append(n / seconds)
    return {name: statistics.median(values) for name, values in samples.items()}


def report(rates: dict[str, float], rounds: int) -> str:
    lines = [f"event core (median of {rounds} alternating rounds, per second)"]
    for name, rate in rates.items():
        lines.append(f"  {name:<30} {rate:>12,.0f}")
    ratio = rates["ping-pong events"] / rates["ping-pong asyncio.Queue"]
    lines.append(f"ping-pong events / asyncio.Queue (same events): {ratio:.2f} "
                 f"({'meets' if ratio >= 1 else 'BELOW'} the 1.0 target)")
    ints = rates["ping-pong events"] / rates["ping-pong asyncio.Queue, ints"]
    lines.append(f"ping-pong events / asyncio.Queue carrying ints: {ints:.2f} "
                 "(the difference is making a frozen event per hop)")
    cb = rates["ping-pong, callback side"] / rates["ping-pong asyncio.Queue"]
    lines.append(f"(with a callback answering instead of a coroutine: {cb:.2f} of "
                 "asyncio.Queue; callbacks are never called inside send, so their events "
                 "always go through the queue tree)")
    base = rates["one-way, 10 others"]
    for others in ("1000", "100000"):
        r = rates[f"one-way, {others} others"] / base
        lines.append(f"one-way rate with {others} others / with 10: {r:.2f} "
                     f"({'within' if r >= 0.75 else 'OUTSIDE'} 25%)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="a smoke run, not a measurement")
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args(argv)
    rounds, n = (1, 500) if args.quick else (args.rounds, 20_000)
    print(report(measure(rounds, n), rounds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
