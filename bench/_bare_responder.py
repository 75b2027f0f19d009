"""The ceiling: an asyncio OpenFlow 1.3 "controller" that parses only the framing.

Run: ``python -I bench/_bare_responder.py --listen 127.0.0.1:PORT`` (standard
library only).  On each connection it sends HELLO; it reads the 16-bit length
of each message to split the stream and looks at the type byte only: HELLO is
answered by FEATURES_REQUEST, ECHO_REQUEST by ECHO_REPLY (same xid and payload)
and every PACKET_IN by one fixed, precomputed PACKET_OUT (NO_BUFFER, in_port 1,
output to port 2, a fixed 60-byte frame).  Everything else is ignored: no port
description is asked for, no flow is installed, nothing is learned.  All the
replies to one read go out in one write.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import signal
import struct
import sys

__all__ = ["PACKET_OUT", "main"]

HELLO = struct.pack("!BBHIHHI", 4, 0, 16, 0, 1, 8, 1 << 4)
FEATURES_REQUEST = struct.pack("!BBHI", 4, 5, 8, 1)
_FRAME = bytes.fromhex("02dd00000001" "02cb00000001" "0800") + bytes(46)
#: header, buffer_id, in_port, actions_len, pad; output(port 2, max_len 0); the frame
PACKET_OUT = (struct.pack("!BBHIIIH6x", 4, 13, 8 + 16 + 16 + len(_FRAME), 0, 0xFFFFFFFF, 1, 16)
              + struct.pack("!HHIH6x", 0, 16, 2, 0) + _FRAME)


class Responder(asyncio.Protocol):
    """One switch connection."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        transport.write(HELLO)

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None

    def data_received(self, data: bytes) -> None:
        if self.buffer:
            data = self.buffer + data
        size = len(data)
        pos = 0
        packet_ins = 0
        replies: list[bytes] = []
        while size - pos >= 8:
            length = (data[pos + 2] << 8) | data[pos + 3]
            end = pos + length
            if end > size:
                break
            msg_type = data[pos + 1]
            if msg_type == 10:
                packet_ins += 1
            elif length < 8:
                if self.transport is not None:
                    self.transport.close()
                return
            elif msg_type == 2:
                replies.append(b"\x04\x03" + data[pos + 2:end])
            elif msg_type == 0:
                replies.append(FEATURES_REQUEST)
            pos = end
        self.buffer = data[pos:]
        if packet_ins:
            replies.append(PACKET_OUT * packet_ins)
        if replies and self.transport is not None:
            self.transport.write(b"".join(replies) if len(replies) > 1 else replies[0])


async def serve(host: str, port: int) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Responder, host, port, backlog=4096)
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with server:
        await stop.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="a bare OpenFlow 1.3 PACKET_IN responder")
    parser.add_argument("--listen", default="127.0.0.1:6653", metavar="HOST:PORT")
    args = parser.parse_args(argv)
    host, _, port = args.listen.rpartition(":")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 65536 if hard == resource.RLIM_INFINITY else min(65536, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    asyncio.run(serve(host, int(port)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
