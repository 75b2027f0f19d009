"""A connected switch: what the controller API offers per switch.

Requests are numbered by the engine; their futures and part queues live here,
keyed by xid, and the connection resolves them as the engine reports replies,
confirmations and errors.  A message without a reply of its own is followed by a
barrier: its request ends when the barrier's reply confirms it, or with the error
the switch sent for it.
"""

from __future__ import annotations

import asyncio
import struct
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..connection import Connection, ConnectionStatistics
from ..ofengine import EngineStatistics, OpenFlowEngine
from ..openflow import dump

__all__ = ["OpenFlowError", "Switch", "SwitchGoneError", "SwitchStatistics"]

_PAUSE_AT, _RESUME_AT = 64, 16  # parts queued for a slow stream reader


class OpenFlowError(Exception):
    """The switch answered a request with OFPT_ERROR.

    Attributes: ``error`` (the decoded error message) and ``request``.
    """

    def __init__(self, error: Any, request: Any) -> None:
        info = dump(error)
        what = type(request).__name__ if request is not None else "a request"
        super().__init__(f"{_error_name(info, bytes(error))} for {what} (xid {error.xid})")
        self.error = error
        self.request = request


def _error_name(info: dict[str, Any], data: bytes) -> str:
    """``TYPE/CODE`` by name; OVS's OpenFlow 1.0 vendor errors (NXET_VENDOR, type
    0xb0c2, a ``nx_vendor_error`` body) and unknown codes by number."""
    kind, code = info.get("err_type"), info.get("code")
    if code is not None:
        return f"{kind}/{code}"
    raw_type, raw_code = struct.unpack_from("!HH", data, 8) if len(data) >= 12 else (0, 0)
    if raw_type == 0xB0C2 and len(data) >= 20:
        vendor, inner_type, inner_code = struct.unpack_from("!IHH", data, 12)
        owner = " (Nicira)" if vendor == 0x2320 else ""
        return (f"NXET_VENDOR: vendor {vendor:#x}{owner} error type {inner_type} "
                f"code {inner_code}")
    return f"{kind}/code {raw_code}"


class SwitchGoneError(ConnectionError):
    """The switch disconnected before it answered."""


@dataclass(frozen=True)
class SwitchStatistics:
    """One switch's counters: its connection, its protocol, its events."""

    connection: ConnectionStatistics
    protocol: EngineStatistics
    events: Any  # the connection handler's HandlerStatistics


class Switch:
    """One connected switch (after its handshake).

    Attributes: ``datapath_id``, ``version`` (1 or 4), ``address`` (the peer),
    ``features`` (the FEATURES_REPLY) and ``ports`` (port number -> port
    description, kept current from PORT_STATUS).
    """

    def __init__(self, engine: OpenFlowEngine, connection: Connection,
                 flush: Callable[[], None], pause: Callable[[bool], None],
                 event_statistics: Callable[[], Any]) -> None:
        assert engine.datapath_id is not None and engine.version is not None
        self.datapath_id: int = engine.datapath_id
        self.version: int = engine.version
        self.address = connection.peer
        self.connection = connection
        self._event_statistics = event_statistics
        self.features = engine.features
        self._engine = engine
        self._flush = flush
        self._pause = pause
        self._replies: dict[int, asyncio.Future[Any]] = {}
        self._streams: dict[int, asyncio.Queue[Any]] = {}
        self._paused_by: set[int] = set()
        self.gone: str | None = None

    @property
    def ports(self) -> dict[int, Any]:
        return self._engine.ports

    @property
    def module(self) -> Any:
        """``v10`` or ``v13``: the message definitions this switch speaks."""
        return self._engine.definitions

    def statistics(self) -> SwitchStatistics:
        """Counters of this switch's connection, protocol and events."""
        return SwitchStatistics(self.connection.statistics(), self._engine.statistics(),
                                self._event_statistics())

    def __repr__(self) -> str:
        return f"<Switch {self.datapath_id:#018x} OpenFlow v{self.version} {self.address}>"

    # -- sending -----------------------------------------------------------------------
    def send(self, message: Any) -> int:
        """Send *message* without waiting; returns its xid."""
        return self._send(message, raw_reply=False)

    def _send(self, message: Any, *, raw_reply: bool) -> int:
        self._check_connected()
        xid = self._engine.send(message, raw_reply=raw_reply)
        self._flush()
        return xid

    def _check_connected(self) -> None:
        if self.gone is not None:
            raise SwitchGoneError(f"switch {self.datapath_id:#x} is gone: {self.gone}")

    def send_bytes(self, data: bytes) -> None:
        """Send one whole message given as bytes (a filled-in template), untracked:
        the fast path for replies sent by the thousand (see ``apps.l2switch``)."""
        self._check_connected()
        self._engine.send_bytes(data)
        self._flush()

    async def request(self, message: Any) -> Any:
        """Send *message* and return its reply; for a message without a reply of its
        own (FLOW_MOD, PACKET_OUT...) a barrier follows and the result is ``None``
        once it confirms.  Raises ``OpenFlowError`` when the switch refuses it,
        ``SwitchGoneError`` when it disconnects first.  For multipart requests use
        ``multipart`` or ``stream``."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        xid = self.send(message)
        self._replies[xid] = future
        if not self._engine.expects_reply(message):
            self.send(self.module.ofp_barrier_request())
        try:
            return await future
        finally:
            self._replies.pop(xid, None)

    async def barrier(self) -> None:
        """Wait until the switch has processed everything sent before."""
        await self.request(self.module.ofp_barrier_request())

    async def send_batch(self, messages: Iterable[Any]) -> list[Any]:
        """Send *messages*, then one barrier; per message its reply, ``None`` (done) or
        the ``OpenFlowError`` it raised."""
        loop = asyncio.get_running_loop()
        futures = []
        for message in messages:
            future: asyncio.Future[Any] = loop.create_future()
            self._replies[self.send(message)] = future
            futures.append(future)
        await self.barrier()
        return list(await asyncio.gather(*futures, return_exceptions=True))

    async def stream(self, request: Any, *, raw: bool = False) -> AsyncIterator[Any]:
        """The parts of a multipart reply as they arrive (a slow reader pauses the
        connection instead of buffering without bound).  With *raw*, each part is the
        message's bytes, unparsed: for readers that decode the entries themselves
        (``flowtext.flow_stats_lines``); an error still raises ``OpenFlowError``."""
        parts: asyncio.Queue[Any] = asyncio.Queue()
        xid = self._send(request, raw_reply=raw)
        self._streams[xid] = parts
        try:
            while True:
                part = await parts.get()
                if xid in self._paused_by and parts.qsize() <= _RESUME_AT:
                    self._paused_by.discard(xid)
                    self._pause(False)
                if isinstance(part, BaseException):
                    raise part
                if part is None:
                    return
                yield part
        finally:
            self._streams.pop(xid, None)
            if xid in self._paused_by:
                self._paused_by.discard(xid)
                self._pause(False)

    async def multipart(self, request: Any) -> list[Any]:
        """Every part of the reply to a multipart (1.0: stats) request."""
        return [part async for part in self.stream(request)]

    # -- from the connection -------------------------------------------------------------
    def on_reply(self, xid: int, message: Any, last: bool) -> bool:
        """A reply the engine matched; False if nobody here waits for it."""
        parts = self._streams.get(xid)
        if parts is not None:
            parts.put_nowait(message)
            if last:
                parts.put_nowait(None)
            elif parts.qsize() >= _PAUSE_AT and xid not in self._paused_by:
                self._paused_by.add(xid)
                self._pause(True)
            return True
        future = self._replies.get(xid)
        if future is None or future.done():
            return False
        future.set_result(message)
        return True

    def on_failed(self, xid: int, error: Any, request: Any) -> bool:
        failure = OpenFlowError(error, request)
        parts = self._streams.get(xid)
        if parts is not None:
            parts.put_nowait(failure)
            return True
        future = self._replies.get(xid)
        if future is None or future.done():
            return False
        future.set_exception(failure)
        return True

    def on_gone(self, reason: str) -> None:
        self.gone = reason
        failure = SwitchGoneError(f"switch {self.datapath_id:#x} disconnected: {reason}")
        for future in self._replies.values():
            if not future.done():
                future.set_exception(failure)
        for parts in self._streams.values():
            parts.put_nowait(failure)

