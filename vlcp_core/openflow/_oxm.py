"""OXM/NXM TLVs (OpenFlow 1.3.5 section 7.2.3.2; the NXM format is the same).

Theory of operation
-------------------
``ofp_oxm`` is the generic TLV: class, field, hasmask, length, then ``length``
payload bytes.  It dispatches on all four header values, so a known field with
an unexpected length (or a mask where none is allowed) stays a generic
``ofp_oxm`` whose payload is kept in ``_tail`` and written back unchanged:
decoding is liberal and always round-trips.  Class 0xFFFF goes through
``ofp_oxm_experimenter``, which reads the 4-byte experimenter id and dispatches
on (experimenter, field, hasmask, length).

One class per row of the field table (``_oxm_fields``), named after the spec
(``oxm_of_ipv4_dst``, ``nxm_nx_reg0``), with ``value`` and an optional ``mask``
(present when ``oxm_hasmask`` is 1).  The classes live in the ``oxm_types``
namespace; look them up by OVS name with ``field_named`` / ``oxm_class_for``
(OpenFlow 1.3 preference: OXM first, as Open vSwitch sends) or ``nxm_class_for``
(OpenFlow 1.0 NXM preference: NXM first, then OXM for the fields that have no
NXM code, such as ``metadata`` and ``mpls_label``).

Variable-length fields (``tun_metadata0``..``63``: 1 to 124 bytes, the length
being the one the switch's TLV map gives the option) cannot be keyed on an exact
``oxm_length``.  Their class is registered under the *partial* key
(class, field), which the dispatch uses as a fallback once the exact
(class, field, hasmask, length) lookup misses; every length, masked or not, of
that field reaches it.  ``value`` is a ``_HalfBytes`` field: the whole payload
when ``oxm_hasmask`` is 0, its first half when it is 1; ``mask`` (present when
``oxm_hasmask`` is 1) takes the rest.  A masked payload of odd length (which Open
vSwitch never sends) still round-trips: the mask is then one byte longer, and
``validate`` reports it.  Values are ``bytes``; an ``int`` given to the
constructor becomes its shortest big-endian form.
"""

from __future__ import annotations

from typing import Any

from vlcp_core.namedstruct import (
    BuildError,
    Length,
    Struct,
    Type,
    bits,
    hexa,
    ipv4,
    ipv6_addr,
    mac_addr,
    nstruct,
    optional,
    raw,
    uint8,
    uint16,
    uint32,
    uint64,
)
from vlcp_core.namedstruct._types import Tracer, need

from ._oxm_fields import EXPERIMENTER, OXM_FIELDS, OxmField

__all__ = [
    "NXM_PREFER",
    "OXM_PREFER",
    "field_named",
    "field_of",
    "nxm_class_for",
    "ofp_oxm",
    "ofp_oxm_experimenter",
    "oxm_class_for",
    "oxm_types",
]

ofp_oxm = nstruct(
    "ofp_oxm",
    (uint16(hexa), "oxm_class"), bits(uint8, ("oxm_field", 7), ("oxm_hasmask", 1)),
    (uint8, "oxm_length"),
    size=Length("oxm_length", extra=4),
    classify=("oxm_class", "oxm_field", "oxm_hasmask", "oxm_length"),
    doc="An OXM/NXM TLV; unknown fields keep their payload in ``_tail``.",
)

ofp_oxm_experimenter = nstruct(
    "ofp_oxm_experimenter",
    (uint32(hexa), "experimenter"),
    base=ofp_oxm, when={"oxm_class": EXPERIMENTER},
    classify=("experimenter", "oxm_field", "oxm_hasmask", "oxm_length"),
    doc="An experimenter OXM (class 0xFFFF): the experimenter id, then its payload.",
)


class oxm_types:
    """Namespace of the generated field classes (``oxm_types.oxm_of_ipv4_dst``)."""


_INT_TYPES = {1: uint8, 2: uint16, 4: uint32, 8: uint64}
_BY_CLASS: dict[type[Struct], OxmField] = {}
# OVS name -> its encodings; alias -> OVS name; spec name -> its one encoding.
_BY_NAME: dict[str, list[tuple[OxmField, type[Struct]]]] = {}
_ALIAS: dict[str, str] = {}
_BY_SPEC: dict[str, tuple[OxmField, type[Struct]]] = {}

#: Class preference of OpenFlow 1.3 matches (what Open vSwitch 3.1 sends in 1.3).
OXM_PREFER = (0x8000, 0x8001, 0xFFFF, 0x0001, 0x0000)
#: Class preference of OpenFlow 1.0 NXM matches (NXT_FLOW_MOD, NXST_FLOW).
NXM_PREFER = (0x0000, 0x0001, 0x8000, 0x8001, 0xFFFF)


def _to_bytes(value: Any) -> bytes:
    if isinstance(value, bool):
        raise BuildError("expected bytes or an integer, got bool")
    if isinstance(value, int):
        if value < 0:
            raise BuildError(f"{value} is negative")
        return value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, str):
        text = value[2:] if value[:2].lower() == "0x" else value
        try:
            return bytes.fromhex(text if len(text) % 2 == 0 else "0" + text)
        except ValueError as e:
            raise BuildError(f"{value!r} is not hexadecimal: {e}") from None
    raise BuildError(f"expected bytes or an integer, got {type(value).__name__}")


class _HalfBytes(Type):
    """Variable bytes up to the end of the TLV, or half of them when ``half`` and
    ``oxm_hasmask`` is set (the value of a masked variable-length OXM)."""

    def __init__(self, half: bool) -> None:
        super().__init__(None)
        self.half = half

    def describe(self) -> str:
        return "bytes (half of the payload when masked)" if self.half else "bytes"

    def default(self) -> bytes:
        return b""

    def convert(self, value: Any) -> Any:
        return _to_bytes(value)

    def parse_value(self, buf: memoryview, off: int, end: int, open_end: bool,
                    obj: Any) -> tuple[Any, int]:
        n = end - off
        if self.half and obj.oxm_hasmask:
            n //= 2
        need(n, off, end, open_end, self.describe())
        return bytes(buf[off:off + n]), off + n

    def build_value(self, value: Any, out: bytearray, obj: Any, tracer: Tracer | None) -> None:
        data = _to_bytes(value)
        if tracer is not None and data:
            tracer.leaf(len(out), len(data), self.text)
        out += data

    def dump_value(self, value: Any) -> Any:
        return bytes(value).hex()

    def text(self, value: Any) -> str:
        return "0x" + bytes(value).hex() if value else "(empty)"


def _value_type(f: OxmField) -> Type:
    if f.fmt == "mac":
        return mac_addr
    if f.fmt == "ipv6":
        return ipv6_addr
    if f.size in _INT_TYPES:
        t = _INT_TYPES[f.size]
        if f.fmt == "ipv4":
            return t(ipv4)
        if f.fmt in ("hex", "tcp_flags"):
            return t(hexa)
        return t
    return raw(f.size)(hexa)


def define_field(f: OxmField) -> type[Struct]:
    """Make (and register) the class of field table row *f*."""
    if f.variable:
        return _register(f, nstruct(
            f.spec.lower(), (_HalfBytes(True), "value"),
            (optional(_HalfBytes(False), "oxm_hasmask"), "mask"),
            base=ofp_oxm, when={"oxm_class": f.oxm_class, "oxm_field": f.field},
            module=__name__, qualname=f"oxm_types.{f.spec.lower()}",
            doc=f"{f.spec}: the OVS field ``{f.name}`` (1 to {f.size} bytes, maskable; "
                "value and mask are the two halves of a masked payload)."))
    t = _value_type(f)
    head = {"oxm_class": f.oxm_class, "oxm_field": f.field}
    base = ofp_oxm
    if f.experimenter is not None:
        head = {"experimenter": f.experimenter, "oxm_field": f.field}
        base = ofp_oxm_experimenter
    whens: list[dict[str, int]] = [{**head, "oxm_hasmask": 0, "oxm_length": f.payload}]
    if f.maskable:
        whens.append({**head, "oxm_hasmask": 1, "oxm_length": f.payload + f.size})
    name = f.spec.lower()
    cls = nstruct(
        name, (t, "value"), (optional(t, "oxm_hasmask"), "mask"),
        base=base, when=whens, module=__name__,
        qualname=f"oxm_types.{name}",
        doc=f"{f.spec}: the OVS field ``{f.name}`` ({f.size} bytes"
            f"{', maskable' if f.maskable else ''}).",
    )
    return _register(f, cls)


def _register(f: OxmField, cls: type[Struct]) -> type[Struct]:
    setattr(oxm_types, cls._ns_info.name, cls)
    _BY_CLASS[cls] = f
    _BY_NAME.setdefault(f.name, []).append((f, cls))
    for alias in f.aliases:
        _ALIAS[alias] = f.name
    _BY_SPEC[f.spec.lower()] = (f, cls)
    return cls


def field_of(cls: type[Struct]) -> OxmField | None:
    """The table row of an OXM class (``None`` for the generic ``ofp_oxm``)."""
    return _BY_CLASS.get(cls)


def field_named(name: str) -> list[tuple[OxmField, type[Struct]]]:
    """Every encoding of the field called *name* (OVS name or alias); a spec name
    (``NXM_OF_IP_DST``) gives just that encoding."""
    key = name.lower()
    if key in _BY_SPEC:
        return [_BY_SPEC[key]]
    return list(_BY_NAME.get(_ALIAS.get(key, key), ()))


def oxm_class_for(name: str, prefer: tuple[int, ...] = OXM_PREFER
                  ) -> tuple[OxmField, type[Struct]] | None:
    """The encoding of *name* to use, in the order of OXM classes *prefer*
    (default: OpenFlow 1.3, ``OXM_PREFER``)."""
    found = field_named(name)
    for oxm_class in prefer:
        for f, cls in found:
            if f.oxm_class == oxm_class:
                return f, cls
    return found[0] if found else None


def nxm_class_for(name: str) -> tuple[OxmField, type[Struct]] | None:
    """The encoding of *name* in an OpenFlow 1.0 NXM match (``NXM_PREFER``): what
    Open vSwitch sends inside NXT_FLOW_MOD (``NXM_OF_IN_PORT`` for ``in_port``,
    ``NXM_NX_TCP_FLAGS`` for ``tcp_flags``, ``OXM_OF_METADATA`` for ``metadata``)."""
    return oxm_class_for(name, NXM_PREFER)


for _row in OXM_FIELDS:
    define_field(_row)
