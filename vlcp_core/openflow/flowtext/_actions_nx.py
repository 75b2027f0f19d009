"""Nicira actions with an argument syntax of their own (``ovs-actions(7)``):
controller(...), multipath, bundle, bundle_load, learn, sample, conjunction,
ct (with nat and exec), clone, check_pkt_larger, fin_timeout, push/pop.

Encoding choices are Open vSwitch 3.1's: ``controller(...)`` is a plain output to
CONTROLLER when it only sets ``max_len``, NXAST_CONTROLLER with ``reason``/``id``,
and NXAST_CONTROLLER2 (properties max_len, id, reason, userdata, pause, meter_id,
each only when not the default) with ``userdata``, ``pause`` or ``meter_id``;
``learn`` is NXAST_LEARN2 with ``limit`` or ``result_dst``; ``sample`` is
SAMPLE, SAMPLE2 with ``sampling_port``, SAMPLE3 with ``ingress``/``egress``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from vlcp_core.namedstruct import Struct

from .. import v10, v13
from .._format import parse_field
from .._oxm import oxm_class_for
from ..nicira import LearnSpec, Subfield
from ..nicira._actions_nested import (
    nx_controller2_prop_controller_id,
    nx_controller2_prop_max_len,
    nx_controller2_prop_meter_id,
    nx_controller2_prop_pause,
    nx_controller2_prop_reason,
    nx_controller2_prop_userdata,
)
from ._actions_base import PORT_NAMES, Ctx, fail, number, port16, port_of, subfield
from ._lexer import Piece, _pieces

__all__ = ["ALGS", "BD_ALGORITHMS", "HASH_FIELDS", "MP_ALGORITHMS", "NX_PARSERS", "REASONS"]

REASONS = {"no_match": 0, "action": 1, "invalid_ttl": 2, "action_set": 3, "group": 4,
           "packet_out": 5}
HASH_FIELDS = {"eth_src": 0, "symmetric_l4": 1, "symmetric_l3l4": 2, "symmetric_l3l4+udp": 3,
               "nw_src": 4, "nw_dst": 5, "symmetric_l3": 6}
MP_ALGORITHMS = {"modulo_n": 0, "hash_threshold": 1, "hrw": 2, "iter_hash": 3}
BD_ALGORITHMS = {"active_backup": 0, "hrw": 1}
ALGS = {"ftp": 21, "tftp": 69}
_NO_METER = 0xFFFFFFFF


def _args(p: Piece) -> list[tuple[str, str | None, int]]:
    """Top-level comma-separated ``key[=value]`` arguments with their columns."""
    out: list[tuple[str, str | None, int]] = []
    for item, col in _pieces(p.value or "", p.value_column, ","):
        text = item.strip()
        col += len(item) - len(item.lstrip())
        key, eq, value = text.partition("=")
        out.append((key.strip(), value.strip() if eq else None, col))
    return out


def _choice(table: dict[str, int], text: str, what: str, column: int) -> int:
    t = text.strip()
    if t in table:
        return table[t]
    from ._errors import suggest
    raise fail(f'unknown {what} "{t}"', column, t, suggest(t, table))


def _p_controller(ctx: Ctx, p: Piece) -> list[Struct]:
    max_len, cid, reason, meter = 0xFFFF, 0, 1, _NO_METER
    userdata: bytes | None = None
    pause = False
    for key, value, col in _args(p):
        if key == "max_len":
            max_len = number(value, "controller max_len", col, 16)
        elif key == "id":
            cid = number(value, "controller id", col, 16)
        elif key == "reason":
            reason = _choice(REASONS, value or "", "controller reason", col)
        elif key == "userdata":
            try:
                userdata = bytes.fromhex((value or "").replace(".", ""))
            except ValueError:
                raise fail(f'bad userdata "{value}" for controller', col, value or "") from None
        elif key == "pause" and value is None:
            pause = True
        elif key == "meter_id":
            meter = number(value, "controller meter_id", col)
        else:
            raise fail(f'unknown controller option "{key}"', col, key)
    if userdata is None and not pause and meter == _NO_METER:
        if reason == 1 and cid == 0:
            port = port_of(PORT_NAMES["controller"], ctx.version)
            out: Struct = (v13.ofp_action_output if ctx.v13 else v10.ofp_action_output)(
                port=port, max_len=max_len)
            return [out]
        return [ctx.nx.nx_action_controller(max_len=max_len, controller_id=cid, reason=reason)]
    props: list[Struct] = []
    if max_len != 0xFFFF:
        props.append(nx_controller2_prop_max_len(max_len=max_len))
    if cid:
        props.append(nx_controller2_prop_controller_id(controller_id=cid))
    if reason != 1:
        props.append(nx_controller2_prop_reason(reason=reason))
    if userdata is not None:
        props.append(nx_controller2_prop_userdata(userdata=userdata))
    if pause:
        props.append(nx_controller2_prop_pause())
    if meter != _NO_METER:
        props.append(nx_controller2_prop_meter_id(meter_id=meter))
    return [ctx.nx.nx_action_controller2(properties=props)]


def _p_multipath(ctx: Ctx, p: Piece) -> list[Struct]:
    args = _args(p)
    if len(args) != 6:
        raise fail("multipath needs 6 arguments (FIELDS,BASIS,ALGORITHM,N_LINKS,ARG,DST)",
                   p.value_column, p.value or "")
    (f, _, c0), (basis, _, c1), (alg, _, c2), (links, _, c3), (arg, _, c4), (dst, _, c5) = args
    n_links = number(links, "multipath n_links", c3, 16)
    if not 1 <= n_links <= 65536:
        raise fail("multipath n_links must be at least 1", c3, links)
    sf = subfield(dst, "multipath", c5)
    return [ctx.nx.nx_action_multipath(
        fields=_choice(HASH_FIELDS, f, "hash fields", c0), basis=number(basis, "basis", c1, 16),
        algorithm=_choice(MP_ALGORITHMS, alg, "multipath algorithm", c2),
        max_link=n_links - 1, arg=number(arg, "multipath arg", c4), dst=sf)]


def _p_bundle(ctx: Ctx, p: Piece) -> list[Struct]:
    load = p.key.lower() == "bundle_load"
    args = _args(p)
    head = 5 if load else 4
    if len(args) < head + 1:
        raise fail(f"{p.key} needs FIELDS,BASIS,ALGORITHM,ofport,{'DST,' if load else ''}"
                   "members:PORT...", p.value_column, p.value or "")
    (f, _, c0), (basis, _, c1), (alg, _, c2), (kind, _, c3) = args[:4]
    if kind != "ofport":
        raise fail(f'{p.key}: member type "{kind}" (only ofport)', c3, kind)
    first, _, cm = args[head]
    label, colon, port = first.partition(":")
    if not colon or label not in ("members", "slaves"):
        raise fail(f"{p.key}: expected members:PORT,...", cm, first)
    ports = [port16(port, p.key, cm)] + [port16(k, p.key, c) for k, _, c in args[head + 1:]]
    common = {"fields": _choice(HASH_FIELDS, f, "hash fields", c0),
              "basis": number(basis, "basis", c1, 16),
              "algorithm": _choice(BD_ALGORITHMS, alg, "bundle algorithm", c2),
              "n_members": len(ports), "members": ports}
    if load:
        return [ctx.nx.nx_action_bundle_load(dst=subfield(args[4][0], p.key, args[4][2]),
                                             **common)]
    return [ctx.nx.nx_action_bundle(**common)]


_LEARN_NUMBERS = {"table": ("table_id", 8), "idle_timeout": ("idle_timeout", 16),
                  "hard_timeout": ("hard_timeout", 16),
                  "fin_idle_timeout": ("fin_idle_timeout", 16),
                  "fin_hard_timeout": ("fin_hard_timeout", 16),
                  "priority": ("priority", 16), "cookie": ("cookie", 64), "limit": ("limit", 32)}


def _whole(name: str, column: int) -> Subfield:
    return subfield(name if "[" in name else name + "[]", "learn", column)


def _learn_spec(text: str, col: int) -> LearnSpec:
    try:
        if text.startswith("load:"):
            src, arrow, dst = text[5:].partition("->")
            if not arrow:
                raise ValueError("expected load:SRC->DST")
            d = _whole(dst, col)
            s: Subfield | int = _whole(src, col) if not src.strip()[:1].isdigit() else \
                number(src, "learn load", col, 128)
            return LearnSpec("load", s, d)
        if text.startswith("output:"):
            return LearnSpec("output", _whole(text[7:], col))
        dst_text, eq, src_text = text.partition("=")
        d = _whole(dst_text, col)
        if not eq:
            return LearnSpec("match", d, d)
        if "[" in src_text:
            return LearnSpec("match", _whole(src_text, col), d)
        if "[" in dst_text:
            return LearnSpec("match", number(src_text, "learn match", col, 128), d)
        found = oxm_class_for(dst_text.strip())
        assert found is not None
        value, _ = parse_field(found[0], src_text.strip())
        v = value if isinstance(value, int) else int.from_bytes(value, "big")
        return LearnSpec("match", v, d)
    except ValueError as e:
        raise fail(f'bad learn spec "{text}": {e}', col, text) from None


def _p_learn(ctx: Ctx, p: Piece) -> list[Struct]:
    fields: dict[str, int] = {}
    flags = 0
    result: Subfield | None = None
    specs: list[LearnSpec] = []
    for item, col in _pieces(p.value or "", p.value_column, ","):
        text = item.strip()
        col += len(item) - len(item.lstrip())
        key, eq, value = text.partition("=")
        if eq and key in _LEARN_NUMBERS:
            attr, bits = _LEARN_NUMBERS[key]
            fields[attr] = number(value, f"learn {key}", col, bits)
        elif text == "send_flow_rem":
            flags |= 1
        elif text == "delete_learned":
            flags |= 2
        elif key == "result_dst" and eq:
            result = subfield(value, "learn result_dst", col)
            if result.n_bits != 1:
                raise fail("learn result_dst must be one bit", col, value)
            flags |= 4
        else:
            specs.append(_learn_spec(text, col))
    if result is not None or "limit" in fields:
        extra: dict[str, object] = {}
        if result is not None:
            extra = {"result_dst": result.header, "result_dst_ofs": result.start}
        return [ctx.nx.nx_action_learn2(flags=flags, specs=specs, **fields, **extra)]
    return [ctx.nx.nx_action_learn(flags=flags, specs=specs, **fields)]


def _p_sample(ctx: Ctx, p: Piece) -> list[Struct]:
    values = {"probability": 0, "collector_set_id": 0, "obs_domain_id": 0, "obs_point_id": 0}
    port: int | None = None
    direction = 0
    for key, value, col in _args(p):
        if key in values:
            values[key] = number(value, f"sample {key}", col, 16 if key == "probability" else 32)
        elif key == "sampling_port":
            port = port16(value, "sample sampling_port", col)
        elif key in ("ingress", "egress") and value is None:
            direction = 1 if key == "ingress" else 2
        else:
            raise fail(f'unknown sample option "{key}"', col, key)
    if values["probability"] == 0:
        raise fail("sample needs probability=1..65535", p.column, p.key)
    if direction:
        return [ctx.nx.nx_action_sample3(sampling_port=0xFFFF if port is None else port,
                                         direction=direction, **values)]
    if port is not None:
        return [ctx.nx.nx_action_sample2(sampling_port=port, **values)]
    return [ctx.nx.nx_action_sample(**values)]


def _p_conjunction(ctx: Ctx, p: Piece) -> list[Struct]:
    ident, _, clause = (p.value or "").partition(",")
    k, slash, n = clause.partition("/")
    if not slash:
        raise fail(f'conjunction needs (ID,K/N), got "{p.value}"', p.value_column, p.value or "")
    kk, nn = number(k, "conjunction clause", p.value_column, 8), \
        number(n, "conjunction clauses", p.value_column, 8)
    if not 1 <= kk <= nn or not 2 <= nn <= 64:
        raise fail(f"conjunction clause {kk}/{nn}: need 1 <= K <= N and 2 <= N <= 64",
                   p.value_column, clause)
    return [ctx.nx.nx_action_conjunction(id=number(ident, "conjunction id", p.value_column),
                                         clause=kk - 1, n_clauses=nn)]


def _addr(text: str, col: int) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    try:
        return ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        raise fail(f'bad address "{text}" for nat', col, text) from None


def _p_nat(ctx: Ctx, text: str | None, col: int) -> Struct:
    flags = present = 0
    ranges: dict[str, object] = {}
    for item, c in _pieces(text or "", col, ","):
        t = item.strip()
        kind, eq, spec = t.partition("=")
        if kind in ("src", "dst"):
            flags |= 1 if kind == "src" else 2
            if not eq:
                continue
            if spec.startswith("["):
                close = spec.index("]-[") + 1 if "]-[" in spec else spec.index("]") + 1
                addrs = spec[:close]
                rest = spec[close:]
                if rest.startswith("-["):
                    end = rest.index("]") + 1
                    addrs += rest[:end]
                    rest = rest[end:]
                ports = rest[1:] if rest.startswith(":") else ""
                a_min, _, a_max = addrs.partition("-")
            elif spec.count(":") > 1:
                (a_min, _, a_max), ports = spec.partition("-"), ""
            else:
                addrs, _, ports = spec.partition(":")
                a_min, _, a_max = addrs.partition("-")
            lo = _addr(a_min, c)
            six = lo.version == 6
            ranges["ipv6_min" if six else "ipv4_min"] = str(lo)
            present |= 4 if six else 1
            if a_max:
                ranges["ipv6_max" if six else "ipv4_max"] = str(_addr(a_max, c))
                present |= 8 if six else 2
            if ports:
                p_min, _, p_max = ports.partition("-")
                ranges["proto_min"] = number(p_min, "nat port", c, 16)
                present |= 16
                if p_max:
                    ranges["proto_max"] = number(p_max, "nat port", c, 16)
                    present |= 32
        elif t in ("persistent", "hash", "random"):
            flags |= {"persistent": 4, "hash": 8, "random": 16}[t]
        else:
            raise fail(f'unknown nat option "{t}"', c, t)
    made: Struct = ctx.nx.nx_action_nat(flags=flags, range_present=present, **ranges)
    return made


def _p_ct(ctx: Ctx, p: Piece) -> list[Struct]:
    flags, table, alg = 0, 0xFF, 0
    zone: int | Subfield = 0
    nested: list[Struct] = []
    for item, col in _pieces(p.value or "", p.value_column, ","):
        t = item.strip()
        col += len(item) - len(item.lstrip())
        key, eq, value = t.partition("=")
        if t in ("commit", "force"):
            flags |= 1 if t == "commit" else 2
        elif key == "zone" and eq:
            if "[" in value:
                zone = subfield(value, "ct zone", col + 5)
                if zone.n_bits != 16:
                    raise fail(f"ct zone {zone} must be 16 bits", col + 5, value)
            elif value.isdigit() or value.lower().startswith("0x"):
                zone = number(value, "ct zone", col + 5, 16)
            else:
                raise fail(f'bad zone "{value}" for ct (a number or a 16-bit subfield)',
                           col + 5, value)
        elif key == "table" and eq:
            table = number(value, "ct table", col + 6, 8)
        elif key == "alg" and eq:
            alg = ALGS[value] if value in ALGS else number(value, "ct alg", col + 4, 16)
        elif t == "nat" or t.startswith("nat("):
            nested.append(_p_nat(ctx, t[4:-1] if t.startswith("nat(") else None, col + 4))
        elif t.startswith("exec(") and t.endswith(")"):
            nested += ctx.actions(t[5:-1], col + 5)
        else:
            raise fail(f'unknown ct option "{t}"', col, t)
    return [ctx.nx.nx_action_ct(flags=flags, zone=zone, recirc_table=table, alg=alg,
                                actions=nested)]


def _p_clone(ctx: Ctx, p: Piece) -> list[Struct]:
    ctx.usable.nxm = False  # OVS 3.1 restarts its protocol choice at clone (see Usable)
    return [ctx.nx.nx_action_clone(actions=ctx.actions(p.value or "", p.value_column))]


def _p_check_pkt_larger(ctx: Ctx, p: Piece) -> list[Struct]:
    size, dst = p.value or "", p.after
    if not dst:
        raise fail("check_pkt_larger needs (LEN)->DST", p.column, p.key)
    sf = subfield(dst, "check_pkt_larger", p.after_column)
    if sf.n_bits != 1:
        raise fail(f"check_pkt_larger writes one bit, {sf} has {sf.n_bits}",
                   p.after_column, dst)
    return [ctx.nx.nx_action_check_pkt_larger(
        pkt_len=number(size, "check_pkt_larger", p.value_column, 16), dst=sf)]


def _p_fin_timeout(ctx: Ctx, p: Piece) -> list[Struct]:
    values = {"idle_timeout": 0, "hard_timeout": 0}
    for key, value, col in _args(p):
        if key not in values:
            raise fail(f'unknown fin_timeout option "{key}"', col, key)
        values[key] = number(value, f"fin_timeout {key}", col, 16)
    return [ctx.nx.nx_action_fin_timeout(fin_idle_timeout=values["idle_timeout"],
                                         fin_hard_timeout=values["hard_timeout"])]


def _p_stack(ctx: Ctx, p: Piece) -> list[Struct]:
    sf = subfield(p.value, p.key, p.value_column)
    cls = ctx.nx.nx_action_stack_push if p.key.lower() == "push" else ctx.nx.nx_action_stack_pop
    return [cls(subfield=sf)]


NX_PARSERS: dict[str, Callable[[Ctx, Piece], list[Struct]]] = {
    "controller(": _p_controller, "multipath": _p_multipath, "bundle": _p_bundle,
    "bundle_load": _p_bundle, "learn": _p_learn, "sample": _p_sample,
    "conjunction": _p_conjunction, "ct": _p_ct, "clone": _p_clone,
    "check_pkt_larger": _p_check_pkt_larger, "fin_timeout": _p_fin_timeout, "push": _p_stack,
    "pop": _p_stack,
}
