"""The compiler, building side: generated ``_fb`` (serialize) and ``__init__``.

See ``_compile`` for the theory of operation: generated code raises on any
doubt and the caller falls back to the interpreted engine.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from ._compile import _Code, _FastPathError, _run_struct, _runs
from ._entries import AlignEntry, BitsEntry, BitType, Entry, FieldEntry, PadEntry
from ._errors import BuildError
from ._struct import Struct, StructInfo, StructType
from ._types import Array, Char, Int, Length, Raw, Type

__all__ = ["compile_build", "compile_init"]


def _natively_built(t: Type) -> bool:
    if isinstance(t, (Int, StructType)):
        return True
    if isinstance(t, (Raw, Char)):
        return True
    if isinstance(t, Array):
        return isinstance(t.element, (StructType, Int))
    return False


def compile_build(cls: type[Struct]) -> Callable[..., Any]:
    info = cls._ns_info
    for e in info.entries:
        if isinstance(e, FieldEntry) and not _natively_built(e.type):
            # Rare shapes (cstrings, nested arrays...): use the interpreted builder.
            from ._engine import build_struct

            def _fb(o: Any, out: bytearray) -> None:
                build_struct(o, out, None)

            return _fb
    c = _Code(info)
    c.env["_Struct"] = Struct
    c.emit(0, "def _fb(o, out):")
    c.emit(1, "if o._pads is not None:")
    c.emit(2, "raise _FastPathError  # kept padding: the interpreted builder writes it")
    c.emit(1, "start = len(out)")
    size = info.size
    upfront = size is not None and info.fixed_size is not None
    if size is not None:
        c.emit(1, "t = o._tail")
        if upfront:
            unpadded = _unpadded_fixed(info)
            c.emit(1, f"n = {unpadded} + len(t)")
            if info.pad_to:
                c.emit(1, f"n += -n % {info.pad_to}")
            c.emit(1, f"o.{size.field} = sz = {_to_value(c, size, 'n')}")
    # Which fields are computed from what: name -> expression, or None for a patch.
    computed: dict[str, str | None] = {}
    if size is not None:
        computed[size.field] = "sz" if upfront else None
    for e in info.entries:
        if isinstance(e, FieldEntry):
            t = e.type
            if isinstance(t, Array) and t.count_field is not None:
                computed[t.count_field.field] = _to_value(c, t.count_field, f"len(o.{e.name})")
            elif isinstance(t, Array) and t.size_field is not None:
                computed[t.size_field.field] = None
            elif isinstance(t, Raw) and t.length is not None:
                computed[t.length.field] = _to_value(c, t.length, f"len(o.{e.name})")
    patches: dict[str, str] = {}  # field -> variable holding its position in out
    for group in _runs(info.entries):
        if isinstance(group, list):
            _build_run(c, group, computed, patches)
        else:
            _build_unit(c, info, group, 1, patches)
    if size is None:
        c.emit(1, "t = o._tail")
    c.emit(1, "if t:")
    c.emit(2, "if t.__class__ is not bytes:")
    c.emit(3, "raise _FastPathError")
    c.emit(2, "out += t")
    if info.pad_to and not upfront:
        c.emit(1, f"out += bytes(-(len(out) - start) % {info.pad_to})")
    if size is not None and not upfront:
        c.emit(1, f"o.{size.field} = sz = {_to_value(c, size, 'len(out) - start')}")
        _emit_patch(c, info, size.field, patches[size.field], "sz", 1)
    elif upfront and info.pad_to:
        c.emit(1, f"out += bytes(-(len(out) - start) % {info.pad_to})")
    if info.pad_after:
        c.emit(1, f"out += bytes(-(len(out) - start) % {info.pad_after})")
    return c.finish("_fb")


def _unpadded_fixed(info: StructInfo) -> int:
    total = 0
    for e in info.entries:
        if isinstance(e, AlignEntry):
            total += -total % e.unit
        else:
            total += e.size or 0
    return total


def _to_value(c: _Code, length: Length, nbytes: str) -> str:
    """An expression turning a byte count into the value of a Length field."""
    if length.unit == 1:
        # A negative result makes struct.pack fail: the interpreted path then explains.
        return f"({nbytes} - {length.extra})" if length.extra else nbytes
    f = c.const(length.to_value, "_lv")
    g = c.const(_checked, "_chk")
    return f"{g}({f}({nbytes}))"


def _checked(value: int | None) -> int:
    if value is None:
        raise _FastPathError
    return value


def _build_run(c: _Code, run: list[Entry], computed: dict[str, str | None],
               patches: dict[str, str]) -> None:
    st = _run_struct(run)
    name = c.const(st, "_S")
    args: list[str] = []
    offset = 0
    for e in run:
        if isinstance(e, PadEntry):
            offset += e.size or 0
            continue
        if isinstance(e, BitsEntry):
            parts = []
            for (fname, bt), shift in zip(e.parts, e.shifts, strict=True):
                v = c.temp("_b")
                if fname not in computed:
                    c.emit(1, f"{v} = o.{fname}")
                else:
                    bexpr = computed[fname]
                    if bexpr is None:
                        # Built as 0, filled in later (see _emit_patch).
                        pos = c.temp("_pos")
                        c.emit(1, f"{pos} = len(out) + {offset}")
                        patches[fname] = pos
                        continue
                    c.emit(1, f"o.{fname} = {v} = {bexpr}")
                c.emit(1, f"if {v} >> {bt.width} or {v} < 0:")
                c.emit(2, "raise _FastPathError")
                parts.append(f"({v} << {shift})" if shift else v)
            args.append(" | ".join(parts) or "0")
        elif isinstance(e, FieldEntry) and isinstance(e.type, Char):
            v = c.temp("_c")
            c.emit(1, f"{v} = o.{e.name}.encode('utf-8', 'surrogateescape')")
            c.emit(1, f"if len({v}) > {e.type.size}:")
            c.emit(2, "raise _FastPathError")
            args.append(v)
        elif isinstance(e, FieldEntry) and isinstance(e.type, Raw):
            v = c.temp("_r")
            c.emit(1, f"{v} = o.{e.name}")
            c.emit(1, f"if {v}.__class__ is not bytes or len({v}) != {e.type.size}:")
            c.emit(2, "raise _FastPathError")
            args.append(v)
        else:
            assert isinstance(e, FieldEntry)
            if e.name in computed:
                expr = computed[e.name]
                if expr is None:
                    pos = c.temp("_pos")
                    c.emit(1, f"{pos} = len(out) + {offset}")
                    patches[e.name] = pos
                    args.append("0")
                else:
                    if expr != "sz":
                        v = c.temp("_n")
                        c.emit(1, f"o.{e.name} = {v} = {expr}")
                        expr = v
                    args.append(expr)
            else:
                args.append(f"o.{e.name}")
        offset += e.size or 0
    c.emit(1, f"out += {name}.pack({', '.join(args)})")


def _build_unit(c: _Code, info: StructInfo, entry: Entry, ind: int,
                patches: dict[str, str]) -> None:
    if isinstance(entry, AlignEntry):
        c.emit(ind, f"out += bytes(-(len(out) - start) % {entry.unit})")
        return
    assert isinstance(entry, FieldEntry)
    if entry.present is not None:
        if entry.present_field is not None:
            c.emit(ind, f"if o.{entry.present_field}:")
        else:
            c.emit(ind, f"if {c.const(entry.present, '_p')}(o):")
        _build_field(c, info, entry, ind + 1, patches)
        return
    _build_field(c, info, entry, ind, patches)


def _build_field(c: _Code, info: StructInfo, entry: FieldEntry, ind: int,
                 patches: dict[str, str]) -> None:
    t = entry.type
    v = c.temp("_v")
    c.emit(ind, f"{v} = o.{entry.name}")
    if isinstance(t, StructType):
        k = c.const(t.cls, "_T")
        c.emit(ind, f"if not isinstance({v}, {k}):")
        c.emit(ind + 1, "raise _FastPathError")
        c.emit(ind, f"{v}._fb(out)")
        return
    if isinstance(t, Raw):
        c.emit(ind, f"if {v}.__class__ is not bytes:")
        c.emit(ind + 1, "raise _FastPathError")
        if t.size is not None:
            c.emit(ind, f"if len({v}) != {t.size}:")
            c.emit(ind + 1, "raise _FastPathError")
        c.emit(ind, f"out += {v}")
        return
    if isinstance(t, Int):
        k = c.const(t.struct, "_S")
        c.emit(ind, f"out += {k}.pack({v})")
        return
    if isinstance(t, Char):
        c.emit(ind, f"{v} = {v}.encode('utf-8', 'surrogateescape')")
        c.emit(ind, f"if len({v}) > {t.size}:")
        c.emit(ind + 1, "raise _FastPathError")
        c.emit(ind, f"out += {v} + bytes({t.size} - len({v}))")
        return
    assert isinstance(t, Array)
    c.emit(ind, f"if {v}.__class__ is not list:")
    c.emit(ind + 1, "raise _FastPathError")
    if t.count is not None:
        c.emit(ind, f"if len({v}) != {t.count}:")
        c.emit(ind + 1, "raise _FastPathError")
    begin = c.temp("_a")
    if t.size_field is not None:
        c.emit(ind, f"{begin} = len(out)")
    if isinstance(t.element, StructType):
        k = c.const(t.element.cls, "_T")
        c.emit(ind, f"for x in {v}:")
        c.emit(ind + 1, f"if not isinstance(x, {k}):")
        c.emit(ind + 2, "raise _FastPathError")
        c.emit(ind + 1, "x._fb(out)")
    else:
        el = t.element
        assert isinstance(el, Int)
        fmt = ("<" if el.little else ">")
        c.emit(ind, f"out += _pack('{fmt}%d{el.code}' % len({v}), *{v})")
    if t.size_field is not None:
        field = t.size_field.field
        n = c.temp("_n")
        c.emit(ind, f"o.{field} = {n} = {_to_value(c, t.size_field, f'len(out) - {begin}')}")
        _emit_patch(c, info, field, patches[field], n, ind)


def _emit_patch(c: _Code, info: StructInfo, name: str, pos: str, value: str, ind: int) -> None:
    """Write *value* into the integer or bit field *name* already built at *pos*."""
    holder = info.holders[name]
    if isinstance(holder, BitsEntry):
        j = [n for n, _ in holder.parts].index(name)
        width, shift = holder.parts[j][1].width, holder.shifts[j]
        st = c.const(holder.container.struct, "_L")
        c.emit(ind, f"if {value} >> {width} or {value} < 0:")
        c.emit(ind + 1, "raise _FastPathError")
        c.emit(ind, f"{st}.pack_into(out, {pos}, {st}.unpack_from(out, {pos})[0] | "
                    f"({value} << {shift}))")
        return
    assert isinstance(holder, FieldEntry) and isinstance(holder.type, Int)
    st = c.const(holder.type.struct, "_L")
    c.emit(ind, f"{st}.pack_into(out, {pos}, {value})")


# -- __init__ ----------------------------------------------------------------------

_MISSING = object()


def _converter(info: StructInfo, name: str, t: Type) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        try:
            return t.convert(value)
        except BuildError as e:
            e.push(name)
            e.push(info.name)
            raise

    return convert


def compile_init(cls: type[Struct]) -> Callable[..., Any]:
    info = cls._ns_info
    c = _Code(info)
    c.env["_M"] = _MISSING
    params: list[str] = []
    body: list[str] = []
    for name, t in info.fields:
        optional = isinstance(info.field_entries.get(name), FieldEntry) and \
            info.field_entries[name].present is not None
        conv = c.const(_converter(info, name, t), "_cv")
        if name in info.defaults:
            default: Any = t.convert(info.defaults[name]) if info.defaults[name] is not None \
                else None
        elif optional:
            default = None
        else:
            default = t.default()
        if isinstance(t, (Int, BitType)):
            d = c.const(default, "_d")
            params.append(f"{name}={d}")
            body.append(f"self.{name} = {name} if {name}.__class__ is int "
                        f"else {'None if ' + name + ' is None else ' if optional else ''}"
                        f"{conv}({name})")
        elif isinstance(t, (Raw, Char)) and not isinstance(default, (list, Struct)):
            d = c.const(default, "_d")
            kind = "bytes" if isinstance(t, Raw) else "str"
            params.append(f"{name}={d}")
            body.append(f"self.{name} = {name} if {name}.__class__ is {kind} "
                        f"else {'None if ' + name + ' is None else ' if optional else ''}"
                        f"{conv}({name})")
        else:
            d = c.const(default, "_d")
            params.append(f"{name}=_M")
            if default is None:
                fresh = "None"
            elif name not in info.defaults and isinstance(t, StructType):
                fresh = f"{c.const(t.cls, '_T')}()"
            elif name not in info.defaults and isinstance(t, Array) and t.count is None:
                fresh = "[]"
            else:
                fresh = f"_copy({d})"
            check = "list" if isinstance(t, Array) else None
            keep = (f"{name} if {name}.__class__ is list else {conv}({name})" if check
                    else f"{name} if isinstance({name}, _Struct) else {conv}({name})")
            if optional:
                keep = f"None if {name} is None else ({keep})"
            body.append(f"self.{name} = {fresh} if {name} is _M else {keep}")
    c.env.update(_copy=copy.deepcopy, _Struct=Struct)
    params.append("_tail=b''")
    c.emit(0, f"def __init__(self, *, {', '.join(params)}):")
    for line in body:
        c.emit(1, line)
    c.emit(1, "self._tail = _tail if _tail.__class__ is bytes else bytes(_tail)")
    c.emit(1, "self._pads = None")
    return c.finish("__init__")
