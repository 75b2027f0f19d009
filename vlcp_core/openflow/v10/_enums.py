"""OpenFlow 1.0 enumerations and constants (OpenFlow Switch Specification 1.0.0, section 5).

Values are the spec's; members keep the spec's names (``OFPT_HELLO``).
"""

from __future__ import annotations

import enum

__all__ = [
    "DESC_STR_LEN",
    "OFPFW_NW_DST_BITS",
    "OFPFW_NW_DST_SHIFT",
    "OFPFW_NW_SRC_BITS",
    "OFPFW_NW_SRC_SHIFT",
    "OVS_WILDCARDS_ALL",
    "OFPQ_ALL",
    "OFP_DEFAULT_MISS_SEND_LEN",
    "OFP_DEFAULT_PRIORITY",
    "OFP_ETH_ALEN",
    "OFP_MAX_PORT_NAME_LEN",
    "OFP_MAX_TABLE_NAME_LEN",
    "OFP_NO_BUFFER",
    "OFP_VERSION",
    "OFP_VLAN_NONE",
    "SERIAL_NUM_LEN",
    "ofp_action_type",
    "ofp_action_type_bitmap",
    "ofp_capabilities",
    "ofp_config_flags",
    "ofp_flow_mod_command",
    "ofp_flow_mod_flags",
    "ofp_flow_removed_reason",
    "ofp_flow_wildcards",
    "ofp_packet_in_reason",
    "ofp_port",
    "ofp_port_config",
    "ofp_port_features",
    "ofp_port_reason",
    "ofp_port_state",
    "ofp_queue_properties",
    "ofp_stats_reply_flags",
    "ofp_stats_types",
    "ofp_type",
]

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


# -- 5.2.1 port structures -------------------------------------------------------------

OFP_MAX_PORT_NAME_LEN = 16
OFP_ETH_ALEN = 6


class ofp_port_config(enum.IntFlag):
    """Port administrative flags (5.2.1)."""

    OFPPC_PORT_DOWN = 1 << 0
    OFPPC_NO_STP = 1 << 1
    OFPPC_NO_RECV = 1 << 2
    OFPPC_NO_RECV_STP = 1 << 3
    OFPPC_NO_FLOOD = 1 << 4
    OFPPC_NO_FWD = 1 << 5
    OFPPC_NO_PACKET_IN = 1 << 6


class ofp_port_state(enum.IntFlag):
    """Port state (5.2.1): link down, and a 2-bit STP state in bits 8-9.

    ``OFPPS_STP_BLOCK`` and ``OFPPS_STP_MASK`` cover both STP bits (a flag display
    shows them as ``OFPPS_STP_LEARN|OFPPS_STP_FORWARD``); ``OFPPS_STP_LISTEN`` is 0.
    """

    OFPPS_LINK_DOWN = 1 << 0
    OFPPS_STP_LISTEN = 0 << 8
    OFPPS_STP_LEARN = 1 << 8
    OFPPS_STP_FORWARD = 2 << 8
    OFPPS_STP_BLOCK = 3 << 8
    OFPPS_STP_MASK = 3 << 8


class ofp_port_features(enum.IntFlag):
    """Port features: speeds, medium, autonegotiation, pause (5.2.1)."""

    OFPPF_10MB_HD = 1 << 0
    OFPPF_10MB_FD = 1 << 1
    OFPPF_100MB_HD = 1 << 2
    OFPPF_100MB_FD = 1 << 3
    OFPPF_1GB_HD = 1 << 4
    OFPPF_1GB_FD = 1 << 5
    OFPPF_10GB_FD = 1 << 6
    OFPPF_COPPER = 1 << 7
    OFPPF_FIBER = 1 << 8
    OFPPF_AUTONEG = 1 << 9
    OFPPF_PAUSE = 1 << 10
    OFPPF_PAUSE_ASYM = 1 << 11


# -- 5.2.2 queue structures ------------------------------------------------------------

OFPQ_ALL = 0xFFFFFFFF
"""All queues (queue statistics request)."""


class ofp_queue_properties(enum.IntEnum):
    """Queue property types (5.2.2)."""

    OFPQT_NONE = 0
    OFPQT_MIN_RATE = 1


# -- 5.2.3 flow match --------------------------------------------------------------------

OFPFW_NW_SRC_SHIFT = 8
OFPFW_NW_SRC_BITS = 6
OFPFW_NW_DST_SHIFT = 14
OFPFW_NW_DST_BITS = 6


class ofp_flow_wildcards(enum.IntFlag):
    """Match wildcards (5.2.3).

    Bits 8-13 and 14-19 are not flags but the number of low bits of ``nw_src`` /
    ``nw_dst`` to ignore (32 or more: all); the ``wildcards`` field of a match is
    shown by ``ofp_wildcards_display``, which spells them ``NW_SRC_MASK:n``.
    """

    OFPFW_IN_PORT = 1 << 0
    OFPFW_DL_VLAN = 1 << 1
    OFPFW_DL_SRC = 1 << 2
    OFPFW_DL_DST = 1 << 3
    OFPFW_DL_TYPE = 1 << 4
    OFPFW_NW_PROTO = 1 << 5
    OFPFW_TP_SRC = 1 << 6
    OFPFW_TP_DST = 1 << 7
    OFPFW_NW_SRC_MASK = ((1 << 6) - 1) << 8
    OFPFW_NW_SRC_ALL = 32 << 8
    OFPFW_NW_DST_MASK = ((1 << 6) - 1) << 14
    OFPFW_NW_DST_ALL = 32 << 14
    OFPFW_DL_VLAN_PCP = 1 << 20
    OFPFW_NW_TOS = 1 << 21
    OFPFW_ALL = (1 << 22) - 1


OVS_WILDCARDS_ALL = int(
    ofp_flow_wildcards.OFPFW_ALL
    & ~(ofp_flow_wildcards.OFPFW_NW_SRC_MASK | ofp_flow_wildcards.OFPFW_NW_DST_MASK)
    | ofp_flow_wildcards.OFPFW_NW_SRC_ALL | ofp_flow_wildcards.OFPFW_NW_DST_ALL)
"""``wildcards`` of "match everything" as Open vSwitch writes it: every flag, and 32
(not 63) as the ``nw_src`` / ``nw_dst`` counts."""


OFP_VLAN_NONE = 0xFFFF
"""``dl_vlan`` of a match on packets without a VLAN tag."""


# -- 5.2.4 actions -----------------------------------------------------------------------


class ofp_action_type(enum.IntEnum):
    """Action types (5.2.4)."""

    OFPAT_OUTPUT = 0
    OFPAT_SET_VLAN_VID = 1
    OFPAT_SET_VLAN_PCP = 2
    OFPAT_STRIP_VLAN = 3
    OFPAT_SET_DL_SRC = 4
    OFPAT_SET_DL_DST = 5
    OFPAT_SET_NW_SRC = 6
    OFPAT_SET_NW_DST = 7
    OFPAT_SET_NW_TOS = 8
    OFPAT_SET_TP_SRC = 9
    OFPAT_SET_TP_DST = 10
    OFPAT_ENQUEUE = 11
    OFPAT_VENDOR = 0xFFFF


class ofp_action_type_bitmap(enum.IntFlag):
    """The ``actions`` bitmap of the features reply: bit ``1 << OFPAT_x`` per action (5.3.1)."""

    OFPAT_OUTPUT = 1 << 0
    OFPAT_SET_VLAN_VID = 1 << 1
    OFPAT_SET_VLAN_PCP = 1 << 2
    OFPAT_STRIP_VLAN = 1 << 3
    OFPAT_SET_DL_SRC = 1 << 4
    OFPAT_SET_DL_DST = 1 << 5
    OFPAT_SET_NW_SRC = 1 << 6
    OFPAT_SET_NW_DST = 1 << 7
    OFPAT_SET_NW_TOS = 1 << 8
    OFPAT_SET_TP_SRC = 1 << 9
    OFPAT_SET_TP_DST = 1 << 10
    OFPAT_ENQUEUE = 1 << 11


# -- 5.3 controller-to-switch messages -------------------------------------------------


class ofp_capabilities(enum.IntFlag):
    """Switch capabilities of the features reply (5.3.1)."""

    OFPC_FLOW_STATS = 1 << 0
    OFPC_TABLE_STATS = 1 << 1
    OFPC_PORT_STATS = 1 << 2
    OFPC_STP = 1 << 3
    OFPC_RESERVED = 1 << 4
    OFPC_IP_REASM = 1 << 5
    OFPC_QUEUE_STATS = 1 << 6
    OFPC_ARP_MATCH_IP = 1 << 7


OFP_DEFAULT_MISS_SEND_LEN = 128


class ofp_config_flags(enum.IntEnum):
    """Handling of IP fragments, the ``flags`` of the switch configuration (5.3.2)."""

    OFPC_FRAG_NORMAL = 0
    OFPC_FRAG_DROP = 1
    OFPC_FRAG_REASM = 2
    OFPC_FRAG_MASK = 3


class ofp_flow_mod_command(enum.IntEnum):
    """Flow table modification commands (5.3.3)."""

    OFPFC_ADD = 0
    OFPFC_MODIFY = 1
    OFPFC_MODIFY_STRICT = 2
    OFPFC_DELETE = 3
    OFPFC_DELETE_STRICT = 4


class ofp_flow_mod_flags(enum.IntFlag):
    """Flow mod flags (5.3.3)."""

    OFPFF_SEND_FLOW_REM = 1 << 0
    OFPFF_CHECK_OVERLAP = 1 << 1
    OFPFF_EMERG = 1 << 2


OFP_DEFAULT_PRIORITY = 0x8000
OFP_NO_BUFFER = 0xFFFFFFFF
"""``buffer_id`` meaning "no buffered packet" (5.3.3: -1)."""


class ofp_stats_types(enum.IntEnum):
    """Statistics types (5.3.5)."""

    OFPST_DESC = 0
    OFPST_FLOW = 1
    OFPST_AGGREGATE = 2
    OFPST_TABLE = 3
    OFPST_PORT = 4
    OFPST_QUEUE = 5
    OFPST_VENDOR = 0xFFFF


class ofp_stats_reply_flags(enum.IntFlag):
    """Statistics reply flags (5.3.5)."""

    OFPSF_REPLY_MORE = 1 << 0


DESC_STR_LEN = 256
SERIAL_NUM_LEN = 32
OFP_MAX_TABLE_NAME_LEN = 32


# -- 5.4 asynchronous messages ---------------------------------------------------------


class ofp_packet_in_reason(enum.IntEnum):
    """Why a packet was sent to the controller (5.4.1)."""

    OFPR_NO_MATCH = 0
    OFPR_ACTION = 1


class ofp_flow_removed_reason(enum.IntEnum):
    """Why a flow was removed (5.4.2)."""

    OFPRR_IDLE_TIMEOUT = 0
    OFPRR_HARD_TIMEOUT = 1
    OFPRR_DELETE = 2


class ofp_port_reason(enum.IntEnum):
    """What changed about a port (5.4.3)."""

    OFPPR_ADD = 0
    OFPPR_DELETE = 1
    OFPPR_MODIFY = 2
