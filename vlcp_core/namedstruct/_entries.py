"""The entries of a struct definition and their interpreted parse/build.

A definition is a sequence of entries: ``(type, "name")`` pairs become
``FieldEntry``; ``pad(n)``, ``align(n)`` and ``bits(...)`` are entries of their
own; ``embed(S)`` is replaced by S's entries.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from ._display import Display, as_display
from ._errors import BuildError, ParseError
from ._types import Array, Int, Optional, Raw, Tracer, Type, int_text, int_value, need

__all__ = [
    "AlignEntry",
    "BitType",
    "BitsEntry",
    "Entry",
    "FieldEntry",
    "PadEntry",
    "align",
    "bits",
    "pad",
]


class Entry:
    """Base class of the entries of a struct definition."""

    size: int | None = None

    def parse_into(self, obj: Any, buf: memoryview, start: int, off: int, end: int,
                   open_end: bool) -> int:
        raise NotImplementedError

    def build_from(self, obj: Any, out: bytearray, start: int, tracer: Tracer | None,
                   positions: dict[str, int]) -> None:
        raise NotImplementedError

    def field_types(self) -> list[tuple[str, Type]]:
        """The named fields this entry puts on the struct."""
        return []

    def clone(self) -> Entry:
        """A copy for a subtype, so that what the subtype marks does not change the base."""
        return copy.copy(self)


class FieldEntry(Entry):
    """A named field of some type, possibly present only when a predicate holds."""

    def __init__(self, name: str, type_: Type) -> None:
        self.name = name
        self.present: Callable[[Any], bool] | None = None
        self.present_field: str | None = None
        if isinstance(type_, Optional):
            self.present = type_.present
            self.present_field = type_.present_field
            type_ = type_.inner
        self.type = type_
        self.size = None if self.present is not None else type_.size
        # Set by the struct when another part of it computes this field on build.
        self.auto = False

    def field_types(self) -> list[tuple[str, Type]]:
        return [(self.name, self.type)]

    def parse_into(self, obj: Any, buf: memoryview, start: int, off: int, end: int,
                   open_end: bool) -> int:
        if self.present is not None and not self.present(obj):
            setattr(obj, self.name, None)
            return off
        try:
            value, off = self.type.parse_value(buf, off, end, open_end, obj)
        except ParseError as e:
            e.push(self.name)
            raise
        setattr(obj, self.name, value)
        return off

    def build_from(self, obj: Any, out: bytearray, start: int, tracer: Tracer | None,
                   positions: dict[str, int]) -> None:
        if self.present is not None and not self.present(obj):
            return
        value = getattr(obj, self.name)
        if self.auto:
            positions[self.name] = len(out)
            value = 0
        else:
            try:
                converted = self.type.convert(value)
            except BuildError as e:
                e.push(self.name)
                raise
            if converted is not value:
                # Text given for a value ("aa:bb:...", an enum name) is stored converted.
                setattr(obj, self.name, converted)
                value = converted
        if tracer is not None:
            tracer.path.append(self.name)
        before = len(out)
        try:
            self.type.build_value(value, out, obj, tracer)
        except BuildError as e:
            e.push(self.name)
            raise
        if tracer is not None:
            tracer.path.pop()
        ref = _reference(self.type)
        if ref is not None:
            kind, length = ref
            if kind == "count":
                n = len(value)
            else:
                n = len(out) - before
            target = length.to_value(n)
            if target is None:
                raise BuildError(f"{n} is not a size that {length.field} can express "
                                 f"(unit {length.unit}, extra {length.extra})")
            patch(obj, out, positions, length.field, target)


def _reference(type_: Type) -> tuple[str, Any] | None:
    if isinstance(type_, Array):
        if type_.count_field is not None:
            return "count", type_.count_field
        if type_.size_field is not None:
            return "size", type_.size_field
    if isinstance(type_, Raw) and type_.length is not None:
        return "size", type_.length
    return None


def patch(obj: Any, out: bytearray, positions: dict[str, int], name: str, value: int) -> None:
    """Write *value* into the already built integer or bit field *name*, store it on *obj*."""
    entry = type(obj)._ns_info.holders[name]
    if isinstance(entry, BitsEntry):
        bit_type = dict(entry.parts)[name]
        if not 0 <= value <= bit_type.max:
            err = BuildError(f"{value} does not fit in {bit_type.width} bits (0..{bit_type.max})")
            err.push(name)
            raise err
        if name in positions:
            st = entry.container.struct
            shift = entry.shifts[[n for n, _ in entry.parts].index(name)]
            word = st.unpack_from(out, positions[name])[0]
            word = (word & ~(bit_type.max << shift)) | (value << shift)
            st.pack_into(out, positions[name], word)
        setattr(obj, name, value)
        return
    assert isinstance(entry, FieldEntry)
    int_type = entry.type
    assert isinstance(int_type, Int)
    if not int_type.min <= value <= int_type.max:
        err = BuildError(f"{value} is out of range for {int_type.describe()}")
        err.push(name)
        raise err
    if name in positions:
        int_type.struct.pack_into(out, positions[name], value)
    setattr(obj, name, value)


def keep_padding(obj: Any, index: int, data: bytes) -> None:
    """Remember padding bytes that are not all zero, so they are written back."""
    if any(data):
        pads = obj._pads or {}
        pads[index] = data
        obj._pads = pads


def padding_bytes(obj: Any, index: int, n: int) -> bytes:
    """The padding to write at entry *index*: as parsed, or *n* zero bytes."""
    pads = getattr(obj, "_pads", None)
    data = pads.get(index) if pads else None
    return data if data is not None and len(data) == n else bytes(n)


class PadEntry(Entry):
    """``pad(n)``: n anonymous bytes, zero on build; bytes that were not zero when
    parsed are kept (in ``obj._pads``) and written back."""

    def __init__(self, n: int) -> None:
        self.size = n
        self.index = -1  # position in its struct's entries, set by StructInfo

    def parse_into(self, obj: Any, buf: memoryview, start: int, off: int, end: int,
                   open_end: bool) -> int:
        n = self.size or 0
        need(n, off, end, open_end, "padding")
        keep_padding(obj, self.index, bytes(buf[off:off + n]))
        return off + n

    def build_from(self, obj: Any, out: bytearray, start: int, tracer: Tracer | None,
                   positions: dict[str, int]) -> None:
        n = self.size or 0
        if tracer is not None and n:
            tracer.leaf(len(out), n, lambda b: "padding" if not any(b) else "padding (kept)",
                        "(pad)")
        out += padding_bytes(obj, self.index, n)


class AlignEntry(Entry):
    """``align(n)``: zero bytes up to a multiple of n from the start of the struct
    (non-zero bytes that were parsed are kept, as for ``pad``)."""

    def __init__(self, n: int) -> None:
        self.unit = n
        self.index = -1

    def parse_into(self, obj: Any, buf: memoryview, start: int, off: int, end: int,
                   open_end: bool) -> int:
        n = -(off - start) % self.unit
        need(n, off, end, open_end, "alignment padding")
        keep_padding(obj, self.index, bytes(buf[off:off + n]))
        return off + n

    def build_from(self, obj: Any, out: bytearray, start: int, tracer: Tracer | None,
                   positions: dict[str, int]) -> None:
        n = -(len(out) - start) % self.unit
        if tracer is not None and n:
            tracer.leaf(len(out), n, lambda b: "padding", "(pad)")
        out += padding_bytes(obj, self.index, n)


class BitType(Type):
    """The type of one sub-byte field carved out of a ``bits`` container."""

    def __init__(self, width: int, display: Display | None = None) -> None:
        super().__init__(None, display)
        self.width = width
        self.max = (1 << width) - 1

    def describe(self) -> str:
        return f"bits({self.width})"

    def default(self) -> int:
        return 0

    def convert(self, value: Any) -> Any:
        return int_value(self, value)

    def dump_value(self, value: Any) -> Any:
        return self.display.json(value) if self.display is not None else value

    def text(self, value: Any) -> str:
        return int_text(self, value)

    def check(self, value: Any) -> int:
        v = self.convert(value)
        if not 0 <= v <= self.max:
            raise BuildError(f"{v} does not fit in {self.width} bits (0..{self.max})")
        return int(v)


class BitsEntry(Entry):
    """``bits(uint16, ("flags", 3), ("frag_offset", 13))``: sub-byte fields, MSB first."""

    def __init__(self, container: Int, parts: list[tuple[str, BitType]]) -> None:
        self.container = container
        self.parts = parts
        self.size = container.struct.size
        total = sum(t.width for _, t in parts)
        if total != self.size * 8:
            from ._errors import DefinitionError

            raise DefinitionError(
                f"bit fields add up to {total} bits, the container "
                f"{container.describe()} has {self.size * 8}")
        self.auto: set[str] = set()
        self.shifts: list[int] = []
        left = total
        for _, t in parts:
            left -= t.width
            self.shifts.append(left)

    def field_types(self) -> list[tuple[str, Type]]:
        return [(name, t) for name, t in self.parts]

    def clone(self) -> BitsEntry:
        twin = copy.copy(self)
        twin.auto = set(self.auto)
        return twin

    def parse_into(self, obj: Any, buf: memoryview, start: int, off: int, end: int,
                   open_end: bool) -> int:
        try:
            word, off = self.container.parse_value(buf, off, end, open_end, obj)
        except ParseError as e:
            e.push(self.parts[0][0])
            raise
        for (name, t), shift in zip(self.parts, self.shifts, strict=True):
            setattr(obj, name, (word >> shift) & t.max)
        return off

    def build_from(self, obj: Any, out: bytearray, start: int, tracer: Tracer | None,
                   positions: dict[str, int]) -> None:
        word = 0
        for (name, t), shift in zip(self.parts, self.shifts, strict=True):
            if name in self.auto:
                positions[name] = len(out)
                continue
            try:
                value = t.check(getattr(obj, name))
            except BuildError as e:
                e.push(name)
                raise
            setattr(obj, name, value)
            word |= value << shift
        if tracer is not None:
            for (name, t), shift in zip(self.parts, self.shifts, strict=True):
                tracer.leaf(len(out), self.container.struct.size,
                            _bit_render(self.container, t, shift), name)
        out += self.container.struct.pack(word)


def _bit_render(container: Int, t: BitType, shift: int) -> Callable[[bytes], str]:
    def render(data: bytes) -> str:
        value = (container.struct.unpack(data)[0] >> shift) & t.max
        hi = shift + t.width - 1
        where = f"bit {shift}" if t.width == 1 else f"bits {hi}..{shift}"
        return f"{t.text(value)} [{where}]"

    return render


def pad(n: int) -> PadEntry:
    """An entry of *n* anonymous padding bytes."""
    return PadEntry(n)


def align(n: int) -> AlignEntry:
    """An entry that pads with zero bytes to a multiple of *n* from the struct's start."""
    return AlignEntry(n)


def bits(container: Int, *parts: tuple[Any, ...]) -> BitsEntry:
    """An entry of sub-byte fields carved from *container*, most significant bits first.

    Each part is ``(name, width)`` or ``(name, width, display)``.

    Example: ``bits(uint8, ("version", 4), ("ihl", 4))``.
    """
    made: list[tuple[str, BitType]] = []
    for part in parts:
        name, width = part[0], part[1]
        display = as_display(part[2]) if len(part) > 2 else None
        made.append((name, BitType(width, display)))
    return BitsEntry(container, made)
