"""OpenFlow 1.0 error messages (spec 1.0.0, 5.4.4 "Error Message").

``ofp_error_msg`` dispatches on ``err_type`` (the spec's ``type``, renamed
because the header's ``type`` is a field of every message); each error type has
its own subtype whose ``code`` is shown through that type's code enum, and
``data`` holds the rest (at least 64 bytes of the failed request, or an ASCII
text for HELLO_FAILED).  An error type the spec does not define keeps code and
data in ``_tail``.
"""

from __future__ import annotations

import enum

from vlcp_core.namedstruct import nstruct, raw, uint16

from ._enums import ofp_type
from ._header import ofp_header

__all__ = [
    "ofp_bad_action_code",
    "ofp_bad_request_code",
    "ofp_error_bad_action",
    "ofp_error_bad_request",
    "ofp_error_flow_mod_failed",
    "ofp_error_hello_failed",
    "ofp_error_msg",
    "ofp_error_port_mod_failed",
    "ofp_error_queue_op_failed",
    "ofp_error_type",
    "ofp_flow_mod_failed_code",
    "ofp_hello_failed_code",
    "ofp_port_mod_failed_code",
    "ofp_queue_op_failed_code",
]


class ofp_error_type(enum.IntEnum):
    """Error types (5.4.4)."""

    OFPET_HELLO_FAILED = 0
    OFPET_BAD_REQUEST = 1
    OFPET_BAD_ACTION = 2
    OFPET_FLOW_MOD_FAILED = 3
    OFPET_PORT_MOD_FAILED = 4
    OFPET_QUEUE_OP_FAILED = 5


class ofp_hello_failed_code(enum.IntEnum):
    """Codes of OFPET_HELLO_FAILED."""

    OFPHFC_INCOMPATIBLE = 0
    OFPHFC_EPERM = 1


class ofp_bad_request_code(enum.IntEnum):
    """Codes of OFPET_BAD_REQUEST."""

    OFPBRC_BAD_VERSION = 0
    OFPBRC_BAD_TYPE = 1
    OFPBRC_BAD_STAT = 2
    OFPBRC_BAD_VENDOR = 3
    OFPBRC_BAD_SUBTYPE = 4
    OFPBRC_EPERM = 5
    OFPBRC_BAD_LEN = 6
    OFPBRC_BUFFER_EMPTY = 7
    OFPBRC_BUFFER_UNKNOWN = 8


class ofp_bad_action_code(enum.IntEnum):
    """Codes of OFPET_BAD_ACTION."""

    OFPBAC_BAD_TYPE = 0
    OFPBAC_BAD_LEN = 1
    OFPBAC_BAD_VENDOR = 2
    OFPBAC_BAD_VENDOR_TYPE = 3
    OFPBAC_BAD_OUT_PORT = 4
    OFPBAC_BAD_ARGUMENT = 5
    OFPBAC_EPERM = 6
    OFPBAC_TOO_MANY = 7
    OFPBAC_BAD_QUEUE = 8


class ofp_flow_mod_failed_code(enum.IntEnum):
    """Codes of OFPET_FLOW_MOD_FAILED."""

    OFPFMFC_ALL_TABLES_FULL = 0
    OFPFMFC_OVERLAP = 1
    OFPFMFC_EPERM = 2
    OFPFMFC_BAD_EMERG_TIMEOUT = 3
    OFPFMFC_BAD_COMMAND = 4
    OFPFMFC_UNSUPPORTED = 5


class ofp_port_mod_failed_code(enum.IntEnum):
    """Codes of OFPET_PORT_MOD_FAILED."""

    OFPPMFC_BAD_PORT = 0
    OFPPMFC_BAD_HW_ADDR = 1


class ofp_queue_op_failed_code(enum.IntEnum):
    """Codes of OFPET_QUEUE_OP_FAILED."""

    OFPQOFC_BAD_PORT = 0
    OFPQOFC_BAD_QUEUE = 1
    OFPQOFC_EPERM = 2


ofp_error_msg = nstruct(
    "ofp_error_msg",
    (uint16(ofp_error_type), "err_type"),
    base=ofp_header, when={"type": ofp_type.OFPT_ERROR}, classify="err_type",
    doc="OFPT_ERROR: dispatches on ``err_type``; an unknown type keeps code and data "
        "in ``_tail``.",
)

_ET = ofp_error_type

ofp_error_hello_failed = nstruct(
    "ofp_error_hello_failed",
    (uint16(ofp_hello_failed_code), "code"), (raw(), "data"),
    base=ofp_error_msg, when={"err_type": _ET.OFPET_HELLO_FAILED},
    doc="OFPET_HELLO_FAILED: ``data`` is an ASCII explanation.",
)

ofp_error_bad_request = nstruct(
    "ofp_error_bad_request",
    (uint16(ofp_bad_request_code), "code"), (raw(), "data"),
    base=ofp_error_msg, when={"err_type": _ET.OFPET_BAD_REQUEST},
    doc="OFPET_BAD_REQUEST: ``data`` starts with the failed request.",
)

ofp_error_bad_action = nstruct(
    "ofp_error_bad_action",
    (uint16(ofp_bad_action_code), "code"), (raw(), "data"),
    base=ofp_error_msg, when={"err_type": _ET.OFPET_BAD_ACTION},
    doc="OFPET_BAD_ACTION: ``data`` starts with the failed request.",
)

ofp_error_flow_mod_failed = nstruct(
    "ofp_error_flow_mod_failed",
    (uint16(ofp_flow_mod_failed_code), "code"), (raw(), "data"),
    base=ofp_error_msg, when={"err_type": _ET.OFPET_FLOW_MOD_FAILED},
    doc="OFPET_FLOW_MOD_FAILED: ``data`` starts with the failed flow mod.",
)

ofp_error_port_mod_failed = nstruct(
    "ofp_error_port_mod_failed",
    (uint16(ofp_port_mod_failed_code), "code"), (raw(), "data"),
    base=ofp_error_msg, when={"err_type": _ET.OFPET_PORT_MOD_FAILED},
    doc="OFPET_PORT_MOD_FAILED: ``data`` starts with the failed port mod.",
)

ofp_error_queue_op_failed = nstruct(
    "ofp_error_queue_op_failed",
    (uint16(ofp_queue_op_failed_code), "code"), (raw(), "data"),
    base=ofp_error_msg, when={"err_type": _ET.OFPET_QUEUE_OP_FAILED},
    doc="OFPET_QUEUE_OP_FAILED: ``data`` starts with the failed request.",
)
