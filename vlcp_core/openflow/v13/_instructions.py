"""OpenFlow 1.3 instructions (OpenFlow Switch Specification 1.3.5, section 7.2.4).

``ofp_instruction`` dispatches on ``type``; ``len`` bounds each instruction, so
unknown instructions keep their body in ``_tail``.  WRITE_ACTIONS,
APPLY_ACTIONS and CLEAR_ACTIONS share the spec's ``ofp_instruction_actions``
layout but are distinct classes.  ``ofp_instruction_id`` is the data-less form
used in table features (7.3.5.5.2).
"""

from __future__ import annotations

import enum

from vlcp_core.namedstruct import Struct, array, hexa, nstruct, pad, uint8, uint16, uint32, uint64

from ._actions import ofp_action
from ._enums import ofp_meter, ofp_table

__all__ = [
    "ofp_instruction",
    "ofp_instruction_apply_actions",
    "ofp_instruction_clear_actions",
    "ofp_instruction_experimenter",
    "ofp_instruction_goto_table",
    "ofp_instruction_id",
    "ofp_instruction_id_experimenter",
    "ofp_instruction_meter",
    "ofp_instruction_type",
    "ofp_instruction_write_actions",
    "ofp_instruction_write_metadata",
]


class ofp_instruction_type(enum.IntEnum):
    """Instruction types (7.2.4)."""

    OFPIT_GOTO_TABLE = 1
    OFPIT_WRITE_METADATA = 2
    OFPIT_WRITE_ACTIONS = 3
    OFPIT_APPLY_ACTIONS = 4
    OFPIT_CLEAR_ACTIONS = 5
    OFPIT_METER = 6
    OFPIT_EXPERIMENTER = 0xFFFF


T = ofp_instruction_type

ofp_instruction = nstruct(
    "ofp_instruction",
    (uint16(ofp_instruction_type), "type"), (uint16, "len"),
    size="len", classify="type",
    doc="An instruction: dispatches on ``type``; unknown bodies in ``_tail``.",
)

ofp_instruction_goto_table = nstruct(
    "ofp_instruction_goto_table",
    (uint8(ofp_table), "table_id"), pad(3),
    base=ofp_instruction, when={"type": T.OFPIT_GOTO_TABLE},
    doc="GOTO_TABLE: continue in table ``table_id``.",
)

ofp_instruction_write_metadata = nstruct(
    "ofp_instruction_write_metadata",
    pad(4), (uint64(hexa), "metadata"), (uint64(hexa), "metadata_mask"),
    base=ofp_instruction, when={"type": T.OFPIT_WRITE_METADATA},
    defaults={"metadata_mask": 0xFFFFFFFFFFFFFFFF},
    doc="WRITE_METADATA: metadata = (metadata & ~mask) | (value & mask).",
)


def _actions(name: str, instruction: ofp_instruction_type) -> type[Struct]:
    return nstruct(name, pad(4), (array(ofp_action), "actions"), base=ofp_instruction,
                   when={"type": instruction}, module=__name__,
                   doc=f"{instruction.name} (``ofp_instruction_actions``).")


ofp_instruction_write_actions = _actions("ofp_instruction_write_actions", T.OFPIT_WRITE_ACTIONS)
ofp_instruction_apply_actions = _actions("ofp_instruction_apply_actions", T.OFPIT_APPLY_ACTIONS)
ofp_instruction_clear_actions = _actions("ofp_instruction_clear_actions", T.OFPIT_CLEAR_ACTIONS)

ofp_instruction_meter = nstruct(
    "ofp_instruction_meter",
    (uint32(ofp_meter), "meter_id"),
    base=ofp_instruction, when={"type": T.OFPIT_METER},
    doc="METER: apply meter ``meter_id``.",
)

ofp_instruction_experimenter = nstruct(
    "ofp_instruction_experimenter",
    (uint32(hexa), "experimenter"),
    base=ofp_instruction, when={"type": T.OFPIT_EXPERIMENTER}, classify="experimenter",
    doc="EXPERIMENTER: dispatches on ``experimenter``; an unknown body stays in ``_tail``.",
)

ofp_instruction_id = nstruct(
    "ofp_instruction_id",
    (uint16(ofp_instruction_type), "type"), (uint16, "len"),
    size="len", classify="type",
    doc="An instruction without data, as listed in table features (``len`` is 4).",
)

ofp_instruction_id_experimenter = nstruct(
    "ofp_instruction_id_experimenter",
    (uint32(hexa), "experimenter"),
    base=ofp_instruction_id, when={"type": T.OFPIT_EXPERIMENTER},
    doc="An experimenter instruction id: type, len, experimenter (8 bytes).",
)

del T
