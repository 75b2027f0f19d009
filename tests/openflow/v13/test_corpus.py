"""Real Open vSwitch 1.3 traffic (tests/data/corpus/of13.json) parses into specific classes
and re-serializes byte-identically."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ofcorpus.corpus import CORPUS_DIR, load_corpus
from vlcp_core.namedstruct import ParseError
from vlcp_core.openflow import parse_message, v13

ENTRIES = load_corpus(CORPUS_DIR / "of13.json")

EXPECTED_CLASS = {
    "hello": v13.ofp_hello, "features_request": v13.ofp_features_request,
    "features_reply": v13.ofp_switch_features, "get_config_request": v13.ofp_get_config_request,
    "get_config_reply": v13.ofp_get_config_reply, "echo_request": v13.ofp_echo_request,
    "echo_reply": v13.ofp_echo_reply, "barrier_request": v13.ofp_barrier_request,
    "barrier_reply": v13.ofp_barrier_reply, "desc_stats_request": v13.ofp_desc_request,
    "desc_stats_reply": v13.ofp_desc_reply, "port_desc_request": v13.ofp_port_desc_request,
    "port_desc_reply": v13.ofp_port_desc_reply, "port_stats_request": v13.ofp_port_stats_request,
    "port_stats_reply": v13.ofp_port_stats_reply, "flow_stats_request": v13.ofp_flow_stats_request,
    "flow_stats_reply": v13.ofp_flow_stats_reply,
    "aggregate_stats_request": v13.ofp_aggregate_stats_request,
    "aggregate_stats_reply": v13.ofp_aggregate_stats_reply,
    "table_stats_request": v13.ofp_table_stats_request,
    "table_stats_reply": v13.ofp_table_stats_reply, "role_request": v13.ofp_role_request,
    "role_reply": v13.ofp_role_reply, "get_async_request": v13.ofp_get_async_request,
    "get_async_reply": v13.ofp_get_async_reply, "packet_in_no_match": v13.ofp_packet_in,
    "packet_in_action": v13.ofp_packet_in, "port_status_add": v13.ofp_port_status,
    "port_status_modify": v13.ofp_port_status, "port_status_delete": v13.ofp_port_status,
    "flow_removed_delete": v13.ofp_flow_removed,
    "error_bad_request_bad_type": v13.ofp_error_bad_request,
    "error_bad_request_bad_stat": v13.ofp_error_bad_request,
    # Deliberately unknown: the generic classes, body kept in _tail.
    "unknown_type_99": v13.ofp_header, "unknown_stats_119_request": v13.ofp_multipart_request,
}  # fmt: skip


def _ids() -> list[str]:
    return [f"{i}-{e.name}" for i, e in enumerate(ENTRIES)]


def test_every_corpus_name_is_expected() -> None:
    assert {e.name for e in ENTRIES} == set(EXPECTED_CLASS)


@pytest.mark.parametrize("index", range(len(ENTRIES)), ids=_ids())
def test_corpus_message(index: int) -> None:
    entry = ENTRIES[index]
    parsed = parse_message(entry.data)
    assert parsed is not None
    msg, size = parsed
    assert size == len(entry.data)
    assert type(msg) is EXPECTED_CLASS[entry.name]
    assert bytes(msg) == entry.data
    assert not msg._tail or entry.name.startswith("unknown")


def _one(name: str) -> Any:
    parsed = parse_message(next(e for e in ENTRIES if e.name == name).data)
    assert parsed is not None
    return parsed[0]


def test_corpus_values() -> None:
    hello = _one("hello")
    assert hello.elements[0].bitmaps == [0x10]
    features = _one("features_reply")
    assert features.datapath_id == 0x13 and features.n_tables == 254
    assert features.capabilities & v13.ofp_capabilities.OFPC_FLOW_STATS
    desc = _one("desc_stats_reply")
    assert desc.mfr_desc == "Nicira, Inc."
    tables = _one("table_stats_reply")
    assert [t.table_id for t in tables.stats] == list(range(254))
    ports = _one("port_desc_reply")
    assert v13.ofp_port_no.OFPP_LOCAL in [p.port_no for p in ports.stats]
    flows = _one("flow_stats_reply")
    assert len(flows.stats) == 2 and all(isinstance(f, v13.ofp_flow_stats) for f in flows.stats)
    packet_in = _one("packet_in_action")
    assert packet_in.reason == v13.ofp_packet_in_reason.OFPR_ACTION
    assert len(packet_in.data) <= packet_in.total_len
    error = _one("error_bad_request_bad_stat")
    assert error.code == v13.ofp_bad_request_code.OFPBRC_BAD_MULTIPART
    removed = _one("flow_removed_delete")
    assert removed.reason == v13.ofp_flow_removed_reason.OFPRR_DELETE


@pytest.mark.parametrize("index", range(len(ENTRIES)), ids=_ids())
def test_corpus_truncation(index: int) -> None:
    data = ENTRIES[index].data
    # Every offset for ordinary messages; the 6 KB table stats reply every 7th byte.
    step = 1 if len(data) < 2000 else 7
    for cut in range(0, len(data), step):
        try:
            assert parse_message(data[:cut]) is None
        except ParseError:  # pragma: no cover - sized messages are only ever incomplete
            raise AssertionError(f"prefix of {cut} bytes raised instead of None") from None
