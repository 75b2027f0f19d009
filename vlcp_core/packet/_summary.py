"""One-line flow summaries in the format ``ovs-ofctl`` prints under a PACKET_IN.

Checked against ``ovs-ofctl ofp-print`` (Open vSwitch 3.1) of OF1.3 PACKET_INs;
``ovs-ofctl`` appends `` tcp_csum:...`` style checksums, which we leave out.
"""

from __future__ import annotations

import ipaddress

from vlcp_core.namedstruct import Struct

from ._enums import IpProto
from ._headers import (
    arp_header,
    ethernet_header,
    icmp_header,
    icmpv6_header,
    icmpv6_na,
    icmpv6_ns,
    ipv4_header,
    ipv6_fragment,
    ipv6_header,
    nd_source_lladdr,
    nd_target_lladdr,
    tcp_header,
    udp_header,
    vlan_header,
)
from ._packet import Packet

__all__ = ["summary"]

_FLAG_NAMES = ["fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns"]
_ZERO_MAC = bytes(6)


def _mac(b: bytes) -> str:
    return ":".join(f"{x:02x}" for x in b)


def _v4(n: int) -> str:
    return str(ipaddress.IPv4Address(n))


def _v6(b: bytes) -> str:
    return str(ipaddress.IPv6Address(b))


def _flags(value: int) -> str:
    names = [n for i, n in enumerate(_FLAG_NAMES) if value >> i & 1]
    return "|".join(names) if names else "0"


def summary(pkt: Packet) -> str:
    """The ``ovs-ofctl`` flow text of a decoded *pkt*, e.g.
    ``tcp,vlan_tci=0x0000,dl_src=..,dl_dst=..,nw_src=..,nw_dst=..,nw_tos=0,nw_ecn=0,
    nw_ttl=64,nw_frag=no,tp_src=1234,tp_dst=80,tcp_flags=syn``.

    Raises:
        ValueError: *pkt* does not start with an ``ethernet_header``.
    """
    layers = pkt.layers
    if not layers or not isinstance(layers[0], ethernet_header):
        raise ValueError("summary() needs a packet that starts with an Ethernet header")
    eth = layers[0]
    tags = [x for x in layers if isinstance(x, vlan_header)]
    fields: list[str] = []
    if not tags:
        fields.append("vlan_tci=0x0000")
    for i, tag in enumerate(tags[:2]):
        suffix = "1" if i else ""
        fields += [f"dl_vlan{suffix}={tag.vid}",
                   f"dl_vlan_pcp{suffix}={tag.pcp}"]
    if len(tags) == 1:
        fields.append("vlan_tci1=0x0000")
    fields += [f"dl_src={_mac(eth.src)}", f"dl_dst={_mac(eth.dst)}"]
    last_type = (tags[-1] if tags else eth).ethertype
    arp = pkt.get(arp_header)
    ip = pkt.get(ipv4_header) or pkt.get(ipv6_header)
    if arp is not None:
        return "arp," + ",".join(fields + [
            f"arp_spa={_v4(arp.spa)}", f"arp_tpa={_v4(arp.tpa)}", f"arp_op={arp.op}",
            f"arp_sha={_mac(arp.sha)}", f"arp_tha={_mac(arp.tha)}"])
    if ip is None:
        dl_type = last_type if last_type >= 0x600 else 0x05FF
        return ",".join(fields + [f"dl_type=0x{dl_type:04x}"])
    return _ip_summary(pkt, ip, fields)


def _ip_summary(pkt: Packet, ip: Struct, fields: list[str]) -> str:
    v6 = isinstance(ip, ipv6_header)
    upper = next((x for x in pkt.layers if isinstance(
        x, tcp_header | udp_header | icmp_header | icmpv6_header)), None)
    frag = "no"
    if v6:
        fields += [f"ipv6_src={_v6(ip.src)}", f"ipv6_dst={_v6(ip.dst)}",
                   f"ipv6_label=0x{ip.flow_label:05x}"]
        tos, ttl = ip.traffic_class, ip.hop_limit
        proto = ip.next_header
        fh = pkt.get(ipv6_fragment)
        if fh is not None:
            frag = "later" if fh.frag_offset else ("first" if fh.more else "no")
        for x in pkt.layers:
            if hasattr(x, "next_header") and x is not ip:
                proto = x.next_header
    else:
        fields += [f"nw_src={_v4(ip.src)}", f"nw_dst={_v4(ip.dst)}"]
        tos, ttl, proto = ip.dscp << 2 | ip.ecn, ip.ttl, ip.proto
        if ip.frag_offset:
            frag = "later"
        elif ip.flags & 1:
            frag = "first"
    names = {IpProto.TCP: "tcp", IpProto.UDP: "udp", IpProto.ICMP: "icmp",
             IpProto.ICMPV6: "icmp6"}
    name = names.get(proto) if frag != "later" else None
    if name is None:
        fields.append(f"nw_proto={proto}")
    fields += [f"nw_tos={tos & 0xFC}", f"nw_ecn={tos & 3}", f"nw_ttl={ttl}", f"nw_frag={frag}"]
    if name in ("tcp", "udp") and upper is not None:
        fields += [f"tp_src={upper.sport}", f"tp_dst={upper.dport}"]
        if name == "tcp":
            fields.append(f"tcp_flags={_flags(upper.flags)}")
    elif name in ("icmp", "icmp6") and upper is not None:
        fields += [f"icmp_type={upper.type}", f"icmp_code={upper.code}"]
        if isinstance(upper, icmpv6_ns | icmpv6_na):
            sll = next((o.lladdr for o in upper.options
                        if isinstance(o, nd_source_lladdr)), _ZERO_MAC)
            tll = next((o.lladdr for o in upper.options
                        if isinstance(o, nd_target_lladdr)), _ZERO_MAC)
            fields += [f"nd_target={_v6(upper.target)}", f"nd_sll={_mac(sll)}",
                       f"nd_tll={_mac(tll)}"]
    if name is None:
        base = "ipv6" if v6 else "ip"
    else:
        base = name + ("6" if v6 and name != "icmp6" else "")
    return base + "," + ",".join(fields)

