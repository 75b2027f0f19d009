"""Nicira actions that hold other actions or properties: clone, ct (with nat and
the ct_mark/ct_label loads inside), nat, controller2 (see ``_actions`` for the design).

- ``nx_action_clone``: 6 pad bytes, then actions of the session's version.
- ``nx_action_ct``: ``flags`` (commit, force), ``zone`` (an immediate ``int`` or
  the ``Subfield`` it is read from, ``ZoneValue``), ``recirc_table`` (255: none),
  3 pad bytes, ``alg`` (the helper's port: 21 ftp, 69 tftp), then the nested
  actions: ``nx_action_nat`` and the loads of ct_mark/ct_label, which Open vSwitch
  sends as OXM ``set_field`` in 1.3 and as ``nx_action_reg_load`` in 1.0.
- ``nx_action_nat``: ``flags``, ``range_present`` (which of the optional range
  fields follow: set it with the fields), the ranges, zero padding.
- ``nx_action_controller2``: 6 pad bytes, then properties (``nx_controller2_prop``:
  type, len, body, padding to 8 not counted in ``len``), unknown ones kept whole.
"""

from __future__ import annotations

import enum
from typing import Any

from vlcp_core.namedstruct import (
    Struct,
    array,
    ipv4_addr,
    ipv6_addr,
    nstruct,
    optional,
    pad,
    raw,
    uint8,
    uint16,
    uint32,
)

from ._actions import nx_action, nx_action_subtype, nx_controller_reason
from ._subfield import ZoneValue

S = nx_action_subtype

__all__ = [
    "nx_controller2_prop",
    "nx_controller2_prop_controller_id",
    "nx_controller2_prop_max_len",
    "nx_controller2_prop_meter_id",
    "nx_controller2_prop_pause",
    "nx_controller2_prop_reason",
    "nx_controller2_prop_type",
    "nx_controller2_prop_userdata",
    "nx_ct_flags",
    "nx_nat_flags",
    "nx_nat_range",
]


class nx_ct_flags(enum.IntFlag):
    """``ct`` flags."""

    NX_CT_F_COMMIT = 1
    NX_CT_F_FORCE = 2


class nx_nat_flags(enum.IntFlag):
    """``nat`` flags: the kind of translation and how ports are chosen."""

    NX_NAT_F_SRC = 1
    NX_NAT_F_DST = 2
    NX_NAT_F_PERSISTENT = 4
    NX_NAT_F_PROTO_HASH = 8
    NX_NAT_F_PROTO_RANDOM = 16


class nx_nat_range(enum.IntFlag):
    """``nat`` ``range_present``: the range fields that follow, in this order."""

    NX_NAT_RANGE_IPV4_MIN = 1
    NX_NAT_RANGE_IPV4_MAX = 2
    NX_NAT_RANGE_IPV6_MIN = 4
    NX_NAT_RANGE_IPV6_MAX = 8
    NX_NAT_RANGE_PROTO_MIN = 16
    NX_NAT_RANGE_PROTO_MAX = 32


class nx_controller2_prop_type(enum.IntEnum):
    """NXAC2PT_* property types of controller2."""

    NXAC2PT_MAX_LEN = 0
    NXAC2PT_CONTROLLER_ID = 1
    NXAC2PT_REASON = 2
    NXAC2PT_USERDATA = 3
    NXAC2PT_PAUSE = 4
    NXAC2PT_METER_ID = 5


def _actions(action: type[Struct]) -> tuple[Any, ...]:
    return ((array(action), "actions"),)


nx_action_clone = nx_action(
    "nx_action_clone", S.NXAST_CLONE, body=lambda action: (pad(6), *_actions(action)),
    doc="``clone(ACTIONS)``: run ACTIONS on a copy of the packet.")


def _ct_body(action: type[Struct]) -> tuple[Any, ...]:
    return ((uint16(nx_ct_flags), "flags"), (ZoneValue(), "zone"), (uint8, "recirc_table"),
            pad(3), (uint16, "alg"), *_actions(action))


nx_action_ct = nx_action(
    "nx_action_ct", S.NXAST_CT, body=_ct_body, defaults={"recirc_table": 0xFF},
    doc="``ct(commit,force,zone=Z,table=T,alg=A,nat(...),exec(...))``: ``zone`` is "
        "an int or a Subfield; ``recirc_table`` 255 means no recirculation.")


def _has(bit: int) -> Any:
    def present(s: Any) -> bool:
        return bool(s.range_present & bit)

    present.__name__ = f"range_present_{bit}"
    return present


nx_action_nat = nx_action(
    "nx_action_nat", S.NXAST_NAT,
    pad(2), (uint16(nx_nat_flags), "flags"), (uint16(nx_nat_range), "range_present"),
    (optional(ipv4_addr, _has(1)), "ipv4_min"), (optional(ipv4_addr, _has(2)), "ipv4_max"),
    (optional(ipv6_addr, _has(4)), "ipv6_min"), (optional(ipv6_addr, _has(8)), "ipv6_max"),
    (optional(uint16, _has(16)), "proto_min"), (optional(uint16, _has(32)), "proto_max"),
    doc="``nat(src|dst=ADDR[-ADDR][:PORT[-PORT]],persistent,hash|random)`` inside ct; a "
        "range field is on the wire (and not None) when its ``range_present`` bit is set.")

nx_controller2_prop = nstruct(
    "nx_controller2_prop",
    (uint16(nx_controller2_prop_type), "type"), (uint16, "len"),
    size="len", pad_after=8, classify="type",
    doc="A controller2 property: type, len (padding excluded), body, zero padding to 8; "
        "an unknown type keeps its body in ``_tail``.")
_P = nx_controller2_prop_type
nx_controller2_prop_max_len = nstruct(
    "nx_controller2_prop_max_len", (uint16, "max_len"), pad(2),
    base=nx_controller2_prop, when={"type": _P.NXAC2PT_MAX_LEN},
    doc="``max_len=N``: bytes of the packet sent to the controller.")
nx_controller2_prop_controller_id = nstruct(
    "nx_controller2_prop_controller_id", (uint16, "controller_id"), pad(2),
    base=nx_controller2_prop, when={"type": _P.NXAC2PT_CONTROLLER_ID},
    doc="``id=ID``: the controller connection id.")
nx_controller2_prop_reason = nstruct(
    "nx_controller2_prop_reason", (uint8(nx_controller_reason), "reason"),
    base=nx_controller2_prop, when={"type": _P.NXAC2PT_REASON},
    doc="``reason=R``: the packet-in reason.")
nx_controller2_prop_userdata = nstruct(
    "nx_controller2_prop_userdata", (raw(), "userdata"),
    base=nx_controller2_prop, when={"type": _P.NXAC2PT_USERDATA},
    doc="``userdata=HEX.HEX...``: bytes handed to the controller.")
nx_controller2_prop_pause = nstruct(
    "nx_controller2_prop_pause",
    base=nx_controller2_prop, when={"type": _P.NXAC2PT_PAUSE},
    doc="``pause``: the switch freezes the pipeline until NXT_RESUME.")
nx_controller2_prop_meter_id = nstruct(
    "nx_controller2_prop_meter_id", (uint32, "meter_id"),
    base=nx_controller2_prop, when={"type": _P.NXAC2PT_METER_ID},
    doc="``meter_id=ID``: the meter of the packet-ins.")
del _P

nx_action_controller2 = nx_action(
    "nx_action_controller2", S.NXAST_CONTROLLER2,
    pad(6), (array(nx_controller2_prop), "properties"),
    doc="``controller(...)`` with userdata, pause or meter_id: properties "
        "(``nx_controller2_prop_*``), each present only when given.")
