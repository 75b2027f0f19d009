"""OpenFlow 1.3 controller roles and asynchronous configuration (spec 1.3.5, 7.3.9, 7.3.10).

ROLE_REQUEST/REPLY (7.3.9, ``ofp_role_request``) and GET_ASYNC_REQUEST/REPLY,
SET_ASYNC (7.3.10, ``ofp_async_config``).  Each async mask is a pair
``[master/equal, slave]`` of bitmaps with bit n set for reason n.
"""

from __future__ import annotations

import enum

from vlcp_core.namedstruct import array, hexa, nstruct, pad, uint32, uint64

from ._enums import ofp_type
from ._header import ofp_header

__all__ = [
    "ofp_controller_role",
    "ofp_get_async_reply",
    "ofp_get_async_request",
    "ofp_role_reply",
    "ofp_role_request",
    "ofp_set_async",
]


class ofp_controller_role(enum.IntEnum):
    """Controller roles (7.3.9)."""

    OFPCR_ROLE_NOCHANGE = 0
    OFPCR_ROLE_EQUAL = 1
    OFPCR_ROLE_MASTER = 2
    OFPCR_ROLE_SLAVE = 3


_ROLE = ((uint32(ofp_controller_role), "role"), pad(4), (uint64(hexa), "generation_id"))

ofp_role_request = nstruct(
    "ofp_role_request", *_ROLE,
    base=ofp_header, when={"type": ofp_type.OFPT_ROLE_REQUEST},
    doc="ROLE_REQUEST: change (or query, OFPCR_ROLE_NOCHANGE) this controller's role.",
)

ofp_role_reply = nstruct(
    "ofp_role_reply", *_ROLE,
    base=ofp_header, when={"type": ofp_type.OFPT_ROLE_REPLY},
    doc="ROLE_REPLY (``ofp_role_request`` layout): the current role and generation id.",
)

ofp_get_async_request = nstruct(
    "ofp_get_async_request",
    base=ofp_header, when={"type": ofp_type.OFPT_GET_ASYNC_REQUEST},
    doc="GET_ASYNC_REQUEST: header only.",
)

_ASYNC = ((array(uint32(hexa), 2), "packet_in_mask"), (array(uint32(hexa), 2), "port_status_mask"),
          (array(uint32(hexa), 2), "flow_removed_mask"))

ofp_get_async_reply = nstruct(
    "ofp_get_async_reply", *_ASYNC,
    base=ofp_header, when={"type": ofp_type.OFPT_GET_ASYNC_REPLY},
    doc="GET_ASYNC_REPLY (``ofp_async_config``): reason masks [master/equal, slave].",
)

ofp_set_async = nstruct(
    "ofp_set_async", *_ASYNC,
    base=ofp_header, when={"type": ofp_type.OFPT_SET_ASYNC},
    doc="SET_ASYNC (``ofp_async_config``): reason masks [master/equal, slave].",
)
