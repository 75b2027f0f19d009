"""The spelling of field types in definitions: ``uint16``, ``raw(6)``, ``array(T)``..."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._display import ipv4, ipv6, mac
from ._errors import DefinitionError
from ._types import Array, Char, CString, Int, Length, Optional, Raw, Type, as_length

__all__ = [
    "array", "char", "cstring", "int8", "int16", "int32", "int64", "int16le", "int32le",
    "int64le", "ipv4_addr", "ipv6_addr", "mac_addr", "optional", "raw", "uint8", "uint16",
    "uint32", "uint64", "uint16le", "uint32le", "uint64le",
]

uint8 = Int(1)
uint16 = Int(2)
uint32 = Int(4)
uint64 = Int(8)
int8 = Int(1, signed=True)
int16 = Int(2, signed=True)
int32 = Int(4, signed=True)
int64 = Int(8, signed=True)
uint16le = Int(2, little=True)
uint32le = Int(4, little=True)
uint64le = Int(8, little=True)
int16le = Int(2, signed=True, little=True)
int32le = Int(4, signed=True, little=True)
int64le = Int(8, signed=True, little=True)

cstring = CString()
"""A NUL-terminated string."""


def raw(n: int | None = None, *, size: str | Length | None = None) -> Raw:
    """Raw bytes: ``raw(6)`` fixed, ``raw()`` the rest of the enclosing struct,
    ``raw(size="data_len")`` as many bytes as an earlier field says (filled on build)."""
    if n is not None and size is not None:
        raise DefinitionError("raw() takes a fixed size or size=, not both")
    return Raw(n, as_length(size))


def char(n: int) -> Char:
    """A fixed ``char[n]`` string, NUL-padded (value: ``str``)."""
    return Char(n)


def array(element: Any, n: int | None = None, *, count: str | Length | None = None,
          size: str | Length | None = None) -> Array:
    """A list of *element*: ``array(T, 4)`` fixed, ``array(T)`` the rest of the struct,
    ``array(T, count="n_items")`` or ``array(T, size="items_len")`` from an earlier field."""
    from ._struct import as_type

    if sum(x is not None for x in (n, count, size)) > 1:
        raise DefinitionError("array() takes one of a fixed count, count= or size=")
    return Array(as_type(element), n, as_length(count), as_length(size))


def optional(type_: Any, present: Callable[[Any], bool] | str) -> Optional:
    """A field that exists only when ``present(struct)`` is true (else ``None``, no bytes);
    *present* may name an earlier field instead: present when that field is not zero
    (the fast form: it compiles to an inline test).

    Example: ``(optional(uint32, lambda s: s.flags & 1), "checksum")``,
    ``(optional(uint32, "oxm_hasmask"), "mask")``.
    """
    from ._struct import as_type

    inner: Type = as_type(type_)
    return Optional(inner, present)


mac_addr = raw(6)(mac)
"""A 6-byte MAC address (value: bytes, shown as ``aa:bb:cc:dd:ee:ff``)."""
ipv4_addr = uint32(ipv4)
"""An IPv4 address (value: int, shown as ``10.0.0.1``)."""
ipv6_addr = raw(16)(ipv6)
"""An IPv6 address (value: 16 bytes, shown as ``fe80::1``)."""
