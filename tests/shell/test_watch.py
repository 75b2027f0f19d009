"""watch, watches, unwatch and expect packet-in/port-status against a real lab:
lines for real events, filters that select, a flood rate-limited with the skipped
count shown, watches that end, expectations that wait and fail clearly, bad input
for each command."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.shell._support import Out, lab_runtime
from vlcp_core.openflow import flow_mod, match, output, v13
from vlcp_core.packet import eth, icmp, ipv4, udp
from workbench.runtime import Runtime
from workbench.shell import Shell


def frame(port: int, kind: str = "udp") -> bytes:
    head = eth(src=f"00:00:00:00:00:0{port}", dst="00:00:00:00:00:09") / ipv4(
        src=f"10.0.0.{port}", dst="10.0.0.9")
    return bytes(head / (udp(sport=5, dport=9) if kind == "udp" else icmp()))



@pytest.fixture(scope="module")
def runtime() -> Iterator[Runtime]:
    with lab_runtime(1, 3) as runtime:
        assert runtime.controller is not None
        switch = runtime.call(runtime.controller.wait_switch(timeout=10))
        runtime.call(switch.request(flow_mod(match(), [output("CONTROLLER", max_len=0xFFFF)],
                                             priority=0, version=4)))
        yield runtime


@pytest.fixture
def shell(runtime: Runtime) -> Iterator[Shell]:
    shell = Shell(runtime, out=Out())
    yield shell
    shell.close()


def out(shell: Shell) -> str:
    written: Any = shell.out
    return str(written.text)


def run(shell: Shell, line: str) -> str:
    before = len(out(shell))
    assert shell.execute(line), line
    return out(shell)[before:]


def error(shell: Shell, line: str, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert not shell.execute(line), f"{line!r} should fail"
    return capsys.readouterr().err


def wait_for(test: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not test():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def lines_of(shell: Shell, number: int) -> list[str]:
    return [line for line in out(shell).splitlines() if line.startswith(f"[{number}] ")]


def inject(runtime: Runtime, port: int, *frames: bytes) -> None:
    assert runtime.lab is not None
    runtime.lab.inject(f"s1-eth{port}", *frames)


def test_packet_in_lines_filters_and_unwatch(runtime: Runtime, shell: Shell) -> None:
    assert run(shell, "watch packet-in s1 in_port=2") == "watch 1: packet-in s1 in_port=2\n"
    run(shell, "watch packet-in icmp nw_src=10.0.0.3")
    run(shell, "watch packet-in s1 reason=no_match table=0 in_port=s1-eth3")
    inject(runtime, 1, frame(1))
    inject(runtime, 2, frame(2))
    inject(runtime, 3, frame(3, "icmp"), frame(3))
    wait_for(lambda: len(lines_of(shell, 3)) == 2 and lines_of(shell, 1)
             and lines_of(shell, 2))
    time.sleep(0.2)  # nothing else comes
    first = lines_of(shell, 1)
    assert len(first) == 1
    assert first[0].startswith("[1] s1 packet-in table_id=0 cookie=0x0 total_len=42 "
                               "in_port=2 (via no_match) data_len=42 udp,vlan_tci=0x0000,"
                               "dl_src=00:00:00:00:00:02,dl_dst=00:00:00:00:00:09,"
                               "nw_src=10.0.0.2,nw_dst=10.0.0.9,"), first
    assert "tp_src=5,tp_dst=9" in first[0]
    second = lines_of(shell, 2)
    assert len(second) == 1 and "in_port=3" in second[0] and " icmp," in second[0]
    table = run(shell, "watches").splitlines()
    assert table[0].split() == ["id", "event", "filters", "seen", "shown", "skipped"]
    assert table[2].split() == ["1", "packet-in", "s1", "in_port=2", "1", "1", "0"]
    assert table[3].split()[-3:] == ["1", "1", "0"] and table[4].split()[-3:] == ["2", "2", "0"]

    run(shell, "unwatch 1")
    inject(runtime, 2, frame(2))
    wait_for(lambda: len(lines_of(shell, 3)) == 2 and run(shell, "watches").count("\n") == 4)
    assert len(lines_of(shell, 1)) == 1  # ended: no more lines
    assert "\n1 " not in run(shell, "watches")
    run(shell, "unwatch all")
    assert run(shell, "watches").count("\n") == 2  # the header only


def test_a_flood_is_rate_limited_with_the_skipped_count(runtime: Runtime,
                                                         shell: Shell) -> None:
    run(shell, "watch packet-in s1 in_port=1")
    run(shell, "set watch_rate 5")
    run(shell, "watch packet-in s1 in_port=2")
    inject(runtime, 2, *[frame(2)] * 300)
    inject(runtime, 1, frame(1))
    wait_for(lambda: any("skipped" in line for line in lines_of(shell, 2)))
    wait_for(lambda: bool(lines_of(shell, 1)))
    run(shell, "unwatch 2")  # shows what it has not shown yet, and the last count
    rows = {row.split()[0]: row.split() for row in run(shell, "watches").splitlines()[2:]}
    assert rows["1"][-3:] == ["1", "1", "0"]  # its own budget: 20 a second
    lines = lines_of(shell, 2)
    shown = [line for line in lines if "skipped" not in line]
    skipped = [int(m.group(1)) for line in lines
               if (m := re.search(r"\.\.\. (\d+) more packet-in events skipped", line))]
    assert skipped and 5 <= len(shown) <= 15, lines  # 5 a second, for a second or two
    assert len(shown) + sum(skipped) >= 290  # everything is counted, a few may be late
    assert len(lines_of(shell, 1)) == 1


def test_message_error_port_status_ovsdb_switch(runtime: Runtime, shell: Shell) -> None:
    assert runtime.lab is not None
    switch = runtime.switch("s1")
    run(shell, "watch message s1 type=OFPT_ECHO_REQUEST dir=out")
    run(shell, "watch error s1 type=flow_mod_failed")
    run(shell, "watch port-status s1 reason=add")
    run(shell, "watch ovsdb Port kind=insert,delete name=s1-eth7")
    run(shell, "watch switch")
    run(shell, "watch flow-removed s1")
    runtime.call(switch.request(v13.ofp_echo_request(xid=0x77, data=b"ping")))
    switch.send(v13.ofp_flow_mod(table_id=254, command=7))  # refused: no request waits
    runtime.lab.add_port("s1", "s1-eth7", 7)
    arp_flow = flow_mod(match(in_port=3, eth_type=0x0806), [output(1)], priority=5,
                        idle_timeout=1, flags=1, version=4)  # flags: send FLOW_REMOVED
    runtime.call(switch.request(arp_flow))
    wait_for(lambda: all(lines_of(shell, n) for n in (1, 2, 3, 4)))
    assert lines_of(shell, 1)[0] == "[1] s1 out OFPT_ECHO_REQUEST xid=0x77 len=12"
    assert re.match(r"\[2\] s1 error OFPET_FLOW_MOD_FAILED OFPFMFC_BAD_COMMAND "
                    r"\(for OFPT_FLOW_MOD\) xid=0x[0-9a-f]+$", lines_of(shell, 2)[0])
    assert lines_of(shell, 3)[0].startswith("[3] s1 port-status ADD port 7 (s1-eth7) addr=")
    assert re.match(r"\[4\] ovsdb Port insert [0-9a-f]{8} name=s1-eth7$", lines_of(shell, 4)[0])
    runtime.lab.add_bridge("s2", ports=1)
    runtime.lab.set_controller("s2", runtime.lab.vsctl("get-controller", "s1").strip())
    wait_for(lambda: bool(lines_of(shell, 5)))
    assert re.match(r"\[5\] s2 up: OpenFlow 1\.3 from 127\.0\.0\.1:\d+$", lines_of(shell, 5)[0])
    runtime.lab.del_bridge("s2")
    wait_for(lambda: len(lines_of(shell, 5)) == 2)
    assert lines_of(shell, 5)[1].startswith("[5] s2 down: ")
    wait_for(lambda: bool(lines_of(shell, 6)), 4.0)  # the idle timeout of 1 s
    assert lines_of(shell, 6)[0].startswith("[6] s1 flow-removed reason=IDLE_TIMEOUT "
                                            "table_id=0 cookie=0x0 priority=5 ")
    assert lines_of(shell, 6)[0].endswith(" in_port=3,eth_type=0x0806")
    runtime.lab.vsctl("del-port", "s1", "s1-eth7")
    wait_for(lambda: len(lines_of(shell, 4)) == 2)
    assert " delete " in lines_of(shell, 4)[1]


def test_expect_packet_in_and_port_status(runtime: Runtime, shell: Shell,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    run(shell, "last")  # recording starts
    inject(runtime, 3, frame(3))
    run(shell, "expect packet-in s1 in_port=3 within 2s")
    message = error(shell, "expect packet-in s1 in_port=3 within 200ms", capsys)
    assert "expected a packet-in s1 in_port=3 within 0.2 s; no packet-in came" in message
    inject(runtime, 1, frame(1))
    message = error(shell, "expect packet-in s1 in_port=3 udp within 0.3s", capsys)
    assert "1 other packet-in event(s) came, the last: s1 packet-in " in message
    assert "in_port=1 (via no_match)" in message
    later = threading.Timer(0.3, inject, (runtime, 3, frame(3)))
    later.start()
    started = time.monotonic()
    run(shell, "expect packet-in s1 in_port=3 udp tp_dst=9 within 3s")  # waits for it
    assert 0.2 < time.monotonic() - started < 2.5
    assert runtime.lab is not None
    runtime.lab.add_port("s1", "s1-eth8", 8)
    run(shell, "expect port-status s1 reason=add port=8 within 3s")
    runtime.lab.vsctl("del-port", "s1", "s1-eth8")
    run(shell, "expect port-status s1 reason=delete port=s1-eth8 within 3s")
    for line in ("expect packet-in in_port=3", "expect packet-in icmp within 1s"):
        assert "usage: expect packet-in SW [FILTERS] [within 2s]" in \
            error(shell, line, capsys)
    assert "a time is like 2s, 500ms or 1.5" in \
        error(shell, "expect packet-in s1 within soon", capsys)


def test_bad_input_then_json(runtime: Runtime, shell: Shell,
                             capsys: pytest.CaptureFixture[str]) -> None:
    cases = {
        "watch": "missing arguments: usage: watch EVENT [SW] [FILTERS] (events: packet-in,",
        "watch packet-out": "unknown event 'packet-out' (events: packet-in, port-status,",
        "watch packet-in s9": "switch 's9' is not connected",
        "watch packet-in s1 in_port=": "'in_port=': a filter is KEY=VALUE",
        "watch packet-in s1 color=red": "watch packet-in: unknown filter(s) color (filters:",
        "watch packet-in s1 reason=bored": "reason='bored': use a number or one of no_match,",
        "watch packet-in s1 table=one": "table='one' is not a number",
        "watch packet-in s1 tcp gopher": "gopher: not a protocol",
        "watch port-status s1 in_port=1": "watch port-status: unknown filter(s) in_port",
        "watch error type=oops": "type='oops': use a number or one of hello_failed,",
        "watch message s1 type=OFPT_NOPE": "type='OFPT_NOPE': not an OpenFlow message type",
        "watch message dir=sideways": "dir='sideways': use dir=in or dir=out",
        "watch ovsdb": "usage: watch ovsdb TABLE",
        "watch ovsdb Bridgez": "has no table 'Bridgez'",
        "watch ovsdb Interface colour=red": "Interface has no column(s) colour (columns:",
        "watch ovsdb Port kind=upsert": "kind=upsert: use insert, modify or delete",
        "watch switch s1 type=1": "watch switch: unknown filter(s) type",
        "unwatch": "usage: unwatch ID|all",
        "unwatch 42": "no watch '42' (watches: none)",
        "unwatch x": "no watch 'x' (watches: none)",
        "set watch_rate many": "watch_rate: 'many' is not a int",
    }
    for line, message in cases.items():
        assert message in error(shell, line, capsys), line
    run(shell, "set watch_rate 0")
    assert "watch_rate is 0: set it to 1 or more" in error(shell, "watch switch", capsys)
    assert run(shell, "watches").count("\n") == 2  # nothing half-made was left
    run(shell, "set watch_rate 3")
    shell.fmt = "json"  # the first watch that works is number 1
    assert run(shell, "watch message s1 type=20 dir=out") == \
        '"watch 1: message s1 type=20 dir=out"\n'
    runtime.call(runtime.switch("s1").barrier())
    wait_for(lambda: '{"watch": 1, "line": "s1 out OFPT_BARRIER_REQUEST xid=' in out(shell))


def test_script_mode_expectations_and_exit() -> None:
    commands = ["log 1", "watch switch", "watch packet-in s1", "watches",
                "add-flow s1 priority=0,actions=CONTROLLER:65535",
                f"lab inject s1-eth2 {frame(2).hex()}", "expect packet-in s1 in_port=2 within 2s",
                "expect packet-in s1 within 0.1s", "capture"]
    result = subprocess.run(
        [sys.executable, "-m", "workbench.shell", "--listen", "127.0.0.1:0", "--lab", "-c",
         "; ".join(commands)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "watch 1: switch\nwatch 2: packet-in s1\n" in result.stdout
    assert "[2] s1 packet-in table_id=0 cookie=0x0 total_len=42 in_port=2 " in result.stdout
    assert result.stderr == "-c:8: error: expected a packet-in s1 within 0.1 s; " \
        "no packet-in came\n"
    assert "no capture running" not in result.stdout  # the script stopped at line 8


def test_flow_removed_on_openflow10_after_the_nxm_flow_format() -> None:
    """dump-flows on a 1.0 switch sets the connection's flow format to NXM (as
    ovs-ofctl does on its own); OVS then reports removals as NXT_FLOW_REMOVED, which
    ``watch flow-removed`` shows like OFPT_FLOW_REMOVED."""
    with lab_runtime(1, 3, {1}) as runtime:
        shell = Shell(runtime, out=Out())
        try:
            run(shell, "dump-flows s1")  # the NXM preamble
            run(shell, "watch flow-removed s1")
            run(shell, "add-flow s1 table=2,priority=9,reg0=7,idle_timeout=1,send_flow_rem,"
                       "actions=drop")
            wait_for(lambda: bool(lines_of(shell, 1)), 5.0)
            line = lines_of(shell, 1)[0]
            assert line.startswith("[1] s1 flow-removed reason=IDLE_TIMEOUT table_id=2 "
                                   "cookie=0x0 priority=9 "), line
            assert line.endswith(" reg0=0x7"), line
        finally:
            shell.close()
