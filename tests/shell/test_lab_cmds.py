"""The lab and app commands against a real lab: start and stop, frames injected
reach the wire, namespace hosts ping each other through the switch (as root), apps
run on the controller and stop; bad input is an error naming what is wrong."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import time
from collections.abc import Iterator

import pytest

from vlcp_core.packet import read_pcap
from workbench.lab import wait_for
from workbench.runtime import Runtime
from workbench.shell import Shell

from .test_ovsdb_cmds import Output

ROOT = os.geteuid() == 0


async def main(controller: object, *, delay: float = 0.0) -> None:
    """An app that fails after *delay* seconds (``app start tests.shell.test_lab_cmds``)."""
    await asyncio.sleep(delay)
    raise RuntimeError(f"a late failure after {delay} s")


class Session:
    def __init__(self, runtime: Runtime, capsys: pytest.CaptureFixture[str]) -> None:
        self.out = Output()
        self.shell = Shell(runtime, out=self.out)
        self.capsys = capsys

    def ok(self, line: str) -> str:
        start = len(self.out.text)
        assert self.shell.execute(line), f"{line!r} failed: {self.capsys.readouterr().err}"
        return self.out.text[start:]

    def error(self, line: str) -> str:
        self.capsys.readouterr()
        assert not self.shell.execute(line), f"{line!r} should fail"
        err = self.capsys.readouterr().err
        assert err.startswith("error: ") and "internal error" not in err, err
        return err


@pytest.fixture
def session(capsys: pytest.CaptureFixture[str]) -> Iterator[Session]:
    with Runtime() as runtime:
        runtime.listen("127.0.0.1", 0)
        made = Session(runtime, capsys)
        yield made
        made.shell.close()
        if runtime.lab is not None:
            runtime.lab.stop()


def namespaces() -> list[str]:
    listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    return [line.split()[0] for line in listed.splitlines() if line.strip()]


def test_start_status_stop(session: Session) -> None:
    assert "no lab is running: 'lab start'" in session.error("lab status")
    started = session.ok("lab start --bridges 2 --ports 2")
    assert re.match(r"lab lab-[0-9a-f]{8}: s1, s2 connected, 2 ports each", started)
    switches = session.ok("switches")
    assert re.search(r"^s1 ", switches, re.M) and re.search(r"^s2 ", switches, re.M)
    status = session.ok("lab status")
    assert "ovs-vswitchd: pid" in status and "- 2:s2-eth2" in status and "hosts: {}" in status
    assert "a lab is running already" in session.error("lab start")
    assert session.ok("list-br") == "s1\ns2\n"
    lab = session.shell.runtime.lab
    assert lab is not None
    session.ok("lab stop")
    assert not lab.running and session.shell.runtime.lab is None
    assert session.shell.runtime.ovsdb is None
    assert "no OVSDB connection" in session.error("list-br")
    session.ok("lab start")
    assert "s1-eth4" in session.ok("list-ports s1")


def test_bad_lab_input(session: Session) -> None:
    bad = {
        "lab": "lab what? start, stop, inject, host, hosts, ping, trace or status",
        "lab begin": "unknown lab subcommand 'begin'",
        "lab start --ports": "--ports needs a number",
        "lab start --ports x": "--ports needs a number",
        "lab start --bridges 0": "--bridges 0: give 1 to 64",
        "lab start now": "unexpected 'now'",
        "lab stop": "no lab is running",
        "lab inject s1-eth1 00": "no lab is running",
    }
    for line, message in bad.items():
        assert message in session.error(line), line
    session.ok("lab start --ports 2")
    bad = {
        "lab inject s1-eth9 ffffffffffff": "no lab port 's1-eth9' (ports: s1-eth1, s1-eth2)",
        "lab inject s1:7 ffffffffffff": "no lab port 's1:7'",
        "lab inject s1-eth1": "missing arguments: usage: lab inject PORT FRAME",
        "lab inject s1-eth1 eth(nope=1)": "eth: unknown field 'nope'",
        "lab inject s1-eth1 xyz": "'x' is not a hex digit",
        "lab ping h1": "usage: lab ping H1 H2",
        "lab ping h1 h2": "no host 'h1' (hosts: none; 'lab host' makes one)",
        "lab host h1 10.0.0.1": "give NAME, IP and PORT",
        "lab host h1 10.0.0.300 s1-eth1": "'10.0.0.300' is not an IPv4 address",
        "lab host 1h 10.0.0.1 s1-eth1": "host name '1h'",
        "lab host h1 10.0.0.1 s1-eth1 --mac zz": "--mac zz: write it as 02:00:00:00:00:01",
    }
    if not ROOT:
        bad = {line: "lab host needs root" if line.startswith("lab host") else message
               for line, message in bad.items()}
    for line, message in bad.items():
        err = session.error(line)
        assert message in err, (line, err)


def test_inject_hex_and_builder_frames(session: Session) -> None:
    session.ok("lab start --ports 2")
    lab = session.shell.runtime.lab
    assert lab is not None
    lab.ofctl("add-flow", "s1", "in_port=1,actions=output:2")
    pcap = lab.capture_pcap("s1-eth2")
    arp = ("ffffffffffff000000000001080600010800060400010000000000010a000001"
           "0000000000000a000002")
    session.ok(f"lab inject s1-eth1 {arp}")
    session.ok("lab inject s1:1 eth(src=00:00:00:00:00:01,dst=00:00:00:00:00:02)/"
               "ipv4(src=10.0.0.1,dst=10.0.0.2)/udp(sport=1,dport=9)/\"hello\"")
    frames = wait_for(lambda: (lambda got: got if len(got) == 2 else None)(
        [bytes(frame) for frame in read_pcap(pcap)]), timeout=5)
    assert frames[0].hex() == arp
    assert frames[1][:6] == bytes.fromhex("000000000002") and frames[1].endswith(b"hello")
    session.ok("expect sent s1-eth2 count=2 within 2s")
    session.ok("expect sent s1:2 count=2")
    err = session.error("expect sent s1-eth2 count=3 within 200ms")
    assert "expected s1-eth2 to have sent 3 frames, it sent 2 (waited 0.2 s)" in err, err
    assert "usage: expect sent PORT count=N" in session.error("expect sent s1-eth2 3")


def test_trace_shows_the_tables_a_packet_goes_through(session: Session) -> None:
    session.ok("lab start --ports 3")
    session.ok("add-flow s1 priority=5,in_port=1,udp,actions=resubmit(,2)")
    session.ok("add-flow s1 table=2,udp,udp_dst=53,actions=output:3")
    out = session.ok("lab trace s1 in_port=1,udp,udp_dst=53")
    assert " 0. udp,in_port=1, priority 5" in out and "resubmit(,2)" in out, out
    assert " 2. udp,tp_dst=53, priority 32768" in out and "output:3" in out, out
    assert "Datapath actions: 3" in out, out
    # ports by name, and the flow's words may be split by spaces as in ovs-ofctl
    assert "Datapath actions: drop" in session.ok("lab trace s1 in_port=s1-eth2 udp")
    assert "ofproto/trace refused" in session.error("lab trace s1 in_port=1,nosuchfield=3")
    assert "no lab bridge 's9'" in session.error("lab trace s9 in_port=1")
    assert "usage: lab trace BRIDGE FLOW" in session.error("lab trace s1")


def test_hosts_ping_through_the_switch(session: Session) -> None:
    session.ok("lab start --ports 3")
    if not ROOT:
        err = session.error("lab host h1 10.0.0.1 s1-eth1")
        assert "lab host needs root" in err and "dummy ports" in err
        return
    made = session.ok("lab host h1 10.0.0.1 s1-eth1")
    assert re.match(r"h1: 10\.0\.0\.1/24 \(02:00:0a:00:00:01\) in namespace "
                    r"vlcp-[0-9a-f]{8}-h1, on s1-eth1", made)
    session.ok("lab host h2 10.0.0.2/24 s1:2 --mac 02:00:00:00:00:22")
    assert "has a host already" in session.error("lab host h3 10.0.0.3 s1-eth1")
    assert "(it exists)" in session.error("lab host h1 10.0.0.3 s1-eth3")
    assert "is a host's port now" in session.error("lab inject s1-eth1 ffffffffffff")
    subprocess.run(["ip", "link", "add", "s1-eth3", "type", "veth", "peer", "name",
                    "vlcptestpeer"], check=True)
    try:
        err = session.error("lab host h3 10.0.0.3 s1-eth3")
        assert "a network device named s1-eth3 exists already on this machine" in err
        assert subprocess.run(["ip", "link", "show", "s1-eth3"],
                              capture_output=True).returncode == 0  # kept
        assert not [name for name in namespaces() if name.endswith("-h3")]
    finally:
        subprocess.run(["ip", "link", "del", "s1-eth3"], capture_output=True)
    hosts = session.ok("lab hosts")
    assert re.search(r"h2\s+10\.0\.0\.2/24\s+02:00:00:00:00:22\s+s1-eth2", hosts)
    lab = session.shell.runtime.lab
    assert lab is not None
    assert lab.vsctl("get", "Interface", "s1-eth1", "ofport", "type").split() == ["1", '""']
    err = session.error("lab ping h1 h2 --count 1")  # the switch has no flow yet
    assert "h1 -> h2 (10.0.0.2): 0/1 replies (100% loss)" in err
    lab.ofctl("add-flow", "s1", "actions=flood")
    shown = session.ok("lab ping h1 h2 --count 2")
    assert re.match(r"h1 -> h2 \(10\.0\.0\.2\): 2/2 replies, rtt min/avg/max [\d.]+/", shown)
    assert "h2 -> h1 (10.0.0.1): 1/1 replies" in session.ok("lab ping h2 h1 --count 1")
    netns = [name for name in namespaces() if name.endswith("-h1") or name.endswith("-h2")]
    assert len(netns) == 2
    session.ok("lab stop")
    assert not set(netns) & set(namespaces())
    link = subprocess.run(["ip", "link", "show", "s1-eth1"], capture_output=True)
    assert link.returncode != 0  # the veth went with its namespace


def test_hosts_are_removed_at_exit_and_ports_become_dummy_again(session: Session) -> None:
    if not ROOT:
        pytest.fail("this test runs as root (hosts need network namespaces); see "
                    "test_hosts_ping_through_the_switch for the non-root error")
    session.ok("lab start --ports 1")
    session.ok("lab host hx 10.9.0.1 s1-eth1")
    lab = session.shell.runtime.lab
    assert lab is not None
    session.shell.close()
    assert not [name for name in namespaces() if name.endswith("-hx")]
    assert lab.vsctl("get", "Interface", "s1-eth1", "type").strip() == "dummy"


def test_apps(session: Session) -> None:
    session.ok("lab start --ports 2")
    lab = session.shell.runtime.lab
    assert lab is not None
    assert session.ok("app start l2switch idle_timeout=30") == \
        "app l2switch started (vlcp_core.apps.l2switch, idle_timeout=30)\n"
    assert re.search(r"l2switch\s+vlcp_core\.apps\.l2switch\s+running", session.ok("apps"))
    assert "is running already" in session.error("app start l2switch")
    a, b = "000000000001", "000000000002"
    session.ok(f"lab inject s1-eth1 {b}{a}0800" + "00" * 46)
    session.ok(f"lab inject s1-eth2 {a}{b}0800" + "00" * 46)
    flows = wait_for(lambda: (lambda text: text if "dl_dst=00:00:00:00:00:01" in text
                              else None)(lab.ofctl("dump-flows", "s1")), timeout=5)
    assert "idle_timeout=30" in flows and "actions=output:1" in flows
    session.ok("app stop l2switch")
    assert "l2switch" not in session.ok("apps")
    bad = {
        "app": "usage: app start NAME",
        "app run l2switch": "usage: app start NAME",
        "app stop l2switch": "no app 'l2switch' (apps: none)",
        "app start nosuchapp": "cannot import app vlcp_core.apps.nosuchapp",
        "app start workbench.shell._render": "workbench.shell._render is no app",
        "app start l2switch idle-timeout=3": "option 'idle-timeout=3': write KEY=VALUE",
        "app start l2switch bogus=1":
            "app l2switch failed at start: TypeError:",
    }
    for line, message in bad.items():
        err = session.error(line)
        assert message in err, (line, err)
    listed = session.ok("apps")
    assert re.search(r"l2switch\s+vlcp_core\.apps\.l2switch\s+failed\s+TypeError", listed)
    assert not session.shell.runtime.errors  # said once, by the command
    # An app that fails later is reported (never lost) and shown as failed.
    session.ok(f"app start {__name__} delay=0.1")
    wait_for(lambda: session.shell.runtime.errors, timeout=5)
    assert session.shell.runtime.errors == [
        f"app {__name__} failed: RuntimeError: a late failure after 0.1 s"]
    assert re.search(r"failed\s+RuntimeError: a late failure", session.ok("apps"))
    session.ok("app start l2switch priority=5")  # a failed app may start again
    deadline = time.monotonic() + 2
    while "running" not in session.ok("apps") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "running" in session.ok("apps")
