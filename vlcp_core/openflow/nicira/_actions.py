"""Nicira (Open vSwitch) actions: one body, two classes (OpenFlow 1.0 and 1.3).

Theory of operation
-------------------
Every NX action is ``type`` 0xFFFF, ``len``, vendor/experimenter 0x00002320 and a
16-bit ``subtype`` (``nx_action10`` / ``nx_action13`` in ``_base``), then a body
that is the same in both versions.  ``nx_action(name, subtype, *entries)``
defines the body once and returns an ``NxAction`` holding the two classes, each
registered under its version's base, named ``name`` in both (``dump`` shows
``"_type": "nx_action_resubmit"``), and made importable for pickling from the
public modules ``nicira.actions10`` / ``nicira.actions13``.  A body holding
nested actions (clone, ct) is given as a function of the version's
``ofp_action`` class.

Subtypes and layouts are those Open vSwitch 3.1 sends (recorded with
``ovs-ofctl add-flow`` against the stub switch of the tests, both versions);
``man 7 ovs-actions`` for what they do.  Every action is padded to a multiple
of 8 bytes, as Open vSwitch writes them.  A subtype nobody defined stays a
generic ``nx_action10``/``nx_action13`` whose body is kept in ``_tail``.

This module holds the helper, the enums and the actions with plain fields;
``_actions_field`` those that read or write subfields, ``_actions_nested``
clone, ct, nat and controller2, ``_learn`` learn and learn2.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from vlcp_core.namedstruct import (
    Struct,
    array,
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
from ._base import nx_action10, nx_action13

__all__ = [
    "NxAction",
    "nx_action",
    "nx_action_subtype",
    "nx_controller_reason",
    "nx_sample_direction",
]

_PUBLIC = "vlcp_core.openflow.nicira.actions"


class nx_action_subtype(enum.IntEnum):
    """NXAST_* numbers, as Open vSwitch 3.1 sends them."""

    NXAST_RESUBMIT = 1
    NXAST_SET_TUNNEL = 2
    NXAST_SET_QUEUE = 4
    NXAST_POP_QUEUE = 5
    NXAST_REG_MOVE = 6
    NXAST_REG_LOAD = 7
    NXAST_NOTE = 8
    NXAST_SET_TUNNEL64 = 9
    NXAST_MULTIPATH = 10
    NXAST_BUNDLE = 12
    NXAST_BUNDLE_LOAD = 13
    NXAST_RESUBMIT_TABLE = 14
    NXAST_OUTPUT_REG = 15
    NXAST_LEARN = 16
    NXAST_EXIT = 17
    NXAST_DEC_TTL = 18
    NXAST_FIN_TIMEOUT = 19
    NXAST_CONTROLLER = 20
    NXAST_DEC_TTL_CNT_IDS = 21
    NXAST_WRITE_METADATA = 22
    NXAST_PUSH_MPLS = 23
    NXAST_POP_MPLS = 24
    NXAST_SET_MPLS_TTL = 25
    NXAST_DEC_MPLS_TTL = 26
    NXAST_STACK_PUSH = 27
    NXAST_STACK_POP = 28
    NXAST_SAMPLE = 29
    NXAST_SET_MPLS_LABEL = 30
    NXAST_SET_MPLS_TC = 31
    NXAST_OUTPUT_REG2 = 32
    NXAST_REG_LOAD2 = 33
    NXAST_CONJUNCTION = 34
    NXAST_CT = 35
    NXAST_NAT = 36
    NXAST_CONTROLLER2 = 37
    NXAST_SAMPLE2 = 38
    NXAST_OUTPUT_TRUNC = 39
    NXAST_SAMPLE3 = 41
    NXAST_CLONE = 42
    NXAST_CT_CLEAR = 43
    NXAST_RESUBMIT_TABLE_CT = 44
    NXAST_LEARN2 = 45
    NXAST_CHECK_PKT_LARGER = 49


class nx_controller_reason(enum.IntEnum):
    """Packet-in reasons of NXAST_CONTROLLER / controller2 (``reason=`` in ovs-actions)."""

    OFPR_NO_MATCH = 0
    OFPR_ACTION = 1
    OFPR_INVALID_TTL = 2
    OFPR_ACTION_SET = 3
    OFPR_GROUP = 4
    OFPR_PACKET_OUT = 5


class nx_sample_direction(enum.IntEnum):
    """NXAST_SAMPLE3 ``direction``: which way a sampled packet is reported."""

    NX_ACTION_SAMPLE_DEFAULT = 0
    NX_ACTION_SAMPLE_INGRESS = 1
    NX_ACTION_SAMPLE_EGRESS = 2


@dataclass(frozen=True)
class NxAction:
    """The two classes of one NX action: ``v10`` (OpenFlow 1.0) and ``v13``."""

    name: str
    subtype: int
    v10: type[Struct]
    v13: type[Struct]

    def for_version(self, version: int) -> type[Struct]:
        """The class for wire *version* (1 or 4)."""
        if version == v10.OFP_VERSION:
            return self.v10
        if version == v13.OFP_VERSION:
            return self.v13
        raise ValueError(f"no Nicira actions for OpenFlow version {version}")


Entries = tuple[Any, ...] | Callable[[type[Struct]], tuple[Any, ...]]


def nx_action(name: str, subtype: nx_action_subtype, *entries: Any,
              body: Callable[[type[Struct]], tuple[Any, ...]] | None = None,
              defaults: Mapping[str, Any] | None = None, doc: str) -> NxAction:
    """Define NX action *name* (subtype *subtype*) for both versions.

    *entries* is the body after ``subtype``; or *body*, a function of the version's
    ``ofp_action`` class giving the entries (for nested actions).  The classes are
    padded to 8 bytes and live, for pickling, in ``nicira.actions10`` and
    ``nicira.actions13`` under *name*.
    """
    classes: list[type[Struct]] = []
    for suffix, base, action in (("10", nx_action10, v10.ofp_action),
                                 ("13", nx_action13, v13.ofp_action)):
        own = body(action) if body is not None else entries
        classes.append(nstruct(
            name, *own, base=base, when={"subtype": subtype}, pad_to=8, defaults=defaults,
            module=_PUBLIC + suffix, qualname=name,
            doc=f"{subtype.name} (OpenFlow 1.{suffix[1]}): {doc}"))
    return NxAction(name, int(subtype), classes[0], classes[1])


S = nx_action_subtype
_port16 = uint16(v10.ofp_port)

# -- resubmit ------------------------------------------------------------------------

nx_action_resubmit = nx_action(
    "nx_action_resubmit", S.NXAST_RESUBMIT, (_port16, "in_port"), pad(4),
    defaults={"in_port": v10.ofp_port.OFPP_IN_PORT},
    doc="``resubmit:PORT``, search the current table as if the packet came in on "
        "``in_port``.  (Open vSwitch 3.1 sends RESUBMIT_TABLE instead, with table 255.)")
nx_action_resubmit_table = nx_action(
    "nx_action_resubmit_table", S.NXAST_RESUBMIT_TABLE,
    (_port16, "in_port"), (uint8, "table_id"), pad(3),
    defaults={"in_port": v10.ofp_port.OFPP_IN_PORT, "table_id": 0xFF},
    doc="``resubmit(PORT,TABLE)``; ``in_port`` OFPP_IN_PORT keeps the packet's port, "
        "``table_id`` 255 the current table.")
nx_action_resubmit_table_ct = nx_action(
    "nx_action_resubmit_table_ct", S.NXAST_RESUBMIT_TABLE_CT,
    (_port16, "in_port"), (uint8, "table_id"), pad(3),
    defaults={"in_port": v10.ofp_port.OFPP_IN_PORT, "table_id": 0xFF},
    doc="``resubmit(PORT,TABLE,ct)``: the search uses the conntrack original tuple.")

# -- tunnel, queue, metadata ------------------------------------------------------------

nx_action_set_tunnel = nx_action(
    "nx_action_set_tunnel", S.NXAST_SET_TUNNEL, pad(2), (uint32(hexa), "tun_id"),
    doc="``set_tunnel:ID`` with a 32-bit id (OpenFlow 1.0; 1.3 sends set_field).")
nx_action_set_tunnel64 = nx_action(
    "nx_action_set_tunnel64", S.NXAST_SET_TUNNEL64, pad(6), (uint64(hexa), "tun_id"),
    doc="``set_tunnel64:ID`` (OpenFlow 1.0; 1.3 sends set_field).")
nx_action_set_queue = nx_action(
    "nx_action_set_queue", S.NXAST_SET_QUEUE, pad(2), (uint32, "queue_id"),
    doc="``set_queue:QUEUE`` (OpenFlow 1.0; 1.3 has OFPAT_SET_QUEUE).")
nx_action_pop_queue = nx_action(
    "nx_action_pop_queue", S.NXAST_POP_QUEUE, pad(6),
    doc="``pop_queue``: back to the queue the packet had on arrival.")
nx_action_write_metadata = nx_action(
    "nx_action_write_metadata", S.NXAST_WRITE_METADATA,
    pad(6), (uint64(hexa), "metadata"), (uint64(hexa), "mask"),
    defaults={"mask": 0xFFFFFFFFFFFFFFFF},
    doc="``write_metadata:VALUE/MASK`` (OpenFlow 1.0; 1.3 has the instruction).")

# -- control flow, TTL, notes ------------------------------------------------------------

nx_action_note = nx_action(
    "nx_action_note", S.NXAST_NOTE, (raw()(hexa), "note"),
    doc="``note:HEX...``: bytes the switch ignores; Open vSwitch keeps (and prints) "
        "the zero padding too, and so does ``note`` when parsed.")
nx_action_exit = nx_action(
    "nx_action_exit", S.NXAST_EXIT, pad(6), doc="``exit``: stop executing actions.")
nx_action_dec_ttl = nx_action(
    "nx_action_dec_ttl", S.NXAST_DEC_TTL, pad(6),
    doc="``dec_ttl`` (OpenFlow 1.0; 1.3 sends OFPAT_DEC_NW_TTL).")
nx_action_dec_ttl_cnt_ids = nx_action(
    "nx_action_dec_ttl_cnt_ids", S.NXAST_DEC_TTL_CNT_IDS,
    (uint16, "n_controllers"), pad(4), (array(uint16, count="n_controllers"), "cnt_ids"),
    doc="``dec_ttl(ID,...)``: the controller ids told when the TTL runs out.")
nx_action_fin_timeout = nx_action(
    "nx_action_fin_timeout", S.NXAST_FIN_TIMEOUT,
    (uint16, "fin_idle_timeout"), (uint16, "fin_hard_timeout"), pad(2),
    doc="``fin_timeout(idle_timeout=I,hard_timeout=H)`` after a TCP FIN or RST.")
nx_action_controller = nx_action(
    "nx_action_controller", S.NXAST_CONTROLLER,
    (uint16, "max_len"), (uint16, "controller_id"), (uint8(nx_controller_reason), "reason"),
    pad(1), defaults={"max_len": 0xFFFF},
    doc="``controller(max_len=N,id=ID,reason=R)``; with other options Open vSwitch "
        "sends controller2.")
nx_action_conjunction = nx_action(
    "nx_action_conjunction", S.NXAST_CONJUNCTION,
    (uint8, "clause"), (uint8, "n_clauses"), (uint32, "id"),
    doc="``conjunction(ID,K/N)``: ``clause`` is K-1 (0-based), ``n_clauses`` N.")
nx_action_ct_clear = nx_action(
    "nx_action_ct_clear", S.NXAST_CT_CLEAR, pad(6),
    doc="``ct_clear``: forget the connection tracking state.")
nx_action_output_trunc = nx_action(
    "nx_action_output_trunc", S.NXAST_OUTPUT_TRUNC, (_port16, "port"), (uint32, "max_len"),
    doc="``output(port=P,max_len=N)``: output at most ``max_len`` bytes.")

# -- MPLS (OpenFlow 1.0; 1.3 has its own actions or set_field) ---------------------------

nx_action_push_mpls = nx_action(
    "nx_action_push_mpls", S.NXAST_PUSH_MPLS, (uint16(hexa), "ethertype"), pad(4),
    defaults={"ethertype": 0x8847}, doc="``push_mpls:ETHERTYPE``.")
nx_action_pop_mpls = nx_action(
    "nx_action_pop_mpls", S.NXAST_POP_MPLS, (uint16(hexa), "ethertype"), pad(4),
    defaults={"ethertype": 0x0800}, doc="``pop_mpls:ETHERTYPE`` of the payload.")
nx_action_set_mpls_ttl = nx_action(
    "nx_action_set_mpls_ttl", S.NXAST_SET_MPLS_TTL, (uint8, "ttl"), pad(5),
    doc="``set_mpls_ttl:TTL``.")
nx_action_dec_mpls_ttl = nx_action(
    "nx_action_dec_mpls_ttl", S.NXAST_DEC_MPLS_TTL, pad(6), doc="``dec_mpls_ttl``.")
nx_action_set_mpls_label = nx_action(
    "nx_action_set_mpls_label", S.NXAST_SET_MPLS_LABEL, pad(2), (uint32, "label"),
    doc="``set_mpls_label:LABEL``.")
nx_action_set_mpls_tc = nx_action(
    "nx_action_set_mpls_tc", S.NXAST_SET_MPLS_TC, (uint8, "tc"), pad(5),
    doc="``set_mpls_tc:TC``.")

# -- sampling ------------------------------------------------------------------------------

_SAMPLE = ((uint16, "probability"), (uint32, "collector_set_id"), (uint32, "obs_domain_id"),
           (uint32, "obs_point_id"))
nx_action_sample = nx_action(
    "nx_action_sample", S.NXAST_SAMPLE, *_SAMPLE,
    doc="``sample(probability=P,collector_set_id=C,obs_domain_id=D,obs_point_id=O)``; "
        "``probability`` is in units of 1/65535.")
nx_action_sample2 = nx_action(
    "nx_action_sample2", S.NXAST_SAMPLE2, *_SAMPLE, (_port16, "sampling_port"), pad(6),
    doc="``sample(...,sampling_port=P)``.")
nx_action_sample3 = nx_action(
    "nx_action_sample3", S.NXAST_SAMPLE3, *_SAMPLE, (_port16, "sampling_port"),
    (uint8(nx_sample_direction), "direction"), pad(5),
    doc="``sample(...,sampling_port=P,ingress|egress)``.")

del S
