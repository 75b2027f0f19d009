"""Every OF 1.0 message type, built, decoded and re-serialized: same class, equal
object, identical bytes; compiled == interpreted; every truncation is incomplete."""

from __future__ import annotations

from typing import Any

import pytest

from tests.namedstruct.helpers import check_struct
from vlcp_core.namedstruct import Struct
from vlcp_core.openflow import decode_message, dump, load, parse_message, v10

from .samples import SAMPLES, all_actions, sample_match, sample_port

# Samples that deliberately stay a generic class (unknown type, vendor, stats type).
GENERIC = {
    "vendor_unknown": v10.ofp_vendor_header,
    "vendor_stats_request": v10.ofp_vendor_stats_request,
    "vendor_stats_reply": v10.ofp_vendor_stats_reply,
    "stats_request_unknown": v10.ofp_stats_request,
    "stats_reply_unknown": v10.ofp_stats_reply,
    "error_unknown_type": v10.ofp_error_msg,
    "unknown_message_type": v10.ofp_header,
}

BASES = {v10.ofp_header, v10.ofp_vendor_header, v10.ofp_error_msg, v10.ofp_stats_request,
         v10.ofp_stats_reply, v10.ofp_vendor_stats_request, v10.ofp_vendor_stats_reply}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_message_round_trip(name: str) -> None:
    msg = SAMPLES[name]
    data = check_struct(v10.ofp_header, msg)
    again = decode_message(data)
    assert type(again) is type(msg)
    assert again == msg
    assert bytes(again) == data
    parsed = parse_message(data + b"\x01\x00", 0)
    assert parsed is not None and parsed[1] == len(data) and parsed[0] == msg
    assert load(dump(msg)) == msg
    if name in GENERIC:
        assert type(msg) is GENERIC[name]
    else:
        assert type(msg) not in BASES, name


def _classes_of(cls: type[Struct]) -> set[type[Struct]]:
    """The classes of this version below *cls* (extensions such as Nicira have their
    own tests)."""
    found = {cls}
    info = cls._ns_info
    for sub in list(info.subtypes.values()) + [p[2] for p in info.partial]:
        if sub.__module__.startswith("vlcp_core.openflow.v10"):
            found |= _classes_of(sub)
    return found


def test_every_message_class_has_a_sample() -> None:
    sampled = {type(m) for m in SAMPLES.values()}
    missing = {c._ns_info.name for c in _classes_of(v10.ofp_header)} - {
        c._ns_info.name for c in sampled}
    assert not missing


def test_every_message_type_is_defined() -> None:
    types = {m.type for m in SAMPLES.values() if type(m) is not v10.ofp_header}
    assert types == {int(t) for t in v10.ofp_type}
    for t in v10.ofp_type:
        assert (int(t),) in v10.ofp_header._ns_info.subtypes, t.name


def test_every_error_and_stats_type_is_defined() -> None:
    errors = v10.ofp_error_msg._ns_info.subtypes
    assert set(errors) == {(int(t),) for t in v10.ofp_error_type}
    for base in (v10.ofp_stats_request, v10.ofp_stats_reply):
        assert set(base._ns_info.subtypes) == {(int(t),) for t in v10.ofp_stats_types}


def test_error_codes_are_shown_through_their_enum() -> None:
    cases: list[tuple[Any, Any, Any]] = [
        (v10.ofp_error_hello_failed, v10.ofp_hello_failed_code, "OFPHFC_EPERM"),
        (v10.ofp_error_bad_request, v10.ofp_bad_request_code, "OFPBRC_BUFFER_UNKNOWN"),
        (v10.ofp_error_bad_action, v10.ofp_bad_action_code, "OFPBAC_BAD_QUEUE"),
        (v10.ofp_error_flow_mod_failed, v10.ofp_flow_mod_failed_code, "OFPFMFC_UNSUPPORTED"),
        (v10.ofp_error_port_mod_failed, v10.ofp_port_mod_failed_code, "OFPPMFC_BAD_PORT"),
        (v10.ofp_error_queue_op_failed, v10.ofp_queue_op_failed_code, "OFPQOFC_EPERM"),
    ]
    for cls, codes, code in cases:
        msg = cls(code=code, data=b"x")
        assert msg.code == int(codes[code])
        d = dump(decode_message(bytes(msg)))
        assert d["code"] == code and d["_type"] == cls._ns_info.name
    unknown = decode_message(bytes.fromhex("0101000d000000000009000361"))
    assert type(unknown) is v10.ofp_error_msg and unknown.err_type == 9
    assert unknown._tail == b"\x00\x03a"


@pytest.mark.parametrize("action", all_actions() + [
    v10.ofp_action_vendor_header(vendor=0x00ABCDEF, _tail=bytes(8)),
    v10.ofp_action(type=0x1234, _tail=b"abcd"),
    v10.ofp_action_output(port=1, _tail=bytes(8)),  # longer than its struct: kept
], ids=lambda a: type(a)._ns_info.name)
def test_action_round_trip(action: Any) -> None:
    data = check_struct(v10.ofp_action, action)
    assert len(data) == action.len


def test_actions_bytes() -> None:
    assert bytes(v10.ofp_action_output(port=2)) == bytes.fromhex("0000000800020000")
    assert bytes(v10.ofp_action_dl_addr(type="OFPAT_SET_DL_DST", dl_addr="01:02:03:04:05:06")) \
        == bytes.fromhex("00050010010203040506000000000000")
    assert bytes(v10.ofp_action_enqueue(port=3, queue_id=7)) \
        == bytes.fromhex("000b0010000300000000000000000007")
    assert bytes(v10.ofp_action_nw_addr(type="OFPAT_SET_NW_DST", nw_addr="10.0.0.1")) \
        == bytes.fromhex("000700080a000001")
    assert bytes(v10.ofp_action_strip_vlan()) == bytes.fromhex("0003000800000000")
    tp = v10.ofp_action.create(bytes.fromhex("000a000801bb0000"))
    assert type(tp) is v10.ofp_action_tp_port and tp.tp_port == 443


def test_structs_round_trip() -> None:
    check_struct(v10.ofp_match, sample_match())
    check_struct(v10.ofp_phy_port, sample_port())
    check_struct(v10.ofp_queue_prop_header, v10.ofp_queue_prop_min_rate(rate=3))
    check_struct(v10.ofp_queue_prop_header, v10.ofp_queue_prop_header(property=7, _tail=b"z"))
    check_struct(v10.ofp_packet_queue, v10.ofp_packet_queue(
        queue_id=4, properties=[v10.ofp_queue_prop_min_rate(rate=3)]))
    check_struct(v10.ofp_flow_stats, v10.ofp_flow_stats(actions=all_actions()))


def test_sizes_are_the_specs() -> None:
    sizes = {
        v10.ofp_match: 40, v10.ofp_phy_port: 48, v10.ofp_switch_features: 32,
        v10.ofp_get_config_reply: 12, v10.ofp_set_config: 12, v10.ofp_packet_in: 18,
        v10.ofp_flow_removed: 88, v10.ofp_port_status: 64, v10.ofp_packet_out: 16,
        v10.ofp_flow_mod: 72, v10.ofp_port_mod: 32, v10.ofp_error_bad_request: 12,
        v10.ofp_stats_request: 12, v10.ofp_desc_stats_reply: 12 + 1056,
        v10.ofp_flow_stats_request: 12 + 44, v10.ofp_flow_stats: 88,
        v10.ofp_aggregate_stats_request: 12 + 44, v10.ofp_aggregate_stats_reply: 12 + 24,
        v10.ofp_table_stats: 64, v10.ofp_port_stats_request: 12 + 8, v10.ofp_port_stats: 104,
        v10.ofp_queue_stats_request: 12 + 8, v10.ofp_queue_stats: 32,
        v10.ofp_vendor_header: 12, v10.ofp_queue_get_config_request: 12,
        v10.ofp_queue_get_config_reply: 16, v10.ofp_packet_queue: 8,
        v10.ofp_queue_prop_min_rate: 16, v10.ofp_action_output: 8, v10.ofp_action_dl_addr: 16,
        v10.ofp_action_enqueue: 16, v10.ofp_action_vendor_header: 8,
    }
    for cls, size in sizes.items():
        assert len(bytes(cls())) == size, cls._ns_info.name


def test_defaults_make_usable_messages() -> None:
    fm = v10.ofp_flow_mod()
    assert bytes(fm) == bytes.fromhex(
        "010e004800000000" "003fffff" + "00" * 36 + "0000000000000000"
        "0000" "0000" "0000" "8000" "ffffffff" "ffff" "0000")
    assert fm.match.wildcards == v10.ofp_flow_wildcards.OFPFW_ALL
    po = v10.ofp_packet_out()
    assert (po.buffer_id, po.in_port) == (v10.OFP_NO_BUFFER, v10.ofp_port.OFPP_NONE)
    fs = v10.ofp_flow_stats_request()
    assert (fs.table_id, fs.out_port) == (0xFF, v10.ofp_port.OFPP_NONE)
    assert v10.ofp_port_stats_request().port_no == v10.ofp_port.OFPP_NONE
    qs = v10.ofp_queue_stats_request()
    assert (qs.port_no, qs.queue_id) == (v10.ofp_port.OFPP_ALL, v10.OFPQ_ALL)
    assert v10.ofp_set_config().miss_send_len == 128
    assert v10.ofp_error_bad_action().err_type == v10.ofp_error_type.OFPET_BAD_ACTION
    assert v10.ofp_flow_stats_reply().stats_type == v10.ofp_stats_types.OFPST_FLOW
    assert bytes(v10.ofp_hello()) == bytes.fromhex("0100000800000000")


def test_packet_out_actions_len_is_computed() -> None:
    po = v10.ofp_packet_out(actions=[v10.ofp_action_output(port=1),
                                     v10.ofp_action_enqueue(port=1, queue_id=2)], data=b"xyz")
    data = bytes(po)
    assert po.actions_len == 24 and data[14:16] == b"\x00\x18" and data.endswith(b"xyz")


def test_wildcards_display() -> None:
    w = v10.ofp_wildcards_display
    all_text = w.json(int(v10.ofp_flow_wildcards.OFPFW_ALL))
    assert all_text == ("OFPFW_IN_PORT|OFPFW_DL_VLAN|OFPFW_DL_SRC|OFPFW_DL_DST|OFPFW_DL_TYPE|"
                        "OFPFW_NW_PROTO|OFPFW_TP_SRC|OFPFW_TP_DST|NW_SRC_MASK:63|"
                        "NW_DST_MASK:63|OFPFW_DL_VLAN_PCP|OFPFW_NW_TOS")
    assert w.json(0) == "0" and w.from_text("0") == 0
    assert w.json(0x3020EF).count("|") == 9
    assert "NW_SRC_MASK:32" in w.json(0x3020EF) and "NW_DST" not in w.json(0x3020EF)
    assert w.json((8 << 14) | 1 | 0x800000) == "OFPFW_IN_PORT|NW_DST_MASK:8|0x800000"
    assert w.from_text("OFPFW_ALL") == 0x3FFFFF
    assert w.from_text("OFPFW_IN_PORT|NW_SRC_MASK:24|NW_DST_MASK:32") \
        == 1 | (24 << 8) | (32 << 14)
    assert w.from_text("OFPFW_NW_SRC_ALL|OFPFW_TP_DST") == (32 << 8) | 0x80
    for value in (0, 1, 0x3FFFFF, 0x3020EF, 0xFFFFFFFF, 0x12345678, 63 << 8, 17 << 14):
        assert w.from_text(w.json(value)) == value
    for bad in ("NW_SRC_MASK:64", "NW_DST_MASK:x", "OFPFW_BOGUS"):
        with pytest.raises(ValueError):
            w.from_text(bad)
    m = v10.ofp_match(wildcards="OFPFW_IN_PORT|NW_SRC_MASK:32")
    assert m.wildcards == 1 | (32 << 8)
    assert dump(v10.ofp_flow_mod(match=m))["match"]["wildcards"] == "OFPFW_IN_PORT|NW_SRC_MASK:32"


def test_port_state_display() -> None:
    s = v10.ofp_port_state_display
    assert s.json(0) == "0"
    assert s.json(0x301) == "OFPPS_LINK_DOWN|OFPPS_STP_BLOCK"
    assert s.json(0x200) == "OFPPS_STP_FORWARD"
    assert s.json(0x1000) == "0x1000"
    for value in (0, 1, 0x100, 0x200, 0x301, 0xFFFF):
        assert s.from_text(s.json(value)) == value
    assert dump(sample_port())["state"] == "OFPPS_LINK_DOWN|OFPPS_STP_BLOCK"


def test_vendor_dispatch_is_extensible() -> None:
    """A vendor subtype defined later (as the Nicira extensions will) is found by parsing."""
    from vlcp_core.namedstruct import nstruct, uint32

    probe = nstruct("probe_vendor", (uint32, "subtype"), base=v10.ofp_vendor_header,
                    when={"vendor": 0x00FEDCBA})
    try:
        msg = probe(xid=3, subtype=5, _tail=b"rest")
        again = decode_message(bytes(msg))
        assert type(again) is probe and again.subtype == 5 and again._tail == b"rest"
        assert type(decode_message(bytes(v10.ofp_vendor_header(vendor=1)))) \
            is v10.ofp_vendor_header
    finally:
        del v10.ofp_vendor_header._ns_info.subtypes[(0x00FEDCBA,)]


@pytest.mark.parametrize("name", ["flow_mod_add", "features_reply", "queue_get_config_reply",
                                  "flow_stats_reply", "error_unknown_type"])
def test_pretty_and_explain(name: str) -> None:
    from vlcp_core.namedstruct import explain, pretty

    msg = SAMPLES[name]
    text = pretty(msg)
    assert type(msg)._ns_info.name in text
    rows = explain(msg)
    assert rows
    if name == "flow_mod_add":
        assert "wildcards: NW_SRC_MASK:8|OFPFW_DL_VLAN_PCP (0x100800)" in text
        assert "OFPFF_SEND_FLOW_REM|OFPFF_CHECK_OVERLAP" in text
        assert "OFPAT_SET_DL_DST" in text


def test_exports() -> None:
    import inspect

    from vlcp_core.openflow.v10 import (
        _action,
        _async,
        _controller,
        _enums,
        _error,
        _match,
        _port,
        _queue,
        _stats,
        _symmetric,
    )

    exported = list(v10.__all__)
    assert len(exported) == len(set(exported))
    for name in exported:
        assert hasattr(v10, name), name
    for module in (_action, _async, _controller, _enums, _error, _match, _port, _queue, _stats,
                   _symmetric):
        assert module.__doc__ and "spec 1.0.0" in module.__doc__.replace(
            "Specification 1.0.0", "spec 1.0.0"), module.__name__
        for name in module.__all__:
            assert name in exported, name
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, Struct) and value is not Struct \
                    and value.__module__ == module.__name__:
                assert name in module.__all__, name
                assert value._ns_info.name == name
