"""The in-process IPython shell with ``%load_ext workbench`` and a real lab.

One IPython shell per process (``InteractiveShell.instance()``, history in
memory); each test module loads the extension, starts a lab with ``%vlcp lab
start`` and at the end unloads the extension, which must stop the lab: its
daemons are checked to be gone.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

from workbench.lab import find_ovs, pid_alive


def ipython() -> InteractiveShell:
    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    shell: InteractiveShell = InteractiveShell.instance(config=config)
    return shell


def run(ip: InteractiveShell, code: str) -> Any:
    """Run a cell that must succeed; its value."""
    result = ip.run_cell(code, store_history=False)
    result.raise_error()
    return result.result


def daemon_pids(ip: InteractiveShell) -> list[int]:
    status = run(ip, "%vlcp lab status").data
    return [int(text.split()[1]) for text in status["daemons"].values()]


def wait_dead(pids: list[int], timeout: float = 10.0) -> list[int]:
    deadline = time.monotonic() + timeout
    alive = [pid for pid in pids if pid_alive(pid)]
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = [pid for pid in alive if pid_alive(pid)]
    return alive


@pytest.fixture(scope="module")
def ip() -> Iterator[InteractiveShell]:
    find_ovs()  # no Open vSwitch: fail here, plainly
    shell = ipython()
    shell.run_line_magic("load_ext", "workbench")
    run(shell, "%vlcp lab start --ports 3")
    pids = daemon_pids(shell)
    assert len(pids) == 2 and all(pid_alive(pid) for pid in pids)
    yield shell
    shell.run_line_magic("unload_ext", "workbench")
    assert not wait_dead(pids), "the lab's daemons outlived %unload_ext"
