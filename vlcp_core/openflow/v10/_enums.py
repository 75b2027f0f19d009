"""OpenFlow 1.0 enumerations (OpenFlow Switch Specification 1.0.0, section 5 and A).

Values are the spec's; members keep the spec's names (``OFPT_HELLO``).
"""

from __future__ import annotations

import enum

__all__ = ["OFP_VERSION", "ofp_port", "ofp_type"]

OFP_VERSION = 0x01


class ofp_type(enum.IntEnum):
    """Message types (5.1)."""

    OFPT_HELLO = 0
    OFPT_ERROR = 1
    OFPT_ECHO_REQUEST = 2
    OFPT_ECHO_REPLY = 3
    OFPT_VENDOR = 4
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
    OFPT_PORT_MOD = 15
    OFPT_STATS_REQUEST = 16
    OFPT_STATS_REPLY = 17
    OFPT_BARRIER_REQUEST = 18
    OFPT_BARRIER_REPLY = 19
    OFPT_QUEUE_GET_CONFIG_REQUEST = 20
    OFPT_QUEUE_GET_CONFIG_REPLY = 21


class ofp_port(enum.IntEnum):
    """Reserved port numbers (5.2.1)."""

    OFPP_MAX = 0xFF00
    OFPP_IN_PORT = 0xFFF8
    OFPP_TABLE = 0xFFF9
    OFPP_NORMAL = 0xFFFA
    OFPP_FLOOD = 0xFFFB
    OFPP_ALL = 0xFFFC
    OFPP_CONTROLLER = 0xFFFD
    OFPP_LOCAL = 0xFFFE
    OFPP_NONE = 0xFFFF
