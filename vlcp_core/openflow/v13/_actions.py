"""OpenFlow 1.3 actions (OpenFlow Switch Specification 1.3.5, section 7.2.5).

``ofp_action`` is the spec's ``ofp_action_header`` reduced to ``type`` and ``len``:
it dispatches on ``type`` and its ``len`` bounds the action, so an action of a
type nobody defined (or a known type with extra bytes) keeps its body in
``_tail`` and round-trips byte-identically.  Every action type has its own class
(``ofp_action_output``, ``ofp_action_push_vlan``...), even where the spec shares
a layout (``ofp_action_generic``, ``ofp_action_push``, ``ofp_action_mpls_ttl``).

``ofp_action_set_field`` holds one OXM TLV (``vlcp_core.openflow.ofp_oxm``); its
padding to a multiple of 8 is counted in ``len``.  ``ofp_action_experimenter``
dispatches on ``experimenter`` so vendor actions (Nicira) can be added as its
subtypes.

``ofp_action_id`` is the data-less form used in table features (7.3.5.5.2).
"""

from __future__ import annotations

import enum

from vlcp_core.namedstruct import Struct, hexa, nstruct, pad, uint8, uint16, uint32

from .._oxm import ofp_oxm
from ._enums import ofp_controller_max_len, ofp_group, ofp_port_no

__all__ = [
    "ofp_action",
    "ofp_action_copy_ttl_in",
    "ofp_action_copy_ttl_out",
    "ofp_action_dec_mpls_ttl",
    "ofp_action_dec_nw_ttl",
    "ofp_action_experimenter",
    "ofp_action_group",
    "ofp_action_id",
    "ofp_action_id_experimenter",
    "ofp_action_output",
    "ofp_action_pop_mpls",
    "ofp_action_pop_pbb",
    "ofp_action_pop_vlan",
    "ofp_action_push_mpls",
    "ofp_action_push_pbb",
    "ofp_action_push_vlan",
    "ofp_action_set_field",
    "ofp_action_set_mpls_ttl",
    "ofp_action_set_nw_ttl",
    "ofp_action_set_queue",
    "ofp_action_type",
]


class ofp_action_type(enum.IntEnum):
    """Action types (7.2.5)."""

    OFPAT_OUTPUT = 0
    OFPAT_COPY_TTL_OUT = 11
    OFPAT_COPY_TTL_IN = 12
    OFPAT_SET_MPLS_TTL = 15
    OFPAT_DEC_MPLS_TTL = 16
    OFPAT_PUSH_VLAN = 17
    OFPAT_POP_VLAN = 18
    OFPAT_PUSH_MPLS = 19
    OFPAT_POP_MPLS = 20
    OFPAT_SET_QUEUE = 21
    OFPAT_GROUP = 22
    OFPAT_SET_NW_TTL = 23
    OFPAT_DEC_NW_TTL = 24
    OFPAT_SET_FIELD = 25
    OFPAT_PUSH_PBB = 26
    OFPAT_POP_PBB = 27
    OFPAT_EXPERIMENTER = 0xFFFF


T = ofp_action_type

ofp_action = nstruct(
    "ofp_action",
    (uint16(ofp_action_type), "type"), (uint16, "len"),
    size="len", classify="type",
    doc="An action (``ofp_action_header``): dispatches on ``type``; unknown bodies in ``_tail``.",
)

ofp_action_output = nstruct(
    "ofp_action_output",
    (uint32(ofp_port_no), "port"), (uint16(ofp_controller_max_len), "max_len"), pad(6),
    base=ofp_action, when={"type": T.OFPAT_OUTPUT},
    defaults={"max_len": ofp_controller_max_len.OFPCML_NO_BUFFER},
    doc="OUTPUT: send to ``port``; ``max_len`` bytes to the controller (default: all).",
)


def _generic(name: str, action: ofp_action_type) -> type[Struct]:
    return nstruct(name, pad(4), base=ofp_action, when={"type": action}, module=__name__,
                   doc=f"{action.name}: no argument (``ofp_action_generic``).")


ofp_action_copy_ttl_out = _generic("ofp_action_copy_ttl_out", T.OFPAT_COPY_TTL_OUT)
ofp_action_copy_ttl_in = _generic("ofp_action_copy_ttl_in", T.OFPAT_COPY_TTL_IN)
ofp_action_dec_mpls_ttl = _generic("ofp_action_dec_mpls_ttl", T.OFPAT_DEC_MPLS_TTL)
ofp_action_pop_vlan = _generic("ofp_action_pop_vlan", T.OFPAT_POP_VLAN)
ofp_action_dec_nw_ttl = _generic("ofp_action_dec_nw_ttl", T.OFPAT_DEC_NW_TTL)
ofp_action_pop_pbb = _generic("ofp_action_pop_pbb", T.OFPAT_POP_PBB)

ofp_action_set_mpls_ttl = nstruct(
    "ofp_action_set_mpls_ttl",
    (uint8, "mpls_ttl"), pad(3),
    base=ofp_action, when={"type": T.OFPAT_SET_MPLS_TTL},
    doc="SET_MPLS_TTL (``ofp_action_mpls_ttl``).",
)


def _push(name: str, action: ofp_action_type, ethertype: int) -> type[Struct]:
    return nstruct(name, (uint16(hexa), "ethertype"), pad(2), base=ofp_action,
                   when={"type": action}, defaults={"ethertype": ethertype},
                   module=__name__, doc=f"{action.name} (``ofp_action_push``).")


ofp_action_push_vlan = _push("ofp_action_push_vlan", T.OFPAT_PUSH_VLAN, 0x8100)
ofp_action_push_mpls = _push("ofp_action_push_mpls", T.OFPAT_PUSH_MPLS, 0x8847)
ofp_action_push_pbb = _push("ofp_action_push_pbb", T.OFPAT_PUSH_PBB, 0x88E7)

ofp_action_pop_mpls = nstruct(
    "ofp_action_pop_mpls",
    (uint16(hexa), "ethertype"), pad(2),
    base=ofp_action, when={"type": T.OFPAT_POP_MPLS}, defaults={"ethertype": 0x0800},
    doc="POP_MPLS: ``ethertype`` of the payload after the pop.",
)

ofp_action_set_queue = nstruct(
    "ofp_action_set_queue",
    (uint32, "queue_id"),
    base=ofp_action, when={"type": T.OFPAT_SET_QUEUE},
    doc="SET_QUEUE.",
)

ofp_action_group = nstruct(
    "ofp_action_group",
    (uint32(ofp_group), "group_id"),
    base=ofp_action, when={"type": T.OFPAT_GROUP},
    doc="GROUP: process the packet through group ``group_id``.",
)

ofp_action_set_nw_ttl = nstruct(
    "ofp_action_set_nw_ttl",
    (uint8, "nw_ttl"), pad(3),
    base=ofp_action, when={"type": T.OFPAT_SET_NW_TTL},
    doc="SET_NW_TTL (``ofp_action_nw_ttl``).",
)

ofp_action_set_field = nstruct(
    "ofp_action_set_field",
    (ofp_oxm, "field"),
    base=ofp_action, when={"type": T.OFPAT_SET_FIELD}, pad_to=8,
    doc="SET_FIELD: one OXM TLV; zero padding to 8 bytes is counted in ``len``.",
)

ofp_action_experimenter = nstruct(
    "ofp_action_experimenter",
    (uint32(hexa), "experimenter"),
    base=ofp_action, when={"type": T.OFPAT_EXPERIMENTER}, classify="experimenter",
    doc="EXPERIMENTER (``ofp_action_experimenter_header``): dispatches on "
        "``experimenter``; an unknown body stays in ``_tail``.",
)

ofp_action_id = nstruct(
    "ofp_action_id",
    (uint16(ofp_action_type), "type"), (uint16, "len"),
    size="len", classify="type",
    doc="An action without data, as listed in table features (``len`` is normally 4).",
)

ofp_action_id_experimenter = nstruct(
    "ofp_action_id_experimenter",
    (uint32(hexa), "experimenter"),
    base=ofp_action_id, when={"type": T.OFPAT_EXPERIMENTER},
    doc="An experimenter action id: type, len, experimenter (8 bytes).",
)

del T
