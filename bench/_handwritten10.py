"""Hand-written ``struct`` code for the OpenFlow 1.0 benchmark messages (the baseline).

OpenFlow 1.0.0 layouts: ofp_header (5.1), ofp_match (5.2.3, 40 bytes),
ofp_flow_mod (5.3.3, 72 bytes + actions), ofp_action_output (5.2.4, 8 bytes),
ofp_packet_in (5.4.1, 18 bytes + data).  Plain ``__slots__`` objects, ints, lengths
computed while serializing; what a competent person writes by hand.
"""

from __future__ import annotations

import struct

__all__ = ["ActionOutput10", "FlowMod10", "Match10", "PacketIn10", "parse_packet_in10",
           "serialize_flow_mod10"]

_HEADER = struct.Struct("!BBHI")
_PACKET_IN = struct.Struct("!BBHIIHHBx")  # header + buffer_id, total_len, in_port, reason
_MATCH = struct.Struct("!IH6s6sHBxHBBxxIIHH")
_FLOW_MOD_TAIL = struct.Struct("!QHHHHIHH")
_OUTPUT = struct.Struct("!HHHH")
_OTHER = struct.Struct("!HH")
OFPT_PACKET_IN = 10
OFPT_FLOW_MOD = 14


class Match10:
    __slots__ = ("wildcards", "in_port", "dl_src", "dl_dst", "dl_vlan", "dl_vlan_pcp",
                 "dl_type", "nw_tos", "nw_proto", "nw_src", "nw_dst", "tp_src", "tp_dst")

    def __init__(self, wildcards: int = 0x3FFFFF, in_port: int = 0, dl_src: bytes = bytes(6),
                 dl_dst: bytes = bytes(6), dl_vlan: int = 0, dl_vlan_pcp: int = 0,
                 dl_type: int = 0, nw_tos: int = 0, nw_proto: int = 0, nw_src: int = 0,
                 nw_dst: int = 0, tp_src: int = 0, tp_dst: int = 0) -> None:
        self.wildcards = wildcards
        self.in_port = in_port
        self.dl_src = dl_src
        self.dl_dst = dl_dst
        self.dl_vlan = dl_vlan
        self.dl_vlan_pcp = dl_vlan_pcp
        self.dl_type = dl_type
        self.nw_tos = nw_tos
        self.nw_proto = nw_proto
        self.nw_src = nw_src
        self.nw_dst = nw_dst
        self.tp_src = tp_src
        self.tp_dst = tp_dst


class ActionOutput10:
    __slots__ = ("port", "max_len")

    def __init__(self, port: int, max_len: int = 0) -> None:
        self.port = port
        self.max_len = max_len


class FlowMod10:
    __slots__ = ("xid", "match", "cookie", "command", "idle_timeout", "hard_timeout",
                 "priority", "buffer_id", "out_port", "flags", "actions")

    def __init__(self, xid: int = 0, match: Match10 | None = None, cookie: int = 0,
                 command: int = 0, idle_timeout: int = 0, hard_timeout: int = 0,
                 priority: int = 0x8000, buffer_id: int = 0xFFFFFFFF, out_port: int = 0xFFFF,
                 flags: int = 0, actions: list[ActionOutput10] | None = None) -> None:
        self.xid = xid
        self.match = Match10() if match is None else match
        self.cookie = cookie
        self.command = command
        self.idle_timeout = idle_timeout
        self.hard_timeout = hard_timeout
        self.priority = priority
        self.buffer_id = buffer_id
        self.out_port = out_port
        self.flags = flags
        self.actions = [] if actions is None else actions


class PacketIn10:
    __slots__ = ("xid", "buffer_id", "total_len", "in_port", "reason", "data")

    def __init__(self, xid: int, buffer_id: int, total_len: int, in_port: int, reason: int,
                 data: bytes) -> None:
        self.xid = xid
        self.buffer_id = buffer_id
        self.total_len = total_len
        self.in_port = in_port
        self.reason = reason
        self.data = data


def parse_packet_in10(buf: bytes, offset: int = 0) -> PacketIn10:
    """Parse an OpenFlow 1.0 PACKET_IN at *offset*; ``ValueError`` on bad input."""
    if len(buf) - offset < _PACKET_IN.size:
        raise ValueError("truncated packet_in")
    version, msg_type, length, xid, buffer_id, total_len, in_port, reason = (
        _PACKET_IN.unpack_from(buf, offset))
    if version != 1 or msg_type != OFPT_PACKET_IN:
        raise ValueError(f"not an OpenFlow 1.0 PACKET_IN: version {version} type {msg_type}")
    if length < _PACKET_IN.size or offset + length > len(buf):
        raise ValueError(f"bad length {length}")
    return PacketIn10(xid, buffer_id, total_len, in_port, reason,
                      buf[offset + _PACKET_IN.size:offset + length])


def serialize_flow_mod10(msg: FlowMod10) -> bytes:
    """Serialize an OpenFlow 1.0 FLOW_MOD; the length is computed from the actions."""
    m = msg.match
    try:
        actions = b"".join(_OUTPUT.pack(0, 8, a.port, a.max_len) for a in msg.actions)
        body = (_MATCH.pack(m.wildcards, m.in_port, m.dl_src, m.dl_dst, m.dl_vlan,
                            m.dl_vlan_pcp, m.dl_type, m.nw_tos, m.nw_proto, m.nw_src,
                            m.nw_dst, m.tp_src, m.tp_dst)
                + _FLOW_MOD_TAIL.pack(msg.cookie, msg.command, msg.idle_timeout,
                                      msg.hard_timeout, msg.priority, msg.buffer_id,
                                      msg.out_port, msg.flags)
                + actions)
    except struct.error as e:
        raise ValueError(str(e)) from e
    return _HEADER.pack(1, OFPT_FLOW_MOD, 8 + len(body), msg.xid) + body
