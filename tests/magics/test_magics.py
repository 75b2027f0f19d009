"""``%vlcp`` and ``%%vlcp`` in an in-process IPython shell against a real lab: the
extension's registration, the value a line returns, a cell run like a command
file (results shown, the first failure stops it), errors shown without a
traceback, settings through ``%config``, watches, the runtime's life."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from traitlets import TraitError

from tests.magics.conftest import run
from workbench.magics import LiveArea, Result, VlcpError, VlcpMagics
from workbench.shell import Lines, Table

ANSI = re.compile(r"\x1b\[[0-9;]*m")
FRAME = "eth(src=00:00:00:00:00:01,dst=00:00:00:00:00:02)/ipv4(src=10.0.0.1,dst=10.0.0.2)" \
        "/udp(sport=5,dport=9)"


def magics(ip: InteractiveShell) -> VlcpMagics:
    found = ip.magics_manager.registry.get("VlcpMagics")
    assert isinstance(found, VlcpMagics)
    return found


def failure(ip: InteractiveShell, code: str) -> tuple[VlcpError, str]:
    """Run a cell that must fail with VlcpError: the error and what was shown."""
    with capture_output() as shown:
        result = ip.run_cell(code, store_history=False)
    assert isinstance(result.error_in_exec, VlcpError), result.error_in_exec
    return result.error_in_exec, ANSI.sub("", shown.stdout + shown.stderr)


def wait_for(test: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not test():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_importing_workbench_imports_neither_ipython_nor_the_magics() -> None:
    code = "import sys, workbench; print(sorted(m for m in sys.modules " \
           "if m.startswith(('IPython', 'workbench.magics', 'workbench.shell'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_public_names() -> None:
    import workbench
    import workbench.magics

    for module in (workbench, workbench.magics):
        assert len(set(module.__all__)) == len(module.__all__)
        assert all(hasattr(module, name) and not name.startswith("_")
                   for name in module.__all__)
    assert workbench.load_ipython_extension is not workbench.magics.load_ipython_extension


def test_load_ext_registers_the_magics_and_their_settings(ip: InteractiveShell) -> None:
    manager = ip.magics_manager
    assert "vlcp" in manager.magics["line"] and "vlcp" in manager.magics["cell"]
    assert magics(ip) in ip.configurables
    ip.run_line_magic("load_ext", "workbench")  # again: nothing registered twice
    assert sum(isinstance(c, VlcpMagics) for c in ip.configurables) == 1


def test_line_magic_returns_a_result(ip: InteractiveShell) -> None:
    run(ip, "%vlcp del-flows s1")
    assert run(ip, "%vlcp add-flow s1 priority=10,ip,nw_dst=10.0.0.1,actions=output:2") is None
    run(ip, "%vlcp add-flow s1 table=1,priority=5,cookie=0x5,actions=drop")
    run(ip, "x = %vlcp dump-flows s1")
    flows = ip.user_ns["x"]
    assert isinstance(flows, Result) and flows.command == "dump-flows s1"
    assert isinstance(flows.data, Lines)  # the stream's parts, collected
    assert flows.text.splitlines()[0].startswith("OFPST_FLOW reply (OF1.3)")
    assert " priority=10,ip,nw_dst=10.0.0.1 actions=output:2" in flows.text
    assert str(flows) == flows.text.rstrip("\n")
    table = flows.table
    assert table is not None
    assert table.headers[:4] == ["table", "priority", "match", "actions"]
    assert [row[:4] for row in table.rows] == [[0, 10, "ip,nw_dst=10.0.0.1", "output:2"],
                                              [1, 5, "", "drop"]]
    assert [row[7] for row in table.rows] == ["0x0", "0x5"]  # cookie
    ports = run(ip, "%vlcp ports s1")
    assert isinstance(ports.data, Table)
    assert ["s1-eth1", "s1-eth2", "s1-eth3"] == sorted(
        row[1] for row in ports.data.rows if row[0] != "LOCAL")


def test_magic_inside_a_function_sees_its_locals(ip: InteractiveShell) -> None:
    run(ip, "def count(switch):\n    found = %vlcp dump-flows {switch}\n"
            "    return len(found.table.rows)\n")
    run(ip, "%vlcp del-flows s1")
    run(ip, "%vlcp add-flow s1 actions=drop")
    assert run(ip, "count('s1')") == 1


def test_cell_runs_like_a_command_file_and_shows_each_result(ip: InteractiveShell) -> None:
    with capture_output() as shown:
        result = run(ip, "%%vlcp\n# a comment\ndel-flows s1\n\n"
                         "add-flow s1 priority=7,actions=drop\nports s1\ndump-flows s1\n")
    assert result is None
    assert len(shown.outputs) == 2  # ports and dump-flows; the others return nothing
    assert "s1-eth1" in shown.outputs[0].data["text/plain"]
    assert "<table" in shown.outputs[0].data["text/html"]
    assert "priority=7 actions=drop" in shown.outputs[1].data["text/plain"]


def test_cell_stops_at_the_first_failure(ip: InteractiveShell) -> None:
    run(ip, "%vlcp del-flows s1")
    error, shown = failure(ip, "%%vlcp\nadd-flow s1 priority=1,actions=drop\n"
                               "add-flow s1 priority=2,actions=bogus\n"
                               "add-flow s1 priority=3,actions=drop\n")
    assert str(error).startswith("cell:2: error: ")
    assert "bogus" in str(error)
    assert "Traceback" not in shown and "cell:2: error: " in shown
    priorities = [row[1] for row in run(ip, "%vlcp dump-flows s1").table.rows]
    assert priorities == [1]  # the third line never ran

    run(ip, "%vlcp del-flows s1")
    error, shown = failure(ip, "%%vlcp --keep-going\nnope\nadd-flow s1 priority=3,actions=drop"
                               "\nexpect flows s1 count=5\n")
    lines = str(error).splitlines()
    assert lines[:3] == [
        "2 command(s) failed:", "cell:1: error: unknown command 'nope'; 'help' lists them",
        "cell:3: error: expected 5 flows on s1, found 1:"]
    assert lines[3].endswith("priority=3 actions=drop") and len(lines) == 4
    assert [row[1] for row in run(ip, "%vlcp dump-flows s1").table.rows] == [3]
    error, _ = failure(ip, "%%vlcp --fast\nswitches\n")
    assert "--fast: unknown option" in str(error)


def test_errors_show_their_message_without_a_traceback(ip: InteractiveShell) -> None:
    error, shown = failure(ip, "%vlcp dmp-flows s1")
    assert str(error) == "error: unknown command 'dmp-flows'; did you mean 'dump-flows'?"
    assert shown.strip() == str(error)
    error, _ = failure(ip, "%vlcp dump-flows s9")
    assert "s9" in str(error) and "s1" in str(error)  # names the switches there are
    error, _ = failure(ip, "%vlcp decode 04")  # the handler's own error, worded by the shell
    assert str(error).startswith("error: ") and "1 bytes" in str(error)


def test_config_reaches_the_settings(ip: InteractiveShell) -> None:
    found = magics(ip)
    try:
        run(ip, "%config VlcpMagics.watch_rate = 3")
        run(ip, "%config VlcpMagics.timeout = 2.5")
        assert found.watch_rate == 3
        options = run(ip, "%vlcp set").data
        assert options["watch_rate"] == 3 and options["timeout"] == 2.5
        with pytest.raises(TraitError):
            found.watch_rate = 0
        run(ip, "%config VlcpMagics.format = 'text'")
        text = run(ip, "%vlcp ports s1")
        assert text._repr_html_() is None and "s1-eth1" in str(text)
        run(ip, "%config VlcpMagics.format = 'json'")
        assert '"name": "s1-eth1"' in str(run(ip, "%vlcp ports s1"))
        status = run(ip, "%vlcp").data
        assert status["runtime"] == "running" and status["switches"] == ["s1"]
        assert status["settings"]["format"] == "json"
        assert re.fullmatch(r"127\.0\.0\.1:\d+", status["listening"][0])
    finally:
        run(ip, "%config VlcpMagics.watch_rate = 20")
        run(ip, "%config VlcpMagics.timeout = 10.0")
        run(ip, "%config VlcpMagics.format = 'rich'")


def test_watch_prints_in_a_terminal_shell(ip: InteractiveShell,
                                          capfd: pytest.CaptureFixture[str]) -> None:
    run(ip, "%vlcp del-flows s1")
    run(ip, "%vlcp add-flow s1 priority=0,actions=CONTROLLER:65535")
    started = run(ip, "%vlcp watch packet-in s1")
    number = int(re.match(r"watch (\d+): packet-in s1", str(started)).group(1))  # type: ignore[union-attr]
    capfd.readouterr()
    run(ip, f"%vlcp lab inject s1-eth2 {FRAME}")
    lines: list[str] = []

    def came() -> bool:
        lines.extend(capfd.readouterr().out.splitlines())
        return any(line.startswith(f"[{number}] s1 packet-in ") for line in lines)
    wait_for(came)
    line = next(line for line in lines if line.startswith(f"[{number}] "))
    assert "in_port=2" in line and "udp" in line
    run(ip, f"%vlcp unwatch {number}")
    assert run(ip, "%vlcp watches").data.rows == []


def test_live_area_updates_its_display_from_another_thread(ip: InteractiveShell) -> None:
    with capture_output() as shown:
        area = LiveArea("watch 9", keep=3)
        writers = [threading.Thread(target=area.write, args=(f"[9] line {n}\n",))
                   for n in range(5)]
        for writer in writers:
            writer.start()
            writer.join()
    first, *updates = shown.outputs
    assert first.data["text/plain"] == "watch 9: waiting for events"
    assert len(updates) == 5
    assert all(out.update and out.transient == {"display_id": area.display_id}
               for out in updates)
    assert first.transient == {"display_id": area.display_id}
    last = updates[-1].data
    assert last["text/plain"].splitlines() == ["watch 9: 5 line(s), the last 3 shown",
                                                "[9] line 2", "[9] line 3", "[9] line 4"]
    assert "[9] line 4" in last["text/html"] and "line 1" not in last["text/html"]
