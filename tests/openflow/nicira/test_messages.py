"""Nicira messages (NXT_*, NXST_*, ONF flow monitoring) in OpenFlow 1.0 and 1.3: every
class round-trips (compiled == interpreted, dump/load, pickle), ``ovs-ofctl ofp-print``
decodes what we build and shows our values, and what ``ovs-ofctl`` sends (recorded with
the stub switch) parses into the specific classes and re-serializes byte for byte."""

from __future__ import annotations

import copy
import pickle
import struct
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from vlcp_core.namedstruct import Struct
from vlcp_core.namedstruct import dump as ns_dump
from vlcp_core.namedstruct import load as ns_load
from vlcp_core.openflow import decode_message, dump, load, ofp_oxm, parse_message, v10, v13
from vlcp_core.openflow.nicira import (
    NX_VENDOR_ID,
    messages10,
    messages13,
    nicira_header10,
    nicira_stats_reply10,
    nicira_stats_request10,
)

from ...namedstruct.helpers import check_struct
from ..oracle import assert_ovs_decodes
from ..stub_switch import empty_stats_reply, record_ovs_ofctl

M10, M13 = messages10, messages13
ROOT = {1: v10.ofp_header, 4: v13.ofp_header}
MODULES = {1: messages10, 4: messages13}
ARP = bytes.fromhex("ffffffffffff000000000002080600010800060400010000000000020a000002"
                    "0000000000000a000001")
UUID = bytes(range(16))


def tlv(text: str) -> Struct:
    """An NXM/OXM TLV from its hex (whatever class the field table gives it)."""
    found: Struct = ofp_oxm.create(bytes.fromhex(text.replace(" ", "")))
    return found


# NXM_OF_ETH_TYPE=0x0800, NXM_OF_IP_PROTO=6, NXM_OF_TCP_DST=80, NXM_NX_REG0=5: what
# ovs-ofctl writes for "tcp,reg0=5,tp_dst=80" (in its order).
TCP_REG0 = ["0000 0602 0800", "0000 0c01 06", "0000 1402 0050", "0001 0004 00000005"]
REG0 = ["0001 0004 00000005"]
IN_PORT_OXM = "8000 0004 00000001"


def match(*fields: str) -> list[Struct]:
    return [tlv(f) for f in fields]


def actions(version: int) -> list[Struct]:
    if version == 1:
        return [v10.ofp_action_output(port=2)]
    return [v13.ofp_action_output(port=2)]


def program(version: int) -> dict[str, list[Struct]]:
    """What follows an NXT_FLOW_MOD match: actions in 1.0, instructions in 1.3."""
    if version == 1:
        return {"actions": actions(1)}
    return {"instructions": [v13.ofp_instruction_apply_actions(actions=actions(4))]}


def continuation(m: ModuleType, version: int) -> Any:
    output = bytes(actions(version)[0])
    return m.nxpint_continuation(properties=[
        m.nxcpt_bridge(bridge=UUID), m.nxcpt_stack(stack=b"\x01\x02"),
        m.nxcpt_mirrors(mirrors=3), m.nxcpt_conntracked(), m.nxcpt_table_id(table_id=4),
        m.nxcpt_cookie(cookie=0xC0C0), m.nxcpt_actions(actions=output),
        m.nxcpt_action_set(actions=output), m.nxcpt_odp_port(odp_port=100),
        m.nx_continuation_prop(type=0x80FF, _tail=b"unknown"),
    ])


def packet_in2_properties(m: ModuleType, version: int) -> list[Any]:
    return [
        m.nxpint_packet(data=ARP), m.nxpint_full_len(full_len=100),
        m.nxpint_buffer_id(buffer_id=0x77), m.nxpint_table_id(table_id=3),
        m.nxpint_cookie(cookie=0xABCD), m.nxpint_reason(reason="OFPR_ACTION"),
        m.nxpint_metadata(fields=match(IN_PORT_OXM, *REG0)),
        m.nxpint_userdata(userdata=b"\x01\x02\x03"), continuation(m, version),
    ]


def common_samples(m: ModuleType, version: int) -> dict[str, tuple[Any, tuple[str, ...]]]:
    """name -> (message, what ofp-print must show); the classes of both versions."""
    return {
        "role_request": (m.nxt_role_request(xid=7, role="NX_ROLE_MASTER"),
                         ("NXT_ROLE_REQUEST", "(xid=0x7): role=primary")),
        "role_reply": (m.nxt_role_reply(xid=8, role="NX_ROLE_SLAVE"),
                       ("NXT_ROLE_REPLY", "role=secondary")),
        "flow_mod": (m.nxt_flow_mod(
            xid=9, cookie=0x11, table_id=1, command="OFPFC_MODIFY_STRICT", idle_timeout=3,
            hard_timeout=4, priority=7, out_port=5, flags="OFPFF_SEND_FLOW_REM",
            match=match(*TCP_REG0), **program(version)),
            ("NXT_FLOW_MOD", "MOD_STRICT table:1 priority=7,tcp,reg0=0x5,tp_dst=80 cookie:0x11 "
             "idle:3 hard:4 out_port:5 send_flow_rem actions=output:2")),
        "flow_mod_delete": (m.nxt_flow_mod(xid=10, command="OFPFC_DELETE", match=match(*REG0)),
                            ("NXT_FLOW_MOD", "DEL reg0=0x5 actions=drop")),
        "flow_removed": (m.nxt_flow_removed(
            cookie=0xFEED, priority=9, reason="OFPRR_HARD_TIMEOUT", table_id=2,
            duration_sec=5, duration_nsec=6, idle_timeout=7, packet_count=8, byte_count=900,
            match=match(*TCP_REG0)),
            ("NXT_FLOW_REMOVED", "priority=9,tcp,reg0=0x5,tp_dst=80 reason=hard table_id=1",
             "cookie:0xfeed duration5.000000006s idle7 pkts8 bytes900")),
        "flow_mod_table_id": (m.nxt_flow_mod_table_id(xid=11),
                              ("NXT_FLOW_MOD_TABLE_ID", "enable")),
        "set_packet_in_format": (m.nxt_set_packet_in_format(xid=12),
                                 ("NXT_SET_PACKET_IN_FORMAT", "format=nxt_packet_in2")),
        "packet_in": (m.nxt_packet_in(
            xid=0, total_len=len(ARP), reason="OFPR_NO_MATCH", table_id=3, cookie=0x42,
            match=match("0000 0002 0001", *REG0), data=ARP),
            ("NXT_PACKET_IN", "total_len=42 reg0=0x5,in_port=1 (via no_match) data_len=42",
             "table_id=3 cookie=0x42", "arp_spa=10.0.0.2")),
        "flow_age": (m.nxt_flow_age(xid=13), ("NXT_FLOW_AGE",)),
        "set_async_config": (m.nxt_set_async_config(
            xid=14, packet_in_mask=[0x3, 0x1], port_status_mask=[0x7, 0x0],
            flow_removed_mask=[0xF, 0x2]),
            ("NXT_SET_ASYNC_CONFIG", "PACKET_IN: no_match action",
             "FLOW_REMOVED: idle hard delete group_delete")),
        "set_controller_id": (m.nxt_set_controller_id(xid=15, controller_id=1234),
                              ("NXT_SET_CONTROLLER_ID", "id=1234")),
        "tlv_table_mod": (m.nxt_tlv_table_mod(
            xid=16, command="NXTTMC_ADD", mappings=[
                m.nx_tlv_map(option_class=0xFFFF, option_type=1, option_len=4, index=0),
                m.nx_tlv_map(option_class=0x0102, option_type=3, option_len=8, index=5)]),
            ("NXT_TLV_TABLE_MOD", "ADD mapping table:", "0xffff   0x1       4  tun_metadata0",
             "0x102   0x3       8  tun_metadata5")),
        "tlv_table_request": (m.nxt_tlv_table_request(xid=17), ("NXT_TLV_TABLE_REQUEST",)),
        "tlv_table_reply": (m.nxt_tlv_table_reply(
            xid=18, max_option_space=256, max_fields=64, mappings=[
                m.nx_tlv_map(option_class=0xFFFF, option_type=0, option_len=4, index=0)]),
            ("NXT_TLV_TABLE_REPLY", "max option space=256 max fields=64",
             "allocated option space=4", "0xffff     0       4  tun_metadata0")),
        "set_async_config2": (m.nxt_set_async_config2(xid=19, properties=[
            m.nx_async_config_prop_reasons(type="OFPACPT_PACKET_IN_MASTER", mask=0x3),
            m.nx_async_config_prop_reasons(type="OFPACPT_FLOW_REMOVED_SLAVE", mask=0x1)]),
            ("NXT_SET_ASYNC_CONFIG2", "PACKET_IN: no_match action", "FLOW_REMOVED: idle")),
        "resume": (m.nxt_resume(xid=20, properties=packet_in2_properties(m, version)),
                   ("NXT_RESUME", "cookie=0xabcd total_len=100 reg0=0x5,in_port=1",
                    "(via action) data_len=42 buffer=0x00000077", "userdata=01.02.03",
                    # (the UUID is in the switch's byte order: four native 32-bit words)
                    "continuation.bridge=03020100-0706-0504-0b0a-09080f0e0d0c",
                    "continuation.stack=(top) 0x102 (bottom)",
                    "continuation.mirrors=0x3", "continuation.conntracked=true",
                    "continuation.actions=unroll_xlate(table=4, cookie=49344),output:2",
                    "continuation.action_set=output:2", "continuation.odp_port=100")),
        "ct_flush_zone": (m.nxt_ct_flush_zone(xid=21, zone_id=9),
                          ("NXT_CT_FLUSH_ZONE", "zone_id=9")),
        "packet_in2": (m.nxt_packet_in2(xid=0, properties=[
            m.nxpint_packet(data=ARP), m.nxpint_full_len(full_len=len(ARP)),
            m.nxpint_table_id(table_id=7), m.nxpint_cookie(cookie=0x99),
            m.nxpint_reason(reason="OFPR_NO_MATCH"),
            m.nxpint_metadata(fields=match(IN_PORT_OXM)), m.nxpint_userdata(userdata=b"hi")]),
            ("NXT_PACKET_IN2", "table_id=7 cookie=0x99 total_len=42 in_port=1 (via no_match) "
             "data_len=42 (unbuffered)", "userdata=68.69", "arp_spa=10.0.0.2")),
    }


def samples10() -> dict[str, tuple[Any, tuple[str, ...]]]:
    m = messages10
    s = common_samples(m, 1)
    s |= {
        "set_flow_format": (m.nxt_set_flow_format(xid=30), ("NXT_SET_FLOW_FORMAT", "format=nxm")),
        "set_flow_format_of10": (m.nxt_set_flow_format(xid=31, format="NXFF_OPENFLOW10"),
                                 ("format=openflow10",)),
        "flow_monitor_cancel": (m.nxt_flow_monitor_cancel(xid=32, id=3),
                                ("NXT_FLOW_MONITOR_CANCEL", "id=3")),
        "flow_monitor_paused": (m.nxt_flow_monitor_paused(xid=33), ("NXT_FLOW_MONITOR_PAUSED",)),
        "flow_monitor_resumed": (m.nxt_flow_monitor_resumed(xid=34),
                                 ("NXT_FLOW_MONITOR_RESUMED",)),
        "flow_stats_request": (m.nxst_flow_request(xid=35, table_id=2, out_port=3,
                                                   match=match(*TCP_REG0)),
                               ("NXST_FLOW request", "table=2 out_port=3 tcp,reg0=0x5,tp_dst=80")),
        "flow_stats_reply": (m.nxst_flow_reply(xid=36, stats=[
            m.nx_flow_stats(table_id=1, duration_sec=2, duration_nsec=3, priority=4,
                            idle_timeout=5, hard_timeout=6, idle_age=8, hard_age=9,
                            cookie=0x10, packet_count=11, byte_count=12,
                            match=match(*TCP_REG0), actions=actions(1)),
            m.nx_flow_stats(priority=0x8000)]),
            ("NXST_FLOW reply", "cookie=0x10, duration=2.000000003s, table=1, n_packets=11, "
             "n_bytes=12, idle_timeout=5, hard_timeout=6, idle_age=7, hard_age=8, "
             "priority=4,tcp,reg0=0x5,tp_dst=80 actions=output:2", "actions=drop")),
        "aggregate_request": (m.nxst_aggregate_request(xid=37, match=match(*REG0)),
                              ("NXST_AGGREGATE request", "reg0=0x5")),
        "aggregate_reply": (m.nxst_aggregate_reply(xid=38, packet_count=1, byte_count=2,
                                                   flow_count=3),
                            ("NXST_AGGREGATE reply", "packet_count=1 byte_count=2 flow_count=3")),
        "flow_monitor_request": (m.nxst_flow_monitor_request(xid=39, monitors=[
            m.nx_flow_monitor_request(id=1, flags="NXFMF_INITIAL|NXFMF_ADD|NXFMF_ACTIONS",
                                      table_id=3, out_port=2, match=match(*REG0)),
            m.nx_flow_monitor_request(id=2, flags="NXFMF_DELETE")]),
            ("NXST_FLOW_MONITOR request", "id=1 flags=initial,add,actions out_port=2 table=3 "
             "reg0=0x5", "id=2 flags=delete")),
        "flow_monitor_reply": (m.nxst_flow_monitor_reply(xid=0, updates=[
            m.nx_flow_update_full(event="NXFME_ADDED", priority=5, idle_timeout=6,
                                  hard_timeout=7, table_id=1, cookie=0x22,
                                  match=match(*TCP_REG0), actions=actions(1)),
            m.nx_flow_update_full(event="NXFME_DELETED", reason="OFPRR_DELETE", table_id=2),
            m.nx_flow_update_abbrev(xid=0x1234)]),
            ("NXST_FLOW_MONITOR reply", "event=ADDED table=1 idle_timeout=6 hard_timeout=7 "
             "cookie=0x22 tcp,reg0=0x5,tp_dst=80 actions=output:2",
             "event=DELETED reason=delete table=2 cookie=0", "event=ABBREV xid=0x1234")),
    }
    return s


def samples13() -> dict[str, tuple[Any, tuple[str, ...]]]:
    m = messages13
    s = common_samples(m, 4)
    match13 = v13.ofp_match(oxm_fields=match(*REG0))
    s |= {
        "onf_monitor_cancel": (m.onft_flow_monitor_cancel(xid=40, id=3),
                               ("ONFT_FLOW_MONITOR_CANCEL", "id=3")),
        "onf_monitor_paused": (m.onft_flow_monitor_paused(xid=41),
                               ("ONFT_FLOW_MONITOR_PAUSED",)),
        "onf_monitor_resumed": (m.onft_flow_monitor_resumed(xid=42),
                                ("ONFT_FLOW_MONITOR_RESUMED",)),
        "onf_monitor_request": (m.onfst_flow_monitor_request(xid=43, monitors=[
            m.onf_flow_monitor_request(id=1, flags="NXFMF_INITIAL|NXFMF_ADD", out_port=2,
                                       table_id=3, match_len=12, match=match13),
            m.onf_flow_monitor_request(id=2, flags="NXFMF_MODIFY")]),
            ("ONFST_FLOW_MONITOR request", "id=1 flags=initial,add out_port=2 table=3 reg0=0x5",
             "id=2 flags=modify")),
        "onf_monitor_reply": (m.onfst_flow_monitor_reply(xid=0, updates=[
            m.onf_flow_update_full(event="NXFME_MODIFIED", priority=5, table_id=1, cookie=0x22,
                                   match_len=12, match=match13, instructions=[
                                       v13.ofp_instruction_apply_actions(actions=actions(4))]),
            m.onf_flow_update_full(event="NXFME_DELETED", reason="OFPRR_IDLE_TIMEOUT",
                                   match_len=4),
            m.onf_flow_update_abbrev(xid=0x99)]),
            ("ONFST_FLOW_MONITOR reply", "event=MODIFIED table=1 cookie=0x22 reg0=0x5 "
             "actions=output:2", "event=DELETED reason=idle table=0 cookie=0",
             "event=ABBREV xid=0x99")),
    }
    return s


SAMPLES = {1: samples10(), 4: samples13()}
CASES = [(v, name) for v in (1, 4) for name in sorted(SAMPLES[v])]


def _public_classes(module: ModuleType) -> dict[str, type[Struct]]:
    return {n: getattr(module, n) for n in module.__all__
            if isinstance(getattr(module, n), type) and issubclass(getattr(module, n), Struct)}


@pytest.mark.parametrize(("version", "name"), CASES, ids=[f"v{v}-{n}" for v, n in CASES])
def test_round_trip_and_pickle(version: int, name: str) -> None:
    msg, _ = SAMPLES[version][name]
    data = check_struct(ROOT[version], msg)
    again = decode_message(data)
    assert type(again) is type(msg) and again == msg and bytes(again) == data
    assert type(msg).__module__ == MODULES[version].__name__
    parsed = parse_message(data + b"\x01", 0)
    assert parsed is not None and parsed == (msg, len(data))
    assert ns_load(ROOT[version], ns_dump(msg)) == msg
    # openflow.dump keeps each field's encoding (OVS name or spec name): exact.
    assert load(dump(msg)) == msg and bytes(load(dump(msg))) == data
    for copied in (pickle.loads(pickle.dumps(msg)), copy.deepcopy(msg)):
        assert type(copied) is type(msg) and copied == msg and bytes(copied) == data


@pytest.mark.parametrize(("version", "name"), CASES, ids=[f"v{v}-{n}" for v, n in CASES])
def test_ovs_decodes_what_we_build(version: int, name: str) -> None:
    msg, expected = SAMPLES[version][name]
    assert_ovs_decodes(bytes(msg), *expected)


@pytest.mark.parametrize("version", [1, 4])
def test_every_message_class_has_a_sample_and_pickles(version: int) -> None:
    module = MODULES[version]
    classes = _public_classes(module)
    sampled = {type(m) for m, _ in SAMPLES[version].values()}
    root = ROOT[version]
    messages = {c for c in classes.values() if issubclass(c, root)}
    assert messages - sampled == set()
    for name, cls in classes.items():
        assert cls._ns_info.name == name
        assert pickle.loads(pickle.dumps(cls)) is cls
        obj = cls()
        assert pickle.loads(pickle.dumps(obj)) == obj
    # One class per version from one body: same names and fields, different classes.
    if version == 4:
        common = {n for n, c in classes.items() if issubclass(c, v13.ofp_header)} & set(
            _public_classes(messages10))
        assert len(common) == 17
        for n in common:
            c10, c13 = getattr(messages10, n), getattr(messages13, n)
            assert c10 is not c13
            body10 = [f for f, _ in c10._ns_info.fields][7:]  # after the Nicira header
            body13 = [f for f, _ in c13._ns_info.fields][7:]
            if n == "nxt_flow_mod":  # actions (1.0) / instructions (1.3) after the match
                assert (body10.pop(), body13.pop()) == ("actions", "instructions")
            assert body10 == body13, n


def test_version_specific_actions_and_subtypes() -> None:
    """The NXT_FLOW_MOD actions are the version's; the subtype is in ``subtype`` (1.0)
    or ``exp_type`` (1.3); 1.0-only messages are not defined in 1.3."""
    fm10 = decode_message(bytes(M10.nxt_flow_mod(**program(1))))
    fm13 = decode_message(bytes(M13.nxt_flow_mod(**program(4))))
    assert type(fm10.actions[0]) is v10.ofp_action_output
    assert type(fm13.instructions[0].actions[0]) is v13.ofp_action_output
    assert (fm10.vendor, fm10.subtype) == (NX_VENDOR_ID, 13)
    assert (fm13.experimenter, fm13.exp_type) == (NX_VENDOR_ID, 13)
    for name in ("nxt_set_flow_format", "nxt_flow_monitor_cancel", "nxst_flow_request"):
        assert not hasattr(M13, name)
    assert issubclass(M10.nxst_flow_request, nicira_stats_request10)
    assert issubclass(M10.nxst_flow_reply, nicira_stats_reply10)
    assert issubclass(M13.onfst_flow_monitor_request, v13.ofp_experimenter_multipart_request)
    assert M13.onfst_flow_monitor_request().experimenter == 0x4F4E4600


def test_layouts_and_computed_lengths() -> None:
    fm = M10.nxt_flow_mod(match=match(*TCP_REG0), actions=actions(1))
    data = bytes(fm)
    assert fm.match_len == 25 and len(data) == 48 + 32 + 8
    assert data[48 + 25:48 + 32] == bytes(7)  # match padded to 8
    assert len(bytes(M10.nxt_flow_mod())) == 48
    assert len(bytes(M10.nxt_flow_removed())) == 56
    assert len(bytes(M10.nxt_packet_in())) == 16 + 24 + 2
    assert len(bytes(M10.nxst_flow_request())) == 32
    assert len(bytes(M10.nx_flow_stats())) == 48
    assert len(bytes(M10.nx_flow_monitor_request())) == 16
    assert len(bytes(M10.nx_flow_update_full())) == 24
    assert len(bytes(M10.nx_flow_update_abbrev())) == 8
    assert len(bytes(M10.nxt_tlv_table_reply())) == 32
    pin = M13.nxt_packet_in2(properties=packet_in2_properties(M13, 4))
    data = bytes(pin)
    assert len(data) % 8 == 0
    props = decode_message(data).properties
    assert [p.length for p in props[:6]] == [4 + len(ARP), 8, 8, 5, 16, 5]
    assert props[8].properties[3].length == 4  # a flag property: header only
    # Defaults are what ovs-ofctl sends.
    assert (fm.priority, fm.buffer_id, fm.out_port) == (0x8000, 0xFFFFFFFF, 0xFFFF)
    assert (M10.nxst_flow_request().table_id, M10.nxst_flow_request().out_port) == (0xFF, 0xFFFF)


def test_unknown_subtypes_and_properties_are_kept() -> None:
    for raw_hex in (
        "0104001400000001000023200000006300000001",  # NXT subtype 99, 1.0
        "0404001400000001000023200000006300000001",  # NXT subtype 99, 1.3
        "011100200000000affff00000000232000000063000000000102030405060708",  # NXST 99
        "0404001800000001000023200000001e0077000761626300",  # PACKET_IN2, prop 0x77
        "0404001800000001000023200000001b00420008000000ff",  # ASYNC_CONFIG2, prop 0x42
    ):
        data = bytes.fromhex(raw_hex)
        msg = decode_message(data)
        assert bytes(msg) == data
    generic = decode_message(bytes.fromhex("0104001400000001000023200000006300000001"))
    assert type(generic) is nicira_header10 and generic._tail == b"\x00\x00\x00\x01"
    pin = decode_message(bytes.fromhex("0404001800000001000023200000001e0077000761626300"))
    assert type(pin) is M13.nxt_packet_in2
    assert type(pin.properties[0]) is M13.nx_packet_in2_prop
    assert pin.properties[0]._tail == b"abc" and pin.properties[0].length == 7


def test_the_v10_sample_is_the_role_request() -> None:
    from ..v10.samples import OVS_EXPECTED
    from ..v10.samples import SAMPLES as V10

    msg = V10["vendor_nicira_role"]
    assert type(msg) is M10.nxt_role_request and msg.role == M10.nx_role.NX_ROLE_MASTER
    assert bytes(msg) == bytes.fromhex("0104001400000007000023200000000a00000001")
    assert_ovs_decodes(bytes(msg), *OVS_EXPECTED["vendor_nicira_role"])


# -- what ovs-ofctl sends (the stub switch) ------------------------------------------------


def _decoded(messages: list[bytes]) -> list[Any]:
    out = []
    for data in messages:
        msg = decode_message(data)
        assert bytes(msg) == data
        out.append(msg)
    return out


def test_ovs_ofctl_nxm_flow_in_openflow10() -> None:
    flow = "reg0=5,tcp,tp_dst=80,priority=7,cookie=0x11,idle_timeout=3,actions=output:2"
    sff, fm = _decoded(record_ovs_ofctl(["add-flow", flow], 1))
    assert type(sff) is M10.nxt_set_flow_format and sff.format == M10.nx_flow_format.NXFF_NXM
    assert type(fm) is M10.nxt_flow_mod
    ours = M10.nxt_flow_mod(xid=fm.xid, cookie=0x11, idle_timeout=3, priority=7,
                            match=match(*TCP_REG0), actions=actions(1))
    assert bytes(ours) == bytes(fm) and ours == fm
    assert bytes(M10.nxt_set_flow_format(xid=sff.xid)) == bytes(sff)


def test_ovs_ofctl_table_id_in_openflow10() -> None:
    sff, table_id, fm = _decoded(record_ovs_ofctl(["add-flow", "table=1,reg0=5,actions=drop"], 1))
    assert type(sff) is M10.nxt_set_flow_format
    assert type(table_id) is M10.nxt_flow_mod_table_id and table_id.set == 1
    assert bytes(M10.nxt_flow_mod_table_id(xid=table_id.xid)) == bytes(table_id)
    assert type(fm) is M10.nxt_flow_mod and (fm.table_id, fm.command) == (1, 0)
    assert bytes(M10.nxt_flow_mod(xid=fm.xid, table_id=1, match=match(*REG0))) == bytes(fm)
    _, delete = _decoded(record_ovs_ofctl(["del-flows", "reg0=5"], 1))
    assert type(delete) is M10.nxt_flow_mod
    assert delete.command == M10.nx_flow_mod_command.OFPFC_DELETE


def test_ovs_ofctl_dump_flows_and_aggregate_in_openflow10() -> None:
    _, request = _decoded(record_ovs_ofctl(["dump-flows", "reg0=5"], 1, {16: empty_stats_reply}))
    assert type(request) is M10.nxst_flow_request
    assert bytes(M10.nxst_flow_request(xid=request.xid, match=match(*REG0))) == bytes(request)

    def aggregate(req: bytes) -> bytes:
        reply = M10.nxst_aggregate_reply(xid=struct.unpack_from("!I", req, 4)[0],
                                         packet_count=1, byte_count=2, flow_count=3)
        return bytes(reply)

    _, agg = _decoded(record_ovs_ofctl(["dump-aggregate", "table=2,reg0=5"], 1,
                                       {16: aggregate}))
    assert type(agg) is M10.nxst_aggregate_request and agg.table_id == 2
    assert bytes(M10.nxst_aggregate_request(xid=agg.xid, table_id=2,
                                            match=match(*REG0))) == bytes(agg)


def test_ovs_ofctl_reads_our_flow_stats_reply() -> None:
    """ovs-ofctl dump-flows prints the flows of our NXST_FLOW reply."""
    def flows(req: bytes) -> bytes:
        xid = struct.unpack_from("!I", req, 4)[0]
        return bytes(M10.nxst_flow_reply(xid=xid, stats=[
            M10.nx_flow_stats(table_id=1, priority=4, cookie=0x10, packet_count=11,
                              match=match(*TCP_REG0), actions=actions(1))]))

    import subprocess

    from ..stub_switch import StubSwitch
    with StubSwitch(1, {16: flows}) as switch:
        result = subprocess.run(["ovs-ofctl", "--no-names", "-O", "OpenFlow10", "dump-flows",
                                 switch.target], capture_output=True, text=True, timeout=10)
    assert result.returncode == 0, result.stderr
    assert "cookie=0x10" in result.stdout and "n_packets=11" in result.stdout
    assert "priority=4,tcp,reg0=0x5,tp_dst=80 actions=output:2" in result.stdout


@pytest.mark.parametrize("version", [1, 4])
def test_ovs_ofctl_monitor_requests(version: int, tmp_path: Path) -> None:
    """``ovs-ofctl monitor SWITCH watch:...`` sends a flow monitor request (NXST in 1.0,
    ONFST in 1.3) then NXT_SET_PACKET_IN_FORMAT; it prints our (empty) reply."""
    import subprocess
    import time

    from ..stub_switch import StubSwitch

    stats = {1: 16, 4: 18}[version]

    def empty(req: bytes) -> bytes:
        return empty_stats_reply(req)

    with StubSwitch(version, {stats: empty}) as switch:
        proc = subprocess.Popen(
            ["ovs-ofctl", "--no-names", "-O", {1: "OpenFlow10", 4: "OpenFlow13"}[version],
             f"--unixctl={tmp_path}/ctl", "monitor", switch.target,
             "watch:reg0=5,!initial,table=3,out_port=2"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                got = [m for m in switch.messages if m[1] == 4]
                if got:
                    break
                time.sleep(0.02)
        finally:
            proc.terminate()
            proc.communicate(timeout=5)
        messages = switch.messages
    decoded = _decoded(messages)
    monitor = [m for m in decoded if "flow_monitor_request" in type(m).__name__]
    [request] = monitor
    spif = [m for m in decoded if type(m) is MODULES[version].nxt_set_packet_in_format]
    assert spif and spif[0].format == 2
    flags = "NXFMF_ADD|NXFMF_DELETE|NXFMF_MODIFY|NXFMF_ACTIONS|NXFMF_OWN"
    if version == 1:
        ours = M10.nxst_flow_monitor_request(xid=request.xid, monitors=[
            M10.nx_flow_monitor_request(flags=flags, out_port=2, table_id=3,
                                        match=match(*REG0))])
    else:
        ours = M13.onfst_flow_monitor_request(xid=request.xid, monitors=[
            M13.onf_flow_monitor_request(flags=flags, out_port=2, table_id=3, match_len=12,
                                         match=v13.ofp_match(oxm_fields=match(*REG0)))])
    assert bytes(ours) == bytes(request) and ours == request
