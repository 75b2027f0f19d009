"""Reference wire bytes of the OpenFlow 1.0 benchmark messages (version 0x01).

The OpenFlow 1.0 counterparts of ``bench/_messages.py``, built field by field
with ``struct.pack`` (big-endian) from the OpenFlow Switch Specification 1.0.0:
ofp_header, ofp_match, ofp_flow_mod, ofp_action_output and ofp_packet_in.

The FLOW_MOD is byte for byte what Open vSwitch 3.1.0 itself sends for the same
flow, xid aside (checked in ``tests/test_osken_env.py`` through the stub switch
of ``tests/openflow/stub_switch.py``)::

    ovs-ofctl --no-names -O OpenFlow10 add-flow tcp:127.0.0.1:PORT \\
        cookie=0x1111,priority=100,ip,in_port=1,nw_dst=10.0.0.1,actions=output:2

Verification (Open vSwitch 3.1.0, ``ovs-ofctl ofp-print <hex>``)::

    $ ovs-ofctl ofp-print $(python3 -c \\
        'from bench._messages10 import flow_mod10_bytes as f; print(f().hex())')
    OFPT_FLOW_MOD (xid=0x12345678): ADD priority=100,ip,in_port=1,
    nw_dst=10.0.0.1 cookie:0x1111 actions=output:2

    $ ovs-ofctl ofp-print $(python3 -c \\
        'from bench._messages10 import packet_in10_bytes as f; print(f().hex())')
    OFPT_PACKET_IN (xid=0x0): total_len=60 in_port=1 (via no_match)
    data_len=60 (unbuffered)
    arp,vlan_tci=0x0000,dl_src=00:00:00:00:00:02,dl_dst=ff:ff:ff:ff:ff:ff,
    arp_spa=10.0.0.2,arp_tpa=10.0.0.1,arp_op=1,arp_sha=00:00:00:00:00:02,
    arp_tha=00:00:00:00:00:00

(one line per message header / packet summary, wrapped here; both commands
exited with status 0).
"""

from __future__ import annotations

import struct

from bench._messages import arp_request_frame

__all__ = [
    "FLOW_MOD10_LENGTH",
    "PACKET_IN10_LENGTH",
    "flow_mod10_bytes",
    "flow_mod10_match",
    "ofp10_header",
    "packet_in10_bytes",
]

OFP10_VERSION = 0x01
OFPT_PACKET_IN = 10
OFPT_FLOW_MOD = 14

# ofp_flow_wildcards (OpenFlow 1.0, section 5.2.3)
OFPFW_IN_PORT = 1 << 0
OFPFW_DL_VLAN = 1 << 1
OFPFW_DL_SRC = 1 << 2
OFPFW_DL_DST = 1 << 3
OFPFW_DL_TYPE = 1 << 4
OFPFW_NW_PROTO = 1 << 5
OFPFW_TP_SRC = 1 << 6
OFPFW_TP_DST = 1 << 7
OFPFW_NW_SRC_SHIFT = 8  # 6-bit count of wildcarded low bits; >= 32 means all
OFPFW_NW_DST_SHIFT = 14
OFPFW_DL_VLAN_PCP = 1 << 20
OFPFW_NW_TOS = 1 << 21

OFPAT_OUTPUT = 0
OFPFC_ADD = 0
OFPP_NONE = 0xFFFF
OFP_NO_BUFFER = 0xFFFFFFFF
OFPR_NO_MATCH = 0

FLOW_MOD10_XID = 0x12345678  # the same xid as the OpenFlow 1.3 FLOW_MOD
PACKET_IN10_XID = 0  # asynchronous message from the switch
FLOW_MOD10_LENGTH = 80
PACKET_IN10_LENGTH = 78

#: Everything wildcarded except in_port, dl_type and all 32 bits of nw_dst.
#: nw_src is written as 32 << 8 (the value Open vSwitch uses; any count >= 32
#: wildcards the whole field), giving 0x003020ee.
FLOW_MOD10_WILDCARDS = (
    OFPFW_DL_VLAN | OFPFW_DL_SRC | OFPFW_DL_DST | OFPFW_NW_PROTO | OFPFW_TP_SRC
    | OFPFW_TP_DST | (32 << OFPFW_NW_SRC_SHIFT) | (0 << OFPFW_NW_DST_SHIFT)
    | OFPFW_DL_VLAN_PCP | OFPFW_NW_TOS
)


def ofp10_header(msg_type: int, length: int, xid: int) -> bytes:
    """ofp_header: version u8 (1), type u8, length u16, xid u32 (8 bytes)."""
    return struct.pack("!BBHI", OFP10_VERSION, msg_type, length, xid)


def flow_mod10_match() -> bytes:
    """The 40-byte ofp_match: in_port=1, dl_type=0x0800, nw_dst=10.0.0.1.

    offset  size  field
         0     4  wildcards 0x003020ee (FLOW_MOD10_WILDCARDS)
         4     2  in_port 1
         6     6  dl_src 0
        12     6  dl_dst 0
        18     2  dl_vlan 0
        20     1  dl_vlan_pcp 0
        21     1  pad
        22     2  dl_type 0x0800
        24     1  nw_tos 0
        25     1  nw_proto 0
        26     2  pad
        28     4  nw_src 0
        32     4  nw_dst 10.0.0.1
        36     2  tp_src 0
        38     2  tp_dst 0
    """
    return struct.pack(
        "!IH6s6sHBxHBB2xI4sHH",
        FLOW_MOD10_WILDCARDS,
        1,  # in_port
        bytes(6),  # dl_src
        bytes(6),  # dl_dst
        0,  # dl_vlan
        0,  # dl_vlan_pcp
        0x0800,  # dl_type
        0,  # nw_tos
        0,  # nw_proto
        0,  # nw_src
        bytes((10, 0, 0, 1)),  # nw_dst
        0,  # tp_src
        0,  # tp_dst
    )


def flow_mod10_bytes() -> bytes:
    """The 80-byte OpenFlow 1.0 OFPT_FLOW_MOD used by the benchmark.

    offset  size  field
         0     8  ofp_header: version 1, type 14, length 80, xid 0x12345678
         8    40  ofp_match (flow_mod10_match)
        48     8  cookie 0x1111
        56     2  command OFPFC_ADD (0)
        58     2  idle_timeout 0
        60     2  hard_timeout 0
        62     2  priority 100
        64     4  buffer_id 0xffffffff (no buffer)
        68     2  out_port 0xffff (OFPP_NONE)
        70     2  flags 0
        72     8  ofp_action_output: type 0, len 8, port 2, max_len 0
    """
    fixed = struct.pack(
        "!QHHHHIHH",
        0x1111,  # cookie
        OFPFC_ADD,  # command
        0,  # idle_timeout
        0,  # hard_timeout
        100,  # priority
        OFP_NO_BUFFER,  # buffer_id
        OFPP_NONE,  # out_port
        0,  # flags
    )
    action = struct.pack("!HHHH", OFPAT_OUTPUT, 8, 2, 0)
    body = flow_mod10_match() + fixed + action
    message = ofp10_header(OFPT_FLOW_MOD, 8 + len(body), FLOW_MOD10_XID) + body
    if len(message) != FLOW_MOD10_LENGTH:
        raise AssertionError(f"flow_mod10 is {len(message)} bytes, expected 80")
    return message


def packet_in10_bytes() -> bytes:
    """The 78-byte OpenFlow 1.0 OFPT_PACKET_IN used by the benchmark.

    offset  size  field
         0     8  ofp_header: version 1, type 10, length 78, xid 0
         8     4  buffer_id 0xffffffff (no buffer)
        12     2  total_len 60
        14     2  in_port 1
        16     1  reason OFPR_NO_MATCH (0)
        17     1  pad
        18    60  data: bench._messages.arp_request_frame()
    """
    frame = arp_request_frame()
    body = struct.pack("!IHHBx", OFP_NO_BUFFER, len(frame), 1, OFPR_NO_MATCH) + frame
    message = ofp10_header(OFPT_PACKET_IN, 8 + len(body), PACKET_IN10_XID) + body
    if len(message) != PACKET_IN10_LENGTH:
        raise AssertionError(f"packet_in10 is {len(message)} bytes, expected 78")
    return message
