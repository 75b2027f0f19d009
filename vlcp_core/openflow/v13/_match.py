"""The OpenFlow 1.3 match (spec 1.3.5, 7.2.3): a list of OXM TLVs padded to 8 bytes.

``length`` counts the 4-byte header and the TLVs, not the padding that follows.
"""

from __future__ import annotations

import enum

from vlcp_core.namedstruct import array, nstruct, uint16

from .._oxm import ofp_oxm

__all__ = ["ofp_match", "ofp_match_type"]


class ofp_match_type(enum.IntEnum):
    """Match types (7.2.3.1)."""

    OFPMT_STANDARD = 0
    OFPMT_OXM = 1


ofp_match = nstruct(
    "ofp_match",
    (uint16(ofp_match_type), "type"), (uint16, "length"), (array(ofp_oxm), "oxm_fields"),
    size="length", pad_after=8, defaults={"type": ofp_match_type.OFPMT_OXM},
    doc="An OXM match: ``oxm_fields`` is a list of OXM TLVs (see ``vlcp_core.openflow.oxm``).",
)
