"""Completion: the completer on prompt_toolkit documents (commands, subcommands,
options, switches, ports, tables, flow text, OVSDB tables and columns, paths), in a
real PromptSession fed by a pipe, and the snapshot and its refresher against a real
lab (switch s1, ports s1-eth1..3, the OVSDB schema of a real ovsdb-server).  The
completer never waits for a snapshot being built."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from prompt_toolkit import PromptSession
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from tests.shell._support import Out, lab_runtime
from vlcp_core.openflow.flowtext import flow_names
from workbench.prompt._completion import (
    CompletionData,
    CompletionRefresher,
    SwitchData,
    VlcpCompleter,
    snapshot,
)
from workbench.shell import REGISTRY, Registry, Shell

ROOT = Path(__file__).resolve().parent.parent.parent

# A snapshot written by hand, shaped as snapshot() makes them (checked against a real
# lab below), for the tests of the completer's logic.
DATA = CompletionData(
    switches=(SwitchData("s1", 0x1, {"s1-eth1": 1, "s1-eth2": 2, "s1": 0xFFFFFFFE},
                         tuple(range(254))),
              SwitchData("s2", 0x2, {"s2-eth1": 1}, tuple(range(4)))),
    ovsdb_tables={"Bridge": ("name", "fail_mode", "datapath_id", "other_config"),
                  "Interface": ("name", "ofport", "ofport_request", "type"),
                  "Open_vSwitch": ("bridges", "ovs_version")},
    records={"Bridge": ("s1", "s2"), "Interface": ("s1", "s1-eth1", "s1-eth2")},
    databases=("Open_vSwitch", "_Server"), watches=("1", "3"), monitors=("m1",),
    options=("timeout", "watch_rate"), apps=("l2switch",), hosts=("h1", "h2"))


def complete(line: str, data: CompletionData = DATA, cursor: int | None = None
             ) -> list[str]:
    completer = VlcpCompleter(REGISTRY, lambda: data)
    document = Document(line, len(line) if cursor is None else cursor)
    return [c.text for c in completer.get_completions(document, CompleteEvent())]


def replaced(line: str, data: CompletionData = DATA) -> dict[str, str]:
    """Each completion applied: the line it gives."""
    completer = VlcpCompleter(REGISTRY, lambda: data)
    out = {}
    for c in completer.get_completions(Document(line), CompleteEvent()):
        out[c.text] = line[:len(line) + c.start_position] + c.text
    return out


# -- commands, subcommands, options ---------------------------------------------------------

def test_command_names_come_from_the_registry() -> None:
    assert complete("dump-") == ["dump-flows", "dump-groups", "dump-meters", "dump-ports"]
    assert complete("") == REGISTRY.names()
    assert complete("sw") == ["switches"]
    assert complete("no-such-command ") == []
    assert complete("# a comment, dump") == []


def test_subcommands() -> None:
    assert complete("ovsdb l") == ["list", "list-dbs"]
    assert set(complete("ovsdb ")) >= {"list", "find", "get", "set", "monitor", "unmonitor",
                                       "transact", "tables"}
    assert complete("lab ") == sorted(["start", "stop", "inject", "host", "hosts", "ping",
                                       "trace", "status"])
    assert set(complete("watch ")) == {"packet-in", "port-status", "flow-removed", "error",
                                       "message", "ovsdb", "switch"}
    assert {"flows", "flow", "sent", "packet-in", "column"} <= set(complete("expect "))
    assert complete("app ") == ["start", "stop"]
    assert complete("capture s") == ["start", "stop"]
    assert complete("set-fail-mode s1 ") == ["standalone", "secure"]
    assert complete("decode ")[:2] == ["last", "first"]
    assert complete("decode last ") == ["s1", "s2", "type=", "dir="]
    assert complete("explain first 2 t") == ["type="]


def test_options_from_the_usage_strings() -> None:
    assert complete("del-flows s1 --") == ["--strict"]
    assert complete("mod-flows s1 priority=1,actions=drop --st") == ["--strict"]
    assert complete("wait-switch s1 --") == ["--timeout"]
    assert complete("wait-switch --timeout ") == []  # its value: nothing to offer
    assert complete("lab start --") == ["--bridges", "--ports"]
    assert complete("lab start --bridges 2 --") == ["--ports"]
    assert complete("ovsdb list --") == ["--columns=", "--if-exists"]
    assert complete("ovsdb monitor --db=_S") == ["_Server"]
    assert complete("add-br --") == ["--may-exist"]


def test_a_new_command_completes_from_its_usage_string_alone() -> None:
    registry = Registry()

    @registry.command("greet", "SW [PORT] [--loud] [times=N] [--style S]")
    def greet(ctx: object, args: list[str]) -> None:
        """Say hello to a port."""

    completer = VlcpCompleter(registry, lambda: DATA)

    def offered(line: str) -> list[str]:
        return [c.text for c in completer.get_completions(Document(line), CompleteEvent())]

    assert offered("gr") == ["greet"]
    assert offered("greet ") == ["s1", "s2", "times="]
    assert offered("greet s2 ") == ["s2-eth1", "times="]
    assert offered("greet s2 --") == ["--loud", "--style"]
    assert offered("greet --style fancy s1 s1-eth1 --") == ["--loud"]
    assert offered("greet s1 s1-eth1 ") == ["times="]  # nothing positional is left

    @registry.command("wave", "standalone|secure BRIDGE")
    def wave(ctx: object, args: list[str]) -> None:
        """Wave."""

    assert offered("wa") == ["wave"]  # registered later: seen at once
    assert offered("wave ") == ["secure", "standalone"]  # first words: subcommands
    assert offered("wave secure ") == ["s1", "s2"]


# -- switches, ports, tables -------------------------------------------------------------

def test_switch_names_and_datapath_ids() -> None:
    assert complete("dump-flows ") == ["s1", "s2"]
    assert complete("show s") == ["s1", "s2"]
    assert complete("show 0") == ["0x1", "0x2"]
    assert complete("wait-switch ") == ["s1", "s2"]
    assert "s1" in complete("log ") and "dir=" in complete("log ")
    assert complete("log s1 dir=") == ["in", "out"]


def test_ports_by_name_and_number() -> None:
    assert complete("dump-ports s1 ") == ["s1-eth1", "s1-eth2"]
    assert complete("dump-ports s2 ") == ["s2-eth1"]
    assert complete("dump-ports 0x2 ") == ["s2-eth1"]  # a datapath id names it too
    assert complete("add-flow s1 in_port=") == ["s1-eth1", "s1-eth2", "LOCAL", "CONTROLLER",
                                                "IN_PORT", "ANY"]
    assert complete("add-flow s1 in_port=1") == []  # 1: nothing longer
    assert complete("add-flow s1 in_port=s1-eth") == ["s1-eth1", "s1-eth2"]
    assert "s2-eth1" in complete("add-flow s2 priority=1,actions=output:")
    assert replaced("add-flow s1 priority=1,actions=drop,output:s1-e") == {
        "s1-eth1": "add-flow s1 priority=1,actions=drop,output:s1-eth1",
        "s1-eth2": "add-flow s1 priority=1,actions=drop,output:s1-eth2"}
    assert complete("lab inject ") == ["s1-eth1", "s1-eth2", "s2-eth1"]  # every switch's
    assert complete("expect sent s1-eth") == ["s1-eth1", "s1-eth2"]
    assert complete("watch packet-in s1 in_port=") == complete("add-flow s1 in_port=")
    assert complete("packet-out s1 in_port=1,actions=output:")[:2] == ["s1-eth1", "s1-eth2"]


def test_table_ids() -> None:
    assert complete("dump-flows s2 table=") == ["0", "1", "2", "3"]
    assert complete("add-flow s1 table=25") == [str(n) for n in range(250, 254)]
    assert complete("add-flow s2 priority=1,actions=goto_table:") == ["0", "1", "2", "3"]
    assert complete("add-flow s2 actions=resubmit(,") == ["0", "1", "2", "3"]
    assert complete("add-flow s2 actions=resubmit(s2") == ["s2-eth1"]  # a port first
    assert complete("watch flow-removed s2 table=") == ["0", "1", "2", "3"]


# -- flow text -----------------------------------------------------------------------------

def test_field_and_action_names_come_from_the_flow_language() -> None:
    words = flow_names()
    assert {"in_port", "nw_dst", "ip_dst", "tcp_dst", "reg0", "ct_state", "dl_vlan"} <= \
        set(words.fields)
    assert {"ip", "tcp", "arp", "eth"} <= set(words.shorthands) and "eth" not in words.fields
    assert {"priority", "table", "cookie", "idle_timeout"} <= set(words.keywords)
    assert {"send_flow_rem", "check_overlap"} <= set(words.flags)
    assert {"output", "drop", "resubmit", "goto_table", "learn", "ct"} <= set(words.actions)


def test_flow_text_is_comma_aware() -> None:
    assert complete("add-flow s1 ip,nw_d") == ["nw_dst="]
    assert replaced("add-flow s1 priority=1,ip,nw_d") == {
        "nw_dst=": "add-flow s1 priority=1,ip,nw_dst="}
    assert complete("add-flow s1 prio") == ["priority="]
    assert complete("add-flow s1 send_f") == ["send_flow_rem"]  # a flag: no '='
    assert complete("add-flow s1 tcp") == ["tcp", "tcp6", "tcp_dst=", "tcp_flags=",
                                           "tcp_src="][1:]  # 'tcp' itself is typed
    # A key given once is not offered again; spaces separate items as commas do.
    assert "priority=" not in complete("add-flow s1 priority=5,p")
    assert "priority=" not in complete('add-flow s1 "priority=5, ip, p')
    assert complete('add-flow s1 "priority=5, ip, nw_s') == ["nw_src="]
    # Actions after actions=, with the item after the last comma.
    assert complete("add-flow s1 in_port=1,actions=outp") == ["output"]
    assert complete("add-flow s1 in_port=1,actions=output:2,dr") == ["drop"]
    assert complete("add-flow s1 in_port=1 actions=mod_dl_src:00:00:00:00:00:01,out") == \
        ["output"]
    assert complete("add-flow s1 ip,actions=FL") == ["FLOOD"]  # the case typed
    assert complete("add-flow s1 actions=set_field:1->reg1") == [
        "reg10", "reg11", "reg12", "reg13", "reg14", "reg15"]
    # Match-only commands have no actions=.
    assert "actions=" in complete("add-flow s1 ip,")
    assert "actions=" not in complete("dump-flows s1 ip,")
    assert complete("del-flows s1 out_p") == ["out_port="]
    assert complete("expect flows s1 count=1 in_p") == ["in_port="]
    assert complete("packet-out s1 in_port=1 actions=out") == ["output"]


# -- OVSDB ---------------------------------------------------------------------------------

def test_ovsdb_tables_records_and_columns() -> None:
    assert complete("ovsdb list ") == ["Bridge", "Interface", "Open_vSwitch"]
    assert complete("ovsdb list --columns=name Int") == ["Interface"]
    assert complete("ovsdb get Bridge ") == ["s1", "s2"]
    assert complete("ovsdb get Interface s1-eth1 of") == ["ofport", "ofport_request"]
    assert complete("ovsdb get interface s1-eth1 of") == ["ofport", "ofport_request"]
    assert complete("ovsdb get Open_vSwitch ") == ["."]
    assert complete("ovsdb set Bridge s1 fail") == ["fail_mode="]
    assert complete("ovsdb find Interface of") == ["ofport", "ofport_request"]
    assert complete("ovsdb monitor Bridge name,") == ["fail_mode", "datapath_id",
                                                      "other_config"]
    assert complete("ovsdb monitor Bridge name,fa") == ["fail_mode"]
    assert complete("ovsdb unmonitor ") == ["all", "m1"]
    assert complete("ovsdb tables ") == ["Open_vSwitch", "_Server"]
    assert complete("watch ovsdb Int") == ["Interface"]
    assert complete("watch ovsdb Interface of") == ["ofport=", "ofport_request="]
    assert complete("add-br br0 fail") == ["fail_mode="]  # the Bridge's columns
    assert complete("add-port br0 p1 ofport") == ["ofport=", "ofport_request="]
    assert complete("expect column Bridge s1 fail") == ["fail_mode="]


def test_watches_options_apps_hosts_help() -> None:
    assert complete("unwatch ") == ["all", "1", "3"]
    assert complete("set ") == ["timeout", "watch_rate"]
    assert complete("app start ") == ["l2switch"]
    assert complete("lab ping h1 ") == ["h1", "h2"]
    assert complete("help dump-f") == ["dump-flows"]


def test_paths_for_source_and_add_flows(tmp_path: Path) -> None:
    (tmp_path / "rules.flows").write_text("priority=1,actions=drop\n")
    (tmp_path / "rules.vlcp").write_text("switches\n")
    assert sorted(complete(f"source {tmp_path}/rules.")) == ["flows", "vlcp"]
    assert complete(f"add-flows s1 {tmp_path}/rules.f") == ["lows"]
    assert complete(f"capture start {tmp_path}/rules.v") == ["lcp"]
    assert complete(f'source "{tmp_path}/rules.v') == ["lcp"]  # in quotes too


def test_continued_lines_and_the_cursor_in_the_middle() -> None:
    assert complete("add-flow s1 priority=1,\\\n  actions=outp") == ["output"]
    assert complete('add-flow s2 "priority=1,\n  in_port=1, actions=output:') == [
        "s2-eth1", "LOCAL", "CONTROLLER", "IN_PORT", "ANY"]  # a quote open over lines
    assert complete("dump-ports \\\n s2 ") == ["s2-eth1"]
    # Only the text before the cursor counts.
    assert complete("dump-flows s1", cursor=5) == ["dump-flows", "dump-groups",
                                                   "dump-meters", "dump-ports"]


# -- in a PromptSession ----------------------------------------------------------------------

def test_a_prompt_session_accepts_a_completion() -> None:
    """Tab in a real PromptSession (keys through a pipe): the completion is inserted."""

    async def run() -> str:
        with create_pipe_input() as pipe:
            session: PromptSession[str] = PromptSession(
                input=pipe, output=DummyOutput(),
                completer=VlcpCompleter(REGISTRY, lambda: DATA))
            buffer = session.default_buffer

            async def until(check: Callable[[], bool]) -> None:
                for _ in range(500):
                    if check():
                        return
                    await asyncio.sleep(0.01)
                raise AssertionError(f"the buffer holds {buffer.text!r}")

            answer = asyncio.ensure_future(session.prompt_async("vlcp> "))
            # Typed text, then a Tab once the completions (made while typing) are in.
            for typed, after_tab in (("dump-fl", "dump-flows"), (" s", "dump-flows s1"),
                                     (" table=25", "dump-flows s1 table=250")):
                pipe.send_text(typed)
                await until(lambda: buffer.complete_state is not None
                            and buffer.complete_state.original_document.text == buffer.text)
                pipe.send_text("\t")
                await until(lambda: buffer.text == after_tab)  # noqa: B023
            pipe.send_text("\t")  # the next completion: 251
            await until(lambda: buffer.text.endswith("251"))
            pipe.send_text("\r")
            return await asyncio.wait_for(answer, 10)

    # dump-fl<Tab> -> dump-flows; s<Tab> -> s1 (the first of s1, s2); 25<Tab>: the
    # first completion (250), <Tab> again: the next (251).  Enter accepts the line.
    assert asyncio.run(run()) == "dump-flows s1 table=251"


# -- against a real lab ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def lab_shell() -> Iterator[Shell]:
    with lab_runtime(bridges=1, ports=3) as runtime:
        shell = Shell(runtime, out=Out())  # type: ignore[arg-type]
        assert shell.execute("wait-switch s1 --timeout 10")
        yield shell
        shell.close()


def test_snapshot_of_a_real_lab(lab_shell: Shell) -> None:
    data = snapshot(lab_shell.runtime, lab_shell)
    s1 = data.switch("s1")
    assert s1 is not None and data.switch(f"{s1.datapath:#x}") is s1
    assert {name: number for name, number in s1.ports.items() if number < 0xFF00} == {
        "s1-eth1": 1, "s1-eth2": 2, "s1-eth3": 3}
    assert s1.tables[:3] == (0, 1, 2) and len(s1.tables) >= 200  # OVS: 254 tables
    assert {"Bridge", "Port", "Interface", "Controller", "Open_vSwitch"} <= \
        set(data.ovsdb_tables)
    assert {"name", "ofport", "ofport_request", "type"} <= set(data.ovsdb_tables["Interface"])
    assert "s1" in data.records["Bridge"]
    assert {"s1-eth1", "s1-eth2", "s1-eth3"} <= set(data.records["Interface"])
    assert "Open_vSwitch" in data.databases
    assert {"timeout", "watch_rate"} <= set(data.options)
    assert "l2switch" in data.apps
    completer = VlcpCompleter(REGISTRY, lambda: data)
    found = [c.text for c in completer.get_completions(
        Document("dump-ports s1 "), CompleteEvent())]
    assert found == ["s1-eth1", "s1-eth2", "s1-eth3"]
    found = [c.text for c in completer.get_completions(
        Document("ovsdb get Interface s1-eth1 ofp"), CompleteEvent())]
    assert found == ["ofport", "ofport_request"]
    assert data.table("open-vswitch") == "Open_vSwitch"  # as ovs-vsctl reads names


def wait_for(check: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def test_the_refresher_follows_the_lab(lab_shell: Shell) -> None:
    refresher = CompletionRefresher(lab_shell, interval=60)
    try:
        assert refresher.wait(0, timeout=10)
        first = refresher.current
        assert first.switch("s1") is not None and not first.watches
        assert "br9" not in first.records.get("Bridge", ())
        # Changes made by commands appear after a poke, not after the interval (60 s).
        assert lab_shell.execute("watch port-status s1")
        assert lab_shell.execute("add-br br9")
        generation = refresher.generation
        refresher.refresh()
        assert refresher.wait(generation, timeout=10)

        def has_br9() -> bool:
            refresher.refresh()  # the monitor's update may come just after the command
            return "br9" in refresher.current.records.get("Bridge", ())

        assert wait_for(has_br9)
        assert refresher.current.watches == ("1",)
        assert refresher() is refresher.current
        completer = VlcpCompleter(REGISTRY, refresher)
        found = [c.text for c in completer.get_completions(Document("del-br br"),
                                                           CompleteEvent())]
        assert found == ["br9"]
        assert first.switch("s1") is not None  # the old snapshot was not changed
        assert "br9" not in first.records.get("Bridge", ())
    finally:
        lab_shell.execute("unwatch all")
        lab_shell.execute("del-br br9")
        refresher.stop()
    assert not refresher._thread.is_alive()


def test_the_refresher_keeps_the_last_snapshot_when_the_runtime_stops() -> None:
    with lab_runtime(bridges=1, ports=2) as runtime:
        refresher = CompletionRefresher(runtime, interval=60)
        assert refresher.wait(0, timeout=10)
        assert refresher.current.switch("s1") is not None
        runtime.stop()
        generation = refresher.generation
        refresher.refresh()
        assert wait_for(lambda: refresher.error is not None)
        assert refresher.generation == generation
        assert refresher.current.switch("s1") is not None
        refresher.stop()


def test_the_completer_never_waits_for_a_slow_refresh() -> None:
    """While a snapshot is being built (here: blocked), completions come at once from the
    previous one; the new one is used as soon as it is in."""
    old = CompletionData(switches=(SwitchData("s1", 1),))
    new = CompletionData(switches=(SwitchData("s1", 1), SwitchData("s7", 7)))
    building = threading.Event()
    release = threading.Event()
    builds: list[int] = []

    def build() -> CompletionData:
        builds.append(1)
        if len(builds) == 1:
            return old
        building.set()
        release.wait(30)  # a snapshot that takes as long as the network does
        return new

    refresher = CompletionRefresher(build, interval=60)
    try:
        assert refresher.wait(0, timeout=5)
        completer = VlcpCompleter(REGISTRY, refresher)
        refresher.refresh()
        assert building.wait(5)
        started = time.monotonic()
        found = [c.text for c in completer.get_completions(Document("show "),
                                                           CompleteEvent())]
        assert time.monotonic() - started < 0.5
        assert found == ["s1"]
        assert refresher.generation == 1
        release.set()
        assert refresher.wait(1, timeout=5)
        found = [c.text for c in completer.get_completions(Document("show "),
                                                           CompleteEvent())]
        assert found == ["s1", "s7"]
    finally:
        release.set()
        refresher.stop()


def test_a_failing_build_keeps_the_snapshot_and_says_why() -> None:
    calls: list[int] = []

    def build() -> CompletionData:
        calls.append(1)
        if len(calls) > 1:
            raise OSError("the network is down")
        return DATA

    refresher = CompletionRefresher(build, interval=0.05)
    try:
        assert refresher.wait(0, timeout=5)
        assert wait_for(lambda: len(calls) >= 3)
        assert refresher.current is DATA and refresher.generation == 1
        assert refresher.error == "OSError: the network is down"
    finally:
        refresher.stop()
    with pytest.raises(TypeError):
        CompletionRefresher(42)  # type: ignore[arg-type]
