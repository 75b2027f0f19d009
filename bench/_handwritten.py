"""Hand-written OpenFlow 1.3 FLOW_MOD / PACKET_IN codec (benchmark baseline).

This is the "what a competent person writes by hand with ``struct``" side of
the namedstruct benchmark.  Parsing honours every length field (header length
bounds the message, match length bounds the OXM list, instruction and action
lengths bound their bodies), loops over the TLVs and raises ``ValueError`` on
truncation or inconsistent lengths.  Serialization recomputes every length
field from the object contents; no stored length is ever trusted.

Decisions (not dictated by the benchmark brief):

* Only OpenFlow 1.3 (version 4) messages of the expected type are accepted.
* Only OXM matches (``OFPMT_OXM``) are accepted; ``Match.type`` is kept
  anyway so the object mirrors the wire struct.
* Instruction and action lengths must be at least 8 (the size of the
  smallest ofp_instruction / ofp_action_header); 8-byte alignment is not
  enforced.  OFPAT_OUTPUT must be exactly 16 bytes.
* Pad bytes are skipped on parse and written as zeros on serialize.
* PACKET_IN ``data`` is everything after the 2 pad bytes up to the header
  length; ``total_len`` is kept as-is (it may exceed ``len(data)``).
"""

from __future__ import annotations

import struct
from typing import ClassVar, TypeAlias

__all__ = [
    "ActionOutput",
    "ActionRaw",
    "FlowMod",
    "InstructionActions",
    "InstructionRaw",
    "Match",
    "OxmField",
    "PacketIn",
    "parse_flow_mod",
    "parse_packet_in",
    "serialize_flow_mod",
    "serialize_packet_in",
]

Buf: TypeAlias = bytes | bytearray | memoryview

OFP_VERSION = 4
OFPT_PACKET_IN = 10
OFPT_FLOW_MOD = 14
OFPMT_OXM = 1
OFPAT_OUTPUT = 0
# Instructions whose body is "4 pad bytes + list of actions".
OFPIT_WRITE_ACTIONS = 3
OFPIT_APPLY_ACTIONS = 4
OFPIT_CLEAR_ACTIONS = 5
_ACTION_INSTRUCTIONS = frozenset((OFPIT_WRITE_ACTIONS, OFPIT_APPLY_ACTIONS, OFPIT_CLEAR_ACTIONS))

# ofp_header + ofp_flow_mod fixed part (48 bytes).
_FLOW_MOD = struct.Struct("!BBHIQQBBHHHIIIH2x")
# ofp_header + ofp_packet_in fixed part (24 bytes).
_PACKET_IN = struct.Struct("!BBHIIHBBQ")
_TL = struct.Struct("!HH")  # type/length head of match, instruction, action
_OXM = struct.Struct("!I")
_INSTRUCTION_ACTIONS = struct.Struct("!HH4x")
_ACTION_OUTPUT = struct.Struct("!HHIH6x")
_PAD = tuple(bytes(n) for n in range(8))


class _Record:
    """Slotted record base: value equality and a readable repr."""

    __slots__: ClassVar[tuple[str, ...]] = ()

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, s) == getattr(other, s) for s in self.__slots__)

    def __repr__(self) -> str:
        body = ", ".join(f"{s}={getattr(self, s)!r}" for s in self.__slots__)
        return f"{type(self).__name__}({body})"


class OxmField(_Record):
    """One OXM TLV; ``value`` holds the value and, if ``oxm_hasmask``, the mask."""

    __slots__ = ("oxm_class", "oxm_field", "oxm_hasmask", "value")

    def __init__(self, oxm_class: int, oxm_field: int, oxm_hasmask: int, value: bytes) -> None:
        self.oxm_class = oxm_class
        self.oxm_field = oxm_field
        self.oxm_hasmask = oxm_hasmask
        self.value = value


class Match(_Record):
    __slots__ = ("type", "oxm_fields")

    def __init__(self, type: int = OFPMT_OXM, oxm_fields: list[OxmField] | None = None) -> None:
        self.type = type
        self.oxm_fields = [] if oxm_fields is None else oxm_fields


class ActionOutput(_Record):
    type: ClassVar[int] = OFPAT_OUTPUT
    __slots__ = ("port", "max_len")

    def __init__(self, port: int, max_len: int = 0xFFE5) -> None:
        self.port = port
        self.max_len = max_len


class ActionRaw(_Record):
    """Any other action: its type and the bytes after the 4-byte head."""

    __slots__ = ("type", "body")

    def __init__(self, type: int, body: bytes) -> None:
        self.type = type
        self.body = body


Action: TypeAlias = ActionOutput | ActionRaw


class InstructionActions(_Record):
    """OFPIT_WRITE_ACTIONS / OFPIT_APPLY_ACTIONS / OFPIT_CLEAR_ACTIONS."""

    __slots__ = ("type", "actions")

    def __init__(
        self, type: int = OFPIT_APPLY_ACTIONS, actions: list[Action] | None = None
    ) -> None:
        self.type = type
        self.actions = [] if actions is None else actions


class InstructionRaw(_Record):
    """Any other instruction: its type and the bytes after the 4-byte head."""

    __slots__ = ("type", "body")

    def __init__(self, type: int, body: bytes) -> None:
        self.type = type
        self.body = body


Instruction: TypeAlias = InstructionActions | InstructionRaw


class FlowMod(_Record):
    __slots__ = (
        "version", "type", "xid",
        "cookie", "cookie_mask", "table_id", "command", "idle_timeout",
        "hard_timeout", "priority", "buffer_id", "out_port", "out_group",
        "flags", "match", "instructions",
    )  # fmt: skip

    def __init__(
        self,
        version: int = OFP_VERSION,
        type: int = OFPT_FLOW_MOD,
        xid: int = 0,
        cookie: int = 0,
        cookie_mask: int = 0,
        table_id: int = 0,
        command: int = 0,
        idle_timeout: int = 0,
        hard_timeout: int = 0,
        priority: int = 0x8000,
        buffer_id: int = 0xFFFFFFFF,
        out_port: int = 0xFFFFFFFF,
        out_group: int = 0xFFFFFFFF,
        flags: int = 0,
        match: Match | None = None,
        instructions: list[Instruction] | None = None,
    ) -> None:
        self.version = version
        self.type = type
        self.xid = xid
        self.cookie = cookie
        self.cookie_mask = cookie_mask
        self.table_id = table_id
        self.command = command
        self.idle_timeout = idle_timeout
        self.hard_timeout = hard_timeout
        self.priority = priority
        self.buffer_id = buffer_id
        self.out_port = out_port
        self.out_group = out_group
        self.flags = flags
        self.match = Match() if match is None else match
        self.instructions = [] if instructions is None else instructions


class PacketIn(_Record):
    __slots__ = (
        "version", "type", "xid", "buffer_id", "total_len", "reason",
        "table_id", "cookie", "match", "data",
    )  # fmt: skip

    def __init__(
        self,
        version: int = OFP_VERSION,
        type: int = OFPT_PACKET_IN,
        xid: int = 0,
        buffer_id: int = 0xFFFFFFFF,
        total_len: int = 0,
        reason: int = 0,
        table_id: int = 0,
        cookie: int = 0,
        match: Match | None = None,
        data: bytes = b"",
    ) -> None:
        self.version = version
        self.type = type
        self.xid = xid
        self.buffer_id = buffer_id
        self.total_len = total_len
        self.reason = reason
        self.table_id = table_id
        self.cookie = cookie
        self.match = Match() if match is None else match
        self.data = data


# --------------------------------------------------------------------- parse


def _parse_match(buf: bytes, pos: int, end: int) -> tuple[Match, int]:
    """Parse the ofp_match at ``pos``; return it and the offset after its padding."""
    if end - pos < 4:
        raise ValueError("truncated match header")
    match_type, length = _TL.unpack_from(buf, pos)
    if match_type != OFPMT_OXM:
        raise ValueError(f"unsupported match type {match_type}")
    if length < 4:
        raise ValueError(f"bad match length {length}")
    match_end = pos + length
    padded_end = pos + ((length + 7) & ~7)
    if padded_end > end:
        raise ValueError("truncated match")
    fields: list[OxmField] = []
    append = fields.append
    unpack_oxm = _OXM.unpack_from
    p = pos + 4
    while p < match_end:
        if match_end - p < 4:
            raise ValueError("truncated OXM header")
        (header,) = unpack_oxm(buf, p)
        value_end = p + 4 + (header & 0xFF)
        if value_end > match_end:
            raise ValueError("OXM value overruns match")
        value = buf[p + 4 : value_end]
        append(OxmField(header >> 16, (header >> 9) & 0x7F, (header >> 8) & 1, value))
        p = value_end
    return Match(match_type, fields), padded_end


def _parse_actions(buf: bytes, pos: int, end: int) -> list[Action]:
    actions: list[Action] = []
    append = actions.append
    unpack_tl = _TL.unpack_from
    while pos < end:
        if end - pos < 4:
            raise ValueError("truncated action header")
        action_type, length = unpack_tl(buf, pos)
        if length < 8:
            raise ValueError(f"bad action length {length}")
        action_end = pos + length
        if action_end > end:
            raise ValueError("action overruns instruction")
        if action_type == OFPAT_OUTPUT:
            if length != 16:
                raise ValueError(f"bad output action length {length}")
            _, _, port, max_len = _ACTION_OUTPUT.unpack_from(buf, pos)
            append(ActionOutput(port, max_len))
        else:
            append(ActionRaw(action_type, buf[pos + 4 : action_end]))
        pos = action_end
    return actions


def _parse_instructions(buf: bytes, pos: int, end: int) -> list[Instruction]:
    instructions: list[Instruction] = []
    append = instructions.append
    unpack_tl = _TL.unpack_from
    while pos < end:
        if end - pos < 4:
            raise ValueError("truncated instruction header")
        instruction_type, length = unpack_tl(buf, pos)
        if length < 8:
            raise ValueError(f"bad instruction length {length}")
        instruction_end = pos + length
        if instruction_end > end:
            raise ValueError("instruction overruns message")
        if instruction_type in _ACTION_INSTRUCTIONS:
            actions = _parse_actions(buf, pos + 8, instruction_end)
            append(InstructionActions(instruction_type, actions))
        else:
            append(InstructionRaw(instruction_type, buf[pos + 4 : instruction_end]))
        pos = instruction_end
    return instructions


def _as_bytes(buf: Buf, offset: int, fixed: int) -> bytes:
    if offset < 0:
        raise ValueError("negative offset")
    if len(buf) - offset < fixed:
        raise ValueError("truncated message")
    return buf if type(buf) is bytes else bytes(buf)


def _check_header(
    version: int, msg_type: int, length: int, expected_type: int, fixed: int, available: int
) -> None:
    if version != OFP_VERSION or msg_type != expected_type:
        raise ValueError(
            f"expected OpenFlow 1.3 message type {expected_type}, "
            f"got version {version} type {msg_type}"
        )
    if length < fixed or length > available:
        raise ValueError(f"bad message length {length} ({available} bytes available)")


def parse_flow_mod(buf: Buf, offset: int = 0) -> FlowMod:
    """Parse an OFPT_FLOW_MOD starting at ``offset`` of ``buf``."""
    data = _as_bytes(buf, offset, _FLOW_MOD.size)
    (
        version, msg_type, length, xid,
        cookie, cookie_mask, table_id, command, idle_timeout, hard_timeout,
        priority, buffer_id, out_port, out_group, flags,
    ) = _FLOW_MOD.unpack_from(data, offset)  # fmt: skip
    _check_header(version, msg_type, length, OFPT_FLOW_MOD, _FLOW_MOD.size, len(data) - offset)
    end = offset + length
    match, pos = _parse_match(data, offset + _FLOW_MOD.size, end)
    return FlowMod(
        version, msg_type, xid,
        cookie, cookie_mask, table_id, command, idle_timeout, hard_timeout,
        priority, buffer_id, out_port, out_group, flags,
        match, _parse_instructions(data, pos, end),
    )  # fmt: skip


def parse_packet_in(buf: Buf, offset: int = 0) -> PacketIn:
    """Parse an OFPT_PACKET_IN starting at ``offset`` of ``buf``."""
    data = _as_bytes(buf, offset, _PACKET_IN.size)
    version, msg_type, length, xid, buffer_id, total_len, reason, table_id, cookie = (
        _PACKET_IN.unpack_from(data, offset)
    )
    _check_header(version, msg_type, length, OFPT_PACKET_IN, _PACKET_IN.size, len(data) - offset)
    end = offset + length
    match, pos = _parse_match(data, offset + _PACKET_IN.size, end)
    if end - pos < 2:
        raise ValueError("truncated packet_in pad")
    return PacketIn(
        version, msg_type, xid, buffer_id, total_len, reason, table_id, cookie,
        match, data[pos + 2 : end],
    )  # fmt: skip


# ----------------------------------------------------------------- serialize


def _serialize_match(match: Match, parts: list[bytes]) -> int:
    """Append the padded ofp_match to ``parts``; return the bytes appended."""
    head = len(parts)
    parts.append(b"")  # replaced by the type/length head below
    length = 4
    pack_oxm = _OXM.pack
    for oxm in match.oxm_fields:
        value = oxm.value
        size = len(value)
        field = oxm.oxm_field
        hasmask = oxm.oxm_hasmask
        if size > 0xFF or not 0 <= field <= 0x7F or not 0 <= hasmask <= 1:
            raise ValueError(f"OXM field out of range: {oxm!r}")
        parts.append(pack_oxm((oxm.oxm_class << 16) | (field << 9) | (hasmask << 8) | size))
        parts.append(value)
        length += 4 + size
    parts[head] = _TL.pack(match.type, length)
    pad = -length & 7
    parts.append(_PAD[pad])
    return length + pad


def _serialize_actions(actions: list[Action], parts: list[bytes]) -> int:
    total = 0
    for action in actions:
        if isinstance(action, ActionOutput):
            parts.append(_ACTION_OUTPUT.pack(OFPAT_OUTPUT, 16, action.port, action.max_len))
            total += 16
        else:
            body = action.body
            parts.append(_TL.pack(action.type, 4 + len(body)))
            parts.append(body)
            total += 4 + len(body)
    return total


def _serialize_instructions(instructions: list[Instruction], parts: list[bytes]) -> int:
    total = 0
    for instruction in instructions:
        head = len(parts)
        parts.append(b"")  # replaced once the length is known
        if isinstance(instruction, InstructionActions):
            length = 8 + _serialize_actions(instruction.actions, parts)
            parts[head] = _INSTRUCTION_ACTIONS.pack(instruction.type, length)
        else:
            body = instruction.body
            length = 4 + len(body)
            parts[head] = _TL.pack(instruction.type, length)
            parts.append(body)
        total += length
    return total


def serialize_flow_mod(msg: FlowMod) -> bytes:
    """Serialize ``msg``; every length field is computed from its contents."""
    parts: list[bytes] = [b""]
    try:
        length = _FLOW_MOD.size + _serialize_match(msg.match, parts)
        length += _serialize_instructions(msg.instructions, parts)
        parts[0] = _FLOW_MOD.pack(
            msg.version, msg.type, length, msg.xid,
            msg.cookie, msg.cookie_mask, msg.table_id, msg.command,
            msg.idle_timeout, msg.hard_timeout, msg.priority, msg.buffer_id,
            msg.out_port, msg.out_group, msg.flags,
        )  # fmt: skip
    except struct.error as exc:
        raise ValueError(str(exc)) from exc
    return b"".join(parts)


def serialize_packet_in(msg: PacketIn) -> bytes:
    """Serialize ``msg``; every length field is computed from its contents."""
    parts: list[bytes] = [b""]
    try:
        length = _PACKET_IN.size + _serialize_match(msg.match, parts) + 2 + len(msg.data)
        parts.append(_PAD[2])
        parts.append(msg.data)
        parts[0] = _PACKET_IN.pack(
            msg.version, msg.type, length, msg.xid, msg.buffer_id,
            msg.total_len, msg.reason, msg.table_id, msg.cookie,
        )  # fmt: skip
    except struct.error as exc:
        raise ValueError(str(exc)) from exc
    return b"".join(parts)
