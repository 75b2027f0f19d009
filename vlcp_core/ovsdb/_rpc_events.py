"""What the JSON-RPC engine reports (h11 style: small classes, one per happening).

These are the engine's own results, plain and synchronous; the OVSDB client turns
them into replies, monitor updates and reconnections.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "Closed",
    "ErrorResponse",
    "LocalProtocolError",
    "Notification",
    "ProtocolViolation",
    "RemoteProtocolError",
    "Response",
    "RpcEvent",
    "ServerRequest",
]


class LocalProtocolError(Exception):
    """We asked the engine for something it cannot do: a request once the connection
    is closed, parameters that are not a JSON array, a value JSON cannot carry."""


class RemoteProtocolError(Exception):
    """The peer broke JSON-RPC in a way the connection cannot survive.  The engine
    itself reports such breaches as ``Closed`` events; a caller that prefers an
    exception may raise this one with the event's reason."""


class RpcEvent:
    """Base of what ``JsonRpcEngine.receive_data`` and ``tick`` return."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Response(RpcEvent):
    """The reply to our request *id* (sent as *method*), with a null ``error``."""

    id: int
    method: str
    result: Any


@dataclass(frozen=True, slots=True)
class ErrorResponse(RpcEvent):
    """The reply to our request *id* (sent as *method*) carries a non-null ``error``
    (in OVSDB an object such as ``{"error": "unknown database", ...}``)."""

    id: int
    method: str
    error: Any


@dataclass(frozen=True, slots=True)
class Notification(RpcEvent):
    """A message from the server with a null id: ``update``, ``update2``, ``update3``,
    ``locked``, ``stolen``..."""

    method: str
    params: Any


@dataclass(frozen=True, slots=True)
class ServerRequest(RpcEvent):
    """A request from the server other than ``echo`` (which the engine answers
    itself); answer it with ``JsonRpcEngine.respond(id, result)``."""

    id: Any
    method: str
    params: Any


@dataclass(frozen=True, slots=True)
class ProtocolViolation(RpcEvent):
    """The peer sent something wrong that the connection survives (a reply nobody
    asked for); reported and dropped."""

    reason: str


@dataclass(frozen=True, slots=True)
class Closed(RpcEvent):
    """The engine gave up on the connection (a framing or size error, invalid JSON,
    an echo timeout, the connection lost); the connection should close.  Afterwards
    the engine's state is ``"closed"`` and it reports nothing more."""

    reason: str
