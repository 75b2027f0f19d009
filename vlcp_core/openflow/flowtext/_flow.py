"""Whole flows in ``ovs-ofctl`` syntax: text <-> FLOW_MOD, flow statistics <-> text.

``parse_flow(text, version, command)`` gives the message Open vSwitch 3.1 sends for
the flow (``ovs-ofctl add-flow``, ``mod-flows``, ``del-flows``, with ``--strict``
for the strict commands):

- OpenFlow 1.3: OFPT_FLOW_MOD.  ``table=`` defaults to 0 for add/modify and to
  OFPTT_ALL (255) for deletes; ``cookie=V`` sets the cookie of an add, ``cookie=V/M``
  selects flows for modify/delete (``cookie``/``cookie_mask``).
- OpenFlow 1.0: OFPT_FLOW_MOD when the match fits the 40-byte ``ofp_match``, else
  NXT_FLOW_MOD with an NXM match (the Nicira actions travel as vendor actions in
  both).  ``table=N`` is the high byte of ``command`` (the switch must have
  NXT_FLOW_MOD_TABLE_ID enabled: ``flow_preamble`` lists what to send first).  A
  cookie mask needs NXM (it is the NXM_NX_COOKIE field, after the match); the
  ``cookie`` field carries the new cookie (all ones: keep it, for a modify that
  only selects by cookie).

Keywords that are not match fields (which ones each command takes, as in
``ovs-ofctl``): ``table``, ``priority`` (not for non-strict delete),
``cookie``, ``idle_timeout``/``hard_timeout`` and the flags ``send_flow_rem``,
``check_overlap``, ``reset_counts``, ``no_packet_counts``, ``no_byte_counts`` (add
and modify; the last three need 1.3), ``importance`` (add; OpenFlow 1.4, so
ignored in 1.0 and 1.3 as Open vSwitch does), ``out_port``/``out_group``
(deletes; ``out_group`` needs 1.3), ``actions`` (add and modify).  ``duration``,
``n_packets``, ``n_bytes``, ``idle_age`` and ``hard_age`` are ignored so that
``dump-flows`` output pastes back in.

``format_flow(obj)`` prints a flow statistics entry exactly as ``ovs-ofctl
--no-names dump-flows`` prints it (leading space included), and a flow mod as
flow text that ``parse_flow`` and ``ovs-ofctl`` read back into the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vlcp_core.namedstruct import Struct

from .. import v10, v13
from .._oxm import ofp_oxm
from ..nicira import messages10
from ._actions import parse_actions
from ._actions_base import port16, port_of
from ._actions_format import format_actions
from ._errors import FlowSyntaxError
from ._lexer import Piece, split_flow, split_top
from ._match import MatchSpec, build_match, format_match, parse_match

__all__ = ["COMMANDS", "FlowText", "flow_preamble", "format_duration", "format_flow",
           "parse_actions_text",
           "parse_flow", "parse_match_request"]

#: Flow-mod commands by name, as ``ovs-ofctl`` calls them (``--strict`` variants).
COMMANDS = {"add": 0, "modify": 1, "modify_strict": 2, "delete": 3, "delete_strict": 4}
_ADD, _MODIFY, _MODIFY_STRICT, _DELETE, _DELETE_STRICT = range(5)

#: Flow-mod flags: name -> (bit, versions that have it), in Open vSwitch's print order.
FLAGS: dict[str, tuple[int, tuple[int, ...]]] = {
    "send_flow_rem": (1 << 0, (1, 4)), "check_overlap": (1 << 1, (1, 4)),
    "reset_counts": (1 << 2, (4,)), "no_packet_counts": (1 << 3, (4,)),
    "no_byte_counts": (1 << 4, (4,)),
}
#: Keywords of ``dump-flows`` output that are ignored on input.
IGNORED = ("duration", "n_packets", "n_bytes", "idle_age", "hard_age")
_ALL64 = (1 << 64) - 1
_NXM_COOKIE = 30  # NXM_NX_COOKIE: class 0x0001, field 30 (no name in the field table)
_PORT_NAMES = {0xFFF8: "IN_PORT", 0xFFF9: "TABLE", 0xFFFA: "NORMAL", 0xFFFB: "FLOOD",
               0xFFFC: "ALL", 0xFFFD: "CONTROLLER", 0xFFFE: "LOCAL", 0xFFFF: "NONE"}

# Which keywords each command accepts (ovs-ofctl's parse_ofp_str): -1 is a flow
# statistics request (dump-flows).
_TAKES: dict[int, frozenset[str]] = {
    _ADD: frozenset({"table", "cookie", "priority", "timeout", "flags", "importance",
                     "actions"}),
    _MODIFY: frozenset({"table", "cookie", "priority", "timeout", "flags", "actions"}),
    _MODIFY_STRICT: frozenset({"table", "cookie", "priority", "timeout", "flags",
                               "actions"}),
    _DELETE: frozenset({"table", "cookie", "out_port"}),
    _DELETE_STRICT: frozenset({"table", "cookie", "priority", "out_port"}),
    -1: frozenset({"table", "cookie", "out_port"}),
}
_KIND = {"table": "table", "cookie": "cookie", "priority": "priority",
         "idle_timeout": "timeout", "hard_timeout": "timeout", "importance": "importance",
         "out_port": "out_port", "out_group": "out_port",
         **{name: "flags" for name in FLAGS}}


@dataclass
class FlowText:
    """The non-match keywords of a flow, read by ``read_keywords``; ``match`` holds
    the remaining pieces (match fields)."""

    version: int
    command: int
    table: int | None = None
    priority: int = 0x8000
    cookie: int | None = None  # the new cookie (``cookie=V``)
    match_cookie: tuple[int, int] | None = None  # ``cookie=V/M``
    idle_timeout: int = 0
    hard_timeout: int = 0
    flags: int = 0
    out_port: int | None = None
    out_group: int | None = None
    actions: Piece | None = None
    match: list[Piece] = field(default_factory=list)


def _fail(message: str, piece: Piece, hint: str = "", *, at_value: bool = False) -> FlowSyntaxError:
    column = piece.value_column if at_value else piece.column
    token = (piece.value or "") if at_value else piece.key
    return FlowSyntaxError(message, column=column, token=token, hint=hint)


def number(piece: Piece, bits: int, *, signed_all: bool = False) -> int:
    """The value of ``key=N`` (decimal or ``0x``; ``-1`` is all ones when *signed_all*)."""
    text = (piece.value or "").strip()
    if piece.value is None or not text:
        raise _fail(f"{piece.key} needs a value ({piece.key}=N)", piece)
    if signed_all and text == "-1":
        return (1 << bits) - 1
    if len(text) > 1 and text[0] == "0" and text[1] not in "xX":
        raise _fail(f"{piece.key}={text}: a leading zero is octal for ovs-ofctl; write the "
                    "number in decimal or with 0x", piece, at_value=True)
    try:
        value = int(text, 0)
    except ValueError:
        raise _fail(f'bad number "{text}" for {piece.key}', piece, at_value=True) from None
    if not 0 <= value < 1 << bits:
        raise _fail(f"{piece.key}={text} is out of range (0 to {(1 << bits) - 1})", piece,
                    at_value=True)
    return value


def _port(piece: Piece, version: int) -> int:
    return port_of(port16(piece.value, piece.key, piece.value_column), version)


def read_keywords(pieces: list[Piece], version: int, command: int,
                  actions: Piece | None = None) -> FlowText:
    """Split *pieces* into the flow keywords (checked against what *command* takes,
    -1 for a statistics request) and the match pieces."""
    flow = FlowText(version, command, actions=actions)
    takes = _TAKES[command]
    what = "a statistics request" if command < 0 else \
        f"{[k for k, v in COMMANDS.items() if v == command][0]} commands"
    for p in pieces:
        key = p.key.lower()
        if key in IGNORED:
            continue
        kind = _KIND.get(key)
        if kind is None:
            flow.match.append(p)
            continue
        if kind not in takes:
            hint = "to select flows by cookie, give a mask: cookie=V/M" if kind == "cookie" \
                else ""
            raise _fail(f"{key} is not allowed in {what}", p, hint)
        if kind == "flags":
            bit, versions = FLAGS[key]
            if p.value is not None:
                raise _fail(f"{key} is a flag and takes no value", p)
            if version not in versions:
                raise _fail(f"{key} needs OpenFlow 1.3 (Open vSwitch cannot send it in 1.0)",
                            p)
            flow.flags |= bit
        elif key == "table":
            flow.table = number(p, 8)
            if flow.table == 255 and command in (_ADD, _MODIFY, _MODIFY_STRICT):
                raise _fail("table=255 means all tables; a flow goes into one table (0-254)",
                            p, at_value=True)
        elif key == "priority":
            flow.priority = number(p, 16)
        elif key == "idle_timeout":
            flow.idle_timeout = number(p, 16)
        elif key == "hard_timeout":
            flow.hard_timeout = number(p, 16)
        elif key == "importance":
            number(p, 16)  # OpenFlow 1.4: Open vSwitch drops it in 1.0 and 1.3
        elif key == "out_port":
            flow.out_port = _port(p, version)
        elif key == "out_group":
            if version != 4:
                raise _fail("out_group needs OpenFlow 1.3", p)
            flow.out_group = number(p, 32)
        else:
            _cookie(flow, p, command)
    if actions is not None and "actions" not in takes:
        raise _fail(f"actions are not allowed in {what}", actions,
                    "out_port= selects flows by output port" if command >= 0 else "")
    if actions is None and "actions" in takes:
        raise FlowSyntaxError("missing actions= (actions=drop for none)",
                              column=_end(pieces), token="")
    return flow


def _end(pieces: list[Piece]) -> int:
    if not pieces:
        return 1
    last = pieces[-1]
    return last.value_column + len(last.value or "") if last.value is not None \
        else last.column + len(last.key)


def _cookie(flow: FlowText, p: Piece, command: int) -> None:
    text = p.value or ""
    if "/" in text:
        if command == _ADD:
            raise _fail("flow additions cannot use a cookie mask", p, at_value=True)
        value, _, mask = text.partition("/")
        v = number(Piece(p.key, value, p.column, p.value_column), 64, signed_all=True)
        m = number(Piece(p.key, mask, p.column, p.value_column + len(value) + 1), 64,
                   signed_all=True)
        flow.match_cookie = (v, m)
        return
    if command not in (_ADD, _MODIFY, _MODIFY_STRICT):
        raise _fail("cannot set the cookie of a flow here", p,
                    f"to match on a cookie, give a mask, e.g. cookie={text}/-1")
    if flow.version == 4 and command != _ADD:
        raise _fail("OpenFlow 1.3 cannot change a cookie with modify (Open vSwitch would "
                    "silently drop it)", p, "use cookie=V/M to select flows, or OpenFlow 1.0")
    flow.cookie = number(p, 64, signed_all=True)


def _command(command: str | int) -> int:
    if isinstance(command, int):
        if command in COMMANDS.values():
            return command
    elif command.lower() in COMMANDS:
        return COMMANDS[command.lower()]
    raise ValueError(f"unknown flow command {command!r} (one of {', '.join(COMMANDS)})")


def _version(version: int) -> int:
    if version not in (1, 4):
        raise ValueError(f"OpenFlow wire version {version} is not supported (use 1 or 4)")
    return version


# -- matches -------------------------------------------------------------------------

def _match(flow: FlowText, spec: MatchSpec, *, force_nxm: bool = False) -> tuple[Any, bool]:
    """The match of *flow* for its version: ``(ofp_match, False)`` or, in 1.0 when NXM
    is needed (or *force_nxm*), ``(TLV list, True)`` with the cookie TLV appended."""
    nxm_wanted = force_nxm or flow.match_cookie is not None
    match, nxm = build_match(spec, flow.version, nxm=nxm_wanted)
    if flow.version == 4 or not nxm:
        return match, False
    tlvs = list(match)
    if flow.match_cookie is not None:
        value, mask = flow.match_cookie
        tail = value.to_bytes(8, "big") + (b"" if mask == _ALL64 else mask.to_bytes(8, "big"))
        tlvs.append(ofp_oxm(oxm_class=1, oxm_field=_NXM_COOKIE,
                            oxm_hasmask=int(mask != _ALL64), _tail=tail))
    return tlvs, True


def _match_hints(spec: MatchSpec) -> dict[str, Any]:
    """What the actions parser needs to know of the match: does it require a VLAN
    tag, and its ``nw_proto``."""
    vlan = False
    for name, value, mask in spec.fields:
        if name in ("vlan_tci", "vlan_vid"):
            m = 0xFFFF if mask is None else int(mask)
            vlan = bool(m & 0x1000 and int(value) & 0x1000)
    proto = spec.get("nw_proto")
    return {"vlan": vlan, "ip_proto": None if proto is None else int(proto[1])}


def _split_cookie(tlvs: list[Struct]) -> tuple[list[Struct], tuple[int, int] | None]:
    """An NXM list without its NXM_NX_COOKIE TLV, and that cookie (value, mask)."""
    rest: list[Struct] = []
    found: tuple[int, int] | None = None
    for tlv in tlvs:
        if type(tlv) is ofp_oxm and tlv.oxm_class == 1 and tlv.oxm_field == _NXM_COOKIE:
            data = bytes(tlv)[4:]
            mask = int.from_bytes(data[8:16], "big") if tlv.oxm_hasmask else _ALL64
            found = (int.from_bytes(data[:8], "big"), mask)
        else:
            rest.append(tlv)
    return rest, found


# -- parsing ---------------------------------------------------------------------------

def parse_flow(text: str, version: int = 4, command: str | int = "add") -> Struct:
    """The FLOW_MOD Open vSwitch sends for flow *text* in *version* (1 or 4).

    *command*: ``add``, ``modify``, ``modify_strict``, ``delete``, ``delete_strict``
    (``ovs-ofctl add-flow``, ``mod-flows``, ``mod-flows --strict``...).  Returns a
    ``v13.ofp_flow_mod``, a ``v10.ofp_flow_mod`` or a ``nicira.messages10.nxt_flow_mod``
    (xid 0); ``bytes()`` gives the wire form.

    Raises:
        FlowSyntaxError: with the column of the piece at fault.

    Example: ``parse_flow("priority=100,ip,nw_dst=10.0.0.0/24,actions=output:2")``.
    """
    v, cmd = _version(version), _command(command)
    pieces, actions_piece = split_flow(text)
    flow = read_keywords(pieces, v, cmd, actions_piece)
    spec = parse_match(flow.match, v)
    program: list[Struct] = []
    force_nxm = False
    if flow.actions is not None:
        parsed = parse_actions(flow.actions.value or "", flow.actions.value_column, v,
                               **_match_hints(spec))
        program = list(parsed.items)
        force_nxm = v == 1 and parsed.needs_nxm
    match, nxm = _match(flow, spec, force_nxm=force_nxm)
    if v == 4:
        table = flow.table if flow.table is not None else (
            0xFF if cmd in (_DELETE, _DELETE_STRICT) else 0)
        cookie, mask = flow.match_cookie or (flow.cookie or 0, 0)
        return v13.ofp_flow_mod(
            cookie=cookie, cookie_mask=mask, table_id=table, command=cmd,
            idle_timeout=flow.idle_timeout, hard_timeout=flow.hard_timeout,
            priority=flow.priority,
            out_port=0xFFFFFFFF if flow.out_port is None else flow.out_port,
            out_group=0xFFFFFFFF if flow.out_group is None else flow.out_group,
            flags=flow.flags, match=match, instructions=program)
    table = flow.table if flow.table is not None and flow.table != 0xFF else 0
    if flow.cookie is not None:
        cookie = flow.cookie
    elif flow.match_cookie is not None and cmd in (_MODIFY, _MODIFY_STRICT):
        cookie = _ALL64  # keep the cookies of the flows selected by cookie
    else:
        cookie = 0
    out_port = 0xFFFF if flow.out_port is None else flow.out_port
    if nxm:
        return messages10.nxt_flow_mod(
            cookie=cookie, table_id=table, command=cmd, idle_timeout=flow.idle_timeout,
            hard_timeout=flow.hard_timeout, priority=flow.priority, out_port=out_port,
            flags=flow.flags, match=match, actions=program)
    return v10.ofp_flow_mod(
        match=match, cookie=cookie, command=cmd | table << 8,
        idle_timeout=flow.idle_timeout, hard_timeout=flow.hard_timeout,
        priority=flow.priority, out_port=out_port, flags=flow.flags, actions=program)


def flow_preamble(message: Struct) -> list[Struct]:
    """What Open vSwitch sends before *message* in OpenFlow 1.0, once per session:
    NXT_SET_FLOW_FORMAT (NXM) before an NXT_FLOW_MOD or NXST_FLOW request, and
    NXT_FLOW_MOD_TABLE_ID before a flow mod that names a table.  Empty for 1.3."""
    out: list[Struct] = []
    name = type(message).__name__
    if getattr(message, "version", 4) != 1:
        return out
    if name in ("nxt_flow_mod", "nxst_flow_request"):
        out.append(messages10.nxt_set_flow_format())
    if (name == "ofp_flow_mod" and message.command >> 8) or \
            (name == "nxt_flow_mod" and message.table_id):
        out.append(messages10.nxt_flow_mod_table_id(set=1))
    return out


def parse_match_request(text: str, version: int = 4, *, nxm: bool | None = None) -> Struct:
    """The flow statistics request ``ovs-ofctl dump-flows SWITCH TEXT`` sends.

    *text* is a match with ``table=``, ``cookie=V/M``, ``out_port=`` and (1.3)
    ``out_group=``.  OpenFlow 1.3: an OFPMP_FLOW request.  OpenFlow 1.0: an NXST_FLOW
    request, as ``ovs-ofctl`` always sends (it then gets ``idle_age``); with
    ``nxm=False`` an OFPST_FLOW request, if the match fits the 1.0 ``ofp_match``
    (the reply then has no ages)."""
    v = _version(version)
    flow = read_keywords(split_top(text), v, -1)
    spec = parse_match(flow.match, v)
    if v == 4:
        match, _ = _match(flow, spec)
        cookie, mask = flow.match_cookie or (0, 0)
        return v13.ofp_flow_stats_request(
            table_id=0xFF if flow.table is None else flow.table,
            out_port=0xFFFFFFFF if flow.out_port is None else flow.out_port,
            out_group=0xFFFFFFFF if flow.out_group is None else flow.out_group,
            cookie=cookie, cookie_mask=mask, match=match)
    table = 0xFF if flow.table is None else flow.table
    out_port = 0xFFFF if flow.out_port is None else flow.out_port
    match, is_nxm = _match(flow, spec, force_nxm=nxm is not False)
    if is_nxm:
        if nxm is False:
            raise FlowSyntaxError("this match needs NXM (an NXST_FLOW request); "
                                  "drop nxm=False", column=1, token=text)
        return messages10.nxst_flow_request(out_port=out_port, table_id=table, match=match)
    return v10.ofp_flow_stats_request(match=match, table_id=table, out_port=out_port)


def parse_actions_text(text: str, version: int = 4) -> list[Struct]:
    """The actions of *text* (``ovs-ofctl packet-out`` syntax: actions only, no
    instructions) as the version's action structs."""
    v = _version(version)
    parsed = parse_actions(text, 1, v)
    if v == 4:
        for inst in parsed.items:
            if type(inst) is not v13.ofp_instruction_apply_actions:
                raise FlowSyntaxError("an action list takes actions, not instructions",
                                      column=1, token=text)
    return list(parsed.actions)


# -- formatting ---------------------------------------------------------------------------

def _port_text(port: int, version: int) -> str:
    short = port & 0xFFFF if version == 4 and port >= 0xFFFFFF00 else port
    return _PORT_NAMES.get(short, str(port)) if short >= 0xFF00 else str(port)


def _flags_text(flags: int, version: int, sep: str) -> list[str]:
    return [name + sep for name, (bit, versions) in FLAGS.items()
            if flags & bit and version in versions]


def format_duration(sec: int, nsec: int) -> str:
    """A duration as Open vSwitch prints it: ``0.026s`` (milliseconds exactly,
    else nanoseconds; no decimals for whole seconds)."""
    if nsec == 0:
        return f"{sec}s"
    if nsec % 1_000_000 == 0:
        return f"{sec}.{nsec // 1_000_000:03d}s"
    return f"{sec}.{nsec:09d}s"


def _match_text(priority: int, match: Any, version: int) -> str:
    text = format_match(match, version)
    if priority != 0x8000:
        text = f"priority={priority}," + text if text else f"priority={priority}"
    return text


def _program(obj: Struct, version: int) -> str:
    items = obj.instructions if version == 4 else obj.actions
    return "actions=" + format_actions(list(items), version)


def _stats_line(obj: Struct, version: int, match: Any, *, ages: bool = False) -> str:
    parts = [f" cookie={obj.cookie:#x}, duration="
             f"{format_duration(obj.duration_sec, obj.duration_nsec)}, "
             f"table={obj.table_id}, n_packets={obj.packet_count}, n_bytes={obj.byte_count}, "]
    if obj.idle_timeout:
        parts.append(f"idle_timeout={obj.idle_timeout}, ")
    if obj.hard_timeout:
        parts.append(f"hard_timeout={obj.hard_timeout}, ")
    parts += _flags_text(getattr(obj, "flags", 0), version, " ")
    if ages:
        if obj.idle_age:
            parts.append(f"idle_age={obj.idle_age - 1}, ")
        if obj.hard_age and obj.hard_age - 1 != obj.duration_sec:
            parts.append(f"hard_age={obj.hard_age - 1}, ")
    text = _match_text(obj.priority, match, version)
    parts.append(text + " " if text else "")
    parts.append(_program(obj, version))
    return "".join(parts)


def _mod_text(obj: Struct, version: int, command: int, table: int | None, match: Any,
              cookie_text: str | None) -> str:
    parts: list[str] = []
    if table is not None:
        parts.append(f"table={table}")
    if cookie_text:
        parts.append(cookie_text)
    if obj.idle_timeout:
        parts.append(f"idle_timeout={obj.idle_timeout}")
    if obj.hard_timeout:
        parts.append(f"hard_timeout={obj.hard_timeout}")
    parts += _flags_text(obj.flags, version, "")
    out_any = 0xFFFFFFFF if version == 4 else 0xFFFF
    if obj.out_port != out_any:
        parts.append(f"out_port={_port_text(obj.out_port, version)}")
    if version == 4 and obj.out_group != 0xFFFFFFFF:
        parts.append(f"out_group={obj.out_group}")
    text = _match_text(obj.priority, match, version)
    if text:
        parts.append(text)
    head = ",".join(parts)
    items = obj.instructions if version == 4 else obj.actions
    if command in (_DELETE, _DELETE_STRICT) and not items:
        return head
    return (head + " " if head else "") + _program(obj, version)


def _cookie_text(new: int | None, selected: tuple[int, int] | None) -> str:
    pieces = []
    if selected is not None:
        value, mask = selected
        pieces.append(f"cookie={value:#x}/{mask:#x}")
    if new is not None:
        pieces.append(f"cookie={new:#x}")
    return ",".join(pieces)


def format_flow(obj: Struct) -> str:
    """*obj* as text: a flow statistics entry (1.3 ``ofp_flow_stats``, 1.0
    ``ofp_flow_stats``, ``nx_flow_stats``) exactly as ``ovs-ofctl --no-names
    dump-flows`` prints it, or a flow mod (``ofp_flow_mod`` of either version,
    ``nxt_flow_mod``) as flow text that ``parse_flow`` (with the message's command)
    turns back into the same bytes."""
    kind = type(obj)
    if kind is v13.ofp_flow_stats:
        return _stats_line(obj, 4, obj.match)
    if kind is v10.ofp_flow_stats:
        return _stats_line(obj, 1, obj.match)
    if kind is messages10.nx_flow_stats:
        return _stats_line(obj, 1, list(obj.match), ages=True)
    if kind is v13.ofp_flow_mod:
        command = int(obj.command)
        default_table = 0xFF if command in (_DELETE, _DELETE_STRICT) else 0
        table = None if obj.table_id == default_table else int(obj.table_id)
        if command == _ADD:
            cookie = _cookie_text(obj.cookie or None, None) if not obj.cookie_mask \
                else f"cookie={obj.cookie:#x}/{obj.cookie_mask:#x}"
        else:
            cookie = _cookie_text(None, (obj.cookie, obj.cookie_mask)
                                  if obj.cookie or obj.cookie_mask else None)
        return _mod_text(obj, 4, command, table, obj.match, cookie)
    if kind is v10.ofp_flow_mod:
        command, table_byte = int(obj.command) & 0xFF, int(obj.command) >> 8
        return _mod_text(obj, 1, command, table_byte or None, obj.match,
                         _cookie_text(obj.cookie or None, None))
    if kind is messages10.nxt_flow_mod:
        command = int(obj.command)
        rest, selected = _split_cookie(list(obj.match))
        new: int | None = obj.cookie or None
        if new == _ALL64 and selected is not None and command in (_MODIFY, _MODIFY_STRICT):
            new = None
        return _mod_text(obj, 1, command, int(obj.table_id) or None, rest,
                         _cookie_text(new, selected))
    raise TypeError(f"format_flow takes a flow mod or flow statistics entry, not "
                    f"{kind.__name__}")
