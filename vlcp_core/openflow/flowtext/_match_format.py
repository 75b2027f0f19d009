"""Matches to bytes (``build_match``) and back to ``ovs-ofctl`` text (``format_match``).

``build_match(spec, 4)`` gives the ``v13.ofp_match`` Open vSwitch 3.1 sends for the
same text: OXM encodings first (``oxm_class_for``), in OVS's order, with its
normalizations: the TCI becomes ``vlan_vid`` (exact when the VID and present bits
are all matched) plus an exact ``vlan_pcp`` when the PCP is matched and the VID
value is not zero; ``nw_tos`` becomes the shifted ``ip_dscp``; ``in_port`` is 32
bits.  ``build_match(spec, 1)`` gives a ``Match10``: the NXM TLVs OVS puts in
NXT_FLOW_MOD (NXM encodings first: ``nxm_class_for``; ``vlan_tci`` and
``nw_tos`` as they are, a 16-bit ``in_port``) and, when ``spec.needs_nxm`` is false,
the 40-byte ``v10.ofp_match`` of OFPT_FLOW_MOD with the wildcards OVS sets.

``format_match`` prints a match (``v13.ofp_match``, ``v10.ofp_match``, a list of
OXM/NXM TLVs or a ``MatchSpec``) as ``ovs-ofctl --no-names dump-flows`` does:
OVS's order (``pkt_mark``, ``recirc_id``, ``dp_hash``, ``conj_id``, ``actset_output``,
the ``ct_*`` fields, the shorthand (``ip``, ``tcp6``, ``arp``... folding ``dl_type``
and ``nw_proto``), registers, tunnel fields, ``metadata``, ``in_port``, VLAN
(``dl_vlan``/``dl_vlan_pcp`` when the TCI says just that, else ``vlan_tci``),
``dl_src``, ``dl_dst``, ``dl_type``, addresses, ``nw_proto``/``arp_op``, ARP
hardware addresses, ``nw_tos``, ``nw_ecn``, ``nw_ttl``, ``nw_frag``, MPLS, ports
(``tp_src``, or ``icmp_type`` for ICMP and ICMPv6), ND, ``tcp_flags``) and its
legacy names and number styles.  Like OVS, some prints lose information:
``tun_gbp_flags`` shows no mask, ``tun_metadata`` hides a mask of all ones,
an exact ``ct_state`` prints like one masked with its flags.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from vlcp_core.namedstruct import Struct

from .. import v10, v13
from .._oxm import field_of, nxm_class_for, ofp_oxm, oxm_class_for
from .._oxm_fields import OVS_ORDER
from ._match import _FLAG_NAMES, SHORTHANDS, Field, MatchSpec
from ._match_prereq import ARP, RARP

__all__ = ["IPV4_FIELDS", "IPV6_FIELDS", "MAC_FIELDS", "Match10", "build_match",
           "format_fields", "format_match", "is_wide_register", "match_fields", "port16"]

_W = v10.ofp_flow_wildcards
_PACKET_TYPE = (0x8000, 44)  # OXM_OF_PACKET_TYPE, not in the field table


@dataclass(frozen=True)
class Match10:
    """An OpenFlow 1.0 match both ways: ``nxm`` (the NXM TLVs of NXT_FLOW_MOD, always
    there) and ``ofp_match`` (for OFPT_FLOW_MOD; ``None`` when ``needs_nxm``)."""

    nxm: list[Struct]
    ofp_match: Struct | None
    needs_nxm: bool


# -- building -----------------------------------------------------------------------

def _port16(port: int) -> int:
    return port & 0xFFFF if port >= 0xFFFFFF00 else port


def _wire(name: str, value: Any, size: int, fmt: str) -> Any:
    if isinstance(value, bytes) or value is None:
        return value
    if fmt in ("mac", "ipv6") or size > 8:
        return int(value).to_bytes(size, "big")
    return value


def _tlv(name: str, value: Any, mask: Any, version: int) -> Struct:
    if name == "packet_type":
        return ofp_oxm(oxm_class=_PACKET_TYPE[0], oxm_field=_PACKET_TYPE[1], oxm_hasmask=0,
                       oxm_length=4, _tail=int(value).to_bytes(4, "big"))
    found = oxm_class_for(name) if version == 4 else nxm_class_for(name)
    assert found is not None, name
    f, cls = found
    if name == "in_port" and f.size == 2:
        value = _port16(value)
    v = _wire(name, value, f.size, f.fmt)
    if mask is None:
        return cls(value=v)
    made: Struct = cls(value=v, mask=_wire(name, mask, f.size, f.fmt), oxm_hasmask=1)
    return made


def _oxm_items(fields: Iterable[Field], version: int) -> list[Field]:
    """The wire fields of a canonical list: in OpenFlow 1.3 the TCI becomes
    vlan_vid/vlan_pcp and nw_tos becomes ip_dscp."""
    out: list[Field] = []
    for name, value, mask in fields:
        if version == 4 and name == "vlan_tci":
            m = 0xFFFF if mask is None else mask
            vid, vid_mask = value & 0x1FFF, m & 0x1FFF
            if vid_mask:
                out.append(("vlan_vid", vid, None if vid_mask == 0x1FFF else vid_mask))
            if vid and m & 0xE000:
                out.append(("vlan_pcp", value >> 13 & 7, None))
        elif version == 4 and name == "nw_tos":
            out.append(("ip_dscp", value >> 2, None))
        else:
            out.append((name, value, mask))
    order = {name: i for i, name in enumerate(["packet_type", *OVS_ORDER])}
    out.sort(key=lambda item: order.get(item[0], len(order)))
    return out


def _ofp10(fields: Sequence[Field]) -> Struct:
    w = v10.OVS_WILDCARDS_ALL
    attrs: dict[str, Any] = {}
    for name, value, mask in fields:
        if name == "in_port":
            attrs["in_port"], w = _port16(value), w & ~_W.OFPFW_IN_PORT
        elif name in ("eth_src", "eth_dst"):
            attr = "dl_src" if name == "eth_src" else "dl_dst"
            attrs[attr] = value.to_bytes(6, "big")
            w &= ~(_W.OFPFW_DL_SRC if name == "eth_src" else _W.OFPFW_DL_DST)
        elif name == "eth_type":
            attrs["dl_type"], w = value, w & ~_W.OFPFW_DL_TYPE
        elif name == "vlan_tci":
            m = 0xFFFF if mask is None else mask
            if m & 0x1000 and not value & 0x1000:
                attrs["dl_vlan"], w = 0xFFFF, w & ~(_W.OFPFW_DL_VLAN | _W.OFPFW_DL_VLAN_PCP)
            else:
                if m & 0x0FFF:
                    attrs["dl_vlan"], w = value & 0x0FFF, w & ~_W.OFPFW_DL_VLAN
                if m & 0xE000:
                    attrs["dl_vlan_pcp"], w = value >> 13, w & ~_W.OFPFW_DL_VLAN_PCP
        elif name == "nw_tos":
            attrs["nw_tos"], w = value, w & ~_W.OFPFW_NW_TOS
        elif name in ("nw_proto", "arp_op"):
            attrs["nw_proto"], w = value, w & ~_W.OFPFW_NW_PROTO
        elif name in ("ip_src", "ip_dst", "arp_spa", "arp_tpa"):
            src = name in ("ip_src", "arp_spa")
            shift = 8 if src else 14
            bits = 0 if mask is None else (~mask & 0xFFFFFFFF).bit_length()
            attrs["nw_src" if src else "nw_dst"] = value
            w = w & ~(0x3F << shift) | bits << shift
        elif name.endswith(("_src", "_type")):
            attrs["tp_src"], w = value, w & ~_W.OFPFW_TP_SRC
        elif name.endswith(("_dst", "_code")):
            attrs["tp_dst"], w = value, w & ~_W.OFPFW_TP_DST
        elif name != "packet_type":
            raise ValueError(f"{name} does not fit an OpenFlow 1.0 ofp_match")
    made: Struct = v10.ofp_match(wildcards=int(w), **attrs)
    return made


def build_match(spec: MatchSpec, version: int, *, nxm: bool | None = None) -> Any:
    """The match of *spec* with the bytes ``ovs-ofctl`` sends for the same text.

    Without *nxm*: a ``v13.ofp_match`` (version 4) or a ``Match10`` (version 1: the
    NXM TLVs and, when ``spec.needs_nxm`` is false, the ``v10.ofp_match``).  With
    *nxm* (``True`` forces NXM in 1.0): ``(match, is_nxm)``, ``match`` being the
    ``v13.ofp_match``, the ``v10.ofp_match`` or the list of NXM TLVs.
    """
    if version == 4:
        made = v13.ofp_match(oxm_fields=[_tlv(n, v, m, 4) for n, v, m in
                                         _oxm_items(spec.fields, 4)])
        return made if nxm is None else (made, False)
    if version != 1:
        raise ValueError(f"OpenFlow wire version {version} is not supported (use 1 or 4)")
    tlvs = [_tlv(n, v, m, 1) for n, v, m in _oxm_items(spec.fields, 1)]
    if nxm is not None:
        if nxm or spec.needs_nxm:
            return tlvs, True
        return _ofp10(spec.fields), False
    return Match10(tlvs, None if spec.needs_nxm else _ofp10(spec.fields), spec.needs_nxm)


# Fields printed as addresses, by kind (``_value_text``; ``flow_stats_lines``).
IPV4_FIELDS = frozenset({"ip_src", "ip_dst", "arp_spa", "arp_tpa", "tun_src", "tun_dst",
                         "ct_nw_src", "ct_nw_dst"})
IPV6_FIELDS = frozenset({"ipv6_src", "ipv6_dst", "nd_target", "tun_ipv6_src", "tun_ipv6_dst",
                         "ct_ipv6_src", "ct_ipv6_dst"})
MAC_FIELDS = frozenset({"eth_src", "eth_dst", "arp_sha", "arp_tha", "nd_sll", "nd_tll"})


def port16(port: int) -> int:
    """An OpenFlow 1.0 port number as OVS prints it: the reserved ones (0xff00 and
    up) widened to their 32-bit numbers, so ``LOCAL`` and friends read alike."""
    return port | 0xFFFF0000 if port >= 0xFF00 else port


def is_wide_register(name: str) -> bool:
    """``xreg``/``xxreg`` fields: printed as the 32-bit registers they span."""
    return name.startswith("x") and "reg" in name


# -- decoding -----------------------------------------------------------------------

def _as_int(value: Any) -> int:
    return value if isinstance(value, int) else int.from_bytes(bytes(value), "big")


def _from_tlvs(tlvs: Iterable[Any]) -> list[Field]:
    out: list[Field] = []
    tci = tci_mask = 0
    for oxm in tlvs:
        f = field_of(type(oxm))
        if f is None:
            if (oxm.oxm_class, oxm.oxm_field) == _PACKET_TYPE and len(oxm._tail) == 4:
                out.append(("packet_type", int.from_bytes(oxm._tail, "big"), None))
                continue
            raise ValueError(f"unknown match field class {oxm.oxm_class:#x} field "
                             f"{oxm.oxm_field}")
        name = f.name
        mask = oxm.mask if oxm.oxm_hasmask else None
        if f.variable:
            out.append((name, bytes(oxm.value), None if mask is None else bytes(mask)))
            continue
        value = _as_int(oxm.value)
        m = None if mask is None else _as_int(mask)
        if m == (1 << 8 * f.size) - 1:
            m = None
        if name == "in_port" and f.size == 2:
            value = port16(value)
        if name == "vlan_vid":
            vm = 0x1FFF if m is None else m & 0x1FFF
            tci = (tci & ~0x1FFF) | (value & vm)
            tci_mask = vm | (tci_mask & 0xE000)
        elif name == "vlan_pcp":
            tci, tci_mask = (tci & ~0xE000) | value << 13 | 0x1000, tci_mask | 0xF000
        elif name == "vlan_tci":
            tci_mask = 0xFFFF if m is None else m
            tci = value & tci_mask
        elif name == "ip_dscp":
            out.append(("nw_tos", value << 2, None))
        elif is_wide_register(name):
            n = f.size // 4
            base = int(name.lstrip("xreg")) * n
            full = (1 << 32 * n) - 1 if m is None else m
            for j in range(n):
                shift = 32 * (n - 1 - j)
                pm = full >> shift & 0xFFFFFFFF
                if pm:
                    out.append((f"reg{base + j}", value >> shift & pm,
                                None if pm == 0xFFFFFFFF else pm))
        elif name == "ip_frag" and m == 3:
            out.append((name, value, None))
        elif m != 0:
            out.append((name, value, m))
    if tci_mask:
        out.append(("vlan_tci", tci, None if tci_mask == 0xFFFF else tci_mask))
    return out


def _from_ofp10(match: Any) -> list[Field]:
    w = match.wildcards
    out: list[Field] = []
    dl_type = None if w & _W.OFPFW_DL_TYPE else match.dl_type
    proto = None if w & _W.OFPFW_NW_PROTO else match.nw_proto
    if not w & _W.OFPFW_IN_PORT:
        out.append(("in_port", port16(match.in_port), None))
    for bit, attr, name in ((_W.OFPFW_DL_SRC, "dl_src", "eth_src"),
                            (_W.OFPFW_DL_DST, "dl_dst", "eth_dst")):
        if not w & bit:
            out.append((name, _as_int(getattr(match, attr)), None))
    if dl_type is not None:
        out.append(("eth_type", dl_type, None))
    if not w & _W.OFPFW_DL_VLAN and match.dl_vlan == 0xFFFF:
        out.append(("vlan_tci", 0, None))
    else:
        tci = mask = 0
        if not w & _W.OFPFW_DL_VLAN:
            tci, mask = tci | (match.dl_vlan & 0xFFF) | 0x1000, mask | 0x1FFF
        if not w & _W.OFPFW_DL_VLAN_PCP:
            tci, mask = tci | (match.dl_vlan_pcp & 7) << 13 | 0x1000, mask | 0xF000
        if mask:
            out.append(("vlan_tci", tci, None if mask == 0xFFFF else mask))
    arp = dl_type in (ARP, RARP)
    for shift, attr, names in ((8, "nw_src", ("ip_src", "arp_spa")),
                               (14, "nw_dst", ("ip_dst", "arp_tpa"))):
        count = w >> shift & 0x3F
        if count < 32:
            mask32 = 0xFFFFFFFF << count & 0xFFFFFFFF
            out.append((names[arp], _as_int(getattr(match, attr)) & mask32,
                        None if count == 0 else mask32))
    if proto is not None:
        out.append(("arp_op" if arp else "nw_proto", proto, None))
    if not w & _W.OFPFW_NW_TOS:
        out.append(("nw_tos", match.nw_tos & 0xFC, None))
    kind = {1: "icmp", 6: "tcp", 17: "udp", 132: "sctp"}.get(proto or 0, "tcp")
    if not w & _W.OFPFW_TP_SRC:
        out.append(("icmp_type" if kind == "icmp" else f"{kind}_src", match.tp_src, None))
    if not w & _W.OFPFW_TP_DST:
        out.append(("icmp_code" if kind == "icmp" else f"{kind}_dst", match.tp_dst, None))
    return out


def match_fields(match: Any) -> list[Field]:
    """The canonical ``(name, value, mask)`` list of a ``v13.ofp_match``, a
    ``v10.ofp_match``, a list of OXM/NXM TLVs, a ``Match10`` or a ``MatchSpec``."""
    if isinstance(match, MatchSpec):
        return list(match.fields)
    if isinstance(match, Match10):
        return _from_tlvs(match.nxm)
    if isinstance(match, v10.ofp_match):
        return _from_ofp10(match)
    if isinstance(match, v13.ofp_match):
        return _from_tlvs(match.oxm_fields)
    return _from_tlvs(match)


# -- printing -----------------------------------------------------------------------

_PORT_NAMES = {0xFFFFFFF8: "IN_PORT", 0xFFFFFFF9: "TABLE", 0xFFFFFFFA: "NORMAL",
               0xFFFFFFFB: "FLOOD", 0xFFFFFFFC: "ALL", 0xFFFFFFFD: "CONTROLLER",
               0xFFFFFFFE: "LOCAL", 0xFFFFFFFF: "ANY"}
_SHORT_NAMES = {v: k for k, v in SHORTHANDS.items()}
_TP_NAMES = {**{f"{p}_src": "tp_src" for p in ("tcp", "udp", "sctp")},
             **{f"{p}_dst": "tp_dst" for p in ("tcp", "udp", "sctp")},
             "icmp_type": "icmp_type", "icmpv6_type": "icmp_type",
             "icmp_code": "icmp_code", "icmpv6_code": "icmp_code"}
# Print order of Open vSwitch's match_format (lib/match.c), by canonical name.
_PRINT_ORDER = [
    "pkt_mark", "recirc_id", "dp_hash", "conj_id", "actset_output",
    "ct_state", "ct_zone", "ct_mark", "ct_label", "ct_nw_src", "ct_nw_dst", "ct_ipv6_src",
    "ct_ipv6_dst", "ct_nw_proto", "ct_tp_src", "ct_tp_dst", "packet_type", "<shorthand>",
    *(f"reg{i}" for i in range(16)),
    "tun_id", "tun_src", "tun_dst", "tun_ipv6_src", "tun_ipv6_dst", "tun_gbp_id",
    "tun_gbp_flags", "tun_flags", *(f"tun_metadata{i}" for i in range(64)),
    "metadata", "in_port", "vlan_tci", "eth_src", "eth_dst", "eth_type",
    "ipv6_src", "ipv6_dst", "ipv6_label", "arp_spa", "arp_tpa", "ip_src", "ip_dst",
    "nw_proto", "arp_op", "arp_sha", "arp_tha", "nw_tos", "nw_ecn", "nw_ttl", "ip_frag",
    "mpls_label", "mpls_tc", "mpls_ttl", "mpls_bos",
    "tcp_src", "udp_src", "sctp_src", "icmp_type", "icmpv6_type",
    "tcp_dst", "udp_dst", "sctp_dst", "icmp_code", "icmpv6_code",
    "nd_target", "nd_sll", "nd_tll", "tcp_flags",
]
_RANK = {name: i for i, name in enumerate(_PRINT_ORDER)}
_PRINT_NAME = {"eth_src": "dl_src", "eth_dst": "dl_dst", "eth_type": "dl_type",
               "ip_src": "nw_src", "ip_dst": "nw_dst", "ip_frag": "nw_frag", **_TP_NAMES}
_HEX = {"pkt_mark", "recirc_id", "dp_hash", "ct_mark", "ct_label", "tun_id", "metadata",
        *(f"reg{i}" for i in range(16))}
_DEC16 = {"ct_tp_src", "ct_tp_dst", "tun_gbp_id", *_TP_NAMES}
_FRAG = {(0, None): "no", (1, None): "first", (3, None): "later", (2, None): "later",
         (1, 1): "yes", (0, 1): "no", (2, 2): "later", (0, 2): "not_later"}


def _c_hex(value: int) -> str:
    """C's ``%#x``: ``0`` for zero, else ``0x...``."""
    return f"{value:#x}" if value else "0"


def _ip_text(value: int, mask: int | None, bits: int) -> str:
    kind = ipaddress.IPv4Address if bits == 32 else ipaddress.IPv6Address
    text = str(kind(value))
    if mask is None:
        return text
    inverted = ~mask & ((1 << bits) - 1)
    if inverted & (inverted + 1):
        return f"{text}/{kind(mask)}"
    return f"{text}/{bits - inverted.bit_length()}"


def _mac_text(value: int) -> str:
    return ":".join(f"{b:02x}" for b in value.to_bytes(6, "big"))


def _flags_text(name: str, value: int, mask: int | None) -> str:
    names = _FLAG_NAMES[name]
    known = (1 << len(names)) - 1
    if name != "tun_flags" and (mask is None or mask & known == known):
        return "|".join(n for i, n in enumerate(names) if value >> i & 1) or "0"
    m = known if mask is None else mask
    return "".join(("+" if value >> i & 1 else "-") + n
                   for i, n in enumerate(names) if m >> i & 1)


def _value_text(name: str, value: Any, mask: Any) -> str:
    if isinstance(value, bytes):  # tun_metadata
        text = _c_hex(int.from_bytes(value, "big"))
        if mask is not None:
            m = int.from_bytes(mask, "big")
            if m & (m + 1):
                text += "/" + _c_hex(m)
        return text
    if name in _FLAG_NAMES:
        return _flags_text(name, value, mask)
    if name in ("in_port", "actset_output"):
        return _PORT_NAMES.get(value, str(value))
    if name in IPV4_FIELDS:
        return _ip_text(value, mask, 32)
    if name in IPV6_FIELDS:
        return _ip_text(value, mask, 128)
    if name in MAC_FIELDS:
        return _mac_text(value) + ("" if mask is None else "/" + _mac_text(mask))
    if name == "ip_frag":
        return _FRAG.get((value, mask), f"{value:#x}/{mask or 3:#x}")
    if name == "eth_type":
        return f"0x{value:04x}"
    if name == "ipv6_label":
        return f"0x{value:05x}" + ("" if mask is None else f"/0x{mask:05x}")
    if name == "tun_gbp_flags":
        return f"{value:#x}"
    if name in _HEX:
        return _c_hex(value) + ("" if mask is None else "/" + _c_hex(mask))
    if mask is not None:
        return f"0x{value:x}/0x{mask:x}" if name in _DEC16 else \
            _c_hex(value) + "/" + _c_hex(mask)
    return str(value)


def _vlan_text(tci: int, mask: int | None) -> list[str]:
    m = 0xFFFF if mask is None else mask
    vid_mask, pcp_mask = m & 0x0FFF, m & 0xE000
    if (m & 0x1000 and tci & 0x1000 and vid_mask in (0, 0x0FFF) and pcp_mask in (0, 0xE000)
            and (vid_mask or pcp_mask)):
        out = [f"dl_vlan={tci & 0xFFF}"] if vid_mask else []
        return out + ([f"dl_vlan_pcp={tci >> 13}"] if pcp_mask else [])
    if m == 0xFFFF:
        return [f"vlan_tci=0x{tci:04x}"]
    return [f"vlan_tci=0x{tci:04x}/0x{m:04x}"]


def format_fields(fields: Iterable[Field]) -> str:
    """The ``ovs-ofctl`` text of canonical ``(name, value, mask)`` fields."""
    items = list(fields)
    values = {name: value for name, value, mask in items if mask is None}
    et: int = values.get("eth_type", -1)
    proto: int | None = values.get("nw_proto")
    short = _SHORT_NAMES.get((et, proto)) if proto is not None else None
    if short is None:
        short = _SHORT_NAMES.get((et, None))
        fold = {"eth_type"} if short else set()
    else:
        fold = {"eth_type", "nw_proto"}
    parts: list[tuple[int, str]] = []
    if short:
        parts.append((_RANK["<shorthand>"], short))
    for name, value, mask in items:
        if name in fold or (name == "packet_type" and not value):
            continue  # OVS prints nothing for packet_type=(0,0) (Ethernet)
        if name == "packet_type":
            parts.append((_RANK[name], f"packet_type=({value >> 16},{value & 0xFFFF:#x})"))
            continue
        rank = _RANK.get(name, len(_RANK))
        if name == "vlan_tci":
            parts.extend((rank, text) for text in _vlan_text(value, mask))
            continue
        printed = _PRINT_NAME.get(name, name)
        if name in ("ip_src", "ip_dst") and et in (ARP, RARP):
            printed = name.replace("ip_src", "arp_spa").replace("ip_dst", "arp_tpa")
        parts.append((rank, f"{printed}={_value_text(name, value, mask)}"))
    parts.sort(key=lambda part: part[0])
    return ",".join(text for _, text in parts)


def format_match(match: Any, version: int | None = None) -> str:
    """The match text ``ovs-ofctl --no-names dump-flows`` prints for *match* (a
    ``v13.ofp_match``, a ``v10.ofp_match``, a list of OXM/NXM TLVs, a ``Match10``
    or a ``MatchSpec``); *version* is accepted for symmetry with ``build_match``.
    Without the priority (the flow-level code prints ``priority=N,`` first)."""
    del version
    return format_fields(match_fields(match))
