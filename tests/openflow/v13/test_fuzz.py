"""Any input: ``parse_message`` returns a message, ``None`` (incomplete) or raises
``ParseError``, never anything else; what parses re-serializes to bytes that parse the same."""

from __future__ import annotations

import struct

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vlcp_core.namedstruct import ParseError
from vlcp_core.openflow import parse_message

from .samples import SAMPLES

VALID = [bytes(m) for _, m in sorted(SAMPLES.items())]


def _check(data: bytes) -> None:
    try:
        parsed = parse_message(data)
    except ParseError:
        return
    if parsed is None:
        return
    msg, size = parsed
    assert 8 <= size <= len(data)
    again = bytes(msg)
    # Liberal decoding: whatever fits its lengths round-trips byte for byte.
    assert again == data[:size], f"{data[:size].hex()} came back as {again.hex()}"
    reparsed = parse_message(again)
    assert reparsed is not None and reparsed[0] == msg and reparsed[1] == size


@st.composite
def _header_then_bytes(draw: st.DrawFn) -> bytes:
    body = draw(st.binary(max_size=200))
    mtype = draw(st.integers(0, 35))
    sub = draw(st.integers(0, 16))
    head = struct.pack("!BBHI", 4, mtype, 8 + len(body), draw(st.integers(0, 5)))
    if mtype in (18, 19) and len(body) >= 2:
        body = struct.pack("!H", sub) + body[2:]
    return head + body


@st.composite
def _mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(VALID)))
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.integers(0, 3))
        pos = draw(st.integers(0, len(data) - 1))
        if kind == 0:
            data[pos] = draw(st.integers(0, 255))
        elif kind == 1:
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif kind == 2:
            del data[pos:pos + draw(st.integers(1, 8))]
        else:
            data[pos:pos] = draw(st.binary(min_size=1, max_size=8))
        if not data:
            data = bytearray(b"\x04")
    if draw(st.booleans()) and len(data) >= 4:
        data[2:4] = struct.pack("!H", len(data) & 0xFFFF)  # keep the header consistent
    return bytes(data)


FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=300))
def test_random_bytes(data: bytes) -> None:
    _check(data)


@FUZZ
@given(_header_then_bytes())
def test_random_bodies(data: bytes) -> None:
    _check(data)


@FUZZ
@given(_mutated())
def test_mutated_messages(data: bytes) -> None:
    _check(data)


def test_truncated_samples() -> None:
    for data in VALID:
        for cut in range(len(data)):
            assert parse_message(data[:cut]) is None
        assert parse_message(data + b"\x04\x00")[1] == len(data)  # type: ignore[index]
