"""The OXM/NXM field table: wire identity, width, format, maskability, prerequisite.

One row per wire encoding.  ``name`` is the Open vSwitch name (``ovs-fields(7)``):
the same field reaches the same name whichever class carried it (``ip_dst`` is
both OXM_OF_IPV4_DST and NXM_OF_IP_DST).  Sources: OpenFlow 1.3.5 section 7.2.3.7
(basic class 0x8000, OXM_OF_*), 7.2.3.8 (0x8001 packet registers), Open vSwitch 3.1
``ovs-fields(7)`` (names, formats, ONF experimenter fields).  The Nicira rows
(NXM classes 0x0000 and 0x0001, which Open vSwitch also puts inside OpenFlow 1.3
OXM matches) are in ``_nxm_fields`` and appended to ``OXM_FIELDS``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._nxm_fields import NXM0, NXM1, nxm_rows

__all__ = ["BASIC", "NXM0", "NXM1", "ONF_EXPERIMENTER", "OVS_ORDER", "OXM_FIELDS", "OxmField",
           "PACKET_REGS"]

BASIC = 0x8000  # OFPXMC_OPENFLOW_BASIC
PACKET_REGS = 0x8001  # OFPXMC_PACKET_REGS
EXPERIMENTER = 0xFFFF  # OFPXMC_EXPERIMENTER
ONF_EXPERIMENTER = 0x4F4E4600


@dataclass(frozen=True)
class OxmField:
    """One OXM/NXM field encoding.

    ``fmt``: how the value is shown and read (``decimal``, ``hex``, ``ipv4``,
    ``ipv6``, ``mac``, ``port``, ``tcp_flags``, ``ct_state``, ``tun_flags``,
    ``frag``).  ``prereq``: the OVS prerequisite name (``IPv4``, ``TCP``, ``CT``...),
    checked by validation.  ``variable``: the value is 1 to ``size`` bytes
    (``tun_metadata``), so its TLV length is not fixed.
    """

    name: str
    spec: str
    oxm_class: int
    field: int
    size: int
    fmt: str = "decimal"
    maskable: bool = False
    prereq: str = ""
    aliases: tuple[str, ...] = ()
    experimenter: int | None = None
    variable: bool = False

    @property
    def payload(self) -> int:
        """Bytes of the unmasked TLV payload (the experimenter id included)."""
        return self.size + (4 if self.experimenter is not None else 0)


def _b(name: str, spec: str, field: int, size: int, fmt: str = "decimal",
       maskable: bool = False, prereq: str = "", aliases: tuple[str, ...] = ()) -> OxmField:
    return OxmField(name, spec, BASIC, field, size, fmt, maskable, prereq, aliases)


OXM_FIELDS: list[OxmField] = [
    _b("in_port", "OXM_OF_IN_PORT", 0, 4, "port"),
    _b("in_phy_port", "OXM_OF_IN_PHY_PORT", 1, 4, "port"),
    _b("metadata", "OXM_OF_METADATA", 2, 8, "hex", True),
    _b("eth_dst", "OXM_OF_ETH_DST", 3, 6, "mac", True, "Ethernet", ("dl_dst",)),
    _b("eth_src", "OXM_OF_ETH_SRC", 4, 6, "mac", True, "Ethernet", ("dl_src",)),
    _b("eth_type", "OXM_OF_ETH_TYPE", 5, 2, "hex", False, "Ethernet", ("dl_type",)),
    _b("vlan_vid", "OXM_OF_VLAN_VID", 6, 2, "decimal", True, "Ethernet"),
    _b("vlan_pcp", "OXM_OF_VLAN_PCP", 7, 1, "decimal", False, "VLAN VID"),
    _b("ip_dscp", "OXM_OF_IP_DSCP", 8, 1, "decimal", False, "IPv4/IPv6"),
    _b("nw_ecn", "OXM_OF_IP_ECN", 9, 1, "decimal", False, "IPv4/IPv6", ("ip_ecn",)),
    _b("nw_proto", "OXM_OF_IP_PROTO", 10, 1, "decimal", False, "IPv4/IPv6", ("ip_proto",)),
    _b("ip_src", "OXM_OF_IPV4_SRC", 11, 4, "ipv4", True, "IPv4", ("nw_src", "ipv4_src")),
    _b("ip_dst", "OXM_OF_IPV4_DST", 12, 4, "ipv4", True, "IPv4", ("nw_dst", "ipv4_dst")),
    _b("tcp_src", "OXM_OF_TCP_SRC", 13, 2, "decimal", True, "TCP", ("tp_src",)),
    _b("tcp_dst", "OXM_OF_TCP_DST", 14, 2, "decimal", True, "TCP", ("tp_dst",)),
    _b("udp_src", "OXM_OF_UDP_SRC", 15, 2, "decimal", True, "UDP"),
    _b("udp_dst", "OXM_OF_UDP_DST", 16, 2, "decimal", True, "UDP"),
    _b("sctp_src", "OXM_OF_SCTP_SRC", 17, 2, "decimal", True, "SCTP"),
    _b("sctp_dst", "OXM_OF_SCTP_DST", 18, 2, "decimal", True, "SCTP"),
    _b("icmp_type", "OXM_OF_ICMPV4_TYPE", 19, 1, "decimal", False, "ICMPv4", ("icmpv4_type",)),
    _b("icmp_code", "OXM_OF_ICMPV4_CODE", 20, 1, "decimal", False, "ICMPv4", ("icmpv4_code",)),
    _b("arp_op", "OXM_OF_ARP_OP", 21, 2, "decimal", False, "ARP"),
    _b("arp_spa", "OXM_OF_ARP_SPA", 22, 4, "ipv4", True, "ARP"),
    _b("arp_tpa", "OXM_OF_ARP_TPA", 23, 4, "ipv4", True, "ARP"),
    _b("arp_sha", "OXM_OF_ARP_SHA", 24, 6, "mac", True, "ARP"),
    _b("arp_tha", "OXM_OF_ARP_THA", 25, 6, "mac", True, "ARP"),
    _b("ipv6_src", "OXM_OF_IPV6_SRC", 26, 16, "ipv6", True, "IPv6"),
    _b("ipv6_dst", "OXM_OF_IPV6_DST", 27, 16, "ipv6", True, "IPv6"),
    _b("ipv6_label", "OXM_OF_IPV6_FLABEL", 28, 4, "hex", True, "IPv6"),
    _b("icmpv6_type", "OXM_OF_ICMPV6_TYPE", 29, 1, "decimal", False, "ICMPv6"),
    _b("icmpv6_code", "OXM_OF_ICMPV6_CODE", 30, 1, "decimal", False, "ICMPv6"),
    _b("nd_target", "OXM_OF_IPV6_ND_TARGET", 31, 16, "ipv6", True, "ND"),
    _b("nd_sll", "OXM_OF_IPV6_ND_SLL", 32, 6, "mac", True, "ND solicit"),
    _b("nd_tll", "OXM_OF_IPV6_ND_TLL", 33, 6, "mac", True, "ND advert"),
    _b("mpls_label", "OXM_OF_MPLS_LABEL", 34, 4, "decimal", False, "MPLS"),
    _b("mpls_tc", "OXM_OF_MPLS_TC", 35, 1, "decimal", False, "MPLS"),
    _b("mpls_bos", "OXM_OF_MPLS_BOS", 36, 1, "decimal", False, "MPLS"),
    _b("pbb_isid", "OXM_OF_PBB_ISID", 37, 3, "hex", True, "PBB"),
    _b("tun_id", "OXM_OF_TUNNEL_ID", 38, 8, "hex", True, "", ("tunnel_id",)),
    _b("ipv6_exthdr", "OXM_OF_IPV6_EXTHDR", 39, 2, "hex", True, "IPv6"),
    OxmField("tcp_flags", "ONFOXM_ET_TCP_FLAGS", EXPERIMENTER, 42, 2, "tcp_flags", True, "TCP",
             experimenter=ONF_EXPERIMENTER),
    OxmField("actset_output", "ONFOXM_ET_ACTSET_OUTPUT", EXPERIMENTER, 43, 4, "port",
             experimenter=ONF_EXPERIMENTER),
    *(OxmField(f"xreg{i}", f"OXM_OF_PKT_REG{i}", PACKET_REGS, i, 8, "hex", True)
      for i in range(8)),
    *nxm_rows(OxmField),
]

# The order in which Open vSwitch writes match fields (nx_put_raw), recorded from
# `ovs-ofctl add-flow` against a stub switch: encoding a match in this order gives
# OVS's exact bytes (the NXM fields too: tests/openflow/nicira/test_fields.py).
# Names not listed go last, in the order given.
OVS_ORDER: list[str] = [
    "dp_hash", "recirc_id", "conj_id", "in_port", "in_phy_port", "actset_output",
    "eth_src", "eth_dst", "eth_type", "vlan_vid", "vlan_pcp", "vlan_tci",
    "mpls_tc", "mpls_bos", "mpls_ttl", "mpls_label",
    "ip_src", "ip_dst", "ipv6_src", "ipv6_dst", "ip_frag", "ip_dscp", "nw_tos", "nw_ecn",
    "nw_ttl", "ipv6_label", "nw_proto",
    "tcp_src", "tcp_dst", "tcp_flags", "udp_src", "udp_dst", "sctp_src", "sctp_dst",
    "icmp_type", "icmp_code", "icmpv6_type", "icmpv6_code", "nd_target", "nd_sll", "nd_tll",
    "arp_op", "arp_spa", "arp_tpa", "arp_sha", "arp_tha", "pbb_isid", "ipv6_exthdr",
    "tun_id", "tun_flags", "tun_src", "tun_dst", "tun_ipv6_src", "tun_ipv6_dst",
    "tun_gbp_id", "tun_gbp_flags", *(f"tun_metadata{i}" for i in range(64)),
    *(f"reg{i}" for i in range(16)), *(f"xreg{i}" for i in range(8)),
    *(f"xxreg{i}" for i in range(4)), "pkt_mark",
    "ct_state", "ct_zone", "ct_mark", "ct_label", "ct_nw_src", "ct_nw_dst",
    "ct_ipv6_src", "ct_ipv6_dst", "ct_nw_proto", "ct_tp_src", "ct_tp_dst", "metadata",
]
