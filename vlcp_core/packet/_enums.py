"""Numbers of the packet headers as enums (shown by name in dumps and pretty prints)."""

from __future__ import annotations

import enum

__all__ = [
    "ArpOp", "ChassisIdSubtype", "EtherType", "IcmpType", "Icmpv6Type", "IpProto",
    "LldpTlvType", "NaFlags", "NdOptionType", "PortIdSubtype", "TcpFlags",
]


class EtherType(enum.IntEnum):
    """Ethernet II types (IEEE registry)."""

    IPV4 = 0x0800
    ARP = 0x0806
    VLAN = 0x8100
    IPV6 = 0x86DD
    QINQ = 0x88A8
    LLDP = 0x88CC


class IpProto(enum.IntEnum):
    """IP protocol numbers / IPv6 next-header values (IANA)."""

    HOPOPT = 0
    ICMP = 1
    TCP = 6
    UDP = 17
    IPV6_ROUTE = 43
    IPV6_FRAG = 44
    ICMPV6 = 58
    IPV6_NONXT = 59
    IPV6_OPTS = 60


class TcpFlags(enum.IntFlag):
    """The 9 TCP flag bits (RFC 793, RFC 3168, RFC 3540)."""

    FIN = 0x001
    SYN = 0x002
    RST = 0x004
    PSH = 0x008
    ACK = 0x010
    URG = 0x020
    ECE = 0x040
    CWR = 0x080
    NS = 0x100


class ArpOp(enum.IntEnum):
    """ARP operation codes (RFC 826)."""

    REQUEST = 1
    REPLY = 2


class IcmpType(enum.IntEnum):
    """ICMP message types (RFC 792)."""

    ECHO_REPLY = 0
    DEST_UNREACH = 3
    SOURCE_QUENCH = 4
    REDIRECT = 5
    ECHO_REQUEST = 8
    TIME_EXCEEDED = 11
    PARAM_PROBLEM = 12


class Icmpv6Type(enum.IntEnum):
    """ICMPv6 message types (RFC 4443, RFC 4861)."""

    DEST_UNREACH = 1
    PACKET_TOO_BIG = 2
    TIME_EXCEEDED = 3
    PARAM_PROBLEM = 4
    ECHO_REQUEST = 128
    ECHO_REPLY = 129
    ROUTER_SOLICIT = 133
    ROUTER_ADVERT = 134
    NEIGHBOR_SOLICIT = 135
    NEIGHBOR_ADVERT = 136


class NaFlags(enum.IntFlag):
    """Flags of a neighbour advertisement (first 32-bit word after the checksum)."""

    OVERRIDE = 0x20000000
    SOLICITED = 0x40000000
    ROUTER = 0x80000000


class NdOptionType(enum.IntEnum):
    """Neighbour discovery option types (RFC 4861)."""

    SOURCE_LLADDR = 1
    TARGET_LLADDR = 2
    PREFIX_INFO = 3
    REDIRECTED_HEADER = 4
    MTU = 5


class LldpTlvType(enum.IntEnum):
    """LLDP TLV types (IEEE 802.1AB)."""

    END = 0
    CHASSIS_ID = 1
    PORT_ID = 2
    TTL = 3
    PORT_DESCRIPTION = 4
    SYSTEM_NAME = 5
    SYSTEM_DESCRIPTION = 6
    SYSTEM_CAPABILITIES = 7
    MANAGEMENT_ADDRESS = 8
    ORGANIZATION_SPECIFIC = 127


class ChassisIdSubtype(enum.IntEnum):
    """LLDP chassis ID subtypes (IEEE 802.1AB)."""

    CHASSIS_COMPONENT = 1
    INTERFACE_ALIAS = 2
    PORT_COMPONENT = 3
    MAC_ADDRESS = 4
    NETWORK_ADDRESS = 5
    INTERFACE_NAME = 6
    LOCAL = 7


class PortIdSubtype(enum.IntEnum):
    """LLDP port ID subtypes (IEEE 802.1AB)."""

    INTERFACE_ALIAS = 1
    PORT_COMPONENT = 2
    MAC_ADDRESS = 3
    NETWORK_ADDRESS = 4
    INTERFACE_NAME = 5
    AGENT_CIRCUIT_ID = 6
    LOCAL = 7
