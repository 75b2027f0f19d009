"""Time os-ken (the maintained Ryu fork) on the OpenFlow benchmark messages.

Run with the python of the os-ken virtual environment made by
``bench/_osken_env.py`` -- never with the project's own interpreter -- so that
it imports ``os_ken`` and none of our code (this script imports nothing from
the repository; the reference messages come in on stdin)::

    echo '{"packet_in_13": HEX, "flow_mod_13": HEX,
           "packet_in_10": HEX, "flow_mod_10": HEX}' |
        .bench-venvs/osken/bin/python bench/osken_worker.py --iterations N --rounds R

The hex strings are ``bench/_messages.py::packet_in_bytes()`` and
``flow_mod_bytes()`` and ``bench/_messages10.py::packet_in10_bytes()`` and
``flow_mod10_bytes()``.  Operations timed:

``of13_packet_in_parse`` / ``of10_packet_in_parse``
    what os-ken's ``Datapath._recv_loop`` does with a received message:
    ``ofproto_parser.header(buf)`` then ``ofproto_parser.msg(...)``, giving an
    ``OFPPacketIn`` (the Ethernet frame stays raw bytes in ``msg.data``).
``of13_flow_mod_build``
    ``OFPMatch(in_port=1, eth_type=0x0800, ipv4_dst="10.0.0.1")``, an
    APPLY_ACTIONS instruction with ``OFPActionOutput(2)`` (os-ken's default
    max_len is 0xffe5, as in the reference), ``OFPFlowMod(priority=100,
    cookie=0x1111, out_port=OFPP_ANY, out_group=OFPG_ANY)`` (os-ken defaults
    both to 0, the reference has ANY), ``set_xid(0x12345678)``,
    ``serialize()`` and ``bytes(msg.buf)``.
``of10_flow_mod_build``
    the same for 1.0: ``OFPMatch(in_port=1, dl_type=0x0800, nw_dst="10.0.0.1")``,
    ``OFPActionOutput(2, max_len=0)``, ``OFPFlowMod(cookie=0x1111,
    command=OFPFC_ADD, priority=100)``.

Each operation is checked once before timing: the parsed fields must be the
expected ones, and the serialized FLOW_MODs are compared with the reference
bytes (``bytes_equal``; ``differences`` lists ``[offset, reference byte,
os-ken byte]``: os-ken 4.2.2 writes the 1.0 wildcards as 0x00303fee, all six
nw_src wildcard bits set, where OVS and the reference use 0x003020ee, so the
1.0 FLOW_MOD differs in exactly one byte, ``[10, 32, 63]``; 1.3 is equal).

Timing: ``time.perf_counter`` around N calls with the garbage collector
disabled; the rounds alternate between the operations; the figure is the
median over R rounds, in microseconds per operation.  Output: one JSON object
on stdout::

    {"os_ken": "4.2.2", "python": "3.11.7", "iterations": N, "rounds": R,
     "us_per_op": {"of13_packet_in_parse": ..., "of13_flow_mod_build": ...,
                   "of10_packet_in_parse": ..., "of10_flow_mod_build": ...},
     "bytes_equal": {"of13_flow_mod": true, "of10_flow_mod": false},
     "differences": {"of13_flow_mod": [], "of10_flow_mod": [[10, 32, 63]]}}
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from importlib.metadata import version as distribution_version
from typing import Any

MESSAGE_KEYS = ("packet_in_13", "flow_mod_13", "packet_in_10", "flow_mod_10")
FLOW_MOD_XID = 0x12345678


class _Datapath:
    """The two attributes os-ken messages use of a datapath."""

    def __init__(self, ofproto: Any, ofproto_parser: Any) -> None:
        self.ofproto = ofproto
        self.ofproto_parser = ofproto_parser


def _differences(reference: bytes, actual: bytes) -> list[list[int]]:
    """``[offset, reference byte, actual byte]`` of each difference (-1: missing)."""
    out: list[list[int]] = []
    for offset in range(max(len(reference), len(actual))):
        want = reference[offset] if offset < len(reference) else -1
        got = actual[offset] if offset < len(actual) else -1
        if want != got:
            out.append([offset, want, got])
    return out


def make_operations(messages: dict[str, bytes]) -> tuple[
        dict[str, Callable[[], object]], dict[str, bytes]]:
    """The timed operations, and the bytes each FLOW_MOD build produces once."""
    ofproto_parser = importlib.import_module("os_ken.ofproto.ofproto_parser")
    of13 = importlib.import_module("os_ken.ofproto.ofproto_v1_3")
    parser13 = importlib.import_module("os_ken.ofproto.ofproto_v1_3_parser")
    of10 = importlib.import_module("os_ken.ofproto.ofproto_v1_0")
    parser10 = importlib.import_module("os_ken.ofproto.ofproto_v1_0_parser")
    dp13 = _Datapath(of13, parser13)
    dp10 = _Datapath(of10, parser10)
    header = ofproto_parser.header
    parse_msg = ofproto_parser.msg

    def parser_of(datapath: _Datapath, data: bytes) -> Callable[[], object]:
        buf = bytearray(data)  # os-ken's receive loop hands msg() a bytearray

        def parse() -> object:
            version, msg_type, msg_len, xid = header(buf)
            return parse_msg(datapath, version, msg_type, msg_len, xid, buf[:msg_len])
        return parse

    def build13() -> bytes:
        p = parser13
        match = p.OFPMatch(in_port=1, eth_type=0x0800, ipv4_dst="10.0.0.1")
        actions = [p.OFPActionOutput(2)]
        instructions = [p.OFPInstructionActions(of13.OFPIT_APPLY_ACTIONS, actions)]
        msg = p.OFPFlowMod(dp13, cookie=0x1111, priority=100, out_port=of13.OFPP_ANY,
                           out_group=of13.OFPG_ANY, match=match, instructions=instructions)
        msg.set_xid(FLOW_MOD_XID)
        msg.serialize()
        return bytes(msg.buf)

    def build10() -> bytes:
        p = parser10
        match = p.OFPMatch(in_port=1, dl_type=0x0800, nw_dst="10.0.0.1")
        actions = [p.OFPActionOutput(2, max_len=0)]
        msg = p.OFPFlowMod(dp10, match=match, cookie=0x1111, command=of10.OFPFC_ADD,
                           priority=100, actions=actions)
        msg.set_xid(FLOW_MOD_XID)
        msg.serialize()
        return bytes(msg.buf)

    parse13 = parser_of(dp13, messages["packet_in_13"])
    parse10 = parser_of(dp10, messages["packet_in_10"])
    _check_packet_in(parse13(), parser13.OFPPacketIn, messages["packet_in_13"])
    _check_packet_in(parse10(), parser10.OFPPacketIn, messages["packet_in_10"])
    operations: dict[str, Callable[[], object]] = {
        "of13_packet_in_parse": parse13,
        "of13_flow_mod_build": build13,
        "of10_packet_in_parse": parse10,
        "of10_flow_mod_build": build10,
    }
    return operations, {"of13_flow_mod": build13(), "of10_flow_mod": build10()}


def _check_packet_in(msg: Any, cls: Any, raw: bytes) -> None:
    """The parse must yield a PACKET_IN with the whole 60-byte frame."""
    if not isinstance(msg, cls):
        raise SystemExit(f"os-ken parsed {raw.hex()} as {msg!r}, not a PACKET_IN")
    if bytes(msg.data) != raw[-60:] or msg.total_len != 60:
        raise SystemExit(f"os-ken PACKET_IN data/total_len wrong: {msg!r}")


def time_operations(operations: dict[str, Callable[[], object]], iterations: int,
                    rounds: int) -> dict[str, float]:
    """Median over *rounds* of the µs per call of each operation (rounds alternate)."""
    samples: dict[str, list[float]] = {name: [] for name in operations}
    for func in operations.values():  # warm-up: first-call caches, imports
        func()
    loop = range(iterations)
    for _ in range(rounds):
        for name, func in operations.items():
            gc_was_enabled = gc.isenabled()
            gc.disable()
            try:
                start = time.perf_counter()
                for _ in loop:
                    func()
                elapsed = time.perf_counter() - start
            finally:
                if gc_was_enabled:
                    gc.enable()
            samples[name].append(elapsed / iterations * 1e6)
    return {name: statistics.median(values) for name, values in samples.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--iterations", type=int, required=True, help="calls per timing")
    parser.add_argument("--rounds", type=int, required=True, help="timings per operation")
    args = parser.parse_args(argv)
    if args.iterations < 1 or args.rounds < 1:
        parser.error("--iterations and --rounds must be at least 1")
    given = json.load(sys.stdin)
    missing = [key for key in MESSAGE_KEYS if key not in given]
    if missing:
        parser.error(f"stdin JSON lacks {', '.join(missing)}")
    messages = {key: bytes.fromhex(given[key]) for key in MESSAGE_KEYS}
    operations, built = make_operations(messages)
    references = {"of13_flow_mod": messages["flow_mod_13"],
                  "of10_flow_mod": messages["flow_mod_10"]}
    differences = {name: _differences(references[name], data) for name, data in built.items()}
    result = {
        "os_ken": distribution_version("os-ken"),
        "python": platform.python_version(),
        "iterations": args.iterations,
        "rounds": args.rounds,
        "us_per_op": time_operations(operations, args.iterations, args.rounds),
        "bytes_equal": {name: not diff for name, diff in differences.items()},
        "differences": differences,
    }
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
