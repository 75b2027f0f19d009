"""Nicira messages in OpenFlow 1.3 (experimenter 0x2320), and ONF flow monitoring.

Every class is made from the body written once in ``_messages`` / ``_stats`` and
registered under ``v13.ofp_experimenter_header`` (``experimenter``, ``exp_type``) or
the experimenter multipart request/reply, so ``parse_message`` returns them. The
same names in ``messages10`` are the OpenFlow 1.0 classes; version-independent
definitions (properties, enums, ``nx_tlv_map``) are the same objects in both.

Open vSwitch 3.1 does not know NXT_SET_FLOW_FORMAT (12), NXT_FLOW_MONITOR_* (21-23)
or the NXST statistics in 1.3: flows are listed with OFPMP_FLOW, and flow monitoring
is the ONF extension (experimenter 0x4F4E4600):

=====================================  ====  ==============================================
class                                  type  body
=====================================  ====  ==============================================
``onfst_flow_monitor_request/_reply``  1870  ``onf_flow_monitor_request`` / ``onf_flow_update``
``onft_flow_monitor_cancel``           1870  id
``onft_flow_monitor_paused/resumed``   1871 / 1872  -
=====================================  ====  ==============================================

Every other NXT class of ``messages10`` exists here with the same name and subtype.
"""

from __future__ import annotations

from . import _messages as _m
from . import _stats as _s
from ._messages import (
    ONF_EXPERIMENTER_ID,
    nx_flow_format,
    nx_flow_mod_command,
    nx_flow_removed_reason,
    nx_packet_in_format,
    nx_role,
    nx_tlv_map,
    nx_tlv_table_mod_command,
    nxt_subtype,
    onft_subtype,
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
    ONFST_FLOW_MONITOR,
    nx_flow_monitor_flags,
    nx_flow_update_event,
    onf_flow_monitor_request,
)

__all__ = [
    "ONFST_FLOW_MONITOR",
    "ONF_EXPERIMENTER_ID",
    "nx_async_config_prop",
    "nx_async_config_prop_reasons",
    "nx_async_config_prop_type",
    "nx_continuation_prop",
    "nx_continuation_prop_type",
    "nx_flow_format",
    "nx_flow_mod_command",
    "nx_flow_monitor_flags",
    "nx_flow_removed_reason",
    "nx_flow_update_event",
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
    "nxt_ct_flush_zone",
    "nxt_flow_age",
    "nxt_flow_mod",
    "nxt_flow_mod_table_id",
    "nxt_flow_removed",
    "nxt_packet_in",
    "nxt_packet_in2",
    "nxt_resume",
    "nxt_role_reply",
    "nxt_role_request",
    "nxt_set_async_config",
    "nxt_set_async_config2",
    "nxt_set_controller_id",
    "nxt_set_packet_in_format",
    "nxt_subtype",
    "nxt_tlv_table_mod",
    "nxt_tlv_table_reply",
    "nxt_tlv_table_request",
    "onf_flow_monitor_request",
    "onf_flow_update",
    "onf_flow_update_abbrev",
    "onf_flow_update_full",
    "onfst_flow_monitor_reply",
    "onfst_flow_monitor_request",
    "onft_flow_monitor_cancel",
    "onft_flow_monitor_paused",
    "onft_flow_monitor_resumed",
    "onft_subtype",
]

_F = _m.FLAVOR13

# -- messages (NXT_*) ------------------------------------------------------------------------

nxt_role_request = _m.nx_message(_m.ROLE_REQUEST, _F, __name__)
nxt_role_reply = _m.nx_message(_m.ROLE_REPLY, _F, __name__)
nxt_flow_mod = _m.nx_message(_m.FLOW_MOD, _F, __name__)
nxt_flow_removed = _m.nx_message(_m.FLOW_REMOVED, _F, __name__)
nxt_flow_mod_table_id = _m.nx_message(_m.FLOW_MOD_TABLE_ID, _F, __name__)
nxt_set_packet_in_format = _m.nx_message(_m.SET_PACKET_IN_FORMAT, _F, __name__)
nxt_packet_in = _m.nx_message(_m.PACKET_IN, _F, __name__)
nxt_flow_age = _m.nx_message(_m.FLOW_AGE, _F, __name__)
nxt_set_async_config = _m.nx_message(_m.SET_ASYNC_CONFIG, _F, __name__)
nxt_set_controller_id = _m.nx_message(_m.SET_CONTROLLER_ID, _F, __name__)
nxt_tlv_table_mod = _m.nx_message(_m.TLV_TABLE_MOD, _F, __name__)
nxt_tlv_table_request = _m.nx_message(_m.TLV_TABLE_REQUEST, _F, __name__)
nxt_tlv_table_reply = _m.nx_message(_m.TLV_TABLE_REPLY, _F, __name__)
nxt_set_async_config2 = _m.nx_message(_m.SET_ASYNC_CONFIG2, _F, __name__)
nxt_resume = _m.nx_message(_m.RESUME, _F, __name__)
nxt_ct_flush_zone = _m.nx_message(_m.CT_FLUSH_ZONE, _F, __name__)
nxt_packet_in2 = _m.nx_message(_m.PACKET_IN2, _F, __name__)

# -- ONF flow monitoring ---------------------------------------------------------------------

onft_flow_monitor_cancel = _m.nx_message(_m.ONFT_FLOW_MONITOR_CANCEL, _F, __name__)
onft_flow_monitor_paused = _m.nx_message(_m.ONFT_FLOW_MONITOR_PAUSED, _F, __name__)
onft_flow_monitor_resumed = _m.nx_message(_m.ONFT_FLOW_MONITOR_RESUMED, _F, __name__)
onf_flow_update, onf_flow_update_full, onf_flow_update_abbrev = _s.onf_flow_update_entries(__name__)
onfst_flow_monitor_request = _s.nx_stats(_s.ONF_FLOW_MONITOR_REQUEST, _F, __name__, reply=False)
onfst_flow_monitor_reply = _s.nx_stats(_s.onf_flow_monitor_reply(onf_flow_update), _F, __name__,
                                       reply=True)
