"""OpenFlow 1.3 symmetric and switch-configuration messages (spec 1.3.5, 7.3.1, 7.3.2, 7.5).

HELLO with its elements (7.5.1), ECHO_REQUEST/REPLY (7.5.2, 7.5.3), EXPERIMENTER
(7.5.4), FEATURES_REQUEST/REPLY (7.3.1), GET_CONFIG_REQUEST/REPLY and
SET_CONFIG (7.3.2), BARRIER_REQUEST/REPLY (7.3.8).

``ofp_experimenter_header`` dispatches on ``(experimenter, exp_type)``; vendor
messages (Nicira) are added as its subtypes, and unknown bodies stay in ``_tail``.
"""

from __future__ import annotations

import enum

from vlcp_core.namedstruct import array, hexa, nstruct, pad, raw, uint8, uint16, uint32, uint64

from ._enums import OFP_DEFAULT_MISS_SEND_LEN, ofp_controller_max_len, ofp_type
from ._header import ofp_header

__all__ = [
    "ofp_barrier_reply",
    "ofp_barrier_request",
    "ofp_capabilities",
    "ofp_config_flags",
    "ofp_echo_reply",
    "ofp_echo_request",
    "ofp_experimenter_header",
    "ofp_features_request",
    "ofp_get_config_reply",
    "ofp_get_config_request",
    "ofp_hello",
    "ofp_hello_elem",
    "ofp_hello_elem_type",
    "ofp_hello_elem_versionbitmap",
    "ofp_set_config",
    "ofp_switch_features",
]


class ofp_hello_elem_type(enum.IntEnum):
    """Hello element types (7.5.1)."""

    OFPHET_VERSIONBITMAP = 1


class ofp_capabilities(enum.IntFlag):
    """Switch capabilities (7.3.1)."""

    OFPC_FLOW_STATS = 1 << 0
    OFPC_TABLE_STATS = 1 << 1
    OFPC_PORT_STATS = 1 << 2
    OFPC_GROUP_STATS = 1 << 3
    OFPC_IP_REASM = 1 << 5
    OFPC_QUEUE_STATS = 1 << 6
    OFPC_PORT_BLOCKED = 1 << 8


class ofp_config_flags(enum.IntFlag):
    """Switch configuration flags (7.3.2); the low two bits say how fragments are handled."""

    OFPC_FRAG_NORMAL = 0
    OFPC_FRAG_DROP = 1 << 0
    OFPC_FRAG_REASM = 1 << 1
    OFPC_FRAG_MASK = 3


# -- HELLO ------------------------------------------------------------------------------

ofp_hello_elem = nstruct(
    "ofp_hello_elem",
    (uint16(ofp_hello_elem_type), "type"), (uint16, "length"),
    size="length", pad_after=8, classify="type",
    doc="A hello element (``ofp_hello_elem_header``); ``length`` excludes the padding "
        "to 8 bytes; unknown elements keep their body in ``_tail``.",
)

ofp_hello_elem_versionbitmap = nstruct(
    "ofp_hello_elem_versionbitmap",
    (array(uint32(hexa)), "bitmaps"),
    base=ofp_hello_elem, when={"type": ofp_hello_elem_type.OFPHET_VERSIONBITMAP},
    doc="VERSIONBITMAP: bit n of ``bitmaps[i]`` set = wire version 32*i+n supported.",
)

ofp_hello = nstruct(
    "ofp_hello",
    (array(ofp_hello_elem), "elements"),
    base=ofp_header, when={"type": ofp_type.OFPT_HELLO},
    doc="HELLO: the header, then hello elements (often none).",
)

# -- ECHO, EXPERIMENTER ----------------------------------------------------------------

ofp_echo_request = nstruct(
    "ofp_echo_request", (raw(), "data"),
    base=ofp_header, when={"type": ofp_type.OFPT_ECHO_REQUEST},
    doc="ECHO_REQUEST: arbitrary ``data``, returned in the reply.",
)

ofp_echo_reply = nstruct(
    "ofp_echo_reply", (raw(), "data"),
    base=ofp_header, when={"type": ofp_type.OFPT_ECHO_REPLY},
    doc="ECHO_REPLY: the request's ``data``.",
)

ofp_experimenter_header = nstruct(
    "ofp_experimenter_header",
    (uint32(hexa), "experimenter"), (uint32, "exp_type"),
    base=ofp_header, when={"type": ofp_type.OFPT_EXPERIMENTER},
    classify=("experimenter", "exp_type"),
    doc="EXPERIMENTER: dispatches on ``(experimenter, exp_type)``; an unknown body "
        "stays in ``_tail``.",
)

# -- FEATURES, CONFIG, BARRIER -----------------------------------------------------------

ofp_features_request = nstruct(
    "ofp_features_request",
    base=ofp_header, when={"type": ofp_type.OFPT_FEATURES_REQUEST},
    doc="FEATURES_REQUEST: header only.",
)

ofp_switch_features = nstruct(
    "ofp_switch_features",
    (uint64(hexa), "datapath_id"), (uint32, "n_buffers"), (uint8, "n_tables"),
    (uint8, "auxiliary_id"), pad(2), (uint32(ofp_capabilities), "capabilities"),
    (uint32, "reserved"),
    base=ofp_header, when={"type": ofp_type.OFPT_FEATURES_REPLY},
    doc="FEATURES_REPLY: datapath id, buffers, tables, capabilities (no ports in 1.3).",
)

ofp_get_config_request = nstruct(
    "ofp_get_config_request",
    base=ofp_header, when={"type": ofp_type.OFPT_GET_CONFIG_REQUEST},
    doc="GET_CONFIG_REQUEST: header only.",
)

_SWITCH_CONFIG = ((uint16(ofp_config_flags), "flags"),
                  (uint16(ofp_controller_max_len), "miss_send_len"))

ofp_get_config_reply = nstruct(
    "ofp_get_config_reply", *_SWITCH_CONFIG,
    base=ofp_header, when={"type": ofp_type.OFPT_GET_CONFIG_REPLY},
    defaults={"miss_send_len": OFP_DEFAULT_MISS_SEND_LEN},
    doc="GET_CONFIG_REPLY (``ofp_switch_config``): fragment flags, miss_send_len.",
)

ofp_set_config = nstruct(
    "ofp_set_config", *_SWITCH_CONFIG,
    base=ofp_header, when={"type": ofp_type.OFPT_SET_CONFIG},
    defaults={"miss_send_len": OFP_DEFAULT_MISS_SEND_LEN},
    doc="SET_CONFIG (``ofp_switch_config``): fragment flags, miss_send_len.",
)

ofp_barrier_request = nstruct(
    "ofp_barrier_request",
    base=ofp_header, when={"type": ofp_type.OFPT_BARRIER_REQUEST},
    doc="BARRIER_REQUEST: header only.",
)

ofp_barrier_reply = nstruct(
    "ofp_barrier_reply",
    base=ofp_header, when={"type": ofp_type.OFPT_BARRIER_REPLY},
    doc="BARRIER_REPLY: header only.",
)
