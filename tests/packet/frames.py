"""Sample frames built with the library (shared by the packet tests)."""

from __future__ import annotations

from vlcp_core.packet import (
    Packet,
    arp,
    eth,
    icmp,
    icmpv6_echo,
    icmpv6_na_layer,
    icmpv6_ns_layer,
    ipv4,
    ipv6,
    layer,
    lldp,
    lldp_chassis_id,
    lldp_end,
    lldp_port_id,
    lldp_raw_tlv,
    lldp_ttl,
    nd_source_lladdr,
    nd_target_lladdr,
    pack_tcp_options,
    tcp,
    udp,
    vlan,
)
from vlcp_core.packet import ipv6_fragment as frag6
from vlcp_core.packet import ipv6_hopopts as hop6

E = eth(src="00:00:00:00:00:01", dst="00:00:00:00:00:02")
V4 = ipv4(src="10.0.0.1", dst="10.0.0.2")
V6 = ipv6(src="fe80::1", dst="fe80::2")
MSS = pack_tcp_options([(2, b"\x05\xb4"), (1, b""), (3, b"\x07")])

FRAMES: dict[str, Packet] = {
    "tcp": E / V4 / tcp(sport=1234, dport=80) / b"hello",
    "tcp_opts": E / ipv4(src="10.0.0.1", dst="10.0.0.2", options=b"\x01\x01\x01\x00")
    / tcp(sport=1, dport=2, flags="SYN|ACK", options=MSS),
    "udp": E / V4 / udp(sport=5000, dport=5001) / b"query",
    "icmp": E / V4 / icmp(id=7, seq=1) / b"ping",
    "ip": E / ipv4(src="10.0.0.1", dst="10.0.0.2", proto=99) / b"xyz",
    "arp": E / arp(sha="00:00:00:00:00:01", spa="10.0.0.1", tpa="10.0.0.2"),
    "vlan": E / vlan(vid=10, pcp=3) / V4 / udp(sport=1, dport=2),
    "qinq": E / vlan(vid=100) / vlan(vid=10, pcp=5) / V4 / tcp(dport=443),
    "ipv6": E / ipv6(src="fe80::1", dst="fe80::2", flow_label=5, traffic_class=4),
    "tcp6": E / V6 / tcp(sport=4, dport=2222) / b"abc",
    "udp6": E / V6 / udp(sport=546, dport=547) / b"dhcp",
    "echo6": E / V6 / icmpv6_echo(id=1, seq=2) / b"x",
    "ns": E / ipv6(src="fe80::1", dst="ff02::1:ff00:2", hop_limit=255)
    / icmpv6_ns_layer(target="fe80::2", options=[nd_source_lladdr(lladdr="00:00:00:00:00:01")]),
    "na": E / ipv6(src="fe80::2", dst="fe80::1", hop_limit=255)
    / icmpv6_na_layer(flags="SOLICITED|OVERRIDE", target="fe80::2",
                      options=[nd_target_lladdr(lladdr="00:00:00:00:00:02")]),
    "ext6": E / V6 / layer(hop6) / layer(frag6, ident=9) / udp(sport=7, dport=9) / b"e",
    "lldp": eth(src="00:00:00:00:00:01", dst="01:80:c2:00:00:0e") / lldp([
        lldp_chassis_id(id=b"\x00\x00\x00\x00\x00\x01"), lldp_port_id(id=b"p1"),
        lldp_ttl(ttl=120), lldp_raw_tlv(5, b"sw1"), lldp_end()]),
}
