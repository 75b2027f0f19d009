"""Just enough OpenFlow 1.0 / 1.3 wire format, written by hand, to drive a switch.

Builders return complete messages (8-byte header included); ``describe``
names a message for the corpus; ``MessageSplitter`` cuts a TCP byte stream
into messages using the 16-bit length at offset 2 of the header.
"""

from __future__ import annotations

import struct

__all__ = [
    "OF10",
    "OF13",
    "MessageSplitter",
    "describe",
    "header",
    "msg_type",
    "stats_request",
    "type_code",
]

OF10 = 1
OF13 = 4
HEADER = struct.Struct("!BBHI")

# Message type names; "stats" types are the same numbers as "multipart" ones.
_TYPES = {
    OF10: [
        "hello", "error", "echo_request", "echo_reply", "vendor", "features_request",
        "features_reply", "get_config_request", "get_config_reply", "set_config", "packet_in",
        "flow_removed", "port_status", "packet_out", "flow_mod", "port_mod", "stats_request",
        "stats_reply", "barrier_request", "barrier_reply", "queue_get_config_request",
        "queue_get_config_reply",
    ],
    OF13: [
        "hello", "error", "echo_request", "echo_reply", "experimenter", "features_request",
        "features_reply", "get_config_request", "get_config_reply", "set_config", "packet_in",
        "flow_removed", "port_status", "packet_out", "flow_mod", "group_mod", "port_mod",
        "table_mod", "multipart_request", "multipart_reply", "barrier_request", "barrier_reply",
        "queue_get_config_request", "queue_get_config_reply", "role_request", "role_reply",
        "get_async_request", "get_async_reply", "set_async", "meter_mod",
    ],
}  # fmt: skip
_STATS_10 = {
    0: "desc_stats", 1: "flow_stats", 2: "aggregate_stats", 3: "table_stats", 4: "port_stats",
    5: "queue_stats",
}  # fmt: skip
_STATS = {
    OF10: _STATS_10,
    OF13: _STATS_10 | {
        6: "group_stats", 7: "group_desc", 8: "group_features", 9: "meter_stats",
        10: "meter_config", 11: "meter_features", 12: "table_features", 13: "port_desc",
    },
}  # fmt: skip
_ERROR_TYPES = {
    OF10: ["hello_failed", "bad_request", "bad_action", "flow_mod_failed", "port_mod_failed",
           "queue_op_failed"],
    OF13: ["hello_failed", "bad_request", "bad_action", "bad_instruction", "bad_match",
           "flow_mod_failed", "group_mod_failed", "port_mod_failed", "table_mod_failed",
           "queue_op_failed", "switch_config_failed", "role_request_failed", "meter_mod_failed",
           "table_features_failed"],
}  # fmt: skip
_BAD_REQUEST_CODES = ["bad_version", "bad_type", "bad_stat", "bad_vendor", "bad_subtype", "eperm",
                      "bad_len", "buffer_empty", "buffer_unknown", "bad_table_id", "is_slave",
                      "bad_port", "bad_packet", "multipart_buffer_overflow"]  # fmt: skip
_PORT_REASONS = ["add", "delete", "modify"]
_PACKET_IN_REASONS = ["no_match", "action", "invalid_ttl"]
_FLOW_REMOVED_REASONS = ["idle_timeout", "hard_timeout", "delete", "group_delete"]


def type_code(version: int, name: str) -> int:
    """The numeric message type called ``name`` in ``version`` (e.g. ``"barrier_request"``)."""
    return _TYPES[version].index(name)


def msg_type(message: bytes) -> str:
    """The type name of a message (``"unknown_type_N"`` for unknown types)."""
    version, code = message[0], message[1]
    names = _TYPES.get(version, [])
    return names[code] if code < len(names) else f"unknown_type_{code}"


def header(version: int, type_name: str, xid: int, body: bytes = b"") -> bytes:
    """A complete message: the 8-byte header followed by ``body``."""
    return HEADER.pack(version, type_code(version, type_name), HEADER.size + len(body), xid) + body


def stats_request(version: int, stats_type: int, xid: int, body: bytes = b"") -> bytes:
    """An OpenFlow 1.0 STATS_REQUEST or 1.3 MULTIPART_REQUEST (flags 0)."""
    if version == OF10:
        return header(version, "stats_request", xid, struct.pack("!HH", stats_type, 0) + body)
    return header(version, "multipart_request", xid, struct.pack("!HH4x", stats_type, 0) + body)


def describe(message: bytes) -> str:
    """A corpus name for ``message``: its type, refined by subtype, reason or error."""
    version = message[0]
    name = msg_type(message)
    if name in ("stats_request", "stats_reply", "multipart_request", "multipart_reply"):
        (stats,) = struct.unpack_from("!H", message, 8)
        stats_name = _STATS.get(version, {}).get(stats, f"unknown_stats_{stats}")
        return f"{stats_name}_{name.rsplit('_', 1)[1]}"
    if name == "port_status":
        return f"port_status_{_name(_PORT_REASONS, message[8])}"
    if name == "packet_in":
        # 1.0: buffer_id, total_len, in_port, reason; 1.3: buffer_id, total_len, reason
        offset = 16 if version == OF10 else 14
        return f"packet_in_{_name(_PACKET_IN_REASONS, message[offset])}"
    if name == "flow_removed":
        offset = 8 + 40 + 8 + 2 if version == OF10 else 8 + 8 + 2
        return f"flow_removed_{_name(_FLOW_REMOVED_REASONS, message[offset])}"
    if name == "error":
        err_type, code = struct.unpack_from("!HH", message, 8)
        type_text = _name(_ERROR_TYPES.get(version, []), err_type)
        code_text = _name(_BAD_REQUEST_CODES, code) if type_text == "bad_request" else str(code)
        return f"error_{type_text}_{code_text}"
    return name


def _name(names: list[str], index: int) -> str:
    return names[index] if index < len(names) else str(index)


class MessageSplitter:
    """Accumulates stream bytes and yields whole OpenFlow messages."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[bytes]:
        """Add ``data``; return every message completed by it, in order."""
        self._buffer += data
        messages: list[bytes] = []
        while len(self._buffer) >= HEADER.size:
            (length,) = struct.unpack_from("!H", self._buffer, 2)
            if length < HEADER.size:
                raise ValueError(f"bad OpenFlow length {length} in {bytes(self._buffer[:8]).hex()}")
            if len(self._buffer) < length:
                break
            messages.append(bytes(self._buffer[:length]))
            del self._buffer[:length]
        return messages

    @property
    def pending(self) -> int:
        """Bytes received that do not yet form a whole message."""
        return len(self._buffer)
