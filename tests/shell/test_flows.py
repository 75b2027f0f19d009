"""Flow commands against a real lab: what the shell adds is what ``ovs-ofctl dump-flows``
shows, line for line; the dumps print as ``ovs-ofctl`` prints them; bad input and the
switch's errors are shown clearly; large dumps stream part by part; ``expect``."""

from __future__ import annotations

import gc
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.shell._support import fails, normal, ofctl, ok, shell_on_lab
from workbench.shell import REGISTRY, Lines, Shell
from workbench.shell._expect import EXPECTATIONS, expectation
from workbench.shell._shell import Context


def _shell(versions: set[int] | None = None) -> Iterator[Shell]:
    yield from shell_on_lab(4, versions)


@pytest.fixture(scope="module")
def sh() -> Iterator[Shell]:
    yield from _shell()


@pytest.fixture(scope="module")
def sh10() -> Iterator[Shell]:
    yield from _shell({1})


@pytest.fixture
def s1(sh: Shell) -> Shell:
    ok(sh, "del-flows s1")
    assert sh.runtime.lab is not None
    sh.runtime.lab.ofctl("-O", "OpenFlow13", "del-groups", "s1")
    sh.runtime.lab.ofctl("-O", "OpenFlow13", "del-meters", "s1")
    return sh










# -- flows ---------------------------------------------------------------------------------

def test_flows_added_by_the_shell_are_what_ovs_ofctl_dumps(s1: Shell, tmp_path: Path) -> None:
    flows = tmp_path / "many.flows"
    flows.write_text("# a comment, then a blank line\n\n"
                     "table=1,priority=5,tcp,tp_dst=80,actions=drop\n"
                     "  cookie=0x42,idle_timeout=30,send_flow_rem,arp,actions=NORMAL\n"
                     "table=2,metadata=0x5/0xff,actions=write_metadata:0x1/0xff,goto_table:3\n")
    for line in ["add-flow s1 priority=10,in_port=1,actions=output:2",
                 "add-flow s1 priority=20 ip nw_dst=10.0.0.0/24 actions=output:3",
                 'add-flow s1 "priority=30, in_port=2, actions=mod_dl_src:00:00:00:00:00:07,'
                 'output:1"',
                 "add-flow s1 priority=0,actions=CONTROLLER:65535",
                 f"add-flows s1 {flows}",
                 "mod-flows s1 in_port=1,actions=output:4",
                 "mod-flows s1 --strict priority=0,actions=drop",
                 "del-flows s1 --strict priority=20,ip,nw_dst=10.0.0.0/24",
                 "del-flows s1 table=1,tcp"]:
        ok(s1, line)
    ours = ok(s1, "dump-flows s1")
    theirs = ofctl(s1, "dump-flows", "s1")
    assert normal(ours) == normal(theirs)
    assert len(normal(ours)) == 1 + 5, ours  # the header, then one line per flow
    assert "priority=10,in_port=1 actions=output:4" in ours
    assert " priority=0 actions=drop" in ours and "nw_dst=10.0.0.0/24" not in ours
    # a match narrows the dump, as it narrows ovs-ofctl's
    assert normal(ok(s1, "dump-flows s1 table=2")) == \
        normal(ofctl(s1, "dump-flows", "s1", "table=2"))
    ok(s1, "del-flows s1")
    assert normal(ok(s1, "dump-flows s1")) == ["OFPST_FLOW reply (OF1.3) (xid=X):"]


def test_openflow10_switch_dumps_as_ovs_ofctl_does(sh10: Shell) -> None:
    ok(sh10, "add-flow s1 priority=10,in_port=1,actions=output:2")
    ok(sh10, "add-flow s1 table=3,reg0=5,actions=drop")  # NXM: an NXT_FLOW_MOD
    ours = ok(sh10, "dump-flows s1")
    assert ours.startswith("NXST_FLOW reply (xid=")
    assert normal(ours) == normal(ofctl(sh10, "dump-flows", "s1", version="OpenFlow10"))
    ok(sh10, "expect flow s1 table=3,reg0=5,actions=drop")
    ok(sh10, "expect flows s1 count=1 in_port=1")
    tables = ok(sh10, "tables s1")
    assert normal(tables) == normal(ofctl(sh10, "dump-tables", "s1", version="OpenFlow10"))
    assert "(same features)" in tables and "exact match or wildcard: in_port eth_{src," in tables
    ports = ok(sh10, "dump-ports s1")
    assert normal(ports) == normal(ofctl(sh10, "dump-ports", "s1", version="OpenFlow10"))


def test_tables_and_ports_print_as_ovs_ofctl(s1: Shell, capsys: pytest.CaptureFixture[str]
                                             ) -> None:
    ok(s1, "add-flow s1 table=5,actions=drop")
    ok(s1, "add-flow s1 table=6,actions=drop")
    tables = ok(s1, "tables s1")
    assert normal(tables) == normal(ofctl(s1, "dump-tables", "s1"))
    assert "  table 6: ditto" in tables and "  tables 8...253: ditto" in tables
    assert normal(ok(s1, "dump-ports s1")) == normal(ofctl(s1, "dump-ports", "s1"))
    for ours, theirs in (("s1-eth2", "2"), ("3", "3"), ("LOCAL", "LOCAL")):
        assert normal(ok(s1, f"dump-ports s1 {ours}")) == \
            normal(ofctl(s1, "dump-ports", "s1", theirs))
    assert "has no port 'eth9' (ports: s1, s1-eth1" in fails(s1, "dump-ports s1 eth9", capsys)
    assert "dump-ports takes a switch and one port" in fails(s1, "dump-ports s1 1 2", capsys)
    assert "tables takes one switch" in fails(s1, "tables s1 s2", capsys)
    assert "missing arguments: usage: tables SW" in fails(s1, "tables", capsys)
    assert "switch 's7' is not connected" in fails(s1, "tables s7", capsys)


def test_bad_flows_show_the_column(s1: Shell, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    err = fails(s1, "add-flow s1 ip,nw_dsst=10.0.0.1,actions=drop", capsys)
    assert 'bad flow: unknown field "nw_dsst" at column 4 (did you mean nw_dst?)' in err
    assert "\n  ip,nw_dsst=10.0.0.1,actions=drop\n     ^\n" in err  # the caret at column 4
    assert "missing actions=" in fails(s1, "add-flow s1 in_port=1", capsys)
    assert "missing arguments: usage: add-flow SW FLOW" in fails(s1, "add-flow s1", capsys)
    assert "unknown option '--strikt' (options: --strict)" in fails(
        s1, "mod-flows s1 --strikt in_port=1,actions=drop", capsys)
    assert "actions are not allowed" in fails(s1, "del-flows s1 in_port=1,actions=drop", capsys)
    assert "unknown option '--strict'" in fails(s1, "add-flow s1 --strict actions=drop", capsys)
    assert "bad match: nw_dst at column 1 needs ip" in fails(
        s1, "dump-flows s1 nw_dst=10.0.0.1", capsys)
    assert "switch 's5' is not connected" in fails(s1, "del-flows s5", capsys)
    bad = tmp_path / "bad.flows"
    bad.write_text("# header\npriority=1,actions=drop\n\n  in_port=1,nw_dsst=1,actions=drop\n")
    err = fails(s1, f"add-flows s1 {bad}", capsys)
    assert f"{bad}:4: column 13: unknown field \"nw_dsst\" (did you mean nw_dst?)" in err, err
    assert "\n    in_port=1,nw_dsst=1,actions=drop\n              ^\n" in err
    assert normal(ok(s1, "dump-flows s1")) == ["OFPST_FLOW reply (OF1.3) (xid=X):"]  # none sent
    assert "cannot read" in fails(s1, f"add-flows s1 {tmp_path / 'none.flows'}", capsys)
    assert "add-flows takes a switch and one file" in fails(s1, f"add-flows s1 {bad} x", capsys)


def test_switch_errors_are_decoded(s1: Shell, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    err = fails(s1, "add-flow s1 table=254,actions=drop", capsys)  # OVS's hidden table
    assert "switch s1 refused add-flow 'table=254,actions=drop': " \
        "OFPET_BAD_REQUEST/OFPBRC_EPERM for ofp_flow_mod" in err, err
    err = fails(s1, "add-flow s1 actions=group:99", capsys)
    assert "OFPET_BAD_ACTION/OFPBAC_BAD_OUT_GROUP" in err
    ok(s1, "add-flow s1 priority=9,actions=drop")
    err = fails(s1, "mod-flows s1 actions=meter:7,output:1", capsys)
    assert "OFPET_METER_MOD_FAILED/OFPMMFC_INVALID_METER" in err
    partly = tmp_path / "partly.flows"
    partly.write_text("actions=output:1\ntable=254,actions=drop\npriority=3,actions=drop\n")
    err = fails(s1, f"add-flows s1 {partly}", capsys)
    assert "switch s1 refused 1 of 3 flows:" in err
    assert f"{partly}:2: OFPET_BAD_REQUEST/OFPBRC_EPERM" in err
    ok(s1, "expect flows s1 count=3")  # the others went in


def test_script_mode_names_the_flow_file_line(tmp_path: Path) -> None:
    flows = tmp_path / "f.flows"
    flows.write_text("priority=1,actions=drop\nip,nw_src=10.0.0.300,actions=drop\n")
    script = tmp_path / "s.vlcp"
    script.write_text(f"wait-switch s1\nadd-flows s1 {flows}\n")
    result = subprocess.run([sys.executable, "-m", "workbench.shell", "--listen",
                             "127.0.0.1:0", "--lab", "-f", str(script)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"{script}:2: error: {flows}:2: column " in result.stderr, result.stderr


# -- streaming ------------------------------------------------------------------------------

def test_dump_of_10000_flows_streams_part_by_part(s1: Shell, tmp_path: Path) -> None:
    flows = tmp_path / "10k.flows"
    flows.write_text("".join(f"priority={n + 1},ip,nw_src=10.0.{n >> 8}.{n & 255},"
                             f"actions=output:{1 + n % 4}\n" for n in range(10_000)))
    assert s1.runtime.lab is not None
    s1.runtime.lab.ofctl("-O", "OpenFlow13", "add-flows", "s1", str(flows))
    context = Context(s1.runtime, s1, s1.options)
    start = time.perf_counter()
    arrivals: list[float] = []
    parts: list[Lines] = []
    for item in REGISTRY.get("dump-flows").handler(context, ["s1"]):
        arrivals.append(time.perf_counter() - start)
        parts.append(item)
    assert len(parts) > 1  # one item per reply part, each printed as it came
    assert arrivals[0] < arrivals[-1]
    assert all(p.lines[0].endswith("flags=[more]") for p in parts[:-1])
    assert not parts[-1].lines[0].endswith("flags=[more]")
    assert sum(len(p.lines) - 1 for p in parts) == 10_000
    ours = [line for p in parts for line in p.lines[1:]]
    theirs = ofctl(s1, "dump-flows", "s1")
    assert normal("\n".join(ours)) == [line for line in normal(theirs) if "reply" not in line]
    # a reader that stops after the first part leaves nothing behind
    thresholds = gc.get_threshold()
    stream = REGISTRY.get("dump-flows").handler(context, ["s1"])
    assert next(stream).lines[0].endswith("flags=[more]")
    stream.close()
    assert gc.get_threshold() == thresholds
    assert not s1.runtime.switch("s1").statistics().connection.reading_paused
    ok(s1, "expect flows s1 count=10000")


# -- expect -----------------------------------------------------------------------------------

def test_expect_flows_and_flow(s1: Shell, capsys: pytest.CaptureFixture[str]) -> None:
    ok(s1, "add-flow s1 priority=10,in_port=1,actions=output:2")
    ok(s1, "add-flow s1 priority=20,ip,in_port=1,actions=output:3")
    ok(s1, "add-flow s1 table=1,actions=drop")
    for line in ["expect flows s1 count=3", "expect flows s1 count=2 in_port=1",
                 "expect flows s1 count=1 table=1", "expect flows s1 count=0 in_port=4",
                 "expect flow s1 in_port=1", "expect flow s1 priority=10,in_port=1",
                 "expect flow s1 priority=10,in_port=1,actions=output:2",
                 "expect flow s1 ip in_port=1 actions=output:3", "expect flow s1 table=1"]:
        assert ok(s1, line) == "", line
    err = fails(s1, "expect flows s1 count=2", capsys)
    assert "expected 2 flows on s1, found 3:" in err and "priority=10,in_port=1" in err
    err = fails(s1, "expect flows s1 count=5 in_port=1", capsys)
    assert "expected 5 flows on s1 matching 'in_port=1', found 2" in err
    err = fails(s1, "expect flow s1 priority=11,in_port=1", capsys)
    assert "no flow on s1 is priority=11,in_port=1; flows with that match:" in err
    assert "priority=10,in_port=1 actions=output:2" in err
    err = fails(s1, "expect flow s1 in_port=1,actions=output:9", capsys)
    assert "no flow on s1 is in_port=1,actions=output:9" in err
    assert "none has that match" in fails(s1, "expect flow s1 in_port=3", capsys)
    assert "give count=N once" in fails(s1, "expect flows s1", capsys)
    assert "the count is not a number" in fails(s1, "expect flows s1 count=x", capsys)
    assert "unknown expectation 'flwos'; did you mean 'flows'?" in fails(
        s1, "expect flwos s1 count=1", capsys)
    assert "expect what?" in fails(s1, "expect", capsys)
    assert 'unknown field "in_prt"' in fails(s1, "expect flow s1 in_prt=1", capsys)


def test_expect_flows_within_waits_for_flows_added_later(
        s1: Shell, capsys: pytest.CaptureFixture[str]) -> None:
    import threading

    def add_later() -> None:
        time.sleep(0.5)
        ofctl(s1, "add-flow", "s1", "priority=30,in_port=2,actions=output:1")

    adder = threading.Thread(target=add_later)
    adder.start()
    try:
        err = fails(s1, "expect flows s1 count=1", capsys)  # not yet, and no wait
        assert "expected 1 flows on s1, found 0" in err and "waited" not in err
        ok(s1, "expect flows s1 count=1 within 5s")
        ok(s1, "expect flow s1 priority=30,in_port=2,actions=output:1 within 1s")
    finally:
        adder.join()
    err = fails(s1, "expect flow s1 in_port=3 within 300ms", capsys)
    assert "none has that match (waited 0.3 s)" in err
    assert "a time is like 2s" in fails(s1, "expect flows s1 count=1 within soon", capsys)


def test_expectations_registry_is_extensible(s1: Shell, capsys: pytest.CaptureFixture[str]
                                             ) -> None:
    seen: list[list[str]] = []

    @expectation("nothing-test")
    def _nothing(ctx: Context, args: list[str]) -> None:
        seen.append(args)
        if args != ["fine"]:
            from workbench.shell import CommandError
            raise CommandError("not fine")

    try:
        assert ok(s1, "expect nothing-test fine") == ""
        assert "not fine" in fails(s1, "expect nothing-test bad", capsys)
        assert seen == [["fine"], ["bad"]]
        with pytest.raises(ValueError, match="registered twice"):
            expectation("flows")(_nothing)
    finally:
        del EXPECTATIONS["nothing-test"]


def test_ports_by_name_in_flows(s1: Shell) -> None:
    ok(s1, "add-flow s1 in_port=s1-eth1,actions=output:s1-eth2")
    ok(s1, 'add-flow s1 "priority=5,in_port=s1-eth3 actions=s1-eth4,LOCAL"')
    dumped = ofctl(s1, "dump-flows", "s1")
    assert "in_port=1 actions=output:2" in dumped
    assert "priority=5,in_port=3 actions=output:4,LOCAL" in dumped
    ok(s1, "del-flows s1 in_port=s1-eth1")
    assert "in_port=1 " not in ofctl(s1, "dump-flows", "s1")
