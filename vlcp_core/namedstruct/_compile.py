"""The compiler: one generated Python function per struct class and purpose.

Theory of operation
-------------------
For each class it generates, on first use:

- ``_fp(buf, off, end) -> (obj, new_off)``: parse exactly this class.  Runs of
  fixed-size entries (integers, padding, fixed raw bytes and strings, bit
  fields) become one precompiled ``struct.Struct.unpack_from``; nested structs
  and arrays call their own compiled functions; anything unusual calls the
  interpreted ``parse_value`` of its type.
- ``_dp``: the same after O(1) dispatch on the classifier fields: one
  ``unpack_from`` peeks them at their fixed offsets, a dict gives the subtype.
- ``_fb(obj, out)``: build into a ``bytearray``; length, count and size fields are
  computed while building and stored back on the object.
- ``__init__`` with keyword-only arguments and per-field defaults.

Generated code only *detects* failure: it raises anything (``struct.error``,
``_FastPathError``, ``TypeError``...) and the top-level entry points then run the
interpreted engine on the same input, which produces the result or the precise
error.  The code never has to be right about *why* something failed, only never
succeed where the interpreted engine would not.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from ._entries import AlignEntry, BitsEntry, Entry, FieldEntry, PadEntry
from ._struct import Struct, StructInfo, StructType
from ._types import Array, Char, Int, Length, Raw

__all__ = ["install_stubs"]


class _FastPathError(Exception):
    """Raised by generated code; the caller falls back to the interpreted engine."""


class _Code:
    def __init__(self, info: StructInfo) -> None:
        self.info = info
        self.lines: list[str] = []
        self.env: dict[str, Any] = {
            "_FastPathError": _FastPathError, "_new": object.__new__, "bytes": bytes,
            "len": len, "list": list, "isinstance": isinstance,
            "_unpack_from": struct.unpack_from, "_pack": struct.pack, "_PADS": _PAD_READERS}
        self.count = 0

    def const(self, value: Any, prefix: str = "_k") -> str:
        self.count += 1
        name = f"{prefix}{self.count}"
        self.env[name] = value
        return name

    def temp(self, prefix: str = "_t") -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def emit(self, indent: int, line: str) -> None:
        self.lines.append("    " * indent + line)

    def finish(self, name: str) -> Callable[..., Any]:
        source = "\n".join(self.lines) + "\n"
        exec(compile(source, f"<namedstruct {self.info.name}.{name}>", "exec"), self.env)
        fn: Callable[..., Any] = self.env[name]
        fn.__doc__ = source  # handy when debugging: print(cls._fp.__doc__)
        return fn


def _run_code(entry: Entry) -> tuple[str, str] | None:
    """(struct code, endianness '<', '>' or '') if *entry* fits in a fixed run."""
    if isinstance(entry, PadEntry):
        return f"{entry.size}x", ""
    if isinstance(entry, BitsEntry):
        c = entry.container
        return c.code, ("<" if c.little else ">") if c.size and c.size > 1 else ""
    if isinstance(entry, FieldEntry) and entry.present is None:
        t = entry.type
        if isinstance(t, Int):
            return t.code, ("<" if t.little else ">") if t.size and t.size > 1 else ""
        if isinstance(t, (Raw, Char)) and t.size is not None:
            return f"{t.size}s", ""
    return None


def _runs(entries: list[Entry]) -> list[list[Entry] | Entry]:
    """Group consecutive run-able entries of the same byte order."""
    out: list[list[Entry] | Entry] = []
    run: list[Entry] = []
    order = ""
    for e in entries:
        rc = _run_code(e)
        if rc is not None and not (order and rc[1] and rc[1] != order):
            run.append(e)
            order = order or rc[1]
            continue
        if run:
            out.append(run)
            run, order = [], ""
        if rc is not None:
            run, order = [e], rc[1]
        else:
            out.append(e)
    if run:
        out.append(run)
    return out


def _pad_codes(n: int) -> str:
    """Integer codes covering *n* padding bytes, to read them cheaply (6 -> "IH")."""
    codes = ""
    for code, size in (("Q", 8), ("I", 4), ("H", 2), ("B", 1)):
        codes += code * (n // size)
        n %= size
    return codes


# Readers of n padding bytes as integers (for align/pad_after, whose n varies).
_PAD_READERS = [struct.Struct(">" + _pad_codes(n)) for n in range(256)]


def _run_struct(run: list[Entry], read_pads: bool = False) -> struct.Struct:
    """One Struct for a run; padding is skipped (``x``) or, to check it is zero when
    parsing, read as integers."""
    order = ">"
    for e in run:
        rc = _run_code(e)
        assert rc is not None
        if rc[1]:
            order = rc[1]
            break
    codes = []
    for e in run:
        rc = _run_code(e)
        assert rc is not None
        if read_pads and isinstance(e, PadEntry):
            codes.append(_pad_codes(e.size or 0))
        else:
            codes.append(rc[0])
    return struct.Struct(order + "".join(codes))


def _length_expr(length: Length, value: str) -> str:
    expr = value
    if length.unit != 1:
        expr = f"{expr} * {length.unit}"
    if length.extra:
        expr = f"{expr} + {length.extra}"
    return expr


# -- parse ------------------------------------------------------------------------

def compile_parse(cls: type[Struct]) -> Callable[..., Any]:
    info = cls._ns_info
    c = _Code(info)
    c.env["_C"] = cls
    c.emit(0, "def _fp(buf, off, end):")
    c.emit(1, "start = off")
    if info.pad_after:
        c.emit(1, "pend = end")
    c.emit(1, "o = _new(_C)")
    c.emit(1, "o._pads = None")
    size_entry = info.holders[info.size.field] if info.size is not None else None
    for group in _runs(info.entries):
        if isinstance(group, list):
            _parse_run(c, group)
            if size_entry is not None and size_entry in group:
                _parse_size(c, info)
        else:
            _parse_unit(c, group, 1)
            if group is size_entry:
                _parse_size(c, info)
    last = info.entries[-1] if info.entries else None
    if (info.size is not None or info.generic) and _greedy(last) and not info.pad_to:
        c.emit(1, "o._tail = b''  # the greedy last field took everything")
    elif info.size is not None or info.generic:
        c.emit(1, "if off < end:")
        c.emit(2, "t = bytes(buf[off:end])")
        if info.pad_to:
            c.emit(2, f"if len(t) == -(off - start) % {info.pad_to} and not any(t):")
            c.emit(3, "t = b''")
        c.emit(2, "o._tail = t")
        c.emit(2, "off = end")
        c.emit(1, "else:")
        c.emit(2, "o._tail = b''")
    else:
        c.emit(1, "o._tail = b''")
    if info.pad_after:
        _emit_padding(c, 1, info.pad_after, "pend")
    c.emit(1, "return o, off")
    return c.finish("_fp")


def _emit_padding(c: _Code, ind: int, unit: int, limit: str) -> None:
    """Skip zero padding up to a multiple of *unit*; hand over if it is not zero."""
    c.emit(ind, f"n = -(off - start) % {unit}")
    c.emit(ind, "if n:")
    c.emit(ind + 1, f"if off + n > {limit} or any(_PADS[n].unpack_from(buf, off)):")
    c.emit(ind + 2, "raise _FastPathError")
    c.emit(ind + 1, "off += n")


def _greedy(entry: Entry | None) -> bool:
    """True for a field that always takes the rest of its struct."""
    if not isinstance(entry, FieldEntry) or entry.present is not None:
        return False
    t = entry.type
    if isinstance(t, Raw):
        return t.size is None and t.length is None
    if isinstance(t, Array):
        return t.count is None and t.count_field is None and t.size_field is None
    return False


def _parse_size(c: _Code, info: StructInfo) -> None:
    assert info.size is not None
    holder = info.holders[info.size.field]
    value = "_sz" if isinstance(holder, FieldEntry) else "o." + info.size.field
    c.emit(1, f"e = start + {_length_expr(info.size, value)}")
    c.emit(1, "if e > end or e < off:")
    c.emit(2, "raise _FastPathError")
    if info.pad_to:  # a length that is not a multiple: the engine names the error
        c.emit(1, f"if (e - start) % {info.pad_to}:")
        c.emit(2, "raise _FastPathError")
    c.emit(1, "end = e")


def _parse_run(c: _Code, run: list[Entry]) -> None:
    st = _run_struct(run, read_pads=True)
    name = c.const(st, "_S")
    targets: list[str] = []
    post: list[str] = []
    pads: list[str] = []
    for e in run:
        if isinstance(e, PadEntry):
            # Non-zero padding is kept by the interpreted engine: hand over to it.
            for _ in _pad_codes(e.size or 0):
                pads.append(c.temp("_p"))
            targets.extend(pads[len(pads) - len(_pad_codes(e.size or 0)):])
            continue
        if isinstance(e, BitsEntry):
            t = c.temp()
            targets.append(t)
            for (fname, bt), shift in zip(e.parts, e.shifts, strict=True):
                post.append(f"o.{fname} = ({t} >> {shift}) & {bt.max}" if shift
                            else f"o.{fname} = {t} & {bt.max}")
        elif isinstance(e, FieldEntry) and isinstance(e.type, Char):
            t = c.temp()
            targets.append(t)
            post.append(f"o.{e.name} = {t}.rstrip(b'\\x00').decode('utf-8', 'surrogateescape')")
        else:
            assert isinstance(e, FieldEntry)
            if c.info.size is not None and e.name == c.info.size.field:
                # Kept in a local as well: the size check right after reads it.
                targets.append("_sz")
                post.append(f"o.{e.name} = _sz")
            else:
                targets.append(f"o.{e.name}")
    c.emit(1, f"if off + {st.size} > end:")
    c.emit(2, "raise _FastPathError")
    if targets:
        c.emit(1, f"{', '.join(targets)}, = {name}.unpack_from(buf, off)")
    c.emit(1, f"off += {st.size}")
    if pads:
        c.emit(1, f"if {' or '.join(pads)}:")
        c.emit(2, "raise _FastPathError")
    for line in post:
        c.emit(1, line)


def _parse_unit(c: _Code, entry: Entry, ind: int) -> None:
    if isinstance(entry, AlignEntry):
        _emit_padding(c, ind, entry.unit, "end")
        return
    assert isinstance(entry, FieldEntry)
    if entry.present is not None:
        if entry.present_field is not None:
            c.emit(ind, f"if o.{entry.present_field}:")
        else:
            c.emit(ind, f"if {c.const(entry.present, '_p')}(o):")
        _parse_field(c, entry, ind + 1)
        c.emit(ind, "else:")
        c.emit(ind + 1, f"o.{entry.name} = None")
        return
    _parse_field(c, entry, ind)


def _parse_field(c: _Code, entry: FieldEntry, ind: int) -> None:
    t = entry.type
    target = f"o.{entry.name}"
    if isinstance(t, StructType):
        k = c.const(t.cls, "_T")
        c.emit(ind, f"{target}, off = {k}._dp(buf, off, end)")
        return
    if isinstance(t, (Int, Raw)) and t.size is not None:
        # A fixed-size field outside a run (an optional one): inline as well.
        c.emit(ind, f"if off + {t.size} > end:")
        c.emit(ind + 1, "raise _FastPathError")
        if isinstance(t, Int):
            c.emit(ind, f"{target}, = {c.const(t.struct, '_S')}.unpack_from(buf, off)")
        else:
            c.emit(ind, f"{target} = bytes(buf[off:off + {t.size}])")
        c.emit(ind, f"off += {t.size}")
        return
    if isinstance(t, Raw) and t.size is None:
        if t.length is None:
            c.emit(ind, f"{target} = bytes(buf[off:end])")
            c.emit(ind, "off = end")
        else:
            c.emit(ind, f"e2 = off + {_length_expr(t.length, 'o.' + t.length.field)}")
            c.emit(ind, "if e2 > end or e2 < off:")
            c.emit(ind + 1, "raise _FastPathError")
            c.emit(ind, f"{target} = bytes(buf[off:e2])")
            c.emit(ind, "off = e2")
        return
    if isinstance(t, Array) and isinstance(t.element, StructType):
        k = c.const(t.element.cls, "_T")
        lst = c.temp("_l")
        c.emit(ind, f"{lst} = []")
        c.emit(ind, f"add = {lst}.append")
        c.emit(ind, f"p = {k}._dp")
        if t.count is not None or t.count_field is not None:
            if t.count is not None:
                n = str(t.count)
            else:
                assert t.count_field is not None
                n = _length_expr(t.count_field, "o." + t.count_field.field)
            c.emit(ind, f"for _ in range({n}):")
            c.emit(ind + 1, "x, off = p(buf, off, end)")
            c.emit(ind + 1, "add(x)")
        else:
            limit = "end"
            if t.size_field is not None:
                limit = "e2"
                c.emit(ind, f"e2 = off + {_length_expr(t.size_field, 'o.' + t.size_field.field)}")
                c.emit(ind, "if e2 > end or e2 < off:")
                c.emit(ind + 1, "raise _FastPathError")
            c.emit(ind, f"while off < {limit}:")
            c.emit(ind + 1, f"x, off = p(buf, off, {limit})")
            c.emit(ind + 1, "add(x)")
        c.emit(ind, f"{target} = {lst}")
        return
    if isinstance(t, Array) and isinstance(t.element, Int):
        el = t.element
        fmt = ("<" if el.little else ">") + el.code
        size = el.struct.size
        if t.count is not None:
            n = str(t.count)
        elif t.count_field is not None:
            n = _length_expr(t.count_field, "o." + t.count_field.field)
        else:
            if t.size_field is not None:
                c.emit(ind, f"nb = {_length_expr(t.size_field, 'o.' + t.size_field.field)}")
            else:
                c.emit(ind, "nb = end - off")
            c.emit(ind, f"if nb % {size} or nb < 0:")
            c.emit(ind + 1, "raise _FastPathError")
            n = f"nb // {size}"
        c.emit(ind, f"n = {n}")
        c.emit(ind, f"if n < 0 or off + n * {size} > end:")
        c.emit(ind + 1, "raise _FastPathError")
        c.emit(ind, f"{target} = list(_unpack_from('{fmt[0]}%d{fmt[1]}' % n, buf, off))")
        c.emit(ind, f"off += n * {size}")
        return
    k = c.const(t, "_ty")
    c.emit(ind, f"{target}, off = {k}.parse_value(buf, off, end, False, o)")


def compile_dispatch(cls: type[Struct]) -> Callable[..., Any]:
    info = cls._ns_info
    if not info.classify:
        return ensure_parse(cls)
    c = _Code(info)
    c.env.update(_C=cls, _tab=info.subtypes, _lookup=info.lookup)
    c.emit(0, "def _dp(buf, off, end):")
    peek = _peek_plan(info)
    if peek is None:
        c.emit(1, "o, noff = _C._fp(buf, off, end)")
        c.emit(1, f"k = ({', '.join('o.' + f for f in info.classify)},)")
        c.emit(1, "sub = _lookup(k)")
        c.emit(1, "if sub is None:")
        c.emit(2, "return o, noff")
        c.emit(1, "return sub._dp(buf, off, end)")
        return c.finish("_dp")
    packed = _int_key_plan(info)
    if packed is not None:
        # The classifier fields fill one 1/2/4/8-byte word: read it as one integer and
        # look it up in a table keyed by that integer (kept in step by registration).
        reader, start, total, to_int, to_tuple = packed
        info.int_key = to_int
        info.int_subtypes.clear()
        for k, sub_cls in info.subtypes.items():
            info.int_subtypes[to_int(k)] = sub_cls
        c.env.update(_itab=info.int_subtypes, _untuple=to_tuple)
        name = c.const(reader, "_K")
        word = f"buf[off + {start}]" if total == 1 else f"{name}.unpack_from(buf, off)[0]"
        c.emit(1, f"if off + {start + total} > end:")
        c.emit(2, "raise _FastPathError")
        c.emit(1, f"sub = _itab.get({word})")
        c.emit(1, "if sub is None:")
        c.emit(2, f"sub = _lookup(_untuple({word}))")
        c.emit(2, "if sub is None:")
        c.emit(3, "return _C._fp(buf, off, end)")
        c.emit(1, "return sub._dp(buf, off, end)")
        return c.finish("_dp")
    st, temps, key = peek
    name = c.const(st, "_S")
    c.emit(1, f"if off + {st.size} > end:")
    c.emit(2, "raise _FastPathError")
    if key == temps:
        # The classifier fields come out of the peek in classify order: that tuple is the key.
        c.emit(1, f"k = {name}.unpack_from(buf, off)")
    else:
        c.emit(1, f"{', '.join(temps)}, = {name}.unpack_from(buf, off)")
        c.emit(1, f"k = ({', '.join(key)},)")
    c.emit(1, "sub = _tab.get(k)")
    c.emit(1, "if sub is None:")
    c.emit(2, "sub = _lookup(k)")
    c.emit(2, "if sub is None:")
    c.emit(3, "return _C._fp(buf, off, end)")
    c.emit(1, "return sub._dp(buf, off, end)")
    return c.finish("_dp")


def _int_key_plan(info: StructInfo) -> tuple[
        struct.Struct, int, int, Callable[[tuple[int, ...]], int],
        Callable[[int], tuple[int, ...]]] | None:
    """If the classifier fields are exactly the bits of one big-endian 1/2/4/8-byte
    word at a fixed offset: (reader, offset, size, tuple -> int, int -> tuple)."""
    offset = 0
    region: list[tuple[int, Entry]] = []
    wanted = set(info.classify)
    for e in info.entries:
        names = [n for n, _ in e.field_types()]
        if names and set(names) & wanted:
            if not set(names) <= wanted:
                return None  # a bits container shared with other fields
            rc = _run_code(e)
            if rc is None or rc[1] == "<" or not isinstance(e, (FieldEntry, BitsEntry)):
                return None
            region.append((offset, e))
        if isinstance(e, AlignEntry) or e.size is None:
            break
        offset += e.size
    covered = {n for _, e in region for n, _ in e.field_types()}
    if covered != wanted:
        return None
    start = region[0][0]
    total = 0
    for off, e in region:
        if off != start + total:
            return None  # not contiguous
        total += e.size or 0
    if total not in (1, 2, 4, 8):
        return None
    # Bit position (shift) and width of each classify field inside the word.
    layout: dict[str, tuple[int, int]] = {}
    bit = total * 8
    for _, e in region:
        if isinstance(e, BitsEntry):
            base = bit - (e.size or 0) * 8
            for (n, bt), shift in zip(e.parts, e.shifts, strict=True):
                layout[n] = (base + shift, bt.width)
            bit = base
        else:
            assert isinstance(e, FieldEntry)
            width = (e.size or 0) * 8
            bit -= width
            layout[e.name] = (bit, width)
    order = [layout[n] for n in info.classify]

    def to_int(key: tuple[int, ...]) -> int:
        value = 0
        for (shift, width), v in zip(order, key, strict=True):
            value |= (v & ((1 << width) - 1)) << shift
        return value

    def to_tuple(word: int) -> tuple[int, ...]:
        return tuple((word >> shift) & ((1 << width) - 1) for shift, width in order)

    code = {1: "B", 2: "H", 4: "I", 8: "Q"}[total]
    reader = struct.Struct(f">{start}x{code}" if start else f">{code}")
    return reader, start, total, to_int, to_tuple


def _peek_plan(info: StructInfo) -> tuple[struct.Struct, list[str], list[str]] | None:
    """A Struct reading the classifier fields at fixed offsets, if they have them."""
    where: dict[str, tuple[int, Entry]] = {}
    offset = 0
    for e in info.entries:
        for name, _ in e.field_types():
            where[name] = (offset, e)
        if isinstance(e, AlignEntry):
            offset += -offset % e.unit
            continue
        if e.size is None:
            break
        offset += e.size
    pieces: list[tuple[int, Entry]] = []
    for f in info.classify:
        if f not in where:
            return None
        off, e = where[f]
        rc = _run_code(e)
        if rc is None or not isinstance(e, (FieldEntry, BitsEntry)):
            return None
        if (off, e) not in pieces:
            pieces.append((off, e))
    pieces.sort(key=lambda p: p[0])
    fmt = ">"
    pos = 0
    temps: list[str] = []
    for off, e in pieces:
        rc = _run_code(e)
        assert rc is not None
        if rc[1] == "<":
            return None
        fmt += (f"{off - pos}x" if off > pos else "") + rc[0]
        pos = off + (e.size or 0)
        temps.append(f"_v{len(temps)}")
    key: list[str] = []
    for f in info.classify:
        idx = next(i for i, (_, e) in enumerate(pieces) if f in dict(e.field_types()))
        e = pieces[idx][1]
        if isinstance(e, BitsEntry):
            names = [n for n, _ in e.parts]
            j = names.index(f)
            key.append(f"(_v{idx} >> {e.shifts[j]}) & {e.parts[j][1].max}")
        else:
            key.append(f"_v{idx}")
    return struct.Struct(fmt), temps, key


# -- lazy stubs -------------------------------------------------------------------

def ensure_parse(cls: type[Struct]) -> Callable[..., Any]:
    """The compiled ``_fp`` of *cls*, compiling it now if needed."""
    fn = cls.__dict__["_fp"].__func__
    if getattr(fn, "_ns_stub", False):
        fn = compile_parse(cls)
        cls._fp = staticmethod(fn)
    return fn  # type: ignore[no-any-return]


def install_stubs(cls: type[Struct]) -> None:
    """Give *cls* its own stubs that compile the real functions on first use."""

    def _fp(buf: memoryview, off: int, end: int) -> tuple[Any, int]:
        return ensure_parse(cls)(buf, off, end)  # type: ignore[no-any-return]

    def _dp(buf: memoryview, off: int, end: int) -> tuple[Any, int]:
        fn = compile_dispatch(cls)
        cls._dp = staticmethod(fn)
        return fn(buf, off, end)  # type: ignore[no-any-return]

    def _fb(self: Any, out: bytearray) -> None:
        from ._compile_build import compile_build

        fn = compile_build(cls)
        cls._fb = fn  # type: ignore[method-assign]
        fn(self, out)

    def init_stub(self: Any, **kwargs: Any) -> None:
        from ._compile_build import compile_init

        fn = compile_init(cls)
        cls.__init__ = fn  # type: ignore[method-assign]
        fn(self, **kwargs)

    _fp._ns_stub = True  # type: ignore[attr-defined]
    cls._fp = staticmethod(_fp)
    cls._dp = staticmethod(_dp)
    cls._fb = _fb  # type: ignore[method-assign]
    init_stub.__name__ = "__init__"
    cls.__init__ = init_stub  # type: ignore[method-assign]
