"""The runtime: one thread owns the asyncio loop with the controller, OVSDB, apps.

Theory of operation
-------------------
``Runtime.start()`` starts a daemon thread running a fresh event loop; the
controller (and, when asked, an OVSDB client and a lab) live on that loop.  The
shell, scripts and IPython are other threads: they reach the loop only through
``call`` (run a coroutine there and wait for its result, with a timeout) and
``submit`` (the same without waiting).  Plain functions passed to ``call_sync``
run on the loop too, between its events.

An exception in the loop's thread that nobody awaits (a failed task, a callback
error) is caught by the loop's exception handler, kept in ``errors`` and passed
to ``on_error`` (the shell prints it); it never ends the thread.  ``stop()``
cancels the loop's tasks, closes the controller, the OVSDB client and the lab,
and joins the thread: nothing is left behind, also when the process is
interrupted (the shell calls it from its SIGINT/SIGTERM handling and ``atexit``).
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import logging
import sys
import threading
import weakref
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from vlcp_core.apps import parse_address
from vlcp_core.controller import Controller, Switch, SwitchUp
from vlcp_core.event import Event, EventMatcher
from vlcp_core.ovsdb import OvsdbClient, Vsctl

from ..lab import Lab
from ._names import SwitchNames

__all__ = ["Runtime", "RuntimeNotRunningError"]

log = logging.getLogger("workbench.runtime")
T = TypeVar("T")


class RuntimeNotRunningError(Exception):
    """The runtime is not running, or a call to it failed to start."""


class Runtime:
    """The controller core on a background thread.

    Example::

        with Runtime() as runtime:
            runtime.listen("127.0.0.1", 6653)
            switch = runtime.call(runtime.controller.wait_switch(timeout=10))
    """

    def __init__(self, *, on_error: Callable[[str], None] | None = None) -> None:
        self.on_error = on_error
        self.errors: list[str] = []
        self.loop: asyncio.AbstractEventLoop | None = None
        self.controller: Controller | None = None
        self.ovsdb: OvsdbClient | None = None
        self.vsctl: Vsctl | None = None
        self.lab: Lab | None = None
        self.names = SwitchNames()
        self.apps: dict[str, asyncio.Task[Any]] = {}
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stopping = False
        # What each thread waits for in call(), for cancel_calls (Ctrl-C).
        self._calls: dict[threading.Thread, set[concurrent.futures.Future[Any]]] = {}
        self._cancelled: weakref.WeakSet[threading.Thread] = weakref.WeakSet()
        self._calls_lock = threading.Lock()

    # -- life -------------------------------------------------------------------------
    def start(self) -> Runtime:
        """Start the loop thread and the controller on it."""
        if self._thread is not None:
            return self
        self._thread = threading.Thread(target=self._run, name="vlcp-runtime", daemon=True)
        self._thread.start()
        self._ready.wait()
        self.call(self._setup())
        atexit.register(self.stop)
        return self

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self.loop = loop
        asyncio.set_event_loop(loop)
        loop.set_exception_handler(self._exception)
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.close()

    async def _setup(self) -> None:
        self.controller = Controller()
        scheduler = self.controller.scheduler
        scheduler.on(EventMatcher(SwitchUp), self._switch_up)

    def _switch_up(self, event: Event, _: EventMatcher) -> None:
        self.names.switch_up(event.switch)  # type: ignore[attr-defined]

    def _exception(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        error = context.get("exception")
        text = context.get("message", "error in the controller thread")
        if error is not None:
            text = f"{text}: {type(error).__name__}: {error}"
        self.report(text)

    def report(self, text: str) -> None:
        """An error of the loop's thread: kept, and shown by whoever listens."""
        self.errors.append(text)
        del self.errors[:-100]
        log.error("%s", text)
        if self.on_error is not None:
            try:
                self.on_error(text)
            except Exception:  # the reporter must never fail the loop
                pass

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and not self._stopping

    def stop(self) -> None:
        """Close everything and join the thread (idempotent)."""
        if self._thread is None or self._stopping:
            return
        self._stopping = True
        try:
            if self.loop is not None and self.loop.is_running():
                future = asyncio.run_coroutine_threadsafe(self._teardown(), self.loop)
                try:
                    future.result(timeout=15)
                except Exception as exc:  # still stop the loop
                    log.warning("runtime teardown: %s", exc)
                self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(timeout=15)
        finally:
            if self.lab is not None:
                self.lab.stop()
                self.lab = None
            self._thread = None
            atexit.unregister(self.stop)

    async def _teardown(self) -> None:
        for task in list(self.apps.values()):
            task.cancel()
        if self.ovsdb is not None:
            await self.ovsdb.close()
        if self.controller is not None:
            await self.controller.close()
        current = asyncio.current_task()
        others = [t for t in asyncio.all_tasks() if t is not current]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)

    def __enter__(self) -> Runtime:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- the call API -------------------------------------------------------------------
    def submit(self, awaitable: Awaitable[T]) -> concurrent.futures.Future[T]:
        """Run *awaitable* on the loop; a future for its result (any thread)."""
        if self.loop is None or not self.running:
            if isinstance(awaitable, Coroutine):
                awaitable.close()  # never to run: no "never awaited" warning
            raise RuntimeNotRunningError("the runtime is not running")
        return asyncio.run_coroutine_threadsafe(_as_coroutine(awaitable), self.loop)

    def call(self, awaitable: Awaitable[T], timeout: float | None = None) -> T:
        """Run *awaitable* on the loop and wait for its result (from another thread).
        On timeout the work is cancelled and ``TimeoutError`` raised; after
        ``cancel_calls`` of this thread, ``concurrent.futures.CancelledError``
        (except while that error propagates: cleanup in ``finally`` still runs)."""
        thread = threading.current_thread()
        if thread in self._cancelled and \
                not isinstance(sys.exception(), concurrent.futures.CancelledError):
            if isinstance(awaitable, Coroutine):
                awaitable.close()
            raise concurrent.futures.CancelledError
        future = self.submit(awaitable)
        with self._calls_lock:
            self._calls.setdefault(thread, set()).add(future)
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise TimeoutError(f"no result within {timeout} s") from None
        finally:
            with self._calls_lock:
                waiting = self._calls.get(thread)
                if waiting is not None:
                    waiting.discard(future)
                    if not waiting:
                        del self._calls[thread]

    def cancel_calls(self, thread: threading.Thread) -> int:
        """Cancel what *thread* waits for in ``call`` (the work on the loop is
        cancelled too), and its later calls: the shell's Ctrl-C.  The count cancelled."""
        with self._calls_lock:
            self._cancelled.add(thread)
            futures = list(self._calls.get(thread, ()))
        return sum(future.cancel() for future in futures)

    def call_sync(self, function: Callable[[], T], timeout: float | None = None) -> T:
        """Run a plain *function* on the loop's thread (between events)."""
        async def run() -> T:
            return function()
        return self.call(run(), timeout)

    # -- services -----------------------------------------------------------------------
    def listen(self, host: str = "127.0.0.1", port: int = 6653, **options: Any) -> Any:
        assert self.controller is not None
        return self.call(self.controller.listen(host, port, **options))

    def listen_at(self, address: str, **options: Any) -> Any:
        """Listen where *address* says, as ``--listen`` takes it: ``HOST:PORT`` or
        ``unix:PATH``.  ``ValueError`` for a bad address, ``OSError`` when taken."""
        parsed = parse_address(address)
        if isinstance(parsed, str):
            return self.listen(path=parsed, **options)
        return self.listen(*parsed, **options)

    def connect_ovsdb(self, target: str, timeout: float = 10.0, **options: Any) -> OvsdbClient:
        """Connect to an OVSDB server; switch names then follow its bridge names."""
        async def connect() -> OvsdbClient:
            assert self.controller is not None
            client = OvsdbClient(self.controller.scheduler)
            await client.connect(target, timeout=timeout, **options)
            self.ovsdb, self.vsctl = client, Vsctl(client)
            await self.names.follow_ovsdb(client)
            return client
        return self.call(connect(), timeout + 5)

    def switch(self, name: str) -> Switch:
        """The connected switch called *name* (short name, datapath id), looked up on
        the loop's thread, where switches come and go (call it from other threads)."""
        controller = self.controller
        assert controller is not None
        return self.call_sync(lambda: self.names.resolve(name, controller.switches))


async def _as_coroutine(awaitable: Awaitable[T]) -> T:
    return await awaitable


