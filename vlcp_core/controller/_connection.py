"""One switch connection: the OpenFlow engine on a ``connection.Connection``.

The handler feeds what the connection reads to the engine, writes what the engine
queues, ticks it once a second (keepalive, handshake deadline), and hands on what
it reports: replies and errors to the ``Switch`` that waits for them, other
messages to the event core as ``OpenFlowMessage`` events, the handshake to the
controller.  Bad input is logged with the peer's address; a fatal one closes this
connection only.

Back-pressure.  Reading never pauses for the event queues, so echo requests are
always answered.  When the switch's leaf queue is full, PACKET_INs are dropped and
counted (as a switch drops what its controller queue cannot take); other events
wait in a backlog here, sent as the queue makes room.  A backlog beyond
``MAX_BACKLOG`` means the program takes no events at all: the switch is dropped.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from ..connection import Connection
from ..event import Event, QueueFull, Scheduler
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
from ..openflow.nicira import messages10, messages13
from ._events import (
    ConnectionDown,
    ConnectionUp,
    ErrorReceived,
    FlowRemoved,
    OpenFlowMessage,
    PacketIn,
    PortStatus,
)
from ._switch import Switch

__all__ = ["MAX_BACKLOG", "HandlerStatistics", "OpenFlowHandler", "SwitchRegistry", "Tap",
           "message_event"]

log = logging.getLogger("vlcp_core.controller")
_TICK = 1.0
MAX_BACKLOG = 4096

# A message tap (``Controller.add_tap``): ``tap(connection, datapath, direction, data)``
# on the loop's thread; *datapath* is ``None`` until the handshake is done;
# *direction* is "in" (read from the switch), "out" (written to it) or "end" (the
# connection is gone, *data* empty); *data* is a stream chunk, not one message.
Tap = Callable[[Connection, int | None, str, bytes], None]


class SwitchRegistry(Protocol):
    """What a connection needs from its controller."""

    scheduler: Scheduler
    taps: list[Tap]  # replaced, never changed in place, when a tap is added or removed

    def switch_up(self, switch: Switch) -> None: ...

    def switch_down(self, switch: Switch, reason: str) -> None: ...

    def handler_started(self, handler: OpenFlowHandler) -> None: ...

    def handler_done(self, handler: OpenFlowHandler) -> None: ...

    def deliver(self, event: Event) -> None: ...


_NX_FLOW_REMOVED = (messages10.nxt_flow_removed, messages13.nxt_flow_removed)


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
    if type(message) in _NX_FLOW_REMOVED:  # OVS sends these once the flow format is NXM
        table = int(message.table_id)
        return FlowRemoved(datapath, kind, message, table - 1 if table else 0,
                           message.cookie, int(message.reason))
    return OpenFlowMessage(datapath, kind, message)


@dataclass(frozen=True)
class HandlerStatistics:
    """What one switch connection delivered to the event core."""

    events: int
    packet_ins_dropped: int
    backlog: int
    max_backlog: int


class OpenFlowHandler:
    """The OpenFlow side of one connection (a ``connection.Handler``)."""

    def __init__(self, registry: SwitchRegistry, engine_factory: Callable[[], OpenFlowEngine]
                 ) -> None:
        self.registry = registry
        self.engine = engine_factory()
        self.connection: Connection | None = None
        self.switch: Switch | None = None
        self.peer: Any = None
        self._timer: asyncio.TimerHandle | None = None
        self._flush_scheduled = False
        self._loop = asyncio.get_running_loop()
        self._scheduler = registry.scheduler
        self._backlog: deque[Event] = deque()
        self._full = False
        self._unwatch: Callable[[], None] | None = None
        self._events = 0
        self._dropped = 0
        self._max_backlog = 0

    # -- connection.Handler -------------------------------------------------------------
    def connection_made(self, connection: Connection) -> None:
        self.connection = connection
        self.peer = connection.peer
        self.registry.handler_started(self)
        self.registry.deliver(ConnectionUp(self.peer, connection.kind))
        self.engine.initiate(self._loop.time())
        self.flush()
        self._timer = self._loop.call_later(_TICK, self._tick)

    def data_received(self, data: bytes) -> None:
        if self.registry.taps:
            self._tap("in", data)
        events = self.engine.receive_data(data, self._loop.time())
        self.flush()
        for event in events:
            try:
                self._handle(event)
            except Exception:
                log.exception("switch %s: handling %r failed", self.peer, event)

    def connection_lost(self, reason: str) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self._unwatch is not None:
            self._unwatch()
        if self._backlog:
            log.warning("switch %s: %d events not delivered", self.peer, len(self._backlog))
            self._backlog.clear()
        if self.switch is not None:
            self.switch.on_gone(reason)
            self.registry.switch_down(self.switch, reason)
        self.registry.handler_done(self)
        if self.registry.taps:
            self._tap("end", b"")
        self.registry.deliver(ConnectionDown(
            self.peer, reason, self.switch.datapath_id if self.switch is not None else 0))

    # -- engine output ------------------------------------------------------------------
    def flush(self) -> None:
        self._flush_scheduled = False
        data = self.engine.data_to_send()
        if data and self.connection is not None:
            if self.registry.taps:
                self._tap("out", data)
            self.connection.write(data)

    def _tap(self, direction: str, data: bytes) -> None:
        assert self.connection is not None
        datapath = self.switch.datapath_id if self.switch is not None else None
        for tap in self.registry.taps:
            try:
                tap(self.connection, datapath, direction, data)
            except Exception:
                log.exception("switch %s: a message tap failed", self.peer)

    def flush_soon(self) -> None:
        """Write what the program sent at the end of this loop step: the messages it
        sends for a whole batch of events leave in one system call."""
        if not self._flush_scheduled:
            self._flush_scheduled = True
            self._loop.call_soon(self.flush)

    def pause(self, paused: bool) -> None:
        """Back-pressure from a slow stream reader: stop or restart reading."""
        if self.connection is not None:
            if paused:
                self.connection.pause_reading("stream")
            else:
                self.connection.resume_reading("stream")

    def close(self, reason: str) -> None:
        self.flush()
        if self.connection is not None:
            self.connection.close(reason)

    # -- events -------------------------------------------------------------------------
    def emit(self, event: OpenFlowMessage) -> None:
        """Hand *event* to the event core (see the module's back-pressure notes)."""
        self._events += 1
        if not self._backlog:
            try:
                self._scheduler.send_nowait(event)
                return
            except QueueFull:
                pass
        if type(event) is PacketIn:
            self._dropped += 1
            if self._dropped & (self._dropped - 1) == 0:  # 1, 2, 4, 8...: not a log flood
                log.warning("switch %s: event queue full, %d PACKET_INs dropped so far",
                            self.peer, self._dropped)
            return
        self._backlog.append(event)
        self._max_backlog = max(self._max_backlog, len(self._backlog))
        if len(self._backlog) > MAX_BACKLOG:
            self.close(f"the program takes no events: {len(self._backlog)} waiting")

    def _room(self) -> None:
        """The leaf has room again: send the backlog, as much as fits."""
        backlog = self._backlog
        try:
            while backlog:
                self._scheduler.send_nowait(backlog[0])
                backlog.popleft()
        except QueueFull:
            pass

    def _handle(self, event: object) -> None:
        switch = self.switch
        if isinstance(event, ReplyReceived):
            if switch is None or not switch.on_reply(event.xid, event.message, event.last):
                if event.message is not None and switch is not None:
                    self.emit(message_event(switch.datapath_id, event.message))
        elif isinstance(event, MessageReceived):
            if switch is not None:
                self.emit(message_event(switch.datapath_id, event.message))
        elif isinstance(event, RequestFailed):
            if switch is None or not switch.on_failed(event.xid, event.error, event.request):
                if switch is not None:
                    self.emit(message_event(switch.datapath_id, event.error))
        elif isinstance(event, HandshakeComplete):
            assert self.connection is not None
            self.switch = Switch(self.engine, self.connection, self.flush_soon, self.pause,
                                 self.statistics)
            self._unwatch = self._scheduler.queue.watch_room(
                OpenFlowMessage(self.switch.datapath_id, 0, None), lambda: None, self._room)
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
        if self.connection is not None and not self.connection.closing:
            self._timer = self._loop.call_later(_TICK, self._tick)

    def statistics(self) -> HandlerStatistics:
        return HandlerStatistics(events=self._events, packet_ins_dropped=self._dropped,
                                 backlog=len(self._backlog), max_backlog=self._max_backlog)
