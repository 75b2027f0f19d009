"""What the OpenFlow engine reports (h11 style: small classes, one per happening).

These are the engine's own results, plain and synchronous; the connection layer
turns them into event-core events for the rest of the program.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Closed",
    "EngineEvent",
    "HandshakeComplete",
    "HandshakeFailed",
    "LocalProtocolError",
    "MessageReceived",
    "ProtocolViolation",
    "RemoteProtocolError",
    "ReplyReceived",
    "RequestFailed",
]


class LocalProtocolError(Exception):
    """We asked the engine for something the protocol does not allow now (sending
    before the handshake, a version the connection does not speak...)."""


class RemoteProtocolError(Exception):
    """The peer broke the protocol in a way the connection cannot survive (a length
    below 8, a message over the size limit, bytes that are not OpenFlow)."""


class EngineEvent:
    """Base of what ``OpenFlowEngine.receive_data`` and ``tick`` return."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class HandshakeComplete(EngineEvent):
    """HELLO, FEATURES and (1.3) the port descriptions are in: the switch is up."""

    version: int
    datapath_id: int
    features: Any  # ofp_switch_features
    ports: dict[int, Any]  # port number -> ofp_port


@dataclass(frozen=True, slots=True)
class HandshakeFailed(EngineEvent):
    """No common version, or the peer refused ours; the connection should close once
    ``data_to_send()`` (our HELLO_FAILED, if any) is written."""

    reason: str


@dataclass(frozen=True, slots=True)
class MessageReceived(EngineEvent):
    """A message that answers no request of ours: packet-in, port-status, an error
    with an unknown xid..."""

    message: Any


@dataclass(frozen=True, slots=True)
class ReplyReceived(EngineEvent):
    """A reply (or one part of a multipart reply) to request *xid*; *last* is true on
    the final part.  For a request without a reply of its own, the reply is
    ``None`` and comes when a later barrier's reply shows it succeeded."""

    xid: int
    message: Any
    last: bool = True


@dataclass(frozen=True, slots=True)
class RequestFailed(EngineEvent):
    """The switch answered request *xid* with OFPT_ERROR."""

    xid: int
    error: Any  # the decoded ofp_error_msg
    request: Any = field(default=None)  # the request, if it was kept


@dataclass(frozen=True, slots=True)
class ProtocolViolation(EngineEvent):
    """The peer sent something wrong that the connection survives (a message of another
    version, a reply nobody asked for); it was answered with an error if the spec
    says so, and logged by the connection."""

    reason: str
    data: bytes = b""


@dataclass(frozen=True, slots=True)
class Closed(EngineEvent):
    """The engine gave up on the connection (echo timeout, a fatal peer error); the
    connection should close."""

    reason: str
