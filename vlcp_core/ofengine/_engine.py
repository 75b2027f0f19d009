"""The OpenFlow engine: one switch connection's protocol, without I/O (like h11).

Theory of operation
-------------------
Bytes in, events out: the connection feeds what it reads to ``receive_data`` and
writes whatever ``data_to_send`` returns; time comes in as ``now`` arguments and
``tick``.  Nothing here imports asyncio or socket, so every protocol rule is tested
with plain bytes.

- **Handshake.** ``initiate`` queues our HELLO (the versions we allow).  The peer's
  HELLO gives its versions (``_hello``); no common version queues HELLO_FAILED and
  reports ``HandshakeFailed``.  Then FEATURES_REQUEST, and in 1.3 the port
  descriptions (OFPMP_PORT_DESC); ``HandshakeComplete`` carries them.  Messages the
  switch sends before that are held (a bounded few) and reported after it.
- **Echo** requests are answered here, before any queue, so a busy program never
  lets OVS's 5 s probe drop the switch.  ``tick`` sends our own echo after
  ``echo_interval`` s of silence and reports ``Closed`` when none comes back in
  ``echo_timeout`` s.
- **Requests.** ``send`` numbers a message (xids count up per connection, wrap
  around, skip zero and xids in use) and remembers it.  A reply with its xid is a
  ``ReplyReceived``; multipart replies give one per part, ``last`` on the final one.
  A message without a reply of its own (FLOW_MOD...) is confirmed by the reply to a
  later barrier: ``ReplyReceived(xid, None)`` for each such message sent before the
  barrier, in order, then the barrier's own reply.  OFPT_ERROR with a remembered xid
  is a ``RequestFailed`` carrying the request.  At most ``keep_requests``
  unconfirmed messages are remembered (the oldest are forgotten first).
- **Ports** are tracked from the handshake and every PORT_STATUS.
- **Bad input.** A length below 8 or above ``max_message`` cannot be framed: the
  engine reports ``Closed``.  A message of another version than the connection's is
  answered with BAD_REQUEST/BAD_VERSION; one that does not parse is reported; both as
  ``ProtocolViolation``, and the connection goes on.
"""

from __future__ import annotations

import struct
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from ..namedstruct import ParseError
from ..openflow import parse_message, v13
from ._events import (
    Closed,
    EngineEvent,
    HandshakeComplete,
    HandshakeFailed,
    LocalProtocolError,
    MessageReceived,
    ProtocolViolation,
    ReplyReceived,
    RequestFailed,
)
from ._hello import (
    DEFINITIONS,
    KNOWN_VERSIONS,
    VERSION_NAMES,
    hello_bytes,
    negotiate,
    peer_versions,
)

__all__ = ["EngineStatistics", "OpenFlowEngine"]

_HEADER = struct.Struct("!BBHI")
# Request type -> its reply type, per version.
_REPLIES = {
    1: {2: 3, 5: 6, 7: 8, 16: 17, 18: 19, 20: 21},
    4: {2: 3, 5: 6, 7: 8, 18: 19, 20: 21, 22: 23, 24: 25, 26: 27},
}
_BARRIER_REPLY = {1: 19, 4: 21}
_MULTIPART_REPLY = {1: 17, 4: 19}
_ASYNC_TYPES = frozenset({10, 11, 12})  # packet-in, flow-removed, port-status
_ECHO_REQUEST, _ECHO_REPLY, _ERROR, _HELLO = 2, 3, 1, 0
_FEATURES_REPLY = 6
_PORT_STATUS = 12
_EARLY_LIMIT = 256


@dataclass(frozen=True)
class EngineStatistics:
    """Counters of one connection's protocol, ready for a notebook table."""

    state: str
    version: int | None
    received: int
    sent: int
    pending_requests: int
    echo_requests_answered: int
    violations: int


@dataclass
class _Pending:
    request: Any
    expects_reply: bool
    sequence: int  # sending order on this connection
    raw: bool = False  # multipart reply parts stay bytes (see ``send``)


class OpenFlowEngine:
    """The protocol state of one switch connection (we are the controller).

    Args:
        versions: the wire versions we allow (1 for OpenFlow 1.0, 4 for 1.3).
        echo_interval: seconds of silence before ``tick`` sends an echo request.
        echo_timeout: seconds without an echo reply (or a finished handshake) before
            ``tick`` reports ``Closed``.
        max_message: the largest message accepted (OpenFlow lengths are 16 bits).
        keep_requests: how many messages without replies are remembered for their
            errors and barriers.
    """

    def __init__(self, versions: frozenset[int] | set[int] | tuple[int, ...] = (1, 4), *,
                 echo_interval: float = 5.0, echo_timeout: float = 15.0,
                 max_message: int = 65535, keep_requests: int = 4096) -> None:
        allowed = frozenset(versions)
        if not allowed or not allowed <= KNOWN_VERSIONS:
            raise ValueError(f"versions must be among {sorted(KNOWN_VERSIONS)}, "
                             f"not {sorted(allowed)}")
        self.versions = allowed
        self.state = "idle"  # idle, hello, features, ports, ready, closed
        self.version: int | None = None
        self.datapath_id: int | None = None
        self.features: Any = None
        self.ports: dict[int, Any] = {}
        self._echo_interval = echo_interval
        self._echo_timeout = echo_timeout
        self._max_message = max_message
        self._keep = keep_requests
        self._in = bytearray()
        self._out = bytearray()
        self._xid = 0
        self._pending: dict[int, _Pending] = {}
        # Messages without replies awaiting a barrier: xid -> sequence, in sending order.
        self._unconfirmed: OrderedDict[int, int] = OrderedDict()
        self._sequence = 0
        self._handshake_xid = 0
        self._early: list[bytes] = []
        self._last_heard = 0.0
        self._started = 0.0
        self._echo_xid: int | None = None
        self._echo_sent = 0.0
        self._received = 0
        self._sent = 0
        self._echoes = 0
        self._violations = 0

    # -- output -----------------------------------------------------------------------
    def data_to_send(self) -> bytes:
        """Everything queued for the peer since the last call."""
        data = bytes(self._out)
        self._out.clear()
        return data

    def _next_xid(self) -> int:
        while True:
            self._xid = self._xid % 0xFFFFFFFF + 1  # 1 .. 2**32 - 1, then 1 again
            if self._xid not in self._pending and self._xid != self._echo_xid:
                return self._xid

    def initiate(self, now: float = 0.0) -> None:
        """Queue our HELLO; the handshake has begun."""
        if self.state != "idle":
            raise LocalProtocolError(f"initiate() in state {self.state!r}")
        self.state = "hello"
        self._started = self._last_heard = now
        self._out += hello_bytes(self.versions, self._next_xid())
        self._sent += 1

    def send(self, message: Any, *, raw_reply: bool = False) -> int:
        """Queue *message* (after the handshake), numbering it if its xid is 0; returns
        the xid.  Its reply, confirmation or error will name that xid.

        With *raw_reply*, the parts of a multipart reply are reported as the frames'
        bytes, unparsed (for a reader that decodes entries itself, such as a dump of
        100,000 flows); an error reply is parsed as always."""
        if self.state != "ready":
            raise LocalProtocolError(f"cannot send in state {self.state!r}")
        if message.version != self.version:
            raise LocalProtocolError(
                f"{type(message).__name__} is version {message.version}, the connection "
                f"speaks {VERSION_NAMES.get(self.version or 0)}")
        if message.xid == 0 or message.xid in self._pending:
            message.xid = self._next_xid()
        xid: int = message.xid
        self._out += bytes(message)
        self._sent += 1
        expects = self.expects_reply(message)
        self._sequence += 1
        self._pending[xid] = _Pending(message, expects, self._sequence, raw_reply)
        if not expects:
            self._unconfirmed[xid] = self._sequence
            if len(self._unconfirmed) > self._keep:
                oldest, _ = self._unconfirmed.popitem(last=False)
                self._pending.pop(oldest, None)
        return xid

    def send_bytes(self, data: bytes) -> None:
        """Queue one whole message already built (a template filled in), untracked:
        no xid is given, and an error for it arrives as a plain message.  The fast
        path for replies sent by the thousand; checks only the version and length."""
        if self.state != "ready":
            raise LocalProtocolError(f"cannot send in state {self.state!r}")
        if len(data) < 8 or data[0] != self.version or (data[2] << 8 | data[3]) != len(data):
            raise LocalProtocolError(
                f"not one whole {VERSION_NAMES.get(self.version or 0)} message: "
                f"{bytes(data[:8]).hex()} and {len(data)} bytes")
        self._out += data
        self._sent += 1

    @property
    def definitions(self) -> Any:
        """``v10`` or ``v13``: the messages of the negotiated version."""
        if self.version is None:
            raise LocalProtocolError("no version negotiated yet")
        return DEFINITIONS[self.version]

    @staticmethod
    def expects_reply(message: Any) -> bool:
        """True when *message* has a reply of its own (else a barrier confirms it)."""
        return int(message.type) in _REPLIES.get(message.version, {})

    def _send_internal(self, message: Any) -> None:
        self._out += bytes(message)
        self._sent += 1

    # -- input ------------------------------------------------------------------------
    def receive_data(self, data: bytes, now: float = 0.0) -> list[EngineEvent]:
        """Take bytes from the peer; returns what they amount to."""
        if self.state == "closed":
            return []
        self._in += data
        if data:
            self._last_heard = now
        events: list[EngineEvent] = []
        buffer = self._in
        offset = 0
        while len(buffer) - offset >= 8:
            length = buffer[offset + 2] << 8 | buffer[offset + 3]
            if length < 8 or length > self._max_message:
                self.state = "closed"
                events.append(Closed(f"message {self._received + 1} from the peer has "
                                     f"length {length}: cannot be framed"))
                self._in.clear()
                return events
            if len(buffer) - offset < length:
                break
            frame = bytes(buffer[offset:offset + length])
            offset += length
            self._received += 1
            self._take(frame, events)
            if self.state == "closed":
                self._in.clear()
                return events
        del buffer[:offset]
        return events

    def _take(self, frame: bytes, events: list[EngineEvent]) -> None:
        version, kind, _, xid = _HEADER.unpack_from(frame)
        if self.state == "hello":
            self._take_hello(frame, version, kind, xid, events)
            return
        if version != self.version:
            self._violation(events, f"a version {version} message on an "
                            f"{VERSION_NAMES.get(self.version or 0)} connection", frame)
            module = DEFINITIONS[self.version or 4]
            self._send_internal(module.ofp_error_bad_request(
                xid=xid, code="OFPBRC_BAD_VERSION", data=frame[:64]))
            return
        if kind == _ECHO_REQUEST:
            self._out += bytes([version, _ECHO_REPLY]) + frame[2:]
            self._sent += 1
            self._echoes += 1
            return
        if kind == _ECHO_REPLY and xid == self._echo_xid:
            self._echo_xid = None
            return
        if self.state in ("features", "ports"):
            self._take_handshake(frame, kind, xid, events)
            return
        self._take_ready(frame, kind, xid, events)

    def _take_hello(self, frame: bytes, version: int, kind: int, xid: int,
                    events: list[EngineEvent]) -> None:
        if kind != _HELLO:
            reason = (f"the switch answered our HELLO with an error: {frame[8:].hex()}"
                      if kind == _ERROR else f"expected HELLO, got message type {kind}")
            self.state = "closed"
            events.append(HandshakeFailed(reason))
            return
        try:
            theirs = peer_versions(frame)
        except ValueError as exc:
            self.state = "closed"
            events.append(HandshakeFailed(f"malformed HELLO: {exc}"))
            return
        chosen = negotiate(self.versions, theirs)
        if chosen is None:
            ours = ", ".join(VERSION_NAMES[v] for v in sorted(self.versions))
            peer = ", ".join(VERSION_NAMES.get(v, str(v)) for v in sorted(theirs))
            text = f"no common version: we allow {ours}; the peer offers {peer}"
            error_version = 4 if version >= 4 and 4 in self.versions else 1
            module = DEFINITIONS[error_version]
            self._send_internal(module.ofp_error_hello_failed(
                xid=xid, code="OFPHFC_INCOMPATIBLE",
                data=text.encode()))
            self.state = "closed"
            events.append(HandshakeFailed(text))
            return
        self.version = chosen
        self.state = "features"
        module = DEFINITIONS[chosen]
        self._handshake_xid = self._next_xid()
        self._send_internal(module.ofp_features_request(xid=self._handshake_xid))

    def _take_handshake(self, frame: bytes, kind: int, xid: int,
                        events: list[EngineEvent]) -> None:
        if xid != self._handshake_xid or kind not in (_FEATURES_REPLY, _ERROR,
                                                      _MULTIPART_REPLY[4]):
            if len(self._early) < _EARLY_LIMIT:
                self._early.append(frame)
            return
        message = self._parse(frame, events)
        if message is None:
            return
        if kind == _ERROR:
            self.state = "closed"
            events.append(HandshakeFailed(f"the switch refused the handshake: {message!r}"))
            return
        if self.state == "features":
            self.features = message
            self.datapath_id = message.datapath_id
            if self.version == 1:
                self.ports = {p.port_no: p for p in message.ports}
                self._complete(events)
                return
            self.state = "ports"
            self._handshake_xid = self._next_xid()
            self._send_internal(v13.ofp_port_desc_request(xid=self._handshake_xid))
            return
        self.ports.update((p.port_no, p) for p in message.stats)
        if not message.flags & 1:
            self._complete(events)

    def _complete(self, events: list[EngineEvent]) -> None:
        self.state = "ready"
        self._handshake_xid = 0
        assert self.version is not None and self.datapath_id is not None
        events.append(HandshakeComplete(self.version, self.datapath_id, self.features,
                                        dict(self.ports)))
        early, self._early = self._early, []
        for frame in early:
            self._take_ready(frame, frame[1], _HEADER.unpack_from(frame)[3], events)

    def _take_ready(self, frame: bytes, kind: int, xid: int,
                    events: list[EngineEvent]) -> None:
        if kind == _MULTIPART_REPLY[self.version or 4] and len(frame) >= 12:
            raw = self._pending.get(xid)
            if raw is not None and raw.raw:
                last = not frame[11] & 1  # ofp_multipart_reply / ofp_stats_reply flags
                if last:
                    del self._pending[xid]
                events.append(ReplyReceived(xid, frame, last))
                return
        message = self._parse(frame, events)
        if message is None:
            return
        version = self.version or 4
        if kind in _ASYNC_TYPES:
            if kind == _PORT_STATUS:
                self._port_status(message)
            events.append(MessageReceived(message))
            return
        pending = self._pending.get(xid)
        if pending is None:
            events.append(MessageReceived(message))
            return
        if kind == _ERROR:
            del self._pending[xid]
            self._unconfirmed.pop(xid, None)
            events.append(RequestFailed(xid, message, pending.request))
            return
        if kind == _BARRIER_REPLY[version]:
            # Confirms what was sent before the barrier, not what was sent since.
            unconfirmed = self._unconfirmed
            while unconfirmed:
                earlier, sequence = next(iter(unconfirmed.items()))
                if sequence > pending.sequence:
                    break
                del unconfirmed[earlier]
                self._pending.pop(earlier, None)
                events.append(ReplyReceived(earlier, None))
        if not pending.expects_reply:
            events.append(MessageReceived(message))  # a reply to what expects none
            return
        last = not (kind == _MULTIPART_REPLY[version] and message.flags & 1)
        if last:
            del self._pending[xid]
        events.append(ReplyReceived(xid, message, last))

    def _port_status(self, message: Any) -> None:
        reason = int(message.reason)
        port = message.desc
        if reason == 1:  # OFPPR_DELETE
            self.ports.pop(port.port_no, None)
        else:
            self.ports[port.port_no] = port

    def _parse(self, frame: bytes, events: list[EngineEvent]) -> Any:
        try:
            parsed = parse_message(frame)
        except ParseError as exc:
            self._violation(events, f"a message that does not parse: {exc}", frame)
            return None
        assert parsed is not None  # the frame is whole
        return parsed[0]

    def _violation(self, events: list[EngineEvent], reason: str, frame: bytes) -> None:
        self._violations += 1
        events.append(ProtocolViolation(reason, frame[:64]))

    # -- time -------------------------------------------------------------------------
    def tick(self, now: float) -> list[EngineEvent]:
        """Keepalive and handshake deadlines at time *now*."""
        if self.state in ("idle", "closed"):
            return []
        if self.state != "ready":
            if now - self._started >= self._echo_timeout:
                stuck, self.state = self.state, "closed"
                return [Closed(f"handshake not finished in {self._echo_timeout:g} s "
                               f"(waiting for {stuck})")]
            return []
        if self._echo_xid is not None:
            if now - self._echo_sent >= self._echo_timeout:
                self.state = "closed"
                return [Closed(f"no echo reply in {self._echo_timeout:g} s")]
        elif now - self._last_heard >= self._echo_interval:
            self._echo_xid = self._next_xid()
            self._echo_sent = now
            self._send_internal(DEFINITIONS[self.version or 4].ofp_echo_request(
                xid=self._echo_xid))
        return []

    def statistics(self) -> EngineStatistics:
        return EngineStatistics(
            state=self.state, version=self.version, received=self._received,
            sent=self._sent, pending_requests=len(self._pending),
            echo_requests_answered=self._echoes, violations=self._violations)
