"""One switch connection on an asyncio transport: the engine's bytes and events.

The protocol feeds ``data_received`` to the engine, writes what the engine queues,
ticks it once a second (keepalive, handshake deadline), and hands what it reports
on: replies and errors to the ``Switch`` that waits for them, other messages to the
event core as ``OpenFlowMessage`` events, the handshake to the controller.  Bad
input is logged with the peer's address; a fatal one closes this connection only.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, Protocol

from ..event import Event
from ..ofengine import (
    Closed,
    HandshakeComplete,
    HandshakeFailed,
    MessageReceived,
    OpenFlowEngine,
    ProtocolViolation,
    ReplyReceived,
    RequestFailed,
)
from ._events import ErrorReceived, FlowRemoved, OpenFlowMessage, PacketIn, PortStatus
from ._switch import Switch

__all__ = ["OpenFlowProtocol", "SwitchRegistry", "message_event"]

log = logging.getLogger("vlcp_core.controller")
_TICK = 1.0


class SwitchRegistry(Protocol):
    """What a connection needs from its controller."""

    def switch_up(self, switch: Switch) -> None: ...

    def switch_down(self, switch: Switch, reason: str) -> None: ...

    def deliver(self, event: Event) -> None: ...


def message_event(datapath: int, message: Any) -> OpenFlowMessage:
    """The event-core event for a message a switch sent unasked."""
    kind = int(message.type)
    if kind == 10:
        return PacketIn(datapath, kind, message, getattr(message, "table_id", 0),
                        getattr(message, "cookie", 0), int(message.reason))
    if kind == 11:
        return FlowRemoved(datapath, kind, message, getattr(message, "table_id", 0),
                           message.cookie, int(message.reason))
    if kind == 12:
        return PortStatus(datapath, kind, message, int(message.reason),
                          int(message.desc.port_no))
    if kind == 1:
        return ErrorReceived(datapath, kind, message, int(message.err_type))
    return OpenFlowMessage(datapath, kind, message)


class OpenFlowProtocol(asyncio.Protocol):
    """The asyncio side of one switch connection."""

    def __init__(self, registry: SwitchRegistry, engine_factory: Callable[[], OpenFlowEngine]
                 ) -> None:
        self.registry = registry
        self.engine = engine_factory()
        self.transport: asyncio.Transport | None = None
        self.switch: Switch | None = None
        self.peer: Any = None
        self._timer: asyncio.TimerHandle | None = None
        self._loop = asyncio.get_running_loop()
        self._reading_paused = False
        self._close_reason: str | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.peer = transport.get_extra_info("peername")
        self.engine.initiate(self._loop.time())
        self.flush()
        self._timer = self._loop.call_later(_TICK, self._tick)

    def flush(self) -> None:
        data = self.engine.data_to_send()
        if data and self.transport is not None and not self.transport.is_closing():
            self.transport.write(data)

    def pause(self, paused: bool) -> None:
        """Back-pressure from a slow reader: stop or restart reading this switch."""
        if self.transport is None or paused == self._reading_paused:
            return
        self._reading_paused = paused
        if paused:
            self.transport.pause_reading()
        else:
            self.transport.resume_reading()

    def data_received(self, data: bytes) -> None:
        events = self.engine.receive_data(data, self._loop.time())
        self.flush()
        for event in events:
            try:
                self._handle(event)
            except Exception:
                log.exception("switch %s: handling %r failed", self.peer, event)

    def _handle(self, event: object) -> None:
        switch = self.switch
        if isinstance(event, ReplyReceived):
            if switch is None or not switch.on_reply(event.xid, event.message, event.last):
                if event.message is not None and switch is not None:
                    self.registry.deliver(message_event(switch.datapath_id, event.message))
        elif isinstance(event, MessageReceived):
            if switch is not None:
                self.registry.deliver(message_event(switch.datapath_id, event.message))
        elif isinstance(event, RequestFailed):
            if switch is None or not switch.on_failed(event.xid, event.error, event.request):
                if switch is not None:
                    self.registry.deliver(message_event(switch.datapath_id, event.error))
        elif isinstance(event, HandshakeComplete):
            self.switch = Switch(self.engine, self.peer, self.flush, self.pause)
            self.registry.switch_up(self.switch)
        elif isinstance(event, ProtocolViolation):
            log.warning("switch %s: %s (first bytes %s)", self.peer, event.reason,
                        event.data.hex())
        elif isinstance(event, (HandshakeFailed, Closed)):
            log.warning("switch %s: closing: %s", self.peer, event.reason)
            self.close(event.reason)

    def _tick(self) -> None:
        for event in self.engine.tick(self._loop.time()):
            self._handle(event)
        self.flush()
        if self.transport is not None and not self.transport.is_closing():
            self._timer = self._loop.call_later(_TICK, self._tick)

    def close(self, reason: str) -> None:
        self.flush()
        self._close_reason = reason
        if self.transport is not None:
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._timer is not None:
            self._timer.cancel()
        reason = self._close_reason or (
            f"connection lost: {exc}" if exc else "connection closed by the switch")
        if self.switch is not None:
            self.switch.on_gone(reason)
            self.registry.switch_down(self.switch, reason)
