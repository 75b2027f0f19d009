"""OpenFlow 1.3 flow table and packet messages (spec 1.3.5, 7.3.4.1, 7.3.7, 7.4.1, 7.4.2).

FLOW_MOD (7.3.4.1), PACKET_OUT (7.3.7), PACKET_IN (7.4.1), FLOW_REMOVED (7.4.2).

Defaults make the common case short: ``ofp_flow_mod(match=..., instructions=[...])``
is an ADD with priority 0x8000, no buffer, ``out_port`` OFPP_ANY and ``out_group``
OFPG_ANY; ``ofp_packet_out(actions=[...], data=frame)`` is sent from the controller
with no buffer.
"""

from __future__ import annotations

import enum

from vlcp_core.namedstruct import array, hexa, nstruct, pad, raw, uint8, uint16, uint32, uint64

from ._actions import ofp_action
from ._enums import OFP_NO_BUFFER, ofp_buffer, ofp_group, ofp_port_no, ofp_table, ofp_type
from ._header import ofp_header
from ._instructions import ofp_instruction
from ._match import ofp_match

__all__ = [
    "ofp_flow_mod",
    "ofp_flow_mod_command",
    "ofp_flow_mod_flags",
    "ofp_flow_removed",
    "ofp_flow_removed_reason",
    "ofp_packet_in",
    "ofp_packet_in_reason",
    "ofp_packet_out",
]


class ofp_flow_mod_command(enum.IntEnum):
    """FLOW_MOD commands (7.3.4.1)."""

    OFPFC_ADD = 0
    OFPFC_MODIFY = 1
    OFPFC_MODIFY_STRICT = 2
    OFPFC_DELETE = 3
    OFPFC_DELETE_STRICT = 4


class ofp_flow_mod_flags(enum.IntFlag):
    """FLOW_MOD flags (7.3.4.1), also in flow statistics."""

    OFPFF_SEND_FLOW_REM = 1 << 0
    OFPFF_CHECK_OVERLAP = 1 << 1
    OFPFF_RESET_COUNTS = 1 << 2
    OFPFF_NO_PKT_COUNTS = 1 << 3
    OFPFF_NO_BYT_COUNTS = 1 << 4


class ofp_packet_in_reason(enum.IntEnum):
    """Why a packet was sent to the controller (7.4.1)."""

    OFPR_NO_MATCH = 0
    OFPR_ACTION = 1
    OFPR_INVALID_TTL = 2


class ofp_flow_removed_reason(enum.IntEnum):
    """Why a flow was removed (7.4.2)."""

    OFPRR_IDLE_TIMEOUT = 0
    OFPRR_HARD_TIMEOUT = 1
    OFPRR_DELETE = 2
    OFPRR_GROUP_DELETE = 3


ofp_flow_mod = nstruct(
    "ofp_flow_mod",
    (uint64(hexa), "cookie"), (uint64(hexa), "cookie_mask"), (uint8(ofp_table), "table_id"),
    (uint8(ofp_flow_mod_command), "command"), (uint16, "idle_timeout"),
    (uint16, "hard_timeout"), (uint16, "priority"), (uint32(ofp_buffer), "buffer_id"),
    (uint32(ofp_port_no), "out_port"), (uint32(ofp_group), "out_group"),
    (uint16(ofp_flow_mod_flags), "flags"), pad(2), (ofp_match, "match"),
    (array(ofp_instruction), "instructions"),
    base=ofp_header, when={"type": ofp_type.OFPT_FLOW_MOD},
    defaults={"priority": 0x8000, "buffer_id": OFP_NO_BUFFER,
              "out_port": ofp_port_no.OFPP_ANY, "out_group": ofp_group.OFPG_ANY},
    doc="FLOW_MOD: add, modify or delete flows; ``match`` then ``instructions``.",
)

ofp_packet_out = nstruct(
    "ofp_packet_out",
    (uint32(ofp_buffer), "buffer_id"), (uint32(ofp_port_no), "in_port"),
    (uint16, "actions_len"), pad(6), (array(ofp_action, size="actions_len"), "actions"),
    (raw(), "data"),
    base=ofp_header, when={"type": ofp_type.OFPT_PACKET_OUT},
    defaults={"buffer_id": OFP_NO_BUFFER, "in_port": ofp_port_no.OFPP_CONTROLLER},
    doc="PACKET_OUT: ``actions`` (``actions_len`` bytes, filled on build), then the frame.",
)

ofp_packet_in = nstruct(
    "ofp_packet_in",
    (uint32(ofp_buffer), "buffer_id"), (uint16, "total_len"),
    (uint8(ofp_packet_in_reason), "reason"), (uint8(ofp_table), "table_id"),
    (uint64(hexa), "cookie"), (ofp_match, "match"), pad(2), (raw(), "data"),
    base=ofp_header, when={"type": ofp_type.OFPT_PACKET_IN},
    defaults={"buffer_id": OFP_NO_BUFFER},
    doc="PACKET_IN: the pipeline fields in ``match``, then (the start of) the frame.",
)

ofp_flow_removed = nstruct(
    "ofp_flow_removed",
    (uint64(hexa), "cookie"), (uint16, "priority"), (uint8(ofp_flow_removed_reason), "reason"),
    (uint8(ofp_table), "table_id"), (uint32, "duration_sec"), (uint32, "duration_nsec"),
    (uint16, "idle_timeout"), (uint16, "hard_timeout"), (uint64, "packet_count"),
    (uint64, "byte_count"), (ofp_match, "match"),
    base=ofp_header, when={"type": ofp_type.OFPT_FLOW_REMOVED},
    defaults={"priority": 0x8000},
    doc="FLOW_REMOVED: a flow expired or was deleted, with its counters.",
)
