"""A fake OpenFlow 1.3 switch on a real socket, for hostile-peer tests: it does the
handshake like OVS (HELLO, FEATURES_REPLY, PORT_DESC reply) and then does what the
test wants: flood, stop reading, send garbage."""

from __future__ import annotations

import asyncio
import socket
import struct

from vlcp_core.openflow import match, v13

_HEADER = struct.Struct("!BBHI")


def packet_in(n: int) -> bytes:
    frame = bytes.fromhex("000000000002") + (0x020000000000 + n % 4096).to_bytes(6, "big") \
        + b"\x08\x00" + bytes(46)
    return bytes(v13.ofp_packet_in(buffer_id=0xFFFFFFFF, reason=0, table_id=0, cookie=0,
                                   match=match(in_port=1), data=frame))


class FakeSwitch:
    """Connects to *port*; ``await handshake()``; then write what you like."""

    def __init__(self, datapath_id: int) -> None:
        self.datapath_id = datapath_id
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def connect(self, port: int, *, receive_buffer: int | None = None) -> FakeSwitch:
        sock = socket.socket()
        if receive_buffer is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        sock.setblocking(False)
        await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", port))
        self.reader, self.writer = await asyncio.open_connection(sock=sock)
        return self

    async def read_message(self) -> tuple[int, int, bytes]:
        assert self.reader is not None
        header = await self.reader.readexactly(8)
        _, kind, length, xid = _HEADER.unpack(header)
        return kind, xid, header + await self.reader.readexactly(length - 8)

    async def handshake(self) -> None:
        assert self.writer is not None
        self.writer.write(bytes(v13.ofp_hello(xid=1)))
        while True:
            kind, xid, _ = await self.read_message()
            if kind == 5:  # FEATURES_REQUEST
                self.writer.write(bytes(v13.ofp_switch_features(
                    xid=xid, datapath_id=self.datapath_id, n_buffers=0, n_tables=254)))
            elif kind == 18:  # MULTIPART_REQUEST: the port descriptions
                self.writer.write(bytes(v13.ofp_port_desc_reply(xid=xid, stats=[
                    v13.ofp_port(port_no=1, hw_addr="02:00:00:00:00:01", name=b"p1")])))
                return

    def write(self, data: bytes) -> None:
        assert self.writer is not None
        self.writer.write(data)

    async def drain(self) -> None:
        assert self.writer is not None
        await self.writer.drain()

    def close(self) -> None:
        if self.writer is not None:
            self.writer.transport.abort()
