"""Validation: the checks decoding leaves out, run before sending.

Decoding is liberal (only lengths are checked) so that whatever a switch sends can
be read.  Before *sending*, ``validate(message)`` applies what the specs and Open
vSwitch require, with an error that names the field and what to do:

- OXM matches: no field twice; masks only where allowed, with ``oxm_hasmask``
  consistent; no value bits outside the mask; value ranges (``vlan_pcp`` <= 7...);
  prerequisites (``ip_dst`` needs ``eth_type=0x0800``), which Open vSwitch
  silently drops otherwise, turning a rule into a match-all (OpenFlow 1.3.5,
  7.2.3.6; ``ovs-fields(7)``, "Prerequisites").

- Nicira fields: ``CT`` (the ``ct_nw_*``, ``ct_ipv6_*`` and ``ct_tp_*`` tuple
  fields need a ``ct_state`` match that implies a valid connection: one of
  ``+new``, ``+est``, ``+rel``, ``+rpl``, ``+snat``, ``+dnat``, or ``+trk-inv``;
  ``ct_state=+trk`` alone is refused by Open vSwitch with OFPBMC_BAD_PREREQ), and
  what Open vSwitch 3.1 enforces beyond ``ovs-fields(7)``: ``ct_nw_src``/``dst``
  need ``ip``, ``ct_ipv6_src``/``dst`` need ``ipv6`` (OFPBAC_MATCH_INCONSISTENT
  otherwise), ``ct_tp_src``/``dst`` need ``ct_nw_proto`` (silently dropped
  otherwise); a masked variable-length field (``tun_metadata``) needs value and
  mask of the same length.

- OpenFlow 1.0 matches: the same prerequisites expressed with wildcards
  (``nw_dst`` needs ``dl_type`` 0x0800/0x0806 not wildcarded).

Checks are registered per struct class (``register_check``), so the Nicira
extensions can add theirs next to their definitions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from vlcp_core.namedstruct import BuildError, Struct

from ._oxm import field_of, ofp_oxm
from ._oxm_fields import OxmField

__all__ = ["ValidationError", "register_check", "validate"]


class ValidationError(BuildError):
    """A message that decodes but must not be sent as it is (the path names the field)."""


Check = Callable[[Any], Iterator[tuple[str, str]]]
_CHECKS: dict[type[Struct], list[Check]] = {}


def register_check(cls: type[Struct], check: Check) -> None:
    """Run *check* on every *cls* object inside a validated message.

    *check* yields ``(relative path, reason)`` for each problem.
    """
    _CHECKS.setdefault(cls, []).append(check)


def _walk(obj: Struct, path: list[str]) -> Iterator[tuple[list[str], str]]:
    for cls in type(obj).__mro__:
        for check in _CHECKS.get(cls, []):
            for where, reason in check(obj):
                yield path + ([where] if where else []), reason
    for name, _ in obj._ns_info.fields:
        value = getattr(obj, name)
        if isinstance(value, Struct):
            yield from _walk(value, path + [name])
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, Struct):
                    yield from _walk(item, path + [name, f"[{i}]"])


def problems(message: Struct) -> list[ValidationError]:
    """Every problem ``validate`` would report, in order."""
    out = []
    for path, reason in _walk(message, []):
        err = ValidationError(reason)
        for segment in reversed(path):
            err.push(segment)
        err.push(message._ns_info.name)
        out.append(err)
    return out


def validate(message: Struct) -> None:
    """Raise ``ValidationError`` for the first problem of *message* (see module doc).

    Example: ``validate(v13.ofp_flow_mod(match=...))`` before sending it.
    """
    found = problems(message)
    if found:
        raise found[0]


# -- OXM ---------------------------------------------------------------------------

_RANGES = {"vlan_vid": 0x1FFF, "vlan_pcp": 7, "ip_dscp": 63, "nw_ecn": 3,
           "ipv6_label": 0xFFFFF, "mpls_label": 0xFFFFF, "mpls_tc": 7, "mpls_bos": 1,
           "ipv6_exthdr": 0x1FF, "tcp_flags": 0xFFF,
           # ovs-fields(7): "only the least-significant N bits may be nonzero", and
           # the flags it defines.
           "ip_frag": 0x3, "tun_flags": 0x1, "ct_state": 0xFF}

# ct_state bits (ovs-fields(7)): new, est, rel, rpl, inv, trk, snat, dnat.
_CS_VALID = 0x01 | 0x02 | 0x04 | 0x08 | 0x40 | 0x80  # each implies a valid connection
_CS_INV, _CS_TRK = 0x10, 0x20


def _ct_valid(m: dict[str, Any]) -> bool:
    state = m.get("ct_state")
    if state is None:
        return False
    v, mask = state if isinstance(state, tuple) else (state, 0xFFFFFFFF)
    v &= mask
    return bool(v & _CS_VALID) or bool(v & _CS_TRK and mask & _CS_INV and not v & _CS_INV)

_IP = {0x0800, 0x86DD}
# prerequisite -> (description, test on {field name: value} of the match)
_PREREQS: dict[str, tuple[str, Callable[[dict[str, Any]], bool]]] = {
    "Ethernet": ("", lambda m: True),
    "VLAN VID": ("vlan_vid with OFPVID_PRESENT (0x1000)",
                 lambda m: isinstance(m.get("vlan_vid"), int) and bool(m["vlan_vid"] & 0x1000)),
    "IPv4": ("eth_type=0x0800 (ip)", lambda m: m.get("eth_type") == 0x0800),
    "IPv6": ("eth_type=0x86dd (ipv6)", lambda m: m.get("eth_type") == 0x86DD),
    "IPv4/IPv6": ("eth_type=0x0800 or 0x86dd (ip or ipv6)", lambda m: m.get("eth_type") in _IP),
    "ARP": ("eth_type=0x0806 (arp)", lambda m: m.get("eth_type") in (0x0806, 0x8035)),
    "MPLS": ("eth_type=0x8847 or 0x8848 (mpls)", lambda m: m.get("eth_type") in (0x8847, 0x8848)),
    "PBB": ("eth_type=0x88e7", lambda m: m.get("eth_type") == 0x88E7),
    "TCP": ("eth_type=0x0800 or 0x86dd and nw_proto=6 (tcp or tcp6)",
            lambda m: m.get("eth_type") in _IP and m.get("nw_proto") == 6),
    "UDP": ("eth_type=0x0800 or 0x86dd and nw_proto=17 (udp or udp6)",
            lambda m: m.get("eth_type") in _IP and m.get("nw_proto") == 17),
    "SCTP": ("eth_type=0x0800 or 0x86dd and nw_proto=132 (sctp or sctp6)",
             lambda m: m.get("eth_type") in _IP and m.get("nw_proto") == 132),
    "ICMPv4": ("eth_type=0x0800 and nw_proto=1 (icmp)",
               lambda m: m.get("eth_type") == 0x0800 and m.get("nw_proto") == 1),
    "ICMPv6": ("eth_type=0x86dd and nw_proto=58 (icmp6)",
               lambda m: m.get("eth_type") == 0x86DD and m.get("nw_proto") == 58),
    "ND": ("icmp6 with icmpv6_type=135 or 136",
           lambda m: m.get("eth_type") == 0x86DD and m.get("nw_proto") == 58
           and m.get("icmpv6_type") in (135, 136)),
    "ND solicit": ("icmp6 with icmpv6_type=135",
                   lambda m: m.get("eth_type") == 0x86DD and m.get("nw_proto") == 58
                   and m.get("icmpv6_type") == 135),
    "ND advert": ("icmp6 with icmpv6_type=136",
                  lambda m: m.get("eth_type") == 0x86DD and m.get("nw_proto") == 58
                  and m.get("icmpv6_type") == 136),
    "CT": ("a ct_state match implying a valid connection (+new, +est, +rel, +rpl, +snat, "
           "+dnat or +trk-inv)", _ct_valid),
}
# What Open vSwitch 3.1 requires beyond the prerequisite of ovs-fields(7).
_MORE: dict[str, str] = {"ct_nw_src": "IPv4", "ct_nw_dst": "IPv4", "ct_ipv6_src": "IPv6",
                         "ct_ipv6_dst": "IPv6", "ct_tp_src": "ct_nw_proto",
                         "ct_tp_dst": "ct_nw_proto"}
_PREREQS["ct_nw_proto"] = ("ct_nw_proto", lambda m: "ct_nw_proto" in m)


def _int(value: Any) -> int:
    return value if isinstance(value, int) else int.from_bytes(bytes(value), "big")


def oxm_value_problems(f: OxmField, oxm: Struct) -> Iterator[tuple[str, str]]:
    """Mask and range problems of one OXM field object."""
    has_mask = bool(oxm.oxm_hasmask)
    if has_mask and not f.maskable:
        yield "oxm_hasmask", f"{f.name} cannot be masked"
    if has_mask and oxm.mask is None:
        yield "mask", f"{f.name} has oxm_hasmask=1 but no mask"
    if not has_mask and oxm.mask is not None:
        yield "oxm_hasmask", f"{f.name} has a mask but oxm_hasmask=0 (the mask would be lost)"
    limit = _RANGES.get(f.name)
    if limit is not None and oxm.value is not None and _int(oxm.value) > limit:
        yield "value", f"{f.name}={_int(oxm.value)} is out of range (0..{limit})"
    if has_mask and oxm.mask is not None and oxm.value is not None:
        if f.variable and len(oxm.value) != len(oxm.mask):
            yield "mask", (f"{f.name} has a {len(oxm.value)}-byte value and a "
                           f"{len(oxm.mask)}-byte mask (they must be the same length)")
        elif _int(oxm.value) & ~_int(oxm.mask):
            yield "value", f"{f.name} has value bits outside its mask"


def check_oxm_list(fields: list[Any], where: str) -> Iterator[tuple[str, str]]:
    """Duplicate, mask, range and prerequisite problems of a list of OXM objects."""
    values: dict[str, Any] = {}
    for oxm in fields:
        f = field_of(type(oxm)) if isinstance(oxm, ofp_oxm) else None
        if f is not None and not oxm.oxm_hasmask:
            values.setdefault(f.name, _int(oxm.value) if f.size <= 8 else oxm.value)
        elif f is not None and f.fmt == "ct_state" and oxm.mask is not None:
            values.setdefault(f.name, (_int(oxm.value), _int(oxm.mask)))
    seen: set[str] = set()
    for i, oxm in enumerate(fields):
        at = f"{where}[{i}]"
        f = field_of(type(oxm)) if isinstance(oxm, ofp_oxm) else None
        if f is None:
            continue
        if f.name in seen:
            yield at, f"{f.name} appears twice"
        seen.add(f.name)
        for sub, reason in oxm_value_problems(f, oxm):
            yield f"{at}.{sub}", reason
        for prereq in (f.prereq, _MORE.get(f.name, "")):
            if not prereq:
                continue
            text, test = _PREREQS.get(prereq, ("", lambda m: True))
            if not test(values):
                if prereq == "CT" or f.name in _MORE and prereq != "ct_nw_proto":
                    effect = "refuses the rule"
                else:
                    effect = f"ignores {f.name} and the rule matches more than intended"
                yield at, f"{f.name} needs {text}: without it Open vSwitch {effect}"


def _check_match13(match: Any) -> Iterator[tuple[str, str]]:
    return check_oxm_list(match.oxm_fields, "oxm_fields")


# OpenFlow 1.0 wildcard bits (spec 1.0.0, 5.2.3).
_W_DL_TYPE, _W_NW_PROTO, _W_TP_SRC, _W_TP_DST = 1 << 4, 1 << 5, 1 << 6, 1 << 7
_W_NW_TOS = 1 << 21


def _check_match10(match: Any) -> Iterator[tuple[str, str]]:
    w = match.wildcards
    dl_type = None if w & _W_DL_TYPE else match.dl_type
    nw_proto = None if w & _W_NW_PROTO else match.nw_proto
    nw_src_exact = ((w >> 8) & 0x3F) < 32
    nw_dst_exact = ((w >> 14) & 0x3F) < 32
    for name, used in (("nw_src", nw_src_exact), ("nw_dst", nw_dst_exact),
                       ("nw_proto", nw_proto is not None)):
        if used and dl_type not in (0x0800, 0x0806):
            yield name, (f"{name} needs dl_type=0x0800 (ip) or 0x0806 (arp) without the "
                         "OFPFW_DL_TYPE wildcard: Open vSwitch ignores it otherwise")
    if not w & _W_NW_TOS and dl_type != 0x0800:
        yield "nw_tos", "nw_tos needs dl_type=0x0800 (ip) without the OFPFW_DL_TYPE wildcard"
    for name, bit in (("tp_src", _W_TP_SRC), ("tp_dst", _W_TP_DST)):
        if not w & bit and (dl_type != 0x0800 or nw_proto not in (1, 6, 17)):
            yield name, (f"{name} needs dl_type=0x0800 and nw_proto=6, 17 or 1 (tcp, udp, "
                         "icmp) without wildcards: Open vSwitch ignores it otherwise")


def _install() -> None:
    from . import v10
    from .v13 import ofp_match

    register_check(ofp_match, _check_match13)
    register_check(v10.ofp_match, _check_match10)


_install()
