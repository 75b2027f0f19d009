"""The Nicira (NXM) rows of the field table: classes 0x0000 (NXM_OF_*) and 0x0001 (NXM_NX_*).

Facts from Open vSwitch 3.1 ``ovs-fields(7)`` (name, NXM code, width, format,
masking, prerequisite); ``dp_hash`` and ``recirc_id``, which the manual does not
describe, from what ``ovs-ofctl`` 3.1 sends and prints (both hexadecimal,
``recirc_id`` not maskable).  A field that also has an OXM code keeps the same OVS
name here, so ``NXM_OF_IP_DST`` and ``OXM_OF_IPV4_DST`` both decode as ``ip_dst``.

``tun_metadata0``..``63`` are *variable*: 1 to 124 bytes (the length is the one of
the switch's TLV map); ``size`` holds the maximum.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._oxm_fields import OxmField

__all__ = ["NXM0", "NXM1", "TUN_METADATA_MAX", "nxm_rows"]

NXM0 = 0x0000  # NXM_OF_*: the OpenFlow 1.0 fields
NXM1 = 0x0001  # NXM_NX_*: Nicira's own
TUN_METADATA_MAX = 124

M = True  # maskable
# (OVS name, spec name, class, code, bytes, format, maskable, prerequisite)
_ROWS: list[tuple[str, str, int, int, int, str, bool, str]] = [
    ("in_port", "NXM_OF_IN_PORT", NXM0, 0, 2, "port", False, ""),
    ("eth_dst", "NXM_OF_ETH_DST", NXM0, 1, 6, "mac", M, "Ethernet"),
    ("eth_src", "NXM_OF_ETH_SRC", NXM0, 2, 6, "mac", M, "Ethernet"),
    ("eth_type", "NXM_OF_ETH_TYPE", NXM0, 3, 2, "hex", False, "Ethernet"),
    ("vlan_tci", "NXM_OF_VLAN_TCI", NXM0, 4, 2, "hex", M, "Ethernet"),
    ("nw_tos", "NXM_OF_IP_TOS", NXM0, 5, 1, "decimal", False, "IPv4/IPv6"),
    ("nw_proto", "NXM_OF_IP_PROTO", NXM0, 6, 1, "decimal", False, "IPv4/IPv6"),
    ("ip_src", "NXM_OF_IP_SRC", NXM0, 7, 4, "ipv4", M, "IPv4"),
    ("ip_dst", "NXM_OF_IP_DST", NXM0, 8, 4, "ipv4", M, "IPv4"),
    ("tcp_src", "NXM_OF_TCP_SRC", NXM0, 9, 2, "decimal", M, "TCP"),
    ("tcp_dst", "NXM_OF_TCP_DST", NXM0, 10, 2, "decimal", M, "TCP"),
    ("udp_src", "NXM_OF_UDP_SRC", NXM0, 11, 2, "decimal", M, "UDP"),
    ("udp_dst", "NXM_OF_UDP_DST", NXM0, 12, 2, "decimal", M, "UDP"),
    ("icmp_type", "NXM_OF_ICMP_TYPE", NXM0, 13, 1, "decimal", False, "ICMPv4"),
    ("icmp_code", "NXM_OF_ICMP_CODE", NXM0, 14, 1, "decimal", False, "ICMPv4"),
    ("arp_op", "NXM_OF_ARP_OP", NXM0, 15, 2, "decimal", False, "ARP"),
    ("arp_spa", "NXM_OF_ARP_SPA", NXM0, 16, 4, "ipv4", M, "ARP"),
    ("arp_tpa", "NXM_OF_ARP_TPA", NXM0, 17, 4, "ipv4", M, "ARP"),
    *((f"reg{i}", f"NXM_NX_REG{i}", NXM1, i, 4, "hex", M, "") for i in range(16)),
    ("tun_id", "NXM_NX_TUN_ID", NXM1, 16, 8, "hex", M, ""),
    ("arp_sha", "NXM_NX_ARP_SHA", NXM1, 17, 6, "mac", M, "ARP"),
    ("arp_tha", "NXM_NX_ARP_THA", NXM1, 18, 6, "mac", M, "ARP"),
    ("ipv6_src", "NXM_NX_IPV6_SRC", NXM1, 19, 16, "ipv6", M, "IPv6"),
    ("ipv6_dst", "NXM_NX_IPV6_DST", NXM1, 20, 16, "ipv6", M, "IPv6"),
    ("icmpv6_type", "NXM_NX_ICMPV6_TYPE", NXM1, 21, 1, "decimal", False, "ICMPv6"),
    ("icmpv6_code", "NXM_NX_ICMPV6_CODE", NXM1, 22, 1, "decimal", False, "ICMPv6"),
    ("nd_target", "NXM_NX_ND_TARGET", NXM1, 23, 16, "ipv6", M, "ND"),
    ("nd_sll", "NXM_NX_ND_SLL", NXM1, 24, 6, "mac", M, "ND solicit"),
    ("nd_tll", "NXM_NX_ND_TLL", NXM1, 25, 6, "mac", M, "ND advert"),
    ("ip_frag", "NXM_NX_IP_FRAG", NXM1, 26, 1, "frag", M, "IPv4/IPv6"),
    ("ipv6_label", "NXM_NX_IPV6_LABEL", NXM1, 27, 4, "hex", M, "IPv6"),
    ("nw_ecn", "NXM_NX_IP_ECN", NXM1, 28, 1, "decimal", False, "IPv4/IPv6"),
    ("nw_ttl", "NXM_NX_IP_TTL", NXM1, 29, 1, "decimal", False, "IPv4/IPv6"),
    ("mpls_ttl", "NXM_NX_MPLS_TTL", NXM1, 30, 1, "decimal", False, "MPLS"),
    ("tun_src", "NXM_NX_TUN_IPV4_SRC", NXM1, 31, 4, "ipv4", M, ""),
    ("tun_dst", "NXM_NX_TUN_IPV4_DST", NXM1, 32, 4, "ipv4", M, ""),
    ("pkt_mark", "NXM_NX_PKT_MARK", NXM1, 33, 4, "hex", M, ""),
    ("tcp_flags", "NXM_NX_TCP_FLAGS", NXM1, 34, 2, "tcp_flags", M, "TCP"),
    ("dp_hash", "NXM_NX_DP_HASH", NXM1, 35, 4, "hex", M, ""),
    ("recirc_id", "NXM_NX_RECIRC_ID", NXM1, 36, 4, "hex", False, ""),
    ("conj_id", "NXM_NX_CONJ_ID", NXM1, 37, 4, "decimal", False, ""),
    ("tun_gbp_id", "NXM_NX_TUN_GBP_ID", NXM1, 38, 2, "decimal", M, ""),
    ("tun_gbp_flags", "NXM_NX_TUN_GBP_FLAGS", NXM1, 39, 1, "hex", M, ""),
    *((f"tun_metadata{i}", f"NXM_NX_TUN_METADATA{i}", NXM1, 40 + i, TUN_METADATA_MAX,
       "hex", M, "") for i in range(64)),
    ("tun_flags", "NXM_NX_TUN_FLAGS", NXM1, 104, 2, "tun_flags", M, ""),
    ("ct_state", "NXM_NX_CT_STATE", NXM1, 105, 4, "ct_state", M, ""),
    ("ct_zone", "NXM_NX_CT_ZONE", NXM1, 106, 2, "decimal", False, ""),
    ("ct_mark", "NXM_NX_CT_MARK", NXM1, 107, 4, "hex", M, ""),
    ("ct_label", "NXM_NX_CT_LABEL", NXM1, 108, 16, "hex", M, ""),
    ("tun_ipv6_src", "NXM_NX_TUN_IPV6_SRC", NXM1, 109, 16, "ipv6", M, ""),
    ("tun_ipv6_dst", "NXM_NX_TUN_IPV6_DST", NXM1, 110, 16, "ipv6", M, ""),
    *((f"xxreg{i}", f"NXM_NX_XXREG{i}", NXM1, 111 + i, 16, "hex", M, "") for i in range(4)),
    ("ct_nw_proto", "NXM_NX_CT_NW_PROTO", NXM1, 119, 1, "decimal", False, "CT"),
    ("ct_nw_src", "NXM_NX_CT_NW_SRC", NXM1, 120, 4, "ipv4", M, "CT"),
    ("ct_nw_dst", "NXM_NX_CT_NW_DST", NXM1, 121, 4, "ipv4", M, "CT"),
    ("ct_ipv6_src", "NXM_NX_CT_IPV6_SRC", NXM1, 122, 16, "ipv6", M, "CT"),
    ("ct_ipv6_dst", "NXM_NX_CT_IPV6_DST", NXM1, 123, 16, "ipv6", M, "CT"),
    ("ct_tp_src", "NXM_NX_CT_TP_SRC", NXM1, 124, 2, "decimal", M, "CT"),
    ("ct_tp_dst", "NXM_NX_CT_TP_DST", NXM1, 125, 2, "decimal", M, "CT"),
]

# Aliases from ovs-fields(7) ("aka") for fields that exist only as NXM.
_ALIASES = {"ip_frag": ("nw_frag",)}


def nxm_rows(make: type[OxmField]) -> list[OxmField]:
    """The NXM rows as ``make`` (``OxmField``) objects."""
    return [make(name, spec, cls, code, size, fmt, mask, prereq, _ALIASES.get(name, ()),
                 variable=name.startswith("tun_metadata"))
            for name, spec, cls, code, size, fmt, mask, prereq in _ROWS]
