"""Ethernet frames to inject into dummy ports (ARP request, IPv4/UDP)."""

from __future__ import annotations

import struct

__all__ = ["arp_request", "mac", "udp_frame"]


def mac(text: str) -> bytes:
    """``"00:00:00:00:00:01"`` -> 6 bytes."""
    return bytes.fromhex(text.replace(":", ""))


def _ip(text: str) -> bytes:
    return bytes(int(part) for part in text.split("."))


def _checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total: int = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total > 0xFFFF:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def arp_request(src_mac: str, src_ip: str, dst_ip: str) -> bytes:
    """A broadcast ARP who-has, padded to the 60-byte Ethernet minimum."""
    arp = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1)
    arp += mac(src_mac) + _ip(src_ip) + bytes(6) + _ip(dst_ip)
    frame = b"\xff" * 6 + mac(src_mac) + b"\x08\x06" + arp
    return frame + bytes(60 - len(frame))


def udp_frame(
    src_mac: str, dst_mac: str, src_ip: str, dst_ip: str, payload: bytes, sport: int = 4000
) -> bytes:
    """An IPv4/UDP frame (valid IP checksum, UDP checksum 0) carrying ``payload``."""
    udp = struct.pack("!HHHH", sport, 5000, 8 + len(payload), 0) + payload
    ip = struct.pack(
        "!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0, _ip(src_ip), _ip(dst_ip)
    )
    ip = ip[:10] + struct.pack("!H", _checksum(ip)) + ip[12:]
    frame = mac(dst_mac) + mac(src_mac) + b"\x08\x00" + ip + udp
    return frame + bytes(max(0, 60 - len(frame)))
