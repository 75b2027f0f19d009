"""The JSON-RPC 1.0 engine of OVSDB (RFC 7047 §4): one connection, without I/O (like h11).

Theory of operation
-------------------
Bytes in, events out: the connection feeds what it reads to ``receive_data`` and
writes whatever ``data_to_send`` returns; time comes in as ``now`` arguments and
``tick``.  Nothing here imports asyncio, socket or ssl, so every rule is tested with
plain bytes.

- **Framing.** The stream is JSON values one after the other, with optional
  whitespace and no delimiter.  An incremental scanner keeps its state between calls
  (the brackets open, inside a string or not, where the value began): it looks only at
  bytes it has not seen yet, one regular expression match from one run of brackets
  to the next, over whole strings, so a message split anywhere (in an escape, in a
  multi-byte character: those bytes are never ASCII) is scanned once, in time linear
  in its size.  A value ends when its last bracket closes; only then is it decoded,
  with ``json.loads`` (which also explains a closing bracket that does not match).
- **Limits.** A value of more than ``max_message`` bytes, nesting deeper than
  ``max_depth``, bytes that are not UTF-8 or not JSON, a top-level value that is not
  an object, an object that is neither a request, a reply nor a notification: each
  is reported as ``Closed`` with the reason (and the stream offset where it helps),
  and the engine takes nothing more.
- **Messages.** ``request`` numbers its messages 1, 2, 3... and remembers the method;
  a reply with that id is a ``Response``, or an ``ErrorResponse`` when its ``error``
  is not null.  A reply with an id nobody waits for is a ``ProtocolViolation``: it is
  dropped and the connection goes on.  A message with a method and a null id is a
  ``Notification``; with another id, a ``ServerRequest``, except ``echo``, which is
  answered here at once (the result is the params, as RFC 7047 defines it).
- **Keepalive.** ``tick`` sends our own ``echo`` (ids ``"echo-1"``, ``"echo-2"``...,
  which no request id can equal) after ``echo_interval`` s without a byte from the
  server, and reports ``Closed`` when neither its reply nor anything else arrives in
  ``echo_timeout`` s (a big reply can delay the echo reply queued behind it; it
  still shows the server is alive).  The first ``tick`` starts the clock.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from ._rpc_events import (
    Closed,
    ErrorResponse,
    LocalProtocolError,
    Notification,
    ProtocolViolation,
    Response,
    RpcEvent,
    ServerRequest,
)

__all__ = ["JsonRpcEngine", "RpcStatistics"]

_OPEN_OBJECT, _OPEN_ARRAY, _QUOTE, _BACKSLASH = 0x7B, 0x5B, 0x22, 0x5C
# Inside a value, outside strings, one step: everything up to the next run of
# brackets, whole strings included (possessive: nothing to backtrack), then the run
# of openings (group 1) or closings (group 2), or the quote of a string that goes on
# in bytes yet to come (group 3).  No match: the rest holds no bracket.
_STEP = re.compile(rb'(?:[^"{}\[\]]++|"(?:[^"\\]++|\\.)*+")*+(?:([{\[]++)|([}\]]++)|("))',
                   re.DOTALL)
_STRING_BODY = re.compile(rb'(?:[^"\\]++|\\.)*+', re.DOTALL)
_SPACE = re.compile(rb"[ \t\r\n]*")
_TEXT_SPACE = re.compile(r"[ \t\r\n]*")
_MATCHING = bytes.maketrans(b"]}", b"[{")  # a closing bracket -> its opening one
_SNIPPET = 80


@dataclass(frozen=True)
class RpcStatistics:
    """Counters of one OVSDB connection's JSON-RPC, ready for a notebook table."""

    state: str
    received: int  # messages decoded
    sent: int  # messages queued
    pending: int  # our requests awaiting replies
    echo_requests_answered: int
    echo_requests_sent: int
    notifications: int
    server_requests: int
    violations: int
    bytes_received: int
    bytes_sent: int


def _snippet(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= _SNIPPET else text[:_SNIPPET] + "..."


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


def _encode(message: dict[str, Any]) -> bytes:
    text = json.dumps(message, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.encode("utf-8")


class JsonRpcEngine:
    """The JSON-RPC state of one connection to an OVSDB server (we are the client).

    Args:
        max_message: the longest JSON value accepted from the server, in bytes.
        max_depth: the deepest nesting of objects and arrays accepted.
        echo_interval: seconds without a byte from the server before ``tick`` sends
            an echo request.
        echo_timeout: seconds without its reply (or any other byte) before ``tick``
            reports ``Closed``.
    """

    def __init__(self, *, max_message: int = 64 * 1024 * 1024, max_depth: int = 64,
                 echo_interval: float = 5.0, echo_timeout: float = 15.0) -> None:
        if max_message < 2 or max_depth < 1:
            raise ValueError(f"max_message must be at least 2 and max_depth at least 1, "
                             f"not {max_message} and {max_depth}")
        self.state = "open"  # open, closed
        self._max_message = max_message
        self._max_depth = max_depth
        self._echo_interval = echo_interval
        self._echo_timeout = echo_timeout
        # The scanner: self._in holds the unfinished value (and what follows it);
        # self._base is the stream offset of its first byte.
        self._in = bytearray()
        self._base = 0
        self._scan = 0  # the next byte of self._in to look at
        self._start = 0  # where the value being scanned began, when self._open
        self._open = bytearray()  # the brackets open in it, outermost first
        self._in_string = False
        self._out = bytearray()
        self._last_id = 0
        self._pending: dict[int, str] = {}
        self._unanswered: dict[str, int] = {}  # server request ids (as JSON) -> count
        self._echo_id: str | None = None
        self._echo_sent = 0.0
        self._last_heard: float | None = None
        self._received = 0
        self._sent = 0
        self._echoes_answered = 0
        self._echoes_sent = 0
        self._notifications = 0
        self._server_requests = 0
        self._violations = 0
        self._bytes_received = 0
        self._bytes_sent = 0

    # -- output -----------------------------------------------------------------------
    def data_to_send(self) -> bytes:
        """Everything queued for the server since the last call."""
        data = bytes(self._out)
        self._out.clear()
        return data

    def request(self, method: str, params: list[Any]) -> int:
        """Queue request *method* with *params*; returns its id (1, 2, 3...), which the
        ``Response`` or ``ErrorResponse`` will carry."""
        self._check_open("request")
        if not isinstance(method, str):
            raise LocalProtocolError(f"a method is a string, not {type(method).__name__}")
        ident = self._last_id + 1
        self._queue({"method": method, "params": self._array(params), "id": ident})
        self._last_id = ident
        self._pending[ident] = method
        return ident

    def notify(self, method: str, params: list[Any]) -> None:
        """Queue notification *method* (a request with a null id: nothing answers it)."""
        self._check_open("notify")
        if not isinstance(method, str):
            raise LocalProtocolError(f"a method is a string, not {type(method).__name__}")
        self._queue({"method": method, "params": self._array(params), "id": None})

    def respond(self, id: Any, result: Any) -> None:
        """Answer the ``ServerRequest`` with *id*: ``result``, a null ``error``."""
        self._answer(id, result, None)

    def respond_error(self, id: Any, error: Any) -> None:
        """Answer the ``ServerRequest`` with *id* with a non-null *error*."""
        if error is None:
            raise LocalProtocolError("an error reply needs a non-null error")
        self._answer(id, None, error)

    def _answer(self, ident: Any, result: Any, error: Any) -> None:
        self._check_open("respond")
        try:
            key = json.dumps(ident, sort_keys=True)
        except (TypeError, ValueError):
            key = ""
        count = self._unanswered.get(key, 0)
        if not count:
            raise LocalProtocolError(f"no request from the server with id {ident!r} "
                                     f"awaits an answer")
        self._queue({"id": ident, "result": result, "error": error})
        if count == 1:
            del self._unanswered[key]
        else:
            self._unanswered[key] = count - 1

    def _check_open(self, what: str) -> None:
        if self.state == "closed":
            raise LocalProtocolError(f"{what}() on a closed connection")

    @staticmethod
    def _array(params: Any) -> list[Any]:
        if not isinstance(params, list):
            raise LocalProtocolError(
                f"params are a list (a JSON array), not {type(params).__name__}")
        return params

    def _queue(self, message: dict[str, Any]) -> None:
        try:
            data = _encode(message)
        except (TypeError, ValueError) as exc:  # UnicodeEncodeError is a ValueError
            raise LocalProtocolError(f"cannot send as JSON: {exc}") from exc
        self._out += data
        self._sent += 1
        self._bytes_sent += len(data)

    def pending(self) -> dict[int, str]:
        """Our requests awaiting replies: id -> method."""
        return dict(self._pending)

    # -- input ------------------------------------------------------------------------
    def receive_data(self, data: bytes, now: float = 0.0) -> list[RpcEvent]:
        """Take bytes from the server (any split); returns what they amount to."""
        if self.state == "closed":
            return []
        events: list[RpcEvent] = []
        if data:
            self._last_heard = now
            self._bytes_received += len(data)
            if not self._in and not self._open:
                data = self._fast(data, events)
                if not data or self.state == "closed":
                    return events
            self._in += data
            self._frame(events)
        return events

    def _fast(self, data: bytes, events: list[RpcEvent]) -> bytes:
        """The common case, at C speed: whole small messages, nothing pending before.

        With no value in progress, ASCII input and fewer brackets in the whole chunk
        than the depth limit (so no value in it can nest deeper), ``raw_decode`` takes
        each complete value in turn.  What it cannot take (a value cut at the end of
        the chunk, or not JSON) is returned, for the scanner to handle as usual."""
        if len(data) > self._max_message or not data.isascii() or \
                data.count(b"[") + data.count(b"{") >= self._max_depth:
            return data
        text = data.decode("ascii")
        position, end = 0, len(text)
        decode = _DECODER.raw_decode
        space = _TEXT_SPACE.match
        while True:
            position = space(text, position).end()  # type: ignore[union-attr]
            if position == end:
                self._base += end
                return b""
            if text[position] != "{":
                break  # the scanner reports it
            try:
                message, after = decode(text, position)
            except ValueError:
                break
            self._dispatch(message, self._base + position, events)
            if self.state == "closed":
                return b""
            position = after
        self._base += position
        return data[position:]

    def connection_lost(self, reason: str = "the server closed the connection"
                        ) -> list[RpcEvent]:
        """The transport ended: reports ``Closed`` (once) with *reason*."""
        if self.state == "closed":
            return []
        if self._open:
            reason += f" in the middle of a message ({len(self._in) - self._start} bytes)"
        return self._close([], reason)

    def _frame(self, events: list[RpcEvent]) -> None:
        """Scan the new bytes, handing every complete value to ``_take``."""
        buffer, stack = self._in, self._open
        end = len(buffer)
        position, start, in_string = self._scan, self._start, self._in_string
        while position < end:
            if in_string:
                body = _STRING_BODY.match(buffer, position)
                assert body is not None  # it matches the empty string too
                position = body.end()
                if position == end or buffer[position] == _BACKSLASH:
                    break  # the rest of the string, or the escaped byte, is to come
                in_string = False
                position += 1
                continue
            if not stack:
                space = _SPACE.match(buffer, position)
                assert space is not None
                position = space.end()
                if position == end:
                    break
                if buffer[position] not in (_OPEN_OBJECT, _OPEN_ARRAY):
                    shown = bytes(buffer[position:position + 20])
                    self._close(events, f"a top-level value that is not an object at byte "
                                        f"{self._base + position}: {shown!r}")
                    return
                start = position
                stack.append(buffer[position])
                position += 1
                continue
            step = _STEP.match(buffer, position)
            if step is None:
                position = end
                break
            kind = step.lastindex or 0
            run_start, position = step.start(kind), step.end()
            if kind == 3:
                in_string = True
            elif kind == 1:
                if len(stack) + position - run_start > self._max_depth:
                    beyond = run_start + self._max_depth - len(stack)
                    self._close(events, f"nesting deeper than {self._max_depth} at byte "
                                        f"{self._base + beyond}")
                    return
                stack += buffer[run_start:position]
            else:
                count = min(position - run_start, len(stack))
                closings = bytes(buffer[run_start:run_start + count]).translate(_MATCHING)
                if closings != stack[:-count - 1:-1]:
                    wrong = next(i for i, pair in enumerate(zip(
                        closings, reversed(stack), strict=False)) if pair[0] != pair[1])
                    self._mismatch(bytes(buffer[start:run_start + wrong + 1]),
                                   self._base + start, events)
                    return
                del stack[-count:]
                if stack:
                    continue
                position = run_start + count  # the value ends in the run
                if position - start > self._max_message:
                    self._close(events, f"message of more than {self._max_message} bytes")
                    return
                self._take(bytes(buffer[start:position]), self._base + start, events)
                if self.state == "closed":
                    return
        # Keep only the unfinished value; what came before it is done with.
        done = start if stack else position
        del buffer[:done]
        self._base += done
        self._scan, self._start, self._in_string = position - done, 0, in_string
        if stack and len(buffer) > self._max_message:
            self._close(events, f"message of more than {self._max_message} bytes")

    def _mismatch(self, raw: bytes, offset: int, events: list[RpcEvent]) -> None:
        """A closing bracket does not match its opening one: ``json.loads`` tells."""
        self._take(raw, offset, events)
        if self.state != "closed":  # not expected: the value cannot be JSON
            self._close(events, f"invalid JSON at byte {offset + len(raw) - 1}: "
                                f"mismatched bracket")

    def _take(self, raw: bytes, offset: int, events: list[RpcEvent]) -> None:
        """Decode one complete value (*offset*: its place in the stream) and act on it."""
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            self._close(events, f"invalid UTF-8 at byte {offset + exc.start}: {exc.reason}")
            return
        try:
            message = json.loads(text, parse_constant=_reject_constant)
        except json.JSONDecodeError as exc:
            at = offset + len(text[:exc.pos].encode("utf-8"))
            self._close(events, f"invalid JSON at byte {at}: {exc}")
            return
        except (ValueError, RecursionError) as exc:
            self._close(events, f"invalid JSON at byte {offset}: {exc}")
            return
        self._dispatch(message, offset, events)

    def _dispatch(self, message: Any, offset: int, events: list[RpcEvent]) -> None:
        """Act on one decoded value (*offset*: its place in the stream)."""
        self._received += 1
        if not isinstance(message, dict):
            self._close(events, f"a top-level value that is not an object at byte "
                                f"{offset}: {_snippet(message)}")
        elif "method" in message:
            self._take_call(message, events)
        elif ("result" in message or "error" in message) and "id" in message:
            self._take_reply(message, events)
        else:
            self._close(events, f"an object that is neither a request, a response nor a "
                                f"notification at byte {offset}: {_snippet(message)}")

    def _take_call(self, message: dict[str, Any], events: list[RpcEvent]) -> None:
        method, params = message["method"], message.get("params")
        if not isinstance(method, str) or not isinstance(params, list):
            self._close(events, f"a request or notification needs a string method and "
                                f"an array of params: {_snippet(message)}")
            return
        ident = message.get("id")
        if ident is None:
            self._notifications += 1
            events.append(Notification(method, params))
        elif method == "echo":
            answer = {"id": ident, "result": params, "error": None}
            try:
                data = _encode(answer)
            except ValueError:  # a lone surrogate from a \\ud800 escape: echo it escaped
                data = json.dumps(answer, separators=(",", ":")).encode("ascii")
            self._out += data
            self._sent += 1
            self._bytes_sent += len(data)
            self._echoes_answered += 1
        else:
            self._server_requests += 1
            key = json.dumps(ident, sort_keys=True)
            self._unanswered[key] = self._unanswered.get(key, 0) + 1
            events.append(ServerRequest(ident, method, params))

    def _take_reply(self, message: dict[str, Any], events: list[RpcEvent]) -> None:
        ident, error = message["id"], message.get("error")
        # type() rather than isinstance: true and 1.0 must not match request 1.
        if type(ident) is int and ident in self._pending:
            method = self._pending.pop(ident)
            if error is not None:
                events.append(ErrorResponse(ident, method, error))
            else:
                events.append(Response(ident, method, message.get("result")))
        elif isinstance(ident, str) and ident == self._echo_id:
            self._echo_id = None
        else:
            detail = f" (error {_snippet(error)})" if error is not None else ""
            self._violations += 1
            events.append(ProtocolViolation(f"a reply with unknown id {_snippet(ident)}"
                                            f"{detail}"))

    def _close(self, events: list[RpcEvent], reason: str) -> list[RpcEvent]:
        self.state = "closed"
        self._in.clear()
        self._open.clear()
        events.append(Closed(reason))
        return events

    # -- time -------------------------------------------------------------------------
    def tick(self, now: float) -> list[RpcEvent]:
        """The keepalive at time *now* (the first call starts the clock)."""
        if self.state == "closed":
            return []
        if self._last_heard is None:
            self._last_heard = now
            return []
        if self._echo_id is not None:
            quiet = now - max(self._echo_sent, self._last_heard)
            if quiet >= self._echo_timeout:
                return self._close([], f"no echo reply in {self._echo_timeout:g} s "
                                       f"(nothing heard for {quiet:g} s)")
        elif now - self._last_heard >= self._echo_interval:
            self._echoes_sent += 1
            self._echo_id = f"echo-{self._echoes_sent}"
            self._echo_sent = now
            self._queue({"method": "echo", "params": [], "id": self._echo_id})
        return []

    def statistics(self) -> RpcStatistics:
        return RpcStatistics(
            state=self.state, received=self._received, sent=self._sent,
            pending=len(self._pending), echo_requests_answered=self._echoes_answered,
            echo_requests_sent=self._echoes_sent, notifications=self._notifications,
            server_requests=self._server_requests, violations=self._violations,
            bytes_received=self._bytes_received, bytes_sent=self._bytes_sent)
