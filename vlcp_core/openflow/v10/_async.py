"""OpenFlow 1.0 asynchronous messages (spec 1.0.0, 5.4 "Asynchronous Messages"):
PACKET_IN (5.4.1), FLOW_REMOVED (5.4.2) and PORT_STATUS (5.4.3).

ERROR (5.4.4) is in ``_error``.
"""

from __future__ import annotations

from vlcp_core.namedstruct import nstruct, pad, raw, uint8, uint16, uint32, uint64

from ._enums import (
    OFP_NO_BUFFER,
    ofp_flow_removed_reason,
    ofp_packet_in_reason,
    ofp_port,
    ofp_port_reason,
    ofp_type,
)
from ._header import ofp_header
from ._match import ofp_match
from ._port import ofp_phy_port

__all__ = ["ofp_flow_removed", "ofp_packet_in", "ofp_port_status"]

ofp_packet_in = nstruct(
    "ofp_packet_in",
    (uint32, "buffer_id"), (uint16, "total_len"), (uint16(ofp_port), "in_port"),
    (uint8(ofp_packet_in_reason), "reason"), pad(1), (raw(), "data"),
    base=ofp_header, when={"type": ofp_type.OFPT_PACKET_IN},
    defaults={"buffer_id": OFP_NO_BUFFER},
    doc="OFPT_PACKET_IN: a packet (``data``, possibly truncated from ``total_len`` "
        "bytes) received on ``in_port``; ``buffer_id`` -1 when not buffered.",
)

ofp_flow_removed = nstruct(
    "ofp_flow_removed",
    (ofp_match, "match"), (uint64, "cookie"), (uint16, "priority"),
    (uint8(ofp_flow_removed_reason), "reason"), pad(1),
    (uint32, "duration_sec"), (uint32, "duration_nsec"), (uint16, "idle_timeout"), pad(2),
    (uint64, "packet_count"), (uint64, "byte_count"),
    base=ofp_header, when={"type": ofp_type.OFPT_FLOW_REMOVED},
    doc="OFPT_FLOW_REMOVED: a flow expired or was deleted, with its counters.",
)

ofp_port_status = nstruct(
    "ofp_port_status",
    (uint8(ofp_port_reason), "reason"), pad(7), (ofp_phy_port, "desc"),
    base=ofp_header, when={"type": ofp_type.OFPT_PORT_STATUS},
    doc="OFPT_PORT_STATUS: a port was added, deleted or modified.",
)
