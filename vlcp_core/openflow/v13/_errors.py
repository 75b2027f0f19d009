"""OpenFlow 1.3 ERROR messages (OpenFlow Switch Specification 1.3.5, section 7.5.4).

``ofp_error_msg`` is the header plus ``err_type`` (the spec's ``type``, renamed
because the header's ``type`` is flattened into every message); it dispatches on
``err_type``.  Each error type has its own code enum and its own subtype whose
``code`` is shown through that enum (``ofp_error_bad_request.code`` as
``OFPBRC_BAD_TYPE``); ``data`` holds (the start of) the offending request.
``ofp_error_experimenter_msg`` carries ``exp_type`` and ``experimenter``
instead of ``code``.  An error type nobody defined stays an ``ofp_error_msg``
with code and data in ``_tail``.
"""

from __future__ import annotations

import enum

from vlcp_core.namedstruct import hexa, nstruct, raw, uint16, uint32

from ._enums import ofp_type
from ._header import ofp_header

__all__ = [
    "ERROR_CODES",
    "ofp_bad_action_code",
    "ofp_bad_instruction_code",
    "ofp_bad_match_code",
    "ofp_bad_request_code",
    "ofp_error_bad_action",
    "ofp_error_bad_instruction",
    "ofp_error_bad_match",
    "ofp_error_bad_request",
    "ofp_error_experimenter_msg",
    "ofp_error_flow_mod_failed",
    "ofp_error_group_mod_failed",
    "ofp_error_hello_failed",
    "ofp_error_meter_mod_failed",
    "ofp_error_msg",
    "ofp_error_port_mod_failed",
    "ofp_error_queue_op_failed",
    "ofp_error_role_request_failed",
    "ofp_error_switch_config_failed",
    "ofp_error_table_features_failed",
    "ofp_error_table_mod_failed",
    "ofp_error_type",
    "ofp_flow_mod_failed_code",
    "ofp_group_mod_failed_code",
    "ofp_hello_failed_code",
    "ofp_meter_mod_failed_code",
    "ofp_port_mod_failed_code",
    "ofp_queue_op_failed_code",
    "ofp_role_request_failed_code",
    "ofp_switch_config_failed_code",
    "ofp_table_features_failed_code",
    "ofp_table_mod_failed_code",
]


class ofp_error_type(enum.IntEnum):
    """Error types (7.5.4)."""

    OFPET_HELLO_FAILED = 0
    OFPET_BAD_REQUEST = 1
    OFPET_BAD_ACTION = 2
    OFPET_BAD_INSTRUCTION = 3
    OFPET_BAD_MATCH = 4
    OFPET_FLOW_MOD_FAILED = 5
    OFPET_GROUP_MOD_FAILED = 6
    OFPET_PORT_MOD_FAILED = 7
    OFPET_TABLE_MOD_FAILED = 8
    OFPET_QUEUE_OP_FAILED = 9
    OFPET_SWITCH_CONFIG_FAILED = 10
    OFPET_ROLE_REQUEST_FAILED = 11
    OFPET_METER_MOD_FAILED = 12
    OFPET_TABLE_FEATURES_FAILED = 13
    OFPET_EXPERIMENTER = 0xFFFF


class ofp_hello_failed_code(enum.IntEnum):
    """Codes of OFPET_HELLO_FAILED (7.5.4)."""

    OFPHFC_INCOMPATIBLE = 0
    OFPHFC_EPERM = 1


class ofp_bad_request_code(enum.IntEnum):
    """Codes of OFPET_BAD_REQUEST (7.5.4)."""

    OFPBRC_BAD_VERSION = 0
    OFPBRC_BAD_TYPE = 1
    OFPBRC_BAD_MULTIPART = 2
    OFPBRC_BAD_EXPERIMENTER = 3
    OFPBRC_BAD_EXP_TYPE = 4
    OFPBRC_EPERM = 5
    OFPBRC_BAD_LEN = 6
    OFPBRC_BUFFER_EMPTY = 7
    OFPBRC_BUFFER_UNKNOWN = 8
    OFPBRC_BAD_TABLE_ID = 9
    OFPBRC_IS_SLAVE = 10
    OFPBRC_BAD_PORT = 11
    OFPBRC_BAD_PACKET = 12
    OFPBRC_MULTIPART_BUFFER_OVERFLOW = 13


class ofp_bad_action_code(enum.IntEnum):
    """Codes of OFPET_BAD_ACTION (7.5.4)."""

    OFPBAC_BAD_TYPE = 0
    OFPBAC_BAD_LEN = 1
    OFPBAC_BAD_EXPERIMENTER = 2
    OFPBAC_BAD_EXP_TYPE = 3
    OFPBAC_BAD_OUT_PORT = 4
    OFPBAC_BAD_ARGUMENT = 5
    OFPBAC_EPERM = 6
    OFPBAC_TOO_MANY = 7
    OFPBAC_BAD_QUEUE = 8
    OFPBAC_BAD_OUT_GROUP = 9
    OFPBAC_MATCH_INCONSISTENT = 10
    OFPBAC_UNSUPPORTED_ORDER = 11
    OFPBAC_BAD_TAG = 12
    OFPBAC_BAD_SET_TYPE = 13
    OFPBAC_BAD_SET_LEN = 14
    OFPBAC_BAD_SET_ARGUMENT = 15


class ofp_bad_instruction_code(enum.IntEnum):
    """Codes of OFPET_BAD_INSTRUCTION (7.5.4)."""

    OFPBIC_UNKNOWN_INST = 0
    OFPBIC_UNSUP_INST = 1
    OFPBIC_BAD_TABLE_ID = 2
    OFPBIC_UNSUP_METADATA = 3
    OFPBIC_UNSUP_METADATA_MASK = 4
    OFPBIC_BAD_EXPERIMENTER = 5
    OFPBIC_BAD_EXP_TYPE = 6
    OFPBIC_BAD_LEN = 7
    OFPBIC_EPERM = 8


class ofp_bad_match_code(enum.IntEnum):
    """Codes of OFPET_BAD_MATCH (7.5.4)."""

    OFPBMC_BAD_TYPE = 0
    OFPBMC_BAD_LEN = 1
    OFPBMC_BAD_TAG = 2
    OFPBMC_BAD_DL_ADDR_MASK = 3
    OFPBMC_BAD_NW_ADDR_MASK = 4
    OFPBMC_BAD_WILDCARDS = 5
    OFPBMC_BAD_FIELD = 6
    OFPBMC_BAD_VALUE = 7
    OFPBMC_BAD_MASK = 8
    OFPBMC_BAD_PREREQ = 9
    OFPBMC_DUP_FIELD = 10
    OFPBMC_EPERM = 11


class ofp_flow_mod_failed_code(enum.IntEnum):
    """Codes of OFPET_FLOW_MOD_FAILED (7.5.4)."""

    OFPFMFC_UNKNOWN = 0
    OFPFMFC_TABLE_FULL = 1
    OFPFMFC_BAD_TABLE_ID = 2
    OFPFMFC_OVERLAP = 3
    OFPFMFC_EPERM = 4
    OFPFMFC_BAD_TIMEOUT = 5
    OFPFMFC_BAD_COMMAND = 6
    OFPFMFC_BAD_FLAGS = 7


class ofp_group_mod_failed_code(enum.IntEnum):
    """Codes of OFPET_GROUP_MOD_FAILED (7.5.4)."""

    OFPGMFC_GROUP_EXISTS = 0
    OFPGMFC_INVALID_GROUP = 1
    OFPGMFC_WEIGHT_UNSUPPORTED = 2
    OFPGMFC_OUT_OF_GROUPS = 3
    OFPGMFC_OUT_OF_BUCKETS = 4
    OFPGMFC_CHAINING_UNSUPPORTED = 5
    OFPGMFC_WATCH_UNSUPPORTED = 6
    OFPGMFC_LOOP = 7
    OFPGMFC_UNKNOWN_GROUP = 8
    OFPGMFC_CHAINED_GROUP = 9
    OFPGMFC_BAD_TYPE = 10
    OFPGMFC_BAD_COMMAND = 11
    OFPGMFC_BAD_BUCKET = 12
    OFPGMFC_BAD_WATCH = 13
    OFPGMFC_EPERM = 14


class ofp_port_mod_failed_code(enum.IntEnum):
    """Codes of OFPET_PORT_MOD_FAILED (7.5.4)."""

    OFPPMFC_BAD_PORT = 0
    OFPPMFC_BAD_HW_ADDR = 1
    OFPPMFC_BAD_CONFIG = 2
    OFPPMFC_BAD_ADVERTISE = 3
    OFPPMFC_EPERM = 4


class ofp_table_mod_failed_code(enum.IntEnum):
    """Codes of OFPET_TABLE_MOD_FAILED (7.5.4)."""

    OFPTMFC_BAD_TABLE = 0
    OFPTMFC_BAD_CONFIG = 1
    OFPTMFC_EPERM = 2


class ofp_queue_op_failed_code(enum.IntEnum):
    """Codes of OFPET_QUEUE_OP_FAILED (7.5.4)."""

    OFPQOFC_BAD_PORT = 0
    OFPQOFC_BAD_QUEUE = 1
    OFPQOFC_EPERM = 2


class ofp_switch_config_failed_code(enum.IntEnum):
    """Codes of OFPET_SWITCH_CONFIG_FAILED (7.5.4)."""

    OFPSCFC_BAD_FLAGS = 0
    OFPSCFC_BAD_LEN = 1
    OFPSCFC_EPERM = 2


class ofp_role_request_failed_code(enum.IntEnum):
    """Codes of OFPET_ROLE_REQUEST_FAILED (7.5.4)."""

    OFPRRFC_STALE = 0
    OFPRRFC_UNSUP = 1
    OFPRRFC_BAD_ROLE = 2


class ofp_meter_mod_failed_code(enum.IntEnum):
    """Codes of OFPET_METER_MOD_FAILED (7.5.4)."""

    OFPMMFC_UNKNOWN = 0
    OFPMMFC_METER_EXISTS = 1
    OFPMMFC_INVALID_METER = 2
    OFPMMFC_UNKNOWN_METER = 3
    OFPMMFC_BAD_COMMAND = 4
    OFPMMFC_BAD_FLAGS = 5
    OFPMMFC_BAD_RATE = 6
    OFPMMFC_BAD_BURST = 7
    OFPMMFC_BAD_BAND = 8
    OFPMMFC_BAD_BAND_VALUE = 9
    OFPMMFC_OUT_OF_METERS = 10
    OFPMMFC_OUT_OF_BANDS = 11


class ofp_table_features_failed_code(enum.IntEnum):
    """Codes of OFPET_TABLE_FEATURES_FAILED (7.5.4)."""

    OFPTFFC_BAD_TABLE = 0
    OFPTFFC_BAD_METADATA = 1
    OFPTFFC_BAD_TYPE = 2
    OFPTFFC_BAD_LEN = 3
    OFPTFFC_BAD_ARGUMENT = 4
    OFPTFFC_EPERM = 5


ofp_error_msg = nstruct(
    "ofp_error_msg",
    (uint16(ofp_error_type), "err_type"),
    base=ofp_header, when={"type": ofp_type.OFPT_ERROR}, classify="err_type",
    doc="ERROR: dispatches on ``err_type``; an unknown type keeps code and data in ``_tail``.",
)

ofp_error_hello_failed = nstruct(
    "ofp_error_hello_failed",
    (uint16(ofp_hello_failed_code), "code"), (raw(), "data"),
    base=ofp_error_msg, when={"err_type": ofp_error_type.OFPET_HELLO_FAILED},
    doc="OFPET_HELLO_FAILED error: ``code`` is an ``ofp_hello_failed_code``.",
)

ofp_error_bad_request = nstruct(
    "ofp_error_bad_request",
    (uint16(ofp_bad_request_code), "code"), (raw(), "data"),
    base=ofp_error_msg, when={"err_type": ofp_error_type.OFPET_BAD_REQUEST},
    doc="OFPET_BAD_REQUEST error: ``code`` is an ``ofp_bad_request_code``.",
)

ofp_error_bad_action = nstruct(
    "ofp_error_bad_action",
    (uint16(ofp_bad_action_code), "code"), (raw(), "data"),
    base=ofp_error_msg, when={"err_type": ofp_error_type.OFPET_BAD_ACTION},
    doc="OFPET_BAD_ACTION error: ``code`` is an ``ofp_bad_action_code``.",
)

ofp_error_bad_instruction = nstruct(
    "ofp_error_bad_instruction",
    (uint16(ofp_bad_instruction_code), "code"), (raw(), "data"),
    base=ofp_error_msg, when={"err_type": ofp_error_type.OFPET_BAD_INSTRUCTION},
    doc="OFPET_BAD_INSTRUCTION error: ``code`` is an ``ofp_bad_instruction_code``.",
)

ofp_error_bad_match = nstruct(
    "ofp_error_bad_match",
    (uint16(ofp_bad_match_code), "code"), (raw(), "data"),
    base=ofp_error_msg, when={"err_type": ofp_error_type.OFPET_BAD_MATCH},
    doc="OFPET_BAD_MATCH error: ``code`` is an ``ofp_bad_match_code``.",
)

ofp_error_flow_mod_failed = nstruct(
    "ofp_error_flow_mod_failed",
    (uint16(ofp_flow_mod_failed_code), "code"), (raw(), "data"),
    base=ofp_error_msg, when={"err_type": ofp_error_type.OFPET_FLOW_MOD_FAILED},
    doc="OFPET_FLOW_MOD_FAILED error: ``code`` is an ``ofp_flow_mod_failed_code``.",
)

ofp_error_group_mod_failed = nstruct(
    "ofp_error_group_mod_failed",
    (uint16(ofp_group_mod_failed_code), "code"), (raw(), "data"),
    base=ofp_error_msg, when={"err_type": ofp_error_type.OFPET_GROUP_MOD_FAILED},
    doc="OFPET_GROUP_MOD_FAILED error: ``code`` is an ``ofp_group_mod_failed_code``.",
)

ofp_error_port_mod_failed = nstruct(
    "ofp_error_port_mod_failed",
    (uint16(ofp_port_mod_failed_code), "code"), (raw(), "data"),
    base=ofp_error_msg, when={"err_type": ofp_error_type.OFPET_PORT_MOD_FAILED},
    doc="OFPET_PORT_MOD_FAILED error: ``code`` is an ``ofp_port_mod_failed_code``.",
)

ofp_error_table_mod_failed = nstruct(
    "ofp_error_table_mod_failed",
    (uint16(ofp_table_mod_failed_code), "code"), (raw(), "data"),
    base=ofp_error_msg, when={"err_type": ofp_error_type.OFPET_TABLE_MOD_FAILED},
    doc="OFPET_TABLE_MOD_FAILED error: ``code`` is an ``ofp_table_mod_failed_code``.",
)

ofp_error_queue_op_failed = nstruct(
    "ofp_error_queue_op_failed",
    (uint16(ofp_queue_op_failed_code), "code"), (raw(), "data"),
    base=ofp_error_msg, when={"err_type": ofp_error_type.OFPET_QUEUE_OP_FAILED},
    doc="OFPET_QUEUE_OP_FAILED error: ``code`` is an ``ofp_queue_op_failed_code``.",
)

ofp_error_switch_config_failed = nstruct(
    "ofp_error_switch_config_failed",
    (uint16(ofp_switch_config_failed_code), "code"), (raw(), "data"),
    base=ofp_error_msg, when={"err_type": ofp_error_type.OFPET_SWITCH_CONFIG_FAILED},
    doc="OFPET_SWITCH_CONFIG_FAILED error: ``code`` is an ``ofp_switch_config_failed_code``.",
)

ofp_error_role_request_failed = nstruct(
    "ofp_error_role_request_failed",
    (uint16(ofp_role_request_failed_code), "code"), (raw(), "data"),
    base=ofp_error_msg, when={"err_type": ofp_error_type.OFPET_ROLE_REQUEST_FAILED},
    doc="OFPET_ROLE_REQUEST_FAILED error: ``code`` is an ``ofp_role_request_failed_code``.",
)

ofp_error_meter_mod_failed = nstruct(
    "ofp_error_meter_mod_failed",
    (uint16(ofp_meter_mod_failed_code), "code"), (raw(), "data"),
    base=ofp_error_msg, when={"err_type": ofp_error_type.OFPET_METER_MOD_FAILED},
    doc="OFPET_METER_MOD_FAILED error: ``code`` is an ``ofp_meter_mod_failed_code``.",
)

ofp_error_table_features_failed = nstruct(
    "ofp_error_table_features_failed",
    (uint16(ofp_table_features_failed_code), "code"), (raw(), "data"),
    base=ofp_error_msg, when={"err_type": ofp_error_type.OFPET_TABLE_FEATURES_FAILED},
    doc="OFPET_TABLE_FEATURES_FAILED error: ``code`` is an ``ofp_table_features_failed_code``.",
)

ofp_error_experimenter_msg = nstruct(
    "ofp_error_experimenter_msg",
    (uint16, "exp_type"), (uint32(hexa), "experimenter"), (raw(), "data"),
    base=ofp_error_msg, when={"err_type": ofp_error_type.OFPET_EXPERIMENTER},
    doc="ERROR of type OFPET_EXPERIMENTER: ``exp_type`` and ``experimenter``, then data.",
)

ERROR_CODES: dict[int, type[enum.IntEnum]] = {
    ofp_error_type.OFPET_HELLO_FAILED: ofp_hello_failed_code,
    ofp_error_type.OFPET_BAD_REQUEST: ofp_bad_request_code,
    ofp_error_type.OFPET_BAD_ACTION: ofp_bad_action_code,
    ofp_error_type.OFPET_BAD_INSTRUCTION: ofp_bad_instruction_code,
    ofp_error_type.OFPET_BAD_MATCH: ofp_bad_match_code,
    ofp_error_type.OFPET_FLOW_MOD_FAILED: ofp_flow_mod_failed_code,
    ofp_error_type.OFPET_GROUP_MOD_FAILED: ofp_group_mod_failed_code,
    ofp_error_type.OFPET_PORT_MOD_FAILED: ofp_port_mod_failed_code,
    ofp_error_type.OFPET_TABLE_MOD_FAILED: ofp_table_mod_failed_code,
    ofp_error_type.OFPET_QUEUE_OP_FAILED: ofp_queue_op_failed_code,
    ofp_error_type.OFPET_SWITCH_CONFIG_FAILED: ofp_switch_config_failed_code,
    ofp_error_type.OFPET_ROLE_REQUEST_FAILED: ofp_role_request_failed_code,
    ofp_error_type.OFPET_METER_MOD_FAILED: ofp_meter_mod_failed_code,
    ofp_error_type.OFPET_TABLE_FEATURES_FAILED: ofp_table_features_failed_code,
}
"""The code enum of each error type."""
