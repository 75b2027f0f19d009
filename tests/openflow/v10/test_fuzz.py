"""Liberal but safe decoding: random bytes, truncations and mutations of valid OF 1.0
messages either parse (and then re-serialize to bytes that parse to the same object)
or raise ``ParseError`` - never IndexError, struct.error or a hang; the compiled and
interpreted parsers agree."""

from __future__ import annotations

import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.namedstruct.helpers import same_outcome
from tests.ofcorpus.corpus import CORPUS_DIR, load_corpus
from vlcp_core.namedstruct import ParseError
from vlcp_core.openflow import parse_message, v10

from .samples import SAMPLES

VALID = [bytes(m) for m in SAMPLES.values()] + [
    e.data for e in load_corpus(CORPUS_DIR / "of10.json") if len(e.data) < 2000]
SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def check_outcome(data: bytes) -> None:
    try:
        parsed = parse_message(data)
    except ParseError:
        parsed = None
    if parsed is not None:
        msg, size = parsed
        assert 8 <= size <= len(data)
        again = bytes(msg)
        assert again == data[:size], f"{data[:size].hex()} came back as {again.hex()}"
        assert parse_message(again) == (msg, size)
    same_outcome(v10.ofp_header, data)


@pytest.mark.parametrize("data", VALID, ids=range(len(VALID)))
def test_every_truncation(data: bytes) -> None:
    for cut in range(len(data)):
        try:
            assert parse_message(data[:cut]) is None
        except ParseError:
            pass
    # A length field shorter than the message: the message ends early (or is refused).
    for length in range(0, len(data)):
        check_outcome(data[:2] + struct.pack("!H", length) + data[4:])


@SETTINGS
@given(body=st.binary(max_size=200), msg_type=st.integers(0, 23))
def test_random_bodies(body: bytes, msg_type: int) -> None:
    data = bytes([1, msg_type]) + struct.pack("!H", 8 + len(body)) + b"\0\0\0\1" + body
    check_outcome(data)


@SETTINGS
@given(blob=st.binary(max_size=120))
def test_random_bytes(blob: bytes) -> None:
    check_outcome(b"\x01" + blob)


@SETTINGS
@given(data=st.data())
def test_mutated_valid_messages(data: st.DataObject) -> None:
    message = bytearray(data.draw(st.sampled_from(VALID)))
    for _ in range(data.draw(st.integers(1, 4))):
        op = data.draw(st.sampled_from(["flip", "insert", "delete", "length"]))
        pos = data.draw(st.integers(0, len(message)))
        if op == "flip" and pos < len(message):
            message[pos] = data.draw(st.integers(0, 255))
        elif op == "insert":
            message[pos:pos] = data.draw(st.binary(min_size=1, max_size=8))
        elif op == "delete" and pos < len(message):
            del message[pos:pos + data.draw(st.integers(1, 8))]
        elif op == "length" and len(message) >= 4:
            message[2:4] = struct.pack("!H", data.draw(st.integers(0, len(message) + 8)))
    if message:
        message[0] = 1
    check_outcome(bytes(message))
