"""HELLO: what we offer, what the peer offers, and the version both speak.

OpenFlow 1.3.5 section 6.3.1: each side sends the highest version it supports in
the header of its HELLO; from 1.3 on it may add a version bitmap element listing
exactly the versions it supports.  Without a bitmap, a peer supports every version
up to its header's.  The connection speaks the highest version both support; if
there is none, the side that notices sends HELLO_FAILED/INCOMPATIBLE and closes.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from typing import Any

from ..openflow import v10, v13

__all__ = ["DEFINITIONS", "KNOWN_VERSIONS", "VERSION_NAMES", "hello_bytes", "negotiate",
           "peer_versions"]

# Wire versions this library speaks, their message definitions, and the names of
# all versions as Open vSwitch writes them.
DEFINITIONS: dict[int, Any] = {1: v10, 4: v13}
KNOWN_VERSIONS = frozenset(DEFINITIONS)
VERSION_NAMES = {1: "OpenFlow10", 2: "OpenFlow11", 3: "OpenFlow12", 4: "OpenFlow13",
                 5: "OpenFlow14", 6: "OpenFlow15"}
_HEADER = struct.Struct("!BBHI")
_ELEMENT = struct.Struct("!HH")
_BITMAP_ELEMENT = 1


def hello_bytes(versions: Iterable[int], xid: int) -> bytes:
    """Our HELLO offering *versions*: the highest in the header, plus a bitmap when
    that is 1.3 or later (a 1.0 HELLO has no elements)."""
    offered = sorted(set(versions))
    if not offered or not set(offered) <= KNOWN_VERSIONS:
        raise ValueError(f"versions must be among {sorted(KNOWN_VERSIONS)}, not {offered}")
    if offered[-1] == 1:
        return bytes(v10.ofp_hello(xid=xid))
    bitmap = sum(1 << v for v in offered)
    return bytes(v13.ofp_hello(xid=xid, elements=[
        v13.ofp_hello_elem_versionbitmap(bitmaps=[bitmap])]))


def peer_versions(message: bytes) -> frozenset[int]:
    """The versions a peer's HELLO (whole message, any version) says it supports.

    Raises ``ValueError`` for a malformed element list.
    """
    version, _, length, _ = _HEADER.unpack_from(message)
    body = message[_HEADER.size:length]
    bitmap: set[int] | None = None
    offset = 0
    while version >= 4 and offset + _ELEMENT.size <= len(body):
        kind, size = _ELEMENT.unpack_from(body, offset)
        if size < _ELEMENT.size or offset + size > len(body):
            raise ValueError(f"HELLO element at byte {_HEADER.size + offset} has "
                             f"length {size}")
        if kind == _BITMAP_ELEMENT:
            bitmap = set()
            words = body[offset + _ELEMENT.size:offset + size]
            for index in range(len(words) // 4):
                (word,) = struct.unpack_from("!I", words, index * 4)
                bitmap.update(index * 32 + bit for bit in range(32) if word >> bit & 1)
        offset += (size + 7) // 8 * 8
    if bitmap is not None:
        return frozenset(bitmap)
    return frozenset(range(1, version + 1))


def negotiate(ours: Iterable[int], theirs: frozenset[int]) -> int | None:
    """The highest common version, or ``None``."""
    common = set(ours) & theirs
    return max(common) if common else None
