"""Splitting flow text: pieces, values, nested actions, and columns that point at the text."""

from __future__ import annotations

import pytest

from vlcp_core.openflow.flowtext._errors import FlowSyntaxError, suggest
from vlcp_core.openflow.flowtext._lexer import split_actions, split_flow, split_top

DUMPED = (" cookie=0x5, duration=0.048s, table=1, n_packets=0, n_bytes=0, idle_timeout=30, "
          "priority=7,tcp,tp_dst=80 actions=ct(commit,table=1),resubmit(,2),"
          "set_field:10.0.0.1->ip_dst,output:2")


def test_dump_flows_output_splits() -> None:
    head, actions = split_flow(DUMPED)
    assert [(p.key, p.value) for p in head] == [
        ("cookie", "0x5"), ("duration", "0.048s"), ("table", "1"), ("n_packets", "0"),
        ("n_bytes", "0"), ("idle_timeout", "30"), ("priority", "7"), ("tcp", None),
        ("tp_dst", "80")]
    for p in head:  # every column points at its key in the text
        assert DUMPED[p.column - 1:].startswith(p.key)
        if p.value is not None:
            assert DUMPED[p.value_column - 1:].startswith(p.value)
    assert actions is not None and actions.key == "actions"
    assert DUMPED[actions.value_column - 1:].startswith("ct(commit")
    items = split_actions(actions.value or "", actions.value_column)
    assert [(p.key, p.value) for p in items] == [
        ("ct", "commit,table=1"), ("resubmit", ",2"), ("set_field", "10.0.0.1->ip_dst"),
        ("output", "2")]
    for p in items:
        assert DUMPED[p.column - 1:].startswith(p.key)


def test_bare_and_spaced_forms() -> None:
    head, actions = split_flow("ip  in_port=1\tnw_dst=10.0.0.1 actions:drop")
    assert [(p.key, p.value) for p in head] == [("ip", None), ("in_port", "1"),
                                                 ("nw_dst", "10.0.0.1")]
    assert actions is not None and actions.value == "drop"
    assert split_flow("in_port=1")[1] is None
    assert [(p.key, p.value) for p in split_actions("2,LOCAL,controller(max_len=1)", 1)] == [
        ("2", None), ("LOCAL", None), ("controller", "max_len=1")]
    assert [p.key for p in split_top("tcp,tcp_flags=+syn-ack")] == ["tcp", "tcp_flags"]
    (larger,) = split_actions("check_pkt_larger(1500)->reg0[0]", 5)
    assert (larger.key, larger.value, larger.after, larger.after_column) == (
        "check_pkt_larger", "1500", "reg0[0]", 5 + len("check_pkt_larger(1500)->"))


def test_a_field_named_like_actions_is_not_the_actions() -> None:
    head, actions = split_flow("write_actions_x=1,actions=drop")
    assert [p.key for p in head] == ["write_actions_x"] and actions is not None


@pytest.mark.parametrize("text,column,message", [
    ("output:1,ct(commit", 12, "never closed"),  # the "(" itself
    ("output:1),drop", 9, "unmatched"),
    ("ct(commit)x", 11, "text after"),  # the text after ")"
])
def test_bad_parentheses(text: str, column: int, message: str) -> None:
    with pytest.raises(FlowSyntaxError) as e:
        split_actions(text, 1)
    assert e.value.column == column and message in str(e.value)
    assert f"at column {column}" in str(e.value)


def test_suggestions() -> None:
    assert suggest("nw_dsst", ["nw_dst", "nw_src", "tp_dst"]) == "did you mean nw_dst?"
    assert suggest("zzz", ["nw_dst"]) == ""
    err = FlowSyntaxError('unknown field "nw_dsst"', column=21, token="nw_dsst",
                          hint="did you mean nw_dst?")
    assert str(err) == 'unknown field "nw_dsst" at column 21 (did you mean nw_dst?)'
