"""OpenFlow 1.0 controller-to-switch messages (spec 1.0.0, 5.3 "Controller-to-Switch
Messages"): handshake (5.3.1 FEATURES_REQUEST / FEATURES_REPLY), switch
configuration (5.3.2 GET_CONFIG_REQUEST / GET_CONFIG_REPLY / SET_CONFIG), state
modification (5.3.3 FLOW_MOD, PORT_MOD), send packet (5.3.6 PACKET_OUT) and
barrier (5.3.7 BARRIER_REQUEST / BARRIER_REPLY).

Statistics (5.3.5) are in ``_stats``, queue configuration (5.3.4) in ``_queue``.
"""

from __future__ import annotations

from vlcp_core.namedstruct import (
    array,
    hexa,
    mac_addr,
    nstruct,
    pad,
    raw,
    uint8,
    uint16,
    uint32,
    uint64,
)

from ._action import ofp_action
from ._enums import (
    OFP_DEFAULT_MISS_SEND_LEN,
    OFP_DEFAULT_PRIORITY,
    OFP_NO_BUFFER,
    ofp_action_type_bitmap,
    ofp_capabilities,
    ofp_config_flags,
    ofp_flow_mod_command,
    ofp_flow_mod_flags,
    ofp_port,
    ofp_port_config,
    ofp_port_features,
    ofp_type,
)
from ._header import ofp_header
from ._match import ofp_match
from ._port import ofp_phy_port

__all__ = [
    "ofp_barrier_reply",
    "ofp_barrier_request",
    "ofp_features_request",
    "ofp_flow_mod",
    "ofp_get_config_reply",
    "ofp_get_config_request",
    "ofp_packet_out",
    "ofp_port_mod",
    "ofp_set_config",
    "ofp_switch_features",
]

_T = ofp_type

ofp_features_request = nstruct(
    "ofp_features_request",
    base=ofp_header, when={"type": _T.OFPT_FEATURES_REQUEST},
    doc="OFPT_FEATURES_REQUEST: header only.",
)

ofp_switch_features = nstruct(
    "ofp_switch_features",
    (uint64(hexa), "datapath_id"), (uint32, "n_buffers"), (uint8, "n_tables"), pad(3),
    (uint32(ofp_capabilities), "capabilities"), (uint32(ofp_action_type_bitmap), "actions"),
    (array(ofp_phy_port), "ports"),
    base=ofp_header, when={"type": _T.OFPT_FEATURES_REPLY},
    doc="OFPT_FEATURES_REPLY: datapath id, buffers, tables, capabilities, supported "
        "actions and the ports.",
)

ofp_get_config_request = nstruct(
    "ofp_get_config_request",
    base=ofp_header, when={"type": _T.OFPT_GET_CONFIG_REQUEST},
    doc="OFPT_GET_CONFIG_REQUEST: header only.",
)

ofp_get_config_reply = nstruct(
    "ofp_get_config_reply",
    (uint16(ofp_config_flags), "flags"), (uint16, "miss_send_len"),
    base=ofp_header, when={"type": _T.OFPT_GET_CONFIG_REPLY},
    defaults={"miss_send_len": OFP_DEFAULT_MISS_SEND_LEN},
    doc="OFPT_GET_CONFIG_REPLY: the switch configuration (spec ``ofp_switch_config``).",
)

ofp_set_config = nstruct(
    "ofp_set_config",
    (uint16(ofp_config_flags), "flags"), (uint16, "miss_send_len"),
    base=ofp_header, when={"type": _T.OFPT_SET_CONFIG},
    defaults={"miss_send_len": OFP_DEFAULT_MISS_SEND_LEN},
    doc="OFPT_SET_CONFIG: fragment handling and how many bytes of a table-miss packet "
        "to send to the controller (spec ``ofp_switch_config``).",
)

ofp_flow_mod = nstruct(
    "ofp_flow_mod",
    (ofp_match, "match"), (uint64(hexa), "cookie"), (uint16(ofp_flow_mod_command), "command"),
    (uint16, "idle_timeout"), (uint16, "hard_timeout"), (uint16, "priority"),
    (uint32, "buffer_id"), (uint16(ofp_port), "out_port"), (uint16(ofp_flow_mod_flags), "flags"),
    (array(ofp_action), "actions"),
    base=ofp_header, when={"type": _T.OFPT_FLOW_MOD},
    defaults={"priority": OFP_DEFAULT_PRIORITY, "buffer_id": OFP_NO_BUFFER,
              "out_port": ofp_port.OFPP_NONE},
    doc="OFPT_FLOW_MOD: add, modify or delete flows matching ``match``; ``actions`` "
        "take the rest of the message.",
)

ofp_port_mod = nstruct(
    "ofp_port_mod",
    (uint16(ofp_port), "port_no"), (mac_addr, "hw_addr"),
    (uint32(ofp_port_config), "config"), (uint32(ofp_port_config), "mask"),
    (uint32(ofp_port_features), "advertise"), pad(4),
    base=ofp_header, when={"type": _T.OFPT_PORT_MOD},
    doc="OFPT_PORT_MOD: change the ``config`` bits selected by ``mask`` of the port "
        "``port_no`` with address ``hw_addr``; ``advertise`` 0 leaves it unchanged.",
)

ofp_packet_out = nstruct(
    "ofp_packet_out",
    (uint32, "buffer_id"), (uint16(ofp_port), "in_port"), (uint16, "actions_len"),
    (array(ofp_action, size="actions_len"), "actions"), (raw(), "data"),
    base=ofp_header, when={"type": _T.OFPT_PACKET_OUT},
    defaults={"buffer_id": OFP_NO_BUFFER, "in_port": ofp_port.OFPP_NONE},
    doc="OFPT_PACKET_OUT: apply ``actions`` (``actions_len`` bytes, filled on build) to "
        "the buffered packet ``buffer_id``, or to ``data`` when ``buffer_id`` is -1.",
)

ofp_barrier_request = nstruct(
    "ofp_barrier_request",
    base=ofp_header, when={"type": _T.OFPT_BARRIER_REQUEST},
    doc="OFPT_BARRIER_REQUEST: header only.",
)

ofp_barrier_reply = nstruct(
    "ofp_barrier_reply",
    base=ofp_header, when={"type": _T.OFPT_BARRIER_REPLY},
    doc="OFPT_BARRIER_REPLY: header only.",
)
