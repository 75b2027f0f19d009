"""Classic pcap files (the libpcap format, microsecond timestamps, little endian)."""

from __future__ import annotations

import struct
from collections.abc import Iterable
from pathlib import Path

__all__ = ["read_pcap", "write_pcap"]

_MAGIC = 0xA1B2C3D4
LINKTYPE_ETHERNET = 1


def write_pcap(path: str | Path, frames: Iterable[bytes], *, snaplen: int = 65535,
               linktype: int = LINKTYPE_ETHERNET) -> None:
    """Write *frames* (bytes, or anything ``bytes()`` accepts such as a ``Packet``) to *path*.

    Timestamps are 1 s apart starting at 0.  Example: ``write_pcap("/tmp/x.pcap", [pkt])``.
    """
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", _MAGIC, 2, 4, 0, 0, snaplen, linktype))
        for i, frame in enumerate(frames):
            data = bytes(frame)
            f.write(struct.pack("<IIII", i, 0, len(data), len(data)) + data)


def read_pcap(path: str | Path) -> list[bytes]:
    """The frames of a classic pcap file (either byte order; ns or us timestamps).

    Raises:
        ValueError: not a classic pcap file.  A truncated last record is dropped.
    """
    data = Path(path).read_bytes()
    if len(data) < 24:
        return []
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        order = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        order = ">"
    else:
        raise ValueError(f"{path}: not a pcap file (magic {magic.hex()})")
    out: list[bytes] = []
    off = 24
    while off + 16 <= len(data):
        _, _, caplen, _ = struct.unpack(order + "IIII", data[off:off + 16])
        if off + 16 + caplen > len(data):
            break
        out.append(data[off + 16:off + 16 + caplen])
        off += 16 + caplen
    return out
