"""The OpenFlow 1.0 header, root of every 1.0 message (spec 1.0.0, 5.1).

Parsing ``ofp_header`` dispatches on ``type`` to the message class; a type
nobody defined gives an ``ofp_header`` whose body stays in ``_tail``.
"""

from __future__ import annotations

from vlcp_core.namedstruct import nstruct, uint8, uint16, uint32

from ._enums import OFP_VERSION, ofp_type

__all__ = ["ofp_header"]

ofp_header = nstruct(
    "ofp_header",
    (uint8, "version"), (uint8(ofp_type), "type"), (uint16, "length"), (uint32, "xid"),
    size="length", classify="type", defaults={"version": OFP_VERSION},
    doc="OpenFlow 1.0 header: version, type, length (filled on build), xid.",
)
