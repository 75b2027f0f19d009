"""The shared check applied to every plain field type used on its own."""

from __future__ import annotations

from typing import Any

import pytest

from vlcp_core.namedstruct import (
    BuildError,
    Type,
    array,
    char,
    cstring,
    hexa,
    int8,
    int16,
    int16le,
    int32,
    int32le,
    int64,
    int64le,
    ipv4,
    ipv4_addr,
    ipv6_addr,
    mac,
    mac_addr,
    raw,
    uint8,
    uint16,
    uint16le,
    uint32,
    uint32le,
    uint64,
    uint64le,
)

from . import defs as d
from .helpers import check_type

CASES: list[tuple[Type, Any, bytes]] = [
    (uint8, 0xAB, b"\xab"),
    (int8, -2, b"\xfe"),
    (uint16, 0x1234, b"\x12\x34"),
    (int16, -2, b"\xff\xfe"),
    (uint32, 0x12345678, b"\x12\x34\x56\x78"),
    (int32, -(2**31), b"\x80\x00\x00\x00"),
    (uint64, 2**64 - 1, b"\xff" * 8),
    (int64, -1, b"\xff" * 8),
    (uint16le, 0x1234, b"\x34\x12"),
    (int16le, -2, b"\xfe\xff"),
    (uint32le, 0x12345678, b"\x78\x56\x34\x12"),
    (int32le, -2, b"\xfe\xff\xff\xff"),
    (uint64le, 1, b"\x01" + bytes(7)),
    (int64le, -2, b"\xfe" + b"\xff" * 7),
    (mac_addr, b"\xaa\xbb\xcc\xdd\xee\xff", b"\xaa\xbb\xcc\xdd\xee\xff"),
    (ipv4_addr, 0x0A000001, b"\x0a\x00\x00\x01"),
    (ipv6_addr, bytes(15) + b"\x01", bytes(15) + b"\x01"),
    (raw(3), b"abc", b"abc"),
    (char(8), "eth0", b"eth0\0\0\0\0"),
    (char(4), "abcd", b"abcd"),
    (array(uint16, 3), [1, 2, 3], b"\x00\x01\x00\x02\x00\x03"),
    (array(d.point, 2), [d.point(x=1, y=2), d.point(x=-1, y=-2)],
     b"\x00\x01\x00\x02\xff\xff\xff\xfe"),
]


@pytest.mark.parametrize("t,value,data", CASES, ids=[f"{c[0]!r}-{i}" for i, c in enumerate(CASES)])
def test_fixed_types(t: Type, value: Any, data: bytes) -> None:
    check_type(t, value, data)


def test_variable_types() -> None:
    assert check_type(cstring, "hello", b"hello\0") == b"hello\0"
    assert cstring.parse(b"hel") is None
    assert raw().parse(b"abc") == (b"abc", 3)
    assert array(uint16).parse(b"\x00\x01\x00\x02") == ([1, 2], 4)
    assert array(uint16).parse(b"\x00\x01\x00") is None


@pytest.mark.parametrize("t,value", [
    (uint8, 256), (int8, -129), (uint16, -1), (uint64, 2**64), (char(2), "abc"),
    (raw(2), b"abc"), (cstring, "a\0b"), (array(uint8, 2), [1]), (uint32, "x"),
])
def test_out_of_range_values(t: Type, value: Any) -> None:
    with pytest.raises(BuildError):
        t.build(value)


def test_displays_read_text() -> None:
    assert mac_addr.build("01:02:03:04:05:06") == bytes(range(1, 7))
    assert ipv4_addr.build("10.1.2.3") == bytes([10, 1, 2, 3])
    assert ipv6_addr.build("::1") == bytes(15) + b"\x01"
    assert uint32(ipv4).text(0x0A000001) == "10.0.0.1"
    assert raw(6)(mac).text(b"\x00" * 6) == "00:00:00:00:00:00"
    assert uint16(hexa).text(0x8000) == "0x8000"
    assert uint16(d.msg_type).build("STATS") == b"\x00\x13"
    with pytest.raises(BuildError) as e:
        uint16(d.msg_type).build("NOPE")
    assert "not a name of msg_type" in str(e.value)
