"""Decoding commands and the message recorder: decode, explain, last, log, capture.

Theory of operation
-------------------
``attach(shell)`` puts a ``Recorder`` on a shell (every command that needs it
calls it first): a tap on the controller (``Controller.add_tap``) that sees the
bytes of every OpenFlow connection in both directions, on the loop's thread.  The
tap cuts each connection's two streams into messages by the header's length (a
chunk is a piece of the stream, not a message) and keeps the last ``LOG_SIZE``
messages, at most ``LOG_BYTES`` bytes, as raw bytes: decoding waits until someone
looks (``last``, ``log``, ``explain last``), on the shell's thread.  Listeners
(``watch message``) and a running capture see each message as it is cut.

A capture (``_pcapwriter``) writes the channel as Wireshark sees a TCP connection: per connection a
synthetic handshake, then each message as a segment in Ethernet/IPv4/TCP headers
with sequence numbers that add up per direction, the controller on TCP port 6653
(Unix and TLS channels too), so ``tshark`` decodes it as OpenFlow without options.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vlcp_core import openflow as of
from vlcp_core.namedstruct import ExplainRow, ParseError, dump, explain_rows
from vlcp_core.packet import Packet, decode

from ._pcapwriter import PcapWriter
from ._registry import CommandError, command
from ._render import Lines, Table
from ._shell import Context, Shell

__all__ = ["LOG_BYTES", "LOG_SIZE", "Record", "Recorder", "attach",
           "is_type", "message_line", "message_types", "packet_in_text", "parse_hex",
           "record_text", "summary", "type_name"]

LOG_SIZE = 4096  # messages kept for last, log and explain last
LOG_BYTES = 16 << 20  # and at most this many bytes of them
_MODULES = {1: of.v10, 4: of.v13}


@dataclass(slots=True)
class Record:
    """One message as it crossed a connection."""

    seq: int  # 1, 2, 3... in the order messages were cut
    when: float  # time.time()
    connection: int  # a small number per connection, in order of appearance
    peer: str  # the switch's address as text
    datapath: int | None  # None before the handshake
    direction: str  # "in": from the switch, "out": to it
    data: bytes


@dataclass
class _Conn:
    number: int
    peer: Any
    local: Any
    datapath: int | None = None
    streams: dict[str, bytearray] = field(default_factory=dict)

    @property
    def text(self) -> str:
        peer = self.peer
        return (peer if isinstance(peer, str) else ":".join(map(str, peer[:2]))) or "unix"


class Recorder:
    """The shell's tap: messages of every connection, recent ones kept (thread-safe)."""

    def __init__(self) -> None:
        self.records: deque[Record] = deque()
        self.listeners: list[Callable[[Record], None]] = []  # called on the loop
        self.capture: PcapWriter | None = None
        self.failed = ""  # why the last capture stopped by itself
        self.handle: int | None = None
        self.lock = threading.Lock()
        self._bytes = 0
        self._conns: dict[int, _Conn] = {}
        self._count = 0
        self._seq = 0

    def tap(self, connection: Any, datapath: int | None, direction: str, data: bytes) -> None:
        key = id(connection)
        conn = self._conns.get(key)
        if direction == "end":
            if conn is not None:
                del self._conns[key]
                if self.capture is not None:
                    self.capture.end(conn)
            return
        if conn is None:
            self._count += 1
            conn = self._conns[key] = _Conn(self._count, connection.peer,
                                            getattr(connection, "local", None))
        conn.datapath = datapath
        buffer = conn.streams.setdefault(direction, bytearray())
        buffer += data
        at, end = 0, len(buffer)
        while end - at >= 8:
            length = buffer[at + 2] << 8 | buffer[at + 3]
            if length < 8:  # not OpenFlow framing: the connection will be closed
                at = end
                break
            if end - at < length:
                break
            self._add(conn, direction, bytes(buffer[at:at + length]))
            at += length
        del buffer[:at]

    def _add(self, conn: _Conn, direction: str, data: bytes) -> None:
        self._seq += 1
        record = Record(self._seq, time.time(), conn.number, conn.text, conn.datapath,
                        direction, data)
        with self.lock:
            self.records.append(record)
            self._bytes += len(data)
            while len(self.records) > LOG_SIZE or self._bytes > LOG_BYTES:
                self._bytes -= len(self.records.popleft().data)
        for listener in self.listeners:
            listener(record)
        if self.capture is not None:
            try:
                self.capture.write(conn, record)
            except (OSError, ValueError) as exc:  # a full disk: stop, and say why
                writer, self.capture = self.capture, None
                self.failed = f"{writer.path}: {exc}"
                with contextlib.suppress(OSError):
                    writer.close()

    def recent(self, count: int | None = None) -> list[Record]:
        with self.lock:
            items = list(self.records)
        return items if count is None else items[-count:] if count > 0 else []

    def since(self, seq: int) -> list[Record]:
        """The messages kept that came after message number *seq*, oldest first."""
        with self.lock:
            return [record for record in self.records if record.seq > seq]


def attach(shell: Shell) -> Recorder:
    """Start recording *shell*'s OpenFlow messages now (``last``, ``log``, ``capture``
    and ``watch message`` need it; they start it when it is not running yet)."""
    state = shell.state.setdefault("decode", {})
    found: Recorder | None = state.get("recorder")
    if found is not None:
        return found
    runtime = shell.runtime
    controller = runtime.controller
    if controller is None:
        raise CommandError("the controller is not running")
    made = Recorder()
    made.handle = runtime.call_sync(lambda: controller.add_tap(made.tap))
    state["recorder"] = made

    def close() -> None:
        try:
            if made.handle is not None:
                runtime.call_sync(lambda: controller.remove_tap(made.handle or 0), 5.0)
        finally:
            if made.capture is not None:
                made.capture.close()
                made.capture = None
    shell.on_exit.append(close)
    return made


# -- input ---------------------------------------------------------------------------
def parse_hex(text: str) -> bytes:
    """Bytes written in hex: spaces, colons, dashes and ``0x`` prefixes allowed."""
    cleaned = text.replace("0x", " ").replace("0X", " ")
    digits = "".join(ch for ch in cleaned if ch not in " \t\n:-.")
    if not digits:
        raise CommandError("no hex digits given")
    for index, char in enumerate(digits):
        if char not in "0123456789abcdefABCDEF":
            raise CommandError(f"{char!r} at hex digit {index + 1} is not a hex digit")
    if len(digits) % 2:
        raise CommandError(f"{len(digits)} hex digits: an odd number cannot be whole bytes")
    return bytes.fromhex(digits)


def _input(ctx: Context, args: list[str], usage: str) -> bytes:
    """The bytes a command is given: HEX, or a recorded message: ``last [K]`` (the
    K-th newest) or ``first [K]`` (the K-th oldest kept), among those that match the
    filters ``[SW] [type=T] [dir=in|out]`` as ``log`` takes them."""
    if not args:
        raise CommandError(f"missing arguments: usage: {usage}")
    if args[0] not in ("last", "first"):
        return parse_hex(" ".join(args))
    count, records = select_records(ctx, args[1:], usage)
    back = count or 1
    filtered = any(not word.isdigit() for word in args[1:])
    if len(records) < back:
        if not records:
            raise CommandError("no matching message recorded yet" if filtered
                               else "no OpenFlow message recorded yet")
        raise CommandError(f"only {len(records)} {'matching ' if filtered else ''}"
                           f"message(s) recorded so far")
    return (records[-back] if args[0] == "last" else records[back - 1]).data


def _decoded(data: bytes) -> tuple[Any, Packet | None]:
    """(the OpenFlow message, None) when the header's length is the data's, else
    (None, the Ethernet frame); an error when it is neither."""
    length = data[2] << 8 | data[3] if len(data) >= 4 else None
    if len(data) >= 8 and 1 <= data[0] <= 6 and length == len(data):
        try:
            return of.decode_message(data), None
        except ParseError:
            if len(data) < 14:
                raise
            try:
                return None, decode(data)  # an Ethernet frame that looks like a header
            except ParseError:
                pass
            raise
    if len(data) < 14:
        said = f" (its header says {length} bytes)" if length is not None else ""
        raise CommandError(f"{len(data)} bytes are neither an OpenFlow message{said} nor "
                           f"an Ethernet frame (at least 14 bytes)")
    return None, decode(data)


# -- decode --------------------------------------------------------------------------
def _frame_tree(data: bytes) -> dict[str, Any]:
    packet = decode(data)
    tree: dict[str, Any] = {"length": len(data), "summary": packet.summary()}
    for layer in packet.layers:
        info = dump(layer)
        tree[str(info.pop("_type"))] = info
    if packet.payload:
        tree["payload"] = bytes(packet.payload).hex()
    if packet.padding:
        tree["padding"] = bytes(packet.padding).hex()
    if packet.error is not None:
        tree["error"] = str(packet.error)
    return tree


def _message_tree(message: Any) -> dict[str, Any]:
    tree: dict[str, Any] = of.dump(message)
    data = getattr(message, "data", None)
    kind = tree.get("type")
    if isinstance(data, bytes) and data and kind in ("OFPT_PACKET_IN", "OFPT_PACKET_OUT"):
        try:
            tree["data"] = _frame_tree(data)
        except ParseError:
            pass
    elif isinstance(data, bytes) and kind == "OFPT_ERROR" and len(data) >= 8:
        try:  # the start of the request that failed
            found = of.parse_message(data)
            if found is not None:
                tree["data"] = of.dump(found[0])
        except ParseError:
            pass
    return tree


@command("decode", "HEX|last|first [K] [SW] [type=T] [dir=in|out]", group="decode")
def decode_(ctx: Context, args: list[str]) -> Any:
    """Decode an OpenFlow message (1.0 or 1.3, Nicira too) or an Ethernet frame.

    OpenFlow when the header's length is the length of the data, else Ethernet;
    shown as a tree with enum names and formatted addresses (a PACKET_IN's frame
    decoded too).  ``last`` is the newest message recorded, ``last 2`` the one
    before it; ``first`` the oldest kept.  Filters as ``log`` takes them narrow the
    choice: ``decode last type=FLOW_MOD`` is the newest FLOW_MOD.

    Example: decode 0402000800000009
    """
    data = _input(ctx, args, "decode HEX|last|first [K] [SW] [type=T] [dir=in|out]")
    message, packet = _decoded(data)
    return _message_tree(message) if packet is None else {"ethernet": _frame_tree(data)}


# -- explain -------------------------------------------------------------------------
def _wrapped(rows: list[ExplainRow], base: int = 0, prefix: str = "") -> list[list[Any]]:
    out: list[list[Any]] = []
    for row in rows:
        chunks = [row.data[i:i + 8] for i in range(0, len(row.data), 8)] or [b""]
        value = row.value if len(row.value) <= 48 else row.value[:45] + "..."
        for index, chunk in enumerate(chunks):
            first = index == 0
            out.append([f"{base + row.offset + 8 * index:04x}", chunk.hex(" "),
                        prefix + row.path if first else "", value if first else ""])
    return out


def _frame_rows(packet: Packet, base: int, prefix: str) -> list[list[Any]]:
    rows: list[list[Any]] = []
    at = base
    for layer in packet.layers:
        name = str(dump(layer)["_type"])
        rows += _wrapped(explain_rows(layer), at, f"{prefix}{name}.")
        at += len(bytes(layer))
    for name in ("payload", "padding"):
        extra = bytes(getattr(packet, name))
        if extra:
            rows += _wrapped([ExplainRow(0, extra, prefix + name, f"{len(extra)} bytes")], at)
            at += len(extra)
    return rows


@command("explain", "HEX|last|first [K] [SW] [type=T] [dir=in|out]", group="decode")
def explain_(ctx: Context, args: list[str]) -> Any:
    """An annotated hexdump: offset, bytes, field path and value of every field.

    The frame inside a PACKET_IN or PACKET_OUT is explained layer by layer.
    ``last`` is the newest message recorded (``last 2`` the one before), ``first``
    the oldest kept; filters as for ``log`` (``explain last s1 type=PACKET_IN``).

    Example: explain last
    """
    data = _input(ctx, args, "explain HEX|last|first [K] [SW] [type=T] [dir=in|out]")
    message, packet = _decoded(data)
    headers = ["offset", "bytes", "field", "value"]
    if packet is not None:
        return Table(headers, _frame_rows(packet, 0, ""),
                     f"Ethernet frame ({len(data)} bytes): {packet.summary()}")
    rows: list[list[Any]] = []
    frame = getattr(message, "data", None)
    is_frame = int(message.type) in (10, 13) and isinstance(frame, bytes) and \
        len(frame) >= 14
    for row in explain_rows(message):
        if row.path == "data" and is_frame:
            rows += _frame_rows(decode(bytes(row.data)), row.offset, "data.")
        else:
            rows += _wrapped([row])
    return Table(headers, rows, f"{type(message).__name__} ({len(data)} bytes)")


# -- one-line summaries ----------------------------------------------------------------
def type_name(data: bytes) -> str:
    """``OFPT_FLOW_MOD`` for the message *data*, by its version's names."""
    module = _MODULES.get(data[0])
    try:
        return module.ofp_type(data[1]).name if module is not None else f"type {data[1]}"
    except ValueError:
        return f"type {data[1]}"


def packet_in_text(message: Any) -> str:
    """A PACKET_IN in one line, as ``ovs-ofctl monitor`` prints its two."""
    parts = []
    if int(message.version) >= 4:
        parts += [f"table_id={message.table_id}", f"cookie={message.cookie:#x}"]
    try:
        reason = of.v13.ofp_packet_in_reason(message.reason).name[5:].lower()
    except ValueError:  # the same numbers in 1.0
        reason = str(message.reason)
    parts += [f"total_len={message.total_len}",
              f"in_port={of.packet_in_port(message)} (via {reason})",
              f"data_len={len(message.data)}"]
    if message.buffer_id != 0xFFFFFFFF:
        parts.append(f"buffer={message.buffer_id:#x}")
    try:
        parts.append(decode(bytes(message.data)).summary())
    except ParseError:
        parts.append(f"frame {bytes(message.data[:16]).hex()}...")
    return " ".join(parts)


def summary(message: Any) -> str:
    """The gist of a message after its type: a PACKET_IN as ``ovs-ofctl monitor``
    shows it, the reason and port of a PORT_STATUS, an error's type and code..."""
    kind = type_name(bytes([int(message.version), int(message.type)]))
    name = type(message).__name__
    if name == "nxt_flow_removed":  # OVS's FLOW_REMOVED once the flow format is NXM
        kind = "OFPT_FLOW_REMOVED"
    if kind == "OFPT_PACKET_IN":
        return packet_in_text(message)
    if kind.removeprefix("OFPT_") not in _DETAILED:
        return name if name.startswith("nxt_") or name.endswith(("experimenter", "vendor")) \
            else ""
    info = of.dump(message)
    get = info.get
    if kind == "OFPT_ERROR":
        data = getattr(message, "data", b"")
        request = f" (for {type_name(data)})" if isinstance(data, bytes) and len(data) >= 8 \
            else ""
        return f"{get('err_type')} {get('code')}{request}"
    if kind == "OFPT_PORT_STATUS":
        desc = get("desc", {})
        return (f"{str(get('reason')).removeprefix('OFPPR_')} port {desc.get('port_no')} "
                f"({desc.get('name')}) addr={desc.get('hw_addr')} config={desc.get('config')}"
                f" state={desc.get('state')}")
    if kind == "OFPT_FLOW_REMOVED":
        found = get("match", {})
        fields = found.get("oxm_fields", {k: v for k, v in found.items()
                                           if k not in ("_type", "wildcards")})
        text = ",".join(f"{k}={v}" for k, v in fields.items()) if fields else "(all)"
        table = get("table_id", 0)
        if name == "nxt_flow_removed":
            table = max(0, table - 1)  # Nicira's is the table plus one
        return (f"reason={str(get('reason')).removeprefix('OFPRR_')} table_id="
                f"{table} cookie={get('cookie')} priority={get('priority')} "
                f"duration={get('duration_sec')}s n_packets={get('packet_count')} "
                f"n_bytes={get('byte_count')} {text}")
    if kind == "OFPT_PACKET_OUT":
        return f"in_port={get('in_port')} actions={len(get('actions', []))} " \
               f"data_len={len(message.data)}"
    if kind == "OFPT_FLOW_MOD":
        return f"{get('command')} table_id={get('table_id', 0)} priority={get('priority')}"
    return str(get("multipart_type", get("stats_type", "")))


_DETAILED = {"ERROR", "PORT_STATUS", "FLOW_REMOVED", "PACKET_OUT", "FLOW_MOD",
             "MULTIPART_REQUEST", "MULTIPART_REPLY", "STATS_REQUEST", "STATS_REPLY"}


def message_line(ctx: Context, record: Record) -> list[str]:
    """time, direction, switch, type, xid, length, detail of one recorded message."""
    data = record.data
    stamp = time.strftime("%H:%M:%S", time.localtime(record.when)) + \
        f".{int(record.when * 1000) % 1000:03d}"
    xid = int.from_bytes(data[4:8], "big")
    try:
        detail = summary(of.decode_message(data))
    except ParseError as exc:
        detail = f"undecodable: {exc}"
    switch = record.peer if record.datapath is None else \
        ctx.runtime.names.name(record.datapath)
    return [stamp, record.direction, switch, type_name(data), f"{xid:#x}", str(len(data)),
            detail]


@command("last", "[N]", group="decode")
def last(ctx: Context, args: list[str]) -> Any:
    """The last N messages (10 by default) on any switch, both directions, one line each.

    ``in`` came from the switch, ``out`` went to it.  Messages are recorded from
    the first command that needs them (last, log, capture, watch message,
    expect packet-in, decode last...).

    Example: last 5
    """
    count = _count(args, 10, "last [N]")
    records = attach(ctx.shell).recent(count)
    if not records:
        return Lines(["(no OpenFlow message recorded yet)"])
    return Lines([record_text(ctx, record, stamp=True) for record in records])


def record_text(ctx: Context, record: Record, *, stamp: bool = False) -> str:
    """A recorded message in one line: [time] direction, switch, type, xid, length..."""
    when, direction, switch, kind, xid, length, detail = message_line(ctx, record)
    head = f"{when} {direction:<3} {switch}" if stamp else f"{switch} {direction}"
    return f"{head} {kind} xid={xid} len={length}" + (f": {detail}" if detail else "")


def _count(args: list[str], default: int, usage: str) -> int:
    if not args:
        return default
    try:
        count = int(args[0])
    except ValueError:
        raise CommandError(f"{args[0]!r} is not a number of messages: usage: {usage}"
                           ) from None
    if count < 1:
        raise CommandError(f"{count}: the number of messages must be at least 1")
    return count


def message_types(text: str) -> set[str]:
    """What ``type=TEXT`` selects (see ``is_type``): OFPT_ECHO_REQUEST, ECHO_REQUEST or 2."""
    if text.isdigit():
        return {text}
    name = "OFPT_" + text.upper().removeprefix("OFPT_")
    if name not in of.v13.ofp_type.__members__ and name not in of.v10.ofp_type.__members__:
        raise CommandError(f"type={text!r}: not an OpenFlow message type (OFPT_PACKET_IN, "
                           f"ECHO_REQUEST... or a number)")
    return {name}


def is_type(data: bytes, types: set[str]) -> bool:
    return not types or str(data[1]) in types or type_name(data) in types


def select_records(ctx: Context, words: list[str], usage: str
                   ) -> tuple[int | None, list[Record]]:
    """``[N] [SW] [type=T] [dir=in|out]``: N (or None) and the recorded messages
    that match, oldest first."""
    count: int | None = None
    switch: int | None = None
    types: set[str] = set()
    direction = ""
    for word in words:
        key, eq, value = word.partition("=")
        if not eq and word.isdigit():
            count = _count([word], 0, usage)
        elif not eq:
            switch = ctx.switch(word).datapath_id
        elif key == "type":
            types |= message_types(value)
        elif key == "dir":
            if value not in ("in", "out"):
                raise CommandError(f"dir={value!r}: use dir=in or dir=out")
            direction = value
        else:
            raise CommandError(f"unknown filter {key!r} (filters: type=, dir=)")
    return count, [record for record in attach(ctx.shell).recent()
                   if (switch is None or record.datapath == switch)
                   and is_type(record.data, types)
                   and (not direction or record.direction == direction)]


@command("log", "[N] [SW] [type=T] [dir=in|out]", group="decode")
def log(ctx: Context, args: list[str]) -> Any:
    """Recent messages as a table (up to 4096 kept), optionally filtered.

    ``type`` is a name (OFPT_PACKET_IN, or PACKET_IN) or number; ``dir`` in (from
    the switch) or out.

    Example: log 50 s1 type=OFPT_FLOW_MOD
    """
    count, rows = select_records(ctx, args, "log [N] [SW] [type=T] [dir=in|out]")
    return Table(["time", "dir", "switch", "type", "xid", "len", "detail"],
                 [message_line(ctx, record) for record in rows[-(count or len(rows)):]])


# -- capture -------------------------------------------------------------------------
@command("capture", "start FILE.pcap | stop", group="decode")
def capture(ctx: Context, args: list[str]) -> Any:
    """Record the OpenFlow channel of every switch into a pcap file that Wireshark
    and tshark decode as OpenFlow (TCP port 6653), until ``capture stop``.

    Without arguments: whether a capture runs.

    Example: capture start /tmp/of.pcap
    """
    rec = attach(ctx.shell)
    if rec.failed:
        failed, rec.failed = rec.failed, ""
        raise CommandError(f"the capture stopped: {failed}")
    if not args:
        running = rec.capture
        return "no capture running" if running is None else \
            f"capturing to {running.path}: {running.messages} messages so far"
    if args[0] == "start":
        if len(args) != 2:
            raise CommandError("usage: capture start FILE.pcap")
        if rec.capture is not None:
            raise CommandError(f"a capture to {rec.capture.path} runs: 'capture stop' first")
        try:
            writer = PcapWriter(args[1])
        except OSError as exc:
            raise CommandError(f"cannot write {args[1]}: {exc.strerror}") from None
        ctx.runtime.call_sync(lambda: setattr(rec, "capture", writer))
        return None
    if args[0] == "stop":
        running = rec.capture
        if running is None:
            raise CommandError("no capture is running ('capture start FILE.pcap')")
        ctx.runtime.call_sync(lambda: setattr(rec, "capture", None))
        running.close()
        return f"{running.path}: {running.messages} messages in {running.packets} packets"
    raise CommandError(f"capture {args[0]!r}: use 'capture start FILE.pcap' or "
                       f"'capture stop'")
