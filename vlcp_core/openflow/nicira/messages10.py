"""Nicira messages and statistics in OpenFlow 1.0 (vendor 0x2320).

Every class is made from the body written once in ``_messages`` / ``_stats`` and
registered under ``nicira_header10`` (``subtype``) or ``nicira_stats_request10`` /
``nicira_stats_reply10`` (``subtype``), so ``parse_message`` returns them. The
same names in ``messages13`` are the OpenFlow 1.3 classes; version-independent
definitions (properties, enums, ``nx_tlv_map``, ``nx_flow_monitor_request``) are
the same objects in both modules.

=====================================  =======  ============================================
class                                  subtype  body
=====================================  =======  ============================================
``nxt_role_request`` / ``_reply``      10 / 11  role
``nxt_set_flow_format``                12       format (NXFF_NXM: NXM matches) - 1.0 only
``nxt_flow_mod``                       13       flow mod, NXM match, actions
``nxt_flow_removed``                   14       NXM match, counters
``nxt_flow_mod_table_id``              15       set (table id in a flow mod's command)
``nxt_set_packet_in_format``           16       format (NXPIF_NXT_PACKET_IN2...)
``nxt_packet_in``                      17       NXM match, frame
``nxt_flow_age``                       18       -
``nxt_set_async_config``               19       masks
``nxt_set_controller_id``              20       controller_id
``nxt_flow_monitor_cancel``            21       id - 1.0 only (1.3: ONF)
``nxt_flow_monitor_paused/resumed``    22 / 23  - 1.0 only (1.3: ONF)
``nxt_tlv_table_mod/request/reply``    24-26    TLV mappings
``nxt_set_async_config2``              27       properties
``nxt_resume``                         28       NXT_PACKET_IN2 properties
``nxt_ct_flush_zone``                  29       zone_id
``nxt_packet_in2``                     30       properties
``nxst_flow_request`` / ``_reply``     0        query / ``nx_flow_stats`` list
``nxst_aggregate_request`` / ``_reply``  1      query / counts
``nxst_flow_monitor_request/_reply``   2        ``nx_flow_monitor_request`` / ``nx_flow_update``
=====================================  =======  ============================================
"""

from __future__ import annotations

from . import _messages as _m
from . import _stats as _s
from ._messages import (
    nx_flow_format,
    nx_flow_mod_command,
    nx_flow_removed_reason,
    nx_packet_in_format,
    nx_role,
    nx_tlv_map,
    nx_tlv_table_mod_command,
    nxt_subtype,
)
from ._props import (
    nx_async_config_prop,
    nx_async_config_prop_reasons,
    nx_async_config_prop_type,
    nx_continuation_prop,
    nx_continuation_prop_type,
    nx_packet_in2_prop,
    nx_packet_in2_prop_type,
    nx_packet_in_reason,
    nxcpt_action_set,
    nxcpt_actions,
    nxcpt_bridge,
    nxcpt_conntracked,
    nxcpt_cookie,
    nxcpt_mirrors,
    nxcpt_odp_port,
    nxcpt_stack,
    nxcpt_table_id,
    nxpint_buffer_id,
    nxpint_continuation,
    nxpint_cookie,
    nxpint_full_len,
    nxpint_metadata,
    nxpint_packet,
    nxpint_reason,
    nxpint_table_id,
    nxpint_userdata,
)
from ._stats import (
    nx_flow_monitor_flags,
    nx_flow_monitor_request,
    nx_flow_update_event,
    nxst_subtype,
)

__all__ = [
    "nx_async_config_prop",
    "nx_async_config_prop_reasons",
    "nx_async_config_prop_type",
    "nx_continuation_prop",
    "nx_continuation_prop_type",
    "nx_flow_format",
    "nx_flow_mod_command",
    "nx_flow_monitor_flags",
    "nx_flow_monitor_request",
    "nx_flow_removed_reason",
    "nx_flow_stats",
    "nx_flow_update",
    "nx_flow_update_abbrev",
    "nx_flow_update_event",
    "nx_flow_update_full",
    "nx_packet_in2_prop",
    "nx_packet_in2_prop_type",
    "nx_packet_in_format",
    "nx_packet_in_reason",
    "nx_role",
    "nx_tlv_map",
    "nx_tlv_table_mod_command",
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
    "nxst_aggregate_reply",
    "nxst_aggregate_request",
    "nxst_flow_monitor_reply",
    "nxst_flow_monitor_request",
    "nxst_flow_reply",
    "nxst_flow_request",
    "nxst_subtype",
    "nxt_ct_flush_zone",
    "nxt_flow_age",
    "nxt_flow_mod",
    "nxt_flow_mod_table_id",
    "nxt_flow_monitor_cancel",
    "nxt_flow_monitor_paused",
    "nxt_flow_monitor_resumed",
    "nxt_flow_removed",
    "nxt_packet_in",
    "nxt_packet_in2",
    "nxt_resume",
    "nxt_role_reply",
    "nxt_role_request",
    "nxt_set_async_config",
    "nxt_set_async_config2",
    "nxt_set_controller_id",
    "nxt_set_flow_format",
    "nxt_set_packet_in_format",
    "nxt_subtype",
    "nxt_tlv_table_mod",
    "nxt_tlv_table_reply",
    "nxt_tlv_table_request",
]

_F = _m.FLAVOR10

# -- messages (NXT_*) ------------------------------------------------------------------------

nxt_role_request = _m.nx_message(_m.ROLE_REQUEST, _F, __name__)
nxt_role_reply = _m.nx_message(_m.ROLE_REPLY, _F, __name__)
nxt_set_flow_format = _m.nx_message(_m.SET_FLOW_FORMAT, _F, __name__)
nxt_flow_mod = _m.nx_message(_m.FLOW_MOD, _F, __name__)
nxt_flow_removed = _m.nx_message(_m.FLOW_REMOVED, _F, __name__)
nxt_flow_mod_table_id = _m.nx_message(_m.FLOW_MOD_TABLE_ID, _F, __name__)
nxt_set_packet_in_format = _m.nx_message(_m.SET_PACKET_IN_FORMAT, _F, __name__)
nxt_packet_in = _m.nx_message(_m.PACKET_IN, _F, __name__)
nxt_flow_age = _m.nx_message(_m.FLOW_AGE, _F, __name__)
nxt_set_async_config = _m.nx_message(_m.SET_ASYNC_CONFIG, _F, __name__)
nxt_set_controller_id = _m.nx_message(_m.SET_CONTROLLER_ID, _F, __name__)
nxt_flow_monitor_cancel = _m.nx_message(_m.FLOW_MONITOR_CANCEL, _F, __name__)
nxt_flow_monitor_paused = _m.nx_message(_m.FLOW_MONITOR_PAUSED, _F, __name__)
nxt_flow_monitor_resumed = _m.nx_message(_m.FLOW_MONITOR_RESUMED, _F, __name__)
nxt_tlv_table_mod = _m.nx_message(_m.TLV_TABLE_MOD, _F, __name__)
nxt_tlv_table_request = _m.nx_message(_m.TLV_TABLE_REQUEST, _F, __name__)
nxt_tlv_table_reply = _m.nx_message(_m.TLV_TABLE_REPLY, _F, __name__)
nxt_set_async_config2 = _m.nx_message(_m.SET_ASYNC_CONFIG2, _F, __name__)
nxt_resume = _m.nx_message(_m.RESUME, _F, __name__)
nxt_ct_flush_zone = _m.nx_message(_m.CT_FLUSH_ZONE, _F, __name__)
nxt_packet_in2 = _m.nx_message(_m.PACKET_IN2, _F, __name__)

# -- statistics (NXST_*) ---------------------------------------------------------------------

nx_flow_stats = _s.flow_stats_entry(_F, __name__)
nx_flow_update, nx_flow_update_full, nx_flow_update_abbrev = _s.flow_update_entries(_F, __name__)

nxst_flow_request = _s.nx_stats(_s.FLOW_REQUEST, _F, __name__, reply=False)
nxst_flow_reply = _s.nx_stats(_s.flow_reply(nx_flow_stats), _F, __name__, reply=True)
nxst_aggregate_request = _s.nx_stats(_s.AGGREGATE_REQUEST, _F, __name__, reply=False)
nxst_aggregate_reply = _s.nx_stats(_s.AGGREGATE_REPLY, _F, __name__, reply=True)
nxst_flow_monitor_request = _s.nx_stats(_s.FLOW_MONITOR_REQUEST, _F, __name__, reply=False)
nxst_flow_monitor_reply = _s.nx_stats(_s.flow_monitor_reply(nx_flow_update), _F, __name__,
                                      reply=True)
