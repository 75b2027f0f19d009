"""Subfields: a bit range of a field, as the Nicira actions name them on the wire.

Theory of operation
-------------------
``load``, ``move``, ``learn``, ``multipath``, ``bundle_load``, ``output_reg``,
``push``/``pop`` and ``ct(zone=...)`` refer to "bits *start* to *end* of field F".
On the wire F is an NXM/OXM header (32 bits: class, field, hasmask, length; 64
bits for an experimenter class 0xFFFF, the experimenter id following), and the
range is an offset plus a bit count, packed in several ways:

- ``ofs_nbits`` (uint16): ``start << 6 | (n_bits - 1)``, next to the header
  (NXAST_REG_LOAD, OUTPUT_REG, MULTIPATH, BUNDLE_LOAD; CT's zone);
- an offset and an ``n_bits`` of their own (NXAST_REG_MOVE, STACK_PUSH/POP,
  learn specs, where ``n_bits`` sits in the spec header).

``Subfield(field, start, end)`` is the value people read and write:
``NXM_NX_REG0[0..15]`` (Open vSwitch's ``ofp-print`` spelling; ``reg0[0..15]``,
``reg0[]``, ``reg0[5]`` are accepted too).  The field is looked up at run time in
the field table (``vlcp_core.openflow.OXM_FIELDS``): a name becomes the header
Open vSwitch writes for it in these actions (NXM classes first: ``ip_dst`` is
``NXM_OF_IP_DST``), a header becomes its spec name, and a header the table does
not know is shown in hexadecimal (``0x00011e04[0..3]``), which reads back to the
same header.  Decoding stays liberal: a range that does not fit the named
field's width is kept under the hexadecimal name.

The namedstruct field types below carry a ``Subfield`` as one field value, so
``dump``/``pretty`` show ``"NXM_NX_REG0[0..15]"`` and ``load`` reads it back.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from typing import Any

from vlcp_core.namedstruct import BuildError, Display, ParseError, Type
from vlcp_core.namedstruct._types import Tracer, need

from .. import _oxm_fields
from .._oxm import field_named
from .._oxm_fields import OxmField

__all__ = [
    "Subfield",
    "header_bytes",
    "header_name",
    "header_of",
    "nxm_header",
]

EXPERIMENTER_CLASS = 0xFFFF
# The class order Open vSwitch uses for a field named by its OVS name in these
# actions (recorded: ip_dst -> NXM_OF_IP_DST, xreg0 -> OXM_OF_PKT_REG0).
_PREFER = (0x0000, 0x0001, 0x8000, 0x8001, EXPERIMENTER_CLASS)
_TEXT = re.compile(r"^\s*([A-Za-z0-9_]+)\s*\[\s*(?:(\d+)\s*(?:\.\.\s*(\d+))?)?\s*\]\s*$")
_U16 = struct.Struct(">H")
_U32 = struct.Struct(">I")


def _row_header(f: OxmField) -> int:
    """The header (no mask) of a field table row: 32 bits, or 64 for an experimenter."""
    if f.experimenter is not None:
        return (EXPERIMENTER_CLASS << 48 | f.field << 41 | (f.size + 4) << 32
                | f.experimenter)
    return f.oxm_class << 16 | f.field << 9 | f.size


_INDEX: dict[int, OxmField] = {}
_INDEXED = -1


def _row_of_header(header: int) -> OxmField | None:
    global _INDEXED
    rows = _oxm_fields.OXM_FIELDS
    if _INDEXED != len(rows):  # the table is complete at import; rebuilt if it grows
        _INDEX.clear()
        for f in rows:
            _INDEX.setdefault(_row_header(f), f)
        _INDEXED = len(rows)
    return _INDEX.get(header)


def header_bytes(header: int) -> int:
    """The size of *header* on the wire: 8 for the experimenter class, else 4."""
    return 8 if header > 0xFFFFFFFF else 4


def header_name(header: int) -> str:
    """The spec name of *header* (``NXM_NX_REG0``), or ``0x...`` when unknown."""
    f = _row_of_header(header)
    if f is not None:
        return f.spec
    return f"0x{header:016x}" if header > 0xFFFFFFFF else f"0x{header:08x}"


def header_of(name: str) -> int:
    """The header for a field name: spec name (``NXM_NX_REG0``), OVS name or alias
    (``reg0``; NXM classes preferred, as Open vSwitch does), or ``0x`` hexadecimal.

    Raises:
        ValueError: for a name the field table does not know.
    """
    text = name.strip()
    if text.lower().startswith("0x"):
        try:
            header = int(text, 16)
        except ValueError:
            raise ValueError(f"{name!r} is not a hexadecimal field header") from None
        if header > 0xFFFFFFFFFFFFFFFF or (header > 0xFFFFFFFF
                                          and header >> 48 != EXPERIMENTER_CLASS):
            raise ValueError(f"{name!r} is not a 32-bit or experimenter (0xffff...) header")
        return header
    found = field_named(text)
    for f, _ in found:
        if f.spec.lower() == text.lower():
            return _row_header(f)
    for oxm_class in _PREFER:
        for f, _ in found:
            if f.oxm_class == oxm_class:
                return _row_header(f)
    raise ValueError(f"unknown field {name!r} (not in the field table; "
                     "give its header as 0x... instead)")


def _width(header: int) -> int | None:
    """Bits of the field of a known *header*; None when the table does not know it."""
    f = _row_of_header(header)
    return None if f is None else f.size * 8


@dataclass(frozen=True)
class Subfield:
    """Bits *start* to *end* (inclusive) of a field: ``NXM_NX_REG0[0..15]``.

    ``field`` is kept in its canonical spelling (the spec name, or ``0x`` and the
    header in hexadecimal); any OVS name or alias is accepted on construction.

    Raises:
        ValueError: unknown field, ``start > end``, or bits beyond the field.

    Example: ``Subfield.parse("reg0[0..15]") == Subfield("NXM_NX_REG0", 0, 15)``.
    """

    field: str
    start: int
    end: int

    def __post_init__(self) -> None:
        header = header_of(self.field)
        if not isinstance(self.start, int) or not isinstance(self.end, int):
            raise ValueError(f"{self.field}: start and end must be integers")
        if self.start < 0:
            raise ValueError(f"{self.field}[{self.start}..{self.end}]: negative start")
        if self.start > self.end:
            raise ValueError(f"{self.field}[{self.start}..{self.end}]: start {self.start} "
                             f"is after end {self.end} (write the lower bit first)")
        width = _width(header)
        if width is not None and self.end >= width:
            raise ValueError(f"{self.field}[{self.start}..{self.end}]: the field has "
                             f"only {width} bits (0..{width - 1})")
        object.__setattr__(self, "field", header_name(header))

    @property
    def header(self) -> int:
        """The NXM/OXM header (32 bits, or 64 for an experimenter field)."""
        return header_of(self.field)

    @property
    def n_bits(self) -> int:
        return self.end - self.start + 1

    @property
    def ofs_nbits(self) -> int:
        """``start << 6 | (n_bits - 1)``; ``BuildError`` when it does not fit."""
        if self.n_bits > 64 or self.start > 1023:
            raise BuildError(f"{self} cannot be written as ofs_nbits "
                             "(at most 64 bits, starting below bit 1024)")
        return self.start << 6 | (self.n_bits - 1)

    @classmethod
    def parse(cls, text: str) -> Subfield:
        """Read ``NXM_NX_REG0[0..15]``, ``reg0[]`` (whole field), ``reg0[5]`` (one bit).

        Raises:
            ValueError: with the reason.
        """
        m = _TEXT.match(text)
        if m is None:
            raise ValueError(f"{text!r} is not a subfield (expected FIELD[], FIELD[BIT] "
                             "or FIELD[START..END])")
        name, start, end = m.group(1), m.group(2), m.group(3)
        if start is None:
            width = _width(header_of(name))
            if width is None:
                raise ValueError(f"{text!r}: the width of {name} is unknown, "
                                 "give the bits ([START..END])")
            return cls(name, 0, width - 1)
        return cls(name, int(start), int(end if end is not None else start))

    @classmethod
    def from_wire(cls, header: int, start: int, n_bits: int) -> Subfield:
        """The subfield that encodes as *header*, *start*, *n_bits*; a range that does
        not fit the named field keeps the hexadecimal name (liberal decoding).

        Raises:
            ValueError: for ``n_bits`` < 1 (no subfield has no bits).
        """
        if n_bits < 1:
            raise ValueError(f"a subfield of {n_bits} bits")
        end = start + n_bits - 1
        width = _width(header)
        if width is not None and end >= width:
            return _raw_subfield(header, start, end)
        return cls(header_name(header), start, end)

    def __str__(self) -> str:
        width = _width(self.header)
        if width is not None and self.start == 0 and self.end == width - 1:
            return f"{self.field}[]"
        if self.start == self.end:
            return f"{self.field}[{self.start}]"
        return f"{self.field}[{self.start}..{self.end}]"


def _raw_subfield(header: int, start: int, end: int) -> Subfield:
    """A Subfield under the hexadecimal name of *header*, without the width check."""
    obj = object.__new__(Subfield)
    text = f"0x{header:016x}" if header > 0xFFFFFFFF else f"0x{header:08x}"
    object.__setattr__(obj, "field", text)
    object.__setattr__(obj, "start", start)
    object.__setattr__(obj, "end", end)
    return obj


# -- namedstruct field types ------------------------------------------------------------


def _subfield_value(value: Any) -> Subfield:
    if isinstance(value, Subfield):
        return value
    if isinstance(value, str):
        try:
            return Subfield.parse(value)
        except ValueError as e:
            raise BuildError(str(e)) from None
    raise BuildError(f"expected a Subfield or text like 'NXM_NX_REG0[0..15]', "
                     f"got {type(value).__name__}")


def _wire_subfield(header: int, start: int, n_bits: int, off: int) -> Subfield:
    try:
        return Subfield.from_wire(header, start, n_bits)
    except ValueError as e:
        raise ParseError(str(e), offset=off) from None


def read_header(buf: Any, off: int, end: int, open_end: bool) -> tuple[int, int]:
    """An NXM/OXM header at *off*: 4 bytes, or 8 when its class is 0xFFFF."""
    need(4, off, end, open_end, "NXM/OXM header")
    header: int = _U32.unpack_from(buf, off)[0]
    off += 4
    if header >> 16 == EXPERIMENTER_CLASS:
        need(4, off, end, open_end, "experimenter id of an OXM header")
        header = header << 32 | _U32.unpack_from(buf, off)[0]
        off += 4
    return header, off


def _put_header(out: bytearray, header: int) -> None:
    out += header.to_bytes(header_bytes(header), "big")


class _SubfieldType(Type):
    """Base of the types whose value is a ``Subfield`` (shown and read as text)."""

    def describe(self) -> str:
        return "subfield"

    def default(self) -> Any:
        return Subfield("0x00000000", 0, 0)

    def convert(self, value: Any) -> Any:
        return _subfield_value(value)

    def dump_value(self, value: Any) -> Any:
        return str(value)

    def load_value(self, data: Any) -> Any:
        return _subfield_value(data)

    def text(self, value: Any) -> str:
        return str(value)

    def _leaf(self, tracer: Tracer | None, out: bytearray, size: int, value: Any) -> None:
        if tracer is not None:
            tracer.leaf(len(out), size, lambda _data: str(value))


class OfsNbitsSubfield(_SubfieldType):
    """``ofs_nbits`` (uint16) then a 32-bit header: 6 bytes (REG_LOAD, OUTPUT_REG...)."""

    def __init__(self) -> None:
        super().__init__(6)

    def parse_value(self, buf: memoryview, off: int, end: int, open_end: bool,
                    obj: Any) -> tuple[Any, int]:
        need(6, off, end, open_end, "ofs_nbits and header")
        ofs_nbits: int = _U16.unpack_from(buf, off)[0]
        header: int = _U32.unpack_from(buf, off + 2)[0]
        return _wire_subfield(header, ofs_nbits >> 6, (ofs_nbits & 63) + 1, off), off + 6

    def build_value(self, value: Any, out: bytearray, obj: Any, tracer: Tracer | None) -> None:
        sf = _subfield_value(value)
        if header_bytes(sf.header) != 4:
            raise BuildError(f"{sf}: this action holds a 32-bit header only "
                             "(experimenter fields need the ...2 variant)")
        self._leaf(tracer, out, 6, sf)
        out += _U16.pack(sf.ofs_nbits) + _U32.pack(sf.header)


class OfsHeaderSubfield(_SubfieldType):
    """A bit offset (uint16), then a 4- or 8-byte header; the subfield has ``n_bits``
    bits (1 for CHECK_PKT_LARGER's destination)."""

    def __init__(self, n_bits: int = 1) -> None:
        super().__init__(None)
        self.n_bits = n_bits

    def parse_value(self, buf: memoryview, off: int, end: int, open_end: bool,
                    obj: Any) -> tuple[Any, int]:
        need(2, off, end, open_end, "bit offset")
        ofs: int = _U16.unpack_from(buf, off)[0]
        header, new = read_header(buf, off + 2, end, open_end)
        return _wire_subfield(header, ofs, self.n_bits, off), new

    def build_value(self, value: Any, out: bytearray, obj: Any, tracer: Tracer | None) -> None:
        sf = _subfield_value(value)
        if sf.n_bits != self.n_bits:
            raise BuildError(f"{sf} has {sf.n_bits} bits, this action writes {self.n_bits}")
        self._leaf(tracer, out, 2 + header_bytes(sf.header), sf)
        out += _U16.pack(sf.start)
        _put_header(out, sf.header)


class StackSubfield(_SubfieldType):
    """NXAST_STACK_PUSH/POP: offset (uint16), 4- or 8-byte header, ``n_bits`` (uint16)."""

    def __init__(self) -> None:
        super().__init__(None)

    def parse_value(self, buf: memoryview, off: int, end: int, open_end: bool,
                    obj: Any) -> tuple[Any, int]:
        need(2, off, end, open_end, "bit offset")
        ofs: int = _U16.unpack_from(buf, off)[0]
        header, new = read_header(buf, off + 2, end, open_end)
        need(2, new, end, open_end, "n_bits")
        n_bits: int = _U16.unpack_from(buf, new)[0]
        return _wire_subfield(header, ofs, n_bits, off), new + 2

    def build_value(self, value: Any, out: bytearray, obj: Any, tracer: Tracer | None) -> None:
        sf = _subfield_value(value)
        self._leaf(tracer, out, 4 + header_bytes(sf.header), sf)
        out += _U16.pack(sf.start)
        _put_header(out, sf.header)
        out += _U16.pack(sf.n_bits)


class MoveSource(_SubfieldType):
    """NXAST_REG_MOVE's ``src``: covers ``n_bits``, ``src_ofs``, ``dst_ofs`` and the
    source header; the struct's next field (``MoveDestination``) holds ``dst``, and
    ``dst_ofs`` is written from it.  Both must have the same number of bits."""

    def __init__(self, dst_field: str = "dst") -> None:
        super().__init__(None)
        self.dst_field = dst_field

    def parse_value(self, buf: memoryview, off: int, end: int, open_end: bool,
                    obj: Any) -> tuple[Any, int]:
        need(6, off, end, open_end, "n_bits, src_ofs, dst_ofs")
        n_bits, src_ofs = struct.unpack_from(">HH", buf, off)
        header, new = read_header(buf, off + 6, end, open_end)
        return _wire_subfield(header, src_ofs, n_bits, off), new

    def build_value(self, value: Any, out: bytearray, obj: Any, tracer: Tracer | None) -> None:
        src = _subfield_value(value)
        dst = _subfield_value(getattr(obj, self.dst_field))
        if src.n_bits != dst.n_bits:
            raise BuildError(f"move {src} -> {dst}: {src.n_bits} bits to {dst.n_bits}; "
                             "both sides need the same number of bits")
        self._leaf(tracer, out, 6 + header_bytes(src.header), src)
        out += struct.pack(">HHH", src.n_bits, src.start, dst.start)
        _put_header(out, src.header)


class MoveDestination(_SubfieldType):
    """NXAST_REG_MOVE's ``dst``: its header; ``n_bits`` and ``dst_ofs`` are read back
    from the bytes ``MoveSource`` covers (``dst_ofs`` lies just before the source
    header)."""

    def __init__(self, src_field: str = "src") -> None:
        super().__init__(None)
        self.src_field = src_field

    def parse_value(self, buf: memoryview, off: int, end: int, open_end: bool,
                    obj: Any) -> tuple[Any, int]:
        src: Subfield = getattr(obj, self.src_field)
        dst_ofs: int = _U16.unpack_from(buf, off - header_bytes(src.header) - 2)[0]
        header, new = read_header(buf, off, end, open_end)
        return _wire_subfield(header, dst_ofs, src.n_bits, off), new

    def build_value(self, value: Any, out: bytearray, obj: Any, tracer: Tracer | None) -> None:
        sf = _subfield_value(value)
        self._leaf(tracer, out, header_bytes(sf.header), sf)
        _put_header(out, sf.header)


class ZoneValue(Type):
    """NXAST_CT's zone: a 32-bit header then a uint16.  Header 0: the uint16 is the
    zone itself (value ``int``); otherwise it is ``ofs_nbits`` and the value is the
    ``Subfield`` the zone is read from."""

    def __init__(self) -> None:
        super().__init__(6)

    def describe(self) -> str:
        return "zone"

    def default(self) -> Any:
        return 0

    def convert(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        return _subfield_value(value)

    def load_value(self, data: Any) -> Any:
        return self.convert(data)

    def dump_value(self, value: Any) -> Any:
        return value if isinstance(value, int) else str(value)

    def text(self, value: Any) -> str:
        return str(value)

    def parse_value(self, buf: memoryview, off: int, end: int, open_end: bool,
                    obj: Any) -> tuple[Any, int]:
        need(6, off, end, open_end, "zone")
        header: int = _U32.unpack_from(buf, off)[0]
        low: int = _U16.unpack_from(buf, off + 4)[0]
        if header == 0:
            return low, off + 6
        return _wire_subfield(header, low >> 6, (low & 63) + 1, off), off + 6

    def build_value(self, value: Any, out: bytearray, obj: Any, tracer: Tracer | None) -> None:
        v = self.convert(value)
        if tracer is not None:
            tracer.leaf(len(out), 6, lambda _data: str(v))
        if isinstance(v, int):
            if not 0 <= v <= 0xFFFF:
                raise BuildError(f"zone {v} is out of range (0..65535)")
            out += _U32.pack(0) + _U16.pack(v)
            return
        if header_bytes(v.header) != 4:
            raise BuildError(f"{v}: the zone is read from a field with a 32-bit header only")
        out += _U32.pack(v.header) + _U16.pack(v.ofs_nbits)


class _HeaderDisplay(Display):
    name = "nxm_header"

    def text(self, value: Any) -> str:
        return header_name(value) if isinstance(value, int) else repr(value)

    def from_text(self, text: str) -> int:
        return header_of(text)


nxm_header: Display = _HeaderDisplay()
"""Display of a 32-bit NXM header field: ``NXM_OF_IN_PORT``, or hexadecimal."""


class OxmHeader(Type):
    """A 4- or 8-byte NXM/OXM header alone (value: ``int``, shown by name)."""

    def __init__(self) -> None:
        super().__init__(None, nxm_header)

    def describe(self) -> str:
        return "oxm_header"

    def default(self) -> Any:
        return 0

    def convert(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str):
            try:
                return header_of(value)
            except ValueError as e:
                raise BuildError(str(e)) from None
        raise BuildError(f"expected a header or a field name, got {type(value).__name__}")

    def dump_value(self, value: Any) -> Any:
        return header_name(value)

    def parse_value(self, buf: memoryview, off: int, end: int, open_end: bool,
                    obj: Any) -> tuple[Any, int]:
        return read_header(buf, off, end, open_end)

    def build_value(self, value: Any, out: bytearray, obj: Any, tracer: Tracer | None) -> None:
        header = self.convert(value)
        if tracer is not None:
            tracer.leaf(len(out), header_bytes(header), lambda _data: header_name(header))
        _put_header(out, header)
