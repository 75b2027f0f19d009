"""Field values as Open vSwitch writes them, and back.

The convention is ``ovs-ofctl``'s: ``10.0.0.0/24`` for a CIDR mask and
``10.0.0.1/255.0.255.0`` otherwise, ``aa:bb:cc:dd:ee:ff/ff:ff:ff:00:00:00`` for
Ethernet, ``0x50/0xfff0`` for masked integers, reserved ports by name
(``LOCAL``), hexadecimal fields as ``0x0800``.  Unmasked decimal fields stay
JSON numbers.

Nicira formats (``ovs-fields(7)``, and what ``ovs-ofctl`` 3.1 prints): flag fields
(``ct_state``, ``tun_flags``) masked as ``+est+trk`` / ``-new+est`` (flags in bit
order, ``+`` set, ``-`` clear, unnamed bits wildcarded) and exact as ``est|trk``;
``ip_frag`` as ``no``, ``first``, ``later`` (exact) and ``yes``, ``not_later``
(masked); variable-length ``tun_metadata`` as hexadecimal keeping its length
(``0x0012`` is two bytes).  Anything a name cannot say exactly falls back to
``0x../0x..``, so every value reads back to the same bytes.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from ._oxm_fields import OxmField

__all__ = ["format_field", "parse_field"]

_PORTS32 = {0xFFFFFFF8: "IN_PORT", 0xFFFFFFF9: "TABLE", 0xFFFFFFFA: "NORMAL",
            0xFFFFFFFB: "FLOOD", 0xFFFFFFFC: "ALL", 0xFFFFFFFD: "CONTROLLER",
            0xFFFFFFFE: "LOCAL", 0xFFFFFFFF: "ANY"}
_PORTS16 = {0xFFF8: "IN_PORT", 0xFFF9: "TABLE", 0xFFFA: "NORMAL", 0xFFFB: "FLOOD",
            0xFFFC: "ALL", 0xFFFD: "CONTROLLER", 0xFFFE: "LOCAL", 0xFFFF: "NONE"}
_TCP_FLAGS = ["fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns"]
# Flag names by bit number (ovs-fields(7), "Connection Tracking State Field",
# "Tunnel Flags Field").
_FLAGS: dict[str, list[str]] = {
    "ct_state": ["new", "est", "rel", "rpl", "inv", "trk", "snat", "dnat"],
    "tun_flags": ["oam"],
}
_FULL_FRAG = 0x03  # the two bits of ip_frag
# ip_frag: unmasked value -> name; (value, mask) -> name.
_FRAG_EXACT = {0: "no", 1: "first", 3: "later"}
_FRAG_MASKED = {(1, 1): "yes", (0, 2): "not_later"}


def _as_int(value: Any) -> int:
    return value if isinstance(value, int) else int.from_bytes(value, "big")


def _prefix(mask: int, bits: int) -> int | None:
    inverted = ~mask & ((1 << bits) - 1)
    if inverted & (inverted + 1):
        return None  # not contiguous
    return bits - inverted.bit_length()


def _format_flags(names: list[str], v: int, m: int | None) -> str | None:
    known = (1 << len(names)) - 1
    if m is None:
        if v & ~known:
            return None
        return "|".join(n for i, n in enumerate(names) if v >> i & 1) or None
    if m & ~known or v & ~m or not m:
        return None
    return "".join(("+" if v >> i & 1 else "-") + n
                   for i, n in enumerate(names) if m >> i & 1)


def _parse_flags(f: OxmField, text: str) -> tuple[int, int | None] | None:
    names = _FLAGS[f.fmt]
    if text[:1] in "+-":
        value = mask = 0
        rest = text
        while rest:
            sign, rest = rest[0], rest[1:]
            if sign not in "+-":
                raise ValueError(f"expected + or - before a flag in {text!r}")
            name = rest
            for cut, ch in enumerate(rest):
                if ch in "+-":
                    name = rest[:cut]
                    break
            rest = rest[len(name):]
            if name not in names:
                raise ValueError(f"unknown flag {name!r} (one of {', '.join(names)})")
            bit = 1 << names.index(name)
            mask |= bit
            if sign == "+":
                value |= bit
        return value, mask
    if text[:1].isalpha():
        value = 0
        for name in text.split("|"):
            if name not in names:
                raise ValueError(f"unknown flag {name!r} (one of {', '.join(names)})")
            value |= 1 << names.index(name)
        return value, None
    return None


def format_field(f: OxmField, value: Any, mask: Any = None) -> Any:
    """*value* (and *mask*) of field *f* in the ovs-ofctl convention (str or int)."""
    if f.variable:
        text = "0x" + (bytes(value).hex() or "0")
        return text if mask is None else text + "/0x" + (bytes(mask).hex() or "0")
    if f.fmt == "ipv4" or f.fmt == "ipv6":
        bits = 32 if f.fmt == "ipv4" else 128
        addr_type = ipaddress.IPv4Address if bits == 32 else ipaddress.IPv6Address
        text = str(addr_type(_as_int(value)))
        if mask is None:
            return text
        m = _as_int(mask)
        n = _prefix(m, bits)
        if n == bits:
            return text
        return f"{text}/{n}" if n is not None else f"{text}/{addr_type(m)}"
    if f.fmt == "mac":
        text = ":".join(f"{b:02x}" for b in bytes(value))
        return text if mask is None else text + "/" + ":".join(f"{b:02x}" for b in bytes(mask))
    v = _as_int(value)
    if f.fmt in _FLAGS:
        named = _format_flags(_FLAGS[f.fmt], v, None if mask is None else _as_int(mask))
        if named is not None:
            return named
    if f.fmt == "frag":
        if mask is None and v in _FRAG_EXACT:
            return _FRAG_EXACT[v]
        if mask is not None and (v, _as_int(mask)) in _FRAG_MASKED:
            return _FRAG_MASKED[v, _as_int(mask)]
    if mask is not None:
        return f"{v:#x}/{_as_int(mask):#x}"
    if f.fmt == "port":
        names = _PORTS32 if f.size == 4 else _PORTS16
        return names.get(v, v)
    if f.fmt == "tcp_flags":
        return "+".join(_TCP_FLAGS[i] for i in range(len(_TCP_FLAGS)) if v >> i & 1) or "0"
    if f.fmt == "hex":
        return f"{v:#0{2 + 2 * f.size}x}" if f.name in ("eth_type",) else hex(v)
    return v


def _int_text(f: OxmField, text: str) -> int:
    if f.fmt == "port":
        names = _PORTS32 if f.size == 4 else _PORTS16
        for number, name in names.items():
            if text.upper() in (name, "OFPP_" + name):
                return number
    if f.fmt == "tcp_flags" and not text[:1].isdigit():
        value = 0
        for part in text.replace("|", "+").split("+"):
            if part:
                value |= 1 << _TCP_FLAGS.index(part.lower())
        return value
    return int(text, 0)


def parse_field(f: OxmField, data: Any) -> tuple[Any, Any]:
    """``(value, mask)`` from a value written as ``format_field`` writes it.

    Raises:
        ValueError: with the reason, when *data* is not a value of *f*.
    """
    if isinstance(data, int) and not isinstance(data, bool):
        if f.variable:
            return data.to_bytes(max(1, (data.bit_length() + 7) // 8), "big"), None
        return data, None
    if not isinstance(data, str):
        raise ValueError(f"{f.name}: expected a number or text, got {type(data).__name__}")
    text, _, mask_text = data.partition("/")
    try:
        if f.variable:
            return _variable(text, mask_text)
        if f.fmt in _FLAGS and not mask_text:
            flags = _parse_flags(f, text)
            if flags is not None:
                return flags
        if f.fmt == "frag" and not mask_text and not text[:1].isdigit():
            for number, name in _FRAG_EXACT.items():
                if text == name:
                    return number, None
            for (number, m), name in _FRAG_MASKED.items():
                if text == name:
                    return number, m
            raise ValueError(f"unknown fragment type {text!r} (no, yes, first, later, "
                             "not_later)")
        if f.fmt in ("ipv4", "ipv6"):
            bits = 32 if f.fmt == "ipv4" else 128
            addr = ipaddress.ip_address(text)
            if addr.version != (4 if bits == 32 else 6):
                raise ValueError(f"{text!r} is not an IPv{4 if bits == 32 else 6} address")
            value: Any = int(addr) if bits == 32 else addr.packed
            if not mask_text:
                return value, None
            if mask_text.isdigit():
                n = int(mask_text)
                if n > bits:
                    raise ValueError(f"/{n} is longer than {bits} bits")
                m = ((1 << bits) - 1) ^ ((1 << (bits - n)) - 1)
            else:
                m = int(ipaddress.ip_address(mask_text))
            return value, (m if bits == 32 else m.to_bytes(16, "big"))
        if f.fmt == "mac":
            def mac(t: str) -> bytes:
                parts = t.split(":")
                if len(parts) != 6:
                    raise ValueError(f"{t!r} is not a MAC address")
                return bytes(int(p, 16) for p in parts)
            return mac(text), (mac(mask_text) if mask_text else None)
        value = _int_text(f, text)
        mask = int(mask_text, 0) if mask_text else None
        if f.size not in (1, 2, 4, 8):
            return value.to_bytes(f.size, "big"), (
                mask.to_bytes(f.size, "big") if mask is not None else None)
        return value, mask
    except ValueError as e:
        raise ValueError(f"{f.name}: {e}") from None


def _variable(text: str, mask_text: str) -> tuple[bytes, bytes | None]:
    """A variable-length value: ``0x`` hexadecimal keeps its length (``0x0012`` is
    two bytes), a decimal number takes its shortest form; a mask gives both the
    length of the longer of the two."""
    def digits(t: str) -> tuple[int, int]:  # (number, bytes it was written with)
        if t[:2].lower() == "0x":
            return int(t, 16), max(1, (len(t) - 1) // 2)
        n = int(t, 10)
        return n, max(1, (n.bit_length() + 7) // 8)
    v, v_len = digits(text)
    if not mask_text:
        return v.to_bytes(v_len, "big"), None
    m, m_len = digits(mask_text)
    size = max(v_len, m_len)
    return v.to_bytes(size, "big"), m.to_bytes(size, "big")
