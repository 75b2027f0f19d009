"""One byte-stream connection on an asyncio transport, for a sans-I/O handler.

The connection knows nothing about the protocol: it hands what it reads to its
``Handler`` and writes what the handler gives it.  It adds what every protocol
needs and asyncio leaves to each: counters (``statistics()``), a bound on what
waits unsent (a peer that stops reading is disconnected with a reason instead of
growing memory), reading paused for *reasons* (several parts of a program may
each need reading paused: it resumes when none does), and a close reason.

A server-side TLS connection does its handshake here (``loop.start_tls`` on the
accepted TCP transport) rather than in asyncio's server, so that a failed or
stalled handshake is logged with the peer and its reason (asyncio's own server
says nothing outside debug mode).  The handler hears of a connection only once
it is usable: ``on_made`` and ``on_lost`` bracket exactly that time.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

__all__ = ["Connection", "ConnectionStatistics", "Handler"]

log = logging.getLogger("vlcp_core.connection")
DEFAULT_MAX_BUFFER = 4 * 1024 * 1024


class Handler(Protocol):
    """The protocol side of a connection (an engine adapter)."""

    def connection_made(self, connection: Connection) -> None: ...

    def data_received(self, data: bytes) -> None: ...

    def connection_lost(self, reason: str) -> None: ...


@dataclass(frozen=True)
class ConnectionStatistics:
    """Counters of one connection, ready for a notebook table."""

    kind: str  # tcp, tls or unix
    peer: Any
    local: Any
    seconds: float  # since it was made
    bytes_received: int
    bytes_sent: int
    buffered: int  # written, not yet taken by the kernel
    max_buffered: int  # the most ever waiting
    reading_paused: tuple[str, ...]  # why
    closed: str | None


class Connection(asyncio.Protocol):
    """The asyncio protocol of one connection, driving a ``Handler``.

    Args:
        handler: gets the bytes and the end of the connection.
        kind: ``tcp``, ``tls`` or ``unix`` (for statistics and logs).
        max_buffer: bytes allowed to wait unsent before the peer is dropped.
        on_made, on_lost: called with the connection when the handler has heard of
            its start and of its end.
        tls: a server-side TLS context: the handshake runs on the accepted
            transport, for at most *tls_timeout* seconds.
    """

    def __init__(self, handler: Handler, *, kind: str = "tcp",
                 max_buffer: int = DEFAULT_MAX_BUFFER,
                 on_made: Callable[[Connection], object] | None = None,
                 on_lost: Callable[[Connection], object] | None = None,
                 tls: ssl.SSLContext | None = None, tls_timeout: float = 10.0) -> None:
        self.handler = handler
        self.on_made = on_made
        self.on_lost = on_lost
        self._tls = tls
        self._tls_timeout = tls_timeout
        self._made = False
        self._handshake: asyncio.Task[None] | None = None
        # What TLS delivered between the handshake and its task resuming.
        self._early: list[bytes] = []
        self._early_end: tuple[Exception | None] | None = None
        self.kind = kind
        self.max_buffer = max_buffer
        self.transport: asyncio.Transport | None = None
        self.peer: Any = None
        self.local: Any = None
        self._loop = asyncio.get_running_loop()
        self._opened = self._loop.time()
        self._received = 0
        self._sent = 0
        self._max_buffered = 0
        self._paused: set[str] = set()
        self._closed: str | None = None
        self._lost = False

    # -- asyncio ------------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.peer = transport.get_extra_info("peername")
        self.local = transport.get_extra_info("sockname")
        self._opened = self._loop.time()
        if self._tls is not None:
            transport.pause_reading()  # until start_tls takes the transport over
            self._handshake = self._loop.create_task(self._start_tls(transport, self._tls))
            return
        self._made_now()

    def _made_now(self) -> None:
        self._made = True
        if self.on_made is not None:
            self.on_made(self)
        self.handler.connection_made(self)

    async def _start_tls(self, transport: asyncio.Transport, context: ssl.SSLContext) -> None:
        try:
            secured = await self._loop.start_tls(
                transport, self, context, server_side=True,
                ssl_handshake_timeout=self._tls_timeout)
        except (OSError, ConnectionError, TimeoutError) as exc:
            self._closed = f"TLS handshake failed: {exc or type(exc).__name__}"
            log.warning("%s %s: %s", self.kind, self.peer, self._closed)
            transport.abort()
            return
        if secured is None:  # the peer went away meanwhile
            return
        self.transport = secured
        self._made_now()
        early, self._early = self._early, []
        for data in early:
            self.data_received(data)
        if self._early_end is not None:
            self.connection_lost(self._early_end[0])

    def data_received(self, data: bytes) -> None:
        if not self._made:
            self._early.append(data)
            return
        self._received += len(data)
        try:
            self.handler.data_received(data)
        except Exception as exc:  # a handler bug must not take the loop down
            log.exception("%s %s: the handler failed", self.kind, self.peer)
            self.close(f"internal error: {exc!r}")

    def eof_received(self) -> bool | None:
        return None  # close the transport

    def connection_lost(self, exc: Exception | None) -> None:
        if not self._made:
            if self._handshake is not None and not self._handshake.done():
                self._early_end = (exc,)
            return
        if self._lost:
            return
        self._lost = True
        if self._closed is None:
            self._closed = (f"connection lost: {exc}" if exc is not None
                            else "closed by the peer")
        try:
            self.handler.connection_lost(self._closed)
        finally:
            if self.on_lost is not None:
                self.on_lost(self)

    # -- for the handler ------------------------------------------------------------------
    @property
    def closing(self) -> bool:
        return self._closed is not None or self.transport is None or \
            self.transport.is_closing()

    def write(self, data: bytes) -> None:
        """Send *data*; drops the peer if more than ``max_buffer`` bytes wait unsent."""
        transport = self.transport
        if not data or transport is None or self._closed is not None or \
                transport.is_closing():
            return
        transport.write(data)
        self._sent += len(data)
        waiting = transport.get_write_buffer_size()
        if waiting > self._max_buffered:
            self._max_buffered = waiting
            if waiting > self.max_buffer:
                self.abort(f"the peer does not read: {waiting} bytes wait unsent "
                           f"(limit {self.max_buffer})")

    def pause_reading(self, reason: str) -> None:
        """Stop reading for *reason* (reading resumes when no reason is left)."""
        if reason not in self._paused:
            self._paused.add(reason)
            if len(self._paused) == 1 and self.transport is not None and not self.closing:
                self.transport.pause_reading()

    def resume_reading(self, reason: str) -> None:
        if reason in self._paused:
            self._paused.discard(reason)
            if not self._paused and self.transport is not None and not self.closing:
                self.transport.resume_reading()

    def close(self, reason: str) -> None:
        """Close after what is queued is sent; *reason* is reported to the handler."""
        if self._closed is None:
            self._closed = reason
        if self.transport is not None:
            self.transport.close()

    def abort(self, reason: str) -> None:
        """Close now, dropping what is queued."""
        if self._closed is None:
            self._closed = reason
        if self.transport is not None:
            self.transport.abort()

    def statistics(self) -> ConnectionStatistics:
        buffered = 0
        if self.transport is not None and not self.transport.is_closing():
            buffered = self.transport.get_write_buffer_size()
        return ConnectionStatistics(
            kind=self.kind, peer=self.peer, local=self.local,
            seconds=self._loop.time() - self._opened, bytes_received=self._received,
            bytes_sent=self._sent, buffered=buffered, max_buffered=self._max_buffered,
            reading_paused=tuple(sorted(self._paused)), closed=self._closed)

    def __repr__(self) -> str:
        return f"<Connection {self.kind} {self.peer} {'closed' if self._closed else 'open'}>"
