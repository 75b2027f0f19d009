"""OpenFlow 1.0 messages built with non-default values, one or more per message type.

``SAMPLES`` maps a name to a message; ``OVS_EXPECTED`` maps the names that
``ovs-ofctl ofp-print`` understands to the substrings its output must contain.
"""

from __future__ import annotations

from typing import Any

from vlcp_core.openflow import v10

__all__ = ["OVS_EXPECTED", "SAMPLES", "all_actions", "sample_match", "sample_port"]

NICIRA = 0x00002320


def sample_match() -> Any:
    """A match on most fields (nw_src /24, nw_dst exact)."""
    return v10.ofp_match(
        wildcards="OFPFW_DL_VLAN_PCP|NW_SRC_MASK:8",
        in_port=3, dl_src="00:11:22:33:44:55", dl_dst="66:77:88:99:aa:bb", dl_vlan=10,
        dl_type=0x0800, nw_tos=0x20, nw_proto=6, nw_src="10.1.2.0", nw_dst="10.3.4.5",
        tp_src=1234, tp_dst=80,
    )


def sample_port(port_no: int = 7, name: str = "veth7") -> Any:
    return v10.ofp_phy_port(
        port_no=port_no, hw_addr="02:00:00:00:00:07", name=name,
        config="OFPPC_NO_FLOOD|OFPPC_NO_PACKET_IN", state="OFPPS_LINK_DOWN|OFPPS_STP_BLOCK",
        curr="OFPPF_1GB_FD|OFPPF_COPPER", advertised="OFPPF_100MB_FD|OFPPF_AUTONEG",
        supported="OFPPF_10GB_FD|OFPPF_FIBER", peer="OFPPF_10MB_HD|OFPPF_PAUSE",
    )


def all_actions() -> list[Any]:
    """One action of every OF 1.0 type OVS knows (not VENDOR)."""
    at = v10.ofp_action_type
    return [
        v10.ofp_action_output(port=2, max_len=0),
        v10.ofp_action_vlan_vid(vlan_vid=5),
        v10.ofp_action_vlan_pcp(vlan_pcp=3),
        v10.ofp_action_strip_vlan(),
        v10.ofp_action_dl_addr(dl_addr="00:0a:0b:0c:0d:0e"),
        v10.ofp_action_dl_addr(type=at.OFPAT_SET_DL_DST, dl_addr="00:0e:0d:0c:0b:0a"),
        v10.ofp_action_nw_addr(nw_addr="192.168.1.1"),
        v10.ofp_action_nw_addr(type=at.OFPAT_SET_NW_DST, nw_addr="192.168.1.2"),
        v10.ofp_action_nw_tos(nw_tos=0x48),
        v10.ofp_action_tp_port(tp_port=8080),
        v10.ofp_action_tp_port(type=at.OFPAT_SET_TP_DST, tp_port=443),
        v10.ofp_action_enqueue(port=4, queue_id=9),
        v10.ofp_action_output(port="OFPP_CONTROLLER", max_len=200),
    ]


ALL_ACTIONS_TEXT = ("actions=output:2,mod_vlan_vid:5,mod_vlan_pcp:3,strip_vlan,"
                    "mod_dl_src:00:0a:0b:0c:0d:0e,mod_dl_dst:00:0e:0d:0c:0b:0a,"
                    "mod_nw_src:192.168.1.1,mod_nw_dst:192.168.1.2,mod_nw_tos:72,"
                    "mod_tp_src:8080,mod_tp_dst:443,enqueue:4:9,CONTROLLER:200")


_ALL = int(v10.ofp_flow_wildcards.OFPFW_ALL)


def _samples() -> dict[str, Any]:
    s: dict[str, Any] = {}
    s["hello"] = v10.ofp_hello(xid=1)
    s["hello_with_body"] = v10.ofp_hello(xid=2, _tail=b"\x00\x01\x00\x08\x00\x00\x00\x12")
    s["echo_request"] = v10.ofp_echo_request(xid=3, data=b"ping-data")
    s["echo_request_empty"] = v10.ofp_echo_request(xid=4)
    s["echo_reply"] = v10.ofp_echo_reply(xid=5, data=b"\x01\x02\x03")
    # NXT_ROLE_REQUEST (subtype 10, role 1 = master): a Nicira message, OVS reads it.
    from vlcp_core.openflow.nicira import messages10

    s["vendor_nicira_role"] = messages10.nxt_role_request(xid=7, role="NX_ROLE_MASTER")
    s["vendor_unknown"] = v10.ofp_vendor_header(xid=6, vendor=0x00ABCDEF, _tail=b"vendor-body")
    s["features_request"] = v10.ofp_features_request(xid=8)
    s["features_reply"] = v10.ofp_switch_features(
        xid=9, datapath_id=0x0000123456789ABC, n_buffers=256, n_tables=3,
        capabilities="OFPC_FLOW_STATS|OFPC_PORT_STATS|OFPC_ARP_MATCH_IP",
        actions="OFPAT_OUTPUT|OFPAT_SET_VLAN_VID|OFPAT_ENQUEUE",
        ports=[sample_port(), sample_port(port_no=0xFFFE, name="br0")],
    )
    s["features_reply_no_ports"] = v10.ofp_switch_features(xid=10, datapath_id=1, n_tables=1)
    s["get_config_request"] = v10.ofp_get_config_request(xid=11)
    s["get_config_reply"] = v10.ofp_get_config_reply(xid=12, flags="OFPC_FRAG_DROP",
                                                     miss_send_len=300)
    s["set_config"] = v10.ofp_set_config(xid=13, flags="OFPC_FRAG_REASM", miss_send_len=1500)
    s["packet_in"] = v10.ofp_packet_in(
        xid=0, buffer_id=77, total_len=64, in_port=5, reason="OFPR_ACTION",
        data=bytes.fromhex("ffffffffffff00000000000108060001080006040001"
                           "0000000000010a0000010000000000000a000002"),
    )
    s["packet_in_no_match"] = v10.ofp_packet_in(xid=14, total_len=0, in_port=1)
    s["flow_removed"] = v10.ofp_flow_removed(
        match=sample_match(), cookie=0xABCDEF, priority=123, reason="OFPRR_HARD_TIMEOUT",
        duration_sec=42, duration_nsec=500, idle_timeout=30, packet_count=11,
        byte_count=2222,
    )
    s["port_status_modify"] = v10.ofp_port_status(reason="OFPPR_MODIFY", desc=sample_port())
    s["packet_out"] = v10.ofp_packet_out(
        xid=15, in_port=3, actions=[v10.ofp_action_output(port=2),
                                    v10.ofp_action_vlan_vid(vlan_vid=5)],
        data=bytes.fromhex("ffffffffffff000000000001080600010800060400010000000000010a000001"
                           "0000000000000a000002"),
    )
    s["packet_out_buffered"] = v10.ofp_packet_out(xid=16, buffer_id=99, in_port="OFPP_LOCAL",
                                                  actions=[v10.ofp_action_output(port="OFPP_FLOOD")])
    s["flow_mod_add"] = v10.ofp_flow_mod(
        xid=17, match=sample_match(), cookie=0x1234, idle_timeout=60, hard_timeout=600,
        priority=123, flags="OFPFF_SEND_FLOW_REM|OFPFF_CHECK_OVERLAP", actions=all_actions(),
    )
    # NXAST_RESUBMIT (subtype 1, in_port 3), which OVS reads as resubmit:3.
    from vlcp_core.openflow.nicira.actions10 import nx_action_resubmit

    s["flow_mod_nicira_action"] = v10.ofp_flow_mod(
        xid=51, priority=5,
        actions=[nx_action_resubmit(in_port=3), v10.ofp_action_output(port=1)])
    s["flow_mod_default"] = v10.ofp_flow_mod(xid=18)
    s["flow_mod_delete"] = v10.ofp_flow_mod(
        xid=19, command="OFPFC_DELETE_STRICT", priority=7, out_port=4,
        match=v10.ofp_match(wildcards=_ALL & ~int(v10.ofp_flow_wildcards.OFPFW_DL_TYPE),
                            dl_type=0x0806),
    )
    s["flow_mod_vendor_action"] = v10.ofp_flow_mod(
        xid=20, actions=[v10.ofp_action_vendor_header(vendor=0x00ABCDEF, _tail=bytes(8)),
                         v10.ofp_action(type=99, _tail=b"\x01\x02\x03\x04")],
    )
    s["port_mod"] = v10.ofp_port_mod(
        xid=21, port_no=6, hw_addr="02:00:00:00:00:06", config="OFPPC_PORT_DOWN|OFPPC_NO_FWD",
        mask="OFPPC_PORT_DOWN|OFPPC_NO_FWD|OFPPC_NO_STP", advertise="OFPPF_1GB_FD",
    )
    # statistics
    s["desc_stats_request"] = v10.ofp_desc_stats_request(xid=22)
    s["desc_stats_reply"] = v10.ofp_desc_stats_reply(
        xid=23, mfr_desc="Acme Networks", hw_desc="Model T", sw_desc="fw 1.2.3",
        serial_num="SN-0042", dp_desc="rack 4 switch",
    )
    s["flow_stats_request"] = v10.ofp_flow_stats_request(xid=24, match=sample_match(),
                                                         table_id=2, out_port=9)
    s["flow_stats_reply"] = v10.ofp_flow_stats_reply(
        xid=25, flags="OFPSF_REPLY_MORE",
        stats=[
            v10.ofp_flow_stats(table_id=1, match=sample_match(), duration_sec=5,
                               duration_nsec=6, priority=123, idle_timeout=7,
                               hard_timeout=8, cookie=0x99, packet_count=10, byte_count=1000,
                               actions=[v10.ofp_action_output(port=2)]),
            v10.ofp_flow_stats(table_id=0, match=v10.ofp_match(), priority=1,
                               packet_count=3, byte_count=4),
        ],
    )
    s["flow_stats_reply_empty"] = v10.ofp_flow_stats_reply(xid=26)
    s["aggregate_stats_request"] = v10.ofp_aggregate_stats_request(
        xid=27, match=v10.ofp_match(wildcards=_ALL & ~int(v10.ofp_flow_wildcards.OFPFW_IN_PORT),
                            in_port=1), table_id=0)
    s["aggregate_stats_reply"] = v10.ofp_aggregate_stats_reply(
        xid=28, packet_count=1001, byte_count=2002, flow_count=3)
    s["table_stats_request"] = v10.ofp_table_stats_request(xid=29)
    s["table_stats_reply"] = v10.ofp_table_stats_reply(
        xid=30,
        stats=[v10.ofp_table_stats(table_id=0, name="classifier", wildcards="OFPFW_ALL",
                                   max_entries=1000000, active_count=4, lookup_count=77,
                                   matched_count=55),
               v10.ofp_table_stats(table_id=1, name="second", wildcards="OFPFW_IN_PORT",
                                   max_entries=10, active_count=1, lookup_count=2,
                                   matched_count=1)],
    )
    s["port_stats_request"] = v10.ofp_port_stats_request(xid=31, port_no=3)
    s["port_stats_reply"] = v10.ofp_port_stats_reply(
        xid=32,
        stats=[v10.ofp_port_stats(port_no=3, rx_packets=11, tx_packets=12, rx_bytes=1300,
                                  tx_bytes=1400, rx_dropped=15, tx_dropped=16, rx_errors=17,
                                  tx_errors=18, rx_frame_err=19, rx_over_err=20,
                                  rx_crc_err=21, collisions=22),
               v10.ofp_port_stats(port_no="OFPP_LOCAL", rx_packets=1)],
    )
    s["queue_stats_request"] = v10.ofp_queue_stats_request(xid=33, port_no=2, queue_id=5)
    s["queue_stats_reply"] = v10.ofp_queue_stats_reply(
        xid=34, stats=[v10.ofp_queue_stats(port_no=2, queue_id=5, tx_bytes=600,
                                           tx_packets=7, tx_errors=1)],
    )
    s["vendor_stats_request"] = v10.ofp_vendor_stats_request(xid=35, vendor=0x00ABCDEF,
                                                             _tail=b"\x00\x00\x00\x01")
    s["vendor_stats_reply"] = v10.ofp_vendor_stats_reply(xid=36, vendor=0x00ABCDEF,
                                                         _tail=b"body")
    s["stats_request_unknown"] = v10.ofp_stats_request(xid=37, stats_type=0x77, _tail=b"xy")
    s["stats_reply_unknown"] = v10.ofp_stats_reply(xid=38, stats_type=0x77)
    s["barrier_request"] = v10.ofp_barrier_request(xid=39)
    s["barrier_reply"] = v10.ofp_barrier_reply(xid=40)
    s["queue_get_config_request"] = v10.ofp_queue_get_config_request(xid=41, port=5)
    s["queue_get_config_reply"] = v10.ofp_queue_get_config_reply(
        xid=42, port=5,
        queues=[v10.ofp_packet_queue(queue_id=1, properties=[
                    v10.ofp_queue_prop_min_rate(rate=500)]),
                v10.ofp_packet_queue(queue_id=2, properties=[])],
    )
    s["queue_get_config_reply_other_props"] = v10.ofp_queue_get_config_reply(
        xid=52, port=6,
        queues=[v10.ofp_packet_queue(queue_id=3, properties=[
                    v10.ofp_queue_prop_none(),
                    v10.ofp_queue_prop_header(property=9, _tail=b"12345678"),
                    v10.ofp_queue_prop_min_rate(rate=1001)])],
    )
    # errors: one per type, and an unknown type
    s["error_hello_failed"] = v10.ofp_error_hello_failed(xid=43, code="OFPHFC_INCOMPATIBLE",
                                                         data=b"version mismatch")
    s["error_bad_request"] = v10.ofp_error_bad_request(
        xid=44, code="OFPBRC_BAD_LEN", data=bytes(v10.ofp_echo_request(xid=44, data=b"e")))
    s["error_bad_request_bad_stat"] = v10.ofp_error_bad_request(
        xid=53, code="OFPBRC_BAD_STAT", data=bytes(v10.ofp_stats_request(xid=53, stats_type=0x77)))
    s["error_bad_action"] = v10.ofp_error_bad_action(
        xid=45, code="OFPBAC_BAD_OUT_PORT",
        data=bytes(v10.ofp_flow_mod(xid=45, actions=[v10.ofp_action_output(port=99)])))
    s["error_bad_action_truncated_data"] = v10.ofp_error_bad_action(
        xid=54, code="OFPBAC_TOO_MANY", data=bytes(v10.ofp_flow_mod(xid=54))[:64])
    s["error_flow_mod_failed"] = v10.ofp_error_flow_mod_failed(
        xid=46, code="OFPFMFC_OVERLAP", data=bytes(v10.ofp_flow_mod(xid=46, priority=9)))
    s["error_port_mod_failed"] = v10.ofp_error_port_mod_failed(
        xid=47, code="OFPPMFC_BAD_HW_ADDR", data=bytes(v10.ofp_port_mod(xid=47, port_no=1)))
    s["error_queue_op_failed"] = v10.ofp_error_queue_op_failed(
        xid=48, code="OFPQOFC_BAD_QUEUE", data=bytes(v10.ofp_queue_get_config_request(xid=48)))
    s["error_unknown_type"] = v10.ofp_error_msg(xid=49, err_type=0x77, _tail=b"\x00\x05abc")
    s["unknown_message_type"] = v10.ofp_header(xid=50, type=0x63, _tail=b"\x01\x02")
    return s


SAMPLES: dict[str, Any] = _samples()

PORT_TEXT = ("7(veth7): addr:02:00:00:00:00:07", "config:     NO_FLOOD NO_PACKET_IN",
             "state:      STP_BLOCKLINK_DOWN", "current:    1GB-FD COPPER",
             "advertised: 100MB-FD AUTO_NEG", "supported:  10GB-FD FIBER",
             "peer:       10MB-HD AUTO_PAUSE")
MATCH_TEXT = ("tcp,in_port=3,dl_vlan=10,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,"
              "nw_src=10.1.2.0/24,nw_dst=10.3.4.5,nw_tos=32,tp_src=1234,tp_dst=80")

OVS_EXPECTED: dict[str, tuple[str, ...]] = {
    "hello": ("OFPT_HELLO (xid=0x1)",),
    "hello_with_body": ("OFPT_HELLO (xid=0x2)", "version bitmap: 0x01, 0x04"),
    "echo_request": ("OFPT_ECHO_REQUEST (xid=0x3): 9 bytes of payload", "|ping-data"),
    "echo_request_empty": ("OFPT_ECHO_REQUEST (xid=0x4): 0 bytes of payload",),
    "echo_reply": ("OFPT_ECHO_REPLY (xid=0x5): 3 bytes of payload", "01 02 03"),
    "vendor_nicira_role": ("NXT_ROLE_REQUEST (xid=0x7): role=primary",),
    "features_request": ("OFPT_FEATURES_REQUEST (xid=0x8)",),
    "features_reply": ("OFPT_FEATURES_REPLY (xid=0x9): dpid:0000123456789abc",
                       "n_tables:3, n_buffers:256",
                       "capabilities: FLOW_STATS PORT_STATS ARP_MATCH_IP",
                       "actions: output enqueue set_vlan_vid", *PORT_TEXT,
                       "LOCAL(br0): addr:02:00:00:00:00:07"),
    "features_reply_no_ports": ("dpid:0000000000000001", "n_tables:1, n_buffers:0"),
    "get_config_request": ("OFPT_GET_CONFIG_REQUEST (xid=0xb)",),
    "get_config_reply": ("OFPT_GET_CONFIG_REPLY (xid=0xc): frags=drop miss_send_len=300",),
    "set_config": ("OFPT_SET_CONFIG (xid=0xd): frags=reassemble miss_send_len=1500",),
    "packet_in": ("OFPT_PACKET_IN (xid=0x0): total_len=64 in_port=5 (via action) data_len=42 "
                  "buffer=0x0000004d", "arp,", "arp_spa=10.0.0.1,arp_tpa=10.0.0.2"),
    "packet_in_no_match": ("total_len=0 in_port=1 (via no_match) data_len=0 (unbuffered)",),
    "flow_removed": ("OFPT_FLOW_REMOVED (xid=0x0): priority=123," + MATCH_TEXT,
                     "reason=hard cookie:0xabcdef duration42.0000005s idle30 pkts11 bytes2222"),
    "port_status_modify": ("OFPT_PORT_STATUS (xid=0x0): MOD:", *PORT_TEXT),
    "packet_out": ("OFPT_PACKET_OUT (xid=0xf): in_port=3 actions=output:2,mod_vlan_vid:5 "
                   "data_len=42", "arp_spa=10.0.0.1"),
    "packet_out_buffered": ("in_port=LOCAL actions=FLOOD buffer=0x00000063",),
    "flow_mod_add": ("OFPT_FLOW_MOD (xid=0x11): ADD priority=123," + MATCH_TEXT,
                     "cookie:0x1234 idle:60 hard:600 send_flow_rem check_overlap",
                     ALL_ACTIONS_TEXT),
    "flow_mod_nicira_action": ("ADD priority=5 actions=resubmit:3,output:1",),
    "flow_mod_default": ("OFPT_FLOW_MOD (xid=0x12): ADD actions=drop",),
    "flow_mod_delete": ("OFPT_FLOW_MOD (xid=0x13): DEL_STRICT priority=7,arp out_port:4 "
                        "actions=drop",),
    "port_mod": ("OFPT_PORT_MOD (xid=0x15): port: 6: addr:02:00:00:00:00:06",
                 "config: PORT_DOWN NO_FWD", "mask:   PORT_DOWN NO_STP NO_FWD",
                 "advertise: 1GB-FD"),
    "desc_stats_request": ("OFPST_DESC request (xid=0x16)",),
    "desc_stats_reply": ("Manufacturer: Acme Networks", "Hardware: Model T",
                         "Software: fw 1.2.3", "Serial Num: SN-0042",
                         "DP Description: rack 4 switch"),
    "flow_stats_request": ("OFPST_FLOW request (xid=0x18): table=2 out_port=9 " + MATCH_TEXT,),
    "flow_stats_reply": ("OFPST_FLOW reply (xid=0x19): flags=[more]",
                         "cookie=0x99, duration=5.000000006s, table=1, n_packets=10, "
                         "n_bytes=1000, idle_timeout=7, hard_timeout=8, priority=123,"
                         + MATCH_TEXT + " actions=output:2",
                         "cookie=0x0, duration=0s, table=0, n_packets=3, n_bytes=4, "
                         "priority=1 actions=drop"),
    "flow_stats_reply_empty": ("OFPST_FLOW reply (xid=0x1a)",),
    "aggregate_stats_request": ("OFPST_AGGREGATE request (xid=0x1b): table=0 in_port=1",),
    "aggregate_stats_reply": ("packet_count=1001 byte_count=2002 flow_count=3",),
    "table_stats_request": ("OFPST_TABLE request (xid=0x1d)",),
    "table_stats_reply": ('table 0 ("classifier"):', "active=4, lookup=77, matched=55",
                          "max_entries=1000000", 'table 1 ("second"):',
                          "active=1, lookup=2, matched=1", "max_entries=10"),
    "port_stats_request": ("OFPST_PORT request (xid=0x1f): port_no=3",),
    "port_stats_reply": ("OFPST_PORT reply (xid=0x20): 2 ports",
                         "port  3: rx pkts=11, bytes=1300, drop=15, errs=17, frame=19, over=20, "
                         "crc=21", "tx pkts=12, bytes=1400, drop=16, errs=18, coll=22",
                         "port LOCAL: rx pkts=1,"),
    "queue_stats_request": ("OFPST_QUEUE request (xid=0x21): port=2 queue=5",),
    "queue_stats_reply": ("port 2 queue 5: bytes=600, pkts=7, errors=1",),
    "barrier_request": ("OFPT_BARRIER_REQUEST (xid=0x27)",),
    "barrier_reply": ("OFPT_BARRIER_REPLY (xid=0x28)",),
    "queue_get_config_request": ("OFPT_QUEUE_GET_CONFIG_REQUEST (xid=0x29): port=5",),
    "queue_get_config_reply": ("OFPT_QUEUE_GET_CONFIG_REPLY (xid=0x2a): port=5",
                               "queue 1: min_rate:50.0%", "queue 2:"),
    "error_hello_failed": ("OFPT_ERROR (xid=0x2b): OFPHFC_INCOMPATIBLE", "version mismatch"),
    "error_bad_request": ("OFPT_ERROR (xid=0x2c): OFPBRC_BAD_LEN",
                          "OFPT_ECHO_REQUEST (xid=0x2c): 1 bytes of payload"),
    "error_bad_action": ("OFPT_ERROR (xid=0x2d): OFPBAC_BAD_OUT_PORT",
                         "OFPT_FLOW_MOD (xid=0x2d): ADD actions=output:99"),
    "error_flow_mod_failed": ("OFPT_ERROR (xid=0x2e): OFPFMFC_OVERLAP",
                              "OFPT_FLOW_MOD (xid=0x2e): ADD priority=9 actions=drop"),
    "error_port_mod_failed": ("OFPT_ERROR (xid=0x2f): OFPPMFC_BAD_HW_ADDR",
                              "OFPT_PORT_MOD (xid=0x2f): port: 1:"),
    "error_queue_op_failed": ("OFPT_ERROR (xid=0x30): OFPQOFC_BAD_QUEUE",
                              "OFPT_QUEUE_GET_CONFIG_REQUEST (xid=0x30): port=0"),
}
