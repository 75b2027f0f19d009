"""Where connections come from: listeners, and clients that reconnect with backoff.

``listen`` accepts TCP (with TLS when given a context) or Unix connections and gives
each a fresh handler.  ``Reconnector`` is the client side: it connects, and when
the connection fails or ends it tries again after a delay that doubles from
``initial`` up to ``maximum`` (with some jitter, so that many clients do not retry
in step); a connection that lasted ``maximum`` seconds or more resets the delay.
"""

from __future__ import annotations

import asyncio
import logging
import random
import ssl as ssl_module
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ._connection import DEFAULT_MAX_BUFFER, Connection, Handler

__all__ = ["Listener", "Reconnector", "ReconnectorStatistics", "listen"]

log = logging.getLogger("vlcp_core.connection")


def _kind(ssl: ssl_module.SSLContext | None, path: str | None) -> str:
    return "unix" if path is not None else ("tls" if ssl is not None else "tcp")


class Listener:
    """An open listener: ``address`` (``(host, port)`` or a path), ``kind``,
    ``connections`` (open now); ``close()`` stops accepting."""

    def __init__(self, server: asyncio.Server, address: Any, kind: str) -> None:
        self.server = server
        self.address = address
        self.kind = kind
        self.connections: set[Connection] = set()
        self.accepted = 0

    async def close(self) -> None:
        """Stop accepting (open connections stay)."""
        self.server.close()
        await self.server.wait_closed()

    def __repr__(self) -> str:
        return f"<Listener {self.kind} {self.address}>"


async def listen(handler_factory: Callable[[], Handler], host: str = "127.0.0.1",
                 port: int = 0, *, ssl: ssl_module.SSLContext | None = None,
                 path: str | None = None, max_buffer: int = DEFAULT_MAX_BUFFER) -> Listener:
    """Accept connections on TCP *host*:*port* or the Unix socket *path*, with TLS
    when given *ssl*; each gets ``handler_factory()``.  Port 0 takes a free port: see
    ``Listener.address``.  ``accepted`` counts connections accepted, ``connections``
    holds those usable now (TLS handshake done)."""
    loop = asyncio.get_running_loop()
    kind = _kind(ssl, path)
    listener: Listener | None = None

    def make() -> Connection:
        assert listener is not None  # set before the first connection
        listener.accepted += 1
        return Connection(handler_factory(), kind=kind, max_buffer=max_buffer, tls=ssl,
                          on_made=listener.connections.add,
                          on_lost=listener.connections.discard)

    if path is not None:
        server = await loop.create_unix_server(make, path)
        address: Any = path
    else:
        server = await loop.create_server(make, host, port)
        address = server.sockets[0].getsockname()[:2]
    listener = Listener(server, address, kind)
    return listener


@dataclass(frozen=True)
class ReconnectorStatistics:
    """Counters of a reconnecting client."""

    target: Any
    connected: bool
    attempts: int
    connections: int
    failures: int
    last_error: str | None
    next_delay: float


class Reconnector:
    """A client connection kept up: connects to *host*:*port* (TLS with *ssl*) or the
    Unix socket *path*, and again after each failure or end, with backoff.

    Args:
        handler_factory: a fresh handler per connection.
        initial, maximum: the first and the largest delay between attempts (s).
        timeout: how long one attempt may take.
    """

    def __init__(self, handler_factory: Callable[[], Handler], host: str = "127.0.0.1",
                 port: int = 0, *, ssl: ssl_module.SSLContext | None = None,
                 path: str | None = None, initial: float = 0.5, maximum: float = 8.0,
                 timeout: float = 10.0, max_buffer: int = DEFAULT_MAX_BUFFER) -> None:
        if not 0 < initial <= maximum:
            raise ValueError(f"need 0 < initial <= maximum, not {initial} and {maximum}")
        self.handler_factory = handler_factory
        self.target: Any = path if path is not None else (host, port)
        self.kind = _kind(ssl, path)
        self.connection: Connection | None = None
        self._ssl = ssl
        self._initial = initial
        self._maximum = maximum
        self._timeout = timeout
        self._max_buffer = max_buffer
        self._delay = initial
        self._attempts = 0
        self._connections = 0
        self._failures = 0
        self._last_error: str | None = None
        self._task: asyncio.Task[None] | None = None
        self._connected = asyncio.Event()

    def start(self) -> Reconnector:
        """Begin connecting (in a task of the running loop)."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(
                self._run(), name=f"reconnect {self.target}")
        return self

    async def wait_connected(self, timeout: float | None = None) -> Connection:
        """The connection, once there is one."""
        await asyncio.wait_for(self._connected.wait(), timeout)
        assert self.connection is not None
        return self.connection

    async def close(self) -> None:
        """Stop reconnecting and close the connection."""
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
        if self.connection is not None:
            self.connection.close("closed by the program")
            await asyncio.sleep(0)

    async def _connect(self, lost: asyncio.Future[str]) -> Connection:
        loop = asyncio.get_running_loop()

        def ended(connection: Connection) -> None:
            if not lost.done():
                lost.set_result(str(connection.statistics().closed))

        def make() -> Connection:
            return Connection(self.handler_factory(), kind=self.kind,
                              max_buffer=self._max_buffer, on_lost=ended)

        if isinstance(self.target, str):
            _, protocol = await loop.create_unix_connection(make, self.target, ssl=self._ssl)
        else:
            host, port = self.target
            _, protocol = await loop.create_connection(
                make, host, port, ssl=self._ssl,
                server_hostname="" if self._ssl is not None else None)
        assert isinstance(protocol, Connection)
        return protocol

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            self._attempts += 1
            lost: asyncio.Future[str] = loop.create_future()
            try:
                connection = await asyncio.wait_for(self._connect(lost), self._timeout)
            except (OSError, TimeoutError, ssl_module.SSLError) as exc:
                self._failures += 1
                self._last_error = f"{type(exc).__name__}: {exc}"
                log.info("connecting to %s failed (%s); again in %.1f s", self.target,
                         self._last_error, self._delay)
            else:
                self._connections += 1
                self.connection = connection
                self._connected.set()
                started = loop.time()
                reason = await lost
                self._connected.clear()
                self._last_error = reason
                if loop.time() - started >= self._maximum:
                    self._delay = self._initial
                log.info("connection to %s ended (%s); again in %.1f s", self.target,
                         reason, self._delay)
            await asyncio.sleep(self._delay * random.uniform(0.9, 1.1))
            self._delay = min(self._delay * 2, self._maximum)

    def statistics(self) -> ReconnectorStatistics:
        return ReconnectorStatistics(
            target=self.target, connected=self._connected.is_set(), attempts=self._attempts,
            connections=self._connections, failures=self._failures,
            last_error=self._last_error, next_delay=self._delay)
