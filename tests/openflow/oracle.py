"""Open vSwitch as the oracle: what ``ovs-ofctl ofp-print`` makes of our bytes.

``ofp-print`` is an ovs-ofctl test command (not in the man page); its output is
pinned to Open vSwitch 3.1 as shipped by Debian 12.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable

__all__ = ["ofp_print", "ofp_print_many", "assert_ovs_decodes"]


def ofp_print(data: bytes, verbosity: int = 2) -> str:
    """``ovs-ofctl ofp-print HEX VERBOSITY`` for one message (stdout, stripped)."""
    r = subprocess.run(["ovs-ofctl", "ofp-print", data.hex(), str(verbosity)],
                       capture_output=True, text=True, timeout=30)
    return (r.stdout + r.stderr).strip()


def ofp_print_many(messages: Iterable[bytes], verbosity: int = 2) -> list[str]:
    """``ofp_print`` of each message (one process each: ofp-print takes one message)."""
    return [ofp_print(m, verbosity) for m in messages]


def assert_ovs_decodes(data: bytes, *expected: str) -> str:
    """Assert OVS decodes *data* without errors and its text contains every *expected*."""
    text = ofp_print(data)
    lowered = text.lower()
    for bad in ("decode error", "***", "bad length", "truncated", "unknown"):
        assert bad not in lowered, f"ovs-ofctl ofp-print {data.hex()}:\n{text}"
    for piece in expected:
        assert piece in text, f"{piece!r} not in ovs-ofctl ofp-print output:\n{text}"
    return text
