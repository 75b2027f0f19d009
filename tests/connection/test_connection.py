"""The transport layer on real sockets: listeners (TCP, Unix), counters, reading
paused by reason, a peer that never reads is dropped, and a reconnecting client
with backoff."""

from __future__ import annotations

import asyncio
import logging
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from vlcp_core.connection import Connection, Reconnector, listen


class Recorder:
    """A handler that keeps what it sees (and echoes lines when asked)."""

    def __init__(self, echo: bool = False) -> None:
        self.echo = echo
        self.connection: Connection | None = None
        self.data = bytearray()
        self.lost: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self.arrived = asyncio.Event()

    def connection_made(self, connection: Connection) -> None:
        self.connection = connection

    def data_received(self, data: bytes) -> None:
        self.data += data
        self.arrived.set()
        if self.echo and self.connection is not None:
            self.connection.write(data)

    def connection_lost(self, reason: str) -> None:
        if not self.lost.done():
            self.lost.set_result(reason)


def run(coro: object) -> None:
    asyncio.run(asyncio.wait_for(coro, 30))  # type: ignore[arg-type]


def test_tcp_and_unix_listeners_count_and_close(tmp_path: Path) -> None:
    async def main() -> None:
        handlers: list[Recorder] = []

        def make() -> Recorder:
            handlers.append(Recorder(echo=True))
            return handlers[-1]

        for kind, listener in (
                ("tcp", await listen(make, "127.0.0.1", 0)),
                ("unix", await listen(make, path=str(tmp_path / "s.sock")))):
            if kind == "tcp":
                reader, writer = await asyncio.open_connection(*listener.address)
            else:
                reader, writer = await asyncio.open_unix_connection(listener.address)
            writer.write(b"hello\n")
            assert await reader.readline() == b"hello\n"
            handler = handlers[-1]
            assert handler.connection is not None
            stats = handler.connection.statistics()
            assert (stats.kind, stats.bytes_received, stats.bytes_sent) == (kind, 6, 6)
            assert listener.accepted == 1 and listener.connections == {handler.connection}
            handler.connection.close("test over")
            assert await reader.read() == b""  # the peer sees the end
            assert await handler.lost == "test over"
            assert listener.connections == set()
            assert handler.connection.statistics().closed == "test over"
            writer.close()
            await listener.close()

    run(main())


def test_reading_pauses_until_every_reason_is_gone() -> None:
    async def main() -> None:
        handlers: list[Recorder] = []
        listener = await listen(lambda: handlers.append(Recorder()) or handlers[-1],
                                "127.0.0.1", 0)
        _, writer = await asyncio.open_connection(*listener.address)
        writer.write(b"a")
        await asyncio.wait_for(_until(lambda: bool(handlers and handlers[0].data)), 5)
        connection = handlers[0].connection
        assert connection is not None
        connection.pause_reading("stream")
        connection.pause_reading("events")
        writer.write(b"b")
        await asyncio.sleep(0.2)
        assert handlers[0].data == b"a"
        connection.resume_reading("stream")
        await asyncio.sleep(0.2)
        assert handlers[0].data == b"a"  # "events" still holds it
        assert connection.statistics().reading_paused == ("events",)
        connection.resume_reading("events")
        await asyncio.wait_for(_until(lambda: handlers[0].data == b"ab"), 5)
        writer.close()
        await listener.close()

    run(main())


async def _until(condition: object) -> None:
    while not condition():  # type: ignore[operator]
        await asyncio.sleep(0.01)


def test_a_peer_that_never_reads_is_dropped() -> None:
    async def main() -> None:
        handlers: list[Recorder] = []
        listener = await listen(lambda: handlers.append(Recorder()) or handlers[-1],
                                "127.0.0.1", 0, max_buffer=256 * 1024)
        peer = socket.create_connection(listener.address)
        peer.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        await asyncio.wait_for(_until(lambda: bool(handlers)), 5)
        await asyncio.wait_for(_until(lambda: handlers[0].connection is not None), 5)
        connection = handlers[0].connection
        assert connection is not None
        chunk = b"x" * 65536
        for _ in range(200):  # 13 MB: far more than the kernel buffers hold
            connection.write(chunk)
            if connection.closing:
                break
            await asyncio.sleep(0)
        reason = await handlers[0].lost
        assert "the peer does not read" in reason and "limit 262144" in reason
        stats = connection.statistics()
        assert stats.max_buffered > 256 * 1024 and stats.bytes_sent < 200 * 65536
        peer.close()
        await listener.close()

    run(main())


def test_reconnector_backs_off_then_connects_and_reconnects() -> None:
    async def main() -> None:
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()  # nobody listens there now
        handlers: list[Recorder] = []
        client = Reconnector(lambda: handlers.append(Recorder()) or handlers[-1],
                             "127.0.0.1", port, initial=0.05, maximum=0.4).start()
        await asyncio.sleep(0.5)
        stats = client.statistics()
        # 0.05 + 0.1 + 0.2 + 0.4 (+-10%): about 4 attempts in 0.5 s, not dozens.
        assert 3 <= stats.failures <= 6 and stats.connections == 0, stats
        assert stats.next_delay == 0.4 and "ConnectionRefusedError" in str(stats.last_error)
        accepted: list[asyncio.StreamWriter] = []

        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            accepted.append(writer)

        server = await asyncio.start_server(serve, "127.0.0.1", port)
        connection = await client.wait_connected(timeout=5)
        assert client.statistics().connected and connection.peer[1] == port
        accepted[0].close()  # the server ends it: the client comes back
        assert await handlers[0].lost == "closed by the peer"
        await asyncio.wait_for(_until(lambda: len(accepted) == 2), 5)
        assert client.statistics().connections == 2
        await client.close()
        assert await handlers[1].lost == "closed by the program"
        server.close()
        await server.wait_closed()

    run(main())


def test_connection_layer_knows_no_protocol() -> None:
    code = ("import sys, vlcp_core.connection\n"
            "bad = [m for m in sys.modules if m.startswith(('vlcp_core.openflow', "
            "'vlcp_core.ofengine', 'vlcp_core.controller'))]\n"
            "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_reconnector_checks_its_delays() -> None:
    with pytest.raises(ValueError, match="initial <= maximum"):
        Reconnector(Recorder, "127.0.0.1", 1, initial=2, maximum=1)


def test_tls_listener_logs_failed_handshakes(tmp_path: Path,
                                             caplog: pytest.LogCaptureFixture) -> None:
    from vlcp_core.connection import tls_context
    from workbench.lab import make_pki

    pki = make_pki(tmp_path)

    async def main() -> None:
        handlers: list[Recorder] = []
        server = tls_context(key=pki.controller_key, cert=pki.controller_cert,
                             ca=pki.ca_cert, server_side=True)
        listener = await listen(lambda: handlers.append(Recorder(echo=True)) or handlers[-1],
                                "127.0.0.1", 0, ssl=server)
        # Plain bytes where a TLS ClientHello should be: logged, never "made".
        _, writer = await asyncio.open_connection(*listener.address)
        writer.write(b"GET / HTTP/1.0\r\n\r\n")
        await asyncio.wait_for(_until(lambda: "TLS handshake failed" in caplog.text), 5)
        assert listener.accepted == 1 and listener.connections == set()
        assert handlers[0].connection is None
        writer.close()
        # A client with a certificate from the same CA gets through.
        client = tls_context(key=pki.switch_key, cert=pki.switch_cert, ca=pki.ca_cert,
                             server_side=False)
        reader, writer = await asyncio.open_connection(*listener.address, ssl=client,
                                                       server_hostname="")
        writer.write(b"secret\n")
        assert await reader.readline() == b"secret\n"
        connection = handlers[1].connection
        assert connection is not None and listener.connections == {connection}
        assert connection.statistics().kind == "tls"
        writer.close()
        assert await handlers[1].lost == "closed by the peer"
        await listener.close()

    with caplog.at_level(logging.WARNING, logger="vlcp_core.connection"):
        run(main())
