"""OpenFlow 1.3 groups (OpenFlow Switch Specification 1.3.5, section 7.3.4.2).

GROUP_MOD with its buckets (``ofp_bucket``: ``len`` bounds the bucket's actions).
The spec's ``type`` field of GROUP_MOD is ``group_type`` here, because the
header's ``type`` is flattened into every message.  The group statistics and
descriptions are in ``_multipart``.
"""

from __future__ import annotations

import enum

from vlcp_core.namedstruct import array, nstruct, pad, uint8, uint16, uint32

from ._actions import ofp_action
from ._enums import ofp_group, ofp_port_no, ofp_type
from ._header import ofp_header

__all__ = [
    "ofp_bucket",
    "ofp_group_capabilities",
    "ofp_group_mod",
    "ofp_group_mod_command",
    "ofp_group_type",
]


class ofp_group_mod_command(enum.IntEnum):
    """GROUP_MOD commands (7.3.4.2)."""

    OFPGC_ADD = 0
    OFPGC_MODIFY = 1
    OFPGC_DELETE = 2


class ofp_group_type(enum.IntEnum):
    """Group types (7.3.4.2)."""

    OFPGT_ALL = 0
    OFPGT_SELECT = 1
    OFPGT_INDIRECT = 2
    OFPGT_FF = 3


class ofp_group_capabilities(enum.IntFlag):
    """Group capabilities, in group features (7.3.5.12)."""

    OFPGFC_SELECT_WEIGHT = 1 << 0
    OFPGFC_SELECT_LIVENESS = 1 << 1
    OFPGFC_CHAINING = 1 << 2
    OFPGFC_CHAINING_CHECKS = 1 << 3


ofp_bucket = nstruct(
    "ofp_bucket",
    (uint16, "len"), (uint16, "weight"), (uint32(ofp_port_no), "watch_port"),
    (uint32(ofp_group), "watch_group"), pad(4), (array(ofp_action), "actions"),
    size="len",
    defaults={"watch_port": ofp_port_no.OFPP_ANY, "watch_group": ofp_group.OFPG_ANY},
    doc="A group bucket: weight (select groups), watched port/group (fast failover), actions.",
)

ofp_group_mod = nstruct(
    "ofp_group_mod",
    (uint16(ofp_group_mod_command), "command"), (uint8(ofp_group_type), "group_type"), pad(1),
    (uint32(ofp_group), "group_id"), (array(ofp_bucket), "buckets"),
    base=ofp_header, when={"type": ofp_type.OFPT_GROUP_MOD},
    doc="GROUP_MOD: add, modify or delete group ``group_id`` (``group_type`` is the "
        "spec's ``type``).",
)
