"""The runtime's life under the magics: nothing runs before a command needs it,
and ``%unload_ext workbench`` stops the runtime and its lab and removes the magics
(the kernel's exit is tested in test_kernel)."""

from __future__ import annotations

from tests.magics.conftest import daemon_pids, ipython, run, wait_dead
from workbench.magics import VlcpError, VlcpMagics


def test_unload_stops_the_runtime_and_its_lab() -> None:
    ip = ipython()
    ip.run_line_magic("load_ext", "workbench")
    try:
        found = ip.magics_manager.registry.get("VlcpMagics")
        assert isinstance(found, VlcpMagics)
        assert found.runtime is None  # nothing runs before the first command
        assert run(ip, "%vlcp help switches").data.lines[0] == "switches"
        assert found.runtime is None  # help needs no runtime
        run(ip, "%vlcp lab start --ports 1")
        pids = daemon_pids(ip)
        runtime = found.runtime
        assert runtime is not None and runtime.running
    finally:
        ip.run_line_magic("unload_ext", "workbench")
    assert not runtime.running and runtime.lab is None
    assert not wait_dead(pids)
    assert "vlcp" not in ip.magics_manager.magics["line"]
    assert not any(isinstance(c, VlcpMagics) for c in ip.configurables)
    assert ip.run_cell("%vlcp switches", store_history=False).error_in_exec is not None


def test_settings_shape_the_runtime_a_command_starts() -> None:
    ip = ipython()
    ip.run_line_magic("load_ext", "workbench")
    try:
        found = ip.magics_manager.registry.get("VlcpMagics")
        assert isinstance(found, VlcpMagics)
        run(ip, "%config VlcpMagics.listen = ['127.0.0.1:99999']")
        error = ip.run_cell("%vlcp switches", store_history=False).error_in_exec
        assert isinstance(error, VlcpError)
        assert str(error).startswith("error: cannot listen on 127.0.0.1:99999")
        assert found.runtime is None  # what did start was stopped again
        run(ip, "%config VlcpMagics.listen = ['127.0.0.1:0']")
        run(ip, "%config VlcpMagics.lab = True")
        run(ip, "%config VlcpMagics.lab_bridges = 2")
        run(ip, "%config VlcpMagics.lab_ports = 1")
        rows = run(ip, "%vlcp switches").data.rows
        assert [row[0] for row in rows] == ["s1", "s2"] and [row[4] for row in rows] == [2, 2]
        pids = daemon_pids(ip)
    finally:  # %config stays in the shell's config: what the next load reads
        for setting in ("listen = ['127.0.0.1:0']", "lab = False", "lab_bridges = 1",
                        "lab_ports = 4"):
            run(ip, f"%config VlcpMagics.{setting}")
        ip.run_line_magic("unload_ext", "workbench")
    assert not wait_dead(pids)


def test_reload_restarts_the_runtime_and_keeps_the_settings() -> None:
    ip = ipython()
    ip.run_line_magic("load_ext", "workbench")
    try:
        run(ip, "%config VlcpMagics.watch_rate = 7")
        run(ip, "%vlcp switches")
        old = ip.magics_manager.registry["VlcpMagics"].runtime
        assert old is not None and old.running
        ip.run_line_magic("reload_ext", "workbench")
        assert not old.running
        found = ip.magics_manager.registry["VlcpMagics"]
        assert found.watch_rate == 7 and found.runtime is None
        assert run(ip, "%vlcp set").data["watch_rate"] == 7
        assert found.runtime is not None and found.runtime is not old
    finally:
        run(ip, "%config VlcpMagics.watch_rate = 20")
        ip.run_line_magic("unload_ext", "workbench")
