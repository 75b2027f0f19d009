"""Properties of the Nicira messages that carry them (the same in OpenFlow 1.0 and 1.3).

Every property is the OpenFlow 1.4 style TLV: ``type`` (uint16), ``length``
(uint16, header included, padding excluded), a body, then zero padding up to a
multiple of 8. A type nobody defined keeps its body in ``_tail`` and re-serializes
unchanged.

- ``nx_packet_in2_prop``: NXT_PACKET_IN2 and NXT_RESUME (``NXPINT_*``). The
  metadata property holds bare NXM/OXM TLVs (``ofp_oxm``), no ``ofp_match``
  header; the continuation property holds, after 4 pad bytes, nested
  ``nx_continuation_prop`` (``NXCPT_*``), which Open vSwitch documents as opaque:
  a controller sends them back in NXT_RESUME. Its actions properties keep the
  actions as bytes (they are encoded for the connection's OpenFlow version).
- ``nx_async_config_prop``: NXT_SET_ASYNC_CONFIG2 (the OpenFlow 1.4
  ``ofp_async_config_prop`` types: a reason mask per message kind and role).

Layouts as Open vSwitch 3.1 sends them: a 64-bit value (cookie) has 4 pad bytes
before it; 8- and 32-bit values follow the header directly.
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
    raw,
    uint8,
    uint16,
    uint32,
    uint64,
)

from .._oxm import ofp_oxm

__all__ = [
    "nx_async_config_prop",
    "nx_async_config_prop_reasons",
    "nx_async_config_prop_type",
    "nx_continuation_prop",
    "nx_continuation_prop_type",
    "nx_packet_in2_prop",
    "nx_packet_in2_prop_type",
    "nx_packet_in_reason",
    "nxcpt_action_set",
    "nxcpt_actions",
    "nxcpt_bridge",
    "nxcpt_conntracked",
    "nxcpt_cookie",
    "nxcpt_mirrors",
    "nxcpt_odp_port",
    "nxcpt_stack",
    "nxcpt_table_id",
    "nxpint_buffer_id",
    "nxpint_continuation",
    "nxpint_cookie",
    "nxpint_full_len",
    "nxpint_metadata",
    "nxpint_packet",
    "nxpint_reason",
    "nxpint_table_id",
    "nxpint_userdata",
]


class nx_packet_in2_prop_type(enum.IntEnum):
    """NXT_PACKET_IN2 / NXT_RESUME property types."""

    NXPINT_PACKET = 0
    NXPINT_FULL_LEN = 1
    NXPINT_BUFFER_ID = 2
    NXPINT_TABLE_ID = 3
    NXPINT_COOKIE = 4
    NXPINT_REASON = 5
    NXPINT_METADATA = 6
    NXPINT_USERDATA = 7
    NXPINT_CONTINUATION = 8


class nx_continuation_prop_type(enum.IntEnum):
    """Property types nested in NXPINT_CONTINUATION (private to Open vSwitch)."""

    NXCPT_BRIDGE = 0x8000
    NXCPT_STACK = 0x8001
    NXCPT_MIRRORS = 0x8002
    NXCPT_CONNTRACKED = 0x8003
    NXCPT_TABLE_ID = 0x8004
    NXCPT_COOKIE = 0x8005
    NXCPT_ACTIONS = 0x8006
    NXCPT_ACTION_SET = 0x8007
    NXCPT_ODP_PORT = 0x8008


class nx_packet_in_reason(enum.IntEnum):
    """Why a packet went to the controller (NXT_PACKET_IN, NXT_PACKET_IN2): the
    OpenFlow 1.3 reasons, plus the 1.4 ones Open vSwitch uses in its extensions."""

    OFPR_NO_MATCH = 0
    OFPR_ACTION = 1
    OFPR_INVALID_TTL = 2
    OFPR_ACTION_SET = 3
    OFPR_GROUP = 4
    OFPR_PACKET_OUT = 5


class nx_async_config_prop_type(enum.IntEnum):
    """NXT_SET_ASYNC_CONFIG2 property types (OpenFlow 1.4 ``ofp_async_config_prop_type``)."""

    OFPACPT_PACKET_IN_SLAVE = 0
    OFPACPT_PACKET_IN_MASTER = 1
    OFPACPT_PORT_STATUS_SLAVE = 2
    OFPACPT_PORT_STATUS_MASTER = 3
    OFPACPT_FLOW_REMOVED_SLAVE = 4
    OFPACPT_FLOW_REMOVED_MASTER = 5
    OFPACPT_ROLE_STATUS_SLAVE = 6
    OFPACPT_ROLE_STATUS_MASTER = 7
    OFPACPT_TABLE_STATUS_SLAVE = 8
    OFPACPT_TABLE_STATUS_MASTER = 9
    OFPACPT_REQUESTFORWARD_SLAVE = 10
    OFPACPT_REQUESTFORWARD_MASTER = 11
    OFPACPT_EXPERIMENTER_SLAVE = 0xFFFE
    OFPACPT_EXPERIMENTER_MASTER = 0xFFFF


# -- NXT_PACKET_IN2 / NXT_RESUME ------------------------------------------------------------

_PI = nx_packet_in2_prop_type

nx_packet_in2_prop = nstruct(
    "nx_packet_in2_prop",
    (uint16(nx_packet_in2_prop_type), "type"), (uint16, "length"),
    size="length", pad_after=8, classify="type",
    doc="An NXT_PACKET_IN2 / NXT_RESUME property; unknown types keep their body in "
        "``_tail``.",
)


def _pi(name: str, when: _PI, *entries: Any, doc: str) -> type[Struct]:
    return nstruct(name, *entries, base=nx_packet_in2_prop, when={"type": when}, doc=doc)


nxpint_packet = _pi("nxpint_packet", _PI.NXPINT_PACKET, (raw(), "data"),
                    doc="NXPINT_PACKET: the packet (maybe truncated; see NXPINT_FULL_LEN).")
nxpint_full_len = _pi("nxpint_full_len", _PI.NXPINT_FULL_LEN, (uint32, "full_len"),
                      doc="NXPINT_FULL_LEN: the packet's length before truncation.")
nxpint_buffer_id = _pi("nxpint_buffer_id", _PI.NXPINT_BUFFER_ID, (uint32(hexa), "buffer_id"),
                       doc="NXPINT_BUFFER_ID: the switch buffer holding the packet.")
nxpint_table_id = _pi("nxpint_table_id", _PI.NXPINT_TABLE_ID, (uint8, "table_id"),
                      doc="NXPINT_TABLE_ID: the table of the flow that sent the packet.")
nxpint_cookie = _pi("nxpint_cookie", _PI.NXPINT_COOKIE, pad(4), (uint64(hexa), "cookie"),
                    doc="NXPINT_COOKIE: that flow's cookie (after 4 pad bytes).")
nxpint_reason = _pi("nxpint_reason", _PI.NXPINT_REASON,
                    (uint8(nx_packet_in_reason), "reason"),
                    doc="NXPINT_REASON: why the packet was sent (OFPR_*).")
nxpint_metadata = _pi("nxpint_metadata", _PI.NXPINT_METADATA, (array(ofp_oxm), "fields"),
                      doc="NXPINT_METADATA: the packet's pipeline fields as NXM/OXM TLVs "
                          "(in_port, registers, metadata, tunnel...).")
nxpint_userdata = _pi("nxpint_userdata", _PI.NXPINT_USERDATA, (raw(), "userdata"),
                      doc="NXPINT_USERDATA: the ``controller(userdata=...)`` bytes.")

# -- NXPINT_CONTINUATION and its nested properties --------------------------------------------

_CP = nx_continuation_prop_type

nx_continuation_prop = nstruct(
    "nx_continuation_prop",
    (uint16(nx_continuation_prop_type), "type"), (uint16, "length"),
    size="length", pad_after=8, classify="type",
    doc="A property nested in NXPINT_CONTINUATION (opaque to controllers: send it back "
        "in NXT_RESUME); unknown types keep their body in ``_tail``.",
)


def _cp(name: str, when: _CP, *entries: Any, doc: str) -> type[Struct]:
    return nstruct(name, *entries, base=nx_continuation_prop, when={"type": when}, doc=doc)


nxcpt_bridge = _cp("nxcpt_bridge", _CP.NXCPT_BRIDGE, (raw(16)(hexa), "bridge"),
                   doc="NXCPT_BRIDGE: the UUID of the bridge that paused the packet.")
nxcpt_stack = _cp("nxcpt_stack", _CP.NXCPT_STACK, (raw(), "stack"),
                  doc="NXCPT_STACK: the ``push``/``pop`` stack.")
nxcpt_mirrors = _cp("nxcpt_mirrors", _CP.NXCPT_MIRRORS, (uint32(hexa), "mirrors"),
                    doc="NXCPT_MIRRORS: mirrors already output to.")
nxcpt_conntracked = _cp("nxcpt_conntracked", _CP.NXCPT_CONNTRACKED,
                        doc="NXCPT_CONNTRACKED: a flag (no body): the packet went through ct.")
nxcpt_table_id = _cp("nxcpt_table_id", _CP.NXCPT_TABLE_ID, (uint8, "table_id"),
                     doc="NXCPT_TABLE_ID: the table to resume in.")
nxcpt_cookie = _cp("nxcpt_cookie", _CP.NXCPT_COOKIE, pad(4), (uint64(hexa), "cookie"),
                   doc="NXCPT_COOKIE: the cookie of the flow to resume in.")
nxcpt_actions = _cp("nxcpt_actions", _CP.NXCPT_ACTIONS, pad(4), (raw(), "actions"),
                    doc="NXCPT_ACTIONS: the actions still to run, encoded for the "
                        "connection's version (bytes).")
nxcpt_action_set = _cp("nxcpt_action_set", _CP.NXCPT_ACTION_SET, pad(4), (raw(), "actions"),
                       doc="NXCPT_ACTION_SET: the action set, encoded for the connection's "
                           "version (bytes).")
nxcpt_odp_port = _cp("nxcpt_odp_port", _CP.NXCPT_ODP_PORT, (uint32, "odp_port"),
                     doc="NXCPT_ODP_PORT: the datapath input port.")

nxpint_continuation = _pi("nxpint_continuation", _PI.NXPINT_CONTINUATION, pad(4),
                          (array(nx_continuation_prop), "properties"),
                          doc="NXPINT_CONTINUATION: after 4 pad bytes, the nested "
                              "``nx_continuation_prop`` list (send it back in NXT_RESUME).")

# -- NXT_SET_ASYNC_CONFIG2 ------------------------------------------------------------------

nx_async_config_prop = nstruct(
    "nx_async_config_prop",
    (uint16(nx_async_config_prop_type), "type"), (uint16, "length"),
    size="length", pad_after=8, classify="type",
    doc="An NXT_SET_ASYNC_CONFIG2 property; experimenter and unknown types keep their "
        "body in ``_tail``.",
)

nx_async_config_prop_reasons = nstruct(
    "nx_async_config_prop_reasons", (uint32(hexa), "mask"),
    base=nx_async_config_prop,
    when=[{"type": t} for t in nx_async_config_prop_type if t < 0xFFFE],
    doc="A reason mask (bit n = reason n) for one kind of asynchronous message and role.",
)
