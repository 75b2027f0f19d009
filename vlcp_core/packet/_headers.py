"""The header structs, written with namedstruct as in the RFCs / IEEE standards.

Variable parts whose length is given by a bit field (IPv4 IHL, TCP data offset,
LLDP's 9-bit TLV length) and IPv6 extension header lengths are declared here as
a trailing ``raw()``; the decoder slices the bytes to the right size and the
builder fills the length (see ``_decode`` and ``_build``).
"""

from __future__ import annotations

from vlcp_core.namedstruct import (
    Length,
    Struct,
    array,
    bits,
    hexa,
    ipv4_addr,
    ipv6_addr,
    mac_addr,
    nstruct,
    raw,
    uint8,
    uint16,
    uint32,
)

from ._enums import (
    ArpOp,
    ChassisIdSubtype,
    EtherType,
    IcmpType,
    Icmpv6Type,
    IpProto,
    LldpTlvType,
    NaFlags,
    NdOptionType,
    PortIdSubtype,
    TcpFlags,
)

__all__ = [
    "arp_header", "ethernet_header", "icmp_header", "icmpv6_echo_reply", "icmpv6_echo_request",
    "icmpv6_header", "icmpv6_na", "icmpv6_ns", "ipv4_header", "ipv6_destopts", "ipv6_fragment",
    "ipv6_header", "ipv6_hopopts", "ipv6_routing", "lldp_chassis_id", "lldp_end", "lldp_header",
    "lldp_port_id", "lldp_tlv", "lldp_ttl", "nd_option", "nd_source_lladdr",
    "nd_target_lladdr", "tcp_header", "udp_header",
    "vlan_header",
]

ethernet_header = nstruct(
    "ethernet_header",
    (mac_addr, "dst"), (mac_addr, "src"), (uint16(EtherType), "ethertype"),
    doc="Ethernet II header (14 bytes, no FCS).")

vlan_header = nstruct(
    "vlan_header",
    bits(uint16, ("pcp", 3), ("dei", 1), ("vid", 12)), (uint16(EtherType), "ethertype"),
    doc="An 802.1Q / 802.1ad tag: TCI and the inner ethertype (the TPID is the previous "
        "layer's ethertype).")

arp_header = nstruct(
    "arp_header",
    (uint16, "htype"), (uint16(EtherType), "ptype"), (uint8, "hlen"), (uint8, "plen"),
    (uint16(ArpOp), "op"), (mac_addr, "sha"), (ipv4_addr, "spa"), (mac_addr, "tha"),
    (ipv4_addr, "tpa"),
    defaults={"htype": 1, "ptype": EtherType.IPV4, "hlen": 6, "plen": 4, "op": ArpOp.REQUEST},
    doc="ARP for Ethernet/IPv4 (RFC 826), 28 bytes.")

ipv4_header = nstruct(
    "ipv4_header",
    bits(uint8, ("version", 4), ("ihl", 4)), bits(uint8, ("dscp", 6), ("ecn", 2)),
    (uint16, "total_length"), (uint16, "ident"),
    bits(uint16, ("flags", 3), ("frag_offset", 13)), (uint8, "ttl"), (uint8(IpProto), "proto"),
    (uint16(hexa), "checksum"), (ipv4_addr, "src"), (ipv4_addr, "dst"), (raw(), "options"),
    defaults={"version": 4, "ihl": 5, "ttl": 64},
    doc="IPv4 header (RFC 791); ``options`` holds the ``ihl * 4 - 20`` option bytes.")

ipv6_header = nstruct(
    "ipv6_header",
    bits(uint32, ("version", 4), ("traffic_class", 8), ("flow_label", 20)),
    (uint16, "payload_length"), (uint8(IpProto), "next_header"), (uint8, "hop_limit"),
    (ipv6_addr, "src"), (ipv6_addr, "dst"),
    defaults={"version": 6, "hop_limit": 64},
    doc="IPv6 fixed header (RFC 8200), 40 bytes.")


def _ext(name: str, what: str) -> type[Struct]:
    return nstruct(
        name, (uint8(IpProto), "next_header"), (uint8, "hdr_ext_len"), (raw(), "data"),
        module=__name__,
        doc=f"IPv6 {what} header: ``(hdr_ext_len + 1) * 8`` bytes; ``data`` holds the "
            "bytes after the first two.")


ipv6_hopopts = _ext("ipv6_hopopts", "hop-by-hop options")
ipv6_routing = _ext("ipv6_routing", "routing")
ipv6_destopts = _ext("ipv6_destopts", "destination options")

ipv6_fragment = nstruct(
    "ipv6_fragment",
    (uint8(IpProto), "next_header"), (uint8, "reserved"),
    bits(uint16, ("frag_offset", 13), ("res", 2), ("more", 1)), (uint32, "ident"),
    doc="IPv6 fragment header (8 bytes).")

icmp_header = nstruct(
    "icmp_header",
    (uint8(IcmpType), "type"), (uint8, "code"), (uint16(hexa), "checksum"),
    (uint16, "id"), (uint16, "seq"),
    defaults={"type": IcmpType.ECHO_REQUEST},
    doc="ICMP header (RFC 792), 8 bytes; the second word is shown as echo id/seq whatever "
        "the type (for other types it is the unused/pointer/gateway word).")

icmpv6_header = nstruct(
    "icmpv6_header",
    (uint8(Icmpv6Type), "type"), (uint8, "code"), (uint16(hexa), "checksum"),
    classify="type",
    doc="ICMPv6 header (RFC 4443); parsing picks a subtype from ``type``.")

nd_option = nstruct(
    "nd_option", (uint8(NdOptionType), "type"), (uint8, "length"),
    size=Length("length", unit=8), classify="type",
    doc="A neighbour discovery option (RFC 4861), ``length`` in units of 8 bytes; unknown "
        "options keep their body in ``_tail``.")

nd_source_lladdr = nstruct(
    "nd_source_lladdr", (mac_addr, "lladdr"), base=nd_option,
    when={"type": NdOptionType.SOURCE_LLADDR}, doc="Source link-layer address option.")
nd_target_lladdr = nstruct(
    "nd_target_lladdr", (mac_addr, "lladdr"), base=nd_option,
    when={"type": NdOptionType.TARGET_LLADDR}, doc="Target link-layer address option.")

icmpv6_echo_request = nstruct(
    "icmpv6_echo_request", (uint16, "id"), (uint16, "seq"),
    base=icmpv6_header, when={"type": Icmpv6Type.ECHO_REQUEST})
icmpv6_echo_reply = nstruct(
    "icmpv6_echo_reply", (uint16, "id"), (uint16, "seq"),
    base=icmpv6_header, when={"type": Icmpv6Type.ECHO_REPLY})
icmpv6_ns = nstruct(
    "icmpv6_ns", (uint32, "reserved"), (ipv6_addr, "target"), (array(nd_option), "options"),
    base=icmpv6_header, when={"type": Icmpv6Type.NEIGHBOR_SOLICIT},
    doc="Neighbour solicitation (RFC 4861 4.3).")
icmpv6_na = nstruct(
    "icmpv6_na", (uint32(NaFlags), "flags"), (ipv6_addr, "target"), (array(nd_option), "options"),
    base=icmpv6_header, when={"type": Icmpv6Type.NEIGHBOR_ADVERT},
    doc="Neighbour advertisement (RFC 4861 4.4).")

tcp_header = nstruct(
    "tcp_header",
    (uint16, "sport"), (uint16, "dport"), (uint32, "seq"), (uint32, "ack"),
    bits(uint16, ("data_offset", 4), ("reserved", 3), ("flags", 9, TcpFlags)),
    (uint16, "window"), (uint16(hexa), "checksum"), (uint16, "urgent"), (raw(), "options"),
    defaults={"data_offset": 5, "flags": TcpFlags.SYN, "window": 8192},
    doc="TCP header (RFC 793); ``options`` holds ``data_offset * 4 - 20`` bytes "
        "(see ``tcp_options``).")

udp_header = nstruct(
    "udp_header",
    (uint16, "sport"), (uint16, "dport"), (uint16, "length"), (uint16(hexa), "checksum"),
    doc="UDP header (RFC 768), 8 bytes.")

lldp_tlv = nstruct(
    "lldp_tlv", bits(uint16, ("type", 7), ("length", 9)), classify="type",
    doc="An LLDP TLV header (IEEE 802.1AB); types without a subtype keep their value in "
        "``_tail`` (build them with ``lldp_raw_tlv``).")
lldp_end = nstruct("lldp_end", base=lldp_tlv, when={"type": LldpTlvType.END})
lldp_chassis_id = nstruct(
    "lldp_chassis_id", (uint8(ChassisIdSubtype), "subtype"), (raw(), "id"),
    base=lldp_tlv, when={"type": LldpTlvType.CHASSIS_ID},
    defaults={"subtype": ChassisIdSubtype.MAC_ADDRESS})
lldp_port_id = nstruct(
    "lldp_port_id", (uint8(PortIdSubtype), "subtype"), (raw(), "id"),
    base=lldp_tlv, when={"type": LldpTlvType.PORT_ID},
    defaults={"subtype": PortIdSubtype.INTERFACE_NAME})
lldp_ttl = nstruct("lldp_ttl", (uint16, "ttl"), base=lldp_tlv, when={"type": LldpTlvType.TTL},
                   defaults={"ttl": 120})
lldp_header = nstruct(
    "lldp_header", (array(lldp_tlv), "tlvs"),
    doc="An LLDPDU: its TLVs (the decoder splits them using the 9-bit lengths).")
