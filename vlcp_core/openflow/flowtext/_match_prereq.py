"""Prerequisites of match fields, as Open vSwitch 3.1 applies them (``_match``).

Open vSwitch stores some fields in shared places (``nw_src`` holds the IPv4 source or
the ARP SPA, ``tp_src`` the TCP/UDP/SCTP port or the ICMP type...) and encodes them
by the protocol of the match; a field whose prerequisite is missing is dropped.
``resolve`` gives the name a field takes in a match, or what to add.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["HINTS", "prefix_len", "resolve", "slot"]

IPV4, IPV6, ARP, RARP = 0x0800, 0x86DD, 0x0806, 0x8035


def slot(name: str) -> str:
    """Fields that share storage in OVS share a slot (set twice = an error)."""
    slots = {"ip_src": "nw_src", "arp_spa": "nw_src", "ip_dst": "nw_dst", "arp_tpa": "nw_dst",
             "arp_op": "nw_proto", "ip_dscp": "nw_tos", "arp_sha": "arp_sha",
             "nd_sll": "arp_sha", "arp_tha": "arp_tha", "nd_tll": "arp_tha"}
    if name in slots:
        return slots[name]
    for end in ("_src", "_dst"):
        if name in (f"tcp{end}", f"udp{end}", f"sctp{end}", f"tp{end}"):
            return "tp" + end
    if name in ("icmp_type", "icmpv6_type"):
        return "tp_src"
    if name in ("icmp_code", "icmpv6_code"):
        return "tp_dst"
    if re.fullmatch(r"x{1,2}reg\d|reg\d+", name):
        return "regs"
    return name


REFUSED = "Open vSwitch would refuse the rule"
HINTS = {
    "IPv4": "ip (or dl_type=0x0800)", "IPv6": "ipv6 (or dl_type=0x86dd)",
    "IP": "ip or ipv6 (or dl_type=0x0800 or 0x86dd)",
    "ARP": "arp or rarp (or dl_type=0x0806 or 0x8035)",
    "IP/ARP": "ip, ipv6 or arp (or dl_type=0x0800, 0x86dd or 0x0806)",
    "MPLS": "mpls or mplsm (or dl_type=0x8847 or 0x8848)",
    "TCP": "tcp or tcp6 (or nw_proto=6 with ip or ipv6)",
    "UDP": "udp or udp6 (or nw_proto=17 with ip or ipv6)",
    "SCTP": "sctp or sctp6 (or nw_proto=132 with ip or ipv6)",
    "L4": "tcp, udp, sctp or icmp (or nw_proto with ip or ipv6)",
    "ICMP": "icmp or icmp6", "ICMPv6": "icmp6 (or ipv6,nw_proto=58)",
    "ND": "icmp6 with icmpv6_type=135 or 136 (and icmpv6_code=0)",
    "ND solicit": "icmp6,icmpv6_type=135 (and icmpv6_code=0)",
    "ND advert": "icmp6,icmpv6_type=136 (and icmpv6_code=0)",
    "CT": "a ct_state match that implies a connection (+new, +est, +rel, +rpl, +snat, "
          "+dnat or +trk-inv)",
    "ct_nw_proto": "ct_nw_proto",
}
BY_PROTO = {6: "tcp", 17: "udp", 132: "sctp"}


def resolve(name: str, et: int | None, proto: int | None, tp_src: Any, tp_dst: Any,
             ct_state: tuple[int, int | None] | None, names: set[str]
             ) -> str | tuple[str, str]:
    """The canonical name of *name* in this match, or (needs, effect) when its
    prerequisite is missing (effect "" for the usual "OVS ignores it")."""
    ip = et in (IPV4, IPV6)
    arp = et in (ARP, RARP)
    if name in ("ip_src", "ip_dst"):
        if et == IPV4:
            return name
        return name.replace("ip_", "arp_").replace("src", "spa").replace("dst", "tpa") \
            if arp else (HINTS["IPv4"], "")
    if name in ("arp_spa", "arp_tpa", "arp_sha", "arp_tha", "arp_op"):
        return name if arp else (HINTS["ARP"], "")
    if name == "nw_proto":
        return ("arp_op" if arp else name) if ip or arp else (HINTS["IP/ARP"], "")
    if name in ("ipv6_src", "ipv6_dst", "ipv6_label"):
        return name if et == IPV6 else (HINTS["IPv6"], "")
    if name in ("nw_tos", "nw_ecn", "nw_ttl", "ip_frag"):
        return name if ip else (HINTS["IP"], "")
    if name.startswith("mpls_"):
        return name if et in (0x8847, 0x8848) else (HINTS["MPLS"], "")
    if name in ("tp_src", "tp_dst", "tcp_src", "tcp_dst", "udp_src", "udp_dst", "sctp_src",
                "sctp_dst", "icmp_type", "icmp_code", "icmpv6_type", "icmpv6_code",
                "tcp_flags"):
        return resolve_l4(name, et, proto)
    if name in ("nd_target", "nd_sll", "nd_tll"):
        want = {"nd_target": (135, 136), "nd_sll": (135,), "nd_tll": (136,)}[name]
        kind = {"nd_target": "ND", "nd_sll": "ND solicit", "nd_tll": "ND advert"}[name]
        ok = et == IPV6 and proto == 58 and tp_src in want and not tp_dst
        return name if ok else (HINTS[kind], "")
    if name.startswith("ct_") and name not in ("ct_state", "ct_zone", "ct_mark", "ct_label"):
        if not ct_valid(ct_state):
            return HINTS["CT"], REFUSED
        if name in ("ct_nw_src", "ct_nw_dst") and et != IPV4:
            return HINTS["IPv4"], REFUSED
        if name in ("ct_ipv6_src", "ct_ipv6_dst") and et != IPV6:
            return HINTS["IPv6"], REFUSED
        if name in ("ct_tp_src", "ct_tp_dst") and "ct_nw_proto" not in names:
            return HINTS["ct_nw_proto"], ""
    return name


def resolve_l4(name: str, et: int | None, proto: int | None) -> str | tuple[str, str]:
    end = "_src" if name.endswith(("_src", "_type")) else "_dst"
    icmp = {IPV4: (1, "icmp"), IPV6: (58, "icmpv6")}
    ip = et in (IPV4, IPV6)
    if name == "tcp_flags":
        return name if ip and proto == 6 else (HINTS["TCP"], "")
    if name.startswith(("tp_", "icmp_")):
        if ip and proto in BY_PROTO and name.startswith("tp_"):
            return BY_PROTO[proto] + end
        if et in icmp and proto == icmp[et][0]:
            return icmp[et][1] + ("_type" if end == "_src" else "_code")
        return HINTS["L4" if name.startswith("tp_") else "ICMP"], ""
    if name.startswith("icmpv6_"):
        return name if et == IPV6 and proto == 58 else (HINTS["ICMPv6"], "")
    kind = name.split("_")[0]
    want = {"tcp": 6, "udp": 17, "sctp": 132}[kind]
    return name if ip and proto == want else (HINTS[kind.upper()], "")


def ct_valid(state: tuple[int, int | None] | None) -> bool:
    if state is None:
        return False
    v, m = state
    mask = 0xFFFFFFFF if m is None else m
    v &= mask
    return bool(v & 0xCF) or bool(v & 0x20 and mask & 0x10 and not v & 0x10)


def prefix_len(mask: int, bits: int) -> int | None:
    inverted = ~mask & ((1 << bits) - 1)
    if inverted & (inverted + 1):
        return None
    return bits - inverted.bit_length()
