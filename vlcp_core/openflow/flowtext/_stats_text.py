"""``dump-flows`` lines straight from a flow statistics reply's bytes.

``flow_stats_lines(frame)`` gives the lines ``format_flow`` prints for the entries
of one OFPMP_FLOW / OFPST_FLOW / NXST_FLOW reply, without building the structs: a
dump of 100,000 flows spends most of its time there.  It is an optimization that
cannot change what is printed (construct's rule for compiled code):

- the fixed part of an OpenFlow 1.3 ``ofp_flow_stats`` is read with one
  ``struct`` call;
- the OXM match is walked TLV by TLV through a per-header *plan*, made once per
  header from the same field table, print names and value formatting as
  ``format_match``; fields whose text depends on other fields (VLAN, registers,
  fragments, packet type, variable-length ones) have no plan;
- OpenFlow 1.0's NXST_FLOW entries (``nx_flow_stats``, an NXM match, the ages)
  are read the same way;
- the instructions' (1.0: actions') text is kept per distinct bytes (flows of one
  table mostly share a few action lists), computed by ``format_actions`` the first
  time;
- anything else (no plan for a header, an unusual length, an OFPST_FLOW reply)
  takes the general path: the entry is parsed and given to ``format_flow``, which
  also raises the general path's errors.

``tests/openflow/test_stats_text.py`` checks both paths give the same lines for
every flow of the flow-language corpus and for random matches.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

from .. import v10, v13
from .._api import parse_message
from .._oxm import field_of, ofp_oxm
from ..nicira import messages10
from ._actions_format import format_actions
from ._flow import _flags_text, format_duration, format_flow
from ._match_format import (
    _PRINT_NAME,
    _RANK,
    _SHORT_NAMES,
    IPV4_FIELDS,
    MAC_FIELDS,
    _value_text,
    is_wide_register,
    port16,
)
from ._match_prereq import ARP, RARP

__all__ = ["flow_stats_lines"]

_ENTRY13 = struct.Struct("!HBxIIHHHH4xQQQHH")  # ofp_flow_stats + ofp_match's type, length
_ENTRY10 = struct.Struct("!HBxIIHHHHHHQQQ")  # nx_flow_stats before its NXM match
_NXST_FLOW_HEAD = struct.Struct("!HHII")  # stats type 0xffff, flags, vendor, subtype
_U32 = struct.Struct("!I")
_OFPMP_FLOW = 1
_OXM_MATCH = 1
_CACHE_LIMIT = 4096

# A plan: (rank, "printed_name=", value bytes -> text or None to skip the field,
# role): role 1 is eth_type, 2 nw_proto (they may fold into a shorthand), 3 an IPv4
# address field printed under another name when the match is ARP's.
Plan = tuple[int, str, Callable[[bytes], "str | None"], int]
_PLANS: dict[int, Plan | None] = {}
_PROGRAMS: dict[tuple[int, bytes], str] = {}  # (version, bytes) -> "actions=" text
_FLAG_TEXT: dict[int, str] = {}
_SHORTHAND_RANK = _RANK["<shorthand>"]
# Fields whose text depends on other fields, or that print as several parts.
_NO_PLAN = {"vlan_vid", "vlan_pcp", "vlan_tci", "ip_dscp", "ip_frag", "packet_type"}


def _plan(header: int) -> Plan | None:
    """The plan for OXM *header* (class, field, hasmask, length), or ``None``."""
    has_mask, length = header >> 8 & 1, header & 0xFF
    try:
        parsed = ofp_oxm.parse(_U32.pack(header) + bytes(length))
    except Exception:
        return None
    f = field_of(type(parsed[0])) if parsed else None
    if f is None or f.variable or f.name in _NO_PLAN or is_wide_register(f.name):
        return None
    size = f.size
    if length != size * (1 + has_mask):
        return None
    name = f.name
    role = {"eth_type": 1, "nw_proto": 2, "ip_src": 3, "ip_dst": 3}.get(name, 0)
    if role in (1, 2) and has_mask:
        return None
    full = (1 << 8 * size) - 1
    convert: Callable[[bytes], str | None]
    if has_mask:
        def convert(value: bytes, name: str = name, size: int = size) -> str | None:
            mask = int.from_bytes(value[size:], "big")
            if mask == 0:
                return None
            return _value_text(name, int.from_bytes(value[:size], "big"),
                               None if mask == full else mask)
    elif name == "in_port" and size == 2:  # NXM's: OpenFlow 1.0 port numbers
        def convert(value: bytes) -> str | None:
            return _value_text("in_port", port16(value[0] << 8 | value[1]), None)
    elif name in IPV4_FIELDS:
        def convert(value: bytes) -> str | None:
            a, b, c, d = value  # (not socket.inet_ntoa: the engine imports no socket)
            return f"{a}.{b}.{c}.{d}"
    elif name in MAC_FIELDS:
        def convert(value: bytes) -> str | None:
            return value.hex(":")
    else:
        def convert(value: bytes, name: str = name) -> str | None:
            return _value_text(name, int.from_bytes(value, "big"), None)
    return (_RANK.get(name, len(_RANK)), _PRINT_NAME.get(name, name) + "=", convert, role)


def _match_text(buf: bytes, off: int, end: int) -> str | None:
    """The match text of the OXM TLVs in ``buf[off:end]``, or ``None`` when a TLV
    has no plan (the caller then takes the general path)."""
    parts: list[tuple[int, str]] = []
    et = proto = -1
    et_part = proto_part = None
    arp_names = False
    plans = _PLANS
    while off < end:
        if off + 4 > end:
            return None
        header = _U32.unpack_from(buf, off)[0]
        start, off = off + 4, off + 4 + (header & 0xFF)
        if off > end:
            return None
        if header in plans:
            plan = plans[header]
        else:
            plan = _plan(header)
            if len(plans) < _CACHE_LIMIT:
                plans[header] = plan
        if plan is None:
            return None
        value = buf[start:off]
        rank, prefix, convert, role = plan
        text = convert(value)
        if text is None:
            continue
        if role == 1:
            if et_part is not None:
                return None
            et, et_part = int.from_bytes(value, "big"), (rank, prefix + text)
        elif role == 2:
            if proto_part is not None:
                return None
            proto, proto_part = value[0], (rank, prefix + text)
        else:
            arp_names = arp_names or role == 3
            parts.append((rank, prefix + text))
    if arp_names and et in (ARP, RARP):
        return None  # IPv4 fields under ARP names: rare, left to the general path
    short = _SHORT_NAMES.get((et, proto)) if proto >= 0 else None
    if short is not None:
        parts.insert(0, (_SHORTHAND_RANK, short))
    else:
        short = _SHORT_NAMES.get((et, None)) if et >= 0 else None
        if short is not None:
            parts.insert(0, (_SHORTHAND_RANK, short))
        elif et_part is not None:
            parts.append(et_part)
        if proto_part is not None:
            parts.append(proto_part)
    parts.sort(key=_first)
    return ",".join([text for _, text in parts])


def _first(part: tuple[int, str]) -> int:
    return part[0]


def _program_text(buf: bytes, off: int, end: int, version: int) -> str:
    """The text of the instructions (1.3) or actions (1.0) in ``buf[off:end]``."""
    key = (version, buf[off:end])
    text = _PROGRAMS.get(key)
    if text is None:
        items = []
        at, data = 0, key[1]
        kind = v13.ofp_instruction if version == 4 else v10.ofp_action
        while at < len(data):
            parsed = kind.parse(data, at)
            if parsed is None:
                raise ValueError("truncated instruction or action")
            item, size = parsed
            items.append(item)
            at += size
        text = format_actions(items, version)
        if len(_PROGRAMS) >= _CACHE_LIMIT:
            _PROGRAMS.clear()
        _PROGRAMS[key] = text
    return text


def _flags(flags: int) -> str:
    text = _FLAG_TEXT.get(flags)
    if text is None:
        text = _FLAG_TEXT[flags] = "".join(_flags_text(flags, 4, " "))
    return text


def _line(head: str, priority: int, match: str, program: str) -> str:
    """A whole line: the counters' *head*, the match with its priority, the program."""
    if priority != 0x8000:
        match = f"priority={priority},{match}" if match else f"priority={priority}"
    return f"{head}{match} actions={program}" if match else f"{head}actions={program}"


def _head(cookie: int, sec: int, nsec: int, table: int, packets: int, octets: int,
          idle: int, hard: int) -> str:
    head = (f" cookie={cookie:#x}, duration={format_duration(sec, nsec)}, table={table}, "
            f"n_packets={packets}, n_bytes={octets}, ")
    if idle:
        head += f"idle_timeout={idle}, "
    if hard:
        head += f"hard_timeout={hard}, "
    return head


def _entry13(buf: bytes, off: int, end: int) -> str | None:
    (length, table, sec, nsec, priority, idle, hard, flags, cookie, packets, octets,
     match_type, match_length) = _ENTRY13.unpack_from(buf, off)
    stop = off + length
    program = off + 48 + (match_length + 7) // 8 * 8
    if match_type != _OXM_MATCH or stop > end or match_length < 4 or program > stop:
        return None
    match = _match_text(buf, off + 48 + 4, off + 48 + match_length)
    if match is None:
        return None
    head = _head(cookie, sec, nsec, table, packets, octets, idle, hard)
    if flags:
        head += _flags(flags)
    return _line(head, priority, match, _program_text(buf, program, stop, 4))


def _entry10(buf: bytes, off: int, end: int) -> str | None:
    (length, table, sec, nsec, priority, idle, hard, match_length, idle_age, hard_age,
     cookie, packets, octets) = _ENTRY10.unpack_from(buf, off)
    stop = off + length
    program = off + 48 + (match_length + 7) // 8 * 8
    if stop > end or program > stop:
        return None
    match = _match_text(buf, off + 48, off + 48 + match_length)
    if match is None:
        return None
    head = _head(cookie, sec, nsec, table, packets, octets, idle, hard)
    if idle_age:
        head += f"idle_age={idle_age - 1}, "
    if hard_age and hard_age - 1 != sec:
        head += f"hard_age={hard_age - 1}, "
    return _line(head, priority, match, _program_text(buf, program, stop, 1))


def _general(frame: bytes) -> list[str]:
    parsed = parse_message(frame)
    if parsed is None:
        raise ValueError(f"a truncated flow statistics reply ({len(frame)} bytes)")
    return [format_flow(entry) for entry in parsed[0].stats]


def flow_stats_lines(frame: bytes) -> list[str]:
    """The ``dump-flows`` lines (``format_flow`` of each entry) of one flow
    statistics reply given as bytes (OpenFlow 1.3 OFPMP_FLOW, 1.0 OFPST_FLOW or
    NXST_FLOW).  Raises ``ParseError`` or ``ValueError`` as the general path does
    for malformed input."""
    end = frame[2] << 8 | frame[3] if len(frame) >= 4 else -1
    if end != len(frame) or end < 16:
        return _general(frame)
    if frame[0] == 4 and frame[1] == 19 and (frame[8] << 8 | frame[9]) == _OFPMP_FLOW:
        off, entry, kind, shortest = 16, _entry13, v13.ofp_flow_stats, 56
    elif frame[0] == 1 and frame[1] == 17 and end >= 24 and \
            _NXST_FLOW_HEAD.unpack_from(frame, 8)[::3] == (0xFFFF, 0) and \
            _NXST_FLOW_HEAD.unpack_from(frame, 8)[2] == 0x2320:  # NXST_FLOW
        off, entry, kind, shortest = 24, _entry10, messages10.nx_flow_stats, 48
    else:
        return _general(frame)
    lines: list[str] = []
    add = lines.append
    try:
        while off < end:
            length = frame[off] << 8 | frame[off + 1] if off + 2 <= end else 0
            if length < shortest or off + length > end:
                return _general(frame)
            line = entry(frame, off, end)
            if line is None:  # this entry takes the general path
                line = format_flow(kind.create(frame[off:off + length]))
            add(line)
            off += length
    except Exception:  # anything odd: the general path decides (and names the error)
        return _general(frame)
    return lines
