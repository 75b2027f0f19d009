"""The OpenFlow channel as a pcap file that Wireshark and tshark decode as OpenFlow.

Per connection a synthetic TCP handshake, then each message as a segment in
Ethernet/IPv4/TCP headers whose sequence numbers add up per direction, the
controller on TCP port 6653 (Unix and TLS channels too), so no decoding options are
needed.  ``capture start`` (``_cmd_decode``) feeds it from the shell's recorder.
"""

from __future__ import annotations

import struct
import time
from typing import IO, TYPE_CHECKING, Any

from vlcp_core.packet import inet_checksum

if TYPE_CHECKING:
    from ._cmd_decode import Record, _Conn

__all__ = ["OPENFLOW_PORT", "PcapWriter"]

OPENFLOW_PORT = 6653


class PcapWriter:
    """The OpenFlow channel as a pcap file (classic format, Ethernet, microseconds)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.file: IO[bytes] = open(path, "wb")  # noqa: SIM115 (closed by close())
        self.file.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        self.packets = 0
        self.messages = 0
        self._flows: dict[int, list[Any]] = {}  # number -> [addresses, seq in, seq out]

    def write(self, conn: _Conn, record: Record) -> None:
        flow = self._flows.get(conn.number)
        if flow is None:  # a handshake first, so the sequence numbers make sense
            port = conn.peer[1] if isinstance(conn.peer, tuple) and len(conn.peer) > 1 \
                and isinstance(conn.peer[1], int) else 40000 + conn.number % 20000
            addresses = (_ipv4(conn.peer, bytes([10, 0, 1, conn.number % 250 + 1])), port,
                         _ipv4(conn.local, bytes([10, 0, 0, 1])), OPENFLOW_PORT)
            flow = self._flows[conn.number] = [addresses, 1000, 5000]
            self._segment(flow, "in", record.when, 0x02, b"", advance=1)
            self._segment(flow, "out", record.when, 0x12, b"", advance=1)
            self._segment(flow, "in", record.when, 0x10, b"")
        data = record.data
        for at in range(0, len(data), 16000):  # an IPv4 packet holds at most 64 KiB
            self._segment(flow, record.direction, record.when, 0x18, data[at:at + 16000])
        self.messages += 1

    def end(self, conn: _Conn) -> None:
        flow = self._flows.pop(conn.number, None)
        if flow is not None:
            now = time.time()
            self._segment(flow, "in", now, 0x11, b"", advance=1)
            self._segment(flow, "out", now, 0x11, b"", advance=1)

    def _segment(self, flow: list[Any], direction: str, when: float, flags: int,
                 payload: bytes, advance: int = 0) -> None:
        switch_ip, switch_port, controller_ip, controller_port = flow[0]
        if direction == "in":
            src, sport, dst, dport, seq, ack = (switch_ip, switch_port, controller_ip,
                                                controller_port, flow[1], flow[2])
        else:
            src, sport, dst, dport, seq, ack = (controller_ip, controller_port, switch_ip,
                                                switch_port, flow[2], flow[1])
        ack_field = ack if flags & 0x10 else 0
        tcp = struct.pack("!HHIIHHHH", sport, dport, seq, ack_field, 5 << 12 | flags, 65535,
                          0, 0)
        pseudo = src + dst + struct.pack("!BBH", 0, 6, len(tcp) + len(payload))
        tcp = tcp[:16] + struct.pack("!H", inet_checksum(pseudo + tcp + payload)) + tcp[18:]
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp) + len(payload),
                         self.packets & 0xFFFF, 0x4000, 64, 6, 0, src, dst)
        ip = ip[:10] + struct.pack("!H", inet_checksum(ip)) + ip[12:]
        macs = (b"\x02\x00\x00\x00\x00\x01", b"\x02\x00\x00\x00\x01" + bytes([src[3]]))
        ethernet = (macs[0] + macs[1] if direction == "in" else macs[1] + macs[0]) + \
            b"\x08\x00"
        frame = ethernet + ip + tcp + payload
        seconds = int(when)
        self.file.write(struct.pack("<IIII", seconds, int((when - seconds) * 1e6),
                                    len(frame), len(frame)) + frame)
        self.packets += 1
        index = 1 if direction == "in" else 2
        flow[index] = (flow[index] + len(payload) + advance) & 0xFFFFFFFF

    def close(self) -> None:
        self.file.close()


def _ipv4(address: Any, default: bytes) -> bytes:
    if isinstance(address, tuple) and address and isinstance(address[0], str):
        parts = address[0].split(".")
        if len(parts) == 4 and all(p.isdigit() and int(p) < 256 for p in parts):
            return bytes(int(p) for p in parts)
    return default
