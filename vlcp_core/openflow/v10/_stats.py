"""OpenFlow 1.0 statistics (spec 1.0.0, 5.3.5 "Read State Messages").

``ofp_stats_request`` and ``ofp_stats_reply`` dispatch on ``stats_type`` (the
spec's ``type``, renamed because the header's ``type`` is a field of every
message).  Request bodies with a single struct are flattened into the message
(``ofp_flow_stats_request.match``); replies carrying several entries have them
in a list (``ofp_flow_stats_reply.stats``: ``ofp_flow_stats``...), as many as the
message holds.  VENDOR statistics dispatch further on ``vendor``; an unknown
statistics type or vendor keeps its body in ``_tail``.
"""

from __future__ import annotations

from vlcp_core.namedstruct import (
    array,
    char,
    embed,
    hexa,
    nstruct,
    pad,
    uint8,
    uint16,
    uint32,
    uint64,
)

from ._action import ofp_action
from ._enums import (
    DESC_STR_LEN,
    OFP_MAX_TABLE_NAME_LEN,
    OFPQ_ALL,
    SERIAL_NUM_LEN,
    ofp_port,
    ofp_stats_reply_flags,
    ofp_stats_types,
    ofp_type,
)
from ._header import ofp_header
from ._match import ofp_match, ofp_wildcards_display

__all__ = [
    "ofp_aggregate_stats_reply",
    "ofp_aggregate_stats_request",
    "ofp_desc_stats",
    "ofp_desc_stats_reply",
    "ofp_desc_stats_request",
    "ofp_flow_stats",
    "ofp_flow_stats_reply",
    "ofp_flow_stats_request",
    "ofp_port_stats",
    "ofp_port_stats_reply",
    "ofp_port_stats_request",
    "ofp_queue_stats",
    "ofp_queue_stats_reply",
    "ofp_queue_stats_request",
    "ofp_stats_reply",
    "ofp_stats_request",
    "ofp_table_stats",
    "ofp_table_stats_reply",
    "ofp_table_stats_request",
    "ofp_vendor_stats_reply",
    "ofp_vendor_stats_request",
]

_ST = ofp_stats_types

ofp_stats_request = nstruct(
    "ofp_stats_request",
    (uint16(ofp_stats_types), "stats_type"), (uint16, "flags"),
    base=ofp_header, when={"type": ofp_type.OFPT_STATS_REQUEST}, classify="stats_type",
    doc="OFPT_STATS_REQUEST: dispatches on ``stats_type``; an unknown type keeps its "
        "body in ``_tail``.",
)

ofp_stats_reply = nstruct(
    "ofp_stats_reply",
    (uint16(ofp_stats_types), "stats_type"), (uint16(ofp_stats_reply_flags), "flags"),
    base=ofp_header, when={"type": ofp_type.OFPT_STATS_REPLY}, classify="stats_type",
    doc="OFPT_STATS_REPLY: dispatches on ``stats_type``; ``flags`` OFPSF_REPLY_MORE when "
        "more replies follow.",
)

# -- bodies ---------------------------------------------------------------------------

ofp_desc_stats = nstruct(
    "ofp_desc_stats",
    (char(DESC_STR_LEN), "mfr_desc"), (char(DESC_STR_LEN), "hw_desc"),
    (char(DESC_STR_LEN), "sw_desc"), (char(SERIAL_NUM_LEN), "serial_num"),
    (char(DESC_STR_LEN), "dp_desc"),
    doc="Switch description (1056 bytes of NUL-padded text).",
)

ofp_flow_stats = nstruct(
    "ofp_flow_stats",
    (uint16, "length"), (uint8, "table_id"), pad(1), (ofp_match, "match"),
    (uint32, "duration_sec"), (uint32, "duration_nsec"), (uint16, "priority"),
    (uint16, "idle_timeout"), (uint16, "hard_timeout"), pad(6), (uint64(hexa), "cookie"),
    (uint64, "packet_count"), (uint64, "byte_count"), (array(ofp_action), "actions"),
    size="length",
    doc="One flow of a flow statistics reply: ``length`` (filled on build) covers the "
        "actions.",
)

ofp_table_stats = nstruct(
    "ofp_table_stats",
    (uint8, "table_id"), pad(3), (char(OFP_MAX_TABLE_NAME_LEN), "name"),
    (uint32(ofp_wildcards_display), "wildcards"), (uint32, "max_entries"),
    (uint32, "active_count"), (uint64, "lookup_count"), (uint64, "matched_count"),
    doc="One table of a table statistics reply (64 bytes).",
)

ofp_port_stats = nstruct(
    "ofp_port_stats",
    (uint16(ofp_port), "port_no"), pad(6),
    (uint64, "rx_packets"), (uint64, "tx_packets"), (uint64, "rx_bytes"), (uint64, "tx_bytes"),
    (uint64, "rx_dropped"), (uint64, "tx_dropped"), (uint64, "rx_errors"), (uint64, "tx_errors"),
    (uint64, "rx_frame_err"), (uint64, "rx_over_err"), (uint64, "rx_crc_err"),
    (uint64, "collisions"),
    doc="One port of a port statistics reply (104 bytes; all ones: not available).",
)

ofp_queue_stats = nstruct(
    "ofp_queue_stats",
    (uint16(ofp_port), "port_no"), pad(2), (uint32, "queue_id"),
    (uint64, "tx_bytes"), (uint64, "tx_packets"), (uint64, "tx_errors"),
    doc="One queue of a queue statistics reply (32 bytes).",
)

# -- requests -------------------------------------------------------------------------

ofp_desc_stats_request = nstruct(
    "ofp_desc_stats_request",
    base=ofp_stats_request, when={"stats_type": _ST.OFPST_DESC},
    doc="OFPST_DESC request: no body.",
)

_flow_defaults = {"table_id": 0xFF, "out_port": ofp_port.OFPP_NONE}

ofp_flow_stats_request = nstruct(
    "ofp_flow_stats_request",
    (ofp_match, "match"), (uint8, "table_id"), pad(1), (uint16(ofp_port), "out_port"),
    base=ofp_stats_request, when={"stats_type": _ST.OFPST_FLOW},
    defaults=_flow_defaults,
    doc="OFPST_FLOW request: flows matching ``match`` in ``table_id`` (0xff: all) with an "
        "output to ``out_port`` (OFPP_NONE: any).",
)

ofp_aggregate_stats_request = nstruct(
    "ofp_aggregate_stats_request",
    (ofp_match, "match"), (uint8, "table_id"), pad(1), (uint16(ofp_port), "out_port"),
    base=ofp_stats_request, when={"stats_type": _ST.OFPST_AGGREGATE},
    defaults=_flow_defaults,
    doc="OFPST_AGGREGATE request: the same selection as a flow statistics request.",
)

ofp_table_stats_request = nstruct(
    "ofp_table_stats_request",
    base=ofp_stats_request, when={"stats_type": _ST.OFPST_TABLE},
    doc="OFPST_TABLE request: no body.",
)

ofp_port_stats_request = nstruct(
    "ofp_port_stats_request",
    (uint16(ofp_port), "port_no"), pad(6),
    base=ofp_stats_request, when={"stats_type": _ST.OFPST_PORT},
    defaults={"port_no": ofp_port.OFPP_NONE},
    doc="OFPST_PORT request: one port, or OFPP_NONE for all.",
)

ofp_queue_stats_request = nstruct(
    "ofp_queue_stats_request",
    (uint16(ofp_port), "port_no"), pad(2), (uint32, "queue_id"),
    base=ofp_stats_request, when={"stats_type": _ST.OFPST_QUEUE},
    defaults={"port_no": ofp_port.OFPP_ALL, "queue_id": OFPQ_ALL},
    doc="OFPST_QUEUE request: a queue (OFPQ_ALL: all) of a port (OFPP_ALL: all).",
)

ofp_vendor_stats_request = nstruct(
    "ofp_vendor_stats_request",
    (uint32(hexa), "vendor"),
    base=ofp_stats_request, when={"stats_type": _ST.OFPST_VENDOR}, classify="vendor",
    doc="OFPST_VENDOR request: ``vendor`` id, then a body in ``_tail`` unless a subtype "
        "(``base=ofp_vendor_stats_request, when={'vendor': ID}``) is defined.",
)

# -- replies --------------------------------------------------------------------------

ofp_desc_stats_reply = nstruct(
    "ofp_desc_stats_reply",
    embed(ofp_desc_stats),
    base=ofp_stats_reply, when={"stats_type": _ST.OFPST_DESC},
    doc="OFPST_DESC reply: the ``ofp_desc_stats`` fields.",
)

ofp_flow_stats_reply = nstruct(
    "ofp_flow_stats_reply",
    (array(ofp_flow_stats), "stats"),
    base=ofp_stats_reply, when={"stats_type": _ST.OFPST_FLOW},
    doc="OFPST_FLOW reply: a list of ``ofp_flow_stats``.",
)

ofp_aggregate_stats_reply = nstruct(
    "ofp_aggregate_stats_reply",
    (uint64, "packet_count"), (uint64, "byte_count"), (uint32, "flow_count"), pad(4),
    base=ofp_stats_reply, when={"stats_type": _ST.OFPST_AGGREGATE},
    doc="OFPST_AGGREGATE reply: totals over the selected flows.",
)

ofp_table_stats_reply = nstruct(
    "ofp_table_stats_reply",
    (array(ofp_table_stats), "stats"),
    base=ofp_stats_reply, when={"stats_type": _ST.OFPST_TABLE},
    doc="OFPST_TABLE reply: a list of ``ofp_table_stats``.",
)

ofp_port_stats_reply = nstruct(
    "ofp_port_stats_reply",
    (array(ofp_port_stats), "stats"),
    base=ofp_stats_reply, when={"stats_type": _ST.OFPST_PORT},
    doc="OFPST_PORT reply: a list of ``ofp_port_stats``.",
)

ofp_queue_stats_reply = nstruct(
    "ofp_queue_stats_reply",
    (array(ofp_queue_stats), "stats"),
    base=ofp_stats_reply, when={"stats_type": _ST.OFPST_QUEUE},
    doc="OFPST_QUEUE reply: a list of ``ofp_queue_stats``.",
)

ofp_vendor_stats_reply = nstruct(
    "ofp_vendor_stats_reply",
    (uint32(hexa), "vendor"),
    base=ofp_stats_reply, when={"stats_type": _ST.OFPST_VENDOR}, classify="vendor",
    doc="OFPST_VENDOR reply: ``vendor`` id, then a body in ``_tail`` unless a subtype "
        "is defined.",
)
