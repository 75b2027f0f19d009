"""Frames written as text: hex, or a builder like ``eth(dst=ff:ff:ff:ff:ff:ff)/ipv4()/icmp()``.

``parse_frame(text) -> bytes`` is what ``packet-out`` and ``lab inject`` take.

- **Hex**: ``0x`` optional; spaces, colons, dots and dashes between the digits are
  ignored (``ff ff ff ff ff ff 00 00 ...``, as hexdumps show it).
- **Builder**: layers joined by ``/``, each a name from ``LAYERS`` (the
  ``vlcp_core.packet`` constructors) with ``key=value`` arguments: unquoted values
  are numbers (``80``, ``0x800``) or text (MAC and IP addresses, ``SYN|ACK``,
  ``ECHO_REPLY``); quoted values are text.  The last part may be a payload:
  ``"text"`` (UTF-8) or ``raw(HEX)``.  Nothing is evaluated: names are looked up in
  ``LAYERS``, values are read by this parser.

Every error is a ``ValueError`` naming the part at fault.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from vlcp_core.namedstruct import NamedStructError
from vlcp_core.packet import Packet, arp, eth, icmp, icmpv6_echo, ipv4, ipv6, tcp, udp, vlan

__all__ = ["LAYERS", "parse_frame"]

LAYERS: dict[str, Callable[..., Packet]] = {
    "eth": eth, "vlan": vlan, "arp": arp, "ipv4": ipv4, "ip": ipv4, "ipv6": ipv6,
    "tcp": tcp, "udp": udp, "icmp": icmp, "icmpv6_echo": icmpv6_echo,
}

_HEX_NOISE = re.compile(r"[\s:.\-]")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_NUMBER = re.compile(r"(?:0[xX][0-9a-fA-F]+|[0-9]+)\Z")


def parse_frame(text: str) -> bytes:
    """The frame *text* describes: hex digits, or builder text (see the module).

    Raises:
        ValueError: naming the part that cannot be read or built.

    Example: ``parse_frame("eth(src=00:00:00:00:00:01,dst=ff:ff:ff:ff:ff:ff)/arp()")``.
    """
    text = text.strip()
    if not text:
        raise ValueError("no frame given: write hex digits or layers like eth()/ipv4()/icmp()")
    if "(" not in text and '"' not in text and "'" not in text:
        return _hex(text)
    packet: Packet | None = None
    payload = b""
    parts = _split(text, "/", text)
    for index, part in enumerate(parts):
        piece = part.strip()
        if not piece:
            raise ValueError(f"empty layer at position {index + 1} in {text!r}")
        data = _payload(piece)
        if data is not None:
            if index != len(parts) - 1:
                raise ValueError(f"the payload {piece!r} must be the last part of the frame")
            payload = data
            continue
        made = _layer(piece)
        packet = made if packet is None else packet / made
    if packet is None:
        return payload
    if payload:
        packet = packet / payload
    try:
        return bytes(packet)
    except (NamedStructError, ValueError, TypeError) as exc:
        raise ValueError(f"cannot build the frame {text!r}: {exc}") from None


def _hex(text: str) -> bytes:
    digits = _HEX_NOISE.sub("", text)
    if digits[:2] in ("0x", "0X"):
        digits = digits[2:]
    bad = re.search(r"[^0-9a-fA-F]", digits)
    if bad:
        raise ValueError(f"{bad.group()!r} is not a hex digit (a frame is hex digits, "
                         f"or layers like eth()/ipv4()/icmp())")
    if len(digits) % 2:
        raise ValueError(f"the frame's hex has an odd number of digits ({len(digits)})")
    return bytes.fromhex(digits)


def _payload(piece: str) -> bytes | None:
    if piece[0] in "'\"":
        return _quoted(piece, piece).encode()
    if piece.startswith("raw(") and piece.endswith(")"):
        try:
            return _hex(piece[4:-1])
        except ValueError as exc:
            raise ValueError(f"in {piece!r}: {exc}") from None
    return None


def _layer(piece: str) -> Packet:
    name, paren, rest = piece.partition("(")
    name = name.strip()
    if not paren or not rest.endswith(")"):
        raise ValueError(f"{piece!r} is not a layer: write NAME(key=value,...), "
                         f"e.g. ipv4(dst=10.0.0.2)")
    make = LAYERS.get(name)
    if make is None:
        raise ValueError(f"unknown layer {name!r} in {piece!r} "
                         f"(layers: {', '.join(sorted(LAYERS))}, raw(HEX), \"text\")")
    fields: dict[str, Any] = {}
    body = rest[:-1]
    for item in _split(body, ",", piece) if body.strip() else []:
        key, equals, value = item.partition("=")
        key = key.strip()
        if not equals or not _NAME.match(key):
            raise ValueError(f"{item.strip()!r} in {piece!r} is not key=value")
        if key in fields:
            raise ValueError(f"{key!r} is given twice in {piece!r}")
        fields[key] = _value(value.strip(), piece)
    if name == "icmpv6_echo" and "reply" in fields:
        fields["reply"] = fields["reply"] in (1, "1", "true", "True", "yes")
    try:
        return make(**fields)
    except TypeError as exc:
        unknown = re.search(r"keyword argument '(\w+)'", str(exc))
        what = f"unknown field {unknown.group(1)!r}" if unknown else str(exc)
        raise ValueError(f"{name}: {what} in {piece!r}") from None
    except (NamedStructError, ValueError) as exc:
        raise ValueError(f"{name}: {exc} in {piece!r}") from None


def _value(text: str, piece: str) -> Any:
    if not text:
        raise ValueError(f"a value is missing in {piece!r}")
    if text[0] in "'\"":
        return _quoted(text, piece)
    if _NUMBER.match(text):
        return int(text, 16) if text[:2] in ("0x", "0X") else int(text)
    return text


def _quoted(text: str, piece: str) -> str:
    quote = text[0]
    if len(text) < 2 or text[-1] != quote or quote in text[1:-1]:
        raise ValueError(f"unbalanced quotes in {piece!r}")
    return text[1:-1]


def _split(text: str, separator: str, where: str) -> list[str]:
    """*text* split at *separator* outside quotes and parentheses."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    quote = ""
    for char in text:
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise ValueError(f"unbalanced ')' in {where!r}")
        elif char == separator and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    if quote:
        raise ValueError(f"unbalanced quotes in {where!r}")
    if depth:
        raise ValueError(f"unbalanced '(' in {where!r}")
    parts.append("".join(current))
    return parts
