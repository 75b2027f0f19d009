"""Packet headers: decode Ethernet frames into layers, build them with ``/``.

Example::

    from vlcp_core.packet import decode, eth, ipv4, tcp

    pkt = eth(src="00:00:00:00:00:01", dst="00:00:00:00:00:02") / ipv4(
        src="10.0.0.1", dst="10.0.0.2") / tcp(sport=1234, dport=80)
    data = bytes(pkt)                 # ethertype, lengths, checksums filled
    decode(data).summary()            # 'tcp,vlan_tci=0x0000,dl_src=...'

See ``docs/packet.md``.
"""

from ._build import inet_checksum, pseudo_header
from ._builders import (
    arp,
    eth,
    icmp,
    icmpv6_echo,
    icmpv6_na_layer,
    icmpv6_ns_layer,
    ipv4,
    ipv6,
    lldp,
    lldp_raw_tlv,
    pack_tcp_options,
    tcp,
    tcp_options,
    udp,
    vlan,
)
from ._decode import decode
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
from ._headers import (
    arp_header,
    ethernet_header,
    icmp_header,
    icmpv6_echo_reply,
    icmpv6_echo_request,
    icmpv6_header,
    icmpv6_na,
    icmpv6_ns,
    ipv4_header,
    ipv6_destopts,
    ipv6_fragment,
    ipv6_header,
    ipv6_hopopts,
    ipv6_routing,
    lldp_chassis_id,
    lldp_end,
    lldp_header,
    lldp_port_id,
    lldp_tlv,
    lldp_ttl,
    nd_option,
    nd_source_lladdr,
    nd_target_lladdr,
    tcp_header,
    udp_header,
    vlan_header,
)
from ._packet import Packet, layer
from ._pcap import read_pcap, write_pcap
from ._summary import summary

__all__ = [
    "ArpOp", "ChassisIdSubtype", "EtherType", "IcmpType", "Icmpv6Type", "IpProto",
    "LldpTlvType", "NaFlags", "NdOptionType", "Packet", "PortIdSubtype", "TcpFlags", "arp",
    "arp_header", "decode", "eth", "ethernet_header", "icmp", "icmp_header", "icmpv6_echo",
    "icmpv6_echo_reply", "icmpv6_echo_request", "icmpv6_header", "icmpv6_na", "icmpv6_na_layer",
    "icmpv6_ns", "icmpv6_ns_layer", "inet_checksum", "ipv4", "ipv4_header", "ipv6",
    "ipv6_destopts", "ipv6_fragment", "ipv6_header", "ipv6_hopopts", "ipv6_routing", "layer",
    "lldp", "lldp_chassis_id", "lldp_end", "lldp_header", "lldp_port_id", "lldp_raw_tlv",
    "lldp_tlv", "lldp_ttl", "nd_option", "nd_source_lladdr", "nd_target_lladdr",
    "pack_tcp_options", "pseudo_header", "read_pcap", "summary", "tcp", "tcp_header",
    "tcp_options", "udp", "udp_header", "vlan", "vlan_header", "write_pcap",
]
