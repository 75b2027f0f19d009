"""Round trips, auto-filled fields and robustness of decode()."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vlcp_core.namedstruct import ParseError, TruncatedError
from vlcp_core.packet import (
    Packet,
    decode,
    inet_checksum,
    ipv4,
    ipv4_header,
    tcp,
    tcp_header,
    tcp_options,
    udp_header,
)

from .frames import FRAMES, MSS, V4, E


@pytest.mark.parametrize("name", sorted(FRAMES))
def test_round_trip(name: str) -> None:
    data = bytes(FRAMES[name])
    pkt = decode(data)
    assert pkt.error is None
    assert bytes(pkt) == data
    again = decode(bytes(pkt))
    assert again == pkt
    # Built layers equal decoded layers once the automatic fields are filled.
    assert [type(x) for x in pkt.layers] == [type(x) for x in FRAMES[name].layers]


@pytest.mark.parametrize("name", sorted(FRAMES))
def test_truncation_never_raises_other_errors(name: str) -> None:
    data = bytes(FRAMES[name])
    for n in range(len(data)):
        try:
            pkt = decode(data[:n])
        except TruncatedError:
            assert n < 14
            continue
        assert bytes(pkt) == data[:n]


def test_filled_fields() -> None:
    pkt = decode(bytes(FRAMES["tcp_opts"]))
    ip, t = pkt[ipv4_header], pkt[tcp_header]
    assert (ip.ihl, ip.total_length, ip.proto) == (6, 24 + 28, 6)
    assert inet_checksum(bytes(ip)) == 0
    assert t.data_offset == 7 and tcp_options(t.options)[:3] == [(2, b"\x05\xb4"), (1, b""),
                                                               (3, b"\x07")]
    assert MSS == t.options


def test_explicit_fields_are_kept() -> None:
    data = bytes(E / ipv4(dst="10.0.0.2", checksum=0x1234, ident=5) / tcp())
    ip = decode(data)[ipv4_header]
    assert ip.checksum == 0x1234 and ip.total_length == 40


def test_bytes_does_not_change_the_packet() -> None:
    pkt = E / V4 / tcp()
    bytes(pkt)
    assert pkt[ipv4_header].total_length == 0 and pkt[tcp_header].checksum == 0


def test_padding_and_no_default_padding() -> None:
    data = bytes(E / V4 / tcp())
    assert len(data) == 54  # not padded to 60
    pkt = decode(data + bytes(6))
    assert pkt.padding == bytes(6) and bytes(pkt) == data + bytes(6)


def test_truncated_upper_layer_is_payload() -> None:
    data = bytes(FRAMES["udp"])
    pkt = decode(data[:14 + 20 + 4])
    assert pkt.get(ipv4_header) is None and pkt.error is not None
    assert "ipv4_header" in pkt.error.path


def test_short_frame_raises_with_path() -> None:
    with pytest.raises(TruncatedError) as info:
        decode(b"\x00" * 5)
    assert info.value.path == "ethernet_header"


def test_stack_after_payload_is_refused() -> None:
    with pytest.raises(ValueError):
        (E / b"x") / tcp()
    assert isinstance(E / V4, Packet) and udp_header not in (E / V4)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200), st.sampled_from([b"", b"\x08\x00E", b"\x86\xdd`",
                                                  b"\x81\x00\x00\x01\x08\x00E", b"\x88\xcc"]))
def test_random_bytes(tail: bytes, head: bytes) -> None:
    data = bytes(12) + head + tail
    try:
        pkt = decode(data)
    except ParseError:
        return
    assert bytes(pkt) == data
    pkt.summary()
