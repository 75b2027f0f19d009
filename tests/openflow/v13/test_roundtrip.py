"""Every OpenFlow 1.3 message type: build, parse, compiled == interpreted, truncation, dump/load."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Iterator

import pytest

from tests.namedstruct.helpers import check_struct
from vlcp_core.namedstruct import Struct, explain, pretty
from vlcp_core.namedstruct._struct import StructType
from vlcp_core.namedstruct._types import Array
from vlcp_core.openflow import decode_message, dump, load, parse_message, v13

from .samples import SAMPLES

# Samples that are deliberately of a class nobody defined further (body in _tail).
GENERIC = {"unknown_type": v13.ofp_header, "error_unknown_type": v13.ofp_error_msg,
           "experimenter": v13.ofp_experimenter_header,
           "unknown_multipart_request": v13.ofp_multipart_request,
           "unknown_multipart_reply": v13.ofp_multipart_reply,
           "experimenter_multipart_request": v13.ofp_experimenter_multipart_request,
           "experimenter_multipart_reply": v13.ofp_experimenter_multipart_reply}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_round_trip(name: str) -> None:
    msg = SAMPLES[name]
    data = check_struct(v13.ofp_header, msg)
    assert data[0] == v13.OFP_VERSION
    parsed = parse_message(data)
    assert parsed is not None
    assert parsed[0] == msg and type(parsed[0]) is type(msg) and parsed[1] == len(data)
    assert decode_message(data) == msg
    if name not in GENERIC:
        assert not msg._tail
    assert load(dump(msg)) == msg
    assert pickle.loads(pickle.dumps(msg)) == msg
    assert copy.deepcopy(msg) == msg
    assert pretty(msg) and explain(msg)


def _leaf_subtypes(cls: type[Struct]) -> Iterator[type[Struct]]:
    info = cls._ns_info
    subs = list(info.subtypes.values()) + [p[2] for p in info.partial]
    # Only this version's classes: extensions such as Nicira have their own tests.
    subs = [s for s in subs if s.__module__.startswith("vlcp_core.openflow.v13")]
    for sub in dict.fromkeys(subs):
        if sub._ns_info.classify:
            yield sub  # a generic level (experimenter): a class of its own too
        yield from _leaf_subtypes(sub)
        if not sub._ns_info.classify:
            yield sub


def _walk(obj: object) -> Iterator[Struct]:
    if isinstance(obj, Struct):
        yield obj
        for name, _ in obj._ns_info.fields:
            yield from _walk(getattr(obj, name))
    elif isinstance(obj, list):
        for item in obj:
            yield from _walk(item)


def test_every_message_class_has_a_sample() -> None:
    sampled = {type(m) for m in SAMPLES.values()}
    missing = {c._ns_info.name for c in _leaf_subtypes(v13.ofp_header)} - {
        c._ns_info.name for c in sampled}
    assert not missing


@pytest.mark.parametrize("base", [v13.ofp_action, v13.ofp_instruction, v13.ofp_meter_band,
                                  v13.ofp_queue_prop, v13.ofp_table_feature_prop,
                                  v13.ofp_hello_elem, v13.ofp_action_id,
                                  v13.ofp_instruction_id])
def test_every_element_class_is_in_a_sample(base: type[Struct]) -> None:
    used = {type(s) for m in SAMPLES.values() for s in _walk(m)}
    expected = set(_leaf_subtypes(base)) | {base}
    assert expected <= used, {c._ns_info.name for c in expected - used}


def test_every_table_feature_property_type_is_used() -> None:
    types = {p.type for m in SAMPLES.values() for p in _walk(m)
             if isinstance(p, v13.ofp_table_feature_prop)}
    assert {int(t) for t in v13.ofp_table_feature_prop_type} <= types


def test_every_error_type_has_its_code_enum() -> None:
    for err_type in v13.ofp_error_type:
        cls = v13.ofp_error_msg._ns_info.lookup((err_type,))
        assert cls is not None
        if err_type == v13.ofp_error_type.OFPET_EXPERIMENTER:
            assert cls is v13.ofp_error_experimenter_msg
            continue
        code_enum = v13.ERROR_CODES[err_type]
        code_type = cls._ns_info.field_types["code"]
        assert getattr(code_type.display, "enum_class", None) is code_enum
        last = list(code_enum)[-1]
        assert dump(cls(code=int(last)))["code"] == last.name


def test_error_code_shown_through_its_enum() -> None:
    msg = decode_message(bytes.fromhex("0401001400000105000100010463000800000106"))
    assert isinstance(msg, v13.ofp_error_bad_request)
    assert msg.err_type == v13.ofp_error_type.OFPET_BAD_REQUEST
    assert msg.code == v13.ofp_bad_request_code.OFPBRC_BAD_TYPE
    assert dump(msg)["code"] == "OFPBRC_BAD_TYPE"
    assert dump(msg)["err_type"] == "OFPET_BAD_REQUEST"


def test_short_flow_mod_defaults() -> None:
    ip_dst = SAMPLES["flow_mod"].match.oxm_fields[2]
    msg = v13.ofp_flow_mod(match=v13.ofp_match(oxm_fields=[ip_dst]), instructions=[
        v13.ofp_instruction_apply_actions(actions=[v13.ofp_action_output(port=1)])])
    data = bytes(msg)
    assert data[1] == v13.ofp_type.OFPT_FLOW_MOD
    assert msg.command == v13.ofp_flow_mod_command.OFPFC_ADD
    assert msg.priority == 0x8000
    assert msg.buffer_id == v13.OFP_NO_BUFFER
    assert msg.out_port == v13.ofp_port_no.OFPP_ANY
    assert msg.out_group == v13.ofp_group.OFPG_ANY
    action = msg.instructions[0].actions[0]
    assert action.max_len == v13.ofp_controller_max_len.OFPCML_NO_BUFFER
    assert len(data) % 8 == 0 and msg.length == len(data)


def test_set_field_padding_counted_in_len() -> None:
    action = SAMPLES["packet_out"].actions[1]
    assert isinstance(action, v13.ofp_action_set_field)
    data = bytes(action)
    assert len(data) == 16 and action.len == 16  # 4 + OXM (4 + 6) + 2 pad
    assert data[-2:] == b"\x00\x00"
    # Non-zero "padding" is not padding: it stays in _tail.
    odd = v13.ofp_action.create(data[:-1] + b"\x01")
    assert odd._tail == b"\x00\x01" and bytes(odd) == data[:-1] + b"\x01"


def test_table_feature_property_length_excludes_padding() -> None:
    prop = v13.ofp_table_feature_prop_next_tables(next_table_ids=[1, 2, 3])
    data = bytes(prop)
    assert prop.length == 7 and len(data) == 8


def test_hello_bitmap_and_unknown_element() -> None:
    msg = SAMPLES["hello_unknown_elem"]
    data = bytes(msg)
    again = decode_message(data)
    assert type(again.elements[0]) is v13.ofp_hello_elem
    assert again.elements[0]._tail == b"xyz" and again.elements[0].length == 7
    assert again.elements[1].bitmaps == [0x10, 0x1]


def test_multipart_type_is_renamed() -> None:
    req = v13.ofp_port_stats_request(port_no=3)
    assert req.type == v13.ofp_type.OFPT_MULTIPART_REQUEST
    assert req.multipart_type == v13.ofp_multipart_type.OFPMP_PORT_STATS
    assert bytes(req)[8:10] == b"\x00\x04"


def test_group_mod_type_is_renamed() -> None:
    msg = v13.ofp_group_mod(group_type="OFPGT_INDIRECT", group_id=1)
    assert bytes(msg)[10] == v13.ofp_group_type.OFPGT_INDIRECT


def test_distinct_actions_instruction_classes() -> None:
    layouts = [v13.ofp_instruction_write_actions, v13.ofp_instruction_apply_actions,
               v13.ofp_instruction_clear_actions]
    assert len(set(layouts)) == 3
    for cls in layouts:
        field = cls._ns_info.field_types["actions"]
        assert isinstance(field, Array) and isinstance(field.element, StructType)
        assert field.element.cls is v13.ofp_action


def test_out_of_range_port_and_unaligned_queue_round_trip() -> None:
    msg = SAMPLES["queue_get_config_reply_odd"]
    data = bytes(msg)
    again = decode_message(data)
    assert [q.len for q in again.queues] == [40, 28, 32]
    assert again.queues[2].port == 0xFFFFFF77
    assert bytes(again) == data
