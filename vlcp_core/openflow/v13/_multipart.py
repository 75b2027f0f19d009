"""OpenFlow 1.3 multipart messages (OpenFlow Switch Specification 1.3.5, section 7.3.5).

``ofp_multipart_request`` and ``ofp_multipart_reply`` are the header plus
``multipart_type`` (the spec's ``type``, renamed because the header's ``type``
is flattened into every message), ``flags`` and 4 pad bytes; they dispatch on
``multipart_type`` to one subtype per body:

=================  =================================  ======================================
type               request                            reply
=================  =================================  ======================================
DESC               ``ofp_desc_request``               ``ofp_desc_reply`` (``ofp_desc``)
FLOW               ``ofp_flow_stats_request``         ``ofp_flow_stats_reply`` [ofp_flow_stats]
AGGREGATE          ``ofp_aggregate_stats_request``    ``ofp_aggregate_stats_reply``
TABLE              ``ofp_table_stats_request``        ``ofp_table_stats_reply`` [ofp_table_stats]
PORT_STATS         ``ofp_port_stats_request``         ``ofp_port_stats_reply`` [ofp_port_stats]
QUEUE              ``ofp_queue_stats_request``        ``ofp_queue_stats_reply`` [ofp_queue_stats]
GROUP              ``ofp_group_stats_request``        ``ofp_group_stats_reply`` [ofp_group_stats]
GROUP_DESC         ``ofp_group_desc_request``         ``ofp_group_desc_reply`` [ofp_group_desc]
GROUP_FEATURES     ``ofp_group_features_request``     ``ofp_group_features_reply``
METER              ``ofp_meter_stats_request``        ``ofp_meter_stats_reply`` [ofp_meter_stats]
METER_CONFIG       ``ofp_meter_config_request``       ``ofp_meter_config_reply`` [ofp_meter_config]
METER_FEATURES     ``ofp_meter_features_request``     ``ofp_meter_features_reply``
TABLE_FEATURES     see ``_table_features``
PORT_DESC          ``ofp_port_desc_request``          ``ofp_port_desc_reply`` [ofp_port]
EXPERIMENTER       ``ofp_experimenter_multipart_request`` / ``_reply``
=================  =================================  ======================================

Single-struct bodies are flattened into the message (``ofp_desc_reply.mfr_desc``);
bodies made of several entries are a list field ``stats`` (a greedy array).
The experimenter messages dispatch on ``(experimenter, exp_type)`` and keep
unknown bodies in ``_tail``.
"""

from __future__ import annotations

import enum
from typing import Any

from vlcp_core.namedstruct import (
    Struct,
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

from ._enums import (
    DESC_STR_LEN,
    SERIAL_NUM_LEN,
    ofp_group,
    ofp_meter,
    ofp_port_no,
    ofp_queue,
    ofp_table,
    ofp_type,
)
from ._flow import ofp_flow_mod_flags
from ._group import ofp_bucket, ofp_group_capabilities, ofp_group_type
from ._header import ofp_header
from ._instructions import ofp_instruction
from ._match import ofp_match
from ._meter import ofp_meter_band, ofp_meter_flags
from ._port import ofp_port

__all__ = [
    "ofp_aggregate_stats_reply",
    "ofp_aggregate_stats_request",
    "ofp_bucket_counter",
    "ofp_desc",
    "ofp_desc_reply",
    "ofp_desc_request",
    "ofp_experimenter_multipart_reply",
    "ofp_experimenter_multipart_request",
    "ofp_flow_stats",
    "ofp_flow_stats_reply",
    "ofp_flow_stats_request",
    "ofp_group_desc",
    "ofp_group_desc_reply",
    "ofp_group_desc_request",
    "ofp_group_features",
    "ofp_group_features_reply",
    "ofp_group_features_request",
    "ofp_group_stats",
    "ofp_group_stats_reply",
    "ofp_group_stats_request",
    "ofp_meter_band_stats",
    "ofp_meter_config",
    "ofp_meter_config_reply",
    "ofp_meter_config_request",
    "ofp_meter_features",
    "ofp_meter_features_reply",
    "ofp_meter_features_request",
    "ofp_meter_multipart_request",
    "ofp_meter_stats",
    "ofp_meter_stats_reply",
    "ofp_meter_stats_request",
    "ofp_multipart_reply",
    "ofp_multipart_reply_flags",
    "ofp_multipart_request",
    "ofp_multipart_request_flags",
    "ofp_multipart_type",
    "ofp_port_desc_reply",
    "ofp_port_desc_request",
    "ofp_port_stats",
    "ofp_port_stats_reply",
    "ofp_port_stats_request",
    "ofp_queue_stats",
    "ofp_queue_stats_reply",
    "ofp_queue_stats_request",
    "ofp_table_stats",
    "ofp_table_stats_reply",
    "ofp_table_stats_request",
]


class ofp_multipart_type(enum.IntEnum):
    """Multipart message types (7.3.5)."""

    OFPMP_DESC = 0
    OFPMP_FLOW = 1
    OFPMP_AGGREGATE = 2
    OFPMP_TABLE = 3
    OFPMP_PORT_STATS = 4
    OFPMP_QUEUE = 5
    OFPMP_GROUP = 6
    OFPMP_GROUP_DESC = 7
    OFPMP_GROUP_FEATURES = 8
    OFPMP_METER = 9
    OFPMP_METER_CONFIG = 10
    OFPMP_METER_FEATURES = 11
    OFPMP_TABLE_FEATURES = 12
    OFPMP_PORT_DESC = 13
    OFPMP_EXPERIMENTER = 0xFFFF


class ofp_multipart_request_flags(enum.IntFlag):
    """Multipart request flags (7.3.5)."""

    OFPMPF_REQ_MORE = 1 << 0


class ofp_multipart_reply_flags(enum.IntFlag):
    """Multipart reply flags (7.3.5)."""

    OFPMPF_REPLY_MORE = 1 << 0


M = ofp_multipart_type

ofp_multipart_request = nstruct(
    "ofp_multipart_request",
    (uint16(ofp_multipart_type), "multipart_type"),
    (uint16(ofp_multipart_request_flags), "flags"), pad(4),
    base=ofp_header, when={"type": ofp_type.OFPT_MULTIPART_REQUEST}, classify="multipart_type",
    doc="MULTIPART_REQUEST: dispatches on ``multipart_type``; unknown bodies in ``_tail``.",
)

ofp_multipart_reply = nstruct(
    "ofp_multipart_reply",
    (uint16(ofp_multipart_type), "multipart_type"),
    (uint16(ofp_multipart_reply_flags), "flags"), pad(4),
    base=ofp_header, when={"type": ofp_type.OFPT_MULTIPART_REPLY}, classify="multipart_type",
    doc="MULTIPART_REPLY: dispatches on ``multipart_type``; unknown bodies in ``_tail``.",
)


def _request(name: str, mp: ofp_multipart_type, *entries: Any, doc: str,
             defaults: dict[str, Any] | None = None) -> type[Struct]:
    return nstruct(name, *entries, base=ofp_multipart_request, when={"multipart_type": mp},
                   defaults=defaults, module=__name__, doc=doc)


def _reply(name: str, mp: ofp_multipart_type, *entries: Any, doc: str) -> type[Struct]:
    return nstruct(name, *entries, base=ofp_multipart_reply, when={"multipart_type": mp},
                   module=__name__, doc=doc)


# -- DESC (7.3.5.1) -------------------------------------------------------------------------

ofp_desc = nstruct(
    "ofp_desc",
    (char(DESC_STR_LEN), "mfr_desc"), (char(DESC_STR_LEN), "hw_desc"),
    (char(DESC_STR_LEN), "sw_desc"), (char(SERIAL_NUM_LEN), "serial_num"),
    (char(DESC_STR_LEN), "dp_desc"),
    doc="Switch description: manufacturer, hardware, software, serial number, datapath.",
)

ofp_desc_request = _request("ofp_desc_request", M.OFPMP_DESC, doc="DESC request: no body.")
ofp_desc_reply = _reply("ofp_desc_reply", M.OFPMP_DESC, embed(ofp_desc),
                        doc="DESC reply: the ``ofp_desc`` fields.")

# -- FLOW, AGGREGATE (7.3.5.2, 7.3.5.3) ------------------------------------------------------

_FLOW_QUERY = (
    (uint8(ofp_table), "table_id"), pad(3), (uint32(ofp_port_no), "out_port"),
    (uint32(ofp_group), "out_group"), pad(4), (uint64(hexa), "cookie"),
    (uint64(hexa), "cookie_mask"), (ofp_match, "match"),
)
_FLOW_QUERY_DEFAULTS = {"table_id": ofp_table.OFPTT_ALL, "out_port": ofp_port_no.OFPP_ANY,
                        "out_group": ofp_group.OFPG_ANY}

ofp_flow_stats_request = _request(
    "ofp_flow_stats_request", M.OFPMP_FLOW, *_FLOW_QUERY, defaults=_FLOW_QUERY_DEFAULTS,
    doc="FLOW request: the flows of ``table_id`` matching ``match``/out_port/out_group/cookie.")

ofp_flow_stats = nstruct(
    "ofp_flow_stats",
    (uint16, "length"), (uint8(ofp_table), "table_id"), pad(1), (uint32, "duration_sec"),
    (uint32, "duration_nsec"), (uint16, "priority"), (uint16, "idle_timeout"),
    (uint16, "hard_timeout"), (uint16(ofp_flow_mod_flags), "flags"), pad(4),
    (uint64(hexa), "cookie"), (uint64, "packet_count"), (uint64, "byte_count"),
    (ofp_match, "match"), (array(ofp_instruction), "instructions"),
    size="length", defaults={"priority": 0x8000},
    doc="One flow entry's statistics.",
)

ofp_flow_stats_reply = _reply("ofp_flow_stats_reply", M.OFPMP_FLOW,
                              (array(ofp_flow_stats), "stats"), doc="FLOW reply: flow entries.")

ofp_aggregate_stats_request = _request(
    "ofp_aggregate_stats_request", M.OFPMP_AGGREGATE, *_FLOW_QUERY,
    defaults=_FLOW_QUERY_DEFAULTS,
    doc="AGGREGATE request: same selection as the FLOW request.")

ofp_aggregate_stats_reply = _reply(
    "ofp_aggregate_stats_reply", M.OFPMP_AGGREGATE,
    (uint64, "packet_count"), (uint64, "byte_count"), (uint32, "flow_count"), pad(4),
    doc="AGGREGATE reply: totals over the selected flows.")

# -- TABLE (7.3.5.4) ------------------------------------------------------------------------

ofp_table_stats_request = _request("ofp_table_stats_request", M.OFPMP_TABLE,
                                   doc="TABLE request: no body.")

ofp_table_stats = nstruct(
    "ofp_table_stats",
    (uint8(ofp_table), "table_id"), pad(3), (uint32, "active_count"), (uint64, "lookup_count"),
    (uint64, "matched_count"),
    doc="One table's statistics.",
)

ofp_table_stats_reply = _reply("ofp_table_stats_reply", M.OFPMP_TABLE,
                               (array(ofp_table_stats), "stats"), doc="TABLE reply.")

# -- PORT_STATS (7.3.5.6), PORT_DESC (7.3.5.7) -----------------------------------------------

ofp_port_stats_request = _request(
    "ofp_port_stats_request", M.OFPMP_PORT_STATS, (uint32(ofp_port_no), "port_no"), pad(4),
    defaults={"port_no": ofp_port_no.OFPP_ANY},
    doc="PORT_STATS request: one port, or OFPP_ANY for all.")

ofp_port_stats = nstruct(
    "ofp_port_stats",
    (uint32(ofp_port_no), "port_no"), pad(4), (uint64, "rx_packets"), (uint64, "tx_packets"),
    (uint64, "rx_bytes"), (uint64, "tx_bytes"), (uint64, "rx_dropped"), (uint64, "tx_dropped"),
    (uint64, "rx_errors"), (uint64, "tx_errors"), (uint64, "rx_frame_err"),
    (uint64, "rx_over_err"), (uint64, "rx_crc_err"), (uint64, "collisions"),
    (uint32, "duration_sec"), (uint32, "duration_nsec"),
    doc="One port's counters.",
)

ofp_port_stats_reply = _reply("ofp_port_stats_reply", M.OFPMP_PORT_STATS,
                              (array(ofp_port_stats), "stats"), doc="PORT_STATS reply.")

ofp_port_desc_request = _request("ofp_port_desc_request", M.OFPMP_PORT_DESC,
                                 doc="PORT_DESC request: no body.")
ofp_port_desc_reply = _reply("ofp_port_desc_reply", M.OFPMP_PORT_DESC,
                             (array(ofp_port), "stats"), doc="PORT_DESC reply: every port.")

# -- QUEUE (7.3.5.8) ------------------------------------------------------------------------

ofp_queue_stats_request = _request(
    "ofp_queue_stats_request", M.OFPMP_QUEUE, (uint32(ofp_port_no), "port_no"),
    (uint32(ofp_queue), "queue_id"),
    defaults={"port_no": ofp_port_no.OFPP_ANY, "queue_id": ofp_queue.OFPQ_ALL},
    doc="QUEUE request: a queue of a port (OFPP_ANY, OFPQ_ALL: all).")

ofp_queue_stats = nstruct(
    "ofp_queue_stats",
    (uint32(ofp_port_no), "port_no"), (uint32(ofp_queue), "queue_id"), (uint64, "tx_bytes"),
    (uint64, "tx_packets"), (uint64, "tx_errors"), (uint32, "duration_sec"),
    (uint32, "duration_nsec"),
    doc="One queue's counters.",
)

ofp_queue_stats_reply = _reply("ofp_queue_stats_reply", M.OFPMP_QUEUE,
                               (array(ofp_queue_stats), "stats"), doc="QUEUE reply.")

# -- GROUP, GROUP_DESC, GROUP_FEATURES (7.3.5.9 - 7.3.5.11) ----------------------------------

ofp_group_stats_request = _request(
    "ofp_group_stats_request", M.OFPMP_GROUP, (uint32(ofp_group), "group_id"), pad(4),
    defaults={"group_id": ofp_group.OFPG_ALL},
    doc="GROUP request: one group, or OFPG_ALL.")

ofp_bucket_counter = nstruct(
    "ofp_bucket_counter", (uint64, "packet_count"), (uint64, "byte_count"),
    doc="One bucket's counters.",
)

ofp_group_stats = nstruct(
    "ofp_group_stats",
    (uint16, "length"), pad(2), (uint32(ofp_group), "group_id"), (uint32, "ref_count"), pad(4),
    (uint64, "packet_count"), (uint64, "byte_count"), (uint32, "duration_sec"),
    (uint32, "duration_nsec"), (array(ofp_bucket_counter), "bucket_stats"),
    size="length",
    doc="One group's counters, then one counter per bucket.",
)

ofp_group_stats_reply = _reply("ofp_group_stats_reply", M.OFPMP_GROUP,
                               (array(ofp_group_stats), "stats"), doc="GROUP reply.")

ofp_group_desc_request = _request("ofp_group_desc_request", M.OFPMP_GROUP_DESC,
                                  doc="GROUP_DESC request: no body.")

ofp_group_desc = nstruct(
    "ofp_group_desc",
    (uint16, "length"), (uint8(ofp_group_type), "type"), pad(1),
    (uint32(ofp_group), "group_id"), (array(ofp_bucket), "buckets"),
    size="length",
    doc="One group's description: type, id, buckets.",
)

ofp_group_desc_reply = _reply("ofp_group_desc_reply", M.OFPMP_GROUP_DESC,
                              (array(ofp_group_desc), "stats"), doc="GROUP_DESC reply.")

ofp_group_features_request = _request("ofp_group_features_request", M.OFPMP_GROUP_FEATURES,
                                      doc="GROUP_FEATURES request: no body.")

ofp_group_features = nstruct(
    "ofp_group_features",
    (uint32(hexa), "types"), (uint32(ofp_group_capabilities), "capabilities"),
    (array(uint32, 4), "max_groups"), (array(uint32(hexa), 4), "actions"),
    doc="Group features: bitmaps of group types (1 << OFPGT_*) and of actions "
        "(1 << OFPAT_*) per group type, maximum groups per type.",
)

ofp_group_features_reply = _reply("ofp_group_features_reply", M.OFPMP_GROUP_FEATURES,
                                  embed(ofp_group_features),
                                  doc="GROUP_FEATURES reply: the ``ofp_group_features`` fields.")

# -- METER, METER_CONFIG, METER_FEATURES (7.3.5.12 - 7.3.5.14) -------------------------------

ofp_meter_multipart_request = nstruct(
    "ofp_meter_multipart_request", (uint32(ofp_meter), "meter_id"), pad(4),
    doc="The body of METER and METER_CONFIG requests.",
)

ofp_meter_stats_request = _request(
    "ofp_meter_stats_request", M.OFPMP_METER, embed(ofp_meter_multipart_request),
    defaults={"meter_id": ofp_meter.OFPM_ALL}, doc="METER request: one meter, or OFPM_ALL.")

ofp_meter_band_stats = nstruct(
    "ofp_meter_band_stats", (uint64, "packet_band_count"), (uint64, "byte_band_count"),
    doc="One meter band's counters.",
)

ofp_meter_stats = nstruct(
    "ofp_meter_stats",
    (uint32(ofp_meter), "meter_id"), (uint16, "len"), pad(6), (uint32, "flow_count"),
    (uint64, "packet_in_count"), (uint64, "byte_in_count"), (uint32, "duration_sec"),
    (uint32, "duration_nsec"), (array(ofp_meter_band_stats), "band_stats"),
    size="len",
    doc="One meter's counters, then one counter per band.",
)

ofp_meter_stats_reply = _reply("ofp_meter_stats_reply", M.OFPMP_METER,
                               (array(ofp_meter_stats), "stats"), doc="METER reply.")

ofp_meter_config_request = _request(
    "ofp_meter_config_request", M.OFPMP_METER_CONFIG, embed(ofp_meter_multipart_request),
    defaults={"meter_id": ofp_meter.OFPM_ALL},
    doc="METER_CONFIG request: one meter, or OFPM_ALL.")

ofp_meter_config = nstruct(
    "ofp_meter_config",
    (uint16, "length"), (uint16(ofp_meter_flags), "flags"), (uint32(ofp_meter), "meter_id"),
    (array(ofp_meter_band), "bands"),
    size="length",
    doc="One meter's configuration: flags and bands.",
)

ofp_meter_config_reply = _reply("ofp_meter_config_reply", M.OFPMP_METER_CONFIG,
                                (array(ofp_meter_config), "stats"), doc="METER_CONFIG reply.")

ofp_meter_features_request = _request("ofp_meter_features_request", M.OFPMP_METER_FEATURES,
                                      doc="METER_FEATURES request: no body.")

ofp_meter_features = nstruct(
    "ofp_meter_features",
    (uint32(ofp_meter), "max_meter"), (uint32(hexa), "band_types"),
    (uint32(ofp_meter_flags), "capabilities"), (uint8, "max_bands"), (uint8, "max_color"),
    pad(2),
    doc="Meter features: maximum meters, band types (1 << OFPMBT_*), flags supported.",
)

ofp_meter_features_reply = _reply("ofp_meter_features_reply", M.OFPMP_METER_FEATURES,
                                  embed(ofp_meter_features),
                                  doc="METER_FEATURES reply: the ``ofp_meter_features`` fields.")

# -- EXPERIMENTER (7.3.5.15) ----------------------------------------------------------------

_EXPERIMENTER_DOC = ("EXPERIMENTER multipart (``ofp_experimenter_multipart_header``): "
                     "dispatches on ``(experimenter, exp_type)``; an unknown body stays in "
                     "``_tail``.")

ofp_experimenter_multipart_request = nstruct(
    "ofp_experimenter_multipart_request",
    (uint32(hexa), "experimenter"), (uint32, "exp_type"),
    base=ofp_multipart_request, when={"multipart_type": M.OFPMP_EXPERIMENTER},
    classify=("experimenter", "exp_type"), doc=_EXPERIMENTER_DOC,
)

ofp_experimenter_multipart_reply = nstruct(
    "ofp_experimenter_multipart_reply",
    (uint32(hexa), "experimenter"), (uint32, "exp_type"),
    base=ofp_multipart_reply, when={"multipart_type": M.OFPMP_EXPERIMENTER},
    classify=("experimenter", "exp_type"), doc=_EXPERIMENTER_DOC,
)

del M
