"""The OpenFlow 1.3 subset the namedstruct benchmark needs, written with namedstruct.

Layouts from the OpenFlow Switch Specification 1.3.5 (sections 7.1 ofp_header,
7.2.2 ofp_match/OXM, 7.2.4 instructions, 7.2.5 actions, 7.3.4.1 flow_mod,
7.4.1 packet_in).  The complete definitions belong to ``vlcp_core.openflow``;
this file only has what the benchmark measures, shaped like the hand-written
baseline (OXM value bytes, instructions holding action lists).
"""

from __future__ import annotations

import enum

from vlcp_core.namedstruct import (
    array,
    bits,
    hexa,
    nstruct,
    pad,
    raw,
    uint8,
    uint16,
    uint32,
    uint64,
)


class ofp_type(enum.IntEnum):
    OFPT_HELLO = 0
    OFPT_PACKET_IN = 10
    OFPT_FLOW_MOD = 14


ofp_header = nstruct(
    "ofp_header",
    (uint8, "version"), (uint8(ofp_type), "type"), (uint16, "length"), (uint32, "xid"),
    size="length", classify=("version", "type"), defaults={"version": 4},
)
ofp_oxm = nstruct(
    "ofp_oxm",
    (uint16(hexa), "oxm_class"), bits(uint8, ("oxm_field", 7), ("oxm_hasmask", 1)),
    (uint8, "oxm_length"), (raw(size="oxm_length"), "value"),
    defaults={"oxm_class": 0x8000},
)
ofp_match = nstruct(
    "ofp_match",
    (uint16, "type"), (uint16, "length"), (array(ofp_oxm), "oxm_fields"),
    size="length", pad_after=8, defaults={"type": 1},
)
ofp_action = nstruct("ofp_action", (uint16, "type"), (uint16, "len"), size="len", classify="type")
ofp_action_output = nstruct(
    "ofp_action_output", (uint32, "port"), (uint16, "max_len"), pad(6),
    base=ofp_action, when={"type": 0}, defaults={"max_len": 0xFFE5},
)
ofp_instruction = nstruct("ofp_instruction", (uint16, "type"), (uint16, "len"), size="len",
                          classify="type")
ofp_instruction_write_actions = nstruct(
    "ofp_instruction_write_actions", pad(4), (array(ofp_action), "actions"),
    base=ofp_instruction, when={"type": 3},
)
ofp_instruction_apply_actions = nstruct(
    "ofp_instruction_apply_actions", pad(4), (array(ofp_action), "actions"),
    base=ofp_instruction, when={"type": 4},
)
ofp_flow_mod = nstruct(
    "ofp_flow_mod",
    (uint64, "cookie"), (uint64, "cookie_mask"), (uint8, "table_id"), (uint8, "command"),
    (uint16, "idle_timeout"), (uint16, "hard_timeout"), (uint16, "priority"),
    (uint32, "buffer_id"), (uint32, "out_port"), (uint32, "out_group"), (uint16, "flags"),
    pad(2), (ofp_match, "match"), (array(ofp_instruction), "instructions"),
    base=ofp_header, when={"version": 4, "type": ofp_type.OFPT_FLOW_MOD},
    defaults={"priority": 0x8000, "buffer_id": 0xFFFFFFFF, "out_port": 0xFFFFFFFF,
              "out_group": 0xFFFFFFFF},
)
ofp_packet_in = nstruct(
    "ofp_packet_in",
    (uint32, "buffer_id"), (uint16, "total_len"), (uint8, "reason"), (uint8, "table_id"),
    (uint64, "cookie"), (ofp_match, "match"), pad(2), (raw(), "data"),
    base=ofp_header, when={"version": 4, "type": ofp_type.OFPT_PACKET_IN},
)
