"""OpenFlow 1.0 queues (spec 1.0.0, 5.2.2 "Queue Structures") and the queue
configuration messages (5.3.4 "Queue Configuration Messages").

A queue (``ofp_packet_queue``) holds a list of properties; ``ofp_queue_prop_header``
dispatches on ``property``, and an unknown property keeps its body in ``_tail``.
"""

from __future__ import annotations

from vlcp_core.namedstruct import array, nstruct, pad, uint16, uint32

from ._enums import ofp_port, ofp_queue_properties, ofp_type
from ._header import ofp_header

__all__ = [
    "ofp_packet_queue",
    "ofp_queue_get_config_reply",
    "ofp_queue_get_config_request",
    "ofp_queue_prop_header",
    "ofp_queue_prop_min_rate",
    "ofp_queue_prop_none",
]

ofp_queue_prop_header = nstruct(
    "ofp_queue_prop_header",
    (uint16(ofp_queue_properties), "property"), (uint16, "len"), pad(4),
    size="len", classify="property",
    doc="Queue property header: property type, length (filled on build); "
        "an unknown property keeps its body in ``_tail``.",
)

ofp_queue_prop_none = nstruct(
    "ofp_queue_prop_none",
    base=ofp_queue_prop_header, when={"property": ofp_queue_properties.OFPQT_NONE},
    doc="OFPQT_NONE: a property without content.",
)

ofp_queue_prop_min_rate = nstruct(
    "ofp_queue_prop_min_rate",
    (uint16, "rate"), pad(6),
    base=ofp_queue_prop_header, when={"property": ofp_queue_properties.OFPQT_MIN_RATE},
    doc="OFPQT_MIN_RATE: guaranteed rate in 1/10 of a percent (> 1000: disabled).",
)

ofp_packet_queue = nstruct(
    "ofp_packet_queue",
    (uint32, "queue_id"), (uint16, "len"), pad(2),
    (array(ofp_queue_prop_header), "properties"),
    size="len",
    doc="A queue: id, length (filled on build) and its properties.",
)

ofp_queue_get_config_request = nstruct(
    "ofp_queue_get_config_request",
    (uint16(ofp_port), "port"), pad(2),
    base=ofp_header, when={"type": ofp_type.OFPT_QUEUE_GET_CONFIG_REQUEST},
    doc="OFPT_QUEUE_GET_CONFIG_REQUEST: the queues of ``port``.",
)

ofp_queue_get_config_reply = nstruct(
    "ofp_queue_get_config_reply",
    (uint16(ofp_port), "port"), pad(6), (array(ofp_packet_queue), "queues"),
    base=ofp_header, when={"type": ofp_type.OFPT_QUEUE_GET_CONFIG_REPLY},
    doc="OFPT_QUEUE_GET_CONFIG_REPLY: the queues configured on ``port``.",
)
