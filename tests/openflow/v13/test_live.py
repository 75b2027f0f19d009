"""A real Open vSwitch 3.1 bridge (OpenFlow 1.3 only) accepts what we build and answers
with messages that parse into specific classes and re-serialize byte-identically."""

from __future__ import annotations

from collections import Counter
from typing import Any

from tests.ofcorpus.recorder import ControllerListener, OpenFlowConnection
from vlcp_core.namedstruct import Struct
from vlcp_core.openflow import decode_message, v13
from workbench.lab import Lab

from .samples import MAC, oxm

BARRIER_XID = 0xBBBB


def _ask(conn: OpenFlowConnection, msg: Struct) -> list[Any]:
    """Send *msg* then a barrier; every message that came back before the barrier reply."""
    conn.send(bytes(msg))
    conn.send(bytes(v13.ofp_barrier_request(xid=BARRIER_XID)))
    out: list[Any] = []
    while True:
        data = conn.receive()
        reply = decode_message(data)
        assert bytes(reply) == data
        if isinstance(reply, v13.ofp_barrier_reply) and reply.xid == BARRIER_XID:
            return out
        if not isinstance(reply, v13.ofp_echo_request):
            out.append(reply)


def _walk(obj: object) -> list[Struct]:
    found: list[Struct] = []
    if isinstance(obj, Struct):
        found.append(obj)
        for name, _ in obj._ns_info.fields:
            found.extend(_walk(getattr(obj, name)))
    elif isinstance(obj, list):
        for item in obj:
            found.extend(_walk(item))
    return found


def test_conversation_with_ovs(lab: Lab) -> None:
    with ControllerListener() as listener:
        lab.add_bridge("br13", ports=2, protocols=["OpenFlow13"])
        lab.set_controller("br13", listener.target)
        conn = listener.accept()
        hello = decode_message(conn.expect("hello"))
        assert isinstance(hello.elements[0], v13.ofp_hello_elem_versionbitmap)
        conn.send(bytes(v13.ofp_hello(xid=1, elements=[
            v13.ofp_hello_elem_versionbitmap(bitmaps=[1 << 4])])))

        # Modifications: no answer but the barrier reply means accepted.
        group = v13.ofp_group_mod(xid=2, group_type="OFPGT_SELECT", group_id=12, buckets=[
            v13.ofp_bucket(weight=3, actions=[v13.ofp_action_output(port=1)]),
            v13.ofp_bucket(weight=7, actions=[
                v13.ofp_action_set_field(field=oxm("eth_dst", MAC)),
                v13.ofp_action_output(port=2)])])
        assert _ask(conn, group) == []
        meter = v13.ofp_meter_mod(xid=3, flags="OFPMF_KBPS|OFPMF_BURST|OFPMF_STATS",
                                  meter_id=5, bands=[
                                      v13.ofp_meter_band_drop(rate=1000, burst_size=100)])
        assert _ask(conn, meter) == []
        flow = v13.ofp_flow_mod(
            xid=4, cookie=0xFEED, table_id=0, priority=222, flags="OFPFF_SEND_FLOW_REM",
            match=v13.ofp_match(oxm_fields=[
                oxm("in_port", 1), oxm("eth_type", 0x0800),
                oxm("ip_dst", "10.1.2.0", "255.255.255.0")]),
            instructions=[
                v13.ofp_instruction_meter(meter_id=5),
                v13.ofp_instruction_apply_actions(actions=[
                    v13.ofp_action_set_field(field=oxm("ip_src", "192.168.7.9")),
                    v13.ofp_action_dec_nw_ttl()]),
                v13.ofp_instruction_write_actions(actions=[v13.ofp_action_group(group_id=12)]),
                v13.ofp_instruction_write_metadata(metadata=0x12, metadata_mask=0xFF),
                v13.ofp_instruction_goto_table(table_id=3)])
        assert _ask(conn, flow) == []
        assert _ask(conn, v13.ofp_set_config(xid=5, flags="OFPC_FRAG_DROP",
                                             miss_send_len=300)) == []

        [config] = _ask(conn, v13.ofp_get_config_request(xid=6))
        assert isinstance(config, v13.ofp_get_config_reply) and config.miss_send_len == 300
        [stats] = _ask(conn, v13.ofp_flow_stats_request(xid=7))
        assert isinstance(stats, v13.ofp_flow_stats_reply)
        [entry] = stats.stats
        assert entry.cookie == 0xFEED and entry.priority == 222
        assert entry.match == flow.match
        assert entry.instructions == flow.instructions
        [desc] = _ask(conn, v13.ofp_group_desc_request(xid=8))
        assert isinstance(desc, v13.ofp_group_desc_reply)
        assert desc.stats[0].group_id == 12 and desc.stats[0].buckets == group.buckets
        [meters] = _ask(conn, v13.ofp_meter_config_request(xid=9))
        assert isinstance(meters, v13.ofp_meter_config_reply)
        assert meters.stats[0].meter_id == 5 and meters.stats[0].bands == meter.bands

        # Errors come back as the subtype of their type.
        [error] = _ask(conn, v13.ofp_meter_stats_request(xid=10, meter_id=77))
        assert isinstance(error, v13.ofp_error_meter_mod_failed)
        assert error.code == v13.ofp_meter_mod_failed_code.OFPMMFC_UNKNOWN_METER

        replies = [
            _ask(conn, request)
            for request in (v13.ofp_group_features_request(xid=11),
                            v13.ofp_meter_features_request(xid=12),
                            v13.ofp_group_stats_request(xid=13),
                            v13.ofp_queue_get_config_request(xid=14, port=1),
                            v13.ofp_role_request(xid=15, role="OFPCR_ROLE_MASTER",
                                                 generation_id=5),
                            v13.ofp_get_async_request(xid=16),
                            v13.ofp_desc_request(xid=17))
        ]
        kinds = [type(r[0]) for r in replies]
        assert kinds == [v13.ofp_group_features_reply, v13.ofp_meter_features_reply,
                         v13.ofp_group_stats_reply, v13.ofp_queue_get_config_reply,
                         v13.ofp_role_reply, v13.ofp_get_async_reply, v13.ofp_desc_reply]
        assert replies[4][0].role == v13.ofp_controller_role.OFPCR_ROLE_MASTER

        # Table features: OVS answers in many parts; every property is a known class.
        parts = _ask(conn, v13.ofp_table_features_request(xid=18))
        assert parts and all(isinstance(p, v13.ofp_table_features_reply) for p in parts)
        assert all(p.flags == 1 for p in parts[:-1]) and parts[-1].flags == 0
        tables = [t for p in parts for t in p.stats]
        assert [t.table_id for t in tables] == list(range(len(tables)))
        everything = [s for p in parts for s in _walk(p)]
        assert not [s for s in everything if s._tail]
        found = Counter(type(s)._ns_info.name for s in everything)
        for name in ("ofp_table_feature_prop_instructions", "ofp_table_feature_prop_next_tables",
                     "ofp_table_feature_prop_actions", "ofp_table_feature_prop_oxm"):
            assert found[name] >= len(tables), name
        experimenter_ids = [s for s in everything
                            if isinstance(s, v13.ofp_oxm_id) and s.oxm_class == 0xFFFF]
        assert all(s.experimenter is not None for s in experimenter_ids)
        conn.close()
