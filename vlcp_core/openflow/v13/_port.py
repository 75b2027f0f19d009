"""OpenFlow 1.3 ports, tables and queues (spec 1.3.5, 7.2.1, 7.2.2, 7.3.3, 7.3.4.3, 7.3.6, 7.4.3).

``ofp_port`` (7.2.1) with PORT_STATUS (7.4.3) and PORT_MOD (7.3.4.3);
TABLE_MOD (7.3.3); queue descriptions ``ofp_packet_queue`` with their
properties (7.2.2) and QUEUE_GET_CONFIG_REQUEST/REPLY (7.3.6).

Queue properties dispatch on ``property``; ``len`` bounds each one (unknown
properties keep their body in ``_tail``).  A queue's ``len`` bounds its
properties; nothing requires it to be a multiple of 8.
"""

from __future__ import annotations

import enum

from vlcp_core.namedstruct import (
    array,
    char,
    hexa,
    mac_addr,
    nstruct,
    pad,
    raw,
    uint8,
    uint16,
    uint32,
)

from ._enums import (
    OFP_MAX_PORT_NAME_LEN,
    ofp_port_config,
    ofp_port_features,
    ofp_port_no,
    ofp_port_state,
    ofp_queue,
    ofp_table,
    ofp_type,
)
from ._header import ofp_header

__all__ = [
    "ofp_packet_queue",
    "ofp_port",
    "ofp_port_mod",
    "ofp_port_reason",
    "ofp_port_status",
    "ofp_queue_get_config_reply",
    "ofp_queue_get_config_request",
    "ofp_queue_prop",
    "ofp_queue_prop_experimenter",
    "ofp_queue_prop_max_rate",
    "ofp_queue_prop_min_rate",
    "ofp_queue_properties",
    "ofp_table_config",
    "ofp_table_mod",
]


class ofp_port_reason(enum.IntEnum):
    """Why a PORT_STATUS was sent (7.4.3)."""

    OFPPR_ADD = 0
    OFPPR_DELETE = 1
    OFPPR_MODIFY = 2


class ofp_table_config(enum.IntFlag):
    """Table configuration (7.3.3): only the deprecated bits exist in 1.3."""

    OFPTC_DEPRECATED_MASK = 3


class ofp_queue_properties(enum.IntEnum):
    """Queue property types (7.2.2)."""

    OFPQT_MIN_RATE = 1
    OFPQT_MAX_RATE = 2
    OFPQT_EXPERIMENTER = 0xFFFF


# -- Ports --------------------------------------------------------------------------------

ofp_port = nstruct(
    "ofp_port",
    (uint32(ofp_port_no), "port_no"), pad(4), (mac_addr, "hw_addr"), pad(2),
    (char(OFP_MAX_PORT_NAME_LEN), "name"), (uint32(ofp_port_config), "config"),
    (uint32(ofp_port_state), "state"), (uint32(ofp_port_features), "curr"),
    (uint32(ofp_port_features), "advertised"), (uint32(ofp_port_features), "supported"),
    (uint32(ofp_port_features), "peer"), (uint32, "curr_speed"), (uint32, "max_speed"),
    doc="A port description (64 bytes); speeds in kbps.",
)

ofp_port_status = nstruct(
    "ofp_port_status",
    (uint8(ofp_port_reason), "reason"), pad(7), (ofp_port, "desc"),
    base=ofp_header, when={"type": ofp_type.OFPT_PORT_STATUS},
    doc="PORT_STATUS: a port was added, deleted or modified.",
)

ofp_port_mod = nstruct(
    "ofp_port_mod",
    (uint32(ofp_port_no), "port_no"), pad(4), (mac_addr, "hw_addr"), pad(2),
    (uint32(ofp_port_config), "config"), (uint32(ofp_port_config), "mask"),
    (uint32(ofp_port_features), "advertise"), pad(4),
    base=ofp_header, when={"type": ofp_type.OFPT_PORT_MOD},
    doc="PORT_MOD: set the ``config`` bits selected by ``mask``; ``advertise`` 0 = unchanged.",
)

# -- Tables -------------------------------------------------------------------------------

ofp_table_mod = nstruct(
    "ofp_table_mod",
    (uint8(ofp_table), "table_id"), pad(3), (uint32(ofp_table_config), "config"),
    base=ofp_header, when={"type": ofp_type.OFPT_TABLE_MOD},
    doc="TABLE_MOD: table configuration (``table_id`` OFPTT_ALL for every table).",
)

# -- Queues -------------------------------------------------------------------------------

ofp_queue_prop = nstruct(
    "ofp_queue_prop",
    (uint16(ofp_queue_properties), "property"), (uint16, "len"), pad(4),
    size="len", classify="property",
    doc="A queue property (``ofp_queue_prop_header``); unknown bodies in ``_tail``.",
)

ofp_queue_prop_min_rate = nstruct(
    "ofp_queue_prop_min_rate",
    (uint16, "rate"), pad(6),
    base=ofp_queue_prop, when={"property": ofp_queue_properties.OFPQT_MIN_RATE},
    doc="MIN_RATE in 1/10 of a percent (> 1000: disabled).",
)

ofp_queue_prop_max_rate = nstruct(
    "ofp_queue_prop_max_rate",
    (uint16, "rate"), pad(6),
    base=ofp_queue_prop, when={"property": ofp_queue_properties.OFPQT_MAX_RATE},
    doc="MAX_RATE in 1/10 of a percent (> 1000: disabled).",
)

ofp_queue_prop_experimenter = nstruct(
    "ofp_queue_prop_experimenter",
    (uint32(hexa), "experimenter"), pad(4), (raw(), "data"),
    base=ofp_queue_prop, when={"property": ofp_queue_properties.OFPQT_EXPERIMENTER},
    doc="EXPERIMENTER queue property: experimenter id and data.",
)

ofp_packet_queue = nstruct(
    "ofp_packet_queue",
    (uint32(ofp_queue), "queue_id"), (uint32(ofp_port_no), "port"), (uint16, "len"), pad(6),
    (array(ofp_queue_prop), "properties"),
    size="len",
    doc="A queue description: id, port, properties.",
)

ofp_queue_get_config_request = nstruct(
    "ofp_queue_get_config_request",
    (uint32(ofp_port_no), "port"), pad(4),
    base=ofp_header, when={"type": ofp_type.OFPT_QUEUE_GET_CONFIG_REQUEST},
    defaults={"port": ofp_port_no.OFPP_ANY},
    doc="QUEUE_GET_CONFIG_REQUEST: the queues of ``port`` (OFPP_ANY: all ports).",
)

ofp_queue_get_config_reply = nstruct(
    "ofp_queue_get_config_reply",
    (uint32(ofp_port_no), "port"), pad(4), (array(ofp_packet_queue), "queues"),
    base=ofp_header, when={"type": ofp_type.OFPT_QUEUE_GET_CONFIG_REPLY},
    defaults={"port": ofp_port_no.OFPP_ANY},
    doc="QUEUE_GET_CONFIG_REPLY: the queue descriptions of ``port``.",
)
