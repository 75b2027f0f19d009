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
(``oxm_of_ipv4_dst``), with ``value`` and an optional ``mask`` (present when
``oxm_hasmask`` is 1).  The classes live in the ``oxm_types`` namespace; look
them up by OVS name with ``field_named`` / ``oxm_class_for``.
"""

from __future__ import annotations

from vlcp_core.namedstruct import (
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

from ._oxm_fields import EXPERIMENTER, OXM_FIELDS, OxmField

__all__ = [
    "field_named",
    "field_of",
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
_BY_NAME: dict[str, list[tuple[OxmField, type[Struct]]]] = {}


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
    setattr(oxm_types, name, cls)
    _BY_CLASS[cls] = f
    for key in (f.name, *f.aliases, f.spec.lower()):
        _BY_NAME.setdefault(key, []).append((f, cls))
    return cls


def field_of(cls: type[Struct]) -> OxmField | None:
    """The table row of an OXM class (``None`` for the generic ``ofp_oxm``)."""
    return _BY_CLASS.get(cls)


def field_named(name: str) -> list[tuple[OxmField, type[Struct]]]:
    """Every encoding of the field called *name* (OVS name, alias or spec name)."""
    return list(_BY_NAME.get(name.lower(), ()))


def oxm_class_for(name: str, prefer: tuple[int, ...] = (0x8000, 0x8001, 0xFFFF, 0x0001, 0x0000)
                  ) -> tuple[OxmField, type[Struct]] | None:
    """The encoding of *name* to use, in the order of OXM classes *prefer*."""
    found = field_named(name)
    for oxm_class in prefer:
        for f, cls in found:
            if f.oxm_class == oxm_class:
                return f, cls
    return found[0] if found else None


for _row in OXM_FIELDS:
    define_field(_row)
