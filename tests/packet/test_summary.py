"""summary() equals the flow line of ``ovs-ofctl ofp-print`` for an OF1.3 PACKET_IN."""

from __future__ import annotations

import struct
import subprocess

import pytest

from vlcp_core.packet import decode

from .frames import FRAMES


def packet_in(frame: bytes) -> bytes:
    """OFPT_PACKET_IN (OF1.3), unbuffered, match IN_PORT=1 (layout as bench/_messages.py)."""
    fixed = struct.pack("!IHBBQ", 0xFFFFFFFF, len(frame), 0, 0, 0)
    match = struct.pack("!HHHBBI", 1, 12, 0x8000, 0, 4, 1) + bytes(4)
    body = fixed + match + bytes(2) + frame
    return struct.pack("!BBHI", 4, 10, 8 + len(body), 0) + body


@pytest.mark.parametrize("name", sorted(FRAMES))
def test_summary_matches_ovs_ofctl(name: str) -> None:
    data = bytes(FRAMES[name])
    out = subprocess.run(["ovs-ofctl", "ofp-print", packet_in(data).hex()], capture_output=True,
                         text=True, check=True, timeout=30).stdout.splitlines()
    flow = out[1].split(" ")[0]  # ovs-ofctl appends " tcp_csum:..." after the flow
    assert decode(data).summary() == flow
