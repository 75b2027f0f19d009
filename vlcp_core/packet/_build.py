"""Serializing a ``Packet``: fill types, lengths and checksums, innermost layer first.

A field is filled only when its name is not in ``Packet.explicit`` for its layer.
Filling works on copies: ``bytes(pkt)`` never changes ``pkt``.
"""

from __future__ import annotations

import copy
import struct
from collections.abc import Callable
from typing import Any

from vlcp_core.namedstruct import Struct

from ._enums import EtherType, IpProto
from ._headers import (
    arp_header,
    ethernet_header,
    icmp_header,
    icmpv6_header,
    ipv4_header,
    ipv6_destopts,
    ipv6_fragment,
    ipv6_header,
    ipv6_hopopts,
    ipv6_routing,
    lldp_header,
    lldp_tlv,
    tcp_header,
    udp_header,
    vlan_header,
)
from ._packet import Packet

__all__ = ["build", "inet_checksum", "pseudo_header"]

_ETHERTYPE: dict[type[Struct], int] = {
    ipv4_header: EtherType.IPV4, ipv6_header: EtherType.IPV6, arp_header: EtherType.ARP,
    vlan_header: EtherType.VLAN, lldp_header: EtherType.LLDP,
}
_PROTO: dict[type[Struct], int] = {
    tcp_header: IpProto.TCP, udp_header: IpProto.UDP, icmp_header: IpProto.ICMP,
    icmpv6_header: IpProto.ICMPV6, ipv6_hopopts: IpProto.HOPOPT,
    ipv6_routing: IpProto.IPV6_ROUTE, ipv6_fragment: IpProto.IPV6_FRAG,
    ipv6_destopts: IpProto.IPV6_OPTS, ipv4_header: 4, ipv6_header: 41,
}
_EXT = (ipv6_hopopts, ipv6_routing, ipv6_destopts)


def inet_checksum(data: bytes) -> int:
    """The Internet checksum (RFC 1071) of *data*: one's complement of the one's
    complement sum of its 16-bit words (an odd last byte is padded with a zero).

    Example: ``inet_checksum(bytes(ipv4_hdr_with_zero_checksum))``.
    """
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return int(~total & 0xFFFF)


def pseudo_header(ip: Any, proto: int, length: int) -> bytes:
    """The TCP/UDP/ICMPv6 pseudo-header for *ip* (an ``ipv4_header`` or ``ipv6_header``)."""
    if isinstance(ip, ipv4_header):
        return struct.pack("!IIBBH", ip.src, ip.dst, 0, proto, length)
    return bytes(ip.src) + bytes(ip.dst) + struct.pack("!IxxxB", length, proto)


def _next_type(table: dict[type[Struct], int], nxt: Struct | None) -> int | None:
    if nxt is None:
        return None
    for cls, value in table.items():
        if isinstance(nxt, cls):
            return value
    return None


def _pad4(data: bytes) -> bytes:
    return data + bytes(-len(data) % 4)


def _checksum(obj: Struct, keep: frozenset[str], body: Callable[[], bytes], pre: bytes) -> None:
    if "checksum" not in keep:
        obj.checksum = 0
        obj.checksum = inet_checksum(pre + body())


def build(pkt: Packet) -> bytes:
    """The bytes of *pkt*, with the fields not in ``pkt.explicit`` filled (module doc)."""
    layers = [copy.copy(x) for x in pkt.layers]
    inner = pkt.payload
    for i in range(len(layers) - 1, -1, -1):
        obj, keep = layers[i], pkt.explicit[i]
        nxt = layers[i + 1] if i + 1 < len(layers) else None
        ip = next((x for x in reversed(layers[:i])
                   if isinstance(x, ipv4_header | ipv6_header)), None)
        inner = _fill(obj, keep, nxt, layers[i + 2] if i + 2 < len(layers) else None, ip,
                      inner)
    return inner + pkt.padding


def _fill(obj: Struct, keep: frozenset[str], nxt: Struct | None, after: Struct | None,
          ip: Struct | None, inner: bytes) -> bytes:
    o: Struct = obj
    if isinstance(o, ethernet_header | vlan_header):
        value = _next_type(_ETHERTYPE, nxt)
        if isinstance(o, ethernet_header) and isinstance(nxt, vlan_header) and isinstance(
                after, vlan_header):
            value = EtherType.QINQ
        if "ethertype" not in keep and value is not None:
            o.ethertype = value
    elif isinstance(o, ipv4_header):
        return _fill_ipv4(o, keep, nxt, inner)
    elif isinstance(o, ipv6_header):
        value = _next_type(_PROTO, nxt)
        if "next_header" not in keep:
            o.next_header = IpProto.IPV6_NONXT if nxt is None else (value or 0)
        if "payload_length" not in keep:
            o.payload_length = len(inner)
    elif isinstance(o, (*_EXT, ipv6_fragment)):
        value = _next_type(_PROTO, nxt)
        if "next_header" not in keep:
            o.next_header = IpProto.IPV6_NONXT if nxt is None else (value or 0)
        if isinstance(o, _EXT) and "hdr_ext_len" not in keep:
            # Zero bytes are Pad1 options: a valid padding of hop-by-hop/destination options.
            o.data = o.data + bytes(-(len(o.data) + 2) % 8)
            o.hdr_ext_len = (len(o.data) + 2) // 8 - 1
    elif isinstance(o, tcp_header):
        if "options" not in keep:
            o.options = _pad4(o.options)
        if "data_offset" not in keep:
            o.data_offset = 5 + len(o.options) // 4
        pre = pseudo_header(ip, IpProto.TCP, len(bytes(o)) + len(inner)) if ip else b""
        _checksum(o, keep, lambda: bytes(o) + inner, pre)
    elif isinstance(o, udp_header):
        if "length" not in keep:
            o.length = 8 + len(inner)
        if "checksum" not in keep:
            pre = pseudo_header(ip, IpProto.UDP, 8 + len(inner)) if ip else b""
            _checksum(o, keep, lambda: bytes(o) + inner, pre)
            if o.checksum == 0:
                o.checksum = 0xFFFF  # RFC 768: 0 means none
    elif isinstance(o, icmp_header):
        _checksum(o, keep, lambda: bytes(o) + inner, b"")
    elif isinstance(o, icmpv6_header):
        pre = pseudo_header(ip, IpProto.ICMPV6, len(bytes(o)) + len(inner)) if ip else b""
        _checksum(o, keep, lambda: bytes(o) + inner, pre)
    elif isinstance(o, lldp_header):
        return _build_lldp(o) + inner
    return bytes(o) + inner


def _fill_ipv4(o: Struct, keep: frozenset[str], nxt: Struct | None, inner: bytes) -> bytes:
    if "options" not in keep:
        o.options = _pad4(o.options)
    if "ihl" not in keep:
        o.ihl = 5 + len(o.options) // 4
    value = _next_type(_PROTO, nxt)
    if "proto" not in keep and value is not None:
        o.proto = value
    if "total_length" not in keep:
        o.total_length = 20 + len(o.options) + len(inner)
    _checksum(o, keep, lambda: bytes(o), b"")
    return bytes(o) + inner


def _build_lldp(o: Struct) -> bytes:
    out = bytearray()
    for tlv in o.tlvs:
        if not isinstance(tlv, lldp_tlv):
            raise TypeError(f"an LLDP TLV must be an lldp_tlv, not {type(tlv).__name__}")
        value = bytes(tlv)[2:]
        out += struct.pack("!H", tlv.type << 9 | len(value)) + value
    return bytes(out)
