"""Recorded Open vSwitch 3.1 traffic (``tests/data/corpus/of10.json``): every message
parses to its specific class and re-serializes byte-identically."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ofcorpus.corpus import CORPUS_DIR, load_corpus
from vlcp_core.namedstruct import ParseError
from vlcp_core.openflow import dump, load, parse_message, v10

ENTRIES = load_corpus(CORPUS_DIR / "of10.json")

EXPECTED_CLASS: dict[str, Any] = {
    "hello": v10.ofp_hello,
    "features_request": v10.ofp_features_request,
    "features_reply": v10.ofp_switch_features,
    "get_config_request": v10.ofp_get_config_request,
    "get_config_reply": v10.ofp_get_config_reply,
    "echo_request": v10.ofp_echo_request,
    "echo_reply": v10.ofp_echo_reply,
    "barrier_request": v10.ofp_barrier_request,
    "barrier_reply": v10.ofp_barrier_reply,
    "desc_stats_request": v10.ofp_desc_stats_request,
    "desc_stats_reply": v10.ofp_desc_stats_reply,
    "port_stats_request": v10.ofp_port_stats_request,
    "port_stats_reply": v10.ofp_port_stats_reply,
    "flow_stats_request": v10.ofp_flow_stats_request,
    "flow_stats_reply": v10.ofp_flow_stats_reply,
    "aggregate_stats_request": v10.ofp_aggregate_stats_request,
    "aggregate_stats_reply": v10.ofp_aggregate_stats_reply,
    "table_stats_request": v10.ofp_table_stats_request,
    "table_stats_reply": v10.ofp_table_stats_reply,
    "packet_in_action": v10.ofp_packet_in,
    "port_status_add": v10.ofp_port_status,
    "port_status_delete": v10.ofp_port_status,
    "flow_removed_delete": v10.ofp_flow_removed,
    "error_bad_request_bad_type": v10.ofp_error_bad_request,
    "error_bad_request_bad_stat": v10.ofp_error_bad_request,
    # deliberately unknown: the generic classes keep the body
    "unknown_type_99": v10.ofp_header,
    "unknown_stats_119_request": v10.ofp_stats_request,
}


def _by_name(name: str) -> Any:
    data = next(e.data for e in ENTRIES if e.name == name)
    parsed = parse_message(data)
    assert parsed is not None
    return parsed[0]


@pytest.mark.parametrize("index", range(len(ENTRIES)),
                         ids=[f"{i}-{e.name}" for i, e in enumerate(ENTRIES)])
def test_corpus_message(index: int) -> None:
    entry = ENTRIES[index]
    parsed = parse_message(entry.data)
    assert parsed is not None
    msg, size = parsed
    assert size == len(entry.data)
    assert type(msg) is EXPECTED_CLASS[entry.name]
    assert bytes(msg) == entry.data
    assert load(dump(msg)) == msg
    for cut in range(len(entry.data)):
        try:
            assert parse_message(entry.data[:cut]) is None
        except ParseError:
            pass


def test_every_corpus_name_is_expected() -> None:
    assert {e.name for e in ENTRIES} == set(EXPECTED_CLASS)


def test_corpus_values() -> None:
    features = _by_name("features_reply")
    assert features.datapath_id == 0x10 and features.n_tables == 254
    assert [p.name for p in features.ports][:1] == ["br10"]
    assert features.ports[0].port_no == v10.ofp_port.OFPP_LOCAL
    assert features.capabilities & v10.ofp_capabilities.OFPC_ARP_MATCH_IP
    assert _by_name("get_config_reply").miss_send_len == 128
    assert _by_name("echo_request").data == b"vlcp-corpus"
    desc = _by_name("desc_stats_reply")
    assert desc.mfr_desc == "Nicira, Inc." and desc.sw_desc
    flows = _by_name("flow_stats_reply").stats
    assert len(flows) == 2 and flows[0].priority == 100
    assert [type(a) for a in flows[0].actions] == [v10.ofp_action_output] * 2
    assert flows[0].actions[1].port == v10.ofp_port.OFPP_CONTROLLER
    assert flows[0].match.nw_dst == 0x0A000002
    tables = _by_name("table_stats_reply").stats
    assert len(tables) == 254 and [t.table_id for t in tables] == list(range(254))
    assert tables[0].name == "" and tables[0].max_entries == 1000000  # OVS: unnamed tables
    ports = _by_name("port_stats_reply").stats
    assert {p.port_no for p in ports} >= {1, 2, v10.ofp_port.OFPP_LOCAL}
    pin = _by_name("packet_in_action")
    assert pin.reason == v10.ofp_packet_in_reason.OFPR_ACTION and pin.in_port == 1
    assert len(pin.data) <= pin.total_len
    add = _by_name("port_status_add")
    assert add.reason == v10.ofp_port_reason.OFPPR_ADD and add.desc.name == "br10-eth3"
    removed = _by_name("flow_removed_delete")
    assert removed.reason == v10.ofp_flow_removed_reason.OFPRR_DELETE
    assert (removed.priority, removed.cookie, removed.match.nw_dst) == (50, 5, 0x0A000063)
    err = _by_name("error_bad_request_bad_type")
    assert err.code == v10.ofp_bad_request_code.OFPBRC_BAD_TYPE
    assert err.data == bytes.fromhex("016300080000010a")
    stat = _by_name("error_bad_request_bad_stat")
    assert dump(stat)["code"] == "OFPBRC_BAD_STAT"
    unknown = _by_name("unknown_stats_119_request")
    assert unknown.stats_type == 119 and unknown._tail == b""
