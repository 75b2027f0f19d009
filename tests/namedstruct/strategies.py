"""Hypothesis strategies derived from struct definitions: random valid objects."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from vlcp_core.namedstruct import Struct
from vlcp_core.namedstruct._entries import BitType, FieldEntry
from vlcp_core.namedstruct._struct import StructType
from vlcp_core.namedstruct._types import Array, Char, CString, Int, Raw, Type

_TEXT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_.", max_size=12)


def _concrete(cls: type[Struct]) -> list[type[Struct]]:
    """*cls* and all its subtypes, depth first."""
    found = [cls]
    info = cls._ns_info
    for sub in list(info.subtypes.values()) + [p[2] for p in info.partial]:
        found.extend(_concrete(sub))
    return found


def type_values(t: Type, depth: int) -> st.SearchStrategy[Any]:
    if isinstance(t, Int):
        return st.integers(t.min, t.max)
    if isinstance(t, BitType):
        return st.integers(0, t.max)
    if isinstance(t, Raw):
        if t.size is not None:
            return st.binary(min_size=t.size, max_size=t.size)
        return st.binary(max_size=20)
    if isinstance(t, Char):
        assert t.size is not None
        return st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", max_size=t.size)
    if isinstance(t, CString):
        return _TEXT
    if isinstance(t, Array):
        element = type_values(t.element, depth + 1)
        if t.count is not None:
            return st.lists(element, min_size=t.count, max_size=t.count)
        return st.lists(element, max_size=3 if depth < 2 else 1)
    if isinstance(t, StructType):
        return struct_values(t.cls, depth + 1)
    raise NotImplementedError(t.describe())


def _unclaimed(cls: type[Struct], key_values: dict[str, int]) -> bool:
    """True when these classifier values select no subtype (the generic class)."""
    info = cls._ns_info
    return info.lookup(tuple(key_values[k] for k in info.classify)) is None


@st.composite
def _one(draw: st.DrawFn, cls: type[Struct], depth: int) -> Struct:
    info = cls._ns_info
    kwargs: dict[str, Any] = {}
    auto = {n for n, e in info.field_entries.items() if e.auto}
    for name, t in info.fields:
        entry = info.field_entries.get(name)
        if name in auto or name in info.when or (
                info.base is not None and name in info.defaults and
                name in _inherited_when(info)):
            continue
        if isinstance(entry, FieldEntry) and entry.present is not None:
            continue  # decided below, once the other fields are known
        kwargs[name] = draw(type_values(t, depth))
    if info.generic:
        keys = {k: kwargs.get(k, info.defaults.get(k, 0)) for k in info.classify}
        if not _unclaimed(cls, keys):
            from hypothesis import assume

            assume(False)
        kwargs["_tail"] = draw(st.binary(max_size=12))
    obj = cls(**kwargs)
    for name, entry in info.field_entries.items():
        if entry.present is not None and entry.present(obj):
            setattr(obj, name, draw(type_values(entry.type, depth)))
    return obj


def _inherited_when(info: Any) -> set[str]:
    names: set[str] = set()
    base = info.base
    while base is not None:
        names.update(base.when)
        base = base.base
    return names | set(info.when)


def struct_values(cls: type[Struct], depth: int = 0) -> st.SearchStrategy[Struct]:
    """Random objects of *cls* or any of its subtypes."""
    return st.one_of([_one(c, depth) for c in _concrete(cls)])
