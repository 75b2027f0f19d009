"""The controller object: listeners, the registry of connected switches, events.

Theory of operation
-------------------
``listen`` opens a TCP (optionally TLS) or Unix listener whose connections each get
an ``OpenFlowProtocol`` with a fresh engine allowing that listener's versions.  A
switch that completes its handshake is registered by datapath id (a reconnecting
datapath replaces its old connection, which is closed) and announced with
``SwitchUp``; its end with ``SwitchDown``.  Every message a switch sends unasked
goes to the scheduler as an ``OpenFlowMessage`` event (or a subclass).
"""

from __future__ import annotations

import asyncio
import logging
import ssl as ssl_module
from dataclasses import dataclass
from typing import Any

from ..event import Event, EventMatcher, Scheduler
from ..ofengine import OpenFlowEngine
from ._connection import OpenFlowProtocol
from ._events import SwitchDown, SwitchUp
from ._switch import Switch

__all__ = ["Controller", "ControllerStatistics", "Listener"]

log = logging.getLogger("vlcp_core.controller")


@dataclass(frozen=True)
class Listener:
    """Where a controller listens: ``address`` is ``(host, port)`` or a Unix path."""

    address: Any
    versions: frozenset[int]
    tls: bool


@dataclass(frozen=True)
class ControllerStatistics:
    switches: int
    listeners: int
    switches_up: int
    switches_down: int


class Controller:
    """Accepts switch connections and speaks OpenFlow to them.

    Example::

        controller = Controller()
        await controller.listen("127.0.0.1", 6653, versions={4})
        switch = await controller.wait_switch()
        await switch.request(flow_mod(match(in_port=1), [output(2)], version=4))
    """

    def __init__(self, scheduler: Scheduler | None = None, *, echo_interval: float = 5.0,
                 echo_timeout: float = 15.0) -> None:
        self.scheduler = scheduler if scheduler is not None else Scheduler()
        self.switches: dict[int, Switch] = {}
        self.listeners: list[Listener] = []
        self._servers: list[asyncio.Server] = []
        self._protocols: set[OpenFlowProtocol] = set()
        self._echo = (echo_interval, echo_timeout)
        self._up = 0
        self._down = 0

    async def listen(self, host: str = "127.0.0.1", port: int = 6653, *,
                     versions: frozenset[int] | set[int] | tuple[int, ...] = (1, 4),
                     ssl: ssl_module.SSLContext | None = None,
                     path: str | None = None) -> Listener:
        """Accept switches on TCP *host*:*port* (port 0: any free one), with TLS when
        *ssl* is given, or on the Unix socket *path*; each connection may negotiate
        one of *versions*.  Returns the listener with its bound address."""
        allowed = frozenset(versions)
        OpenFlowEngine(allowed)  # refuses an unknown version now, not per connection
        loop = asyncio.get_running_loop()

        def make() -> OpenFlowProtocol:
            protocol = OpenFlowProtocol(self, lambda: OpenFlowEngine(
                allowed, echo_interval=self._echo[0], echo_timeout=self._echo[1]))
            self._protocols.add(protocol)
            return protocol

        if path is not None:
            server = await loop.create_unix_server(make, path, ssl=ssl)
            address: Any = path
        else:
            server = await loop.create_server(make, host, port, ssl=ssl)
            address = server.sockets[0].getsockname()[:2]
        self._servers.append(server)
        listener = Listener(address, allowed, ssl is not None)
        self.listeners.append(listener)
        return listener

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

    async def close(self) -> None:
        """Stop listening and close every connection."""
        for server in self._servers:
            server.close()
        for protocol in list(self._protocols):
            protocol.close("controller closed")
        for server in self._servers:
            await server.wait_closed()
        self._servers.clear()
        await asyncio.sleep(0)

    def statistics(self) -> ControllerStatistics:
        return ControllerStatistics(switches=len(self.switches),
                                    listeners=len(self.listeners),
                                    switches_up=self._up, switches_down=self._down)

    # -- from connections ---------------------------------------------------------------
    def switch_up(self, switch: Switch) -> None:
        old = self.switches.get(switch.datapath_id)
        self.switches[switch.datapath_id] = switch
        self._up += 1
        if old is not None:
            log.warning("switch %#x connected again from %s; closing its old connection",
                        switch.datapath_id, switch.address)
            for protocol in list(self._protocols):
                if protocol.switch is old:
                    protocol.close("replaced by a new connection")
        self.deliver(SwitchUp(switch.datapath_id, switch.version, switch))

    def switch_down(self, switch: Switch, reason: str) -> None:
        for protocol in list(self._protocols):
            if protocol.switch is switch:
                self._protocols.discard(protocol)
        if self.switches.get(switch.datapath_id) is switch:
            del self.switches[switch.datapath_id]
            self._down += 1
            self.deliver(SwitchDown(switch.datapath_id, reason))

    def deliver(self, event: Event) -> None:
        self.scheduler.send_nowait(event)
