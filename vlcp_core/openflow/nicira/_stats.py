"""Nicira statistics (NXST_*) and ONF flow monitoring: bodies written once, classes
made per version by ``nx_stats``.

- OpenFlow 1.0: subtypes of ``nicira_stats_request10`` / ``nicira_stats_reply10``
  (``when={"subtype": N}``): NXST_FLOW (0), NXST_AGGREGATE (1), NXST_FLOW_MONITOR (2).
  Open vSwitch 3.1 knows these three in 1.0 only.
- OpenFlow 1.3: subtypes of ``v13.ofp_experimenter_multipart_request`` / ``_reply``
  (``when={"experimenter": ID, "exp_type": N}``). Open vSwitch monitors flows in
  1.3 with the ONF extension (experimenter 0x4F4E4600, type 1870,
  ONFST_FLOW_MONITOR): the same fields as NXST_FLOW_MONITOR but an OpenFlow 1.3
  ``ofp_match`` (whose ``length``, padding excluded, is repeated in ``match_len``:
  set both) and instructions instead of actions.

Entries holding actions differ per version (``Flavor.program``), so their classes
are made by the factories here and assigned in ``messages10`` / ``messages13``.
"""

from __future__ import annotations

import enum
from typing import Any

from vlcp_core.namedstruct import (
    Struct,
    array,
    hexa,
    nstruct,
    pad,
    uint8,
    uint16,
    uint32,
    uint64,
)

from .. import v10, v13
from ._base import NX_VENDOR_ID, nicira_stats_reply10, nicira_stats_request10
from ._messages import (
    ONF_EXPERIMENTER_ID,
    Flavor,
    NxBody,
    match_entries,
    nx_flow_removed_reason,
)

__all__ = [
    "ONFST_FLOW_MONITOR",
    "flow_stats_entry",
    "flow_update_entries",
    "nx_flow_monitor_flags",
    "nx_flow_monitor_request",
    "nx_flow_update_event",
    "nx_stats",
    "nxst_subtype",
    "onf_flow_monitor_request",
    "onf_flow_update_entries",
]

#: The ONF multipart type of flow monitoring (OpenFlow 1.3).
ONFST_FLOW_MONITOR = 1870


class nxst_subtype(enum.IntEnum):
    """Nicira statistics subtypes."""

    NXST_FLOW = 0
    NXST_AGGREGATE = 1
    NXST_FLOW_MONITOR = 2
    NXST_IPFIX_BRIDGE = 3
    NXST_IPFIX_FLOW = 4


class nx_flow_monitor_flags(enum.IntFlag):
    """What a flow monitor reports (``watch:`` options of ``ovs-ofctl monitor``)."""

    NXFMF_INITIAL = 1 << 0
    NXFMF_ADD = 1 << 1
    NXFMF_DELETE = 1 << 2
    NXFMF_MODIFY = 1 << 3
    NXFMF_ACTIONS = 1 << 4
    NXFMF_OWN = 1 << 5


class nx_flow_update_event(enum.IntEnum):
    """Flow monitor update events."""

    NXFME_ADDED = 0
    NXFME_DELETED = 1
    NXFME_MODIFIED = 2
    NXFME_ABBREV = 3


def nx_stats(body: NxBody, flavor: Flavor, module: str, *, reply: bool) -> type[Struct]:
    """The request (or *reply*) class of *body* in *flavor*'s version, assigned in
    *module* to a variable named ``body.name``."""
    if flavor.version == 1:
        if body.experimenter != NX_VENDOR_ID:
            raise ValueError(f"{body.name}: only Nicira statistics exist in OpenFlow 1.0")
        base = nicira_stats_reply10 if reply else nicira_stats_request10
        when: dict[str, int] = {"subtype": body.subtype}
    else:
        base = v13.ofp_experimenter_multipart_reply if reply \
            else v13.ofp_experimenter_multipart_request
        when = {"experimenter": body.experimenter, "exp_type": body.subtype}
    return nstruct(body.name, *body.entries(flavor), base=base, when=when,
                   defaults=dict(body.defaults) or None, module=module,
                   doc=f"{body.doc} (OpenFlow {'1.0' if flavor.version == 1 else '1.3'})")


# -- NXST_FLOW, NXST_AGGREGATE -------------------------------------------------------------

def _flow_query(f: Flavor) -> tuple[Any, ...]:
    return ((uint16(v10.ofp_port), "out_port"), (uint16, "match_len"), (uint8, "table_id"),
            pad(3), *match_entries())


_QUERY_DEFAULTS = {"out_port": 0xFFFF, "table_id": 0xFF}
_S = nxst_subtype

FLOW_REQUEST = NxBody("nxst_flow_request", _S.NXST_FLOW, _flow_query,
                      "NXST_FLOW request: flows of ``table_id`` (0xff: all) matching the "
                      "NXM ``match`` (not strictly) and outputting to ``out_port``",
                      _QUERY_DEFAULTS)
AGGREGATE_REQUEST = NxBody("nxst_aggregate_request", _S.NXST_AGGREGATE, _flow_query,
                           "NXST_AGGREGATE request: totals over the flows that NXST_FLOW "
                           "would list", _QUERY_DEFAULTS)
AGGREGATE_REPLY = NxBody("nxst_aggregate_reply", _S.NXST_AGGREGATE,
                         lambda f: ((uint64, "packet_count"), (uint64, "byte_count"),
                                    (uint32, "flow_count"), pad(4)),
                         "NXST_AGGREGATE reply: packet, byte and flow counts")


def flow_stats_entry(flavor: Flavor, module: str) -> type[Struct]:
    """``nx_flow_stats``, one flow of an NXST_FLOW reply, with *flavor*'s actions."""
    return nstruct(
        "nx_flow_stats",
        (uint16, "length"), (uint8, "table_id"), pad(1), (uint32, "duration_sec"),
        (uint32, "duration_nsec"), (uint16, "priority"), (uint16, "idle_timeout"),
        (uint16, "hard_timeout"), (uint16, "match_len"), (uint16, "idle_age"),
        (uint16, "hard_age"), (uint64(hexa), "cookie"), (uint64, "packet_count"),
        (uint64, "byte_count"), *match_entries(), flavor.program,
        size="length", module=module,
        doc="One flow of an NXST_FLOW reply: counters, ages (seconds + 1; 0 = never), "
            "NXM match, actions.",
    )


def flow_reply(entry: type[Struct]) -> NxBody:
    """The NXST_FLOW reply body listing *entry* (``nx_flow_stats``) objects."""
    return NxBody("nxst_flow_reply", _S.NXST_FLOW, lambda f: ((array(entry), "stats"),),
                  "NXST_FLOW reply: ``stats``, one ``nx_flow_stats`` per flow")


# -- NXST_FLOW_MONITOR ---------------------------------------------------------------------

nx_flow_monitor_request = nstruct(
    "nx_flow_monitor_request",
    (uint32, "id"), (uint16(nx_flow_monitor_flags), "flags"), (uint16(v10.ofp_port), "out_port"),
    (uint16, "match_len"), (uint8, "table_id"), pad(5), *match_entries(),
    defaults={"out_port": 0xFFFF, "table_id": 0xFF},
    doc="One flow monitor of an NXST_FLOW_MONITOR request: ``id``, what to report, "
        "which flows (table, out_port, NXM match).",
)

FLOW_MONITOR_REQUEST = NxBody(
    "nxst_flow_monitor_request", _S.NXST_FLOW_MONITOR,
    lambda f: ((array(nx_flow_monitor_request), "monitors"),),
    "NXST_FLOW_MONITOR request: ``monitors`` to start; the reply lists the current "
    "flows (NXFMF_INITIAL), later replies (xid 0) the changes")


def _update_base(name: str, module: str) -> type[Struct]:
    return nstruct(
        name, (uint16, "length"), (uint16(nx_flow_update_event), "event"),
        size="length", classify="event", module=module,
        doc="A flow monitor update (``nx_flow_update_header``); unknown events keep "
            "their body in ``_tail``.",
    )


def _update_abbrev(name: str, base: type[Struct], module: str) -> type[Struct]:
    return nstruct(
        name, (uint32(hexa), "xid"),
        base=base, when={"event": nx_flow_update_event.NXFME_ABBREV}, module=module,
        doc="NXFME_ABBREV: the change was made by this connection's message ``xid``.",
    )


_FULL_EVENTS = [{"event": e} for e in (nx_flow_update_event.NXFME_ADDED,
                                       nx_flow_update_event.NXFME_DELETED,
                                       nx_flow_update_event.NXFME_MODIFIED)]
_FULL_HEAD = ((uint16(nx_flow_removed_reason), "reason"), (uint16, "priority"),
              (uint16, "idle_timeout"), (uint16, "hard_timeout"), (uint16, "match_len"),
              (uint8, "table_id"), pad(1), (uint64(hexa), "cookie"))


def flow_update_entries(flavor: Flavor, module: str
                        ) -> tuple[type[Struct], type[Struct], type[Struct]]:
    """``nx_flow_update`` (base), ``nx_flow_update_full``, ``nx_flow_update_abbrev``
    with *flavor*'s actions."""
    base = _update_base("nx_flow_update", module)
    full = nstruct(
        "nx_flow_update_full", *_FULL_HEAD, *match_entries(), flavor.program,
        base=base, when=_FULL_EVENTS, module=module,
        doc="NXFME_ADDED/DELETED/MODIFIED: the flow (``reason`` only for DELETED), NXM "
            "match, actions (when NXFMF_ACTIONS).",
    )
    return base, full, _update_abbrev("nx_flow_update_abbrev", base, module)


def flow_monitor_reply(update: type[Struct]) -> NxBody:
    """The NXST_FLOW_MONITOR reply body listing *update* (``nx_flow_update``) objects."""
    return NxBody("nxst_flow_monitor_reply", _S.NXST_FLOW_MONITOR,
                  lambda f: ((array(update), "updates"),),
                  "NXST_FLOW_MONITOR reply: ``updates`` (full or abbreviated)")


# -- ONFST_FLOW_MONITOR (OpenFlow 1.3) -----------------------------------------------------

onf_flow_monitor_request = nstruct(
    "onf_flow_monitor_request",
    (uint32, "id"), (uint16(nx_flow_monitor_flags), "flags"), (uint16, "match_len"),
    (uint32(v13.ofp_port_no), "out_port"), (uint8, "table_id"), pad(3),
    (v13.ofp_match, "match"),
    defaults={"out_port": 0xFFFFFFFF, "table_id": 0xFF, "match_len": 4},
    doc="One flow monitor of an ONFST_FLOW_MONITOR request (1.3): as "
        "``nx_flow_monitor_request`` with a 32-bit out_port and an ``ofp_match``; "
        "``match_len`` = ``match.length`` (4 for an empty match).",
)

ONF_FLOW_MONITOR_REQUEST = NxBody(
    "onfst_flow_monitor_request", ONFST_FLOW_MONITOR,
    lambda f: ((array(onf_flow_monitor_request), "monitors"),),
    "ONFST_FLOW_MONITOR request: ``monitors`` to start", experimenter=ONF_EXPERIMENTER_ID)


def onf_flow_update_entries(module: str) -> tuple[type[Struct], type[Struct], type[Struct]]:
    """``onf_flow_update`` (base), ``onf_flow_update_full``, ``onf_flow_update_abbrev``
    (OpenFlow 1.3: ``ofp_match`` and instructions)."""
    base = _update_base("onf_flow_update", module)
    full = nstruct(
        "onf_flow_update_full", *_FULL_HEAD, (v13.ofp_match, "match"),
        (array(v13.ofp_instruction), "instructions"),
        base=base, when=_FULL_EVENTS, module=module,
        doc="ADDED/DELETED/MODIFIED (1.3): the flow, its ``ofp_match`` (``match_len`` = "
            "``match.length``) and instructions.",
    )
    return base, full, _update_abbrev("onf_flow_update_abbrev", base, module)


def onf_flow_monitor_reply(update: type[Struct]) -> NxBody:
    """The ONFST_FLOW_MONITOR reply body listing *update* (``onf_flow_update``) objects."""
    return NxBody("onfst_flow_monitor_reply", ONFST_FLOW_MONITOR,
                  lambda f: ((array(update), "updates"),),
                  "ONFST_FLOW_MONITOR reply: ``updates``", experimenter=ONF_EXPERIMENTER_ID)
