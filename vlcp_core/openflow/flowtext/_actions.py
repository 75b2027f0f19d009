"""The ``actions=`` part of a flow, in ``ovs-ofctl`` syntax (``ovs-actions(7)``).

``parse_actions(text, column, version)`` gives what Open vSwitch 3.1 sends for the
same text, byte for byte: in OpenFlow 1.3 the INSTRUCTIONS (plain actions in one
apply-actions instruction; ``meter``, ``clear_actions``, ``write_actions(...)``,
``write_metadata``, ``goto_table`` as their own, which must be written in that
order, as Open vSwitch requires), in OpenFlow 1.0 the ACTIONS (OpenFlow 1.0
structs and Nicira ``actions10`` ones).  ``drop`` or nothing means no action.

Open vSwitch's translations (recorded with ``ovs-ofctl add-flows`` and the stub
switch of the tests) are kept: in 1.3 ``mod_dl_src`` is set_field, ``mod_nw_tos``
set_field of ``ip_dscp``, ``enqueue:P:Q`` is ``set_queue:Q,output:P,pop_queue``
(that output with max_len 65535), ``mod_vlan_vid`` pushes a VLAN first when the
packet has none (say ``vlan=True`` when the match requires one), ``set_tunnel``
is set_field of ``tun_id``; in 1.0 ``dec_ttl``, ``write_metadata``, the MPLS and
queue actions are Nicira actions, ``mod_nw_ttl`` and ``mod_nw_ecn`` are loads.
``resubmit:P`` is RESUBMIT_TABLE with table 255 in both.  What one version cannot
express (``goto_table`` in 1.0, ``push_vlan`` in 1.0) raises ``FlowSyntaxError``
naming the version that can.  Nicira actions with their own argument syntax are in
``_actions_nx``; set_field encodings in ``_actions_base``; printing in
``_actions_format``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from vlcp_core.namedstruct import Struct

from .. import v10, v13
from .._oxm import field_named
from ._actions_base import (
    OF10_SET_FIELDS,
    PORT_NAMES,
    Ctx,
    fail,
    field_value,
    number,
    port16,
    port_of,
    set_field_actions,
    subfield,
)
from ._actions_nx import NX_PARSERS
from ._errors import suggest
from ._lexer import Piece, _pieces, split_actions

__all__ = ["ParsedActions", "parse_actions"]


@dataclass
class ParsedActions:
    """The result of ``parse_actions``: ``items`` are OpenFlow 1.3 instructions
    (``version`` 4) or OpenFlow 1.0 actions (``version`` 1)."""

    version: int
    items: list[Struct] = field(default_factory=list)
    # OpenFlow 1.0: Open vSwitch would send this flow as NXT_FLOW_MOD (a set_field
    # the 1.0 match cannot hold, or write_metadata).
    needs_nxm: bool = False

    @property
    def instructions(self) -> list[Struct]:
        """OpenFlow 1.3: the instructions (ValueError in 1.0)."""
        if self.version != 4:
            raise ValueError("OpenFlow 1.0 has no instructions (use .actions)")
        return self.items

    @property
    def actions(self) -> list[Struct]:
        """OpenFlow 1.0: the actions; 1.3: those of the apply-actions instruction."""
        if self.version != 4:
            return self.items
        for inst in self.items:
            if type(inst) is v13.ofp_instruction_apply_actions:
                return list(inst.actions)
        return []

    def __bytes__(self) -> bytes:
        return b"".join(bytes(x) for x in self.items)

    def __iter__(self) -> Iterator[Struct]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


Parser = Callable[[Ctx, Piece], list[Struct]]


def _need(p: Piece) -> str:
    if p.value is None or not p.value.strip():
        raise fail(f"{p.key} needs an argument", p.column, p.key)
    return p.value


def _output13(port: int, max_len: int) -> Struct:
    return v13.ofp_action_output(port=port_of(port, 4), max_len=max_len)


def output(ctx: Ctx, port: int, max_len: int | None = None) -> Struct:
    """OFPAT_OUTPUT to a 16-bit *port*; max_len defaults to 65535 to CONTROLLER."""
    if max_len is None:
        max_len = 0xFFFF if port == PORT_NAMES["controller"] else 0
    if ctx.v13:
        return _output13(port, max_len)
    return v10.ofp_action_output(port=port, max_len=max_len)


def _p_output(ctx: Ctx, p: Piece) -> list[Struct]:
    arg = _need(p).strip()
    if "[" in arg:
        sf = subfield(arg, "output", p.value_column)
        if sf.header > 0xFFFFFFFF:
            return [ctx.nx.nx_action_output_reg2(ofs_nbits=sf.ofs_nbits, src=sf.header)]
        return [ctx.nx.nx_action_output_reg(src=sf)]
    if "=" in arg:  # output(port=P,max_len=N)
        opts = dict(_kv(arg, p))
        if set(opts) - {"port", "max_len"} or "port" not in opts:
            raise fail(f'bad arguments "{arg}" for output (port=P,max_len=N)', p.value_column)
        return [ctx.nx.nx_action_output_trunc(
            port=port16(opts["port"], "output", p.value_column),
            max_len=number(opts.get("max_len", "0"), "max_len", p.value_column))]
    return [output(ctx, port16(arg, "output", p.value_column))]


def _kv(text: str, p: Piece) -> Iterator[tuple[str, str]]:
    for item, _col in _pieces(text, p.value_column, ","):
        key, _, value = item.strip().partition("=")
        yield key.strip(), value.strip()


def _p_controller(ctx: Ctx, p: Piece) -> list[Struct]:
    if p.value is None:
        return [output(ctx, PORT_NAMES["controller"])]
    if p.value.strip().isdigit() or p.value.strip().lower().startswith("0x"):
        return [output(ctx, PORT_NAMES["controller"],
                       number(p.value, "controller max_len", p.value_column, 16))]
    parser = NX_PARSERS["controller("]
    return parser(ctx, p)


def _p_enqueue(ctx: Ctx, p: Piece) -> list[Struct]:
    arg = _need(p).replace(",", ":")
    port_text, _, queue_text = arg.partition(":")
    port = port16(port_text, "enqueue", p.value_column)
    queue = number(queue_text, "enqueue queue", p.value_column)
    if ctx.v13:
        return [v13.ofp_action_set_queue(queue_id=queue), _output13(port, 0xFFFF),
                ctx.nx.nx_action_pop_queue()]
    return [v10.ofp_action_enqueue(port=port, queue_id=queue)]


def _legacy_set(name: str, transform: Callable[[int], int] | None = None) -> Parser:
    def parse(ctx: Ctx, p: Piece) -> list[Struct]:
        real = name
        if name in ("tp_src", "tp_dst"):
            proto = {17: "udp", 132: "sctp"}.get(ctx.ip_proto or 6, "tcp")
            real = proto + name[2:]
        f, value, _ = field_value(real, _need(p), p.key, p.value_column)
        if transform is not None:
            value = transform(value)
            f = field_named(_TARGET[name])[0][0]
        if ctx.v13 and name in ("vlan_vid", "vlan_pcp"):
            out: list[Struct] = []
            if not ctx.vlan:
                out.append(v13.ofp_action_push_vlan(ethertype=0x8100))
                ctx.vlan = True
            if name == "vlan_vid":
                value |= 0x1000
            return out + set_field_actions(ctx, f, value, None)
        if not ctx.v13 and name == "vlan_vid":
            return [v10.ofp_action_vlan_vid(vlan_vid=value)]
        return set_field_actions(ctx, f, value, None)
    return parse


_TARGET = {"nw_tos": "ip_dscp"}


def _p_mod_nw_tos(ctx: Ctx, p: Piece) -> list[Struct]:
    tos = number(_need(p), "mod_nw_tos", p.value_column, 8)
    if tos & 3:
        raise fail(f"mod_nw_tos {tos}: the two low (ECN) bits must be zero", p.value_column)
    if ctx.v13:
        f = field_named("ip_dscp")[0][0]
        return set_field_actions(ctx, f, tos >> 2, None)
    return [v10.ofp_action_nw_tos(nw_tos=tos)]


def _p_mod_vlan_vid(ctx: Ctx, p: Piece) -> list[Struct]:
    vid = number(_need(p), "mod_vlan_vid", p.value_column, 12)
    if not ctx.v13:
        return [v10.ofp_action_vlan_vid(vlan_vid=vid)]
    out: list[Struct] = []
    if not ctx.vlan:
        out.append(v13.ofp_action_push_vlan(ethertype=0x8100))
        ctx.vlan = True
    return out + set_field_actions(ctx, field_named("vlan_vid")[0][0], vid | 0x1000, None)


def _p_mod_vlan_pcp(ctx: Ctx, p: Piece) -> list[Struct]:
    pcp = number(_need(p), "mod_vlan_pcp", p.value_column, 3)
    if not ctx.v13:
        return [v10.ofp_action_vlan_pcp(vlan_pcp=pcp)]
    out: list[Struct] = []
    if not ctx.vlan:
        out.append(v13.ofp_action_push_vlan(ethertype=0x8100))
        ctx.vlan = True
    return out + set_field_actions(ctx, field_named("vlan_pcp")[0][0], pcp, None)


def _p_mod_nw_ttl(ctx: Ctx, p: Piece) -> list[Struct]:
    ttl = number(_need(p), "mod_nw_ttl", p.value_column, 8)
    if ctx.v13:
        return [v13.ofp_action_set_nw_ttl(nw_ttl=ttl)]
    return set_field_actions(ctx, field_named("nw_ttl")[0][0], ttl, None, load=True)


def _p_strip_vlan(ctx: Ctx, p: Piece) -> list[Struct]:
    ctx.vlan = False
    return [v13.ofp_action_pop_vlan() if ctx.v13 else v10.ofp_action_strip_vlan()]


def _p_push_vlan(ctx: Ctx, p: Piece) -> list[Struct]:
    if not ctx.v13:
        raise fail("push_vlan is not an OpenFlow 1.0 action (it is in OpenFlow 1.3; "
                   "mod_vlan_vid adds a tag in 1.0)", p.column, p.key)
    ethertype = number(_need(p), "push_vlan", p.value_column, 16)
    if ethertype not in (0x8100, 0x88A8):
        raise fail(f"push_vlan: ethertype {ethertype:#x} is not 0x8100 or 0x88a8",
                   p.value_column)
    ctx.vlan = True
    return [v13.ofp_action_push_vlan(ethertype=ethertype)]


def _p_mpls(kind: str) -> Parser:
    def parse(ctx: Ctx, p: Piece) -> list[Struct]:
        if kind == "dec_mpls_ttl":
            return [v13.ofp_action_dec_mpls_ttl() if ctx.v13 else ctx.nx.nx_action_dec_mpls_ttl()]
        if kind == "set_mpls_ttl":
            ttl = number(_need(p), kind, p.value_column, 8)
            return [v13.ofp_action_set_mpls_ttl(mpls_ttl=ttl) if ctx.v13
                    else ctx.nx.nx_action_set_mpls_ttl(ttl=ttl)]
        if kind in ("set_mpls_label", "set_mpls_tc"):
            name = kind.removeprefix("set_")
            f, value, _ = field_value(name, _need(p), kind, p.value_column)
            return set_field_actions(ctx, f, value, None)
        ethertype = number(_need(p), kind, p.value_column, 16)
        if kind == "push_mpls":
            return [v13.ofp_action_push_mpls(ethertype=ethertype) if ctx.v13
                    else ctx.nx.nx_action_push_mpls(ethertype=ethertype)]
        return [v13.ofp_action_pop_mpls(ethertype=ethertype) if ctx.v13
                else ctx.nx.nx_action_pop_mpls(ethertype=ethertype)]
    return parse


def _p_dec_ttl(ctx: Ctx, p: Piece) -> list[Struct]:
    if p.value is not None:
        ids = [number(x, "dec_ttl controller id", p.value_column, 16)
               for x in p.value.split(",")]
        return [ctx.nx.nx_action_dec_ttl_cnt_ids(n_controllers=len(ids), cnt_ids=ids)]
    return [v13.ofp_action_dec_nw_ttl() if ctx.v13 else ctx.nx.nx_action_dec_ttl()]


def _p_set_queue(ctx: Ctx, p: Piece) -> list[Struct]:
    queue = number(_need(p), "set_queue", p.value_column)
    return [v13.ofp_action_set_queue(queue_id=queue) if ctx.v13
            else ctx.nx.nx_action_set_queue(queue_id=queue)]


def _p_group(ctx: Ctx, p: Piece) -> list[Struct]:
    if not ctx.v13:
        raise fail("group is not an OpenFlow 1.0 action (it is in OpenFlow 1.3)",
                   p.column, p.key)
    return [v13.ofp_action_group(group_id=number(_need(p), "group", p.value_column))]


def _p_set_field(ctx: Ctx, p: Piece) -> list[Struct]:
    arg = _need(p)
    value, arrow, name = arg.rpartition("->")
    if not arrow:
        raise fail(f'set_field needs VALUE->FIELD, got "{arg}"', p.value_column, arg)
    f, v, m = field_value(name, value, "set_field", p.value_column + len(value) + 2)
    if f.name not in OF10_SET_FIELDS:
        ctx.usable.nxm = True
    return set_field_actions(ctx, f, v, m)


def _p_load(ctx: Ctx, p: Piece) -> list[Struct]:
    arg = _need(p)
    value, arrow, dst = arg.partition("->")
    if not arrow:
        raise fail(f'load needs VALUE->DST, got "{arg}"', p.value_column, arg)
    col = p.value_column + len(value) + 2
    sf = subfield(dst, "load", col)
    v = number(value, "load", p.value_column, 128)
    if v >> sf.n_bits:
        raise fail(f'value {value.strip()} does not fit {sf} ({sf.n_bits} bits) for load',
                   p.value_column, value.strip())
    f = field_named(sf.field)[0][0]
    mask = ((1 << sf.n_bits) - 1) << sf.start
    return set_field_actions(ctx, f, v << sf.start, mask, load=True)


def _p_move(ctx: Ctx, p: Piece) -> list[Struct]:
    arg = _need(p)
    src, arrow, dst = arg.partition("->")
    if not arrow:
        raise fail(f'move needs SRC->DST, got "{arg}"', p.value_column, arg)
    a = subfield(src, "move", p.value_column)
    b = subfield(dst, "move", p.value_column + len(src) + 2)
    if a.n_bits != b.n_bits:
        raise fail(f"move: {a} has {a.n_bits} bits, {b} has {b.n_bits}", p.value_column, arg)
    return [ctx.nx.nx_action_reg_move(src=a, dst=b)]


def _p_set_tunnel(ctx: Ctx, p: Piece) -> list[Struct]:
    value = number(_need(p), p.key, p.value_column, 64)
    if ctx.v13:
        return set_field_actions(ctx, field_named("tun_id")[0][0], value, None)
    if p.key == "set_tunnel" and value <= 0xFFFFFFFF:
        return [ctx.nx.nx_action_set_tunnel(tun_id=value)]
    return [ctx.nx.nx_action_set_tunnel64(tun_id=value)]


def _p_resubmit(ctx: Ctx, p: Piece) -> list[Struct]:
    arg = _need(p)
    parts = [x.strip() for x in arg.split(",")]
    if len(parts) == 1:
        return [ctx.nx.nx_action_resubmit_table(in_port=port16(parts[0], "resubmit",
                                                               p.value_column))]
    if len(parts) > 3 or (len(parts) == 3 and parts[2] != "ct"):
        raise fail(f'bad arguments "{arg}" for resubmit (PORT,TABLE[,ct])', p.value_column)
    port = port16(parts[0], "resubmit", p.value_column) if parts[0] else 0xFFF8
    table = number(parts[1], "resubmit table", p.value_column, 8) if parts[1] else 0xFF
    if port == 0xFFF8 and table == 0xFF:
        raise fail("resubmit needs a port or a table", p.value_column, arg)
    cls = ctx.nx.nx_action_resubmit_table_ct if len(parts) == 3 else \
        ctx.nx.nx_action_resubmit_table
    return [cls(in_port=port, table_id=table)]


def _p_note(ctx: Ctx, p: Piece) -> list[Struct]:
    text = (p.value or "").replace(".", "").replace(" ", "")
    try:
        data = bytes.fromhex(text)
    except ValueError:
        raise fail(f'bad note "{p.value}" (hex bytes like 01.02.03)', p.value_column,
                   p.value or "") from None
    return [ctx.nx.nx_action_note(note=data + bytes(-(len(data) + 10) % 8))]


def _p_write_metadata_nx(ctx: Ctx, p: Piece) -> list[Struct]:
    value, mask = _metadata(p)
    return [ctx.nx.nx_action_write_metadata(metadata=value, mask=mask)]


def _metadata(p: Piece) -> tuple[int, int]:
    value, _, mask = _need(p).partition("/")
    return (number(value, "write_metadata", p.value_column, 64),
            number(mask, "write_metadata mask", p.value_column, 64) if mask else (1 << 64) - 1)


def _p_simple(make13: Callable[[], Struct] | None, nx_name: str) -> Parser:
    def parse(ctx: Ctx, p: Piece) -> list[Struct]:
        if p.value is not None:
            raise fail(f"{p.key} takes no argument", p.value_column, p.value)
        if ctx.v13 and make13 is not None:
            return [make13()]
        made: Struct = getattr(ctx.nx, nx_name)()
        return [made]
    return parse


def _port_action(port: int) -> Parser:
    def parse(ctx: Ctx, p: Piece) -> list[Struct]:
        return [output(ctx, port)]
    return parse


PARSERS: dict[str, Parser] = {
    "output": _p_output, "controller": _p_controller, "enqueue": _p_enqueue,
    "mod_dl_src": _legacy_set("eth_src"), "mod_dl_dst": _legacy_set("eth_dst"),
    "mod_nw_src": _legacy_set("ip_src"), "mod_nw_dst": _legacy_set("ip_dst"),
    "mod_tp_src": _legacy_set("tp_src"), "mod_tp_dst": _legacy_set("tp_dst"),
    "mod_nw_ecn": _legacy_set("nw_ecn"), "mod_nw_tos": _p_mod_nw_tos,
    "mod_nw_ttl": _p_mod_nw_ttl, "mod_vlan_vid": _p_mod_vlan_vid,
    "mod_vlan_pcp": _p_mod_vlan_pcp, "strip_vlan": _p_strip_vlan, "pop_vlan": _p_strip_vlan,
    "push_vlan": _p_push_vlan, "push_mpls": _p_mpls("push_mpls"),
    "pop_mpls": _p_mpls("pop_mpls"), "set_mpls_label": _p_mpls("set_mpls_label"),
    "set_mpls_tc": _p_mpls("set_mpls_tc"), "set_mpls_ttl": _p_mpls("set_mpls_ttl"),
    "dec_mpls_ttl": _p_mpls("dec_mpls_ttl"), "dec_ttl": _p_dec_ttl,
    "set_queue": _p_set_queue, "pop_queue": _p_simple(None, "nx_action_pop_queue"),
    "group": _p_group, "set_field": _p_set_field, "load": _p_load, "move": _p_move,
    "set_tunnel": _p_set_tunnel, "set_tunnel64": _p_set_tunnel, "resubmit": _p_resubmit,
    "note": _p_note, "exit": _p_simple(None, "nx_action_exit"),
    "ct_clear": _p_simple(None, "nx_action_ct_clear"),
}
for _name in ("normal", "flood", "all", "local", "in_port"):
    PARSERS[_name] = _port_action(PORT_NAMES[_name])
_INSTRUCTIONS = ("meter", "apply", "clear_actions", "write_actions", "write_metadata",
                 "goto_table")
KNOWN = sorted({*PARSERS, *(k.rstrip("(") for k in NX_PARSERS), "drop", "meter",
                "clear_actions", "write_actions", "write_metadata", "goto_table"})


def parse_list(text: str, column: int, ctx: Ctx) -> list[Struct]:
    """A plain action list (no instructions), e.g. inside clone() or ct(exec())."""
    out: list[Struct] = []
    for p in split_actions(text, column):
        out += _one(ctx, p)
    return out


def _one(ctx: Ctx, p: Piece) -> list[Struct]:
    key = p.key.lower()
    if p.value is None and (key.isdigit() or key.startswith("0x")):
        return [output(ctx, port16(p.key, "output", p.column))]
    if key == "drop":
        return []
    if key in _INSTRUCTIONS:
        raise fail(f"{key} is an instruction, it cannot be nested here", p.column, p.key)
    parser = PARSERS.get(key) or NX_PARSERS.get(key)
    if parser is None:
        raise fail(f'unknown action "{p.key}"', p.column, p.key, suggest(key, KNOWN))
    return parser(ctx, p)


def parse_actions(text: str, column: int, version: int, *, vlan: bool = False,
                  ip_proto: int | None = None) -> ParsedActions:
    """The ``actions=`` *text* (starting at 1-based *column* of the flow) as Open
    vSwitch sends it in *version* (1: OpenFlow 1.0 actions; 4: OpenFlow 1.3
    instructions).  *vlan*: the flow's match requires a VLAN tag (so 1.3
    ``mod_vlan_vid`` does not push one); *ip_proto*: the match's ``nw_proto`` (1.3
    ``mod_tp_dst`` sets ``udp_dst`` for 17, ``sctp_dst`` for 132, else ``tcp_dst``).

    Raises:
        FlowSyntaxError: with the column of the action or argument at fault.

    Example: ``parse_actions("output:2", 1, 4).items`` is one apply-actions
    instruction holding ``ofp_action_output(port=2)``.
    """
    if version not in (1, 4):
        raise ValueError(f"OpenFlow wire version {version} is not supported (use 1 or 4)")
    ctx = Ctx(version, vlan, parse_list, ip_proto)
    if version == 1:
        out10: list[Struct] = []
        for p in split_actions(text, column):
            key = p.key.lower()
            if key in _INSTRUCTIONS and key != "write_metadata":
                raise fail(f"{key} is not in OpenFlow 1.0 (it is an OpenFlow 1.3 "
                           "instruction)", p.column, p.key)
            if key == "write_metadata":
                ctx.usable.nxm = True
                out10 += _p_write_metadata_nx(ctx, p)
            else:
                out10 += _one(ctx, p)
        return ParsedActions(1, out10, needs_nxm=ctx.usable.nxm)
    return ParsedActions(4, _instructions(ctx, text, column))


def _instructions(ctx: Ctx, text: str, column: int) -> list[Struct]:
    made: dict[str, Struct] = {}
    applied: list[Struct] = []
    rank = 0
    for p in split_actions(text, column):
        key = p.key.lower()
        kind = key if key in _INSTRUCTIONS else "apply"
        if kind == "apply" and key == "drop":
            continue
        here = _INSTRUCTIONS.index(kind)
        if here < rank or (kind != "apply" and kind in made):
            before = _INSTRUCTIONS[rank] if kind != _INSTRUCTIONS[rank] else kind
            what = "actions" if kind == "apply" else kind
            raise fail(f"{what} must come before {before} (Open vSwitch's instruction order: "
                       "meter, actions, clear_actions, write_actions, write_metadata, "
                       "goto_table; each once)", p.column, p.key)
        rank = here
        if kind == "apply":
            applied += _one(ctx, p)
            made.setdefault("apply", v13.ofp_instruction_apply_actions(actions=[]))
        elif kind == "meter":
            made[kind] = v13.ofp_instruction_meter(
                meter_id=number(_need(p), "meter", p.value_column))
        elif kind == "clear_actions":
            made[kind] = v13.ofp_instruction_clear_actions()
        elif kind == "write_actions":
            made[kind] = v13.ofp_instruction_write_actions(
                actions=ctx.actions(p.value or "", p.value_column))
        elif kind == "write_metadata":
            value, mask = _metadata(p)
            made[kind] = v13.ofp_instruction_write_metadata(metadata=value, metadata_mask=mask)
        else:
            made[kind] = v13.ofp_instruction_goto_table(
                table_id=number(_need(p), "goto_table", p.value_column, 8))
    if "apply" in made:
        made["apply"].actions = applied
    return [made[k] for k in _INSTRUCTIONS if k in made]

