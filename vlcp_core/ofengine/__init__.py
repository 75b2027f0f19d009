"""The OpenFlow engine: one switch connection's protocol, sans I/O (bytes in, events
out, like h11).  It imports neither asyncio nor socket; ``vlcp_core.controller``
puts it on asyncio transports.

- ``OpenFlowEngine``: HELLO negotiation, FEATURES and port descriptions, echo,
  xids, replies, multipart parts, errors mapped to their request, barrier
  confirmation, port tracking, keepalive;
- its events: ``HandshakeComplete``, ``HandshakeFailed``, ``MessageReceived``,
  ``ReplyReceived``, ``RequestFailed``, ``ProtocolViolation``, ``Closed``; errors
  ``LocalProtocolError`` and ``RemoteProtocolError``.
"""

from ._engine import EngineStatistics, OpenFlowEngine
from ._events import (
    Closed,
    EngineEvent,
    HandshakeComplete,
    HandshakeFailed,
    LocalProtocolError,
    MessageReceived,
    ProtocolViolation,
    RemoteProtocolError,
    ReplyReceived,
    RequestFailed,
)
from ._hello import hello_bytes, negotiate, peer_versions

__all__ = [
    "Closed",
    "EngineEvent",
    "EngineStatistics",
    "HandshakeComplete",
    "HandshakeFailed",
    "LocalProtocolError",
    "MessageReceived",
    "OpenFlowEngine",
    "ProtocolViolation",
    "RemoteProtocolError",
    "ReplyReceived",
    "RequestFailed",
    "hello_bytes",
    "negotiate",
    "peer_versions",
]
