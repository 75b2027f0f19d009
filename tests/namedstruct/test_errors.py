"""Truncated and corrupted input, bad values: the right error class, path and offset."""

from __future__ import annotations

import pytest

from vlcp_core.namedstruct import (
    BuildError,
    LengthError,
    ParseError,
    TrailingDataError,
    TruncatedError,
)

from . import defs as d
from .helpers import compiled_fails


def flow_stats_bytes() -> bytes:
    return bytes(d.flow_stats(entries=[d.flow_entry(table_id=1, match=b"ab"),
                                       d.flow_entry(table_id=2, match=b"cd")]))


def test_incremental_parse_byte_by_byte() -> None:
    data = flow_stats_bytes() + bytes(d.echo(data=b"x"))
    buf = bytearray()
    got = []
    for byte in data:
        buf.append(byte)
        while True:
            r = d.header.parse(buf)
            if r is None:
                break
            got.append(r[0])
            del buf[:r[1]]
    assert [type(m) for m in got] == [d.flow_stats, d.echo]
    assert not buf


def test_parse_at_offset_and_memoryview() -> None:
    data = b"\xff\xff" + bytes(d.echo(data=b"q"))
    r = d.header.parse(memoryview(data), 2)
    assert r is not None and r[0].data == b"q" and r[1] == len(data) - 2


def test_inner_length_past_parent_is_an_error_even_at_buffer_end() -> None:
    data = bytearray(flow_stats_bytes())
    # Second entry's length says 40 bytes but the message ends before that.
    second = 8 + 4 + len(d.flow_entry(match=b"ab"))
    data[second:second + 2] = (40).to_bytes(2, "big")
    with pytest.raises(LengthError) as e:
        d.header.parse(bytes(data))
    assert e.value.path == "flow_stats.entries[1].length"
    assert e.value.offset == second
    assert "40" in str(e.value)
    with pytest.raises(LengthError):
        d.header.create(bytes(data))


def test_length_smaller_than_fixed_part() -> None:
    data = bytearray(flow_stats_bytes())
    data[12:14] = (3).to_bytes(2, "big")
    with pytest.raises(LengthError) as e:
        d.header.create(bytes(data))
    assert e.value.path == "flow_stats.entries[0].length"
    assert "at least 12" in e.value.reason


def test_length_not_a_multiple_of_pad_to() -> None:
    data = bytearray(bytes(d.tlv_name(name="abc")))  # 4 + "abc\0" = 8
    data[2:4] = (6).to_bytes(2, "big")
    with pytest.raises(LengthError) as e:
        d.tlv.parse(bytes(data))
    assert e.value.path == "tlv_name.length"
    assert "6 bytes, not a multiple of 8" in e.value.reason
    assert compiled_fails(d.tlv, bytes(data))  # the fast path hands over to the engine


def test_header_length_too_small() -> None:
    with pytest.raises(LengthError) as e:
        d.header.parse(bytes.fromhex("0402000400000000"))
    assert e.value.path == "header.length"


def test_truncated_inside_complete_message() -> None:
    # The counted struct says 3 items, but only 2 are there: the error names the item.
    data = bytes(d.counted(items=[1, 2, 3]))
    with pytest.raises(TruncatedError) as e:
        d.counted.create(data[:-4])
    assert e.value.path == "counted.items[2]"
    assert not e.value.incomplete
    assert d.counted.parse(data[:-4]) is None


def test_create_rejects_trailing_bytes() -> None:
    data = bytes(d.point(x=1, y=2)) + b"\x00"
    with pytest.raises(TrailingDataError) as e:
        d.point.create(data)
    assert "1 bytes left over" in str(e.value) and e.value.path == "point"


def test_cstring_without_nul_in_a_sized_struct() -> None:
    data = bytes.fromhex("00010008616263ff")
    with pytest.raises(ParseError) as e:
        d.tlv.create(data)
    assert e.value.path == "tlv_name.name"


def test_sized_array_longer_than_the_data() -> None:
    data = bytes.fromhex("00000004") + b"\x00\x01\x02\x03\x04\x05"
    with pytest.raises(TruncatedError) as e:
        d.counted.create(data)
    assert e.value.path == "counted.halves"
    assert d.counted.parse(data) is None


def test_error_path_in_build() -> None:
    msg = d.flow_stats(entries=[d.flow_entry(), d.flow_entry(table_id=300)])
    with pytest.raises(BuildError) as e:
        bytes(msg)
    assert e.value.path == "flow_stats.entries[1].table_id"
    assert "out of range" in str(e.value)


@pytest.mark.parametrize("field,value,message", [
    ("hw_addr", b"\x01\x02", "expected 6 bytes"),
    ("name", "x" * 17, "do not fit"),
    ("config", 1.5, "expected an integer"),
    ("port_no", -1, "out of range"),
])
def test_bad_values(field: str, value: object, message: str) -> None:
    port = d.phy_port()
    setattr(port, field, value)
    with pytest.raises(BuildError) as e:
        bytes(port)
    assert e.value.path == f"phy_port.{field}"
    assert message in str(e.value)


def test_bits_out_of_range() -> None:
    with pytest.raises(BuildError) as e:
        bytes(d.ip_like(flags=8))
    assert e.value.path == "ip_like.flags" and "3 bits" in str(e.value)


def test_wrong_nested_type() -> None:
    msg = d.port_status()
    msg.desc = d.point()
    with pytest.raises(BuildError) as e:
        bytes(msg)
    assert e.value.path == "port_status.desc"
    msg.desc = {"port_no": 1, "name": "eth0"}  # a dict is read like load()
    assert d.header.create(bytes(msg)).desc.name == "eth0"


def test_construction_rejects_unknown_names() -> None:
    with pytest.raises(BuildError) as e:
        d.header(type="NOT_A_TYPE")
    assert e.value.path == "header.type" and "NOT_A_TYPE" in str(e.value)
    with pytest.raises(TypeError):
        d.header(no_such_field=1)  # type: ignore[call-arg]


def test_fast_path_failures_give_interpreted_errors() -> None:
    data = bytearray(flow_stats_bytes())
    data[2:4] = (200).to_bytes(2, "big")
    assert compiled_fails(d.header, bytes(data))
    assert d.header.parse(bytes(data)) is None  # 200 bytes announced, fewer present
    with pytest.raises(LengthError):
        d.header.create(bytes(data))
