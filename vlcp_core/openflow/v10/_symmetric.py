"""OpenFlow 1.0 symmetric messages (spec 1.0.0, 5.5 "Symmetric Messages"):
HELLO (5.5.1), ECHO_REQUEST / ECHO_REPLY (5.5.2, 5.5.3) and VENDOR (5.5.4).

A vendor message dispatches on ``vendor``: an extension adds its messages with
``base=ofp_vendor_header, when={"vendor": ID}`` (and may dispatch further with
its own ``classify=``); a vendor nobody defined keeps its body in ``_tail``.
"""

from __future__ import annotations

from vlcp_core.namedstruct import hexa, nstruct, raw, uint32

from ._enums import ofp_type
from ._header import ofp_header

__all__ = ["ofp_echo_reply", "ofp_echo_request", "ofp_hello", "ofp_vendor_header"]

ofp_hello = nstruct(
    "ofp_hello",
    base=ofp_header, when={"type": ofp_type.OFPT_HELLO},
    doc="OFPT_HELLO: no body in 1.0 (any body, e.g. later versions' elements, "
        "stays in ``_tail``).",
)

ofp_echo_request = nstruct(
    "ofp_echo_request",
    (raw(), "data"),
    base=ofp_header, when={"type": ofp_type.OFPT_ECHO_REQUEST},
    doc="OFPT_ECHO_REQUEST: arbitrary ``data``, returned by the echo reply.",
)

ofp_echo_reply = nstruct(
    "ofp_echo_reply",
    (raw(), "data"),
    base=ofp_header, when={"type": ofp_type.OFPT_ECHO_REPLY},
    doc="OFPT_ECHO_REPLY: the ``data`` of the request.",
)

ofp_vendor_header = nstruct(
    "ofp_vendor_header",
    (uint32(hexa), "vendor"),
    base=ofp_header, when={"type": ofp_type.OFPT_VENDOR}, classify="vendor",
    doc="OFPT_VENDOR: ``vendor`` id (its OUI or an assigned id) then a vendor-defined "
        "body, in ``_tail`` unless a subtype for that vendor is defined.",
)
