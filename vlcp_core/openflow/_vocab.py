"""One vocabulary for OpenFlow 1.0 and 1.3: write a flow in a few readable lines.

::

    from vlcp_core import openflow as of

    fm = of.flow_mod(match=of.match(in_port=1, eth_type=0x0800, ip_dst="10.0.0.0/24"),
                     actions=[of.output(2)], priority=100, version=4)
    data = bytes(fm)        # what `ovs-ofctl -O OpenFlow13 add-flow` sends for
                            # priority=100,ip,in_port=1,nw_dst=10.0.0.0/24,actions=output:2

Fields use the Open vSwitch names and their aliases (``ip_dst``, ``nw_dst``,
``ipv4_dst``), values the ``ovs-ofctl`` text (``"10.0.0.0/24"``, ``"LOCAL"``) or
numbers, a mask as ``(value, mask)``.  ``vlan_vid=5`` means VLAN 5: the OXM's
OFPVID_PRESENT bit is added, giving what ``ovs-ofctl`` sends for ``dl_vlan=5``.
(In ``ovs-ofctl``'s own text ``vlan_vid=5`` is taken literally and matches no
packet; the flow language in ``flowtext`` follows OVS there.)  Matches are written in Open
vSwitch's field order, so the bytes equal what OVS sends for the same flow.
Actions and instructions are small version-neutral values that become the
version's structs when the message is made; what one version cannot express
raises ``ValueError`` naming the version that can.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from vlcp_core.namedstruct import Struct

from . import v10, v13
from ._format import parse_field
from ._oxm import oxm_class_for
from ._oxm_fields import OVS_ORDER

__all__ = [
    "Action", "Instruction", "apply_actions", "barrier_request", "clear_actions",
    "copy_ttl_in", "copy_ttl_out", "dec_mpls_ttl", "dec_nw_ttl", "enqueue", "flow_mod",
    "goto_table", "group", "match", "meter", "output", "packet_out", "pop_mpls", "pop_vlan",
    "push_mpls", "push_vlan", "set_field", "set_mpls_ttl", "set_nw_ttl", "set_queue",
    "write_actions", "write_metadata",
]

_PORT_NAMES = ("IN_PORT", "TABLE", "NORMAL", "FLOOD", "ALL", "CONTROLLER", "LOCAL")
_COMMANDS = {"add": 0, "modify": 1, "modify_strict": 2, "delete": 3, "delete_strict": 4}


def _check_version(version: int) -> int:
    if version not in (v10.OFP_VERSION, v13.OFP_VERSION):
        raise ValueError(f"OpenFlow wire version {version} is not supported (use 1 or 4)")
    return version


def port_number(port: int | str, version: int) -> int:
    """A port as a number: ``3``, ``"LOCAL"``, ``"OFPP_CONTROLLER"``, ``"ANY"``/``"NONE"``."""
    if isinstance(port, int):
        return port
    name = port.upper().removeprefix("OFPP_")
    if name.isdigit():
        return int(name)
    if version == v13.OFP_VERSION:
        table: dict[str, int] = {m.name.removeprefix("OFPP_"): int(m) for m in v13.ofp_port_no}
    else:
        table = {m.name.removeprefix("OFPP_"): int(m) for m in v10.ofp_port}
    if name in table:
        return table[name]
    raise ValueError(f"unknown port {port!r} (a number or one of {', '.join(_PORT_NAMES)})")


# -- matches ----------------------------------------------------------------------

def _split(f_name: str, value: Any) -> tuple[Any, Any]:
    if isinstance(value, tuple):
        return value[0], value[1]
    return value, None


def _match13(fields: Mapping[str, Any]) -> Struct:
    made: list[tuple[int, Struct]] = []
    for name, given in fields.items():
        found = oxm_class_for(name)
        if found is None:
            raise ValueError(f"unknown match field {name!r}")
        f, cls = found
        value, mask = _split(name, given)
        if isinstance(value, str) or (isinstance(given, str) and mask is None):
            value, mask2 = parse_field(f, value)
            mask = mask if mask is not None else mask2
        if f.name == "vlan_vid" and isinstance(value, int) and value < 0x1000:
            value |= 0x1000  # OFPVID_PRESENT: "vlan_vid=5" means VLAN 5 (ovs-ofctl's dl_vlan=5)
        if mask is not None and not f.maskable:
            raise ValueError(f"{f.name} cannot be matched with a mask")
        oxm = cls(value=value) if mask is None else cls(value=value, mask=mask, oxm_hasmask=1)
        order = OVS_ORDER.index(f.name) if f.name in OVS_ORDER else len(OVS_ORDER)
        made.append((order, oxm))
    made.sort(key=lambda pair: pair[0])  # stable: equal ranks keep the caller's order
    return v13.ofp_match(oxm_fields=[oxm for _, oxm in made])


# OpenFlow 1.0: field name -> (ofp_match attribute, wildcard bit); nw_src/dst use counts.
_W = v10.ofp_flow_wildcards
_V10: dict[str, tuple[str, int]] = {
    "in_port": ("in_port", _W.OFPFW_IN_PORT), "vlan_vid": ("dl_vlan", _W.OFPFW_DL_VLAN),
    "eth_src": ("dl_src", _W.OFPFW_DL_SRC), "eth_dst": ("dl_dst", _W.OFPFW_DL_DST),
    "eth_type": ("dl_type", _W.OFPFW_DL_TYPE), "nw_proto": ("nw_proto", _W.OFPFW_NW_PROTO),
    "tcp_src": ("tp_src", _W.OFPFW_TP_SRC), "udp_src": ("tp_src", _W.OFPFW_TP_SRC),
    "icmp_type": ("tp_src", _W.OFPFW_TP_SRC), "tcp_dst": ("tp_dst", _W.OFPFW_TP_DST),
    "udp_dst": ("tp_dst", _W.OFPFW_TP_DST), "icmp_code": ("tp_dst", _W.OFPFW_TP_DST),
    "vlan_pcp": ("dl_vlan_pcp", _W.OFPFW_DL_VLAN_PCP), "nw_tos": ("nw_tos", _W.OFPFW_NW_TOS),
    "ip_dscp": ("nw_tos", _W.OFPFW_NW_TOS), "arp_op": ("nw_proto", _W.OFPFW_NW_PROTO),
    "ip_src": ("nw_src", 0), "ip_dst": ("nw_dst", 0), "arp_spa": ("nw_src", 0),
    "arp_tpa": ("nw_dst", 0),
}
_V10_ALIASES = {"dl_src": "eth_src", "dl_dst": "eth_dst", "dl_type": "eth_type",
                "dl_vlan": "vlan_vid", "dl_vlan_pcp": "vlan_pcp", "tp_src": "tcp_src",
                "tp_dst": "tcp_dst", "nw_src": "ip_src", "nw_dst": "ip_dst",
                "ipv4_src": "ip_src", "ipv4_dst": "ip_dst", "ip_proto": "nw_proto"}


def _match10(fields: Mapping[str, Any]) -> Struct:
    wildcards = v10.OVS_WILDCARDS_ALL
    values: dict[str, Any] = {}
    for given_name, given in fields.items():
        name = _V10_ALIASES.get(given_name, given_name)
        if name not in _V10:
            raise ValueError(f"OpenFlow 1.0 cannot match {given_name!r} (use version=4)")
        attr, bit = _V10[name]
        value, mask = _split(name, given)
        if attr in ("nw_src", "nw_dst"):
            text = value if isinstance(value, str) else str(ipaddress.IPv4Address(value))
            if mask is not None:
                text = f"{text}/{ipaddress.IPv4Address(mask)}"
            net = ipaddress.IPv4Network(text, strict=False)
            if str(net.netmask) != str(ipaddress.IPv4Address(int(net.netmask))):
                raise ValueError(f"{given_name}: bad mask")
            shift = 8 if attr == "nw_src" else 14
            wildcards = (wildcards & ~(0x3F << shift)) | ((32 - net.prefixlen) << shift)
            values[attr] = int(ipaddress.IPv4Address(text.split("/")[0]))
            continue
        if mask is not None:
            raise ValueError(f"OpenFlow 1.0 cannot match {given_name!r} with a mask")
        if name == "in_port":
            value = port_number(value, v10.OFP_VERSION)
        elif name == "ip_dscp":
            value = int(value) << 2
        elif isinstance(value, str) and attr not in ("dl_src", "dl_dst"):
            value = int(value, 0)
        values[attr] = value
        wildcards &= ~bit
    return v10.ofp_match(wildcards=int(wildcards), **values)


def match(version: int = 4, **fields: Any) -> Struct:
    """A match from keyword fields: ``match(in_port=1, eth_type=0x0800, ip_dst="10.0.0.0/24")``.

    OpenFlow 1.3 gives an OXM ``ofp_match`` in Open vSwitch's field order; 1.0 gives
    the 40-byte match with the other fields wildcarded.  Raises ``ValueError`` for an
    unknown field, a bad value, or what the version cannot express.
    """
    if _check_version(version) == v13.OFP_VERSION:
        return _match13(fields)
    return _match10(fields)


def _as_match(m: Struct | Mapping[str, Any] | None, version: int) -> Struct:
    if m is None:
        return match(version)
    if isinstance(m, Mapping):
        return match(version, **m)
    return m


# -- actions ----------------------------------------------------------------------

@dataclass(frozen=True)
class Action:
    """A version-neutral action; ``to_struct(version)`` gives the version's struct."""

    kind: str
    args: tuple[Any, ...] = ()

    def to_struct(self, version: int) -> Struct:
        make = (_ACTIONS13 if _check_version(version) == v13.OFP_VERSION else _ACTIONS10).get(
            self.kind)
        if make is None:
            other = "1.3" if version == v10.OFP_VERSION else "1.0"
            raise ValueError(f"{self.kind} is not an OpenFlow "
                             f"{'1.0' if version == 1 else '1.3'} action (it is in {other})")
        made: Struct = make(*self.args)
        return made


def output(port: int | str, max_len: int | None = None) -> Action:
    """Output to *port* (number or name); *max_len* defaults as in ovs-ofctl: 65535
    to CONTROLLER, else 0."""
    return Action("output", (port, max_len))


def set_field(**one: Any) -> Action:
    """Set one field: ``set_field(ip_dst="10.0.0.2")`` (1.0: the matching SET_* action)."""
    if len(one) != 1:
        raise ValueError("set_field takes exactly one field=value")
    ((name, value),) = one.items()
    return Action("set_field", (name, value))


def push_vlan(ethertype: int = 0x8100) -> Action:
    return Action("push_vlan", (ethertype,))


def pop_vlan() -> Action:
    """Pop the outer VLAN tag (OpenFlow 1.0: STRIP_VLAN)."""
    return Action("pop_vlan")


def push_mpls(ethertype: int = 0x8847) -> Action:
    return Action("push_mpls", (ethertype,))


def pop_mpls(ethertype: int = 0x0800) -> Action:
    return Action("pop_mpls", (ethertype,))


def group(group_id: int) -> Action:
    return Action("group", (group_id,))


def set_queue(queue_id: int) -> Action:
    return Action("set_queue", (queue_id,))


def enqueue(port: int | str, queue_id: int) -> Action:
    """OpenFlow 1.0: output to *port* through queue *queue_id*."""
    return Action("enqueue", (port, queue_id))


def dec_nw_ttl() -> Action:
    return Action("dec_nw_ttl")


def set_nw_ttl(ttl: int) -> Action:
    return Action("set_nw_ttl", (ttl,))


def set_mpls_ttl(ttl: int) -> Action:
    return Action("set_mpls_ttl", (ttl,))


def dec_mpls_ttl() -> Action:
    return Action("dec_mpls_ttl")


def copy_ttl_out() -> Action:
    return Action("copy_ttl_out")


def copy_ttl_in() -> Action:
    return Action("copy_ttl_in")


def _output13(port: int | str, max_len: int | None) -> Struct:
    number = port_number(port, 4)
    if max_len is None:
        max_len = 0xFFFF if number == v13.ofp_port_no.OFPP_CONTROLLER else 0
    return v13.ofp_action_output(port=number, max_len=max_len)


def _output10(port: int | str, max_len: int | None) -> Struct:
    number = port_number(port, 1)
    if max_len is None:
        max_len = 0xFFFF if number == v10.ofp_port.OFPP_CONTROLLER else 0
    return v10.ofp_action_output(port=number, max_len=max_len)


def _set_field13(name: str, value: Any) -> Struct:
    return v13.ofp_action_set_field(field=_match13({name: value}).oxm_fields[0])


def _set_field10(name: str, value: Any) -> Struct:
    canonical = _V10_ALIASES.get(name, name)
    made = v10.set_field_action(canonical, value)
    if made is None:
        raise ValueError(f"OpenFlow 1.0 cannot set {name!r} (use version=4)")
    return made


_ACTIONS13: dict[str, Any] = {
    "output": _output13, "set_field": _set_field13,
    "push_vlan": lambda e: v13.ofp_action_push_vlan(ethertype=e),
    "pop_vlan": lambda: v13.ofp_action_pop_vlan(),
    "push_mpls": lambda e: v13.ofp_action_push_mpls(ethertype=e),
    "pop_mpls": lambda e: v13.ofp_action_pop_mpls(ethertype=e),
    "group": lambda g: v13.ofp_action_group(group_id=g),
    "set_queue": lambda q: v13.ofp_action_set_queue(queue_id=q),
    "dec_nw_ttl": lambda: v13.ofp_action_dec_nw_ttl(),
    "set_nw_ttl": lambda t: v13.ofp_action_set_nw_ttl(nw_ttl=t),
    "set_mpls_ttl": lambda t: v13.ofp_action_set_mpls_ttl(mpls_ttl=t),
    "dec_mpls_ttl": lambda: v13.ofp_action_dec_mpls_ttl(),
    "copy_ttl_out": lambda: v13.ofp_action_copy_ttl_out(),
    "copy_ttl_in": lambda: v13.ofp_action_copy_ttl_in(),
}
_ACTIONS10: dict[str, Any] = {
    "output": _output10, "set_field": _set_field10,
    "pop_vlan": lambda: v10.ofp_action_strip_vlan(),
    "enqueue": lambda p, q: v10.ofp_action_enqueue(port=port_number(p, 1), queue_id=q),
}


# -- instructions (OpenFlow 1.3) -----------------------------------------------------

@dataclass(frozen=True)
class Instruction:
    """A version-neutral OpenFlow 1.3 instruction."""

    kind: str
    args: tuple[Any, ...] = ()
    # Vocabulary actions, or the version's action structs (e.g. Nicira actions).
    actions: tuple[Any, ...] = field(default=())

    def to_struct(self, version: int) -> Struct:
        if _check_version(version) != v13.OFP_VERSION:
            raise ValueError(f"{self.kind} is an OpenFlow 1.3 instruction (use version=4)")
        acts = _structs(self.actions, version)
        if self.kind == "apply_actions":
            return v13.ofp_instruction_apply_actions(actions=acts)
        if self.kind == "write_actions":
            return v13.ofp_instruction_write_actions(actions=acts)
        if self.kind == "clear_actions":
            return v13.ofp_instruction_clear_actions()
        if self.kind == "goto_table":
            return v13.ofp_instruction_goto_table(table_id=self.args[0])
        if self.kind == "write_metadata":
            return v13.ofp_instruction_write_metadata(metadata=self.args[0],
                                                      metadata_mask=self.args[1])
        return v13.ofp_instruction_meter(meter_id=self.args[0])


def apply_actions(*actions: Any) -> Instruction:
    """Apply *actions* (vocabulary actions or action structs such as Nicira's) now."""
    return Instruction("apply_actions", actions=actions)


def write_actions(*actions: Any) -> Instruction:
    return Instruction("write_actions", actions=actions)


def clear_actions() -> Instruction:
    return Instruction("clear_actions")


def goto_table(table_id: int) -> Instruction:
    return Instruction("goto_table", (table_id,))


def write_metadata(metadata: int, mask: int = 0xFFFFFFFFFFFFFFFF) -> Instruction:
    return Instruction("write_metadata", (metadata, mask))


def meter(meter_id: int) -> Instruction:
    return Instruction("meter", (meter_id,))


def _structs(items: Iterable[Any], version: int) -> list[Struct]:
    return [x.to_struct(version) if isinstance(x, (Action, Instruction)) else x for x in items]


# -- messages ---------------------------------------------------------------------

def flow_mod(match: Struct | Mapping[str, Any] | None = None, actions: Sequence[Any] = (),
             *, instructions: Sequence[Any] | None = None, version: int = 4,
             command: str | int = "add", table_id: int = 0, priority: int = 0x8000,
             cookie: int = 0, cookie_mask: int = 0, idle_timeout: int = 0,
             hard_timeout: int = 0, flags: int = 0, buffer_id: int = 0xFFFFFFFF,
             out_port: int | str | None = None, out_group: int | None = None,
             xid: int = 0) -> Struct:
    """A FLOW_MOD for either version.

    *actions* become an apply-actions instruction in 1.3 (none when empty, like
    ``actions=drop``); pass *instructions* for anything else.  In 1.0 a *table_id*
    goes into the high byte of ``command``, as Open vSwitch does (the switch must
    have NXT_FLOW_MOD_TABLE_ID enabled).

    Example: ``flow_mod({"in_port": 1}, [output(2)], priority=10, version=1)``.
    """
    v = _check_version(version)
    cmd = _COMMANDS[command] if isinstance(command, str) else command
    m = _as_match(match, v)
    if v == v13.OFP_VERSION:
        if instructions is None:
            instructions = [apply_actions(*actions)] if actions else []
        return v13.ofp_flow_mod(
            xid=xid, cookie=cookie, cookie_mask=cookie_mask, table_id=table_id, command=cmd,
            idle_timeout=idle_timeout, hard_timeout=hard_timeout, priority=priority,
            buffer_id=buffer_id,
            out_port=port_number(out_port if out_port is not None else "ANY", v),
            out_group=0xFFFFFFFF if out_group is None else out_group, flags=flags,
            match=m, instructions=_structs(instructions, v))
    if instructions:
        raise ValueError("instructions are OpenFlow 1.3 (use actions with version=1)")
    return v10.ofp_flow_mod(
        xid=xid, match=m, cookie=cookie, command=cmd | (table_id << 8),
        idle_timeout=idle_timeout, hard_timeout=hard_timeout, priority=priority,
        buffer_id=buffer_id, out_port=port_number(out_port if out_port is not None else "NONE",
                                                  v),
        flags=flags, actions=_structs(actions, v))


def packet_in_port(message: Struct) -> int | None:
    """The port a PACKET_IN came in on: 1.0's ``in_port`` field, 1.3's ``in_port``
    match field (``None`` when the match has none)."""
    if message.version != v13.OFP_VERSION:
        return int(message.in_port)
    for oxm in message.match.oxm_fields:
        if oxm.oxm_field == 0 and oxm.oxm_class == 0x8000:
            return int(oxm.value)
    return None


def packet_out(data: bytes = b"", actions: Sequence[Any] = (), *, in_port: int | str = "CONTROLLER",
               buffer_id: int = 0xFFFFFFFF, version: int = 4, xid: int = 0) -> Struct:
    """A PACKET_OUT of *data* (or of buffered packet *buffer_id*) through *actions*."""
    v = _check_version(version)
    cls = v13.ofp_packet_out if v == v13.OFP_VERSION else v10.ofp_packet_out
    return cls(xid=xid, buffer_id=buffer_id, in_port=port_number(in_port, v),
               actions=_structs(actions, v), data=bytes(data))


def flow_stats_request(match: Struct | Mapping[str, Any] | None = None, *, version: int = 4,
                       table_id: int = 0xFF, out_port: int | str = "ANY",
                       out_group: int | None = None, cookie: int = 0,
                       cookie_mask: int = 0, xid: int = 0) -> Struct:
    """A flow statistics request (``ovs-ofctl dump-flows``): every flow of every table
    unless narrowed.  In 1.0 the match is wildcarded as Open vSwitch does, and
    ``"ANY"`` is OFPP_NONE; *out_group* and cookies are 1.3 only."""
    v = _check_version(version)
    m = _as_match(match, v)
    if v == v13.OFP_VERSION:
        return v13.ofp_flow_stats_request(
            xid=xid, table_id=table_id, out_port=port_number(out_port, v),
            out_group=0xFFFFFFFF if out_group is None else out_group, cookie=cookie,
            cookie_mask=cookie_mask, match=m)
    if out_group is not None or cookie or cookie_mask:
        raise ValueError("out_group and cookies are OpenFlow 1.3 (version=4)")
    port = 0xFFFF if out_port == "ANY" else port_number(out_port, v)
    return v10.ofp_flow_stats_request(xid=xid, match=m, table_id=table_id, out_port=port)


def barrier_request(version: int = 4, xid: int = 0) -> Struct:
    """A BARRIER_REQUEST."""
    if _check_version(version) == v13.OFP_VERSION:
        return v13.ofp_barrier_request(xid=xid)
    return v10.ofp_barrier_request(xid=xid)
