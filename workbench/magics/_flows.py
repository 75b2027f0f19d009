"""``dump-flows`` lines read back into a table: one row per flow, typed columns.

``dump-flows`` prints each flow exactly as ``ovs-ofctl dump-flows`` does::

     cookie=0x5, duration=0.002s, table=1, n_packets=0, n_bytes=0, priority=5 actions=drop

statistics as ``key=value, `` (and flags as bare words), then the priority and
the match joined by commas, then the program after `` actions=``.  The reply
headers (``OFPST_FLOW reply (OF1.3) (xid=0x8):``) end with a colon.
"""

from __future__ import annotations

import re
from typing import Any

from ..shell import Table

__all__ = ["FLOW_COLUMNS", "flow_table"]

FLOW_COLUMNS = ["table", "priority", "match", "actions", "n_packets", "n_bytes", "duration",
                "cookie"]
_OPTIONAL = ["idle_timeout", "hard_timeout", "idle_age", "hard_age", "flags"]
_NUMBERS = {"table", "n_packets", "n_bytes", "idle_timeout", "hard_timeout", "idle_age",
            "hard_age"}
_FLAGS = {"send_flow_rem", "check_overlap", "reset_counts", "no_packet_counts",
          "no_byte_counts"}
# a flag before the match ends with a space: "idle_timeout=2, send_flow_rem priority=5"
_STAT = re.compile(r"([a-z_]+)(?:=([^,\s]*))?(?:, | )")
_HEADER = re.compile(r"\S.*:")
_DEFAULT_PRIORITY = 0x8000  # ovs-ofctl leaves it out


def flow_table(lines: list[str]) -> Table | None:
    """The flows of *lines* (``dump-flows`` output) as a table, or None when one of
    them is neither a reply header nor a flow."""
    title: list[str] = []
    flows: list[dict[str, Any]] = []
    for line in lines:
        if _HEADER.fullmatch(line):
            title.append(line.rstrip(":"))
            continue
        flow = _flow(line)
        if flow is None:
            return None
        flows.append(flow)
    if not title:
        return None
    optional = [name for name in _OPTIONAL if any(name in flow for flow in flows)]
    headers = FLOW_COLUMNS + optional
    return Table(headers, [[flow.get(name) for name in headers] for flow in flows],
                 "; ".join(dict.fromkeys(title)))


def _flow(line: str) -> dict[str, Any] | None:
    text = line.strip()
    flow: dict[str, Any] = {}
    flags: list[str] = []
    at = 0
    while True:
        found = _STAT.match(text, at)
        if found is None:
            break
        key, value = found.group(1), found.group(2)
        if value is None and key in _FLAGS:
            flags.append(key)
        elif value is not None and key in _NUMBERS | {"cookie", "duration"}:
            flow[key] = _value(key, value)
        else:
            break
        at = found.end()
    if not {"cookie", "duration", "table", "n_packets", "n_bytes"} <= set(flow):
        return None
    rest = text[at:]
    if rest.startswith("actions="):
        head, actions = "", rest[len("actions="):]
    else:
        head, space, actions = rest.partition(" actions=")
        if not space:
            return None
    priority, match = _DEFAULT_PRIORITY, head
    if head.startswith("priority="):
        number, _, match = head[len("priority="):].partition(",")
        try:
            priority = int(number)
        except ValueError:
            return None
    flow.update(priority=priority, match=match, actions=actions)
    if flags:
        flow["flags"] = ",".join(flags)
    return flow


def _value(key: str, text: str) -> Any:
    if key == "duration":
        try:
            return float(text.removesuffix("s"))
        except ValueError:
            return text
    if key in _NUMBERS:
        try:
            return int(text)
        except ValueError:
            return text
    return text
