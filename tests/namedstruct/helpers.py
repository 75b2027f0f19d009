"""The shared check for every namedstruct type: parse, build, size, compiled == interpreted,
truncation.  Other test modules (and later the protocol definitions' tests) call these."""

from __future__ import annotations

from typing import Any

import pytest

from vlcp_core.namedstruct import ParseError, Struct, Type
from vlcp_core.namedstruct._engine import build_struct, parse_struct


def interpreted_parse(t: type[Struct], data: bytes) -> tuple[Any, int]:
    """Parse with the interpreted engine only (the reference)."""
    return parse_struct(t, memoryview(data), 0, len(data), False, top=True)  # type: ignore[no-any-return]


def interpreted_build(obj: Struct) -> bytes:
    out = bytearray()
    build_struct(obj, out, None, top=True)
    return bytes(out)


def compiled_parse(t: type[Struct], data: bytes) -> tuple[Any, int]:
    """Parse with the compiled code only (raises if it cannot)."""
    return t._dp(memoryview(data), 0, len(data))  # type: ignore[no-any-return]


def compiled_fails(t: type[Struct], data: bytes) -> bool:
    """True when the compiled parser gives up on *data* (any exception: by design it
    only detects failure and leaves the explanation to the interpreted engine)."""
    try:
        compiled_parse(t, data)
    except Exception:
        return True
    return False


def compiled_build(obj: Struct) -> bytes:
    out = bytearray()
    obj._fb(out)
    return bytes(out)


def check_struct(t: type[Struct], obj: Struct, data: bytes | None = None,
                 self_delimiting: bool = True) -> bytes:
    """Check one value of struct type *t* every way; returns its bytes.

    - building: compiled == interpreted (== *data* when given); len(obj) == len(bytes);
    - parsing: parse, create, compiled and interpreted all give an equal object of the
      same class, using all bytes, and re-serializing gives the same bytes;
    - truncation: every proper prefix gives ``None`` from ``parse`` and ``ParseError``
      from ``create``; the compiled parser never succeeds on it (a struct ending in a
      greedy field is not *self_delimiting*: a prefix may then parse as a shorter value,
      which must re-serialize to exactly that prefix);
    - trailing bytes: ``parse`` ignores them, ``create`` refuses them.
    """
    built = compiled_build(obj)
    assert interpreted_build(obj) == built
    assert bytes(obj) == built
    assert len(obj) == len(built)
    if data is not None:
        assert built == data, f"built {built.hex()} expected {data.hex()}"
    data = built
    parsed = t.parse(data)
    assert parsed is not None
    value, size = parsed
    assert size == len(data)
    assert value == obj
    assert type(value) is type(obj)
    assert t.create(data) == obj
    c_value, c_off = compiled_parse(t, data)
    i_value, i_off = interpreted_parse(t, data)
    assert c_value == i_value == obj
    assert c_off == i_off == len(data)
    assert bytes(value) == data
    fixed = type(obj)._ns_info.fixed_size
    if fixed is not None and not obj._tail:
        assert fixed == len(data)
    for cut in range(len(data)):
        prefix = data[:cut]
        if self_delimiting:
            assert t.parse(prefix) is None, f"prefix of {cut} bytes should be incomplete"
            with pytest.raises(ParseError):
                t.create(prefix)
            assert compiled_fails(t, prefix)
        else:
            short = t.parse(prefix)
            if short is not None:
                assert bytes(short[0]) == prefix[:short[1]]
            same_outcome(t, prefix)
    if self_delimiting:
        padded = data + b"\xee\xee"
        again = t.parse(padded)
        assert again is not None and again[0] == obj and again[1] == len(data)
        with pytest.raises(ParseError):
            t.create(padded)
    return data


def check_type(t: Type, value: Any, data: bytes | None = None) -> bytes:
    """The same checks for a plain (non-struct) type used on its own."""
    built = t.build(value)
    if data is not None:
        assert built == data
    parsed = t.parse(built)
    assert parsed == (value, len(built))
    assert t.create(built) == value
    if t.size is not None:
        assert t.size == len(built)
        for cut in range(len(built)):
            assert t.parse(built[:cut]) is None
            with pytest.raises(ParseError):
                t.create(built[:cut])
    return built


def same_outcome(t: type[Struct], data: bytes) -> None:
    """Compiled and interpreted parsing agree on arbitrary bytes: same value, or the
    compiled path fails wherever the interpreted one raises."""
    try:
        expected: Any = interpreted_parse(t, data)
    except ParseError:
        expected = None
    try:
        got: Any = compiled_parse(t, data)
    except Exception:
        got = None
    if expected is None:
        assert got is None, f"compiled parse accepted {data.hex()} that the interpreter refuses"
    elif got is not None:
        assert got[0] == expected[0] and got[1] == expected[1]
        assert type(got[0]) is type(expected[0])
