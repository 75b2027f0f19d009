"""Property tests: random valid values round-trip; random bytes parse or raise ParseError,
and the compiled parser agrees with the interpreted one on both."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vlcp_core.namedstruct import ParseError, Struct

from . import defs as d
from .helpers import (
    compiled_build,
    compiled_parse,
    interpreted_build,
    interpreted_parse,
    same_outcome,
)
from .strategies import struct_values

ROOTS = [d.all_ints, d.phy_port, d.misc, d.ip_like, d.counted, d.rect, d.tlv, d.prop,
         d.with_props, d.header, d.le_record, d.oxm, d.match, d.ipv4_like, d.lldp_frame,
         d.counted_by_bits]
# tcp_like's raw options are valid only in whole 32-bit words: fuzzed, not generated.
FUZZED = ROOTS + [d.tcp_like]
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])


@pytest.mark.parametrize("root", ROOTS, ids=[r._ns_info.name for r in ROOTS])
@SETTINGS
@given(data=st.data())
def test_random_values_round_trip(root: type[Struct], data: st.DataObject) -> None:
    obj = data.draw(struct_values(root))
    built = compiled_build(obj)
    assert interpreted_build(obj) == built
    again = root.create(built)
    assert again == obj, f"{again!r} != {obj!r}"
    assert compiled_parse(root, built) == interpreted_parse(root, built)
    assert bytes(again) == built


@pytest.mark.parametrize("root", FUZZED, ids=[r._ns_info.name for r in FUZZED])
@SETTINGS
@given(blob=st.binary(max_size=80))
def test_random_bytes_parse_or_raise(root: type[Struct], blob: bytes) -> None:
    try:
        root.parse(blob)
        root.create(blob)
    except ParseError:
        pass
    same_outcome(root, blob)


@pytest.mark.parametrize("root", FUZZED, ids=[r._ns_info.name for r in FUZZED])
@SETTINGS
@given(blob=st.binary(max_size=80))
def test_whatever_parses_reserializes_identically(root: type[Struct], blob: bytes) -> None:
    try:
        parsed = root.parse(blob)
    except ParseError:
        return
    if parsed is not None:
        obj, size = parsed
        assert bytes(obj) == blob[:size], f"{obj!r} from {blob[:size].hex()}"
        assert interpreted_build(obj) == blob[:size]


@pytest.mark.parametrize("root", [d.header, d.match, d.with_props],
                         ids=["header", "match", "with_props"])
@SETTINGS
@given(data=st.data())
def test_mutated_valid_messages(root: type[Struct], data: st.DataObject) -> None:
    built = bytearray(bytes(data.draw(struct_values(root))))
    for _ in range(data.draw(st.integers(1, 3))):
        if not built:
            break
        i = data.draw(st.integers(0, len(built) - 1))
        built[i] = data.draw(st.integers(0, 255))
    blob = bytes(built)
    try:
        root.create(blob)
    except ParseError:
        pass
    same_outcome(root, blob)
