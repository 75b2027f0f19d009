"""namedstruct against hand-written ``struct`` code doing the same work.

Run: ``.venv/bin/python -m bench.bench_namedstruct`` (``--quick`` for a smoke run).

Messages (``bench._messages``, verified with ``ovs-ofctl ofp-print``): the 104-byte
OpenFlow 1.3 FLOW_MOD (match in_port, eth_type, ipv4_dst; apply-actions output:2)
and the 102-byte PACKET_IN carrying a 60-byte frame.  Both sides decode into
plain nested objects with ``__slots__`` and ints, compute lengths while
serializing, and are checked to produce identical bytes before timing.

namedstruct parses through the generic ``ofp_header`` (it dispatches on version
and type, as a controller must); the baseline calls the one parser it knows.
"""

from __future__ import annotations

import argparse
import sys

from bench import _handwritten as hw
from bench import _ns_defs as ns
from bench._messages import flow_mod_bytes, packet_in_bytes
from bench._timing import compare, format_ratio_table

TARGET = 2.0


def _ns_flow_mod() -> object:
    return ns.ofp_flow_mod(
        xid=0x12345678, cookie=0x1111, priority=100,
        match=ns.ofp_match(oxm_fields=[
            ns.ofp_oxm(oxm_field=0, value=b"\x00\x00\x00\x01"),
            ns.ofp_oxm(oxm_field=5, value=b"\x08\x00"),
            ns.ofp_oxm(oxm_field=12, value=b"\x0a\x00\x00\x01")]),
        instructions=[ns.ofp_instruction_apply_actions(
            actions=[ns.ofp_action_output(port=2)])])


def _hw_flow_mod() -> object:
    return hw.FlowMod(
        xid=0x12345678, cookie=0x1111, priority=100,
        match=hw.Match(oxm_fields=[
            hw.OxmField(0x8000, 0, 0, b"\x00\x00\x00\x01"),
            hw.OxmField(0x8000, 5, 0, b"\x08\x00"),
            hw.OxmField(0x8000, 12, 0, b"\x0a\x00\x00\x01")]),
        instructions=[hw.InstructionActions(4, [hw.ActionOutput(2)])])


def cases() -> list[tuple[str, dict[str, object]]]:
    """The measured operations: (name, {"ours": callable, "peer": callable})."""
    fm = flow_mod_bytes()
    pi = packet_in_bytes()
    ns_msg = ns.ofp_header.create(fm)
    hw_msg = hw.parse_flow_mod(fm)
    ns_pi = ns.ofp_header.create(pi)
    hw_pi = hw.parse_packet_in(pi)

    # Correctness before speed: both sides agree with the reference bytes.
    assert type(ns_msg) is ns.ofp_flow_mod and bytes(ns_msg) == fm
    assert hw.serialize_flow_mod(hw_msg) == fm
    assert bytes(_ns_flow_mod()) == fm and hw.serialize_flow_mod(_hw_flow_mod()) == fm
    assert type(ns_pi) is ns.ofp_packet_in and bytes(ns_pi) == pi
    assert hw.serialize_packet_in(hw_pi) == pi

    def ns_edit() -> bytes:
        ns_msg.priority ^= 1
        return bytes(ns_msg)

    def hw_edit() -> bytes:
        hw_msg.priority ^= 1
        return hw.serialize_flow_mod(hw_msg)

    def ns_pi_edit() -> bytes:
        ns_pi.cookie ^= 1
        return bytes(ns_pi)

    def hw_pi_edit() -> bytes:
        hw_pi.cookie ^= 1
        return hw.serialize_packet_in(hw_pi)

    parse_header = ns.ofp_header.parse
    return [
        ("FLOW_MOD parse",
         {"ours": lambda: parse_header(fm), "peer": lambda: hw.parse_flow_mod(fm)}),
        ("FLOW_MOD edit one field + serialize", {"ours": ns_edit, "peer": hw_edit}),
        ("FLOW_MOD construct + serialize",
         {"ours": lambda: bytes(_ns_flow_mod()),  # type: ignore[call-overload]
          "peer": lambda: hw.serialize_flow_mod(_hw_flow_mod())}),  # type: ignore[arg-type]
        ("PACKET_IN parse",
         {"ours": lambda: parse_header(pi), "peer": lambda: hw.parse_packet_in(pi)}),
        ("PACKET_IN edit one field + serialize", {"ours": ns_pi_edit, "peer": hw_pi_edit}),
    ]


def run(rounds: int, min_time: float) -> list[tuple[str, float, float]]:
    rows = []
    for name, pair in cases():
        medians = compare(pair, rounds=rounds, min_time=min_time)  # type: ignore[arg-type]
        rows.append((name, medians["ours"], medians["peer"]))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a fast smoke run (not a measurement)")
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args(argv)
    rounds, min_time = (1, 0.005) if args.quick else (args.rounds, 0.2)
    rows = run(rounds, min_time)
    print(f"namedstruct vs hand-written struct code (median of {rounds} alternating rounds)")
    print(format_ratio_table(rows, ours="namedstruct", peer="hand-written"))
    worst = max(ours / peer for _, ours, peer in rows)
    verdict = "within" if worst <= TARGET else "OUTSIDE"
    print(f"worst ratio {worst:.2f}: {verdict} the {TARGET:.0f}x target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
