"""Views of struct values for people and programs: ``dump``/``load``, ``pretty``, ``explain``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._errors import BuildError, NamedStructError
from ._struct import Struct, StructType
from ._types import Array, Tracer, Type

__all__ = ["ExplainRow", "dump", "explain", "explain_rows", "load", "pretty", "subtype_named"]


def _refresh(obj: Struct) -> None:
    """Serialize once so that length/count fields hold their computed values."""
    try:
        bytes(obj)
    except NamedStructError:
        pass


def dump(obj: Struct) -> dict[str, Any]:
    """A JSON-ready dict: ``{"_type": name, field: value...}`` with enum names and
    formatted addresses; ``_tail`` (hex) holds bytes no field describes.

    Example: ``dump(msg)["type"] == "OFPT_FLOW_MOD"``.
    """
    if not isinstance(obj, Struct):
        raise TypeError(f"dump() takes a struct, got {type(obj).__name__}")
    _refresh(obj)
    return _dump_struct(obj)


def _dump_struct(obj: Struct) -> dict[str, Any]:
    info = obj._ns_info
    out: dict[str, Any] = {"_type": info.name}
    for name, t in info.fields:
        value = getattr(obj, name)
        out[name] = None if value is None else _dump_value(t, value)
    if obj._tail:
        out["_tail"] = obj._tail.hex()
    if obj._pads:
        out["_pads"] = {str(i): data.hex() for i, data in obj._pads.items()}
    return out


def _dump_value(t: Type, value: Any) -> Any:
    if isinstance(t, StructType):
        return _dump_struct(value)
    if isinstance(t, Array):
        return [_dump_value(t.element, v) for v in value]
    return t.dump_value(value)


def _subtree(cls: type[Struct]) -> dict[str, type[Struct]]:
    found: dict[str, type[Struct]] = {}
    todo = [cls]
    while todo:
        c = todo.pop()
        found.setdefault(c._ns_info.name, c)
        todo.extend(c._ns_info.subtypes.values())
        todo.extend(p[2] for p in c._ns_info.partial)
    return found


def subtype_named(cls: type[Struct], name: str) -> type[Struct] | None:
    """*cls* or the subtype of it whose struct name is *name* (as in ``dump``'s ``_type``)."""
    return _subtree(cls).get(name)


def load(cls: type[Struct], data: Mapping[str, Any]) -> Any:
    """Rebuild an object from a ``dump()`` dict; ``_type`` picks the subtype of *cls*.

    Raises ``BuildError`` with the path of a value that does not fit.

    Example: ``load(ofp_header, dump(msg)) == msg``.
    """
    try:
        return load_nested(cls, data)
    except BuildError as e:
        e.push(cls._ns_info.name)
        raise


def load_nested(cls: type[Struct], data: Mapping[str, Any]) -> Any:
    """``load`` without the root name in error paths (for nested structs)."""
    if not isinstance(data, Mapping):
        raise BuildError(f"expected a dict for {cls._ns_info.name}, got {type(data).__name__}")
    name = data.get("_type", cls._ns_info.name)
    target = _subtree(cls).get(name)
    if target is None:
        err = BuildError(f"{name!r} is not {cls._ns_info.name} or one of its subtypes")
        err.push("_type")
        raise err
    info = target._ns_info
    kwargs: dict[str, Any] = {}
    pads: dict[int, bytes] = {}
    for key, value in data.items():
        if key == "_type":
            continue
        try:
            if key == "_tail":
                try:
                    kwargs["_tail"] = bytes.fromhex(value)
                except (TypeError, ValueError):
                    raise BuildError(f"expected hex digits, got {value!r}") from None
                continue
            if key == "_pads":
                try:
                    pads = {int(i): bytes.fromhex(h) for i, h in value.items()}
                except (AttributeError, TypeError, ValueError):
                    raise BuildError(f"expected {{index: hex}}, got {value!r}") from None
                continue
            t = info.field_types.get(key)
            if t is None:
                raise BuildError(f"{info.name} has no field {key!r}")
            kwargs[key] = None if value is None else t.load_value(value)
        except BuildError as e:
            e.push(key)
            raise
    obj = target(**kwargs)
    if "_pads" in data:
        obj._pads = pads or None
    return obj


def pretty(obj: Struct) -> str:
    """A readable indented tree with enum names and formatted addresses."""
    _refresh(obj)
    lines: list[str] = []
    _pretty_struct(obj, "", 0, lines)
    return "\n".join(lines)


def _pretty_struct(obj: Struct, label: str, indent: int, lines: list[str]) -> None:
    info = obj._ns_info
    pad = "  " * indent
    lines.append(f"{pad}{label}{info.name}")
    for name, t in info.fields:
        _pretty_value(t, getattr(obj, name), f"{name}: ", indent + 1, lines)
    if obj._tail:
        lines.append(f"{pad}  _tail: {obj._tail.hex()} ({len(obj._tail)} bytes not decoded)")


def _pretty_value(t: Type, value: Any, label: str, indent: int, lines: list[str]) -> None:
    pad = "  " * indent
    if value is None:
        lines.append(f"{pad}{label}(absent)")
    elif isinstance(t, StructType):
        _pretty_struct(value, label, indent, lines)
    elif isinstance(t, Array) and isinstance(t.element, StructType):
        lines.append(f"{pad}{label}{len(value)} item{'' if len(value) == 1 else 's'}")
        for i, v in enumerate(value):
            _pretty_struct(v, f"[{i}] ", indent + 1, lines)
    else:
        lines.append(f"{pad}{label}{t.text(value)}")


@dataclass(frozen=True)
class ExplainRow:
    """One line of an annotated hexdump: where, which bytes, which field, what value."""

    offset: int
    data: bytes
    path: str
    value: str


def explain_rows(obj: Struct) -> list[ExplainRow]:
    """The rows of ``explain(obj)``: every leaf field with its offset, bytes and value."""
    from ._engine import build_struct

    tracer = Tracer()
    out = bytearray()
    build_struct(obj, out, tracer, top=True)
    return [ExplainRow(off, bytes(out[off:off + n]), path, render(bytes(out[off:off + n])))
            for off, n, path, render in tracer.rows]


def explain(obj: Struct, width: int = 8) -> str:
    """An annotated hexdump, the teaching view of Wireshark's byte pane::

        offset  bytes                    field          value
        0000    04                       version        4
        0001    0e                       type           OFPT_FLOW_MOD (14)
    """
    rows = explain_rows(obj)
    name_width = max([len(r.path) for r in rows] + [5])
    hex_width = width * 3 - 1
    lines = [f"{obj._ns_info.name} ({len(obj)} bytes)",
             f"{'offset':<7} {'bytes':<{hex_width}}  {'field':<{name_width}}  value"]
    for r in rows:
        chunks = [r.data[i:i + width] for i in range(0, len(r.data), width)] or [b""]
        first = chunks[0].hex(" ")
        lines.append(f"{r.offset:04x}    {first:<{hex_width}}  {r.path:<{name_width}}  {r.value}")
        for j, chunk in enumerate(chunks[1:], 1):
            lines.append(f"{r.offset + j * width:04x}    {chunk.hex(' ')}")
    return "\n".join(lines)
