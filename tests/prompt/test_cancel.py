"""``Runtime.cancel_calls``: what the prompt's Ctrl-C does to a running command's thread."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import time
from typing import Any

from workbench.runtime import Runtime


def test_cancel_calls_stops_the_wait_the_work_and_later_calls_but_not_cleanup() -> None:
    events: list[str] = []
    started = threading.Event()
    finished = threading.Event()

    async def slow() -> None:
        started.set()
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            events.append("work cancelled on the loop")
            raise

    async def cleanup() -> str:
        return "cleaned"

    def command(runtime: Runtime) -> None:
        try:
            try:
                runtime.call(slow(), timeout=60)
            finally:  # cleanup while the cancellation propagates still reaches the loop
                events.append(runtime.call(cleanup(), timeout=5))
        except concurrent.futures.CancelledError:
            events.append("wait cancelled")
        try:
            runtime.call(cleanup(), timeout=5)
        except concurrent.futures.CancelledError:
            events.append("later call refused")
        finished.set()

    with Runtime() as runtime:
        worker = threading.Thread(target=command, args=(runtime,), daemon=True)
        worker.start()
        assert started.wait(5)
        begun = time.monotonic()
        assert runtime.cancel_calls(worker) == 1
        assert finished.wait(5)
        assert time.monotonic() - begun < 2
        time.sleep(0.1)  # the loop runs the task's cancellation
        assert sorted(events) == sorted(["work cancelled on the loop", "cleaned",
                                         "wait cancelled", "later call refused"]), events
        # Other threads are not affected.
        assert runtime.call(asyncio.sleep(0, "fine"), timeout=5) == "fine"
        results: list[Any] = []
        other = threading.Thread(target=lambda: results.append(
            runtime.call(asyncio.sleep(0, "also fine"), timeout=5)))
        other.start()
        other.join(5)
        assert results == ["also fine"]
