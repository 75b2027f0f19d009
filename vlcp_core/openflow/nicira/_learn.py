"""NXAST_LEARN and NXAST_LEARN2: actions that add flows (see ``_actions``).

Theory of operation
-------------------
After a fixed head (timeouts, priority, cookie, flags, table, FIN timeouts;
learn2 adds ``limit`` and the ``result_dst`` bit) comes a list of *flow-mod
specs*, ended by the zero padding of the action.  Each spec starts with a
16-bit header::

    bits 15-14: reserved (0)   bit 13: source (0 field, 1 immediate value)
    bits 12-11: destination (0 match, 1 load, 2 output)   bits 10-0: n_bits

then the source (a subfield: header of 4 or 8 bytes and a 16-bit offset; or an
immediate value of ``2 * ceil(n_bits / 16)`` bytes), then for match and load the
destination subfield.  A ``LearnSpec`` is one spec as a value, written as in
``ovs-actions(7)``: ``NXM_OF_VLAN_TCI[0..11]`` (match a field against itself),
``NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[]``, ``NXM_OF_ETH_TYPE[]=0x800``,
``load:NXM_OF_IN_PORT[]->NXM_NX_REG0[0..15]``, ``output:NXM_OF_IN_PORT[]``.
``n_bits`` is not stored: it is the width of the destination (of the source for
output).  Parsing stops at a zero header, at the end, or at a spec this module
cannot represent (reserved bits, destination 3, an immediate output); what is
left, if not just the padding, stays in the action's ``_tail``.
"""

from __future__ import annotations

import enum
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from vlcp_core.namedstruct import (
    BuildError,
    ParseError,
    Type,
    hexa,
    optional,
    pad,
    uint8,
    uint16,
    uint32,
    uint64,
)
from vlcp_core.namedstruct._types import Tracer

from ._actions import nx_action, nx_action_subtype
from ._subfield import OxmHeader, Subfield, header_bytes, read_header

S = nx_action_subtype

__all__ = ["LearnSpec", "LearnSpecs", "nx_learn_flags"]

_U16 = struct.Struct(">H")
_KINDS = ("match", "load", "output")


class nx_learn_flags(enum.IntFlag):
    """learn ``flags``."""

    NX_LEARN_F_SEND_FLOW_REM = 1
    NX_LEARN_F_DELETE_LEARNED = 2
    NX_LEARN_F_WRITE_RESULT = 4


def _value_bytes(n_bits: int) -> int:
    return 2 * ((n_bits + 15) // 16)


@dataclass(frozen=True)
class LearnSpec:
    """One flow-mod spec of learn: ``kind`` (``"match"``, ``"load"`` or ``"output"``),
    ``src`` (a ``Subfield``, or an ``int`` immediate value), ``dst`` (the
    ``Subfield`` matched or loaded; ``None`` for output).

    Raises:
        ValueError: a kind without its destination, an immediate output, a source
            and a destination of different widths, a value that does not fit.

    Example: ``LearnSpec.parse("load:NXM_OF_IN_PORT[]->NXM_NX_REG0[0..15]")``.
    """

    kind: str
    src: Subfield | int
    dst: Subfield | None = None

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValueError(f"learn spec kind {self.kind!r}: expected one of {_KINDS}")
        if self.kind == "output":
            if self.dst is not None or not isinstance(self.src, Subfield):
                raise ValueError("a learn output spec takes a source subfield only")
            return
        if self.dst is None:
            raise ValueError(f"a learn {self.kind} spec needs a destination subfield")
        if isinstance(self.src, Subfield):
            if self.src.n_bits != self.dst.n_bits:
                raise ValueError(f"learn {self.kind}: {self.src} has {self.src.n_bits} bits, "
                                 f"{self.dst} has {self.dst.n_bits}")
        elif not 0 <= self.src < 1 << 8 * _value_bytes(self.dst.n_bits):
            raise ValueError(f"learn {self.kind}: {self.src:#x} does not fit in {self.dst}")

    @property
    def n_bits(self) -> int:
        if self.dst is not None:
            return self.dst.n_bits
        assert isinstance(self.src, Subfield)
        return self.src.n_bits

    def __str__(self) -> str:
        src = str(self.src) if isinstance(self.src, Subfield) else hex(self.src)
        if self.kind == "output":
            return f"output:{src}"
        if self.kind == "load":
            return f"load:{src}->{self.dst}"
        if self.src == self.dst:
            return str(self.dst)
        return f"{self.dst}={src}"

    @classmethod
    def parse(cls, text: str) -> LearnSpec:
        """Read a spec written as ``str()`` writes it (ovs-actions syntax).

        Raises:
            ValueError: with the reason.
        """
        t = text.strip()
        if t.startswith("output:"):
            return cls("output", Subfield.parse(t[7:]))
        if t.startswith("load:"):
            src, arrow, dst = t[5:].partition("->")
            if not arrow:
                raise ValueError(f"{text!r}: expected load:SRC->DST")
            return cls("load", _source(src), Subfield.parse(dst))
        dst, eq, src = t.partition("=")
        d = Subfield.parse(dst)
        return cls("match", _source(src) if eq else d, d)


def _source(text: str) -> Subfield | int:
    t = text.strip()
    if re.match(r"^(0x[0-9a-fA-F]+|\d+)$", t):
        return int(t, 0)
    return Subfield.parse(t)


def _spec_value(value: Any) -> LearnSpec:
    if isinstance(value, LearnSpec):
        return value
    if isinstance(value, str):
        try:
            return LearnSpec.parse(value)
        except ValueError as e:
            raise BuildError(str(e)) from None
    raise BuildError(f"expected a LearnSpec or its text, got {type(value).__name__}")


def _read_subfield(buf: Any, off: int, end: int, n_bits: int) -> tuple[Subfield, int]:
    header, off = read_header(buf, off, end, False)
    if off + 2 > end:
        raise ParseError("learn spec: subfield offset past the end", offset=off)
    ofs: int = _U16.unpack_from(buf, off)[0]
    return Subfield.from_wire(header, ofs, n_bits), off + 2


def _read_spec(buf: Any, off: int, end: int) -> tuple[LearnSpec, int] | None:
    """One spec at *off*, or None for the end marker or a spec we cannot represent."""
    if off + 2 > end:
        return None
    head: int = _U16.unpack_from(buf, off)[0]
    reserved, immediate, dst_type, n_bits = head >> 14, head >> 13 & 1, head >> 11 & 3, \
        head & 0x7FF
    if head == 0 or reserved or dst_type == 3 or n_bits == 0 or (immediate and dst_type == 2):
        return None
    off += 2
    try:
        src: Subfield | int
        if immediate:
            size = _value_bytes(n_bits)
            if off + size > end:
                return None
            src = int.from_bytes(buf[off:off + size], "big")
            off += size
        else:
            src, off = _read_subfield(buf, off, end, n_bits)
        dst = None
        if dst_type != 2:
            dst, off = _read_subfield(buf, off, end, n_bits)
        return LearnSpec(_KINDS[dst_type], src, dst), off
    except (ParseError, ValueError):
        return None


def _write_subfield(out: bytearray, sf: Subfield) -> None:
    out += sf.header.to_bytes(header_bytes(sf.header), "big") + _U16.pack(sf.start)


def _shown(spec: LearnSpec) -> Callable[[bytes], str]:
    return lambda _data: str(spec)


class LearnSpecs(Type):
    """The spec list of learn/learn2 (value: ``list[LearnSpec]``, dumped as text)."""

    def __init__(self) -> None:
        super().__init__(None)

    def describe(self) -> str:
        return "learn_specs"

    def default(self) -> Any:
        return []

    def convert(self, value: Any) -> Any:
        if not isinstance(value, (list, tuple)):
            raise BuildError(f"expected a list of learn specs, got {type(value).__name__}")
        if isinstance(value, list) and all(isinstance(v, LearnSpec) for v in value):
            return value
        return [_spec_value(v) for v in value]

    def load_value(self, data: Any) -> Any:
        return self.convert(data)

    def dump_value(self, value: Any) -> Any:
        return [str(v) for v in value]

    def text(self, value: Any) -> str:
        return "[" + ", ".join(str(v) for v in value) + "]"

    def parse_value(self, buf: memoryview, off: int, end: int, open_end: bool,
                    obj: Any) -> tuple[Any, int]:
        specs: list[LearnSpec] = []
        while True:
            got = _read_spec(buf, off, end)
            if got is None:
                return specs, off
            spec, off = got
            specs.append(spec)

    def build_value(self, value: Any, out: bytearray, obj: Any, tracer: Tracer | None) -> None:
        for i, spec in enumerate(self.convert(value)):
            n_bits = spec.n_bits
            if n_bits > 0x7FF:
                raise BuildError(f"[{i}] {spec}: {n_bits} bits, a learn spec takes at most 2047")
            immediate = not isinstance(spec.src, Subfield)
            start = len(out)
            out += _U16.pack(immediate << 13 | _KINDS.index(spec.kind) << 11 | n_bits)
            if isinstance(spec.src, Subfield):
                _write_subfield(out, spec.src)
            else:
                out += spec.src.to_bytes(_value_bytes(n_bits), "big")
            if spec.dst is not None:
                _write_subfield(out, spec.dst)
            if tracer is not None:
                tracer.leaf(start, len(out) - start, _shown(spec), f"[{i}]")


_HEAD = ((uint16, "idle_timeout"), (uint16, "hard_timeout"), (uint16, "priority"),
         (uint64(hexa), "cookie"), (uint16(nx_learn_flags), "flags"), (uint8, "table_id"),
         pad(1), (uint16, "fin_idle_timeout"), (uint16, "fin_hard_timeout"))
_DEFAULTS = {"priority": 0x8000, "table_id": 1}

nx_action_learn = nx_action(
    "nx_action_learn", S.NXAST_LEARN, *_HEAD, (LearnSpecs(), "specs"), defaults=_DEFAULTS,
    doc="``learn(table=T,idle_timeout=I,...,SPEC,...)``: ``specs`` are ``LearnSpec`` "
        "values (text like ``NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[]``).")


def _writes_result(s: Any) -> bool:
    return bool(s.flags & nx_learn_flags.NX_LEARN_F_WRITE_RESULT)


nx_action_learn2 = nx_action(
    "nx_action_learn2", S.NXAST_LEARN2, *_HEAD,
    (uint32, "limit"), (uint16, "result_dst_ofs"), pad(2),
    (optional(OxmHeader(), _writes_result), "result_dst"), (LearnSpecs(), "specs"),
    defaults=_DEFAULTS,
    doc="learn with ``limit=N`` or ``result_dst=FIELD[BIT]``: ``result_dst`` (a header) "
        "is present when ``flags`` has NX_LEARN_F_WRITE_RESULT; ``result_dst_ofs`` is "
        "its bit.")
