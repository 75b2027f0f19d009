"""Tests of the benchmark baseline: reference messages, hand-written codec, harness."""

from __future__ import annotations

import gc
import struct
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench import _timing
from bench._handwritten import (
    ActionOutput,
    ActionRaw,
    FlowMod,
    InstructionActions,
    InstructionRaw,
    Match,
    OxmField,
    PacketIn,
    parse_flow_mod,
    parse_packet_in,
    serialize_flow_mod,
    serialize_packet_in,
)
from bench._messages import arp_request_frame, flow_mod_bytes, oxm_header, packet_in_bytes
from bench._timing import calibrate, compare, format_ratio_table, time_loop

FLOW_MOD = flow_mod_bytes()
PACKET_IN = packet_in_bytes()


def _flow_mod_round_trip(buf: bytes | bytearray | memoryview) -> bytes:
    return serialize_flow_mod(parse_flow_mod(buf))


def _packet_in_round_trip(buf: bytes | bytearray | memoryview) -> bytes:
    return serialize_packet_in(parse_packet_in(buf))


CODECS = {
    "flow_mod": (FLOW_MOD, parse_flow_mod, _flow_mod_round_trip),
    "packet_in": (PACKET_IN, parse_packet_in, _packet_in_round_trip),
}


def _changed_offsets(a: bytes, b: bytes) -> set[int]:
    assert len(a) == len(b)
    return {i for i in range(len(a)) if a[i] != b[i]}


def _with_length(buf: bytes, length: int) -> bytes:
    """``buf`` with its ofp_header length field replaced."""
    return buf[:2] + struct.pack("!H", length) + buf[4:]


# ------------------------------------------------------------------ messages


def test_reference_message_sizes_and_headers() -> None:
    assert len(FLOW_MOD) == 104
    assert FLOW_MOD[:8] == bytes.fromhex("040e0068 12345678")
    assert len(PACKET_IN) == 102
    assert PACKET_IN[:4] == bytes.fromhex("040a0066")


def test_oxm_header_encoding() -> None:
    assert oxm_header(0x8000, 0, 0, 4) == 0x80000004
    assert oxm_header(0x8000, 5, 0, 2) == 0x80000A02
    assert oxm_header(0x8000, 12, 0, 4) == 0x80001804
    assert oxm_header(0x8000, 12, 1, 8) == 0x80001908


def test_reference_flow_mod_tail_bytes() -> None:
    # match: type 1, length 26, three OXMs, 6 pad bytes
    assert FLOW_MOD[48:80] == bytes.fromhex(
        "0001001a 80000004 00000001 80000a02 0800 80001804 0a000001 000000000000"
    )
    # APPLY_ACTIONS len 24 + OUTPUT port 2 max_len 0xffe5
    assert FLOW_MOD[80:] == bytes.fromhex("00040018 00000000 00000010 00000002 ffe5 000000000000")


def test_arp_frame() -> None:
    frame = arp_request_frame()
    assert len(frame) == 60
    assert frame[12:14] == b"\x08\x06"
    assert frame[38:42] == bytes((10, 0, 0, 1))
    assert PACKET_IN[42:] == frame


# -------------------------------------------------------------- round trips


@pytest.mark.parametrize("name", sorted(CODECS))
def test_round_trip_is_byte_identical(name: str) -> None:
    buf, _, round_trip = CODECS[name]
    assert round_trip(buf) == buf


@pytest.mark.parametrize("name", sorted(CODECS))
def test_parse_accepts_bytearray_and_memoryview(name: str) -> None:
    buf, _, round_trip = CODECS[name]
    assert round_trip(bytearray(buf)) == buf
    assert round_trip(memoryview(buf)) == buf


def test_parse_at_offset_and_header_length_bounds_message() -> None:
    junk = b"\xaa" * 5
    trailing = b"\xff" * 16
    assert parse_flow_mod(junk + FLOW_MOD + trailing, 5) == parse_flow_mod(FLOW_MOD)
    assert serialize_flow_mod(parse_flow_mod(FLOW_MOD + trailing)) == FLOW_MOD
    packet_in = parse_packet_in(junk + PACKET_IN + trailing, 5)
    assert packet_in.data == arp_request_frame()
    assert serialize_packet_in(packet_in) == PACKET_IN


def test_flow_mod_decoded_values() -> None:
    msg = parse_flow_mod(FLOW_MOD)
    assert (msg.version, msg.type, msg.xid) == (4, 14, 0x12345678)
    assert msg.cookie == 0x1111
    assert msg.cookie_mask == 0
    assert (msg.table_id, msg.command) == (0, 0)
    assert (msg.idle_timeout, msg.hard_timeout) == (0, 0)
    assert msg.priority == 100
    assert msg.buffer_id == msg.out_port == msg.out_group == 0xFFFFFFFF
    assert msg.flags == 0
    assert msg.match.type == 1
    fields = [
        (f.oxm_class, f.oxm_field, f.oxm_hasmask, f.value.hex()) for f in msg.match.oxm_fields
    ]
    assert fields == [
        (0x8000, 0, 0, "00000001"),
        (0x8000, 5, 0, "0800"),
        (0x8000, 12, 0, "0a000001"),
    ]
    assert all(type(f.value) is bytes for f in msg.match.oxm_fields)
    assert msg.instructions == [InstructionActions(4, [ActionOutput(2, 0xFFE5)])]
    (instruction,) = msg.instructions
    assert isinstance(instruction, InstructionActions)
    (action,) = instruction.actions
    assert isinstance(action, ActionOutput)
    assert (action.type, action.port, action.max_len) == (0, 2, 0xFFE5)


def test_packet_in_decoded_values() -> None:
    msg = parse_packet_in(PACKET_IN)
    assert (msg.version, msg.type, msg.xid) == (4, 10, 0)
    assert msg.buffer_id == 0xFFFFFFFF
    assert msg.total_len == 60
    assert (msg.reason, msg.table_id, msg.cookie) == (0, 0, 0)
    assert msg.match == Match(1, [OxmField(0x8000, 0, 0, b"\x00\x00\x00\x01")])
    assert type(msg.data) is bytes
    assert len(msg.data) == 60
    assert msg.data == arp_request_frame()


# ----------------------------------------------------------- field changes


def test_changing_priority_changes_exactly_its_bytes() -> None:
    msg = parse_flow_mod(FLOW_MOD)
    msg.priority = 7
    out = serialize_flow_mod(msg)
    assert _changed_offsets(FLOW_MOD, out) == {31}  # 0x0064 -> 0x0007
    assert out[30:32] == b"\x00\x07"


def test_changing_xid_and_ipv4_dst_changes_exactly_their_bytes() -> None:
    msg = parse_flow_mod(FLOW_MOD)
    msg.xid = 0xA5A5A5A5
    msg.match.oxm_fields[2].value = bytes((192, 168, 1, 254))
    out = serialize_flow_mod(msg)
    assert _changed_offsets(FLOW_MOD, out) == {4, 5, 6, 7, 70, 71, 72, 73}
    assert out[70:74] == bytes.fromhex("c0a801fe")


def test_adding_oxm_recomputes_match_length_and_uses_pad() -> None:
    msg = parse_flow_mod(FLOW_MOD)
    # OXM_OF_IP_PROTO (field 10, 1 byte) = 6: 5 bytes fit in the 6 pad bytes
    msg.match.oxm_fields.append(OxmField(0x8000, 10, 0, b"\x06"))
    out = serialize_flow_mod(msg)
    assert len(out) == 104
    assert out[50:52] == struct.pack("!H", 31)
    assert out[74:80] == bytes.fromhex("80001401 06 00")
    assert _changed_offsets(FLOW_MOD, out) <= {51} | set(range(74, 80))
    assert parse_flow_mod(out) == msg


def test_adding_oxm_grows_match_padding_and_message_length() -> None:
    msg = parse_flow_mod(FLOW_MOD)
    # masked IPV4_SRC (field 11): 4 + 8 bytes -> match length 38, padded 40
    msg.match.oxm_fields.append(OxmField(0x8000, 11, 1, bytes.fromhex("0a000000ffffff00")))
    out = serialize_flow_mod(msg)
    assert len(out) == 112
    assert out[2:4] == struct.pack("!H", 112)
    assert out[50:52] == struct.pack("!H", 38)
    assert out[74:88] == bytes.fromhex("80001708 0a000000 ffffff00 0000")
    assert out[88:] == FLOW_MOD[80:]
    assert parse_flow_mod(out) == msg


def test_adding_action_and_raw_instruction_recomputes_lengths() -> None:
    msg = parse_flow_mod(FLOW_MOD)
    instruction = msg.instructions[0]
    assert isinstance(instruction, InstructionActions)
    # OFPAT_SET_QUEUE (21): queue_id u32 -> len 8
    instruction.actions.append(ActionRaw(21, struct.pack("!I", 3)))
    # OFPIT_GOTO_TABLE (1): table_id u8 + 3 pad -> len 8
    msg.instructions.append(InstructionRaw(1, b"\x05\x00\x00\x00"))
    out = serialize_flow_mod(msg)
    assert len(out) == 104 + 8 + 8
    assert out[2:4] == struct.pack("!H", 120)
    assert out[80:84] == bytes.fromhex("00040020")
    assert out[104:112] == bytes.fromhex("00150008 00000003")
    assert out[112:] == bytes.fromhex("00010008 05000000")
    assert parse_flow_mod(out) == msg


def test_packet_in_data_change_recomputes_length() -> None:
    msg = parse_packet_in(PACKET_IN)
    msg.data = msg.data[:42]  # drop the Ethernet padding
    out = serialize_packet_in(msg)
    assert out[2:4] == struct.pack("!H", 84)
    assert out[12:14] == b"\x00\x3c"  # total_len is a plain field, kept as-is
    assert out == _with_length(PACKET_IN[:84], 84)


def test_built_messages_serialize_like_reference() -> None:
    flow_mod = FlowMod(
        xid=0x12345678,
        cookie=0x1111,
        priority=100,
        match=Match(
            1,
            [
                OxmField(0x8000, 0, 0, b"\x00\x00\x00\x01"),
                OxmField(0x8000, 5, 0, b"\x08\x00"),
                OxmField(0x8000, 12, 0, b"\x0a\x00\x00\x01"),
            ],
        ),
        instructions=[InstructionActions(4, [ActionOutput(2, 0xFFE5)])],
    )
    assert serialize_flow_mod(flow_mod) == FLOW_MOD
    packet_in = PacketIn(
        total_len=60,
        match=Match(1, [OxmField(0x8000, 0, 0, b"\x00\x00\x00\x01")]),
        data=arp_request_frame(),
    )
    assert serialize_packet_in(packet_in) == PACKET_IN


def test_serialize_rejects_out_of_range_values() -> None:
    msg = parse_flow_mod(FLOW_MOD)
    msg.priority = 0x10000
    with pytest.raises(ValueError):
        serialize_flow_mod(msg)
    msg = parse_flow_mod(FLOW_MOD)
    msg.match.oxm_fields[0].value = bytes(256)
    with pytest.raises(ValueError):
        serialize_flow_mod(msg)
    msg = parse_flow_mod(FLOW_MOD)
    msg.match.oxm_fields[0].oxm_field = 0x80
    with pytest.raises(ValueError):
        serialize_flow_mod(msg)
    packet_in = parse_packet_in(PACKET_IN)
    packet_in.data = bytes(0x10000)
    with pytest.raises(ValueError):
        serialize_packet_in(packet_in)


# -------------------------------------------------------------- bad input


@pytest.mark.parametrize("name", sorted(CODECS))
def test_truncated_input_raises_value_error_at_every_offset(name: str) -> None:
    buf, parse, _ = CODECS[name]
    for cut in range(len(buf)):
        with pytest.raises(ValueError):
            parse(buf[:cut])


@pytest.mark.parametrize("name", sorted(CODECS))
def test_short_header_length_parses_consistently_or_raises(name: str) -> None:
    """With the header length set to ``cut`` the parser must stop there.

    Either the shorter message is still well formed (no instructions, shorter
    packet data) and re-serializes to exactly those bytes, or ValueError.
    """
    buf, parse, round_trip = CODECS[name]
    accepted = []
    for cut in range(4, len(buf)):
        short = _with_length(buf, cut)[:cut]
        for candidate in (short, _with_length(buf, cut)):  # also with the tail present
            try:
                out = round_trip(candidate)
            except ValueError:
                continue
            assert out == short
            accepted.append(cut)
    if name == "flow_mod":
        assert sorted(set(accepted)) == [80]  # fixed part + match, no instructions
    else:
        assert sorted(set(accepted)) == list(range(42, 102))  # shorter data
    with pytest.raises(ValueError):
        parse(_with_length(buf, len(buf) + 1))


def _patched(buf: bytes, offset: int, fmt: str, value: int) -> bytes:
    size = struct.calcsize(fmt)
    return buf[:offset] + struct.pack(fmt, value) + buf[offset + size :]


@pytest.mark.parametrize(
    ("offset", "fmt", "value"),
    [
        (0, "!B", 1),  # version 1.0
        (1, "!B", 10),  # a PACKET_IN type
        (48, "!H", 0),  # match type OFPMT_STANDARD
        (50, "!H", 3),  # match length below its own header
        (50, "!H", 60),  # match overruns the message
        (50, "!H", 25),  # last OXM overruns the match
        (50, "!H", 27),  # match ends inside a partial OXM header
        (55, "!B", 0xFF),  # IN_PORT OXM length 255 overruns the match
        (55, "!B", 5),  # misaligned OXM chain ends inside a header
        (82, "!H", 0),  # instruction len 0
        (82, "!H", 4),  # instruction len below 8
        (82, "!H", 32),  # instruction overruns the message
        (82, "!H", 16),  # action overruns the instruction
        (90, "!H", 0),  # action len 0
        (90, "!H", 8),  # OUTPUT action must be 16 bytes
        (90, "!H", 24),  # action overruns the instruction
    ],
)
def test_bad_flow_mod_lengths_raise_value_error(offset: int, fmt: str, value: int) -> None:
    with pytest.raises(ValueError):
        parse_flow_mod(_patched(FLOW_MOD, offset, fmt, value))


def _flow_mod_with_instructions(instructions: bytes) -> bytes:
    """The reference FLOW_MOD with its instruction list replaced by raw bytes."""
    body = FLOW_MOD[8:80] + instructions
    return FLOW_MOD[:2] + struct.pack("!H", 8 + len(body)) + FLOW_MOD[4:8] + body


def test_instruction_and_action_lengths_below_eight_are_rejected() -> None:
    # Sanity: the same shapes with 8-byte lengths parse.
    good_actions = bytes.fromhex("00040018 00000000 00150008 00000001 00150008 00000002")
    assert len(parse_flow_mod(_flow_mod_with_instructions(good_actions)).instructions) == 1
    good_goto = bytes.fromhex("00010008 01000000 00010008 02000000")
    assert len(parse_flow_mod(_flow_mod_with_instructions(good_goto)).instructions) == 2
    # Two 4-byte SET_QUEUE actions: self-consistent, but below ofp_action_header.
    short_actions = bytes.fromhex("00040010 00000000 00150004 00150004")
    with pytest.raises(ValueError):
        parse_flow_mod(_flow_mod_with_instructions(short_actions))
    # A 16-byte SET_QUEUE action inside a 16-byte APPLY_ACTIONS overruns it, even
    # though a valid GOTO_TABLE instruction follows.
    overrun = bytes.fromhex("00040010 00000000 00150010 00000001 00010008 01000000")
    with pytest.raises(ValueError):
        parse_flow_mod(_flow_mod_with_instructions(overrun))
    # Two 4-byte GOTO_TABLE instructions: below the 8-byte ofp_instruction size.
    short_goto = bytes.fromhex("00010004 00010004")
    with pytest.raises(ValueError):
        parse_flow_mod(_flow_mod_with_instructions(short_goto))


def test_byte_values_are_bytes_for_any_buffer_type() -> None:
    for buf in (bytearray(FLOW_MOD), memoryview(FLOW_MOD)):
        msg = parse_flow_mod(buf)
        assert all(type(f.value) is bytes for f in msg.match.oxm_fields)
    goto = _flow_mod_with_instructions(bytes.fromhex("00010008 01000000"))
    raw = parse_flow_mod(memoryview(goto))
    assert raw.instructions == [InstructionRaw(1, b"\x01\x00\x00\x00")]
    assert isinstance(raw.instructions[0], InstructionRaw)
    assert type(raw.instructions[0].body) is bytes
    for buf in (bytearray(PACKET_IN), memoryview(PACKET_IN)):
        packet_in = parse_packet_in(buf)
        assert type(packet_in.data) is bytes
        assert type(packet_in.match.oxm_fields[0].value) is bytes


def test_bad_offsets_raise_value_error() -> None:
    with pytest.raises(ValueError):
        parse_flow_mod(FLOW_MOD, -1)
    with pytest.raises(ValueError):
        parse_packet_in(PACKET_IN, len(PACKET_IN) + 10)
    with pytest.raises(ValueError):
        parse_packet_in(FLOW_MOD)


@settings(max_examples=300, deadline=None)
@given(
    name=st.sampled_from(sorted(CODECS)),
    edits=st.lists(st.tuples(st.integers(0, 103), st.integers(0, 255)), min_size=1, max_size=4),
    cut=st.integers(0, 104),
)
def test_corrupted_input_raises_only_value_error(
    name: str, edits: list[tuple[int, int]], cut: int
) -> None:
    buf, _, round_trip = CODECS[name]
    data = bytearray(buf)
    for position, value in edits:
        if position < len(data):
            data[position] = value
    corrupted = bytes(data[:cut])
    try:
        out = round_trip(corrupted)
    except ValueError:
        return
    # Whatever parses must re-serialize to a message the parser accepts again.
    assert round_trip(out) == out


# ------------------------------------------------------------------ harness


def test_compare_returns_positive_medians() -> None:
    cases = {"nothing": lambda: None, "sum": lambda: sum(range(2000))}
    result = compare(cases, rounds=3, min_time=0.005)
    assert set(result) == {"nothing", "sum"}
    assert all(value > 0 for value in result.values())
    assert result["sum"] > result["nothing"]


def _appender(log: list[str], name: str) -> Callable[[], None]:
    def append() -> None:
        log.append(name)

    return append


def test_compare_alternates_between_cases() -> None:
    log: list[str] = []
    names = ["a", "b", "c"]
    cases = {name: _appender(log, name) for name in names}
    rounds = 4
    compare(cases, rounds=rounds, min_time=0.001)
    runs: list[tuple[str, int]] = []
    for entry in log:
        if runs and runs[-1][0] == entry:
            runs[-1] = (entry, runs[-1][1] + 1)
        else:
            runs.append((entry, 1))
    # calibration of a, b, c, then `rounds` rounds of a, b, c
    assert [name for name, _ in runs] == names * (rounds + 1)
    timed = runs[len(names) :]
    for index, name in enumerate(names):
        counts = {count for run_name, count in timed if run_name == name}
        assert len(counts) == 1, f"{name} timed with varying loop counts {counts}"
        assert timed[index][1] > 0


def test_compare_disables_gc_during_timing_only() -> None:
    seen: list[bool] = []
    assert gc.isenabled()
    compare({"probe": lambda: seen.append(gc.isenabled())}, rounds=2, min_time=0.001)
    assert seen and not any(seen)
    assert gc.isenabled()


def test_calibrate_targets_min_time() -> None:
    def work() -> None:
        sum(range(100))

    loops = calibrate(work, 0.02)
    assert loops > 1
    assert 0.004 < time_loop(work, loops) < 0.5


def test_compare_reports_median_of_alternating_rounds(monkeypatch: pytest.MonkeyPatch) -> None:
    """With a scripted clock: loop counts come from calibrate, samples are medians."""
    script = {"a": [5.0, 1.0, 3.0, 9.0, 2.0], "b": [4.0, 4.0, 8.0, 6.0, 7.0]}
    loops = {"a": 2, "b": 10}
    calls: list[str] = []
    funcs = {name: _appender(calls, name) for name in script}

    def fake_calibrate(func: Callable[[], object], min_time: float) -> int:
        assert min_time == 0.5
        return loops[_name_of(func)]

    def fake_time_loop(func: Callable[[], object], n: int) -> float:
        name = _name_of(func)
        assert n == loops[name]
        calls.append(name)
        return script[name][calls.count(name) - 1] * n

    def _name_of(func: Callable[[], object]) -> str:
        return next(name for name, f in funcs.items() if f is func)

    monkeypatch.setattr(_timing, "calibrate", fake_calibrate)
    monkeypatch.setattr(_timing, "time_loop", fake_time_loop)
    result = compare(funcs, rounds=5, min_time=0.5)
    assert result == {"a": 3.0, "b": 6.0}
    assert calls == ["a", "b"] * 5


def test_compare_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError):
        compare({})
    with pytest.raises(ValueError):
        compare({"a": lambda: None}, rounds=0)
    with pytest.raises(ValueError):
        compare({"a": lambda: None}, min_time=0)


def test_format_ratio_table_aligns_columns() -> None:
    table = format_ratio_table(
        [("parse flow_mod", 3e-6, 1.5e-6), ("serialize", 1e-6, 0.0)],
        ours="namedstruct",
        peer="struct",
    )
    lines = table.splitlines()
    assert len(lines) == 4
    header = ["operation", "namedstruct", "µs", "struct", "µs", "namedstruct/struct"]
    assert lines[0].split() == header
    assert set(lines[1]) <= {"-", " "}
    assert lines[2].split() == ["parse", "flow_mod", "3.000", "1.500", "2.00"]
    assert lines[3].split() == ["serialize", "1.000", "0.000", "inf"]
    # right-aligned numeric columns end at the same position
    assert len({len(line) for line in lines}) == 1
