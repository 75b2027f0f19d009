"""A cbench-like load generator: N fake OpenFlow 1.3 switches flooding a controller.

Run in a process of its own (``GeneratorProcess`` starts it: ``python -I
bench/_cbench.py ...``; it needs nothing but the standard library).  Each fake
switch connects to HOST:PORT, sends HELLO (version 4, with a version bitmap
element), answers FEATURES_REQUEST (datapath id = switch index + 1, 254 tables),
ECHO_REQUEST, BARRIER_REQUEST, GET_CONFIG_REQUEST, ROLE_REQUEST and
MULTIPART_REQUEST (PORT_DESC: ports 1 and 2; DESC: a full description; other
types: an empty body) and ignores the rest (FLOW_MOD, SET_CONFIG, ...).

A switch is handshaken once its features were asked for and the controller then
stayed quiet for ``quiet`` seconds (a fifth of that once its ports were asked
for).  When every switch is (or ``handshake_timeout`` passed), the process prints
a JSON line ``{"event": "ready", ...}`` and, with ``--wait-go``, waits for a
line on stdin.  Then each switch sends one PACKET_IN teaching the destination
MAC ``DEST_MAC`` on port 2 (repeated every 0.5 s until answered), and once that
is answered keeps ``window`` PACKET_INs outstanding: in_port 1, NO_BUFFER, a
60-byte IPv4/UDP frame to ``DEST_MAC`` from one of 65,536 source MACs.  Each
PACKET_OUT received counts as one answered PACKET_IN and is answered by a new
one; FLOW_MODs are only counted.  The rate is measured over ``seconds`` after
``warmup`` seconds; the final JSON line holds it (total and per switch) and the
handshake counts.

``--rate N`` replaces the window (for a controller that does not answer, such as
a shell that only watches): after go, the switches send N PACKET_INs per second
in total (the same pool; no teaching, PACKET_OUTs are only counted), in batches
every 5 ms, without waiting for answers; a switch whose unsent data passes 256
KiB skips its batch (counted as ``held_back``).  The measured interval ends after
``seconds`` or at a ``stop`` line on stdin; the result holds the PACKET_INs
``sent`` in it and their ``rate``.  ``--probe`` is not run in this mode.

``--probe`` adds an idle switch (the next datapath id) that, after go, sends an
ECHO_REQUEST every ``probe_interval`` seconds and reports the round-trip times
of those sent in the measured interval.  Run it in a process of its own (0
flooding switches) so that the generator's busy loop does not add to them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import queue
import random
import resource
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

__all__ = ["DEST_MAC", "GeneratorProcess", "packet_in_pool", "run_generator"]

VERSION = 4
NO_BUFFER = 0xFFFFFFFF
POOL_SIZE = 65536
DEST_MAC = bytes.fromhex("02dd00000001")
TEACH_DST = b"\xff" * 6
_HEADER = struct.Struct("!BBHI")
_SCRIPT = Path(__file__).resolve()
_MAX_UNSENT = 256 * 1024
_PACE = 0.005  # seconds between batches of --rate


def raise_nofile(wanted: int = 65536) -> int:
    """Raise the soft RLIMIT_NOFILE towards *wanted* (capped by the hard limit)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        return target
    return soft


# --- messages -------------------------------------------------------------------------------

def header(msg_type: int, length: int, xid: int = 0) -> bytes:
    return _HEADER.pack(VERSION, msg_type, length, xid)


def hello() -> bytes:
    """HELLO with one version bitmap element: 1.3 only."""
    return header(0, 16) + struct.pack("!HHI", 1, 8, 1 << VERSION)


def features_reply(xid: bytes, datapath_id: int) -> bytes:
    body = struct.pack("!QIBB2xII", datapath_id, 0, 254, 0, 0x07, 0)
    return _HEADER.pack(VERSION, 6, 8 + len(body), 0)[:4] + xid + body


def _port(port_no: int, mac: bytes, name: str) -> bytes:
    # port_no, pad, hw_addr, pad, name, config, state (LIVE), curr, advertised,
    # supported, peer (10 Gb/s full duplex, copper), curr_speed, max_speed (kb/s)
    return struct.pack("!I4x6s2x16sIIIIIIII", port_no, mac, name.encode(), 0, 4, 0x840,
                       0x840, 0x840, 0, 10_000_000, 10_000_000)


def _desc() -> bytes:
    return struct.pack("!256s256s256s32s256s", b"vlcp workbench", b"fake switch",
                       b"bench/_cbench.py", b"0", b"cbench-like generator")


def multipart_body(mp_type: int, datapath_id: int) -> bytes:
    if mp_type == 13:  # OFPMP_PORT_DESC
        base = b"\x02\x00" + (datapath_id & 0xFFFFFF).to_bytes(3, "big")
        return (_port(1, base + b"\x01", f"s{datapath_id}-eth1")
                + _port(2, base + b"\x02", f"s{datapath_id}-eth2"))
    if mp_type == 0:  # OFPMP_DESC
        return _desc()
    return b""


def multipart_reply(xid: bytes, mp_type: int, body: bytes) -> bytes:
    return (_HEADER.pack(VERSION, 19, 16 + len(body), 0)[:4] + xid
            + struct.pack("!HH4x", mp_type, 0) + body)


def ethernet_frame(dst: bytes, src: bytes) -> bytes:
    """60 bytes: Ethernet, IPv4 10.0.0.1 -> 10.0.0.2 (checksummed), UDP 1234 -> 5678."""
    ip = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 46, 0, 0, 64, 17, 0,
                               bytes((10, 0, 0, 1)), bytes((10, 0, 0, 2))))
    total = sum(int.from_bytes(ip[i:i + 2], "big") for i in range(0, 20, 2))
    while total > 0xFFFF:
        total = (total & 0xFFFF) + (total >> 16)
    ip[10:12] = (~total & 0xFFFF).to_bytes(2, "big")
    udp = struct.pack("!HHHH", 1234, 5678, 26, 0)
    return dst + src + b"\x08\x00" + bytes(ip) + udp + bytes(18)


def packet_in(frame: bytes, in_port: int) -> bytes:
    """An OpenFlow 1.3 PACKET_IN: NO_BUFFER, NO_MATCH, table 0, cookie 0, OXM in_port."""
    fixed = struct.pack("!IHBBQ", NO_BUFFER, len(frame), 0, 0, 0)
    oxm_match = struct.pack("!HHII4x", 1, 12, 0x80000004, in_port)
    length = 8 + len(fixed) + len(oxm_match) + 2 + len(frame)
    return header(10, length) + fixed + oxm_match + b"\x00\x00" + frame


def packet_in_pool(size: int = POOL_SIZE, seed: int = 1) -> list[bytes]:
    """*size* PACKET_INs (in_port 1, to DEST_MAC), one per source MAC, shuffled.

    Every message is the template spliced around its source MAC.
    """
    template = packet_in(ethernet_frame(DEST_MAC, bytes(6)), 1)
    at = len(template) - 60 + 6
    head, tail = template[:at], template[at + 6:]
    prefix = b"\x02\xcb\x00\x00"
    pool = [head + prefix + i.to_bytes(2, "big") + tail for i in range(size)]
    random.Random(seed).shuffle(pool)
    return pool


# --- the fake switches ------------------------------------------------------------------------

class Switch(asyncio.Protocol):
    """One fake switch; flooding once ``start_flood`` was called."""

    def __init__(self, index: int, datapath_id: int, pool: list[bytes], window: int) -> None:
        self.index = index
        self.datapath_id = datapath_id
        self.pool = pool
        self.window = window
        self.next = (index * 4099) % len(pool)
        self.transport: asyncio.Transport | None = None
        self.buffer = b""
        self.state = 0  # 0 handshake, 1 handshaken, 2 teaching, 3 flooding, 4 paced
        self.last_rx = 0.0
        self.answered = 0
        self.packet_outs = 0
        self.flow_mods = 0
        self.paced = 0  # PACKET_INs sent at the --rate pace
        self.held_back = 0
        self.lost = False
        self.counts: dict[str, int] = {}
        self.teach = packet_in(ethernet_frame(TEACH_DST, DEST_MAC), 2)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.last_rx = time.monotonic()
        transport.write(hello())

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        self.transport = None

    def _count(self, name: str) -> None:
        self.counts[name] = self.counts.get(name, 0) + 1

    def data_received(self, data: bytes) -> None:
        if self.buffer:
            data = self.buffer + data
        size = len(data)
        pos = 0
        outs = 0
        replies: list[bytes] = []
        while size - pos >= 8:
            length = (data[pos + 2] << 8) | data[pos + 3]
            end = pos + length
            if end > size:
                break
            msg_type = data[pos + 1]
            if msg_type == 13:
                outs += 1
            elif length < 8:
                self._count("bad_length")
                if self.transport is not None:
                    self.transport.close()
                return
            elif msg_type == 14:
                self.flow_mods += 1
            else:
                reply = self.answer(msg_type, data[pos:end])
                if reply:
                    replies.append(reply)
            pos = end
        self.buffer = data[pos:]
        if self.state < 2:
            self.last_rx = time.monotonic()
        if outs:
            self.packet_outs += outs
            if self.state == 3:
                self.answered += outs
                replies.append(self.take(outs))
            elif self.state == 2:
                self.state = 3
                replies.append(self.take(self.window))
        if replies and self.transport is not None:
            self.transport.write(b"".join(replies) if len(replies) > 1 else replies[0])

    def take(self, count: int) -> bytes:
        """The next *count* PACKET_INs of the pool, joined."""
        pool, first = self.pool, self.next
        last = first + count
        if last <= len(pool):
            self.next = last % len(pool)
            return b"".join(pool[first:last])
        self.next = last - len(pool)
        return b"".join(pool[first:]) + b"".join(pool[:self.next])

    def answer(self, msg_type: int, message: bytes) -> bytes:
        """The reply to one message from the controller (b"": none)."""
        xid = message[4:8]
        if msg_type == 2:  # ECHO_REQUEST
            self._count("echo_answered")
            return b"\x04\x03" + message[2:]
        if msg_type == 5:  # FEATURES_REQUEST
            self._count("features_answered")
            return features_reply(xid, self.datapath_id)
        if msg_type == 18 and len(message) >= 10:  # MULTIPART_REQUEST
            mp_type = int.from_bytes(message[8:10], "big")
            self._count("port_desc_answered" if mp_type == 13 else "multipart_answered")
            return multipart_reply(xid, mp_type, multipart_body(mp_type, self.datapath_id))
        if msg_type == 20:  # BARRIER_REQUEST
            self._count("barrier_answered")
            return b"\x04\x15\x00\x08" + xid
        if msg_type == 7:  # GET_CONFIG_REQUEST: flags 0, miss_send_len 0xffff (no buffer)
            self._count("get_config_answered")
            return b"\x04\x08\x00\x0c" + xid + b"\x00\x00\xff\xff"
        if msg_type == 24:  # ROLE_REQUEST: granted as asked
            self._count("role_answered")
            return b"\x04\x19" + message[2:]
        if msg_type == 3:
            self.echo_reply(message)
            return b""
        self._count({0: "hellos_received", 1: "errors_received", 9: "set_config_received"}
                    .get(msg_type, "other_received"))
        return b""

    def echo_reply(self, message: bytes) -> None:
        self._count("echo_replies")

    def handshaken(self, now: float, quiet: float) -> bool:
        if self.state == 0 and not self.lost and "features_answered" in self.counts:
            wait = quiet / 5 if "port_desc_answered" in self.counts else quiet
            if now - self.last_rx >= wait:
                self.state = 1
        return self.state >= 1

    def start_flood(self) -> None:
        if self.state == 1 and self.transport is not None:
            self.state = 2
            self.transport.write(self.teach)

    def start_paced(self) -> None:
        if self.state == 1 and self.transport is not None:
            self.state = 4

    def send_paced(self, count: int) -> None:
        """*count* PACKET_INs now (unless too much is still unsent: then none)."""
        if self.state != 4 or self.transport is None or count <= 0:
            return
        if self.transport.get_write_buffer_size() > _MAX_UNSENT:
            self.held_back += count
            return
        self.transport.write(self.take(count))
        self.paced += count

    def reteach(self) -> None:
        if self.state == 2 and self.transport is not None:
            self._count("teach_retries")
            self.transport.write(self.teach)


class Probe(Switch):
    """An idle switch measuring the controller's ECHO round trips."""

    def __init__(self, index: int, datapath_id: int) -> None:
        super().__init__(index, datapath_id, [b""], 1)
        self.sent: dict[int, float] = {}
        self.rtts: list[tuple[float, float]] = []  # (sent at, round trip)
        self.xid = 0x10000

    def send_echo(self) -> None:
        if self.transport is not None:
            self.xid += 1
            self.sent[self.xid] = time.perf_counter()
            self.transport.write(header(2, 16, self.xid) + self.xid.to_bytes(8, "big"))

    def echo_reply(self, message: bytes) -> None:
        sent = self.sent.pop(int.from_bytes(message[4:8], "big"), None)
        if sent is not None:
            self.rtts.append((sent, time.perf_counter() - sent))


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


async def _connect(switches: list[Switch], host: str, port: int, parallel: int) -> None:
    loop = asyncio.get_running_loop()
    gate = asyncio.Semaphore(parallel)

    async def one(switch: Switch) -> None:
        for _ in range(20):
            async with gate:
                try:
                    await asyncio.wait_for(loop.create_connection(lambda: switch, host, port), 10)
                    return
                except (OSError, TimeoutError):
                    pass
            await asyncio.sleep(0.2)
        switch.lost = True

    await asyncio.gather(*(one(switch) for switch in switches))


def _emit(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


async def run(args: argparse.Namespace) -> dict[str, Any]:
    """Connect, handshake, (wait for go), flood and measure; the result."""
    raise_nofile(args.switches + 256)
    loop = asyncio.get_running_loop()
    pool = packet_in_pool() if args.switches else [b""]
    flood = [Switch(i, args.first_dpid + i, pool, args.window) for i in range(args.switches)]
    probe = Probe(args.switches, args.first_dpid + args.switches) if args.probe else None
    everyone: list[Switch] = flood + ([probe] if probe is not None else [])
    started = time.monotonic()
    await _connect(everyone, args.host, args.port, args.parallel)
    deadline = started + args.handshake_timeout
    while True:
        now = time.monotonic()
        done = sum(switch.handshaken(now, args.quiet) for switch in everyone)
        live = sum(not switch.lost for switch in everyone)
        if done >= live or now > deadline:
            break
        await asyncio.sleep(0.02)
    counts: dict[str, int] = {}
    for switch in everyone:
        for name, value in switch.counts.items():
            counts[name] = counts.get(name, 0) + value
    ready = {"event": "ready", "switches": len(everyone), "handshaken": done,
             "connected": live, "handshake_seconds": round(time.monotonic() - started, 3),
             "counts": counts}
    _emit(ready)
    if args.wait_go:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if line.strip() != "go":
            return {"event": "result", "aborted": True, **ready}
    if args.rate > 0:
        return await _run_paced(flood, everyone, ready, args)
    go = time.monotonic()
    for switch in flood:
        switch.start_flood()
    probe_task = loop.create_task(_run_probe(probe, args)) if probe is not None else None
    reteach = go + 0.5
    while time.monotonic() < go + args.warmup:
        await asyncio.sleep(min(0.05, max(0.0, go + args.warmup - time.monotonic())))
        if time.monotonic() >= reteach:
            reteach += 0.5
            for switch in flood:
                switch.reteach()
    t0, before = time.perf_counter(), [switch.answered for switch in flood]
    await asyncio.sleep(args.seconds)
    t1, after = time.perf_counter(), [switch.answered for switch in flood]
    elapsed = t1 - t0
    per_switch = [(b - a) / elapsed for a, b in zip(before, after, strict=True)]
    result: dict[str, Any] = {
        "event": "result", "interval": round(elapsed, 4), "answered": sum(after) - sum(before),
        "rate": sum(per_switch), "per_switch": [round(rate, 1) for rate in per_switch],
        "flooding": sum(switch.state == 3 for switch in flood),
        "flow_mods": sum(switch.flow_mods for switch in flood),
        "packet_outs": sum(switch.packet_outs for switch in flood),
        "lost": sum(switch.lost for switch in everyone), **{
            key: value for key, value in ready.items() if key != "event"}}
    if probe_task is not None:
        result["probe"] = await probe_task
    for switch in everyone:
        if switch.transport is not None:
            switch.transport.abort()
    return result


async def _pace(flood: list[Switch], rate: float) -> None:
    """Send *rate* PACKET_INs per second, spread over the switches, until cancelled."""
    start, done = time.monotonic(), 0
    while True:
        due = int((time.monotonic() - start) * rate) - done
        live = [switch for switch in flood if switch.state == 4 and switch.transport]
        if due > 0 and live:
            share, extra = divmod(due, len(live))
            for offset, switch in enumerate(live):
                switch.send_paced(share + (offset < extra))
            done += due
        await asyncio.sleep(_PACE)


def _stop_line(loop: asyncio.AbstractEventLoop) -> asyncio.Event:
    """An event set when a ``stop`` line comes on stdin (read by a daemon thread)."""
    stop = asyncio.Event()

    def read() -> None:
        for line in sys.stdin:
            if line.strip() == "stop":
                loop.call_soon_threadsafe(stop.set)
                return

    threading.Thread(target=read, name="stop-line", daemon=True).start()
    return stop


async def _run_paced(flood: list[Switch], everyone: list[Switch], ready: dict[str, Any],
                     args: argparse.Namespace) -> dict[str, Any]:
    """--rate: paced PACKET_INs, measured from warmup to ``seconds`` or a stop line."""
    loop = asyncio.get_running_loop()
    stop = _stop_line(loop)
    for switch in flood:
        switch.start_paced()
    pacer = loop.create_task(_pace(flood, args.rate))
    await asyncio.sleep(args.warmup)
    t0, before = time.perf_counter(), sum(switch.paced for switch in flood)
    try:
        await asyncio.wait_for(stop.wait(), args.seconds)
    except TimeoutError:
        pass
    t1, after = time.perf_counter(), sum(switch.paced for switch in flood)
    pacer.cancel()
    elapsed = t1 - t0
    result: dict[str, Any] = {
        "event": "result", "interval": round(elapsed, 4), "sent": after - before,
        "rate": (after - before) / elapsed if elapsed > 0 else 0.0,
        "paced": sum(switch.state == 4 for switch in flood),
        "held_back": sum(switch.held_back for switch in flood),
        "packet_outs": sum(switch.packet_outs for switch in flood),
        "lost": sum(switch.lost for switch in everyone), **{
            key: value for key, value in ready.items() if key != "event"}}
    for switch in everyone:
        if switch.transport is not None:
            switch.transport.abort()
    return result


async def _run_probe(probe: Probe | None, args: argparse.Namespace) -> dict[str, Any]:
    assert probe is not None
    start = time.perf_counter()
    begin, end = start + args.warmup, start + args.warmup + args.seconds
    while time.perf_counter() < end:
        probe.send_echo()
        await asyncio.sleep(args.probe_interval)
    await asyncio.sleep(min(1.0, args.probe_interval * 10))
    rtts = [rtt for sent, rtt in probe.rtts if begin <= sent < end]
    sent = sum(1 for at in probe.sent.values() if begin <= at < end) + len(rtts)
    if not rtts:
        return {"sent": sent, "answered": 0}
    return {"sent": sent, "answered": len(rtts),
            "median_ms": round(_percentile(rtts, 0.5) * 1e3, 3),
            "p99_ms": round(_percentile(rtts, 0.99) * 1e3, 3),
            "max_ms": round(max(rtts) * 1e3, 3)}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="fake OpenFlow 1.3 switches flooding PACKET_INs")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--switches", type=int, default=16)
    parser.add_argument("--window", type=int, default=32)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--quiet", type=float, default=0.5)
    parser.add_argument("--first-dpid", type=int, default=1)
    parser.add_argument("--parallel", type=int, default=32, help="connections opened at once")
    parser.add_argument("--handshake-timeout", type=float, default=60.0)
    parser.add_argument("--probe", action="store_true", help="add an echo latency probe")
    parser.add_argument("--probe-interval", type=float, default=0.01)
    parser.add_argument("--wait-go", action="store_true", help="wait for 'go' on stdin")
    parser.add_argument("--rate", type=float, default=0.0,
                        help="PACKET_INs per second in total, not waiting for answers")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _emit(asyncio.run(run(args)))
    return 0


# --- the parent's side ------------------------------------------------------------------------

class GeneratorProcess:
    """The generator running in a child process; its JSON lines read by a thread."""

    def __init__(self, port: int, *, switches: int, window: int = 32, warmup: float = 1.0,
                 seconds: float = 3.0, quiet: float = 0.5, probe: bool = False,
                 first_dpid: int = 1, wait_go: bool = True, host: str = "127.0.0.1",
                 handshake_timeout: float = 60.0, rate: float = 0.0) -> None:
        command = [sys.executable, "-I", str(_SCRIPT), "--host", host, "--port", str(port),
                   "--switches", str(switches), "--window", str(window),
                   "--warmup", str(warmup), "--seconds", str(seconds), "--quiet", str(quiet),
                   "--first-dpid", str(first_dpid),
                   "--handshake-timeout", str(handshake_timeout)]
        if probe:
            command.append("--probe")
        if wait_go:
            command.append("--wait-go")
        if rate > 0:
            command += ["--rate", str(rate)]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True)
        self.lines: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.strip():
                self.lines.put(json.loads(line))
        self.lines.put(None)

    def _next(self, timeout: float) -> dict[str, Any]:
        try:
            got = self.lines.get(timeout=timeout)
        except queue.Empty:
            self.kill()
            raise RuntimeError(f"the generator said nothing for {timeout} s") from None
        if got is None:
            raise RuntimeError(f"the generator exited ({self.process.wait()}) early")
        return got

    def wait_ready(self, timeout: float = 120.0) -> dict[str, Any]:
        """The ``ready`` line: switches connected and handshaken, handshake counts."""
        return self._next(timeout)

    def go(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("go\n")
        self.process.stdin.flush()

    def stop(self) -> None:
        """End the measured interval of ``rate`` mode now."""
        assert self.process.stdin is not None
        self.process.stdin.write("stop\n")
        self.process.stdin.flush()

    def result(self, timeout: float = 120.0) -> dict[str, Any]:
        got = self._next(timeout)
        self.process.wait(timeout=10)
        return got

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def run_generator(port: int, **options: Any) -> dict[str, Any]:
    """Run the generator against 127.0.0.1:*port* to the end (no go needed); its result."""
    generator = GeneratorProcess(port, wait_go=False, **options)
    try:
        ready = generator.wait_ready()
        result = generator.result()
        result["ready"] = ready
        return result
    finally:
        generator.kill()


if __name__ == "__main__":
    sys.exit(main())
