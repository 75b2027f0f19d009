"""Inconsistent definitions are refused when they are made, with a reason."""

from __future__ import annotations

import pytest

from vlcp_core.namedstruct import (
    DefinitionError,
    array,
    bits,
    embed,
    nstruct,
    optional,
    raw,
    uint8,
    uint16,
)

from . import defs as d


@pytest.mark.parametrize("make,message", [
    (lambda: nstruct("x", (uint8, "a"), (uint8, "a")), "defined twice"),
    (lambda: nstruct("x", (uint8, "parse")), "reserved"),
    (lambda: nstruct("x", (uint8, "_hidden")), "cannot be a field name"),
    (lambda: nstruct("x", (uint8, "class")), "cannot be a field name"),
    (lambda: nstruct("x", (uint8, "a"), size="b"), "not a plain integer or bit field"),
    (lambda: nstruct("x", (array(uint8, count="n"), "a"), (uint8, "n")), "comes after"),
    (lambda: nstruct("x", (optional(uint8, bool), "n"), (raw(size="n"), "a")),
     "not a plain integer or bit field"),
    (lambda: nstruct("x", (uint8, "a"), base=d.point, when={"x": 1}), "no classify"),
    (lambda: nstruct("x", (uint8, "a"), base=d.header, when={"xid": 1}), "not a classify"),
    (lambda: nstruct("x", (uint8, "a"), base=d.header), "needs when"),
    (lambda: nstruct("x", (uint8, "a"), when={"a": 1}), "needs base"),
    (lambda: nstruct("x", (uint8, "a"), base=d.header, when={"version": 4, "type": 0}),
     "already has subtype hello"),
    (lambda: nstruct("x", (uint8, "a"), classify="b"), "not a field"),
    (lambda: nstruct("x", "a"), "is not (type, 'name')"),
    (lambda: nstruct("x", (uint8, "a"), defaults={"b": 1}), "unknown field"),
    (lambda: bits(uint8, ("a", 3)), "add up to 3 bits"),
    (lambda: embed(d.header), "cannot embed"),
    (lambda: array(uint8, 3, count="n"), "one of"),
    (lambda: raw(3, size="n"), "not both"),
])
def test_refused(make: object, message: str) -> None:
    with pytest.raises(DefinitionError) as e:
        make()  # type: ignore[operator]
    assert message in str(e.value)


def test_field_type_must_be_a_type() -> None:
    with pytest.raises(DefinitionError):
        nstruct("x", (int, "a"))
    assert nstruct("ok", (uint16, "a")).create(b"\x00\x01").a == 1
