"""OpenFlow 1.0 actions (spec 1.0.0, 5.2.4 "Action Structures").

``ofp_action`` is the common header (``type``, ``len``); parsing it gives the
subtype of the action type.  Several action types share one spec struct
(``ofp_action_dl_addr`` for SET_DL_SRC and SET_DL_DST): build those with
``type=`` (the first type listed is the default).  An action of an unknown type
keeps its body in ``_tail``, and so does a known action whose ``len`` goes beyond
its struct; a ``len`` shorter than the struct is a ``LengthError``.

Vendor actions (``ofp_action_vendor_header``) dispatch further on ``vendor``:
an extension defines its actions with ``base=ofp_action_vendor_header,
when={"vendor": ID}``; an unknown vendor keeps its body in ``_tail``.
"""

from __future__ import annotations

from typing import Any

from vlcp_core.namedstruct import (
    Struct,
    hexa,
    ipv4_addr,
    mac_addr,
    nstruct,
    pad,
    uint8,
    uint16,
    uint32,
)

from ._enums import ofp_action_type, ofp_port

__all__ = [
    "set_field_action",
    "ofp_action",
    "ofp_action_dl_addr",
    "ofp_action_enqueue",
    "ofp_action_nw_addr",
    "ofp_action_nw_tos",
    "ofp_action_output",
    "ofp_action_strip_vlan",
    "ofp_action_tp_port",
    "ofp_action_vendor_header",
    "ofp_action_vlan_pcp",
    "ofp_action_vlan_vid",
]

_T = ofp_action_type

ofp_action = nstruct(
    "ofp_action",
    (uint16(ofp_action_type), "type"), (uint16, "len"),
    size="len", classify="type",
    doc="Action header (spec ``ofp_action_header``): type and length (filled on build); "
        "an unknown action keeps its body in ``_tail``.",
)

ofp_action_output = nstruct(
    "ofp_action_output",
    (uint16(ofp_port), "port"), (uint16, "max_len"),
    base=ofp_action, when={"type": _T.OFPAT_OUTPUT},
    doc="OFPAT_OUTPUT: send to ``port``; ``max_len`` bytes to the controller.",
)

ofp_action_vlan_vid = nstruct(
    "ofp_action_vlan_vid",
    (uint16, "vlan_vid"), pad(2),
    base=ofp_action, when={"type": _T.OFPAT_SET_VLAN_VID},
    doc="OFPAT_SET_VLAN_VID: set (or add) the 802.1Q VLAN id.",
)

ofp_action_vlan_pcp = nstruct(
    "ofp_action_vlan_pcp",
    (uint8, "vlan_pcp"), pad(3),
    base=ofp_action, when={"type": _T.OFPAT_SET_VLAN_PCP},
    doc="OFPAT_SET_VLAN_PCP: set (or add) the 802.1Q priority.",
)

ofp_action_strip_vlan = nstruct(
    "ofp_action_strip_vlan",
    pad(4),
    base=ofp_action, when={"type": _T.OFPAT_STRIP_VLAN},
    doc="OFPAT_STRIP_VLAN: remove the 802.1Q header (a bare ``ofp_action_header``).",
)

ofp_action_dl_addr = nstruct(
    "ofp_action_dl_addr",
    (mac_addr, "dl_addr"), pad(6),
    base=ofp_action, when=[{"type": _T.OFPAT_SET_DL_SRC}, {"type": _T.OFPAT_SET_DL_DST}],
    doc="OFPAT_SET_DL_SRC (default) or OFPAT_SET_DL_DST: set an Ethernet address.",
)

ofp_action_nw_addr = nstruct(
    "ofp_action_nw_addr",
    (ipv4_addr, "nw_addr"),
    base=ofp_action, when=[{"type": _T.OFPAT_SET_NW_SRC}, {"type": _T.OFPAT_SET_NW_DST}],
    doc="OFPAT_SET_NW_SRC (default) or OFPAT_SET_NW_DST: set an IPv4 address.",
)

ofp_action_nw_tos = nstruct(
    "ofp_action_nw_tos",
    (uint8, "nw_tos"), pad(3),
    base=ofp_action, when={"type": _T.OFPAT_SET_NW_TOS},
    doc="OFPAT_SET_NW_TOS: set the IP ToS (DSCP in the upper 6 bits).",
)

ofp_action_tp_port = nstruct(
    "ofp_action_tp_port",
    (uint16, "tp_port"), pad(2),
    base=ofp_action, when=[{"type": _T.OFPAT_SET_TP_SRC}, {"type": _T.OFPAT_SET_TP_DST}],
    doc="OFPAT_SET_TP_SRC (default) or OFPAT_SET_TP_DST: set a TCP/UDP port.",
)

ofp_action_enqueue = nstruct(
    "ofp_action_enqueue",
    (uint16(ofp_port), "port"), pad(6), (uint32, "queue_id"),
    base=ofp_action, when={"type": _T.OFPAT_ENQUEUE},
    doc="OFPAT_ENQUEUE: output through queue ``queue_id`` of ``port``.",
)

ofp_action_vendor_header = nstruct(
    "ofp_action_vendor_header",
    (uint32(hexa), "vendor"),
    base=ofp_action, when={"type": _T.OFPAT_VENDOR}, classify="vendor",
    doc="OFPAT_VENDOR: a vendor action; dispatches on ``vendor``, an unknown vendor's "
        "body stays in ``_tail``.",
)


# Which OpenFlow 1.0 action sets which field (by Open vSwitch field name): what
# ovs-ofctl sends in 1.0 for set_field/mod_* of these fields.
_SETTERS: dict[str, tuple[type[Struct], str, str]] = {
    "eth_src": (ofp_action_dl_addr, "OFPAT_SET_DL_SRC", "dl_addr"),
    "eth_dst": (ofp_action_dl_addr, "OFPAT_SET_DL_DST", "dl_addr"),
    "ip_src": (ofp_action_nw_addr, "OFPAT_SET_NW_SRC", "nw_addr"),
    "ip_dst": (ofp_action_nw_addr, "OFPAT_SET_NW_DST", "nw_addr"),
    "nw_tos": (ofp_action_nw_tos, "OFPAT_SET_NW_TOS", "nw_tos"),
    "tcp_src": (ofp_action_tp_port, "OFPAT_SET_TP_SRC", "tp_port"),
    "udp_src": (ofp_action_tp_port, "OFPAT_SET_TP_SRC", "tp_port"),
    "sctp_src": (ofp_action_tp_port, "OFPAT_SET_TP_SRC", "tp_port"),
    "tcp_dst": (ofp_action_tp_port, "OFPAT_SET_TP_DST", "tp_port"),
    "udp_dst": (ofp_action_tp_port, "OFPAT_SET_TP_DST", "tp_port"),
    "sctp_dst": (ofp_action_tp_port, "OFPAT_SET_TP_DST", "tp_port"),
    "vlan_vid": (ofp_action_vlan_vid, "OFPAT_SET_VLAN_VID", "vlan_vid"),
    "vlan_pcp": (ofp_action_vlan_pcp, "OFPAT_SET_VLAN_PCP", "vlan_pcp"),
}


def set_field_action(field: str, value: Any) -> Struct | None:
    """The OpenFlow 1.0 action that sets *field* (an Open vSwitch field name) to
    *value*, or ``None`` when OpenFlow 1.0 has none (Nicira actions do that).

    ``ip_dscp`` becomes SET_NW_TOS of the value shifted left by 2 and ``vlan_vid``
    keeps its 12 VID bits, as Open vSwitch sends them.

    Example: ``set_field_action("ip_dst", "10.0.0.2")`` is an OFPAT_SET_NW_DST.
    """
    if field == "ip_dscp":
        field, value = "nw_tos", int(value) << 2
    elif field == "vlan_vid" and isinstance(value, int):
        value &= 0xFFF
    found = _SETTERS.get(field)
    if found is None:
        return None
    cls, type_name, attr = found
    if attr == "dl_addr" and isinstance(value, int):
        value = value.to_bytes(6, "big")
    made: Struct = cls(type=type_name, **{attr: value})
    return made

