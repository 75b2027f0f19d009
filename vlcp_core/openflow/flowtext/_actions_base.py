"""What the action parsers share: the session context, numbers, ports, fields, and
the encoding of ``set_field`` as Open vSwitch 3.1 sends it.

``set_field`` (and the legacy ``mod_*`` actions, which are set_field under another
name) is sent as:

- OpenFlow 1.3, whole field: OFPAT_SET_FIELD with the field's OXM header (OXM
  classes first: ``tun_id`` is OXM_OF_TUNNEL_ID, ``reg0`` NXM_NX_REG0);
- OpenFlow 1.3 with a partial mask, or ``load:``: NXAST_REG_LOAD, one per run of
  one-bits of the mask, each run cut in pieces of at most 64 bits, lowest bits
  first (``set_field:5/0xff->reg0`` is ``load:0x5->NXM_NX_REG0[0..7]``);
- OpenFlow 1.0: the OpenFlow 1.0 action where one exists for the whole field
  (SET_DL_SRC, SET_NW_DST, SET_NW_TOS for ``ip_dscp`` shifted left by 2,
  SET_TP_SRC, SET_VLAN_VID without OFPVID_PRESENT, SET_VLAN_PCP, NXAST_SET_MPLS_LABEL
  and _TC), else NXAST_REG_LOAD of the NXM header as above (``ipv6_src`` is two
  64-bit loads);
- a field without a 32-bit NXM header or of variable length (``tun_metadata``):
  NXAST_REG_LOAD2 holding the TLV, in both versions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vlcp_core.namedstruct import Struct

from .. import v10, v13
from .._format import parse_field
from .._oxm import nxm_class_for, oxm_class_for
from .._oxm_fields import OxmField
from ..nicira import Subfield, actions10, actions13
from ..nicira._subfield import header_bytes, header_of
from ._errors import FlowSyntaxError, suggest

__all__ = ["Ctx", "bits_of", "fail", "field_value", "number", "port16", "set_field_actions",
           "subfield", "subfield_text"]

# Fields narrower than their bytes, with Open vSwitch's width in bits (ovs-fields(7)).
_NARROW = {"nw_ecn": 2, "ip_dscp": 6, "vlan_pcp": 3, "vlan_vid": 13, "mpls_label": 20,
           "mpls_tc": 3, "mpls_bos": 1, "ipv6_label": 20, "ip_frag": 2, "tcp_flags": 12,
           "arp_op": 16, "icmp_type": 8, "icmp_code": 8}
_NARROW_SPEC = {"NXM_NX_IP_ECN": 2, "OXM_OF_IP_ECN": 2, "OXM_OF_IP_DSCP": 6,
                "OXM_OF_VLAN_PCP": 3, "OXM_OF_VLAN_VID": 13, "OXM_OF_MPLS_LABEL": 20,
                "OXM_OF_MPLS_TC": 3, "OXM_OF_MPLS_BOS": 1, "NXM_NX_IPV6_LABEL": 20,
                "OXM_OF_IPV6_FLABEL": 20, "NXM_NX_IP_FRAG": 2, "NXM_NX_TCP_FLAGS": 12,
                "ONF_OXM_TCP_FLAGS": 12}
PORT_NAMES = {"in_port": 0xFFF8, "table": 0xFFF9, "normal": 0xFFFA, "flood": 0xFFFB,
              "all": 0xFFFC, "controller": 0xFFFD, "local": 0xFFFE, "none": 0xFFFF,
              "any": 0xFFFF}
_INT = re.compile(r"^(0x[0-9a-fA-F]+|[0-9]+)$")


# Fields whose set_field Open vSwitch can send with a plain OpenFlow 1.0 flow mod (the
# fields of the 1.0 ofp_match, "usable_protocols_exact"); any other set_field, and
# write_metadata, make it use NXT_FLOW_MOD (checked with ovs-ofctl parse-flow).
OF10_SET_FIELDS = frozenset({
    "in_port", "eth_src", "eth_dst", "eth_type", "vlan_tci", "vlan_vid", "vlan_pcp",
    "ip_src", "ip_dst", "nw_proto", "ip_dscp", "nw_tos", "tcp_src", "tcp_dst", "udp_src",
    "udp_dst", "icmp_type", "icmp_code", "arp_op", "arp_spa", "arp_tpa"})


@dataclass
class Usable:
    """What the actions parsed so far require of an OpenFlow 1.0 flow mod, shared by
    nested lists in text order: ``nxm`` once a set_field of a field the 1.0 match
    cannot hold, or write_metadata, was seen.  As in Open vSwitch 3.1, ``clone(``
    forgets what came before it (its parser restarts the set of usable protocols)."""

    nxm: bool = False


@dataclass
class Ctx:
    """Where a parse is: the version (1 or 4), and whether the packet has a VLAN tag
    at this point (``mod_vlan_vid`` pushes one in 1.3 when it has none)."""

    version: int
    vlan: bool = False
    parse_list: Callable[[str, int, Ctx], list[Struct]] | None = field(default=None,
                                                                         repr=False)
    ip_proto: int | None = None
    usable: Usable = field(default_factory=Usable)

    @property
    def v13(self) -> bool:
        return self.version == 4

    @property
    def nx(self) -> Any:
        """The Nicira action classes of the version (``nicira.actions10``/``13``)."""
        return actions13 if self.v13 else actions10

    def actions(self, text: str, column: int) -> list[Struct]:
        """Parse a nested action list (clone, ct exec, write_actions)."""
        assert self.parse_list is not None
        return self.parse_list(text, column, Ctx(self.version, self.vlan, self.parse_list,
                                                 self.ip_proto, self.usable))


def fail(message: str, column: int, token: str = "", hint: str = "") -> FlowSyntaxError:
    return FlowSyntaxError(message, column=column, token=token, hint=hint)


def number(text: str | None, what: str, column: int, bits: int = 32) -> int:
    """A decimal or ``0x`` number of at most *bits* bits."""
    t = (text or "").strip()
    if not _INT.match(t):
        raise fail(f'bad number "{t}" for {what}', column, t)
    value = int(t, 0)
    if value >= 1 << bits:
        raise fail(f"{what} {t} is out of range (at most {(1 << bits) - 1})", column, t)
    return value


def port16(text: str | None, what: str, column: int) -> int:
    """An OpenFlow 1.0 port: a number below 0xff00 or a reserved name."""
    t = (text or "").strip()
    if t.lower() in PORT_NAMES:
        return PORT_NAMES[t.lower()]
    if t.upper().startswith("OFPP_") and t[5:].lower() in PORT_NAMES:
        return PORT_NAMES[t[5:].lower()]
    if _INT.match(t) and int(t, 0) < 0xFF00:
        return int(t, 0)
    hint = suggest(t, [n for n in PORT_NAMES if n != "any"])
    raise fail(f'bad port "{t}" for {what}', column, t, hint)


def port_of(port: int, version: int) -> int:
    """A 16-bit port as the version writes it (1.3: reserved ports are 0xffffff..)."""
    if version == 4 and port >= 0xFF00:
        return port | 0xFFFF0000
    return port


def subfield(text: str | None, what: str, column: int) -> Subfield:
    t = (text or "").strip()
    try:
        return Subfield.parse(t)
    except ValueError as e:
        raise fail(f'bad subfield "{t}" for {what}: {e}', column, t) from None


def bits_of(f: OxmField) -> int:
    return _NARROW.get(f.name, f.size * 8)


def subfield_text(sf: Subfield) -> str:
    """A subfield as Open vSwitch prints it: ``[]`` for the whole field, with the
    field's width in bits (``NXM_NX_IP_ECN[]`` is bits 0..1)."""
    width = _NARROW_SPEC.get(sf.field)
    if width is not None:
        if sf.start == 0 and sf.end == width - 1:
            return f"{sf.field}[]"
        return f"{sf.field}[{sf.start}]" if sf.start == sf.end else \
            f"{sf.field}[{sf.start}..{sf.end}]"
    return str(sf)


def field_value(name: str, text: str, what: str, column: int) -> tuple[OxmField, int, int | None]:
    """The field called *name* and ``(value, mask)`` of *text* as integers."""
    found = oxm_class_for(name.strip())
    if found is None:
        from .._oxm_fields import OXM_FIELDS
        hint = suggest(name.strip(), sorted({f.name for f in OXM_FIELDS}))
        raise fail(f'unknown field "{name.strip()}" for {what}', column, name.strip(), hint)
    f = found[0]
    try:
        value, mask = parse_field(f, text.strip())
    except ValueError as e:
        raise fail(f'bad value "{text.strip()}" for {what}: {e}', column, text.strip()) from None
    v = value if isinstance(value, int) else int.from_bytes(value, "big")
    m = None if mask is None else (mask if isinstance(mask, int) else int.from_bytes(mask, "big"))
    full = (1 << bits_of(f)) - 1
    if v > full and not f.variable:
        raise fail(f'value "{text.strip()}" does not fit {f.name} ({bits_of(f)} bits) for {what}',
                   column, text.strip())
    if m is not None and (m & full) == full:
        m = None
    return f, v, m


def _runs(mask: int, width: int) -> list[tuple[int, int]]:
    """(start, end) of each run of one-bits of *mask*, lowest first, cut at 64 bits."""
    out: list[tuple[int, int]] = []
    bit = 0
    while bit < width:
        if not mask >> bit & 1:
            bit += 1
            continue
        start = bit
        while bit < width and mask >> bit & 1:
            bit += 1
        for s in range(start, bit, 64):
            out.append((s, min(s + 63, bit - 1)))
    return out


def _reg_loads(ctx: Ctx, f: OxmField, value: int, mask: int | None) -> list[Struct]:
    found = nxm_class_for(f.name)
    assert found is not None
    width = bits_of(f)
    m = (1 << width) - 1 if mask is None else mask
    out: list[Struct] = []
    for start, end in _runs(m, width):
        sf = Subfield(found[0].spec, start, end)
        out.append(ctx.nx.nx_action_reg_load(
            dst=sf, value=(value >> start) & ((1 << (end - start + 1)) - 1)))
    return out


def _tlv(f: OxmField, value: int, mask: int | None, prefer13: bool) -> Struct:
    found = oxm_class_for(f.name) if prefer13 else nxm_class_for(f.name)
    assert found is not None
    cls = found[1]
    if found[0].variable:
        n = max(1, (max(value, mask or 0).bit_length() + 7) // 8)
        v: Any = value.to_bytes(n, "big")
        mk: Any = None if mask is None else mask.to_bytes(n, "big")
    else:
        v, mk = _typed(found[0], value), None if mask is None else _typed(found[0], mask)
    if mk is None:
        made: Struct = cls(value=v)
    else:
        made = cls(value=v, mask=mk, oxm_hasmask=1)
    return made


def _typed(f: OxmField, value: int) -> Any:
    if f.fmt == "mac" or (f.size not in (1, 2, 4, 8) and f.fmt != "ipv6"):
        return value.to_bytes(f.size, "big")
    if f.fmt == "ipv6":
        return value.to_bytes(16, "big")
    return value


def _legacy10(ctx: Ctx, f: OxmField, value: int) -> Struct | None:
    made: Struct | None = v10.set_field_action(f.name, value)
    if made is not None:
        return made
    if f.name == "mpls_label":
        made = ctx.nx.nx_action_set_mpls_label(label=value)
        return made
    if f.name == "mpls_tc":
        made = ctx.nx.nx_action_set_mpls_tc(tc=value)
        return made
    return None


def set_field_actions(ctx: Ctx, f: OxmField, value: int, mask: int | None,
                      load: bool = False) -> list[Struct]:
    """The actions Open vSwitch sends for ``set_field:VALUE[/MASK]->FIELD`` (``load``:
    it came from ``load:``, which is always NXAST_REG_LOAD)."""
    nxm = nxm_class_for(f.name)
    if f.variable or nxm is None or header_bytes(header_of(nxm[0].spec)) != 4:
        return [ctx.nx.nx_action_reg_load2(field=_tlv(f, value, mask, ctx.v13))]
    if ctx.v13 and mask is None and not load:
        return [v13.ofp_action_set_field(field=_tlv(f, value, None, True))]
    if not ctx.v13 and mask is None and not load:
        legacy = _legacy10(ctx, f, value)
        if legacy is not None:
            return [legacy]
    return _reg_loads(ctx, f, value, mask)
