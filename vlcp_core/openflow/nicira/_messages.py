"""Nicira (NXT_*) message bodies, each written once, and the factory that makes the
class of one OpenFlow version from a body.

A body (``NxBody``) is the name, the subtype and the fields after the 16-byte
Nicira header; ``nx_message(body, flavor, module)`` makes the class:

- OpenFlow 1.0: a subtype of ``nicira_header10`` with ``when={"subtype": N}``;
- OpenFlow 1.3: a subtype of ``v13.ofp_experimenter_header`` with
  ``when={"experimenter": 0x2320, "exp_type": N}`` (the ONF flow-monitor messages
  use experimenter 0x4F4E4600 the same way).

The few fields that differ between versions come from the version's ``Flavor``:
what follows an NXT_FLOW_MOD match (1.0: actions; 1.3: instructions - Open vSwitch
reads instructions there) and the flow-mod flags. The classes themselves are
made and named in ``messages10`` and ``messages13`` (module-level variables named
like their struct, so they pickle). Subtype numbers and layouts are the ones Open
vSwitch 3.1 sends and accepts (``ovs-ofctl ofp-print``).

NXM matches are ``array(ofp_oxm, size="match_len")`` followed by zero padding to 8
bytes (``align(8)``), as in Open vSwitch's ``nx_put_match``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from vlcp_core.namedstruct import (
    Struct,
    align,
    array,
    bits,
    hexa,
    nstruct,
    pad,
    raw,
    uint8,
    uint16,
    uint32,
    uint64,
)

from .. import v10, v13
from .._oxm import ofp_oxm
from ._base import NX_VENDOR_ID, nicira_header10
from ._props import nx_async_config_prop, nx_packet_in2_prop, nx_packet_in_reason

__all__ = [
    "ONF_EXPERIMENTER_ID",
    "Flavor",
    "NxBody",
    "match_entries",
    "nx_flow_format",
    "nx_flow_mod_command",
    "nx_flow_removed_reason",
    "nx_message",
    "nx_packet_in_format",
    "nx_role",
    "nx_tlv_map",
    "nx_tlv_table_mod_command",
    "nxt_subtype",
    "onft_subtype",
]

#: The ONF experimenter id (``"ONF\\0"``): OpenFlow 1.3 flow monitoring in Open vSwitch.
ONF_EXPERIMENTER_ID = 0x4F4E4600


class nxt_subtype(enum.IntEnum):
    """Nicira message subtypes (``subtype`` in 1.0, ``exp_type`` in 1.3).

    Open vSwitch 3.1 accepts 12 and 21-23 (and 31, NXT_GROUP_MOD) in OpenFlow 1.0
    only; the others in both versions.
    """

    NXT_ROLE_REQUEST = 10
    NXT_ROLE_REPLY = 11
    NXT_SET_FLOW_FORMAT = 12
    NXT_FLOW_MOD = 13
    NXT_FLOW_REMOVED = 14
    NXT_FLOW_MOD_TABLE_ID = 15
    NXT_SET_PACKET_IN_FORMAT = 16
    NXT_PACKET_IN = 17
    NXT_FLOW_AGE = 18
    NXT_SET_ASYNC_CONFIG = 19
    NXT_SET_CONTROLLER_ID = 20
    NXT_FLOW_MONITOR_CANCEL = 21
    NXT_FLOW_MONITOR_PAUSED = 22
    NXT_FLOW_MONITOR_RESUMED = 23
    NXT_TLV_TABLE_MOD = 24
    NXT_TLV_TABLE_REQUEST = 25
    NXT_TLV_TABLE_REPLY = 26
    NXT_SET_ASYNC_CONFIG2 = 27
    NXT_RESUME = 28
    NXT_CT_FLUSH_ZONE = 29
    NXT_PACKET_IN2 = 30
    NXT_GROUP_MOD = 31
    NXT_CT_FLUSH = 32


class onft_subtype(enum.IntEnum):
    """ONF experimenter message types used by Open vSwitch in 1.3 (flow monitoring; the
    multipart ONFST_FLOW_MONITOR is 1870 too)."""

    ONFT_FLOW_MONITOR_CANCEL = 1870
    ONFT_FLOW_MONITOR_PAUSED = 1871
    ONFT_FLOW_MONITOR_RESUMED = 1872


class nx_role(enum.IntEnum):
    """NXT_ROLE_REQUEST / REPLY roles (``ovs-ofctl`` shows master as "primary")."""

    NX_ROLE_OTHER = 0
    NX_ROLE_MASTER = 1
    NX_ROLE_SLAVE = 2


class nx_flow_format(enum.IntEnum):
    """NXT_SET_FLOW_FORMAT formats."""

    NXFF_OPENFLOW10 = 0
    NXFF_NXM = 2


class nx_packet_in_format(enum.IntEnum):
    """NXT_SET_PACKET_IN_FORMAT formats."""

    NXPIF_STANDARD = 0
    NXPIF_NXT_PACKET_IN = 1
    NXPIF_NXT_PACKET_IN2 = 2


class nx_tlv_table_mod_command(enum.IntEnum):
    """NXT_TLV_TABLE_MOD commands."""

    NXTTMC_ADD = 0
    NXTTMC_DELETE = 1
    NXTTMC_CLEAR = 2


class nx_flow_mod_command(enum.IntEnum):
    """The low byte of NXT_FLOW_MOD's command (OFPFC_*, numbered as in 1.0 and 1.3)."""

    OFPFC_ADD = 0
    OFPFC_MODIFY = 1
    OFPFC_MODIFY_STRICT = 2
    OFPFC_DELETE = 3
    OFPFC_DELETE_STRICT = 4


class nx_flow_removed_reason(enum.IntEnum):
    """NXT_FLOW_REMOVED reasons."""

    OFPRR_IDLE_TIMEOUT = 0
    OFPRR_HARD_TIMEOUT = 1
    OFPRR_DELETE = 2
    OFPRR_GROUP_DELETE = 3
    OFPRR_METER_DELETE = 4
    OFPRR_EVICTION = 5


@dataclass(frozen=True)
class Flavor:
    """What a body needs from its OpenFlow version: the flow-mod flags, and the list
    that follows a flow's NXM match (``program``: ``actions`` in 1.0, ``instructions``
    in 1.3, as Open vSwitch reads an NXT_FLOW_MOD)."""

    version: int
    flow_mod_flags: type[enum.IntFlag]
    program: tuple[Any, str]


FLAVOR10 = Flavor(1, v10.ofp_flow_mod_flags,
                  (array(v10.ofp_action), "actions"))
FLAVOR13 = Flavor(4, v13.ofp_flow_mod_flags,
                  (array(v13.ofp_instruction), "instructions"))

Entries = Callable[[Flavor], tuple[Any, ...]]


@dataclass(frozen=True)
class NxBody:
    """One message body, for every version: the class name, the subtype, the entries
    after the Nicira header (a function of the version's ``Flavor``)."""

    name: str
    subtype: int
    entries: Entries
    doc: str
    defaults: Mapping[str, Any] = field(default_factory=dict)
    experimenter: int = NX_VENDOR_ID


def nx_message(body: NxBody, flavor: Flavor, module: str) -> type[Struct]:
    """The class of *body* in *flavor*'s version; *module* is where it is assigned
    (a variable named ``body.name``), for pickling."""
    if flavor.version == 1:
        if body.experimenter != NX_VENDOR_ID:
            raise ValueError(f"{body.name}: only Nicira messages exist in OpenFlow 1.0")
        base, when = nicira_header10, {"subtype": body.subtype}
    else:
        base = v13.ofp_experimenter_header
        when = {"experimenter": body.experimenter, "exp_type": body.subtype}
    return nstruct(body.name, *body.entries(flavor), base=base, when=when,
                   defaults=dict(body.defaults) or None, module=module,
                   doc=f"{body.doc} (OpenFlow {'1.0' if flavor.version == 1 else '1.3'})")


def match_entries() -> tuple[Any, ...]:
    """An NXM match whose byte length is the earlier ``match_len``, padded to 8."""
    return (array(ofp_oxm, size="match_len"), "match"), align(8)


def _none(_: Flavor) -> tuple[Any, ...]:
    return ()


nx_tlv_map = nstruct(
    "nx_tlv_map",
    (uint16(hexa), "option_class"), (uint8, "option_type"), (uint8, "option_len"),
    (uint16, "index"), pad(2),
    doc="A TLV table mapping: Geneve option (class, type, length in bytes) <-> "
        "``tun_metadata<index>``.",
)

# -- the bodies ---------------------------------------------------------------------------

_T = nxt_subtype

ROLE_REQUEST = NxBody("nxt_role_request", _T.NXT_ROLE_REQUEST,
                      lambda f: ((uint32(nx_role), "role"),),
                      "NXT_ROLE_REQUEST: become other/master/slave")
ROLE_REPLY = NxBody("nxt_role_reply", _T.NXT_ROLE_REPLY,
                    lambda f: ((uint32(nx_role), "role"),),
                    "NXT_ROLE_REPLY: the controller's role now")
SET_FLOW_FORMAT = NxBody("nxt_set_flow_format", _T.NXT_SET_FLOW_FORMAT,
                         lambda f: ((uint32(nx_flow_format), "format"),),
                         "NXT_SET_FLOW_FORMAT: OpenFlow 1.0 matches or NXM",
                         {"format": nx_flow_format.NXFF_NXM})


def _flow_mod(f: Flavor) -> tuple[Any, ...]:
    return ((uint64(hexa), "cookie"),
            bits(uint16, ("table_id", 8), ("command", 8, nx_flow_mod_command)),
            (uint16, "idle_timeout"), (uint16, "hard_timeout"), (uint16, "priority"),
            (uint32(hexa), "buffer_id"), (uint16(v10.ofp_port), "out_port"),
            (uint16(f.flow_mod_flags), "flags"), (uint16, "match_len"), pad(6),
            *match_entries(), f.program)


FLOW_MOD = NxBody("nxt_flow_mod", _T.NXT_FLOW_MOD, _flow_mod,
                  "NXT_FLOW_MOD: a flow mod with an NXM match, then actions (1.0) or "
                  "instructions (1.3); ``table_id`` is the high byte of the command "
                  "(honoured after NXT_FLOW_MOD_TABLE_ID)",
                  {"priority": 0x8000, "buffer_id": 0xFFFFFFFF, "out_port": 0xFFFF})
FLOW_REMOVED = NxBody(
    "nxt_flow_removed", _T.NXT_FLOW_REMOVED,
    lambda f: ((uint64(hexa), "cookie"), (uint16, "priority"),
               (uint8(nx_flow_removed_reason), "reason"), (uint8, "table_id"),
               (uint32, "duration_sec"), (uint32, "duration_nsec"), (uint16, "idle_timeout"),
               (uint16, "match_len"), (uint64, "packet_count"), (uint64, "byte_count"),
               *match_entries()),
    "NXT_FLOW_REMOVED: a flow expired or was deleted; NXM match; ``table_id`` is the "
    "table plus one (0: unknown)")
FLOW_MOD_TABLE_ID = NxBody("nxt_flow_mod_table_id", _T.NXT_FLOW_MOD_TABLE_ID,
                           lambda f: ((uint8, "set"), pad(7)),
                           "NXT_FLOW_MOD_TABLE_ID: ``set`` 1 = the high byte of a flow "
                           "mod's command is its table id", {"set": 1})
SET_PACKET_IN_FORMAT = NxBody("nxt_set_packet_in_format", _T.NXT_SET_PACKET_IN_FORMAT,
                              lambda f: ((uint32(nx_packet_in_format), "format"),),
                              "NXT_SET_PACKET_IN_FORMAT: standard, NXT_PACKET_IN or "
                              "NXT_PACKET_IN2",
                              {"format": nx_packet_in_format.NXPIF_NXT_PACKET_IN2})
PACKET_IN = NxBody(
    "nxt_packet_in", _T.NXT_PACKET_IN,
    lambda f: ((uint32(hexa), "buffer_id"), (uint16, "total_len"),
               (uint8(nx_packet_in_reason), "reason"), (uint8, "table_id"),
               (uint64(hexa), "cookie"), (uint16, "match_len"), pad(6), *match_entries(),
               pad(2), (raw(), "data")),
    "NXT_PACKET_IN: a packet with its pipeline fields as an NXM match, then 2 pad "
    "bytes and the frame", {"buffer_id": 0xFFFFFFFF})
FLOW_AGE = NxBody("nxt_flow_age", _T.NXT_FLOW_AGE, _none,
                  "NXT_FLOW_AGE: obsolete, no body")
SET_ASYNC_CONFIG = NxBody(
    "nxt_set_async_config", _T.NXT_SET_ASYNC_CONFIG,
    lambda f: ((array(uint32(hexa), 2), "packet_in_mask"),
               (array(uint32(hexa), 2), "port_status_mask"),
               (array(uint32(hexa), 2), "flow_removed_mask")),
    "NXT_SET_ASYNC_CONFIG: reason masks [master/equal, slave] per message kind",
    {"packet_in_mask": [0, 0], "port_status_mask": [0, 0], "flow_removed_mask": [0, 0]})
SET_CONTROLLER_ID = NxBody("nxt_set_controller_id", _T.NXT_SET_CONTROLLER_ID,
                           lambda f: (pad(6), (uint16, "controller_id")),
                           "NXT_SET_CONTROLLER_ID: the id put in ``controller(id=...)`` "
                           "packet-ins")
FLOW_MONITOR_CANCEL = NxBody("nxt_flow_monitor_cancel", _T.NXT_FLOW_MONITOR_CANCEL,
                             lambda f: ((uint32, "id"),),
                             "NXT_FLOW_MONITOR_CANCEL: stop monitor ``id``")
FLOW_MONITOR_PAUSED = NxBody("nxt_flow_monitor_paused", _T.NXT_FLOW_MONITOR_PAUSED, _none,
                             "NXT_FLOW_MONITOR_PAUSED: updates stop (too many queued)")
FLOW_MONITOR_RESUMED = NxBody("nxt_flow_monitor_resumed", _T.NXT_FLOW_MONITOR_RESUMED, _none,
                              "NXT_FLOW_MONITOR_RESUMED: updates flow again")
TLV_TABLE_MOD = NxBody("nxt_tlv_table_mod", _T.NXT_TLV_TABLE_MOD,
                       lambda f: ((uint16(nx_tlv_table_mod_command), "command"), pad(6),
                                  (array(nx_tlv_map), "mappings")),
                       "NXT_TLV_TABLE_MOD: add, delete or clear Geneve option mappings")
TLV_TABLE_REQUEST = NxBody("nxt_tlv_table_request", _T.NXT_TLV_TABLE_REQUEST, _none,
                           "NXT_TLV_TABLE_REQUEST: no body")
TLV_TABLE_REPLY = NxBody("nxt_tlv_table_reply", _T.NXT_TLV_TABLE_REPLY,
                         lambda f: ((uint32, "max_option_space"), (uint16, "max_fields"),
                                    pad(10), (array(nx_tlv_map), "mappings")),
                         "NXT_TLV_TABLE_REPLY: limits and the current mappings")
SET_ASYNC_CONFIG2 = NxBody("nxt_set_async_config2", _T.NXT_SET_ASYNC_CONFIG2,
                           lambda f: ((array(nx_async_config_prop), "properties"),),
                           "NXT_SET_ASYNC_CONFIG2: reason masks as properties")
RESUME = NxBody("nxt_resume", _T.NXT_RESUME,
                lambda f: ((array(nx_packet_in2_prop), "properties"),),
                "NXT_RESUME: resume a paused packet (the NXT_PACKET_IN2 properties, "
                "continuation included)")
CT_FLUSH_ZONE = NxBody("nxt_ct_flush_zone", _T.NXT_CT_FLUSH_ZONE,
                       lambda f: (pad(6), (uint16, "zone_id")),
                       "NXT_CT_FLUSH_ZONE: flush a conntrack zone")
PACKET_IN2 = NxBody("nxt_packet_in2", _T.NXT_PACKET_IN2,
                    lambda f: ((array(nx_packet_in2_prop), "properties"),),
                    "NXT_PACKET_IN2: a packet as properties (packet, full_len, buffer_id, "
                    "table_id, cookie, reason, metadata, userdata, continuation)")

_O = onft_subtype
ONFT_FLOW_MONITOR_CANCEL = NxBody("onft_flow_monitor_cancel", _O.ONFT_FLOW_MONITOR_CANCEL,
                                  lambda f: ((uint32, "id"),),
                                  "ONFT_FLOW_MONITOR_CANCEL: stop monitor ``id``",
                                  experimenter=ONF_EXPERIMENTER_ID)
ONFT_FLOW_MONITOR_PAUSED = NxBody("onft_flow_monitor_paused", _O.ONFT_FLOW_MONITOR_PAUSED,
                                  _none, "ONFT_FLOW_MONITOR_PAUSED: updates stop",
                                  experimenter=ONF_EXPERIMENTER_ID)
ONFT_FLOW_MONITOR_RESUMED = NxBody("onft_flow_monitor_resumed", _O.ONFT_FLOW_MONITOR_RESUMED,
                                   _none, "ONFT_FLOW_MONITOR_RESUMED: updates flow again",
                                   experimenter=ONF_EXPERIMENTER_ID)
