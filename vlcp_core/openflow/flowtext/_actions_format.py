"""Actions and instructions as ``ovs-ofctl --no-names dump-flows`` prints them.

What is printed depends on the struct, not on the text that made it: OpenFlow 1.0
SET_DL_SRC prints ``mod_dl_src:...``, OpenFlow 1.3 SET_FIELD ``set_field:...->eth_src``,
NXAST_REG_LOAD ``load:0x5->NXM_NX_REG0[0..7]``, an output to CONTROLLER
``CONTROLLER:65535``, reserved ports by name (``NORMAL``).  Options left at their
defaults are left out, as Open vSwitch does (``learn(table=1,...)`` always shows
its table, ``sample(...)`` always its four numbers).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import Any

from .._format import format_field
from .._oxm import field_named, field_of
from .._oxm_fields import OxmField
from ..nicira import LearnSpec, Subfield
from ._actions_base import PORT_NAMES, subfield_text
from ._actions_nx import ALGS, BD_ALGORITHMS, HASH_FIELDS, MP_ALGORITHMS, REASONS

__all__ = ["format_actions", "format_value"]

_PORT_TEXT = {v: k.upper() for k, v in PORT_NAMES.items() if k != "any"}
_PORT_TEXT[0xFFFF] = "ANY"
_INSTRUCTION_NAMES = {"ofp_instruction_meter", "ofp_instruction_apply_actions",
                      "ofp_instruction_clear_actions", "ofp_instruction_write_actions",
                      "ofp_instruction_write_metadata", "ofp_instruction_goto_table"}


def _name(table: dict[str, int], value: int) -> str:
    for k, v in table.items():
        if v == int(value):
            return k
    return str(int(value))


def _port(port: int) -> str:
    p = int(port)
    if p >= 0xFFFFFF00:
        p &= 0xFFFF
    if p < 0xFF00:
        return str(p)
    return _PORT_TEXT.get(p, str(p))


def _int(value: Any) -> int:
    if isinstance(value, int):
        return value
    if isinstance(value, (bytes, bytearray)):
        return int.from_bytes(value, "big")
    text = str(value)
    if ":" in text and "." not in text and len(text) == 17:
        return int(text.replace(":", ""), 16)
    return int(ipaddress.ip_address(text))


def format_value(f: OxmField, value: int) -> str:
    """A field value as Open vSwitch prints it in actions (``mf_format``): hexadecimal
    fields in plain ``0x`` form (``0x800``), addresses, decimal numbers."""
    if f.fmt in ("hex", "tcp_flags") or f.variable:
        return hex(value)
    if f.fmt == "mac":
        return format_field(f, value.to_bytes(6, "big"))  # type: ignore[no-any-return]
    if f.fmt == "ipv6":
        return format_field(f, value.to_bytes(16, "big"))  # type: ignore[no-any-return]
    return str(format_field(f, value))


def _set_field(oxm: Any, prefix: str = "set_field") -> str:
    f = field_of(type(oxm))
    if f is None:
        return f"{prefix}:<unknown field>"
    value = _int(oxm.value)
    text = format_value(f, value)
    mask = getattr(oxm, "mask", None)
    if mask is not None:
        text += "/" + format_value(f, _int(mask)) if f.fmt not in ("decimal", "port") \
            else f"/{hex(_int(mask))}"
    return f"{prefix}:{text}->{f.name}"


def _sf(sf: Subfield) -> str:
    return subfield_text(sf)


def _controller(reason: int, max_len: int, cid: int, userdata: bytes | None = None,
                pause: bool = False, meter: int | None = None) -> str:
    if reason == 1 and cid == 0 and userdata is None and not pause and meter is None:
        return f"CONTROLLER:{max_len}"
    parts = []
    if reason != 1:
        parts.append("reason=" + _name(REASONS, reason))
    if max_len != 0xFFFF:
        parts.append(f"max_len={max_len}")
    if cid:
        parts.append(f"id={cid}")
    if userdata is not None:
        parts.append("userdata=" + ".".join(f"{b:02x}" for b in userdata))
    if pause:
        parts.append("pause")
    if meter is not None:
        parts.append(f"meter_id={meter}")
    return f"controller({','.join(parts)})"


def _controller2(a: Any) -> str:
    values: dict[str, Any] = {"reason": 1, "max_len": 0xFFFF, "cid": 0}
    for prop in a.properties:
        kind = type(prop).__name__.removeprefix("nx_controller2_prop_")
        if kind == "max_len":
            values["max_len"] = prop.max_len
        elif kind == "controller_id":
            values["cid"] = prop.controller_id
        elif kind == "reason":
            values["reason"] = int(prop.reason)
        elif kind == "userdata":
            values["userdata"] = bytes(prop.userdata)
        elif kind == "pause":
            values["pause"] = True
        elif kind == "meter_id":
            values["meter"] = prop.meter_id
    return _controller(**values)


def _resubmit(a: Any, ct: bool) -> str:
    port, table = int(a.in_port), int(getattr(a, "table_id", 0xFF))
    if port != 0xFFF8 and table == 0xFF and not ct:
        return f"resubmit:{_port(port)}"
    text = f"resubmit({'' if port == 0xFFF8 else _port(port)},{'' if table == 0xFF else table}"
    return text + (",ct)" if ct else ")")


def _learn_spec(spec: LearnSpec) -> str:
    src, dst = spec.src, spec.dst
    if spec.kind == "output":
        assert isinstance(src, Subfield)
        return f"output:{_sf(src)}"
    assert dst is not None
    if spec.kind == "load":
        return f"load:{_sf(src) if isinstance(src, Subfield) else hex(src)}->{_sf(dst)}"
    if isinstance(src, Subfield):
        return _sf(dst) if src == dst else f"{_sf(dst)}={_sf(src)}"
    if _sf(dst).endswith("[]"):
        found = field_named(dst.field)
        if found:
            f = found[0][0]
            return f"{f.name}={format_value(f, src)}"
    return f"{_sf(dst)}={hex(src)}"


def _learn(a: Any) -> str:
    parts = [f"table={a.table_id}"]
    for attr in ("idle_timeout", "hard_timeout"):
        if getattr(a, attr):
            parts.append(f"{attr}={getattr(a, attr)}")
    for attr in ("fin_idle_timeout", "fin_hard_timeout"):
        if getattr(a, attr):
            parts.append(f"{attr}={getattr(a, attr)}")
    if a.priority != 0x8000:
        parts.append(f"priority={a.priority}")
    if a.flags & 1:
        parts.append("send_flow_rem")
    if a.flags & 2:
        parts.append("delete_learned")
    if a.cookie:
        parts.append(f"cookie={hex(a.cookie)}")
    if getattr(a, "limit", 0):
        parts.append(f"limit={a.limit}")
    if a.flags & 4 and getattr(a, "result_dst", None) is not None:
        sf = Subfield.from_wire(a.result_dst, a.result_dst_ofs, 1)
        parts.append(f"result_dst={_sf(sf)}")
    parts += [_learn_spec(s) for s in a.specs]
    return f"learn({','.join(parts)})"


def _nat(a: Any) -> str:
    flags = int(a.flags)
    if not flags & 3:
        return "nat"
    text = "src" if flags & 1 else "dst"
    if a.ipv4_min is not None or a.ipv6_min is not None:
        six = a.ipv4_min is None
        lo = str(ipaddress.ip_address(_int(a.ipv6_min if six else a.ipv4_min)))
        hi_raw = a.ipv6_max if six else a.ipv4_max
        hi = None if hi_raw is None else str(ipaddress.ip_address(_int(hi_raw)))
        ports = a.proto_min is not None
        wrap = (lambda s: f"[{s}]") if six and ports else (lambda s: s)
        text += "=" + wrap(lo)
        if hi is not None and hi != lo:
            text += "-" + wrap(hi)
        if ports:
            text += f":{a.proto_min}"
            if a.proto_max is not None and a.proto_max != a.proto_min:
                text += f"-{a.proto_max}"
    opts = [text]
    if flags & 4:
        opts.append("persistent")
    if flags & 8:
        opts.append("hash")
    if flags & 16:
        opts.append("random")
    return f"nat({','.join(opts)})"


def _ct(a: Any, version: int) -> str:
    parts = []
    if a.flags & 1:
        parts.append("commit")
    if a.flags & 2:
        parts.append("force")
    if a.recirc_table != 0xFF:
        parts.append(f"table={a.recirc_table}")
    if isinstance(a.zone, Subfield):
        parts.append(f"zone={_sf(a.zone)}")
    elif a.zone:
        parts.append(f"zone={a.zone}")
    nested = list(a.actions)
    if nested and type(nested[0]).__name__ == "nx_action_nat":
        parts.append(_nat(nested.pop(0)))
    if nested:
        parts.append(f"exec({_list(nested, version)})")
    if a.alg:
        parts.append("alg=" + _name(ALGS, a.alg))
    return f"ct({','.join(parts)})"


def _sample(a: Any) -> str:
    text = (f"sample(probability={a.probability},collector_set_id={a.collector_set_id},"
            f"obs_domain_id={a.obs_domain_id},obs_point_id={a.obs_point_id}")
    port = getattr(a, "sampling_port", 0xFFFF)
    if port != 0xFFFF:
        text += f",sampling_port={_port(port)}"
    direction = int(getattr(a, "direction", 0))
    text += {1: ",ingress", 2: ",egress"}.get(direction, "")
    return text + ")"


def _bundle(a: Any, load: bool) -> str:
    head = (f"{_name(HASH_FIELDS, a.fields)},{a.basis},{_name(BD_ALGORITHMS, a.algorithm)},"
            "ofport,")
    if load:
        head += f"{_sf(a.dst)},"
    members = ",".join(_port(p) for p in a.members)
    return f"{'bundle_load' if load else 'bundle'}({head}members:{members})"


def _metadata(value: int, mask: int) -> str:
    text = f"write_metadata:{hex(value)}"
    return text if mask == (1 << 64) - 1 else f"{text}/{hex(mask)}"


def _v10_action(a: Any) -> str | None:
    kind = type(a).__name__.removeprefix("ofp_action_")
    t = int(a.type)
    if kind == "enqueue":
        return f"enqueue:{_port(a.port)}:{a.queue_id}"
    if kind == "vlan_vid":
        return f"mod_vlan_vid:{a.vlan_vid}"
    if kind == "vlan_pcp":
        return f"mod_vlan_pcp:{a.vlan_pcp}"
    if kind == "strip_vlan":
        return "strip_vlan"
    if kind == "dl_addr":
        mac = ":".join(f"{b:02x}" for b in _int(a.dl_addr).to_bytes(6, "big"))
        return f"mod_dl_{'src' if t == 4 else 'dst'}:{mac}"
    if kind == "nw_addr":
        return f"mod_nw_{'src' if t == 6 else 'dst'}:{ipaddress.IPv4Address(_int(a.nw_addr))}"
    if kind == "nw_tos":
        return f"mod_nw_tos:{a.nw_tos}"
    if kind == "tp_port":
        return f"mod_tp_{'src' if t == 9 else 'dst'}:{a.tp_port}"
    return None


_SIMPLE: dict[str, Callable[[Any], str]] = {
    "ofp_action_pop_vlan": lambda a: "pop_vlan",
    "ofp_action_push_vlan": lambda a: f"push_vlan:{a.ethertype:#06x}",
    "ofp_action_push_mpls": lambda a: f"push_mpls:{a.ethertype:#06x}",
    "ofp_action_pop_mpls": lambda a: f"pop_mpls:{a.ethertype:#06x}",
    "ofp_action_set_queue": lambda a: f"set_queue:{a.queue_id}",
    "ofp_action_group": lambda a: f"group:{a.group_id}",
    "ofp_action_set_nw_ttl": lambda a: f"mod_nw_ttl:{a.nw_ttl}",
    "ofp_action_dec_nw_ttl": lambda a: "dec_ttl",
    "ofp_action_set_mpls_ttl": lambda a: f"set_mpls_ttl({a.mpls_ttl})",
    "ofp_action_dec_mpls_ttl": lambda a: "dec_mpls_ttl",
    "ofp_action_copy_ttl_out": lambda a: "copy_ttl_out",
    "ofp_action_copy_ttl_in": lambda a: "copy_ttl_in",
    "ofp_action_set_field": lambda a: _set_field(a.field),
    "nx_action_resubmit": lambda a: _resubmit(a, False),
    "nx_action_resubmit_table": lambda a: _resubmit(a, False),
    "nx_action_resubmit_table_ct": lambda a: _resubmit(a, True),
    "nx_action_set_tunnel": lambda a: f"set_tunnel:{hex(a.tun_id)}",
    "nx_action_set_tunnel64": lambda a: f"set_tunnel64:{hex(a.tun_id)}",
    "nx_action_set_queue": lambda a: f"set_queue:{a.queue_id}",
    "nx_action_pop_queue": lambda a: "pop_queue",
    "nx_action_write_metadata": lambda a: _metadata(a.metadata, a.mask),
    "nx_action_note": lambda a: "note:" + ".".join(f"{b:02x}" for b in bytes(a.note)),
    "nx_action_exit": lambda a: "exit",
    "nx_action_dec_ttl": lambda a: "dec_ttl",
    "nx_action_dec_ttl_cnt_ids": lambda a: f"dec_ttl({','.join(str(i) for i in a.cnt_ids)})",
    "nx_action_fin_timeout": lambda a: "fin_timeout(" + ",".join(
        [f"idle_timeout={a.fin_idle_timeout}"] * bool(a.fin_idle_timeout)
        + [f"hard_timeout={a.fin_hard_timeout}"] * bool(a.fin_hard_timeout)) + ")",
    "nx_action_controller": lambda a: _controller(int(a.reason), a.max_len, a.controller_id),
    "nx_action_controller2": _controller2,
    "nx_action_conjunction": lambda a: f"conjunction({a.id},{a.clause + 1}/{a.n_clauses})",
    "nx_action_ct_clear": lambda a: "ct_clear",
    "nx_action_output_trunc": lambda a: f"output(port={_port(a.port)},max_len={a.max_len})",
    "nx_action_push_mpls": lambda a: f"push_mpls:{a.ethertype:#06x}",
    "nx_action_pop_mpls": lambda a: f"pop_mpls:{a.ethertype:#06x}",
    "nx_action_set_mpls_ttl": lambda a: f"set_mpls_ttl({a.ttl})",
    "nx_action_dec_mpls_ttl": lambda a: "dec_mpls_ttl",
    "nx_action_set_mpls_label": lambda a: f"set_mpls_label({a.label})",
    "nx_action_set_mpls_tc": lambda a: f"set_mpls_tc({a.tc})",
    "nx_action_sample": _sample, "nx_action_sample2": _sample, "nx_action_sample3": _sample,
    "nx_action_reg_load": lambda a: f"load:{hex(a.value)}->{_sf(a.dst)}",
    "nx_action_reg_load2": lambda a: _set_field(a.field),
    "nx_action_reg_move": lambda a: f"move:{_sf(a.src)}->{_sf(a.dst)}",
    "nx_action_output_reg": lambda a: f"output:{_sf(a.src)}",
    "nx_action_output_reg2": lambda a: "output:" + _sf(Subfield.from_wire(
        a.src, a.ofs_nbits >> 6, (a.ofs_nbits & 63) + 1)),
    "nx_action_stack_push": lambda a: f"push:{_sf(a.subfield)}",
    "nx_action_stack_pop": lambda a: f"pop:{_sf(a.subfield)}",
    "nx_action_multipath": lambda a: (
        f"multipath({_name(HASH_FIELDS, a.fields)},{a.basis},"
        f"{_name(MP_ALGORITHMS, a.algorithm)},{a.max_link + 1},{a.arg},{_sf(a.dst)})"),
    "nx_action_bundle": lambda a: _bundle(a, False),
    "nx_action_bundle_load": lambda a: _bundle(a, True),
    "nx_action_check_pkt_larger": lambda a: f"check_pkt_larger({a.pkt_len})->{_sf(a.dst)}",
    "nx_action_learn": _learn, "nx_action_learn2": _learn,
    "nx_action_nat": _nat,
}


def _action(a: Any, version: int) -> str:
    name = type(a).__name__
    if name == "ofp_action_output":
        port = int(a.port) & 0xFFFF if int(a.port) >= 0xFFFFFF00 else int(a.port)
        if port == PORT_NAMES["controller"]:
            return f"CONTROLLER:{a.max_len}"
        return f"output:{port}" if port < 0xFF00 else _port(port)
    if name in _SIMPLE:
        return _SIMPLE[name](a)
    if name == "nx_action_clone":
        return f"clone({_list(a.actions, version)})"
    if name == "nx_action_ct":
        return _ct(a, version)
    if version == 1:
        text = _v10_action(a)
        if text is not None:
            return text
    raise ValueError(f"cannot format {name} (not an action Open vSwitch prints)")


def _list(actions: Iterable[Any], version: int) -> str:
    return ",".join(_action(a, version) for a in actions)


def format_actions(actions_or_instructions: Iterable[Any], version: int) -> str:
    """The ``actions=`` text of OpenFlow 1.3 instructions (*version* 4) or OpenFlow
    1.0 actions (*version* 1), as ``ovs-ofctl --no-names dump-flows`` prints it;
    ``drop`` for none.

    Raises:
        ValueError: for a struct that is not an action (or instruction) OVS prints.

    Example: ``format_actions(parse_actions("strip_vlan,2", 1, 1).items, 1)`` is
    ``"strip_vlan,output:2"``.
    """
    parts: list[str] = []
    for item in actions_or_instructions:
        name = type(item).__name__
        if version == 4 and name in _INSTRUCTION_NAMES:
            kind = name.removeprefix("ofp_instruction_")
            if kind == "apply_actions":
                if item.actions:
                    parts.append(_list(item.actions, version))
            elif kind == "write_actions":
                parts.append(f"write_actions({_list(item.actions, version)})")
            elif kind == "clear_actions":
                parts.append("clear_actions")
            elif kind == "meter":
                parts.append(f"meter:{item.meter_id}")
            elif kind == "goto_table":
                parts.append(f"goto_table:{item.table_id}")
            else:
                parts.append(_metadata(item.metadata, item.metadata_mask))
        else:
            parts.append(_action(item, version))
    return ",".join(parts) or "drop"


