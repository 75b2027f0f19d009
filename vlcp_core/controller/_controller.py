"""The controller object: listeners, outgoing connections, the registry of switches.

Theory of operation
-------------------
``listen`` opens a TCP (optionally TLS) or Unix listener (``connection.listen``)
whose connections each get an ``OpenFlowHandler`` with a fresh engine allowing that
listener's versions; ``connect`` reaches a switch that listens itself (OVS's
``ptcp:`` and ``pssl:`` targets) and keeps reconnecting with backoff.  A switch that
completes its handshake is registered by datapath id (a reconnecting datapath
replaces its old connection, which is closed) and announced with ``SwitchUp``; its
end with ``SwitchDown``.  Every message a switch sends unasked goes to the
scheduler as an ``OpenFlowMessage`` event (or a subclass).

The default event queues give each switch a subqueue of its own (``switches``,
keyed by datapath id, ``event_limit`` events each) served round robin: a switch
flooding PACKET_INs gets one turn per round like any other.
"""

from __future__ import annotations

import asyncio
import logging
import ssl as ssl_module
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..connection import Listener, Reconnector, listen, tls_context
from ..event import Event, EventMatcher, EventQueue, Scheduler
from ..ofengine import OpenFlowEngine
from ._connection import OpenFlowHandler, Tap
from ._events import OpenFlowMessage, SwitchDown, SwitchUp
from ._switch import Switch

__all__ = ["Controller", "ControllerStatistics", "default_queues"]

log = logging.getLogger("vlcp_core.controller")
_Versions = frozenset[int] | set[int] | tuple[int, ...]


@dataclass(frozen=True)
class ControllerStatistics:
    switches: int
    listeners: int
    clients: int
    connections: int  # open, handshake finished or not
    switches_up: int
    switches_down: int


def default_queues(event_limit: int = 1024) -> EventQueue:
    """The controller's default queue tree: switch events per datapath, round robin."""
    root = EventQueue("root")
    root.add("switches", EventMatcher(OpenFlowMessage), limit=event_limit,
             key=lambda e: e.datapath)  # type: ignore[attr-defined]
    return root


def _tls(ssl: ssl_module.SSLContext | None, key: str | Path | None, cert: str | Path | None,
         ca: str | Path | None, server_side: bool) -> ssl_module.SSLContext | None:
    given = [x is not None for x in (key, cert, ca)]
    if any(given) and not all(given):
        raise ValueError("TLS needs key, cert and ca together")
    if all(given):
        if ssl is not None:
            raise ValueError("give either ssl or key/cert/ca, not both")
        assert key is not None and cert is not None and ca is not None
        return tls_context(key=key, cert=cert, ca=ca, server_side=server_side)
    return ssl


class Controller:
    """Accepts switch connections and speaks OpenFlow to them.

    Example::

        controller = Controller()
        await controller.listen("127.0.0.1", 6653, versions={4})
        switch = await controller.wait_switch()
        await switch.request(flow_mod(match(in_port=1), [output(2)], version=4))
    """

    def __init__(self, scheduler: Scheduler | None = None, *, echo_interval: float = 5.0,
                 echo_timeout: float = 15.0, event_limit: int = 1024) -> None:
        self.scheduler = (scheduler if scheduler is not None
                          else Scheduler(default_queues(event_limit)))
        self.switches: dict[int, Switch] = {}
        self.listeners: list[Listener] = []
        self.clients: list[Reconnector] = []
        self._handlers: set[OpenFlowHandler] = set()
        self._echo = (echo_interval, echo_timeout)
        self._up = 0
        self._down = 0
        self.taps: list[Tap] = []
        self._tap_handles: dict[int, Tap] = {}
        self._next_tap = 0

    def _factory(self, versions: _Versions) -> Any:
        allowed = frozenset(versions)
        OpenFlowEngine(allowed)  # refuses an unknown version now, not per connection
        interval, timeout = self._echo

        def make() -> OpenFlowHandler:
            return OpenFlowHandler(self, lambda: OpenFlowEngine(
                allowed, echo_interval=interval, echo_timeout=timeout))

        return make

    async def listen(self, host: str = "127.0.0.1", port: int = 6653, *,
                     versions: _Versions = (1, 4), ssl: ssl_module.SSLContext | None = None,
                     key: str | Path | None = None, cert: str | Path | None = None,
                     ca: str | Path | None = None, path: str | None = None) -> Listener:
        """Accept switches on TCP *host*:*port* (port 0: any free one), with TLS when
        given *ssl* or *key*, *cert* and *ca* files, or on the Unix socket *path*; each
        connection may negotiate one of *versions*.  Returns the listener with its
        bound ``address``."""
        context = _tls(ssl, key, cert, ca, server_side=True)
        listener = await listen(self._factory(versions), host, port, ssl=context, path=path)
        self.listeners.append(listener)
        return listener

    def connect(self, host: str = "127.0.0.1", port: int = 6653, *,
                versions: _Versions = (1, 4), ssl: ssl_module.SSLContext | None = None,
                key: str | Path | None = None, cert: str | Path | None = None,
                ca: str | Path | None = None, path: str | None = None,
                initial: float = 0.5, maximum: float = 8.0) -> Reconnector:
        """Connect to a switch that listens (OVS ``ptcp:``/``pssl:``/``punix:``), and
        reconnect whenever the connection fails or ends, with backoff from *initial*
        to *maximum* seconds; ``close()`` stops.  The switch arrives as usual
        (``SwitchUp``, ``wait_switch``)."""
        context = _tls(ssl, key, cert, ca, server_side=False)
        client = Reconnector(self._factory(versions), host, port, ssl=context, path=path,
                             initial=initial, maximum=maximum)
        self.clients.append(client)
        return client.start()

    async def wait_switch(self, datapath: int | None = None, *,
                          timeout: float | None = None) -> Switch:
        """The switch with *datapath* (any switch if ``None``) once it is up."""
        if datapath is not None and datapath in self.switches:
            return self.switches[datapath]
        if datapath is None and self.switches:
            return next(iter(self.switches.values()))
        matcher = (EventMatcher(SwitchUp) if datapath is None
                   else EventMatcher(SwitchUp, datapath=datapath))
        got, _ = await self.scheduler.wait_event(matcher, timeout=timeout)
        switch: Switch = got.switch  # type: ignore[attr-defined]
        return switch

    async def wait_switch_down(self, datapath: int, *, timeout: float | None = None) -> str:
        """Wait until the switch *datapath* is gone; the reason."""
        waiting = self.scheduler.wait_event(EventMatcher(SwitchDown, datapath=datapath),
                                            timeout=timeout)
        if datapath not in self.switches:
            waiting.cancel()
            return "not connected"
        got, _ = await waiting
        reason: str = got.reason  # type: ignore[attr-defined]
        return reason

    async def close(self) -> None:
        """Stop listening and connecting, and close every connection."""
        for listener in self.listeners:
            listener.server.close()
        for client in self.clients:
            await client.close()
        for handler in list(self._handlers):
            handler.close("controller closed")
        for listener in self.listeners:
            await listener.server.wait_closed()
        self.listeners.clear()
        self.clients.clear()
        await asyncio.sleep(0)

    def add_tap(self, tap: Tap) -> int:
        """See every OpenFlow message in both directions: ``tap(connection, datapath,
        direction, data)`` is called on the loop's thread with each chunk read
        (``"in"``) or written (``"out"``), and ``"end"`` (no data) when a connection
        is gone.  Chunks are pieces of the byte stream, not single messages; a tap
        must be quick and must not keep the connection.  Returns a handle for
        ``remove_tap``.  Without taps the connections pay nothing."""
        self._next_tap += 1
        self._tap_handles[self._next_tap] = tap
        self.taps = list(self._tap_handles.values())
        return self._next_tap

    def remove_tap(self, handle: int) -> None:
        """Stop the tap ``add_tap`` returned *handle* for (an unknown handle is ignored)."""
        if self._tap_handles.pop(handle, None) is not None:
            self.taps = list(self._tap_handles.values())

    def statistics(self) -> ControllerStatistics:
        return ControllerStatistics(
            switches=len(self.switches), listeners=len(self.listeners),
            clients=len(self.clients), connections=len(self._handlers),
            switches_up=self._up, switches_down=self._down)

    # -- from connections ---------------------------------------------------------------
    def switch_up(self, switch: Switch) -> None:
        old = self.switches.get(switch.datapath_id)
        self.switches[switch.datapath_id] = switch
        self._up += 1
        if old is not None:
            log.warning("switch %#x connected again from %s; closing its old connection",
                        switch.datapath_id, switch.address)
            old.connection.close("replaced by a new connection")
        self.deliver(SwitchUp(switch.datapath_id, switch.version, switch))

    def switch_down(self, switch: Switch, reason: str) -> None:
        if self.switches.get(switch.datapath_id) is switch:
            del self.switches[switch.datapath_id]
            self._down += 1
            self.deliver(SwitchDown(switch.datapath_id, reason))

    def handler_started(self, handler: OpenFlowHandler) -> None:
        self._handlers.add(handler)

    def handler_done(self, handler: OpenFlowHandler) -> None:
        self._handlers.discard(handler)

    def deliver(self, event: Event) -> None:
        self.scheduler.send_nowait(event)
