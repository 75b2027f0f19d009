"""Event-core events of the controller, with their index fields.

``OpenFlowMessage`` is every message a switch sends that answers no request;
subclasses for the ones programs wait on most add index fields (a matcher on
``OpenFlowMessage`` also sees them).  ``message`` is the decoded message.
"""

from __future__ import annotations

from typing import Any

from ..event import Event, event

__all__ = ["ConnectionDown", "ConnectionUp", "ErrorReceived", "FlowRemoved", "OpenFlowMessage",
           "PacketIn", "PortStatus", "SwitchDown", "SwitchUp"]


@event(index=("address",))
class ConnectionUp(Event):
    """A connection is usable (TLS handshake done); OpenFlow's handshake comes next.
    ``address`` is the peer's, ``kind`` tcp, tls or unix."""

    address: Any
    kind: str


@event(index=("address",))
class ConnectionDown(Event):
    """A connection ended, handshaken or not (``datapath`` 0 if it never was)."""

    address: Any
    reason: str
    datapath: int = 0


@event(index=("datapath",))
class SwitchUp(Event):
    """A switch finished its handshake; ``switch`` is its ``Switch``."""

    datapath: int
    version: int
    switch: Any


@event(index=("datapath",))
class SwitchDown(Event):
    """A switch's connection ended (``reason`` says why).

    Not ``cannot_ignore``: a program that does not listen for it must not find
    the queue behind it blocked (``SwitchUp`` waits there)."""

    datapath: int
    reason: str


@event(index=("datapath", "type"))
class OpenFlowMessage(Event):
    """A message from a switch that is not a reply to one of our requests."""

    datapath: int
    type: int
    message: Any


@event(index=("table", "cookie", "reason"))
class PacketIn(OpenFlowMessage):
    """OFPT_PACKET_IN (1.0 has no table or cookie: 0)."""

    table: int = 0
    cookie: int = 0
    reason: int = 0


@event(index=("table", "cookie", "reason"))
class FlowRemoved(OpenFlowMessage):
    """OFPT_FLOW_REMOVED, or Nicira's NXT_FLOW_REMOVED (what Open vSwitch sends on a
    connection whose flow format is NXM); ``table`` is the table id either way."""

    table: int = 0
    cookie: int = 0
    reason: int = 0


@event(index=("reason", "port"))
class PortStatus(OpenFlowMessage):
    """OFPT_PORT_STATUS: ``reason`` is ADD (0), DELETE (1) or MODIFY (2)."""

    reason: int = 0
    port: int = 0


@event(index=("err_type",))
class ErrorReceived(OpenFlowMessage):
    """OFPT_ERROR that answers none of our requests (those fail the request)."""

    err_type: int = 0
