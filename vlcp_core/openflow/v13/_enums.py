"""OpenFlow 1.3 enumerations (OpenFlow Switch Specification 1.3.5, section 7 and A).

Values are the spec's; members keep the spec's names (``OFPT_HELLO``).
"""

from __future__ import annotations

import enum

__all__ = [
    "DESC_STR_LEN",
    "OFP_DEFAULT_MISS_SEND_LEN",
    "OFP_MAX_PORT_NAME_LEN",
    "OFP_MAX_TABLE_NAME_LEN",
    "OFP_NO_BUFFER",
    "OFP_VERSION",
    "SERIAL_NUM_LEN",
    "ofp_buffer",
    "ofp_controller_max_len",
    "ofp_group",
    "ofp_meter",
    "ofp_port_config",
    "ofp_port_features",
    "ofp_port_no",
    "ofp_port_state",
    "ofp_queue",
    "ofp_table",
    "ofp_type",
]

OFP_VERSION = 0x04


class ofp_type(enum.IntEnum):
    """Message types (7.1)."""

    OFPT_HELLO = 0
    OFPT_ERROR = 1
    OFPT_ECHO_REQUEST = 2
    OFPT_ECHO_REPLY = 3
    OFPT_EXPERIMENTER = 4
    OFPT_FEATURES_REQUEST = 5
    OFPT_FEATURES_REPLY = 6
    OFPT_GET_CONFIG_REQUEST = 7
    OFPT_GET_CONFIG_REPLY = 8
    OFPT_SET_CONFIG = 9
    OFPT_PACKET_IN = 10
    OFPT_FLOW_REMOVED = 11
    OFPT_PORT_STATUS = 12
    OFPT_PACKET_OUT = 13
    OFPT_FLOW_MOD = 14
    OFPT_GROUP_MOD = 15
    OFPT_PORT_MOD = 16
    OFPT_TABLE_MOD = 17
    OFPT_MULTIPART_REQUEST = 18
    OFPT_MULTIPART_REPLY = 19
    OFPT_BARRIER_REQUEST = 20
    OFPT_BARRIER_REPLY = 21
    OFPT_QUEUE_GET_CONFIG_REQUEST = 22
    OFPT_QUEUE_GET_CONFIG_REPLY = 23
    OFPT_ROLE_REQUEST = 24
    OFPT_ROLE_REPLY = 25
    OFPT_GET_ASYNC_REQUEST = 26
    OFPT_GET_ASYNC_REPLY = 27
    OFPT_SET_ASYNC = 28
    OFPT_METER_MOD = 29


class ofp_port_no(enum.IntEnum):
    """Reserved port numbers (7.2.1)."""

    OFPP_MAX = 0xFFFFFF00
    OFPP_IN_PORT = 0xFFFFFFF8
    OFPP_TABLE = 0xFFFFFFF9
    OFPP_NORMAL = 0xFFFFFFFA
    OFPP_FLOOD = 0xFFFFFFFB
    OFPP_ALL = 0xFFFFFFFC
    OFPP_CONTROLLER = 0xFFFFFFFD
    OFPP_LOCAL = 0xFFFFFFFE
    OFPP_ANY = 0xFFFFFFFF


# -- Shared by several message families (7.2.1, 7.3.1, 7.3.4.2, 7.3.4.4, 7.2.4.1) ---------

OFP_NO_BUFFER = 0xFFFFFFFF
"""``buffer_id`` of a packet that is not buffered (7.3.7, 7.3.4.2)."""

OFP_DEFAULT_MISS_SEND_LEN = 128
OFP_MAX_TABLE_NAME_LEN = 32
OFP_MAX_PORT_NAME_LEN = 16
DESC_STR_LEN = 256
SERIAL_NUM_LEN = 32


class ofp_port_config(enum.IntFlag):
    """Port administrative flags (7.2.1)."""

    OFPPC_PORT_DOWN = 1 << 0
    OFPPC_NO_RECV = 1 << 2
    OFPPC_NO_FWD = 1 << 5
    OFPPC_NO_PACKET_IN = 1 << 6


class ofp_port_state(enum.IntFlag):
    """Port state flags (7.2.1)."""

    OFPPS_LINK_DOWN = 1 << 0
    OFPPS_BLOCKED = 1 << 1
    OFPPS_LIVE = 1 << 2


class ofp_port_features(enum.IntFlag):
    """Port features: speeds, medium, autonegotiation, pause (7.2.1)."""

    OFPPF_10MB_HD = 1 << 0
    OFPPF_10MB_FD = 1 << 1
    OFPPF_100MB_HD = 1 << 2
    OFPPF_100MB_FD = 1 << 3
    OFPPF_1GB_HD = 1 << 4
    OFPPF_1GB_FD = 1 << 5
    OFPPF_10GB_FD = 1 << 6
    OFPPF_40GB_FD = 1 << 7
    OFPPF_100GB_FD = 1 << 8
    OFPPF_1TB_FD = 1 << 9
    OFPPF_OTHER = 1 << 10
    OFPPF_COPPER = 1 << 11
    OFPPF_FIBER = 1 << 12
    OFPPF_AUTONEG = 1 << 13
    OFPPF_PAUSE = 1 << 14
    OFPPF_PAUSE_ASYM = 1 << 15


class ofp_table(enum.IntEnum):
    """Table numbering (7.3.3)."""

    OFPTT_MAX = 0xFE
    OFPTT_ALL = 0xFF


class ofp_group(enum.IntEnum):
    """Group numbering (7.3.4.2)."""

    OFPG_MAX = 0xFFFFFF00
    OFPG_ALL = 0xFFFFFFFC
    OFPG_ANY = 0xFFFFFFFF


class ofp_meter(enum.IntEnum):
    """Meter numbering (7.3.4.4)."""

    OFPM_MAX = 0xFFFF0000
    OFPM_SLOWPATH = 0xFFFFFFFD
    OFPM_CONTROLLER = 0xFFFFFFFE
    OFPM_ALL = 0xFFFFFFFF


class ofp_controller_max_len(enum.IntEnum):
    """``max_len`` of an output action to the controller (7.2.5)."""

    OFPCML_MAX = 0xFFE5
    OFPCML_NO_BUFFER = 0xFFFF


class ofp_queue(enum.IntEnum):
    """Queue numbering (7.3.5.8)."""

    OFPQ_ALL = 0xFFFFFFFF


class ofp_buffer(enum.IntEnum):
    """The one reserved ``buffer_id`` (7.3.4.2)."""

    OFP_NO_BUFFER = 0xFFFFFFFF
