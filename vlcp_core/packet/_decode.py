"""``decode``: Ethernet frame bytes to a ``Packet``.

Choice for damaged frames: only a frame shorter than an Ethernet header raises
(``TruncatedError``, path ``ethernet_header``).  Past that, the first layer that
is truncated or malformed ends the decoding: it and everything after it become
``Packet.payload`` (raw bytes) and the ``ParseError`` (with its path) is kept in
``Packet.error``.  Bytes after an IPv4/IPv6 packet's own length (Ethernet
padding) go to ``Packet.padding``.
"""

from __future__ import annotations

from vlcp_core.namedstruct import LengthError, ParseError, Struct, TruncatedError

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

__all__ = ["decode"]

# What comes next: ("eth", ethertype) or ("ip", protocol) or None (payload).
_Next = tuple[str, int] | None
_EXT: dict[int, type[Struct]] = {IpProto.HOPOPT: ipv6_hopopts, IpProto.IPV6_ROUTE: ipv6_routing,
        IpProto.IPV6_OPTS: ipv6_destopts}


class _State:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.off = 0
        self.end = len(data)
        self.layers: list[Struct] = []


def _fail(name: str, reason: str, offset: int, cls: type[ParseError] = ParseError) -> ParseError:
    err = cls(reason, offset=offset)
    err.push(name)
    return err


def _need(st: _State, n: int, name: str) -> bytes:
    if st.end - st.off < n:
        raise _fail(name, f"needs {n} bytes, {st.end - st.off} left", st.off, TruncatedError)
    return st.data[st.off:st.off + n]


def _take(st: _State, cls: type[Struct], n: int) -> Struct:
    obj: Struct = cls.create(_need(st, n, cls._ns_info.name))
    st.layers.append(obj)
    st.off += n
    return obj


def decode(frame: bytes | bytearray | memoryview) -> Packet:
    """Decode an Ethernet II frame (without FCS) into its layers.

    Args:
        frame: the frame, starting at the destination MAC address.

    Returns:
        a ``Packet``: ``ethernet_header``, any ``vlan_header`` tags, then ARP, IPv4 or
        IPv6 (with extension headers), TCP/UDP/ICMP/ICMPv6, or LLDP; unknown types end
        in ``payload``.  A damaged upper layer ends in ``payload`` too, see ``error``.

    Raises:
        TruncatedError: the frame is shorter than 14 bytes.

    Example::

        pkt = decode(data)
        pkt[tcp_header].dport   # 80
    """
    st = _State(bytes(frame))
    eth = _take(st, ethernet_header, 14)
    nxt: _Next = ("eth", eth.ethertype)
    error: ParseError | None = None
    try:
        while nxt is not None:
            nxt = _step(st, nxt)
    except ParseError as exc:
        error = exc
    return Packet(st.layers, st.data[st.off:st.end], padding=st.data[st.end:], error=error)


def _step(st: _State, nxt: tuple[str, int]) -> _Next:
    kind, value = nxt
    if kind == "eth":
        if value in (EtherType.VLAN, EtherType.QINQ):
            return ("eth", _take(st, vlan_header, 4).ethertype)
        if value == EtherType.ARP:
            head = _need(st, 6, "arp_header")
            if head[:6] == b"\x00\x01\x08\x00\x06\x04":
                _take(st, arp_header, 28)
            return None
        if value == EtherType.IPV4:
            return _ipv4(st)
        if value == EtherType.IPV6:
            return _ipv6(st)
        if value == EtherType.LLDP:
            _lldp(st)
        return None
    if value == IpProto.TCP:
        offset = (_need(st, 13, "tcp_header")[12] >> 4) * 4
        if offset < 20:
            raise _fail("tcp_header.data_offset", f"{offset} bytes is below 20", st.off,
                        LengthError)
        _take(st, tcp_header, offset)
    elif value == IpProto.UDP:
        _take(st, udp_header, 8)
    elif value == IpProto.ICMP:
        _take(st, icmp_header, 8)
    elif value == IpProto.ICMPV6:
        got = icmpv6_header.parse(st.data[st.off:st.end])
        if got is None:
            raise _fail("icmpv6_header", "truncated", st.off, TruncatedError)
        st.layers.append(got[0])
        st.off += got[1]
    elif value in _EXT:
        n = (_need(st, 2, _EXT[value]._ns_info.name)[1] + 1) * 8
        return ("ip", _take(st, _EXT[value], n).next_header)
    elif value == IpProto.IPV6_FRAG:
        frag = _take(st, ipv6_fragment, 8)
        if frag.frag_offset == 0:
            return ("ip", frag.next_header)
    return None


def _ipv4(st: _State) -> _Next:
    first = _need(st, 20, "ipv4_header")
    ihl = (first[0] & 15) * 4
    if first[0] >> 4 != 4 or ihl < 20:
        raise _fail("ipv4_header", f"version {first[0] >> 4}, header {ihl} bytes", st.off)
    total = int.from_bytes(first[2:4], "big")
    if total < ihl or st.off + total > st.end:
        raise _fail("ipv4_header.total_length", f"{total} does not fit the frame", st.off,
                    LengthError)
    start = st.off
    ip = _take(st, ipv4_header, ihl)
    st.end = start + total
    if ip.frag_offset:
        return None  # a later fragment: raw payload
    return ("ip", ip.proto)


def _ipv6(st: _State) -> _Next:
    first = _need(st, 40, "ipv6_header")
    if first[0] >> 4 != 6:
        raise _fail("ipv6_header.version", f"{first[0] >> 4} is not 6", st.off)
    length = int.from_bytes(first[4:6], "big")
    if st.off + 40 + length > st.end:
        raise _fail("ipv6_header.payload_length", f"{length} does not fit the frame", st.off,
                    LengthError)
    ip = _take(st, ipv6_header, 40)
    st.end = st.off + length
    return ("ip", ip.next_header)


def _lldp(st: _State) -> None:
    tlvs: list[Struct] = []
    off = st.off
    while off < st.end:
        if st.end - off < 2:
            raise _fail("lldp_header.tlvs", "TLV header truncated", off, TruncatedError)
        n = int.from_bytes(st.data[off:off + 2], "big") & 0x1FF
        if off + 2 + n > st.end:
            raise _fail("lldp_header.tlvs", f"TLV of {n} bytes is truncated", off,
                        TruncatedError)
        tlv = lldp_tlv.create(st.data[off:off + 2 + n])
        tlvs.append(tlv)
        off += 2 + n
        if tlv.type == 0:
            break
    st.layers.append(lldp_header(tlvs=tlvs))
    st.off = off
