"""Reference wire bytes of the benchmark messages (OpenFlow 1.3, version 0x04).

Every message is built here field by field with ``struct.pack`` so that the
bytes do not depend on any parser or serializer under test.  All integers are
big-endian (network order).  Layouts follow the OpenFlow Switch Specification
1.3.5: ofp_header, ofp_flow_mod, ofp_match with OXM TLVs,
ofp_instruction_actions, ofp_action_output and ofp_packet_in.

Verification (Open vSwitch 3.1.0, ``ovs-ofctl ofp-print <hex>``)::

    $ ovs-ofctl ofp-print $(python3 -c \
        'from bench._messages import flow_mod_bytes as f; print(f().hex())')
    OFPT_FLOW_MOD (OF1.3) (xid=0x12345678): ADD priority=100,ip,in_port=1,
    nw_dst=10.0.0.1 cookie:0x1111 actions=output:2

    $ ovs-ofctl ofp-print $(python3 -c \
        'from bench._messages import packet_in_bytes as f; print(f().hex())')
    OFPT_PACKET_IN (OF1.3) (xid=0x0): cookie=0x0 total_len=60 in_port=1
    (via no_match) data_len=60 (unbuffered)
    arp,vlan_tci=0x0000,dl_src=00:00:00:00:00:02,dl_dst=ff:ff:ff:ff:ff:ff,
    arp_spa=10.0.0.2,arp_tpa=10.0.0.1,arp_op=1,arp_sha=00:00:00:00:00:02,
    arp_tha=00:00:00:00:00:00

(each output is one line per message header / packet summary, wrapped here;
both commands exited with status 0).
"""

from __future__ import annotations

import struct

OFP_VERSION = 0x04  # OpenFlow 1.3
OFPT_PACKET_IN = 10
OFPT_FLOW_MOD = 14

OFPMT_OXM = 1
OFPXMC_OPENFLOW_BASIC = 0x8000
OFPXMT_OFB_IN_PORT = 0
OFPXMT_OFB_ETH_TYPE = 5
OFPXMT_OFB_IPV4_DST = 12

OFPIT_APPLY_ACTIONS = 4
OFPAT_OUTPUT = 0
OFPCML_MAX = 0xFFE5  # the largest max_len (OFPCML_NO_BUFFER is 0xffff)
OFP_NO_BUFFER = 0xFFFFFFFF
OFPP_ANY = 0xFFFFFFFF
OFPG_ANY = 0xFFFFFFFF
OFPFC_ADD = 0
OFPR_NO_MATCH = 0

FLOW_MOD_XID = 0x12345678
PACKET_IN_XID = 0  # asynchronous message from the switch
FLOW_MOD_LENGTH = 104
PACKET_IN_LENGTH = 102


def oxm_header(oxm_class: int, oxm_field: int, hasmask: int, length: int) -> int:
    """Return the 32-bit OXM TLV header.

    Layout (most significant bit first): oxm_class 16 bits, oxm_field 7 bits,
    oxm_hasmask 1 bit, oxm_length 8 bits (payload bytes, mask included).
    """
    return (oxm_class << 16) | (oxm_field << 9) | (hasmask << 8) | length


def ofp_header(msg_type: int, length: int, xid: int) -> bytes:
    """ofp_header: version u8, type u8, length u16, xid u32 (8 bytes)."""
    return struct.pack("!BBHI", OFP_VERSION, msg_type, length, xid)


def _oxm(field: int, value: bytes) -> bytes:
    """One OpenFlow-basic OXM TLV without mask: 4-byte header + value."""
    header = oxm_header(OFPXMC_OPENFLOW_BASIC, field, 0, len(value))
    return struct.pack("!I", header) + value


def _match(oxms: bytes) -> bytes:
    """ofp_match: type u16, length u16 (4 + OXM bytes, excluding padding),
    the OXM TLVs, then zero padding up to a multiple of 8."""
    length = 4 + len(oxms)
    pad = (-length) % 8
    return struct.pack("!HH", OFPMT_OXM, length) + oxms + bytes(pad)


def flow_mod_match() -> bytes:
    """The 32-byte match of the FLOW_MOD (length field 26, 6 pad bytes)."""
    oxms = (
        # OXM_OF_IN_PORT: header 0x80000004, u32 port 1
        _oxm(OFPXMT_OFB_IN_PORT, struct.pack("!I", 1))
        # OXM_OF_ETH_TYPE: header 0x80000a02, u16 0x0800 (IPv4)
        + _oxm(OFPXMT_OFB_ETH_TYPE, struct.pack("!H", 0x0800))
        # OXM_OF_IPV4_DST: header 0x80001804, 10.0.0.1
        + _oxm(OFPXMT_OFB_IPV4_DST, bytes((10, 0, 0, 1)))
    )
    return _match(oxms)


def flow_mod_bytes() -> bytes:
    """The 104-byte OFPT_FLOW_MOD used by the benchmark.

    offset  size  field
         0     8  ofp_header: version 4, type 14, length 104, xid 0x12345678
         8     8  cookie 0x1111
        16     8  cookie_mask 0
        24     1  table_id 0
        25     1  command OFPFC_ADD (0)
        26     2  idle_timeout 0
        28     2  hard_timeout 0
        30     2  priority 100
        32     4  buffer_id 0xffffffff (OFP_NO_BUFFER)
        36     4  out_port 0xffffffff (OFPP_ANY)
        40     4  out_group 0xffffffff (OFPG_ANY)
        44     2  flags 0
        46     2  pad
        48    32  ofp_match: type 1, length 26,
                  IN_PORT=1 (8), ETH_TYPE=0x0800 (6), IPV4_DST=10.0.0.1 (8),
                  6 pad bytes
        80    24  ofp_instruction_actions: type 4 (APPLY_ACTIONS), len 24,
                  4 pad, then ofp_action_output: type 0, len 16, port 2,
                  max_len 0xffe5 (OFPCML_MAX), 6 pad
    """
    fixed = struct.pack(
        "!QQBBHHHIIIH2x",
        0x1111,  # cookie
        0,  # cookie_mask
        0,  # table_id
        OFPFC_ADD,  # command
        0,  # idle_timeout
        0,  # hard_timeout
        100,  # priority
        OFP_NO_BUFFER,  # buffer_id
        OFPP_ANY,  # out_port
        OFPG_ANY,  # out_group
        0,  # flags (followed by 2 pad bytes)
    )
    action = struct.pack("!HHIH6x", OFPAT_OUTPUT, 16, 2, OFPCML_MAX)
    instruction = struct.pack("!HH4x", OFPIT_APPLY_ACTIONS, 8 + len(action)) + action
    body = fixed + flow_mod_match() + instruction
    message = ofp_header(OFPT_FLOW_MOD, 8 + len(body), FLOW_MOD_XID) + body
    if len(message) != FLOW_MOD_LENGTH:
        raise AssertionError(f"flow_mod is {len(message)} bytes, expected 104")
    return message


def arp_request_frame() -> bytes:
    """A 60-byte Ethernet II frame: ARP who-has 10.0.0.1 tell 10.0.0.2.

    offset  size  field
         0     6  destination MAC ff:ff:ff:ff:ff:ff (broadcast)
         6     6  source MAC 00:00:00:00:00:02
        12     2  ethertype 0x0806 (ARP)
        14     2  htype 1 (Ethernet)
        16     2  ptype 0x0800 (IPv4)
        18     1  hlen 6
        19     1  plen 4
        20     2  oper 1 (request)
        22     6  sender hardware address 00:00:00:00:00:02
        28     4  sender protocol address 10.0.0.2
        32     6  target hardware address 00:00:00:00:00:00
        38     4  target protocol address 10.0.0.1
        42    18  zero padding to the 60-byte Ethernet minimum (without FCS)
    """
    src_mac = bytes((0, 0, 0, 0, 0, 2))
    ethernet = b"\xff" * 6 + src_mac + struct.pack("!H", 0x0806)
    arp = (
        struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1)
        + src_mac
        + bytes((10, 0, 0, 2))
        + bytes(6)
        + bytes((10, 0, 0, 1))
    )
    frame = ethernet + arp
    return frame + bytes(60 - len(frame))


def packet_in_bytes() -> bytes:
    """The 102-byte OFPT_PACKET_IN used by the benchmark.

    offset  size  field
         0     8  ofp_header: version 4, type 10, length 102, xid 0
         8     4  buffer_id 0xffffffff (OFP_NO_BUFFER)
        12     2  total_len 60
        14     1  reason OFPR_NO_MATCH (0)
        15     1  table_id 0
        16     8  cookie 0
        24    16  ofp_match: type 1, length 12, IN_PORT=1 (8), 4 pad bytes
        40     2  pad
        42    60  data: arp_request_frame()
    """
    frame = arp_request_frame()
    fixed = struct.pack("!IHBBQ", OFP_NO_BUFFER, len(frame), OFPR_NO_MATCH, 0, 0)
    match = _match(_oxm(OFPXMT_OFB_IN_PORT, struct.pack("!I", 1)))
    body = fixed + match + bytes(2) + frame
    message = ofp_header(OFPT_PACKET_IN, 8 + len(body), PACKET_IN_XID) + body
    if len(message) != PACKET_IN_LENGTH:
        raise AssertionError(f"packet_in is {len(message)} bytes, expected 102")
    return message
