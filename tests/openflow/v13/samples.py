"""A wide sample of OpenFlow 1.3 messages with non-default values, built from v13 classes.

``SAMPLES`` maps a name to a message; ``OVS_EXPECT`` maps the names of the
messages Open vSwitch 3.1 decodes to substrings its ``ofp-print`` must show
(each one a value set below).  Messages that OVS does not know (experimenter
bodies it has no decoder for, unknown types) are only in ``SAMPLES``.
"""

from __future__ import annotations

from typing import Any

from vlcp_core.namedstruct import Struct
from vlcp_core.openflow import oxm_class_for, v13

__all__ = ["OVS_EXPECT", "SAMPLES", "oxm"]


def oxm(name: str, value: Any, mask: Any = None) -> Struct:
    """The OXM TLV of field *name* (OVS name) with *value* (and *mask*)."""
    found = oxm_class_for(name)
    assert found is not None, name
    cls = found[1]
    if mask is None:
        return cls(value=value)
    return cls(value=value, mask=mask, oxm_hasmask=1)


MAC = "aa:bb:cc:dd:ee:01"
MATCH = v13.ofp_match(oxm_fields=[
    oxm("in_port", 3), oxm("eth_type", 0x0800), oxm("ip_dst", "10.1.2.0", "255.255.255.0"),
    oxm("ip_proto", 6), oxm("tcp_dst", 8080),
])
FRAME = bytes.fromhex("ffffffffffff" "aabbccddee01" "0806") + bytes(28)

ALL_ACTIONS: list[Struct] = [
    v13.ofp_action_output(port=2, max_len=0),
    v13.ofp_action_output(port=v13.ofp_port_no.OFPP_CONTROLLER, max_len=200),
    v13.ofp_action_copy_ttl_out(),
    v13.ofp_action_copy_ttl_in(),
    v13.ofp_action_set_mpls_ttl(mpls_ttl=33),
    v13.ofp_action_dec_mpls_ttl(),
    v13.ofp_action_push_vlan(ethertype=0x88A8),
    v13.ofp_action_pop_vlan(),
    v13.ofp_action_push_mpls(ethertype=0x8848),
    v13.ofp_action_pop_mpls(ethertype=0x86DD),
    v13.ofp_action_set_queue(queue_id=7),
    v13.ofp_action_group(group_id=42),
    v13.ofp_action_set_nw_ttl(nw_ttl=17),
    v13.ofp_action_dec_nw_ttl(),
    v13.ofp_action_set_field(field=oxm("eth_src", MAC)),
    v13.ofp_action_set_field(field=oxm("vlan_vid", 0x1000 | 99)),
    v13.ofp_action_push_pbb(ethertype=0x88E7),
    v13.ofp_action_pop_pbb(),
]

# Instructions OVS accepts in one flow (each at most once, in the order it wants).
INSTRUCTIONS: list[Struct] = [
    v13.ofp_instruction_meter(meter_id=5),
    v13.ofp_instruction_apply_actions(actions=[
        v13.ofp_action_set_field(field=oxm("ip_src", "192.168.7.9")),
        v13.ofp_action_output(port=4)]),
    v13.ofp_instruction_clear_actions(),
    v13.ofp_instruction_write_actions(actions=[v13.ofp_action_group(group_id=9)]),
    v13.ofp_instruction_write_metadata(metadata=0x1234, metadata_mask=0xFFFF),
    v13.ofp_instruction_goto_table(table_id=3),
]

PORT = v13.ofp_port(
    port_no=7, hw_addr=MAC, name="veth-seven", config="OFPPC_NO_FWD",
    state="OFPPS_LIVE", curr="OFPPF_10GB_FD|OFPPF_FIBER", advertised="OFPPF_1GB_FD",
    supported="OFPPF_1GB_FD|OFPPF_10GB_FD", peer=0, curr_speed=10000000, max_speed=10000000,
)

BUCKETS = [
    v13.ofp_bucket(weight=3, actions=[v13.ofp_action_output(port=5)]),
    v13.ofp_bucket(weight=7, actions=[v13.ofp_action_set_field(field=oxm("eth_dst", MAC)),
                                      v13.ofp_action_output(port=6)]),
]

BANDS = [
    v13.ofp_meter_band_drop(rate=1000, burst_size=100),
    v13.ofp_meter_band_dscp_remark(rate=500, burst_size=50, prec_level=2),
]

TABLE_FEATURES = v13.ofp_table_features(
    table_id=2, name="table-two", metadata_match=0xFF, metadata_write=0xF0, config=0,
    max_entries=4096, properties=[
        v13.ofp_table_feature_prop_instructions(instruction_ids=[
            v13.ofp_instruction_id(type=t) for t in (1, 2, 3, 4, 5, 6)]),
        v13.ofp_table_feature_prop_instructions(
            type="OFPTFPT_INSTRUCTIONS_MISS",
            instruction_ids=[v13.ofp_instruction_id(type=4)]),
        v13.ofp_table_feature_prop_next_tables(next_table_ids=[3, 4, 5]),
        v13.ofp_table_feature_prop_next_tables(type="OFPTFPT_NEXT_TABLES_MISS",
                                               next_table_ids=[6]),
        v13.ofp_table_feature_prop_actions(action_ids=[
            v13.ofp_action_id(type=0), v13.ofp_action_id(type=17)]),
        v13.ofp_table_feature_prop_actions(type="OFPTFPT_WRITE_ACTIONS_MISS",
                                           action_ids=[v13.ofp_action_id(type=0)]),
        v13.ofp_table_feature_prop_actions(type="OFPTFPT_APPLY_ACTIONS", action_ids=[
            v13.ofp_action_id(type=0), v13.ofp_action_id(type=18)]),
        v13.ofp_table_feature_prop_actions(type="OFPTFPT_APPLY_ACTIONS_MISS",
                                           action_ids=[v13.ofp_action_id(type=22)]),
        v13.ofp_table_feature_prop_oxm(type="OFPTFPT_MATCH", oxm_ids=[
            v13.ofp_oxm_id(oxm_field=0, oxm_length=4),
            v13.ofp_oxm_id(oxm_field=12, oxm_hasmask=1, oxm_length=8)]),
        v13.ofp_table_feature_prop_oxm(type="OFPTFPT_WILDCARDS", oxm_ids=[
            v13.ofp_oxm_id(oxm_field=12, oxm_length=4)]),
        v13.ofp_table_feature_prop_oxm(type="OFPTFPT_WRITE_SETFIELD", oxm_ids=[
            v13.ofp_oxm_id(oxm_field=4, oxm_length=6)]),
        v13.ofp_table_feature_prop_oxm(type="OFPTFPT_WRITE_SETFIELD_MISS", oxm_ids=[
            v13.ofp_oxm_id(oxm_field=4, oxm_length=6)]),
        v13.ofp_table_feature_prop_oxm(type="OFPTFPT_APPLY_SETFIELD", oxm_ids=[
            v13.ofp_oxm_id(oxm_field=3, oxm_length=6)]),
        v13.ofp_table_feature_prop_oxm(type="OFPTFPT_APPLY_SETFIELD_MISS", oxm_ids=[
            v13.ofp_oxm_id(oxm_field=3, oxm_length=6)]),
    ],
)

# Experimenter table feature properties and ids (OVS ignores or refuses them: round trips).
TABLE_FEATURES_EXPERIMENTER = v13.ofp_table_features(
    table_id=9, name="exp", properties=[
        v13.ofp_table_feature_prop_experimenter(experimenter=0x2320, exp_type=1,
                                                experimenter_data=b"\x01\x02\x03\x04\x05"),
        v13.ofp_table_feature_prop_experimenter(type="OFPTFPT_EXPERIMENTER_MISS",
                                                experimenter=0xABCD, exp_type=2),
        v13.ofp_table_feature_prop_instructions(instruction_ids=[
            v13.ofp_instruction_id_experimenter(experimenter=0x2320)]),
        v13.ofp_table_feature_prop_actions(action_ids=[
            v13.ofp_action_id_experimenter(experimenter=0x2320, _tail=b"\x00\x10")]),
        v13.ofp_table_feature_prop_oxm(oxm_ids=[
            v13.ofp_oxm_id(oxm_class=0xFFFF, oxm_field=1, oxm_length=8, experimenter=0x4F4E4600),
            v13.ofp_oxm_id(oxm_class=0x0001, oxm_field=33, oxm_length=4)]),
        v13.ofp_table_feature_prop(type=99, _tail=b"\xde\xad"),
    ],
)

QUEUES = [
    v13.ofp_packet_queue(queue_id=1, port=3, properties=[
        v13.ofp_queue_prop_min_rate(rate=100), v13.ofp_queue_prop_max_rate(rate=700)]),
    v13.ofp_packet_queue(queue_id=2, port=3, properties=[v13.ofp_queue_prop_max_rate(rate=250)]),
    v13.ofp_packet_queue(queue_id=3, port=3),
]
# Experimenter and unknown properties; an unaligned queue (len 28) in the middle.
ODD_QUEUES = [
    v13.ofp_packet_queue(queue_id=4, port=5, properties=[
        v13.ofp_queue_prop_experimenter(experimenter=0x2320, data=b"abcdefgh")]),
    v13.ofp_packet_queue(queue_id=5, port=5, properties=[
        v13.ofp_queue_prop(property=9, _tail=b"\x01\x02\x03\x04")]),
    v13.ofp_packet_queue(queue_id=6, port=0xFFFFFF77, properties=[
        v13.ofp_queue_prop_min_rate(rate=2000)]),
]


def _samples() -> dict[str, Struct]:
    s: dict[str, Struct] = {}
    s["hello"] = v13.ofp_hello(xid=1, elements=[
        v13.ofp_hello_elem_versionbitmap(bitmaps=[0x12])])
    s["hello_empty"] = v13.ofp_hello(xid=2)
    s["hello_unknown_elem"] = v13.ofp_hello(xid=3, elements=[
        v13.ofp_hello_elem(type=7, _tail=b"xyz"),
        v13.ofp_hello_elem_versionbitmap(bitmaps=[0x10, 0x1])])
    s["error_hello_failed"] = v13.ofp_error_hello_failed(
        xid=4, code="OFPHFC_INCOMPATIBLE", data=b"no common version")
    req = bytes(v13.ofp_barrier_request(xid=0x77))
    for err_type, cls in v13.ERROR_CODES.items():
        if err_type == 0:
            continue
        code = list(cls)[-1]
        name = v13.ofp_error_type(err_type).name[6:].lower()
        s[f"error_{name}"] = v13.ofp_error_msg._ns_info.lookup((err_type,))(  # type: ignore[misc]
            xid=5, code=code, data=req)
    s["error_experimenter"] = v13.ofp_error_experimenter_msg(
        xid=6, exp_type=12, experimenter=0x2320, data=req)
    s["error_unknown_type"] = v13.ofp_error_msg(xid=6, err_type=77, _tail=b"\x00\x01abc")
    s["echo_request"] = v13.ofp_echo_request(xid=7, data=b"ping-data")
    s["echo_reply"] = v13.ofp_echo_reply(xid=8, data=b"pong-data")
    s["experimenter"] = v13.ofp_experimenter_header(xid=9, experimenter=0x00ABCDEF, exp_type=5,
                                                    _tail=b"vendor-body")
    s["features_request"] = v13.ofp_features_request(xid=10)
    s["features_reply"] = v13.ofp_switch_features(
        xid=11, datapath_id=0x0000123456789ABC, n_buffers=256, n_tables=254, auxiliary_id=1,
        capabilities="OFPC_FLOW_STATS|OFPC_PORT_STATS|OFPC_QUEUE_STATS")
    s["get_config_request"] = v13.ofp_get_config_request(xid=12)
    s["get_config_reply"] = v13.ofp_get_config_reply(xid=13, flags="OFPC_FRAG_DROP",
                                                     miss_send_len=300)
    s["set_config"] = v13.ofp_set_config(xid=14, flags="OFPC_FRAG_REASM", miss_send_len=1500)
    s["packet_in"] = v13.ofp_packet_in(
        xid=15, buffer_id=0x1234, total_len=len(FRAME), reason="OFPR_ACTION", table_id=4,
        cookie=0xC0FFEE, match=v13.ofp_match(oxm_fields=[oxm("in_port", 3),
                                                        oxm("metadata", 0x55)]),
        data=FRAME)
    s["packet_in_no_buffer"] = v13.ofp_packet_in(
        xid=15, total_len=len(FRAME), reason="OFPR_INVALID_TTL", table_id=1,
        match=v13.ofp_match(oxm_fields=[oxm("in_port", 2)]), data=FRAME)
    s["flow_removed"] = v13.ofp_flow_removed(
        xid=16, cookie=0xABC, priority=1234, reason="OFPRR_HARD_TIMEOUT", table_id=5,
        duration_sec=61, duration_nsec=5000, idle_timeout=10, hard_timeout=60,
        packet_count=17, byte_count=1700, match=MATCH)
    s["port_status"] = v13.ofp_port_status(xid=17, reason="OFPPR_MODIFY", desc=PORT)
    s["packet_out"] = v13.ofp_packet_out(
        xid=18, in_port=1, actions=[v13.ofp_action_output(port=2),
                                    v13.ofp_action_set_field(field=oxm("eth_dst", MAC)),
                                    v13.ofp_action_output(port="OFPP_FLOOD")],
        data=FRAME)
    s["packet_out_buffered"] = v13.ofp_packet_out(
        xid=18, buffer_id=0x99, in_port=1, actions=[v13.ofp_action_output(port=3)])
    s["flow_mod"] = v13.ofp_flow_mod(
        xid=19, cookie=0xFEED, table_id=1, idle_timeout=30, hard_timeout=300, priority=222,
        flags="OFPFF_SEND_FLOW_REM|OFPFF_CHECK_OVERLAP", match=MATCH,
        instructions=INSTRUCTIONS)
    s["flow_mod_all_actions"] = v13.ofp_flow_mod(
        xid=20, priority=7, match=v13.ofp_match(oxm_fields=[oxm("in_port", 1)]),
        instructions=[v13.ofp_instruction_apply_actions(actions=ALL_ACTIONS)])
    s["flow_mod_mpls_actions"] = v13.ofp_flow_mod(
        xid=20, priority=8, match=v13.ofp_match(oxm_fields=[oxm("eth_type", 0x8847)]),
        instructions=[v13.ofp_instruction_apply_actions(actions=[
            v13.ofp_action_set_mpls_ttl(mpls_ttl=33), v13.ofp_action_dec_mpls_ttl(),
            v13.ofp_action_pop_mpls(ethertype=0x86DD), v13.ofp_action_output(port=2)])])
    s["flow_mod_vlan_actions"] = v13.ofp_flow_mod(
        xid=20, priority=9, match=v13.ofp_match(oxm_fields=[oxm("vlan_vid", 0x1000 | 99)]),
        instructions=[v13.ofp_instruction_apply_actions(actions=[
            v13.ofp_action_set_field(field=oxm("vlan_vid", 0x1000 | 98)),
            v13.ofp_action_pop_vlan(), v13.ofp_action_push_vlan(ethertype=0x88A8),
            v13.ofp_action_push_mpls(ethertype=0x8848)])])
    s["flow_mod_ip_actions"] = v13.ofp_flow_mod(
        xid=20, priority=10, match=v13.ofp_match(oxm_fields=[oxm("eth_type", 0x0800)]),
        instructions=[v13.ofp_instruction_write_actions(actions=[
            v13.ofp_action_set_nw_ttl(nw_ttl=17), v13.ofp_action_dec_nw_ttl(),
            v13.ofp_action_set_queue(queue_id=7),
            v13.ofp_action_output(port=v13.ofp_port_no.OFPP_CONTROLLER, max_len=200)])])
    s["flow_mod_delete"] = v13.ofp_flow_mod(
        xid=21, command="OFPFC_DELETE_STRICT", table_id=v13.ofp_table.OFPTT_ALL,
        cookie=0x10, cookie_mask=0xF0, out_port=8, out_group=9, priority=333, match=MATCH)
    s["flow_mod_experimenter"] = v13.ofp_flow_mod(xid=22, instructions=[
        v13.ofp_instruction_experimenter(experimenter=0xABCDEF, _tail=b"\x00\x00\x00\x01" * 2),
        v13.ofp_instruction_apply_actions(actions=[
            v13.ofp_action_experimenter(experimenter=0xABCDEF, _tail=b"\x00\x01\x02\x03\x04\x05"
                                                                    b"\x06\x07"),
            v13.ofp_action(type=0x1234, _tail=b"\x00\x00\x00\x00"),
            v13.ofp_action_output(port=1, _tail=b"\x00" * 8)]),
        v13.ofp_instruction(type=0x77, _tail=b"\x00" * 4)])
    s["group_mod"] = v13.ofp_group_mod(xid=23, command="OFPGC_ADD", group_type="OFPGT_SELECT",
                                       group_id=12, buckets=BUCKETS)
    s["group_mod_ff"] = v13.ofp_group_mod(
        xid=24, command="OFPGC_MODIFY", group_type="OFPGT_FF", group_id=13, buckets=[
            v13.ofp_bucket(watch_port=4, actions=[v13.ofp_action_output(port=4)]),
            v13.ofp_bucket(watch_group=12, actions=[v13.ofp_action_group(group_id=12)])])
    s["group_mod_delete"] = v13.ofp_group_mod(xid=25, command="OFPGC_DELETE",
                                              group_id=v13.ofp_group.OFPG_ALL)
    s["port_mod"] = v13.ofp_port_mod(
        xid=26, port_no=7, hw_addr=MAC, config="OFPPC_PORT_DOWN|OFPPC_NO_PACKET_IN",
        mask="OFPPC_PORT_DOWN|OFPPC_NO_PACKET_IN|OFPPC_NO_RECV", advertise="OFPPF_100MB_FD")
    s["table_mod"] = v13.ofp_table_mod(xid=27, table_id=6, config=3)
    s["role_request"] = v13.ofp_role_request(xid=28, role="OFPCR_ROLE_SLAVE",
                                             generation_id=0x1122334455)
    s["role_reply"] = v13.ofp_role_reply(xid=29, role="OFPCR_ROLE_MASTER", generation_id=77)
    s["get_async_request"] = v13.ofp_get_async_request(xid=30)
    masks = {"packet_in_mask": [0x5, 0x1], "port_status_mask": [0x7, 0x2],
             "flow_removed_mask": [0xF, 0x4]}
    s["get_async_reply"] = v13.ofp_get_async_reply(xid=31, **masks)
    s["set_async"] = v13.ofp_set_async(xid=32, **masks)
    s["meter_mod"] = v13.ofp_meter_mod(xid=33, command="OFPMC_ADD",
                                       flags="OFPMF_KBPS|OFPMF_BURST|OFPMF_STATS",
                                       meter_id=11, bands=BANDS)
    s["meter_mod_experimenter_band"] = v13.ofp_meter_mod(
        xid=34, command="OFPMC_MODIFY", flags="OFPMF_PKTPS", meter_id=12, bands=[
            v13.ofp_meter_band_experimenter(rate=5, burst_size=6, experimenter=0xABCD),
            v13.ofp_meter_band(type=0x55, rate=1, burst_size=2, _tail=b"\x00" * 4)])
    s["barrier_request"] = v13.ofp_barrier_request(xid=35)
    s["barrier_reply"] = v13.ofp_barrier_reply(xid=36)
    s["queue_get_config_request"] = v13.ofp_queue_get_config_request(xid=37, port=3)
    s["queue_get_config_reply"] = v13.ofp_queue_get_config_reply(xid=38, port=3, queues=QUEUES)
    s["queue_get_config_reply_odd"] = v13.ofp_queue_get_config_reply(xid=39, port=5,
                                                                     queues=ODD_QUEUES)
    _multipart(s)
    s["unknown_type"] = v13.ofp_header(type=99, xid=0x99, _tail=b"body")
    return s


def _multipart(s: dict[str, Struct]) -> None:
    more = {"flags": 1}
    s["desc_request"] = v13.ofp_desc_request(xid=40)
    s["desc_reply"] = v13.ofp_desc_reply(
        xid=40, mfr_desc="Maker Inc.", hw_desc="Box 9000", sw_desc="fw 1.2.3",
        serial_num="SN-0042", dp_desc="the test datapath")
    s["flow_stats_request"] = v13.ofp_flow_stats_request(
        xid=41, table_id=2, out_port=5, out_group=6, cookie=0x100, cookie_mask=0xF00,
        match=MATCH, **more)
    s["flow_stats_reply"] = v13.ofp_flow_stats_reply(xid=41, stats=[
        v13.ofp_flow_stats(table_id=2, duration_sec=100, duration_nsec=500, priority=444,
                           idle_timeout=11, hard_timeout=22, flags="OFPFF_SEND_FLOW_REM",
                           cookie=0xBEEF, packet_count=55, byte_count=5500, match=MATCH,
                           instructions=INSTRUCTIONS[1:]),
        v13.ofp_flow_stats(table_id=0, priority=0, packet_count=1, byte_count=64),
    ])
    s["aggregate_stats_request"] = v13.ofp_aggregate_stats_request(
        xid=42, table_id=3, out_port=7, match=MATCH)
    s["aggregate_stats_reply"] = v13.ofp_aggregate_stats_reply(
        xid=42, packet_count=123, byte_count=45678, flow_count=9)
    s["table_stats_request"] = v13.ofp_table_stats_request(xid=43)
    s["table_stats_reply"] = v13.ofp_table_stats_reply(xid=43, stats=[
        v13.ofp_table_stats(table_id=0, active_count=4, lookup_count=1000, matched_count=900),
        v13.ofp_table_stats(table_id=1, active_count=2, lookup_count=100, matched_count=77)])
    s["port_stats_request"] = v13.ofp_port_stats_request(xid=44, port_no=7)
    s["port_stats_reply"] = v13.ofp_port_stats_reply(xid=44, stats=[
        v13.ofp_port_stats(port_no=7, rx_packets=11, tx_packets=12, rx_bytes=1100,
                           tx_bytes=1200, rx_dropped=1, tx_dropped=2, rx_errors=3, tx_errors=4,
                           rx_frame_err=5, rx_over_err=6, rx_crc_err=7, collisions=8,
                           duration_sec=90, duration_nsec=9)])
    s["queue_stats_request"] = v13.ofp_queue_stats_request(xid=45, port_no=3, queue_id=2)
    s["queue_stats_reply"] = v13.ofp_queue_stats_reply(xid=45, stats=[
        v13.ofp_queue_stats(port_no=3, queue_id=2, tx_bytes=999, tx_packets=88, tx_errors=7,
                            duration_sec=66, duration_nsec=6)])
    s["group_stats_request"] = v13.ofp_group_stats_request(xid=46, group_id=12)
    s["group_stats_reply"] = v13.ofp_group_stats_reply(xid=46, stats=[
        v13.ofp_group_stats(group_id=12, ref_count=2, packet_count=30, byte_count=3000,
                            duration_sec=40, duration_nsec=4, bucket_stats=[
                                v13.ofp_bucket_counter(packet_count=10, byte_count=1000),
                                v13.ofp_bucket_counter(packet_count=20, byte_count=2000)])])
    s["group_desc_request"] = v13.ofp_group_desc_request(xid=47)
    s["group_desc_reply"] = v13.ofp_group_desc_reply(xid=47, stats=[
        v13.ofp_group_desc(type="OFPGT_SELECT", group_id=12, buckets=BUCKETS),
        v13.ofp_group_desc(type="OFPGT_INDIRECT", group_id=14, buckets=[
            v13.ofp_bucket(actions=[v13.ofp_action_output(port=9)])])])
    s["group_features_request"] = v13.ofp_group_features_request(xid=48)
    s["group_features_reply"] = v13.ofp_group_features_reply(
        xid=48, types=0xF, capabilities="OFPGFC_SELECT_WEIGHT|OFPGFC_CHAINING",
        max_groups=[100, 200, 300, 400], actions=[0x1, 0x10001, 0x400001, 0x1])
    s["meter_stats_request"] = v13.ofp_meter_stats_request(xid=49, meter_id=11)
    s["meter_stats_reply"] = v13.ofp_meter_stats_reply(xid=49, stats=[
        v13.ofp_meter_stats(meter_id=11, flow_count=3, packet_in_count=44, byte_in_count=4400,
                            duration_sec=50, duration_nsec=5, band_stats=[
                                v13.ofp_meter_band_stats(packet_band_count=4,
                                                         byte_band_count=400)])])
    s["meter_config_request"] = v13.ofp_meter_config_request(xid=50, meter_id=11)
    s["meter_config_reply"] = v13.ofp_meter_config_reply(xid=50, stats=[
        v13.ofp_meter_config(flags="OFPMF_KBPS|OFPMF_STATS", meter_id=11, bands=BANDS)])
    s["meter_features_request"] = v13.ofp_meter_features_request(xid=51)
    s["meter_features_reply"] = v13.ofp_meter_features_reply(
        xid=51, max_meter=1024, band_types=0x6, capabilities="OFPMF_KBPS|OFPMF_PKTPS",
        max_bands=8, max_color=4)
    s["table_features_request_empty"] = v13.ofp_table_features_request(xid=52)
    s["table_features_request"] = v13.ofp_table_features_request(xid=53,
                                                                 stats=[TABLE_FEATURES])
    s["table_features_reply"] = v13.ofp_table_features_reply(xid=53, stats=[TABLE_FEATURES])
    s["table_features_reply_experimenter"] = v13.ofp_table_features_reply(
        xid=54, stats=[TABLE_FEATURES_EXPERIMENTER])
    s["port_desc_request"] = v13.ofp_port_desc_request(xid=55)
    s["port_desc_reply"] = v13.ofp_port_desc_reply(xid=55, stats=[
        PORT, v13.ofp_port(port_no="OFPP_LOCAL", hw_addr="02:00:00:00:00:01", name="br0",
                           config="OFPPC_PORT_DOWN", state="OFPPS_LINK_DOWN")])
    s["experimenter_multipart_request"] = v13.ofp_experimenter_multipart_request(
        xid=56, experimenter=0xABCDEF, exp_type=3, _tail=b"request-body")
    s["experimenter_multipart_reply"] = v13.ofp_experimenter_multipart_reply(
        xid=56, experimenter=0xABCDEF, exp_type=3, _tail=b"reply-body", **more)
    s["unknown_multipart_request"] = v13.ofp_multipart_request(xid=57, multipart_type=119)
    s["unknown_multipart_reply"] = v13.ofp_multipart_reply(xid=57, multipart_type=200,
                                                           _tail=b"\x01\x02")


SAMPLES: dict[str, Struct] = _samples()

_BARRIER = "OFPT_BARRIER_REQUEST (OF1.3) (xid=0x77)"

OVS_EXPECT: dict[str, tuple[str, ...]] = {
    "hello": ("OFPT_HELLO (OF1.3) (xid=0x1)", "version bitmap: 0x01, 0x04"),
    "hello_empty": ("OFPT_HELLO (OF1.3) (xid=0x2)",),
    "error_hello_failed": ("OFPT_ERROR (OF1.3) (xid=0x4): OFPHFC_INCOMPATIBLE",
                           "no common version"),
    "error_bad_request": ("OFPBRC_MULTIPART_BUFFER_OVERFLOW", _BARRIER),
    "error_bad_action": ("OFPBAC_BAD_SET_ARGUMENT", _BARRIER),
    "error_bad_instruction": ("OFPBIC_EPERM", _BARRIER),
    "error_bad_match": ("OFPBMC_EPERM", _BARRIER),
    "error_flow_mod_failed": ("OFPFMFC_BAD_FLAGS", _BARRIER),
    "error_group_mod_failed": ("OFPGMFC_EPERM", _BARRIER),
    "error_port_mod_failed": ("OFPPMFC_EPERM", _BARRIER),
    "error_table_mod_failed": ("OFPTMFC_EPERM", _BARRIER),
    "error_queue_op_failed": ("OFPQOFC_EPERM", _BARRIER),
    "error_switch_config_failed": ("OFPSCFC_EPERM", _BARRIER),
    "error_role_request_failed": ("OFPRRFC_BAD_ROLE", _BARRIER),
    "error_meter_mod_failed": ("OFPMMFC_OUT_OF_BANDS", _BARRIER),
    "error_table_features_failed": ("OFPTFFC_EPERM", _BARRIER),
    # Nicira's experimenter error 12 is OVS's NXFMFC_HARDWARE.
    "error_experimenter": ("OFPT_ERROR (OF1.3) (xid=0x6): NXFMFC_HARDWARE", _BARRIER),
    "echo_request": ("OFPT_ECHO_REQUEST (OF1.3) (xid=0x7): 9 bytes of payload", "|ping-data"),
    "echo_reply": ("OFPT_ECHO_REPLY (OF1.3) (xid=0x8): 9 bytes of payload", "|pong-data"),
    "features_request": ("OFPT_FEATURES_REQUEST (OF1.3) (xid=0xa)",),
    "features_reply": ("dpid:0000123456789abc", "n_tables:254, n_buffers:256, auxiliary_id:1",
                       "capabilities: FLOW_STATS PORT_STATS QUEUE_STATS"),
    "get_config_request": ("OFPT_GET_CONFIG_REQUEST (OF1.3) (xid=0xc)",),
    "get_config_reply": ("(xid=0xd): frags=drop miss_send_len=300",),
    "set_config": ("OFPT_SET_CONFIG (OF1.3) (xid=0xe): frags=reassemble miss_send_len=1500",),
    "packet_in": ("table_id=4 cookie=0xc0ffee total_len=42 metadata=0x55,in_port=3 (via action)",
                  "buffer=0x00001234", "dl_src=aa:bb:cc:dd:ee:01"),
    "packet_in_no_buffer": ("table_id=1", "in_port=2 (via invalid_ttl)", "(unbuffered)"),
    "flow_removed": ("priority=1234,tcp,in_port=3,nw_dst=10.1.2.0/24,tp_dst=8080",
                     "reason=hard table_id=5 cookie:0xabc duration61.000005s idle10 hard60",
                     "pkts17 bytes1700"),
    "port_status": ("MOD: 7(veth-seven): addr:aa:bb:cc:dd:ee:01", "config:     NO_FWD",
                    "state:      LIVE", "current:    10GB-FD FIBER", "advertised: 1GB-FD",
                    "supported:  1GB-FD 10GB-FD", "speed: 10000 Mbps now, 10000 Mbps max"),
    "packet_out": ("in_port=1 actions=output:2,set_field:aa:bb:cc:dd:ee:01->eth_dst,FLOOD",
                   "data_len=42"),
    "packet_out_buffered": ("in_port=1 actions=output:3 buffer=0x00000099",),
    "flow_mod": ("ADD table:1 priority=222,tcp,in_port=3,nw_dst=10.1.2.0/24,tp_dst=8080",
                 "cookie:0xfeed idle:30 hard:300 send_flow_rem check_overlap",
                 "actions=meter:5,set_field:192.168.7.9->ip_src,output:4,clear_actions,"
                 "write_actions(group:9),write_metadata:0x1234/0xffff,goto_table:3"),
    "flow_mod_mpls_actions": ("priority=8,mpls", "actions=set_mpls_ttl(33),dec_mpls_ttl,"
                              "pop_mpls:0x86dd,output:2"),
    "flow_mod_vlan_actions": ("priority=9,dl_vlan=99", "actions=set_field:4194->vlan_vid,"
                              "pop_vlan,push_vlan:0x88a8,push_mpls:0x8848"),
    "flow_mod_ip_actions": ("priority=10,ip", "actions=write_actions(mod_nw_ttl:17,dec_ttl,"
                            "set_queue:7,CONTROLLER:200)"),
    "flow_mod_delete": ("DEL_STRICT table:255 priority=333,tcp,in_port=3",
                        "cookie:0x10/0xf0 out_port:8"),
    "group_mod": ("ADD group_id=12,type=select,bucket=weight:3,actions=output:5,"
                  "bucket=weight:7,actions=set_field:aa:bb:cc:dd:ee:01->eth_dst,output:6",),
    "group_mod_ff": ("MOD group_id=13,type=ff,bucket=watch_port:4,actions=output:4,"
                     "bucket=watch_group:12,actions=group:12",),
    "group_mod_delete": ("DEL group_id=4294967292,type=all",),
    "port_mod": ("port: 7: addr:aa:bb:cc:dd:ee:01", "config: PORT_DOWN NO_PACKET_IN",
                 "mask:   PORT_DOWN NO_RECV NO_PACKET_IN", "advertise: 100MB-FD"),
    "table_mod": ("OFPT_TABLE_MOD (OF1.3) (xid=0x1b): table_id=6",),
    "role_request": ("role=secondary generation_id=73588229205",),
    "role_reply": ("role=primary generation_id=77",),
    "get_async_request": ("OFPT_GET_ASYNC_REQUEST (OF1.3) (xid=0x1e)",),
    "get_async_reply": ("PACKET_IN: no_match invalid_ttl", "PORT_STATUS: add delete modify",
                        "FLOW_REMOVED: idle hard delete group_delete",
                        "PORT_STATUS: delete\n    FLOW_REMOVED: delete"),
    "set_async": ("OFPT_SET_ASYNC (OF1.3) (xid=0x20)", "PACKET_IN: no_match invalid_ttl",
                  "FLOW_REMOVED: idle hard delete group_delete"),
    "meter_mod": ("ADD meter=11 kbps burst stats bands=", "type=drop rate=1000 burst_size=100",
                  "type=dscp_remark rate=500 burst_size=50 prec_level=2"),
    "barrier_request": ("OFPT_BARRIER_REQUEST (OF1.3) (xid=0x23)",),
    "barrier_reply": ("OFPT_BARRIER_REPLY (OF1.3) (xid=0x24)",),
    "queue_get_config_request": ("(xid=0x25): port=3",),
    "queue_get_config_reply": ("(xid=0x26): port=3", "queue 1: min_rate:10.0% max_rate:70.0%",
                               "queue 2: max_rate:25.0%", "queue 3:"),
    "desc_request": ("OFPST_DESC request (OF1.3) (xid=0x28)",),
    "desc_reply": ("Manufacturer: Maker Inc.", "Hardware: Box 9000", "Software: fw 1.2.3",
                   "Serial Num: SN-0042", "DP Description: the test datapath"),
    "flow_stats_request": ("flags=[more] table=2 out_port=5 tcp,in_port=3,nw_dst=10.1.2.0/24",),
    "flow_stats_reply": ("cookie=0xbeef, duration=100.0000005s, table=2, n_packets=55, "
                         "n_bytes=5500, idle_timeout=11, hard_timeout=22, send_flow_rem "
                         "priority=444", "actions=set_field:192.168.7.9->ip_src,output:4",
                         "n_packets=1, n_bytes=64, priority=0 actions=drop"),
    "aggregate_stats_request": ("table=3 out_port=7 tcp,in_port=3",),
    "aggregate_stats_reply": ("packet_count=123 byte_count=45678 flow_count=9",),
    "table_stats_request": ("OFPST_TABLE request (OF1.3) (xid=0x2b)",),
    "table_stats_reply": ("table 0:\n    active=4, lookup=1000, matched=900",
                          "table 1:\n    active=2, lookup=100, matched=77"),
    "port_stats_request": ("OFPST_PORT request (OF1.3) (xid=0x2c): port_no=7",),
    "port_stats_reply": ("port  7: rx pkts=11, bytes=1100, drop=1, errs=3, frame=5, over=6, "
                         "crc=7", "tx pkts=12, bytes=1200, drop=2, errs=4, coll=8",
                         "duration=90.000000009s"),
    "queue_stats_request": ("port=3 queue=2",),
    "queue_stats_reply": ("port 3 queue 2: bytes=999, pkts=88, errors=7, "
                          "duration=66.000000006s",),
    "group_stats_request": ("OFPST_GROUP request (OF1.3) (xid=0x2e): group_id=12",),
    "group_stats_reply": ("group_id=12,duration=40.000000004s,ref_count=2,packet_count=30,"
                          "byte_count=3000,bucket0:packet_count=10,byte_count=1000,"
                          "bucket1:packet_count=20,byte_count=2000",),
    "group_desc_request": ("OFPST_GROUP_DESC request (OF1.3) (xid=0x2f)",),
    "group_desc_reply": ("group_id=12,type=select,bucket=weight:3,actions=output:5",
                         "group_id=14,type=indirect,bucket=actions=output:9"),
    "group_features_request": ("OFPST_GROUP_FEATURES request (OF1.3) (xid=0x30)",),
    "group_features_reply": ("Types:  0xf", "Capabilities:  0x5", "max_groups=0x64",
                             "max_groups=0x190", "actions: output dec_mpls_ttl",
                             "actions: output group"),
    "meter_stats_request": ("OFPST_METER request (OF1.3) (xid=0x31): meter=11",),
    "meter_stats_reply": ("meter:11 flow_count:3 packet_in_count:44 byte_in_count:4400 "
                          "duration:50.000000005s", "0: packet_count:4 byte_count:400"),
    "meter_config_request": ("OFPST_METER_CONFIG request (OF1.3) (xid=0x32): meter=11",),
    "meter_config_reply": ("meter=11 kbps stats bands=", "type=drop rate=1000",
                           "type=dscp_remark rate=500 prec_level=2"),
    "meter_features_request": ("OFPST_METER_FEATURES request (OF1.3) (xid=0x33)",),
    "meter_features_reply": ("max_meter:1024 max_bands:8 max_color:4",
                             "band_types: drop dscp_remark", "capabilities: kbps pktps"),
    "table_features_request_empty": ("OFPST_TABLE_FEATURES request (OF1.3) (xid=0x34)",),
    "table_features_request": ('table 2 ("table-two")', "metadata: match=0xff write=0xf0",
                               "max_entries=4096", "next tables: 3-5", "next tables: 6",
                               "instructions: meter apply_actions clear_actions write_actions "
                               "write_metadata goto_table", "actions: output push_vlan",
                               "actions: output strip_vlan", "actions: group",
                               "supported on Set-Field: eth_src",
                               "supported on Set-Field: eth_dst",
                               "arbitrary mask: ip_dst", "must exact match: in_port_oxm"),
    "table_features_reply": ("OFPST_TABLE_FEATURES reply", 'table 2 ("table-two")',
                             "next tables: 3-5", "instructions: apply_actions",
                             "arbitrary mask: ip_dst"),
    "port_desc_request": ("OFPST_PORT_DESC request (OF1.3) (xid=0x37): port=ANY",),
    "port_desc_reply": ("7(veth-seven): addr:aa:bb:cc:dd:ee:01", "current:    10GB-FD FIBER",
                        "LOCAL(br0): addr:02:00:00:00:00:01", "state:      LINK_DOWN"),
}
