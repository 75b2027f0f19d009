"""``Packet``: a stack of header structs and payload bytes, composed with ``/``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from vlcp_core.namedstruct import Struct, dump

__all__ = ["Packet", "layer"]

S = TypeVar("S", bound=Struct)


def _all_fields(obj: Struct) -> frozenset[str]:
    return frozenset(n for n, _ in obj._ns_info.fields)


class Packet:
    """Layers (namedstruct objects, outermost first), payload bytes and Ethernet padding.

    ``explicit[i]`` is the set of field names of ``layers[i]`` that ``bytes()`` leaves
    as they are; every other length, type, checksum field is computed.  Builders put
    the keyword arguments they were given there; ``decode`` puts every field (so a
    decoded frame rebuilds byte for byte, bad checksums included).

    ``padding`` is appended after everything (bytes beyond the IP total length, for
    example the zeros that pad a frame to 60 bytes).  ``error`` is the ``ParseError``
    that made ``decode`` stop early and keep the rest as payload, else ``None``.

    Example::

        pkt = eth(src="00:00:00:00:00:01") / ipv4(dst="10.0.0.2") / udp(dport=53) / b"q"
        data = bytes(pkt)
        assert decode(data) == pkt
    """

    __slots__ = ("error", "explicit", "layers", "padding", "payload")

    def __init__(self, layers: Iterable[Struct] = (), payload: bytes = b"", *,
                 explicit: Iterable[frozenset[str]] | None = None, padding: bytes = b"",
                 error: Exception | None = None) -> None:
        self.layers: list[Struct] = list(layers)
        self.payload = bytes(payload)
        self.padding = bytes(padding)
        self.explicit: list[frozenset[str]] = (
            [_all_fields(x) for x in self.layers] if explicit is None else list(explicit))
        if len(self.explicit) != len(self.layers):
            raise ValueError("explicit must have one set per layer")
        self.error = error

    def __truediv__(self, other: Packet | Struct | bytes) -> Packet:
        if self.payload or self.padding:
            raise ValueError("cannot stack a layer after payload bytes")
        if isinstance(other, bytes | bytearray):
            return Packet(self.layers, bytes(other), explicit=self.explicit)
        if isinstance(other, Struct):
            other = Packet([other])
        if not isinstance(other, Packet):
            return NotImplemented
        return Packet(self.layers + other.layers, other.payload, padding=other.padding,
                      explicit=self.explicit + other.explicit)

    def __bytes__(self) -> bytes:
        from ._build import build

        return build(self)

    def __len__(self) -> int:
        return len(bytes(self))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Packet):
            return NotImplemented
        return (self.layers == other.layers and self.payload == other.payload
                and self.padding == other.padding)

    __hash__ = None  # type: ignore[assignment]

    def get(self, cls: type[S], default: Any = None) -> Any:
        """The first layer that is an instance of *cls* (e.g. ``tcp_header``), else *default*."""
        for x in self.layers:
            if isinstance(x, cls):
                return x
        return default

    def __getitem__(self, key: int | type[S]) -> Any:
        if isinstance(key, int):
            return self.layers[key]
        found = self.get(key)
        if found is None:
            raise KeyError(key._ns_info.name)
        return found

    def __contains__(self, cls: type[Struct]) -> bool:
        return self.get(cls) is not None

    def summary(self) -> str:
        """A one-line flow description in the format of ``ovs-ofctl`` (see ``summary``)."""
        from ._summary import summary

        return summary(self)

    def dump(self) -> list[Any]:
        """JSON-ready list: one dict per layer, then the payload as hex (if any)."""
        out: list[Any] = [dump(x) for x in self.layers]
        if self.payload:
            out.append({"payload": self.payload.hex()})
        return out

    def __repr__(self) -> str:
        parts = [repr(x) for x in self.layers]
        if self.payload:
            parts.append(repr(self.payload))
        if self.padding:
            parts.append(f"<padding {len(self.padding)} bytes>")
        return " / ".join(parts) or "Packet()"


def layer(cls: type[Struct], **fields: Any) -> Packet:
    """A one-layer packet of header struct *cls*; the given *fields* are kept on build.

    Args:
        cls: a header struct, e.g. ``ipv4_header``.
        fields: field values (text accepted: ``"10.0.0.1"``, ``"SYN"``).

    Returns:
        a ``Packet`` to compose with ``/``.

    Raises:
        BuildError: a value does not fit its field.

    Example: ``layer(ipv4_header, dst="10.0.0.2", ttl=1)``.
    """
    return Packet([cls(**fields)], explicit=[frozenset(fields)])
