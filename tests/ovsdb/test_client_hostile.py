"""A fake OVSDB server that sends malformed JSON or an oversized message: the client
closes that connection with a clear reason, fails the call in flight, and does not
crash; its target string is checked."""

from __future__ import annotations

import asyncio
import logging

import pytest

from vlcp_core.ovsdb import OvsdbClient, OvsdbConnectionError, parse_target


async def fake_server(reply: bytes) -> tuple[asyncio.Server, int]:
    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(1)  # the client's first request
        writer.write(reply)
        await writer.drain()
        await asyncio.sleep(5)

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


@pytest.mark.parametrize(("reply", "reason"), [
    (b'{"id": 7, "result": ["Open_vSwitch"], "error": null}{"id": 1, "result": [}',
     "invalid JSON at byte"),  # after a reply to nothing (reported, not fatal)
    (b'{"id": 1, "result": "' + b"x" * 300_000 + b'", "error": null}',
     "message of more than 100000 bytes"),
    (b"[1, 2, 3]", "not an object"),
])
def test_a_hostile_server_gets_a_closed_connection(reply: bytes, reason: str,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    async def main() -> None:
        server, port = await fake_server(reply)
        client = OvsdbClient(max_message=100_000)
        await client.connect(f"tcp:127.0.0.1:{port}", initial=5.0, maximum=5.0)
        with pytest.raises(OvsdbConnectionError, match="list_dbs: the connection .* ended"):
            await client.list_dbs()
        assert not client.connected
        await client.close()
        server.close()
        await server.wait_closed()

    with caplog.at_level(logging.WARNING, logger="vlcp_core.ovsdb"):
        asyncio.run(asyncio.wait_for(main(), 20))
    assert reason in caplog.text, caplog.text


def test_targets() -> None:
    assert parse_target("unix:/run/db.sock") == ("unix", "/run/db.sock")
    assert parse_target("tcp:127.0.0.1:6640") == ("tcp", ("127.0.0.1", 6640))
    assert parse_target("ssl:[::1]:6640") == ("ssl", ("::1", 6640))
    for bad in ("db.sock", "tcp:host", "udp:1.2.3.4:5", "unix:"):
        with pytest.raises(ValueError, match="expected|unknown kind"):
            parse_target(bad)
