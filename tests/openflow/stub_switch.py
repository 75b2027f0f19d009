"""A stub OpenFlow switch that records what ``ovs-ofctl`` sends.

Tests compare our encodings byte for byte with Open vSwitch's own: they run
``ovs-ofctl --no-names -O OpenFlow13 add-flow tcp:127.0.0.1:PORT FLOW`` against a
:class:`StubSwitch` listening on an ephemeral TCP port of this process, and take
the messages it recorded.  The stub speaks just enough OpenFlow, by hand-written
``struct`` bytes (standard library only, no project parser):

* it reads the client's HELLO first and answers with a HELLO of its own version
  (a version-bitmap element is added for 1.3 and later, as OVS does); when the
  client's HELLO does not allow that version it sends OFPT_ERROR
  HELLO_FAILED/INCOMPATIBLE and closes;
* FEATURES_REQUEST gets a minimal valid FEATURES_REPLY for the version (with the
  configured ports in 1.0-1.2, where ports live in the features reply);
* GET_CONFIG_REQUEST gets a GET_CONFIG_REPLY (flags 0, miss_send_len 128);
* BARRIER_REQUEST gets a BARRIER_REPLY, ECHO_REQUEST an ECHO_REPLY, with the
  same xid (and the echo payload);
* a 1.3+ OFPMP_PORT_DESC request gets the configured ports;
* anything else is only recorded, unless the *replies* mapping (message type ->
  callable) says otherwise; a callable returns the raw reply bytes, a list of
  them, or None.  :func:`empty_stats_reply` is one for ``dump-flows``.

Facts about ``ovs-ofctl`` 3.1.0 (Debian 12), found with this stub; the tests in
``test_stub_switch.py`` pin them:

* Handshake.  The client's HELLO carries the header version of the highest
  ``-O`` version and a version-bitmap element only when the allowed set is not
  every version up to that one: ``-O OpenFlow10`` sends the 8-byte
  ``0100000800000001``, ``-O OpenFlow13`` the 16-byte
  ``04000010000000010001000800000010`` (bitmap 0x10).  xids then count up from
  1 (HELLO) over the connection.  If our HELLO leaves no common version it logs
  "version negotiation failed" and exits 1.
* Only ``mod-port`` (1.0) and ``show`` send FEATURES_REQUEST.  ``show`` opens
  two connections: FEATURES_REQUEST (1.3: then OFPMP_PORT_DESC), and then
  GET_CONFIG_REQUEST.  ECHO_REQUEST was never seen (the runs are too short).
* Every modifying message is sent with ``vconn_transact_noreply``: the message,
  then its own BARRIER_REQUEST (type 18 in 1.0, 20 in 1.1+), then ovs-ofctl
  WAITS for the BARRIER_REPLY before sending anything else.  If the barrier is
  never answered it hangs (``record_ovs_ofctl`` times out).
* ``add-flow`` / ``add-flows``: one connection; FLOW_MOD (type 14), barrier,
  FLOW_MOD, barrier, ... (200 flows -> 200 FLOW_MODs and 200 barriers, about
  20-30 ms in all).  A 1.0 flow that fits ofp_match goes out as a plain
  OFPT_FLOW_MOD with no vendor message before it.
* ``-O OpenFlow10`` and a field 1.0 cannot match (``reg0=5``, ``tun_id=5``):
  first NXT_SET_FLOW_FORMAT (vendor 0x2320, subtype 12, u32 format 2 = NXM)
  plus barrier, then NXT_FLOW_MOD (vendor 0x2320, subtype 13) plus barrier.
* ``-O OpenFlow10`` and ``table=1``: first NXT_FLOW_MOD_TABLE_ID (subtype 15,
  u8 set=1, 7 pad; 24 bytes) plus barrier, then OFPT_FLOW_MOD whose 16-bit
  ``command`` field (offset 56) is ``table_id << 8 | OFPFC_ADD`` = 0x0100.
  With an NXM field too, the order is SET_FLOW_FORMAT, FLOW_MOD_TABLE_ID, then
  NXT_FLOW_MOD (table id in the high byte of its command, offset 24), each with
  its barrier.  In 1.3 ``table=1`` is just table_id in the FLOW_MOD.
* NXT_SET_PACKET_IN_FORMAT is not sent by any of these commands; ``monitor
  SWITCH 65534`` (1.0 and 1.3 alike) sends GET_CONFIG_REQUEST, SET_CONFIG
  (miss_send_len 65534) plus barrier, then NXT_SET_PACKET_IN_FORMAT (subtype
  16, u32 format 2 = NXT_PACKET_IN2) plus barrier, and then listens.
* ``add-group``: 1.3 sends OFPT_GROUP_MOD (type 15); 1.0 does NOT refuse but
  sends the Nicira extension NXT_GROUP_MOD (vendor 0x2320, subtype 31).
  ``add-meter`` (1.3) sends OFPT_METER_MOD (type 29).  Each with its barrier.
* ``mod-port PORT down`` opens TWO connections.  The first fetches the port and
  closes (1.0: FEATURES_REQUEST, the ports being in the FEATURES_REPLY; 1.3:
  OFPMP_PORT_DESC multipart request, type 18 stats type 13, port ANY); the
  second sends OFPT_PORT_MOD (type 15 in 1.0, 16 in 1.1+) carrying the port's
  hw_addr from that reply, plus barrier.
* ``packet-out`` sends OFPT_PACKET_OUT (type 13), buffer_id 0xffffffff, plus
  barrier.
* ``dump-flows``: no barrier after the request; replies are read until one
  without the MORE flag.  1.3: one OFPMP_FLOW multipart request (type 18,
  stats type 1, table ALL).  1.0: even with no match at all, NXT_SET_FLOW_FORMAT
  (NXM) plus barrier first, then an NXST_FLOW vendor stats request (type 16,
  stats type 0xffff, vendor 0x2320, subtype 0).  An empty reply
  (:func:`empty_stats_reply`) makes it print only the reply header line
  ("NXST_FLOW reply (xid=0x4):" / "OFPST_FLOW reply (OF1.3) (xid=0x2):") and
  exit 0.
* Encoding details: ``output:2`` is written with max_len 0 in 1.0 and in 1.3
  (``bench/_messages.py`` uses 0xffe5, os-ken's default, so it is NOT what
  ovs-ofctl sends); a flow without ``priority=`` gets 0x8000; in 1.0 the
  out_port is 0xffff (OFPP_NONE) and a wildcarded nw_src is written as 32 in
  its 6-bit field (wildcards 0x003020ee for ``ip,in_port=1,nw_dst=...``).
* Without ``--no-names`` ovs-ofctl first asks for port and table names: 1.3
  sends OFPMP_TABLE_FEATURES (stats type 12) and refuses a reply lacking the 8
  required table-feature properties; 1.0 sends OFPST_TABLE (stats type 3).  The
  stub does not answer those, so :func:`record_ovs_ofctl` always passes
  ``--no-names``.

These are recorded in the module so that later tests can rely on them; when
Open vSwitch changes, the stub tests say which fact no longer holds.
"""

from __future__ import annotations

import os
import socket
import struct
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType

__all__ = [
    "NX_VENDOR_ID",
    "OFPT_BARRIER_REPLY",
    "OFPT_BARRIER_REQUEST",
    "OFPT_ECHO_REPLY",
    "OFPT_ECHO_REQUEST",
    "OFPT_FEATURES_REPLY",
    "OFPT_FEATURES_REQUEST",
    "OFPT_HELLO",
    "OFPT_STATS_REPLY",
    "OFPT_STATS_REQUEST",
    "OVS_OFCTL",
    "TARGET",
    "VERSION_NAMES",
    "OvsOfctlError",
    "ReplyHandler",
    "StubPort",
    "StubSwitch",
    "empty_stats_reply",
    "handshake_types",
    "message_type",
    "nicira_subtype",
    "ofp_header",
    "record_ovs_ofctl",
    "reply_to",
    "split_messages",
    "write_flow_file",
]

OVS_OFCTL = "ovs-ofctl"
#: Placeholder in ``record_ovs_ofctl`` arguments replaced by ``tcp:127.0.0.1:PORT``.
TARGET = "{target}"

#: ``-O`` option value of each OpenFlow wire version.
VERSION_NAMES: dict[int, str] = {
    1: "OpenFlow10",
    2: "OpenFlow11",
    3: "OpenFlow12",
    4: "OpenFlow13",
    5: "OpenFlow14",
    6: "OpenFlow15",
}

OFP_HEADER = struct.Struct("!BBHI")  # version, type, length, xid
NX_VENDOR_ID = 0x00002320  # Nicira, the vendor/experimenter id of NXT_* messages

# Message types common to every version.
OFPT_HELLO = 0
OFPT_ERROR = 1
OFPT_ECHO_REQUEST = 2
OFPT_ECHO_REPLY = 3
OFPT_VENDOR = 4  # OFPT_EXPERIMENTER from 1.1 on
OFPT_FEATURES_REQUEST = 5
OFPT_FEATURES_REPLY = 6
OFPT_GET_CONFIG_REQUEST = 7
OFPT_GET_CONFIG_REPLY = 8

#: Version-dependent message types: version -> type number.
OFPT_STATS_REQUEST = {1: 16, 2: 18, 3: 18, 4: 18, 5: 18, 6: 18}  # MULTIPART_* in 1.3+
OFPT_STATS_REPLY = {1: 17, 2: 19, 3: 19, 4: 19, 5: 19, 6: 19}
OFPT_BARRIER_REQUEST = {1: 18, 2: 20, 3: 20, 4: 20, 5: 20, 6: 20}
OFPT_BARRIER_REPLY = {1: 19, 2: 21, 3: 21, 4: 21, 5: 21, 6: 21}

OFPHET_VERSIONBITMAP = 1
OFPET_HELLO_FAILED = 0
OFPHFC_INCOMPATIBLE = 0
OFPMP_PORT_DESC = 13  # 1.3+
OFPSF_REPLY_MORE = 1

#: A reply callable: given the raw request, the raw reply (or replies) to send.
ReplyHandler = Callable[[bytes], "bytes | Sequence[bytes] | None"]


class OvsOfctlError(RuntimeError):
    """``ovs-ofctl`` exited non-zero (or timed out); the message carries its stderr."""


# --------------------------------------------------------------------------
# Wire helpers (hand-written bytes)
# --------------------------------------------------------------------------


def ofp_header(version: int, msg_type: int, length: int, xid: int) -> bytes:
    """The 8-byte ofp_header: version u8, type u8, length u16, xid u32."""
    return OFP_HEADER.pack(version, msg_type, length, xid)


def message_type(message: bytes) -> int:
    """The type byte of a raw OpenFlow message."""
    return message[1]


def nicira_subtype(message: bytes) -> int | None:
    """The NXT_* subtype of a Nicira vendor/experimenter message, else None.

    Layout: ofp_header, vendor u32 (0x2320), subtype u32.
    """
    if len(message) < 16 or message[1] != OFPT_VENDOR:
        return None
    vendor, subtype = struct.unpack_from("!II", message, 8)
    return subtype if vendor == NX_VENDOR_ID else None


def split_messages(data: bytes) -> list[bytes]:
    """Split a byte stream of whole OpenFlow messages into the messages."""
    out: list[bytes] = []
    offset = 0
    while offset < len(data):
        if len(data) - offset < OFP_HEADER.size:
            raise ValueError(f"{len(data) - offset} trailing bytes, not a header")
        length = struct.unpack_from("!H", data, offset + 2)[0]
        if length < OFP_HEADER.size or offset + length > len(data):
            raise ValueError(f"bad message length {length} at offset {offset}")
        out.append(data[offset:offset + length])
        offset += length
    return out


def reply_to(request: bytes, msg_type: int, body: bytes = b"") -> bytes:
    """A message of *msg_type* with *body*, the request's version and xid."""
    version, _, _, xid = OFP_HEADER.unpack_from(request)
    return ofp_header(version, msg_type, OFP_HEADER.size + len(body), xid) + body


def empty_stats_reply(request: bytes) -> bytes:
    """An empty (no MORE flag) STATS/MULTIPART reply answering *request*.

    1.0 stats header: type u16, flags u16; 1.1+: type u16, flags u16, pad 4.
    A vendor/experimenter request (stats type 0xffff) keeps its vendor id and
    subtype (Nicira 1.0: vendor u32, subtype u32, pad 4; 1.3: experimenter
    u32, exp_type u32).
    """
    version = request[0]
    stats_type = struct.unpack_from("!H", request, 8)[0]
    if version == 1:
        body = struct.pack("!HH", stats_type, 0)
        if stats_type == 0xFFFF:
            body += request[12:24]
    else:
        body = struct.pack("!HH4x", stats_type, 0)
        if stats_type == 0xFFFF:
            body += request[16:24]
    return reply_to(request, OFPT_STATS_REPLY[version], body)


def handshake_types(version: int) -> frozenset[int]:
    """Types that :func:`record_ovs_ofctl` leaves out unless asked: HELLO,
    ECHO_REQUEST/REPLY, FEATURES_REQUEST and BARRIER_REQUEST of *version*."""
    return frozenset({OFPT_HELLO, OFPT_ECHO_REQUEST, OFPT_ECHO_REPLY,
                      OFPT_FEATURES_REQUEST, OFPT_BARRIER_REQUEST[version]})


@dataclass(frozen=True)
class StubPort:
    """One port of the stub switch (what ``mod-port`` looks up)."""

    port_no: int
    name: str
    hw_addr: bytes = b"\x00\x00\x00\x00\x00\x01"

    def encode(self, version: int) -> bytes:
        """ofp_phy_port (1.0, 48 bytes), ofp_port (1.1-1.3, 64 bytes) or the
        1.4+ ofp_port (40 bytes) with one 32-byte ethernet property."""
        name = self.name.encode()[:15].ljust(16, b"\0")
        if version == 1:
            # port_no u16, hw_addr 6, name 16, config, state, curr, advertised,
            # supported, peer (u32 each)
            return struct.pack("!H6s16s6I", self.port_no, self.hw_addr, name,
                               0, 0, 0, 0, 0, 0)
        if version <= 4:
            # port_no u32, pad 4, hw_addr 6, pad 2, name 16, config, state,
            # curr, advertised, supported, peer, curr_speed, max_speed
            return struct.pack("!I4x6s2x16s8I", self.port_no, self.hw_addr, name,
                               0, 0, 0, 0, 0, 0, 0, 0)
        # port_no u32, length u16, pad 2, hw_addr 6, pad 2, name 16, config,
        # state; then OFPPDPT_ETHERNET: type 0, length 32, pad 4, curr,
        # advertised, supported, peer, curr_speed, max_speed
        prop = struct.pack("!HH4x6I", 0, 32, 0, 0, 0, 0, 0, 0)
        return struct.pack("!IH2x6s2x16sII", self.port_no, 40 + len(prop),
                           self.hw_addr, name, 0, 0) + prop


DEFAULT_PORTS = (StubPort(1, "p1", b"\x00\x00\x00\x00\x00\x01"),
                 StubPort(2, "p2", b"\x00\x00\x00\x00\x00\x02"))


def _features_reply(request: bytes, version: int, datapath_id: int,
                    ports: Sequence[StubPort]) -> bytes:
    """A minimal FEATURES_REPLY: no buffers, 254 tables, no capabilities.

    1.0: datapath_id u64, n_buffers u32, n_tables u8, pad 3, capabilities
    u32, actions u32, then ofp_phy_port[].  1.1/1.2: the same with reserved
    in place of actions and ofp_port[].  1.3+: datapath_id, n_buffers,
    n_tables, auxiliary_id u8, pad 2, capabilities, reserved; no ports.
    """
    if version >= 4:
        body = struct.pack("!QIBB2xII", datapath_id, 0, 254, 0, 0, 0)
    else:
        body = struct.pack("!QIB3xII", datapath_id, 0, 254, 0, 0)
        body += b"".join(port.encode(version) for port in ports)
    return reply_to(request, OFPT_FEATURES_REPLY, body)


def _client_versions(hello: bytes) -> set[int]:
    """The versions a HELLO allows: its version bitmap if any, else 1..version."""
    version = hello[0]
    allowed = set(range(1, version + 1))
    offset = OFP_HEADER.size
    while offset + 4 <= len(hello):
        elem_type, elem_len = struct.unpack_from("!HH", hello, offset)
        if elem_len < 4:
            break
        if elem_type == OFPHET_VERSIONBITMAP:
            allowed = set()
            for word_index in range((elem_len - 4) // 4):
                word = struct.unpack_from("!I", hello, offset + 4 + 4 * word_index)[0]
                allowed |= {32 * word_index + bit for bit in range(32) if word >> bit & 1}
        offset += (elem_len + 7) // 8 * 8
    return allowed


# --------------------------------------------------------------------------
# The stub switch
# --------------------------------------------------------------------------


class StubSwitch:
    """A TCP OpenFlow switch on 127.0.0.1 that records every message received.

    ``with StubSwitch(version=4) as sw:`` run a client against ``sw.target``,
    then ``sw.wait_idle()`` and read ``sw.messages`` (raw bytes, one OpenFlow
    message each, in arrival order over all connections, handshake included).
    """

    def __init__(
        self,
        version: int = 4,
        replies: Mapping[int, ReplyHandler] | None = None,
        *,
        ports: Sequence[StubPort] = DEFAULT_PORTS,
        datapath_id: int = 1,
    ) -> None:
        if version not in VERSION_NAMES:
            raise ValueError(f"unsupported OpenFlow version {version}")
        self.version = version
        self.replies: dict[int, ReplyHandler] = dict(replies or {})
        self.ports = tuple(ports)
        self.datapath_id = datapath_id
        self._lock = threading.Lock()
        self._messages: list[bytes] = []
        self._errors: list[str] = []
        self._open_connections = 0
        self._connection_count = 0
        self._idle = threading.Condition(self._lock)
        self._listener: socket.socket | None = None
        self._threads: list[threading.Thread] = []
        self._sockets: list[socket.socket] = []
        self._closing = False
        self.port = 0

    # -- lifecycle ---------------------------------------------------------

    def start(self) -> StubSwitch:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        self._listener = listener
        self.port = listener.getsockname()[1]
        thread = threading.Thread(target=self._accept_loop, name="stub-switch-accept",
                                  daemon=True)
        self._threads.append(thread)
        thread.start()
        return self

    def close(self) -> None:
        """Stop listening, close every connection and join the threads."""
        with self._lock:
            self._closing = True
            sockets = list(self._sockets)
        if self._listener is not None:
            try:
                self._listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._listener.close()
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> StubSwitch:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- results -----------------------------------------------------------

    @property
    def target(self) -> str:
        """The ``ovs-ofctl`` switch argument: ``tcp:127.0.0.1:PORT``."""
        return f"tcp:127.0.0.1:{self.port}"

    @property
    def messages(self) -> list[bytes]:
        """Every message received so far (a copy), handshake included."""
        with self._lock:
            return list(self._messages)

    @property
    def errors(self) -> list[str]:
        """Protocol problems seen (bad lengths, failed negotiation, reply errors)."""
        with self._lock:
            return list(self._errors)

    @property
    def connection_count(self) -> int:
        """How many connections were accepted so far."""
        with self._lock:
            return self._connection_count

    def wait_idle(self, timeout: float = 5.0) -> None:
        """Wait until every accepted connection has been closed by the client
        (so all it sent is recorded).  Raises TimeoutError otherwise."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._open_connections:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(
                        f"{self._open_connections} stub switch connection(s) still open")
                self._idle.wait(remaining)

    # -- internals ---------------------------------------------------------

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                if self._closing:
                    conn.close()
                    return
                self._open_connections += 1
                self._connection_count += 1
                self._sockets.append(conn)
                thread = threading.Thread(target=self._serve, args=(conn,),
                                          name="stub-switch-conn", daemon=True)
                self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            self._serve_messages(conn)
        except Exception as exc:  # recorded for the test, not a dying thread
            if not self._closing:
                self._error(f"connection error: {exc!r}")
        finally:
            conn.close()
            with self._idle:
                self._open_connections -= 1
                self._idle.notify_all()

    def _serve_messages(self, conn: socket.socket) -> None:
        buffer = bytearray()
        negotiated = False
        while True:
            chunk = conn.recv(65536)
            if not chunk:
                if buffer:
                    self._error(f"{len(buffer)} bytes of a partial message at close")
                return
            buffer += chunk
            while len(buffer) >= OFP_HEADER.size:
                length = struct.unpack_from("!H", buffer, 2)[0]
                if length < OFP_HEADER.size:
                    self._error(f"message length {length} < 8: {bytes(buffer[:8]).hex()}")
                    return
                if len(buffer) < length:
                    break
                message = bytes(buffer[:length])
                del buffer[:length]
                with self._lock:
                    self._messages.append(message)
                if not negotiated:
                    if message[1] != OFPT_HELLO:
                        self._error(f"first message is type {message[1]}, not HELLO")
                        return
                    negotiated = True
                    if not self._hello(conn, message):
                        return
                    continue
                out = self._answer(message)
                if out:
                    conn.sendall(out)

    def _hello(self, conn: socket.socket, hello: bytes) -> bool:
        """Answer the client's HELLO; False when negotiation fails."""
        version = self.version
        body = b""
        if version >= 4:
            # OFPHET_VERSIONBITMAP: type 1, length 8, one bitmap word
            body = struct.pack("!HHI", OFPHET_VERSIONBITMAP, 8, 1 << version)
        xid = struct.unpack_from("!I", hello, 4)[0]
        conn.sendall(ofp_header(version, OFPT_HELLO, 8 + len(body), xid) + body)
        if version in _client_versions(hello):
            return True
        self._error(f"client HELLO {hello.hex()} does not allow version {version}")
        text = b"incompatible version"
        error = struct.pack("!HH", OFPET_HELLO_FAILED, OFPHFC_INCOMPATIBLE) + text
        conn.sendall(ofp_header(version, OFPT_ERROR, 8 + len(error), xid) + error)
        return False

    def _answer(self, message: bytes) -> bytes:
        """The bytes to send back for one received message (maybe none)."""
        version = self.version
        msg_type = message[1]
        handler = self.replies.get(msg_type)
        if handler is not None:
            try:
                result = handler(message)
            except Exception as exc:  # reported via errors, not a dead thread
                self._error(f"reply handler for type {msg_type} raised {exc!r}")
                return b""
            if result is None:
                return b""
            if isinstance(result, bytes | bytearray):
                return bytes(result)
            return b"".join(result)
        if msg_type == OFPT_ECHO_REQUEST:
            return reply_to(message, OFPT_ECHO_REPLY, message[8:])
        if msg_type == OFPT_FEATURES_REQUEST:
            return _features_reply(message, version, self.datapath_id, self.ports)
        if msg_type == OFPT_GET_CONFIG_REQUEST:
            return reply_to(message, OFPT_GET_CONFIG_REPLY, struct.pack("!HH", 0, 128))
        if msg_type == OFPT_BARRIER_REQUEST[version]:
            return reply_to(message, OFPT_BARRIER_REPLY[version])
        if msg_type == OFPT_STATS_REQUEST[version] and version >= 4:
            stats_type = struct.unpack_from("!H", message, 8)[0]
            if stats_type == OFPMP_PORT_DESC:
                body = struct.pack("!HH4x", OFPMP_PORT_DESC, 0)
                body += b"".join(port.encode(version) for port in self.ports)
                return reply_to(message, OFPT_STATS_REPLY[version], body)
        return b""

    def _error(self, text: str) -> None:
        with self._lock:
            self._errors.append(text)


# --------------------------------------------------------------------------
# Running ovs-ofctl against a stub
# --------------------------------------------------------------------------


def write_flow_file(flows: Iterable[str], directory: str | None = None) -> str:
    """Write *flows* one per line to a new temporary file; return its path
    (the caller removes it).  For ``add-flows SWITCH FILE``."""
    fd, path = tempfile.mkstemp(prefix="flows-", suffix=".txt", dir=directory)
    with os.fdopen(fd, "w") as handle:
        for flow in flows:
            handle.write(flow + "\n")
    return path


def _command_line(args: Sequence[str], version: int, target: str) -> list[str]:
    """``ovs-ofctl --no-names -O VERSION ARGS`` with the switch target put in
    place of :data:`TARGET`, or else right after the command (the first
    argument that is not an option)."""
    args = list(args)
    if TARGET in args:
        args = [target if arg == TARGET else arg for arg in args]
    else:
        for index, arg in enumerate(args):
            if not arg.startswith("-"):
                args.insert(index + 1, target)
                break
        else:
            raise ValueError(f"no ovs-ofctl command in {args!r}")
    return [OVS_OFCTL, "--no-names", "-O", VERSION_NAMES[version], *args]


def record_ovs_ofctl(
    args: Sequence[str],
    version: int,
    replies: Mapping[int, ReplyHandler] | None = None,
    *,
    handshake: bool = False,
    timeout: float = 10.0,
    ports: Sequence[StubPort] = DEFAULT_PORTS,
) -> list[bytes]:
    """Run ``ovs-ofctl --no-names -O <version> ARGS`` against a fresh stub
    switch and return the messages it sent.

    *args* are the command and its arguments without the switch, e.g.
    ``["add-flow", "in_port=1,actions=drop"]``; the target
    ``tcp:127.0.0.1:PORT`` goes right after the command, or wherever
    :data:`TARGET` appears.  HELLO, ECHO, FEATURES_REQUEST and BARRIER_REQUEST
    are left out unless *handshake* is true.  Raises :class:`OvsOfctlError`
    with ovs-ofctl's stderr when it exits non-zero or outlives *timeout*, and
    when the stub saw a protocol problem.
    """
    with StubSwitch(version, replies, ports=ports) as switch:
        command = _command_line(args, version, switch.target)
        try:
            result = subprocess.run(command, capture_output=True, text=True,
                                    timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            stderr = exc.stderr.decode(errors="replace") if isinstance(exc.stderr, bytes) \
                else (exc.stderr or "")
            raise OvsOfctlError(f"{' '.join(command)} timed out after {timeout} s; "
                                f"stderr: {stderr.strip()}") from None
        if result.returncode != 0:
            raise OvsOfctlError(f"{' '.join(command)} exited {result.returncode}: "
                                f"{result.stderr.strip()}")
        switch.wait_idle(timeout)
        if switch.errors:
            raise OvsOfctlError("stub switch: " + "; ".join(switch.errors))
        messages = switch.messages
    if handshake:
        return messages
    skip = handshake_types(version)
    return [m for m in messages if m[1] not in skip]
