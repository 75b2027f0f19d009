"""Short constructors of one-layer packets, to compose with ``/``.

Each takes the header's field names as keywords; the fields given are kept as they
are by ``bytes()``, the others (types, lengths, checksums) are filled.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from typing import Any

from vlcp_core.namedstruct import ParseError, Struct

from ._headers import (
    arp_header,
    ethernet_header,
    icmp_header,
    icmpv6_echo_reply,
    icmpv6_echo_request,
    icmpv6_na,
    icmpv6_ns,
    ipv4_header,
    ipv6_header,
    lldp_header,
    lldp_tlv,
    tcp_header,
    udp_header,
    vlan_header,
)
from ._packet import Packet, layer

__all__ = [
    "arp", "eth", "icmp", "icmpv6_echo", "icmpv6_na_layer", "icmpv6_ns_layer", "ipv4",
    "ipv6", "lldp", "lldp_raw_tlv", "pack_tcp_options", "tcp", "tcp_options", "udp", "vlan",
]


def eth(**fields: Any) -> Packet:
    """Ethernet II: ``eth(src="00:00:00:00:00:01", dst="ff:ff:ff:ff:ff:ff")``."""
    return layer(ethernet_header, **fields)


def vlan(**fields: Any) -> Packet:
    """An 802.1Q tag: ``vlan(vid=10, pcp=3)``; two in a row make an 802.1ad S-tag + C-tag."""
    return layer(vlan_header, **fields)


def arp(**fields: Any) -> Packet:
    """ARP request by default: ``arp(sha=mac, spa="10.0.0.1", tpa="10.0.0.2")``."""
    return layer(arp_header, **fields)


def ipv4(**fields: Any) -> Packet:
    """IPv4: ``ipv4(src="10.0.0.1", dst="10.0.0.2", ttl=64)``; ``options`` bytes are padded."""
    return layer(ipv4_header, **fields)


def ipv6(**fields: Any) -> Packet:
    """IPv6: ``ipv6(src="fe80::1", dst="fe80::2")``."""
    return layer(ipv6_header, **fields)


def tcp(**fields: Any) -> Packet:
    """TCP (SYN by default): ``tcp(sport=1234, dport=80, flags="SYN|ACK")``."""
    return layer(tcp_header, **fields)


def udp(**fields: Any) -> Packet:
    """UDP: ``udp(sport=5000, dport=53)``."""
    return layer(udp_header, **fields)


def icmp(**fields: Any) -> Packet:
    """ICMP (echo request by default): ``icmp(type="ECHO_REPLY", id=1, seq=2)``."""
    return layer(icmp_header, **fields)


def icmpv6_echo(reply: bool = False, **fields: Any) -> Packet:
    """ICMPv6 echo request (or reply): ``icmpv6_echo(id=1, seq=1) / b"data"``."""
    return layer(icmpv6_echo_reply if reply else icmpv6_echo_request, **fields)


def icmpv6_ns_layer(**fields: Any) -> Packet:
    """Neighbour solicitation: ``icmpv6_ns_layer(target="fe80::2", options=[...])``."""
    return layer(icmpv6_ns, **fields)


def icmpv6_na_layer(**fields: Any) -> Packet:
    """Neighbour advertisement: ``icmpv6_na_layer(flags="SOLICITED", target="fe80::2")``."""
    return layer(icmpv6_na, **fields)


def lldp(tlvs: Iterable[Struct]) -> Packet:
    """An LLDPDU from TLV structs (``lldp_chassis_id(id=...)``, ``lldp_port_id``, ...).

    TLV lengths are always computed from their values.
    """
    return layer(lldp_header, tlvs=list(tlvs))


def lldp_raw_tlv(type_: int, value: bytes) -> Struct:
    """An LLDP TLV of any type with its value as bytes: ``lldp_raw_tlv(5, b"switch1")``."""
    return lldp_tlv(type=type_, _tail=bytes(value))


def tcp_options(data: bytes) -> list[tuple[int, bytes]]:
    """Split TCP option bytes into ``(kind, value)``; EOL (0) ends the list, NOP is ``(1, b"")``.

    Raises:
        ParseError: an option's length is below 2 or beyond the data.

    Example: ``tcp_options(b"\\x02\\x04\\x05\\xb4")`` is ``[(2, b"\\x05\\xb4")]``.
    """
    out: list[tuple[int, bytes]] = []
    i = 0
    while i < len(data):
        kind = data[i]
        if kind == 0:
            break
        if kind == 1:
            out.append((1, b""))
            i += 1
            continue
        if i + 2 > len(data) or data[i + 1] < 2 or i + data[i + 1] > len(data):
            err = ParseError(f"option kind {kind} has a bad length", offset=i)
            err.push("tcp_header.options")
            raise err
        out.append((kind, data[i + 2:i + data[i + 1]]))
        i += data[i + 1]
    return out


def pack_tcp_options(options: Iterable[tuple[int, bytes]]) -> bytes:
    """The reverse of ``tcp_options`` (not padded: the builder pads with EOL).

    Example: ``tcp(options=pack_tcp_options([(2, struct.pack("!H", 1460)), (1, b"")]))``.
    """
    out = bytearray()
    for kind, value in options:
        out += bytes([kind]) if kind in (0, 1) else struct.pack("!BB", kind, 2 + len(value)) + value
    return bytes(out)
