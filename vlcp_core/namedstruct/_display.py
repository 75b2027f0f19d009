"""How field values are shown to people and read back from text.

Fields keep plain ``int``/``bytes`` values on the wire side (an ``IntEnum`` per
field would cost about four times an int).  A *display* only matters for
``dump``, ``pretty``, ``explain`` and for reading values given as text (enum
names, ``aa:bb:cc:dd:ee:ff``, ``10.0.0.1``).  We never rely on ``str()`` of an
enum member: its format changed in Python 3.11.
"""

from __future__ import annotations

import enum
import ipaddress
from typing import Any

__all__ = ["Display", "EnumDisplay", "FlagsDisplay", "as_display", "hexa", "ipv4", "ipv6", "mac"]


class Display:
    """Base class: turns a stored value into text and JSON, and text back into a value.

    ``from_text`` returns an ``int`` or ``bytes``; the field type adapts it to
    its own kind (an ``uint32`` shown as IPv4 stores an int, a 4-byte raw field
    stores bytes).
    """

    name = "display"

    def text(self, value: Any) -> str:
        """Short text for pretty-printing."""
        return repr(value)

    def json(self, value: Any) -> Any:
        """A JSON-ready value for ``dump``."""
        return self.text(value)

    def from_text(self, text: str) -> int | bytes:
        """Read a value written as text; raises ``ValueError`` with a reason."""
        raise ValueError(f"{self.name} values cannot be given as text")


class EnumDisplay(Display):
    """Shows an int through an ``IntEnum``: ``OFPT_FLOW_MOD``; unknown values stay numbers."""

    def __init__(self, enum_class: type[enum.IntEnum]) -> None:
        self.enum_class = enum_class
        self.name = enum_class.__name__
        self.names: dict[int, str] = {}
        for member_name, member in enum_class.__members__.items():
            self.names.setdefault(int(member), member_name)
        self.values: dict[str, int] = {n: int(m) for n, m in enum_class.__members__.items()}

    def text(self, value: Any) -> str:
        name = self.names.get(value)
        return f"{name} ({value})" if name is not None else str(value)

    def json(self, value: Any) -> Any:
        return self.names.get(value, value)

    def from_text(self, text: str) -> int:
        if text in self.values:
            return self.values[text]
        try:
            return int(text, 0)
        except ValueError:
            raise ValueError(f"{text!r} is not a name of {self.name}") from None


class FlagsDisplay(Display):
    """Shows an int as ``A|B`` through an ``IntFlag``; unknown bits in hex (``A|0x100``)."""

    def __init__(self, flag_class: type[enum.IntFlag]) -> None:
        self.flag_class = flag_class
        self.name = flag_class.__name__
        self.bits: list[tuple[int, str]] = []
        self.values: dict[str, int] = {}
        for member_name, member in flag_class.__members__.items():
            v = int(member)
            self.values[member_name] = v
            if v and v & (v - 1) == 0 and all(b != v for b, _ in self.bits):
                self.bits.append((v, member_name))
        self.bits.sort()

    def json(self, value: Any) -> Any:
        if not isinstance(value, int):
            return repr(value)
        if value == 0:
            return "0"
        parts = []
        rest = value
        for bit, name in self.bits:
            if value & bit:
                parts.append(name)
                rest &= ~bit
        if rest:
            parts.append(hex(rest))
        return "|".join(parts)

    def text(self, value: Any) -> str:
        if not isinstance(value, int):
            return repr(value)
        return f"{self.json(value)} ({value:#x})" if value else "0"

    def from_text(self, text: str) -> int:
        total = 0
        for part in text.split("|"):
            part = part.strip()
            if part in self.values:
                total |= self.values[part]
                continue
            try:
                total |= int(part, 0)
            except ValueError:
                raise ValueError(f"{part!r} is not a flag of {self.name}") from None
        return total


class _Mac(Display):
    name = "mac"

    def text(self, value: Any) -> str:
        if isinstance(value, int):
            value = value.to_bytes(6, "big")
        return ":".join(f"{b:02x}" for b in value)

    def from_text(self, text: str) -> bytes:
        parts = text.replace("-", ":").split(":")
        if len(parts) != 6:
            raise ValueError(f"{text!r} is not a MAC address (6 hex bytes separated by ':')")
        try:
            return bytes(int(p, 16) for p in parts)
        except ValueError:
            raise ValueError(f"{text!r} is not a MAC address") from None


class _Ipv4(Display):
    name = "ipv4"

    def text(self, value: Any) -> str:
        return str(ipaddress.IPv4Address(value if isinstance(value, int) else bytes(value)))

    def from_text(self, text: str) -> bytes:
        try:
            return ipaddress.IPv4Address(text).packed
        except ValueError:
            raise ValueError(f"{text!r} is not an IPv4 address") from None


class _Ipv6(Display):
    name = "ipv6"

    def text(self, value: Any) -> str:
        return str(ipaddress.IPv6Address(value if isinstance(value, int) else bytes(value)))

    def from_text(self, text: str) -> bytes:
        try:
            return ipaddress.IPv6Address(text).packed
        except ValueError:
            raise ValueError(f"{text!r} is not an IPv6 address") from None


class _Hex(Display):
    name = "hex"

    def text(self, value: Any) -> str:
        if isinstance(value, int):
            return hex(value)
        return bytes(value).hex()

    def from_text(self, text: str) -> int | bytes:
        t = text.strip()
        if t.lower().startswith("0x"):
            return int(t, 16)
        try:
            return bytes.fromhex(t)
        except ValueError:
            raise ValueError(f"{text!r} is not hexadecimal") from None


mac: Display = _Mac()
"""MAC address display: ``aa:bb:cc:dd:ee:ff``."""
ipv4: Display = _Ipv4()
"""IPv4 address display: ``10.0.0.1``."""
ipv6: Display = _Ipv6()
"""IPv6 address display: ``fe80::1``."""
hexa: Display = _Hex()
"""Hexadecimal display: ``0x8000`` for ints, ``0a0b0c`` for bytes."""


def as_display(spec: Any) -> Display:
    """Turn an ``IntEnum``/``IntFlag`` class or a ``Display`` into a ``Display``."""
    if isinstance(spec, Display):
        return spec
    if isinstance(spec, type) and issubclass(spec, enum.IntFlag):
        return FlagsDisplay(spec)
    if isinstance(spec, type) and issubclass(spec, enum.IntEnum):
        return EnumDisplay(spec)
    raise TypeError(f"cannot show values through {spec!r}: expected an IntEnum, IntFlag or Display")
