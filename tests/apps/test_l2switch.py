"""The learning switch against a real Open vSwitch: two lab ports reach each other,
headless from the command line and in-process; plus its command-line parsing."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vlcp_core.apps import l2switch, parse_address
from vlcp_core.controller import Controller
from vlcp_core.openflow import flow_mod, match, output, packet_out
from vlcp_core.packet import eth, ipv4, read_pcap, udp
from workbench.lab import Lab, wait_for

MAC_A, MAC_B = "00:00:00:00:00:0a", "00:00:00:00:00:0b"


def frame(src: str, dst: str, payload: bytes) -> bytes:
    return bytes(eth(src=src, dst=dst) / ipv4(src="10.0.0.1", dst="10.0.0.2")
                 / udp(dport=9) / payload)


def received(pcap: Path, payload: bytes) -> int:
    return sum(payload in packet for packet in read_pcap(pcap))


def exercise(lab: Lab, bridge: str, protocol: str) -> None:
    """A talks to B and back; both directions end up in learned flows."""
    pcap1 = lab.capture_pcap(f"{bridge}-eth1")
    pcap2 = lab.capture_pcap(f"{bridge}-eth2")
    # B is unknown: flooded (and A learned on port 1).
    lab.inject(f"{bridge}-eth1", frame(MAC_A, MAC_B, b"first"))
    wait_for(lambda: received(pcap2, b"first"), timeout=10)
    # A is known: a flow for B -> A, and the packet goes to port 1 only.
    lab.inject(f"{bridge}-eth2", frame(MAC_B, MAC_A, b"answer"))
    wait_for(lambda: received(pcap1, b"answer"), timeout=10)
    # Both known now: a flow for A -> B.
    lab.inject(f"{bridge}-eth1", frame(MAC_A, MAC_B, b"second"))
    wait_for(lambda: received(pcap2, b"second"), timeout=10)
    flows = lab.ofctl("-O", protocol, "dump-flows", bridge)
    assert f"in_port={bridge}-eth2,dl_src={MAC_B},dl_dst={MAC_A} actions=output:{bridge}-eth1" \
        in flows or f"in_port=2,dl_src={MAC_B},dl_dst={MAC_A} actions=output:1" in flows, flows
    assert f"dl_src={MAC_A},dl_dst={MAC_B} actions=output:" in flows, flows
    # The flows carry the traffic now: the controller is not asked again.
    lab.inject(f"{bridge}-eth2", frame(MAC_B, MAC_A, b"third"))
    wait_for(lambda: received(pcap1, b"third"), timeout=10)
    assert received(pcap1, b"first") == 0  # flooding never sends back on the in port


def test_headless_learning_switch_connects_two_ports(lab: Lab) -> None:
    app = subprocess.Popen(
        [sys.executable, "-m", "vlcp_core.apps.l2switch", "--listen", "127.0.0.1:0",
         "--versions", "1.3"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert app.stdout is not None
        line = app.stdout.readline()
        assert line.startswith("listening on 127.0.0.1:"), (line, app.stderr)
        port = int(line.rsplit(":", 1)[1])
        lab.add_bridge("l2a", ports=2, protocols=["OpenFlow13"])
        lab.set_controller("l2a", f"tcp:127.0.0.1:{port}")
        wait_for(lambda: "priority=0 actions=CONTROLLER:65535" in lab.ofctl(
            "-O", "OpenFlow13", "dump-flows", "l2a"), timeout=10)
        exercise(lab, "l2a", "OpenFlow13")
    finally:
        app.terminate()
        _, errors = app.communicate(timeout=10)
    assert app.returncode == 0, errors
    assert "Traceback" not in errors, errors


def test_in_process_learning_switch_speaks_10(lab: Lab) -> None:
    async def main() -> tuple[int, int]:
        controller = Controller()
        listener = await controller.listen("127.0.0.1", 0, versions={1})
        app = l2switch.LearningSwitch(controller, idle_timeout=60)
        app.start()
        lab.add_bridge("l2b", ports=2, protocols=["OpenFlow10"])
        host, port = listener.address
        await asyncio.to_thread(lab.set_controller, "l2b", f"tcp:{host}:{port}")
        await controller.wait_switch(timeout=20)
        await asyncio.to_thread(exercise, lab, "l2b", "OpenFlow10")
        app.stop()
        await controller.close()
        return app.packet_ins, app.flows_installed

    started = time.monotonic()
    packet_ins, flows = asyncio.run(asyncio.wait_for(main(), 60))
    assert (packet_ins, flows) == (3, 2), time.monotonic() - started


def test_addresses_on_the_command_line() -> None:
    assert parse_address("127.0.0.1:6653") == ("127.0.0.1", 6653)
    assert parse_address("[::1]:6633") == ("::1", 6633)
    assert parse_address("unix:/tmp/of.sock") == "/tmp/of.sock"
    for bad in ("6653", "host:", "host:99999", "unix:"):
        with pytest.raises(ValueError, match=bad.split(":")[0] or "unix"):
            parse_address(bad)


@pytest.mark.parametrize("version", [1, 4])
def test_templates_build_what_the_vocabulary_builds(version: int) -> None:
    templates = l2switch.Templates(version, priority=3, idle_timeout=30, hard_timeout=0)
    cases = [(1, b"\x00\x00\x00\x00\x00\x0a", b"\xff" * 6, 2, 0xFFFFFFFF),
             (0xFFFB if version == 1 else 0xFFFFFFFB, bytes(range(6)), bytes(range(6, 12)),
              7, 1234)]
    for in_port, src, dst, out_port, buffer_id in cases:
        flow = flow_mod(match(version, in_port=in_port, eth_src=src, eth_dst=dst),
                        [output(out_port)], priority=3, idle_timeout=30,
                        buffer_id=buffer_id, version=version)
        assert templates.flow(in_port, src, dst, out_port, buffer_id) == bytes(flow)
        for data in (b"", bytes(range(60))):
            out = packet_out(data, [output(out_port)], in_port=in_port, buffer_id=buffer_id,
                             version=version)
            assert templates.packet_out(in_port, out_port, buffer_id, data) == bytes(out)


def test_bad_command_lines_are_clear_errors() -> None:
    bad = subprocess.run([sys.executable, "-m", "vlcp_core.apps.l2switch", "--listen", "6653"],
                         capture_output=True, text=True, timeout=30)
    assert bad.returncode == 2
    assert "argument --listen: '6653': expected HOST:PORT or unix:PATH" in bad.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = subprocess.run([sys.executable, "-m", "vlcp_core.apps.l2switch", "--listen",
                               f"127.0.0.1:{port}"], capture_output=True, text=True, timeout=30)
    assert busy.returncode == 2 and "Traceback" not in busy.stderr
    assert f"error: cannot listen on ('127.0.0.1', {port}):" in busy.stderr
    assert "address already in use" in busy.stderr
