"""A minimal OpenFlow controller endpoint on a plain socket that records everything.

It speaks only what the corpus and the lab tests need: it answers HELLO and
ECHO_REQUEST, sends hand-written requests, and waits for messages of a given
type. Every message in either direction is kept in ``transcript``.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType

from ._wire import HEADER, MessageSplitter, describe, header, msg_type

__all__ = ["ControllerListener", "CorpusEntry", "OpenFlowConnection"]

SWITCH_TO_CONTROLLER = "switch->controller"
CONTROLLER_TO_SWITCH = "controller->switch"


@dataclass(frozen=True)
class CorpusEntry:
    """One recorded OpenFlow message."""

    name: str
    direction: str
    data: bytes

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "direction": self.direction, "hex": self.data.hex()}

    @classmethod
    def from_json(cls, item: dict[str, str]) -> CorpusEntry:
        return cls(item["name"], item["direction"], bytes.fromhex(item["hex"]))


class OpenFlowConnection:
    """One accepted switch connection."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.transcript: list[CorpusEntry] = []
        self._splitter = MessageSplitter()
        self._inbox: list[bytes] = []
        self.closed = False

    def send(self, message: bytes) -> None:
        """Send one message and record it."""
        self.transcript.append(CorpusEntry(describe(message), CONTROLLER_TO_SWITCH, message))
        self.sock.sendall(message)

    def _fill(self, deadline: float) -> None:
        """Read at least one more message into the inbox (or raise on timeout/EOF)."""
        while not self._inbox:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no OpenFlow message from the switch in time")
            self.sock.settimeout(remaining)
            try:
                data = self.sock.recv(65536)
            except TimeoutError:
                raise TimeoutError("no OpenFlow message from the switch in time") from None
            if not data:
                self.closed = True
                raise ConnectionError("the switch closed the connection")
            for message in self._splitter.feed(data):
                self.transcript.append(
                    CorpusEntry(describe(message), SWITCH_TO_CONTROLLER, message)
                )
                self._inbox.append(message)

    def receive(self, timeout: float = 5.0) -> bytes:
        """The next message from the switch (ECHO_REQUESTs are answered, and returned too)."""
        self._fill(time.monotonic() + timeout)
        message = self._inbox.pop(0)
        if msg_type(message) == "echo_request":
            (xid,) = HEADER.unpack_from(message)[3:]
            self.send(header(message[0], "echo_reply", xid, message[HEADER.size :]))
        return message

    def expect(self, wanted: str | Callable[[bytes], bool], timeout: float = 5.0) -> bytes:
        """Receive until a message of type ``wanted`` (or matching the predicate) arrives.

        Other messages are recorded and skipped.

        Raises:
            TimeoutError: it did not come within ``timeout`` seconds.
        """
        deadline = time.monotonic() + timeout
        matches = wanted if callable(wanted) else (lambda m: msg_type(m) == wanted)
        skipped: list[str] = []
        while True:
            try:
                message = self.receive(max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                raise TimeoutError(f"expected {wanted!r}, got only {skipped}") from None
            if matches(message):
                return message
            skipped.append(describe(message))

    def drain(self, quiet: float = 0.2) -> list[bytes]:
        """Receive until the switch has been silent for ``quiet`` seconds."""
        received: list[bytes] = []
        while True:
            try:
                received.append(self.receive(quiet))
            except TimeoutError:
                return received

    def handshake(self, version: int, timeout: float = 5.0) -> bytes:
        """Wait for the switch's HELLO and answer with a plain HELLO of ``version``."""
        hello = self.expect("hello", timeout)
        self.send(header(version, "hello", 1))
        return hello

    def close(self) -> None:
        self.sock.close()


class ControllerListener:
    """A TCP listener on an ephemeral port of 127.0.0.1 for a bridge to connect to.

    Example:
        >>> with ControllerListener() as listener:  # doctest: +SKIP
        ...     lab.set_controller("s1", listener.target)
        ...     conn = listener.accept()
    """

    def __init__(self, host: str = "127.0.0.1") -> None:
        self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._server.bind((host, 0))
        self._server.listen(8)
        self.host = host
        self.port: int = self._server.getsockname()[1]
        self.connections: list[OpenFlowConnection] = []

    @property
    def target(self) -> str:
        """The OVS controller target, ``tcp:HOST:PORT``."""
        return f"tcp:{self.host}:{self.port}"

    def accept(self, timeout: float = 5.0) -> OpenFlowConnection:
        """Wait for the switch to connect."""
        self._server.settimeout(timeout)
        try:
            sock, _ = self._server.accept()
        except TimeoutError:
            raise TimeoutError(
                f"no switch connected to {self.target} within {timeout:g} s"
            ) from None
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        connection = OpenFlowConnection(sock)
        self.connections.append(connection)
        return connection

    def close(self) -> None:
        for connection in self.connections:
            connection.close()
        self._server.close()

    def __enter__(self) -> ControllerListener:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
