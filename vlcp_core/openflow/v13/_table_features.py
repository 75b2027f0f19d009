"""OpenFlow 1.3 table features (OpenFlow Switch Specification 1.3.5, section 7.3.5.5).

``ofp_table_features`` describes one table; its properties
(``ofp_table_feature_prop``, the spec's ``ofp_table_feature_prop_header``)
dispatch on ``type``.  A property's ``length`` excludes the padding to a
multiple of 8 that follows it.  One class per spec layout, each covering the
type and its ``_MISS`` variant (set ``type`` to choose):

- ``ofp_table_feature_prop_instructions``: INSTRUCTIONS(_MISS), ``instruction_ids``;
- ``ofp_table_feature_prop_next_tables``: NEXT_TABLES(_MISS), ``next_table_ids``;
- ``ofp_table_feature_prop_actions``: WRITE_ACTIONS(_MISS), APPLY_ACTIONS(_MISS),
  ``action_ids``;
- ``ofp_table_feature_prop_oxm``: MATCH, WILDCARDS, WRITE_SETFIELD(_MISS),
  APPLY_SETFIELD(_MISS), ``oxm_ids`` (``ofp_oxm_id``: an OXM header without
  payload, plus the experimenter id for class 0xFFFF);
- ``ofp_table_feature_prop_experimenter``: EXPERIMENTER(_MISS).

TABLE_FEATURES requests and replies carry a list of ``ofp_table_features``
(an empty request asks for the current features).
"""

from __future__ import annotations

import enum
from typing import Any

from vlcp_core.namedstruct import (
    array,
    bits,
    char,
    hexa,
    nstruct,
    optional,
    pad,
    raw,
    uint8,
    uint16,
    uint32,
    uint64,
)

from ._actions import ofp_action_id
from ._enums import OFP_MAX_TABLE_NAME_LEN, ofp_table
from ._instructions import ofp_instruction_id
from ._multipart import ofp_multipart_reply, ofp_multipart_request, ofp_multipart_type
from ._port import ofp_table_config

__all__ = [
    "ofp_oxm_id",
    "ofp_table_feature_prop",
    "ofp_table_feature_prop_actions",
    "ofp_table_feature_prop_experimenter",
    "ofp_table_feature_prop_instructions",
    "ofp_table_feature_prop_next_tables",
    "ofp_table_feature_prop_oxm",
    "ofp_table_feature_prop_type",
    "ofp_table_features",
    "ofp_table_features_reply",
    "ofp_table_features_request",
]


class ofp_table_feature_prop_type(enum.IntEnum):
    """Table feature property types (7.3.5.5.2)."""

    OFPTFPT_INSTRUCTIONS = 0
    OFPTFPT_INSTRUCTIONS_MISS = 1
    OFPTFPT_NEXT_TABLES = 2
    OFPTFPT_NEXT_TABLES_MISS = 3
    OFPTFPT_WRITE_ACTIONS = 4
    OFPTFPT_WRITE_ACTIONS_MISS = 5
    OFPTFPT_APPLY_ACTIONS = 6
    OFPTFPT_APPLY_ACTIONS_MISS = 7
    OFPTFPT_MATCH = 8
    OFPTFPT_WILDCARDS = 10
    OFPTFPT_WRITE_SETFIELD = 12
    OFPTFPT_WRITE_SETFIELD_MISS = 13
    OFPTFPT_APPLY_SETFIELD = 14
    OFPTFPT_APPLY_SETFIELD_MISS = 15
    OFPTFPT_EXPERIMENTER = 0xFFFE
    OFPTFPT_EXPERIMENTER_MISS = 0xFFFF


P = ofp_table_feature_prop_type


def _is_experimenter(obj: Any) -> bool:
    return bool(obj.oxm_class == 0xFFFF)


ofp_oxm_id = nstruct(
    "ofp_oxm_id",
    (uint16(hexa), "oxm_class"), bits(uint8, ("oxm_field", 7), ("oxm_hasmask", 1)),
    (uint8, "oxm_length"), (optional(uint32(hexa), _is_experimenter), "experimenter"),
    defaults={"oxm_class": 0x8000},
    doc="An OXM header without payload (4 bytes; 8 with the experimenter id of class "
        "0xFFFF); ``oxm_length`` is the payload length of the field it names.",
)

ofp_table_feature_prop = nstruct(
    "ofp_table_feature_prop",
    (uint16(ofp_table_feature_prop_type), "type"), (uint16, "length"),
    size="length", pad_after=8, classify="type",
    doc="A table feature property: dispatches on ``type``; ``length`` excludes the padding.",
)

ofp_table_feature_prop_instructions = nstruct(
    "ofp_table_feature_prop_instructions",
    (array(ofp_instruction_id), "instruction_ids"),
    base=ofp_table_feature_prop,
    when=[{"type": P.OFPTFPT_INSTRUCTIONS}, {"type": P.OFPTFPT_INSTRUCTIONS_MISS}],
    doc="INSTRUCTIONS(_MISS): the instructions supported.",
)

ofp_table_feature_prop_next_tables = nstruct(
    "ofp_table_feature_prop_next_tables",
    (array(uint8(ofp_table)), "next_table_ids"),
    base=ofp_table_feature_prop,
    when=[{"type": P.OFPTFPT_NEXT_TABLES}, {"type": P.OFPTFPT_NEXT_TABLES_MISS}],
    doc="NEXT_TABLES(_MISS): the tables GOTO_TABLE may reach.",
)

ofp_table_feature_prop_actions = nstruct(
    "ofp_table_feature_prop_actions",
    (array(ofp_action_id), "action_ids"),
    base=ofp_table_feature_prop,
    when=[{"type": t} for t in (P.OFPTFPT_WRITE_ACTIONS, P.OFPTFPT_WRITE_ACTIONS_MISS,
                                P.OFPTFPT_APPLY_ACTIONS, P.OFPTFPT_APPLY_ACTIONS_MISS)],
    doc="WRITE_ACTIONS/APPLY_ACTIONS(_MISS): the actions supported.",
)

ofp_table_feature_prop_oxm = nstruct(
    "ofp_table_feature_prop_oxm",
    (array(ofp_oxm_id), "oxm_ids"),
    base=ofp_table_feature_prop,
    when=[{"type": t} for t in (P.OFPTFPT_MATCH, P.OFPTFPT_WILDCARDS, P.OFPTFPT_WRITE_SETFIELD,
                                P.OFPTFPT_WRITE_SETFIELD_MISS, P.OFPTFPT_APPLY_SETFIELD,
                                P.OFPTFPT_APPLY_SETFIELD_MISS)],
    doc="MATCH, WILDCARDS, WRITE_SETFIELD/APPLY_SETFIELD(_MISS): the fields supported.",
)

ofp_table_feature_prop_experimenter = nstruct(
    "ofp_table_feature_prop_experimenter",
    (uint32(hexa), "experimenter"), (uint32, "exp_type"), (raw(), "experimenter_data"),
    base=ofp_table_feature_prop,
    when=[{"type": P.OFPTFPT_EXPERIMENTER}, {"type": P.OFPTFPT_EXPERIMENTER_MISS}],
    doc="EXPERIMENTER(_MISS): experimenter id, type and data.",
)

ofp_table_features = nstruct(
    "ofp_table_features",
    (uint16, "length"), (uint8(ofp_table), "table_id"), pad(5),
    (char(OFP_MAX_TABLE_NAME_LEN), "name"), (uint64(hexa), "metadata_match"),
    (uint64(hexa), "metadata_write"), (uint32(ofp_table_config), "config"),
    (uint32, "max_entries"), (array(ofp_table_feature_prop), "properties"),
    size="length",
    doc="One table's features: name, metadata bits, size, properties.",
)

ofp_table_features_request = nstruct(
    "ofp_table_features_request",
    (array(ofp_table_features), "stats"),
    base=ofp_multipart_request, when={"multipart_type": ofp_multipart_type.OFPMP_TABLE_FEATURES},
    doc="TABLE_FEATURES request: empty to query, or the desired features of every table.",
)

ofp_table_features_reply = nstruct(
    "ofp_table_features_reply",
    (array(ofp_table_features), "stats"),
    base=ofp_multipart_reply, when={"multipart_type": ofp_multipart_type.OFPMP_TABLE_FEATURES},
    doc="TABLE_FEATURES reply: the features of every table.",
)

del P
