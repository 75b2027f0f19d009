"""decode, explain, last, log and capture against a real lab: the messages recorded
are the ones exchanged with Open vSwitch, decoded; explain's rows point at the
right bytes; a capture decodes in tshark as OpenFlow with consistent TCP streams;
bad input for each command is a clear error."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.shell._support import Out, lab_runtime
from vlcp_core.openflow import flow_mod, match, nicira, output, v10, v13
from vlcp_core.packet import eth, ipv4, udp
from workbench.runtime import Runtime
from workbench.shell import Shell
from workbench.shell._cmd_decode import Recorder, attach

FRAME = bytes(eth(src="00:00:00:00:00:01", dst="00:00:00:00:00:02")
              / ipv4(src="10.0.0.1", dst="10.0.0.2") / udp(sport=5, dport=9) / b"hello")



@pytest.fixture(scope="module")
def runtime() -> Iterator[Runtime]:
    with lab_runtime(1, 3) as runtime:
        assert runtime.controller is not None
        runtime.call(runtime.controller.wait_switch(timeout=10))
        yield runtime


@pytest.fixture
def shell(runtime: Runtime) -> Iterator[Shell]:
    shell = Shell(runtime, out=Out())
    yield shell
    shell.close()


def run(shell: Shell, line: str) -> str:
    """Run *line*, which must succeed; what it printed."""
    out: Any = shell.out
    before = len(out.text)
    assert shell.execute(line), line
    return str(out.text[before:])


def error(shell: Shell, line: str, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert not shell.execute(line), f"{line!r} should fail"
    return capsys.readouterr().err


def columns(table: str) -> list[list[str]]:
    """The cells of a rendered table, cut where the dashes under the header are."""
    lines = table.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("-"))
    spans, start = [], 0
    for dashes in lines[at].split("  "):
        spans.append((start, start + len(dashes)))
        start += len(dashes) + 2
    return [[line[a:b].strip() for a, b in spans] for line in lines[at + 1:]]


def wait_for(test: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not test():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def traffic(runtime: Runtime) -> None:
    """A table-miss flow to the controller, then one PACKET_IN from port 2."""
    switch = runtime.switch("s1")
    runtime.call(switch.request(flow_mod(match(), [output("CONTROLLER", max_len=0xFFFF)],
                                         priority=0, version=4)))
    assert runtime.lab is not None
    runtime.lab.inject("s1-eth2", FRAME)


def test_last_log_decode_explain_of_real_messages(runtime: Runtime, shell: Shell) -> None:
    assert "(no OpenFlow message recorded yet)" in run(shell, "last")
    recorder = attach(shell)
    traffic(runtime)
    wait_for(lambda: any(r.data[1] == 10 for r in recorder.recent()))
    lines = run(shell, "last 4").splitlines()
    assert len(lines) == 4
    assert " out s1 OFPT_FLOW_MOD " in lines[0] and "OFPFC_ADD table_id=0 priority=0" in lines[0]
    assert " out s1 OFPT_BARRIER_REQUEST " in lines[1]
    assert " in  s1 OFPT_BARRIER_REPLY " in lines[2]
    assert " in  s1 OFPT_PACKET_IN xid=0x0 len=" in lines[3]
    assert "in_port=2 (via no_match)" in lines[3] and "udp," in lines[3] and "tp_dst=9" in lines[3]

    tree = run(shell, "decode last")
    assert "type: OFPT_PACKET_IN" in tree and "reason: OFPR_NO_MATCH" in tree
    assert "in_port: 2" in tree and "src: 00:00:00:00:00:01" in tree and "dst: 10.0.0.2" in tree
    assert "udp_header:" in tree and "dport: 9" in tree
    assert "type: OFPT_BARRIER_REPLY" in run(shell, "decode last 2")
    # a recorded message chosen by filters, newest (last) or oldest kept (first)
    assert "type: OFPT_FLOW_MOD" in run(shell, "decode last type=FLOW_MOD")
    assert "type: OFPT_FLOW_MOD" in run(shell, "decode first s1 dir=out")  # since attach
    assert "type: OFPT_BARRIER_REPLY" in run(shell, "decode first dir=in")
    assert "type: OFPT_PACKET_IN" in run(shell, "decode first type=PACKET_IN")
    assert run(shell, "explain last s1 type=BARRIER_REQUEST").startswith("ofp_barrier_request")

    # explain: every row's bytes are the message's bytes at that offset
    data = recorder.recent(1)[0].data
    table = run(shell, "explain last")
    assert table.splitlines()[0] == f"ofp_packet_in ({len(data)} bytes)"
    rows = columns(table)
    for offset, hexes, _, _ in rows:
        got = bytes.fromhex(hexes)
        assert got == data[int(offset, 16):int(offset, 16) + len(got)], (offset, hexes)
    paths = [path for _, _, path, _ in rows if path]
    assert "data.udp_header.dport" in paths and "data.ipv4_header.src" in paths
    assert "match.oxm_fields[0].value" in paths

    log = run(shell, "log type=FLOW_MOD")
    assert log.splitlines()[0].split() == ["time", "dir", "switch", "type", "xid", "len",
                                           "detail"]
    assert "OFPT_FLOW_MOD" in log and "OFPT_PACKET_IN" not in log
    assert all(" in " in line for line in run(shell, "log s1 dir=in").splitlines()[2:])
    assert len(run(shell, "log 2").splitlines()) == 4

    shell.fmt = "json"
    decoded = json.loads(run(shell, "decode last"))
    assert decoded["data"]["udp_header"]["dport"] == 9
    assert decoded["match"]["oxm_fields"] == {"in_port": 2}
    assert json.loads(run(shell, "log 1"))[0]["type"] == "OFPT_PACKET_IN"


def test_recorder_cuts_stream_chunks_into_messages(runtime: Runtime) -> None:
    switch = runtime.switch("s1")
    messages = [bytes(v13.ofp_echo_request(xid=7, data=b"x" * 3)),
                bytes(flow_mod(match(in_port=1), [output(2)], version=4)),
                bytes(v13.ofp_barrier_request(xid=9))]
    stream = b"".join(messages)
    for cut in range(1, len(stream)):
        recorder = Recorder()
        recorder.tap(switch.connection, 1, "out", stream[:cut])
        recorder.tap(switch.connection, 1, "in", messages[2])  # the other direction
        recorder.tap(switch.connection, 1, "out", stream[cut:])
        got = [r.data for r in recorder.recent() if r.direction == "out"]
        assert got == messages, cut
    recorder.tap(switch.connection, 1, "end", b"")
    assert recorder.since(recorder.recent()[-2].seq) == recorder.recent()[-1:]


def test_decode_and_explain_hex(shell: Shell) -> None:
    echo10 = bytes(v10.ofp_echo_request(xid=3, data=b"hi")).hex()
    tree = run(shell, f"decode {echo10}")
    assert "_type: ofp_echo_request" in tree and "version: 1" in tree and "xid: 3" in tree
    nx = bytes(nicira.messages13.nxt_set_packet_in_format(format=2)).hex(":")
    assert "format: NXPIF_NXT_PACKET_IN2" in run(shell, f"decode {nx}")
    fm = bytes(flow_mod(match(eth_type=0x0800, ip_dst="10.0.0.0/24"), [output(2)],
                        priority=100, version=4))
    tree = run(shell, f"decode 0x{fm.hex()}")
    assert "command: OFPFC_ADD" in tree and "ip_dst: 10.0.0.0/24" in tree
    explained = run(shell, f"explain {fm.hex(' ')}")
    assert "match.oxm_fields[1].mask" in explained and "255.255.255.0" in explained
    frame = run(shell, f"decode {FRAME.hex()}")
    assert frame.startswith("ethernet:") and "summary: udp,vlan_tci=0x0000" in frame
    rows = run(shell, f"explain {FRAME.hex()}")
    assert rows.startswith(f"Ethernet frame ({len(FRAME)} bytes): udp,")
    cells = columns(rows)
    assert ["002a", "68 65 6c 6c 6f", "payload", "5 bytes"] in cells  # b"hello" at 42
    assert ["0024", "00 09", "udp_header.dport", "9"] in cells


def test_capture_decodes_in_tshark(runtime: Runtime, shell: Shell, tmp_path: Path) -> None:
    pcap = tmp_path / "channel.pcap"
    run(shell, f"capture start {pcap}")
    assert "capturing to" in run(shell, "capture")
    traffic(runtime)
    switch = runtime.switch("s1")
    big = v13.ofp_echo_request(data=bytes(40000))  # more than one TCP segment
    runtime.call(switch.request(big))
    recorder = attach(shell)
    wait_for(lambda: recorder.capture is not None and recorder.capture.messages >= 6)
    assert "messages in" in run(shell, "capture stop")
    fields = subprocess.run(
        ["tshark", "-r", str(pcap), "-T", "fields", "-e", "tcp.dstport", "-e",
         "openflow_v4.type", "-e", "openflow_v4.length", "-e", "tcp.analysis.flags",
         "-e", "_ws.malformed", "-e", "_ws.expert.severity"],
        capture_output=True, text=True, timeout=30)
    assert fields.returncode == 0, fields.stderr
    rows = [line.split("\t") for line in fields.stdout.splitlines()]
    assert rows[0][0] == "6653"  # the synthetic SYN, to the controller's port
    types = [int(t) for row in rows for t in row[1].split(",") if t]
    assert types[:2] == [14, 20] and 10 in types[2:4] and 21 in types[2:4], types
    lengths = [int(n) for row in rows for n in row[2].split(",") if n]
    assert lengths.count(40008) == 2  # the big echo and its reply, reassembled
    # no lost, repeated or out-of-order segments; nothing malformed; no warnings
    assert all(row[3] == "" and row[4] == "" for row in rows), rows
    assert all(int(s or 0) < 0x00600000 for row in rows for s in row[5].split(",")), rows


def test_bad_input(shell: Shell, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "missing arguments: usage: decode HEX|last|first [K] [SW] [type=T] [dir=in|out]" \
        in error(shell, "decode", capsys)
    assert "'z' at hex digit 3 is not a hex digit" in error(shell, "decode 01z2", capsys)
    assert "3 hex digits: an odd number" in error(shell, "explain 010", capsys)
    assert "4 bytes are neither an OpenFlow message (its header says 2 bytes)" in \
        error(shell, "decode 01020002", capsys)
    assert "neither an OpenFlow message nor an Ethernet frame" in \
        error(shell, "explain 0102", capsys)
    assert "no OpenFlow message recorded yet" in error(shell, "decode last", capsys)
    assert "0: the number of messages must be at least 1" in \
        error(shell, "explain last 0", capsys)
    assert "switch 'x' is not connected" in error(shell, "decode last x", capsys)
    assert "no matching message recorded yet" in error(
        shell, "decode last type=ROLE_REQUEST", capsys)
    assert "not an OpenFlow message type" in error(shell, "explain first type=BOGUS", capsys)
    assert "'x' is not a number of messages" in error(shell, "last x", capsys)
    assert "must be at least 1" in error(shell, "last 0", capsys)
    assert "unknown filter 'bogus'" in error(shell, "log bogus=1", capsys)
    assert "use dir=in or dir=out" in error(shell, "log dir=up", capsys)
    assert "switch 's9' is not connected" in error(shell, "log s9", capsys)
    assert "no capture running" in run(shell, "capture")
    assert "no capture is running" in error(shell, "capture stop", capsys)
    assert "usage: capture start FILE.pcap" in error(shell, "capture start", capsys)
    assert "cannot write /nonexistent/x.pcap" in \
        error(shell, "capture start /nonexistent/x.pcap", capsys)
    runtime = shell.runtime
    run(shell, "capture start /dev/full")  # a full disk: the capture stops, and says why
    runtime.call(runtime.switch("s1").request(v13.ofp_echo_request(data=bytes(30000))))
    assert "the capture stopped: /dev/full: [Errno 28] No space left on device" in \
        error(shell, "capture", capsys)
    assert "no capture running" in run(shell, "capture")
    run(shell, f"capture start {tmp_path / 'a.pcap'}")
    assert "'capture stop' first" in error(shell, f"capture start {tmp_path / 'b'}", capsys)
    assert "use 'capture start FILE.pcap' or 'capture stop'" in \
        error(shell, "capture pause", capsys)
    shell.close()  # the capture ends with the shell: the file is whole
    assert (tmp_path / "a.pcap").stat().st_size == 24
