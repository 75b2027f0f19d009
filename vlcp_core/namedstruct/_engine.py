"""The interpreted engine: the reference behaviour, and the source of every error.

Compiled code (``_compile``) only has to *detect* failure; whenever it fails,
the top-level entry points run this engine on the same input, which returns the
result, ``None`` for incomplete input, or raises the precise error.  So the two
paths cannot disagree about errors, and a shared test helper checks that they
agree about results.
"""

from __future__ import annotations

from typing import Any

from ._entries import keep_padding, padding_bytes
from ._errors import BuildError, LengthError, ParseError, TrailingDataError, TruncatedError
from ._struct import Struct
from ._types import Tracer, Type, need

__all__ = ["build_struct", "create_top", "parse_as", "parse_struct", "parse_top"]


def _view(buf: bytes | bytearray | memoryview) -> memoryview:
    """A byte-wise memoryview of *buf* (one view, never a copy)."""
    if isinstance(buf, memoryview):
        return buf if buf.format == "B" and buf.ndim == 1 else buf.cast("B")
    return memoryview(buf)


def parse_as(cls: type[Struct], buf: memoryview, off: int, end: int,
             open_end: bool) -> tuple[Any, int]:
    """Parse exactly as *cls* (no dispatch)."""
    info = cls._ns_info
    obj = object.__new__(cls)
    obj._pads = None
    start = off
    parent_end, parent_open = end, open_end
    sized = False
    size = info.size
    size_entry = info.holders[size.field] if size is not None else None
    for entry in info.entries:
        off = entry.parse_into(obj, buf, start, off, end, open_end)
        if entry is size_entry:
            assert size is not None
            n = size.to_bytes(getattr(obj, size.field))
            least = max(off - start, info.min_size)
            if n < least:
                err = LengthError(f"says {info.name} has {n} bytes, but its fixed fields "
                                  f"take at least {least}", offset=start)
                err.push(size.field)
                raise err
            if info.pad_to and n % info.pad_to:
                err = LengthError(f"says {info.name} has {n} bytes, not a multiple of "
                                  f"{info.pad_to}", offset=start)
                err.push(size.field)
                raise err
            if start + n > end:
                if open_end:
                    raise TruncatedError(f"{info.name} is {n} bytes long but only "
                                         f"{end - start} have arrived", offset=start,
                                         incomplete=True)
                err = LengthError(f"says {n} bytes, but the enclosing structure has only "
                                  f"{end - start} left", offset=start)
                err.push(size.field)
                raise err
            end = start + n
            open_end = False
            sized = True
    tail = b""
    if sized or info.generic:
        if off < end:
            tail = bytes(buf[off:end])
            if info.pad_to and len(tail) == -(off - start) % info.pad_to and not any(tail):
                tail = b""
            off = end
    obj._tail = tail
    if info.pad_after:
        # This padding lies outside the size field: check it against the parent.
        n = -(off - start) % info.pad_after
        need(n, off, parent_end, parent_open, f"padding after {info.name}")
        keep_padding(obj, len(info.entries), bytes(buf[off:off + n]))
        off += n
    return obj, off


def parse_struct(cls: type[Struct], buf: memoryview, off: int, end: int, open_end: bool,
                 top: bool = False) -> tuple[Any, int]:
    """Dispatch to the most specific subtype of *cls*, then parse as that."""
    current = cls
    try:
        while current._ns_info.classify:
            info = current._ns_info
            obj, new_off = parse_as(current, buf, off, end, open_end)
            sub = info.lookup(tuple(getattr(obj, k) for k in info.classify))
            if sub is None:
                return obj, new_off
            current = sub
        return parse_as(current, buf, off, end, open_end)
    except ParseError as e:
        if top:
            e.push(current._ns_info.name)
        raise


def _parse_any(t: type[Struct] | Type, buf: memoryview, off: int, end: int,
               open_end: bool) -> tuple[Any, int]:
    if isinstance(t, type):
        return parse_struct(t, buf, off, end, open_end, top=True)
    try:
        return t.parse_value(buf, off, end, open_end, None)
    except ParseError as e:
        e.push(t.describe())
        raise


def parse_top(t: type[Struct] | Type, buf: bytes | bytearray | memoryview,
              offset: int = 0) -> tuple[Any, int] | None:
    """``T.parse``: ``(value, size)`` or ``None`` when the input is incomplete."""
    # The hot path of every message: kept short (plain types have no _dp and
    # simply take the interpreted path below).
    # bytes are walked as they are (immutable; slicing one gives a field its value in
    # one copy); anything else through a memoryview.  Never a copy per field.
    view = buf if buf.__class__ is bytes else _view(buf)
    end = len(view)
    try:
        obj, off = t._dp(view, offset, end)  # type: ignore[union-attr]
        return obj, off - offset
    except Exception:
        pass
    try:
        value, off = _parse_any(t, _view(buf), offset, end, True)
    except TruncatedError as e:
        if e.incomplete:
            return None
        raise
    return value, off - offset


def create_top(t: type[Struct] | Type, buf: bytes | bytearray | memoryview) -> Any:
    """``T.create``: the value must use exactly all of *buf*."""
    view = _view(buf)
    end = len(view)
    value: Any = None
    off = -1
    if isinstance(t, type):
        try:
            value, off = t._dp(view, 0, end)
        except Exception:
            off = -1
    if off < 0:
        value, off = _parse_any(t, view, 0, end, False)
    if off != end:
        name = t._ns_info.name if isinstance(t, type) else t.describe()
        err = TrailingDataError(f"{end - off} bytes left over after the value "
                                f"({off} of {end} bytes used)", offset=off)
        err.push(name)
        raise err
    return value


def build_struct(obj: Any, out: bytearray, tracer: Tracer | None, top: bool = False) -> None:
    """Serialize *obj* into *out* (interpreted); raises ``BuildError`` with a path."""
    cls = type(obj)
    info = getattr(cls, "_ns_info", None)
    if info is None:
        raise BuildError(f"expected a struct, got {cls.__name__}")
    try:
        start = len(out)
        positions: dict[str, int] = {}
        for entry in info.entries:
            entry.build_from(obj, out, start, tracer, positions)
        tail = getattr(obj, "_tail", b"")
        if not isinstance(tail, (bytes, bytearray)):
            err = BuildError(f"expected bytes, got {type(tail).__name__}")
            err.push("_tail")
            raise err
        if tail:
            if tracer is not None:
                tracer.leaf(len(out), len(tail), lambda b: f"unparsed bytes ({len(b)})", "_tail")
            out += tail
        if info.pad_to:
            n = -(len(out) - start) % info.pad_to
            if tracer is not None and n:
                tracer.leaf(len(out), n, lambda b: "padding", "(pad)")
            out += bytes(n)
        if info.size is not None:
            from ._entries import patch

            total = len(out) - start
            value = info.size.to_value(total)
            if value is None:
                err = BuildError(f"a size of {total} bytes cannot be expressed")
                err.push(info.size.field)
                raise err
            patch(obj, out, positions, info.size.field, value)
        if info.pad_after:
            n = -(len(out) - start) % info.pad_after
            if tracer is not None and n:
                tracer.leaf(len(out), n, lambda b: "padding", "(pad)")
            out += padding_bytes(obj, len(info.entries), n)
    except BuildError as e:
        if top:
            e.push(info.name)
        raise
