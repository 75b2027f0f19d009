"""The runtime thread and the shell core against a real lab: start and stop
cleanly, errors reported and never fatal, script mode exit codes and FILE:LINE
errors, the core commands, names of switches."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.shell._support import processes_mentioning
from workbench.runtime import Runtime, RuntimeNotRunningError
from workbench.shell import Lines, Shell, Table, render, split_commands, start_lab


def shell_run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbench.shell", "--listen",
                           "127.0.0.1:0", *args], capture_output=True, text=True,
                          timeout=timeout)


def test_runtime_starts_reports_errors_and_stops_cleanly() -> None:
    reported: list[str] = []
    before = set(threading.enumerate())
    with Runtime(on_error=reported.append) as runtime:
        assert runtime.call(asyncio.sleep(0, "ok")) == "ok"

        async def fail() -> None:
            raise RuntimeError("boom in a task")

        async def spawn() -> None:
            asyncio.get_running_loop().call_soon(lambda: 1 / 0)  # a failing callback
            task = asyncio.get_running_loop().create_task(fail())
            await asyncio.sleep(0.05)
            del task

        runtime.call(spawn())
        for _ in range(50):
            if reported:
                break
            threading.Event().wait(0.02)
        assert any("ZeroDivisionError" in text for text in reported), reported
        assert runtime.call(asyncio.sleep(0, "still alive")) == "still alive"
        with pytest.raises(TimeoutError):
            runtime.call(asyncio.sleep(5), timeout=0.1)
    assert set(threading.enumerate()) <= before  # the loop thread is gone
    with pytest.raises(RuntimeNotRunningError):
        runtime.call(asyncio.sleep(0))


def test_script_mode_exit_codes_and_file_line_errors(tmp_path: Path) -> None:
    good = tmp_path / "good.vlcp"
    good.write_text("# a comment\nset timeout 5\n\nsleep 0.01\n")
    bad = tmp_path / "bad.vlcp"
    bad.write_text("sleep 0\nsleep soon\nsleep 0\nswitchez\n")
    assert shell_run("-f", str(good)).returncode == 0
    result = shell_run("-f", str(bad))
    assert result.returncode == 1
    assert f"{bad}:2: error: 'soon' is not a number of seconds" in result.stderr
    assert "switchez" not in result.stderr  # stopped at the first failure
    result = shell_run("-f", str(bad), "--on-error", "continue")
    assert result.returncode == 1
    assert f"{bad}:4: error: unknown command 'switchez'; did you mean 'switches'?" \
        in result.stderr
    result = shell_run("-c", "sleep 0; show s9")
    assert result.returncode == 1
    assert "-c:2: error: switch 's9' is not connected (no switch is connected)" \
        in result.stderr
    assert shell_run("-f", str(tmp_path / "missing.vlcp")).returncode == 2


def test_lab_shell_core_commands() -> None:
    result = shell_run("--lab", "--bridges", "2", "--ports", "3", "-c",
                       "wait-switch s2 --timeout 5; switches; show s1; ports s2; help ports")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "s1 " in out and "s2 " in out and "1.3" in out
    assert "s1: OpenFlow 1.3 dpid:" in out and "n_tables:254" in out
    assert "s2-eth3" in out and "s2-eth4" not in out
    assert "A switch's ports" in out


def test_json_output() -> None:
    result = shell_run("--lab", "--json", "-c", "switches")
    assert result.returncode == 0, result.stderr
    assert '"name": "s1"' in result.stdout and '"version": "1.3"' in result.stdout


def test_runtime_names_and_py_with_a_lab(lab_factory: object) -> None:
    with Runtime() as runtime:
        listener = runtime.listen("127.0.0.1", 0)
        start_lab(runtime, 1, 2, listener)
        shell = Shell(runtime, out=_Collect())
        assert shell.execute("wait-switch s1 --timeout 10")
        assert shell.execute("py switch('s1').features.n_tables")
        assert shell.execute("py controller.wait_switch()")  # an awaitable: run on the loop
        assert not shell.execute("py 1/0")
        assert not shell.execute("py (")
        out = shell.out.text  # type: ignore[attr-defined]
        assert "254" in out and "<Switch" in out
        assert runtime.lab is not None


class _Collect:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


def test_split_and_render() -> None:
    assert split_commands('a; b "c;d"; ;e') == ["a", 'b "c;d"', "e"]
    table = "".join(render(Table(["a", "bb"], [[1, {"k": "v"}], [None, frozenset({2, 1})]])))
    assert table.splitlines() == ["a  bb", "-  ------", "1  {k=v}", "   [1, 2]"]
    assert "".join(render(Lines(["x", "y"]))) == "x\ny\n"
    assert "".join(render({"a": {"b": [1, 2]}}, "text")) == "a:\n  b:\n    - 1\n    - 2\n"
    assert "".join(render(iter(["one", "two"]))) == "one\ntwo\n"


def test_the_readme_run_command_opens_a_shell_on_a_lab_switch() -> None:
    root = Path(__file__).resolve().parent.parent.parent
    import time

    started = time.monotonic()
    result = subprocess.run([str(root / "dev"), "shell"], input="switches\nexit\n",
                            capture_output=True, text=True, timeout=120, cwd=root)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert "1 switch(es) connected: s1" in result.stdout, result.stdout
    assert "127.0.0.1:" in result.stdout.split("vlcp> ", 1)[1]
    assert elapsed < 10, elapsed  # about 1.5 s here; the issue asks for 3


@pytest.mark.parametrize("signum", ["SIGTERM", "SIGINT"])
def test_serve_stops_cleanly_on_a_signal(signum: str) -> None:
    import os
    import signal as signals
    import time

    before = _lab_dirs()
    process = subprocess.Popen(
        [sys.executable, "-m", "workbench.shell", "--listen", "127.0.0.1:0", "--lab",
         "serve"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        assert "serving" in process.stdout.readline()
        made = _owned_by(_lab_dirs() - before, process.pid)  # other tests make labs too
        assert len(made) == 1
        (lab_dir,) = made
        assert processes_mentioning(lab_dir)  # the lab's daemons run
        process.send_signal(getattr(signals, signum))
        status = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert status in (0, 130), process.stderr.read() if process.stderr else ""
    deadline = time.monotonic() + 5
    while processes_mentioning(lab_dir) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not processes_mentioning(lab_dir)  # no OVS daemon left behind
    assert not os.path.exists(lab_dir)


def _owned_by(dirs: set[str], pid: int) -> set[str]:
    import json
    from pathlib import Path

    owned = set()
    for lab_dir in dirs:
        try:
            record = json.loads((Path(lab_dir) / "lab.json").read_text())
        except (OSError, ValueError):
            continue
        if record.get("owner_pid") == pid:
            owned.add(lab_dir)
    return owned


def _lab_dirs() -> set[str]:
    from workbench.lab import default_root

    return {str(path) for path in default_root().glob("lab-*")}



def test_a_bad_listen_address_is_a_clear_error() -> None:
    for address, said in (("nowhere", "expected HOST:PORT or unix:PATH"),
                          ("127.0.0.1:99999", "port 99999 is out of range")):
        result = subprocess.run(
            [sys.executable, "-m", "workbench.shell", "--listen", address, "-c", "help"],
            capture_output=True, text=True, timeout=60)
        assert result.returncode == 2, result.stderr
        assert f"vlcp-shell: cannot listen on {address}: " in result.stderr
        assert said in result.stderr and "Traceback" not in result.stderr
