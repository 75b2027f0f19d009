"""The magics in a real Jupyter kernel (ipykernel, driven by nbclient): a watch's
lines go to the cell that started it, as ``update_display_data`` messages naming
that cell's display, while another cell runs, and never into the running cell's
outputs; rich results and errors as a notebook shows them; the lab stops when the
kernel does."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

from workbench.lab import find_ovs, pid_alive

ROOT = Path(__file__).resolve().parent.parent.parent
FRAME = "eth(src=00:00:00:00:00:0{n},dst=00:00:00:00:00:09)/ipv4(src=10.0.0.{n}," \
        "dst=10.0.0.9)/udp(sport=5,dport=9)"
CELLS = [
    "%load_ext workbench\n%vlcp lab start --ports 2\n"
    "%vlcp add-flow s1 priority=0,actions=CONTROLLER:65535",
    "%vlcp watch packet-in s1",  # 1: watch 1, every packet-in
    f"%%vlcp\nlab inject s1-eth1 {FRAME.format(n=1)}\nsleep 1.5",  # 2
    "%vlcp watch packet-in s1 in_port=2",  # 3: watch 2, the printer thread exists already
    f"%%vlcp\nlab inject s1-eth2 {FRAME.format(n=2)}\nsleep 1.5",  # 4
    "%vlcp ports s1",  # 5
    "%vlcp bogus s1",  # 6: fails (tagged raises-exception)
    "import json\nstatus = %vlcp lab status\n"  # 7
    "print(json.dumps({'dir': status.data['directory'], 'pids': "
    "[int(v.split()[1]) for v in status.data['daemons'].values()]}))",
    "%vlcp unwatch 2",  # 8; watch 1 runs until the kernel stops
]


class Recorder(NotebookClient):
    """nbclient, keeping every message it processes with the cell it was running."""

    messages: list[tuple[int, str, dict[str, Any]]]

    def process_message(self, msg: dict[str, Any], cell: Any, cell_index: int) -> Any:
        self.messages.append((cell_index, msg["msg_type"], msg["content"]))
        return super().process_message(msg, cell, cell_index)


def texts(outputs: list[Any]) -> str:
    found = []
    for output in outputs:
        found.append(str(output.get("text", "")))
        found.append(str(output.get("data", {}).get("text/plain", "")))
        found.extend(output.get("traceback", []))
    return "\n".join(found)


def test_a_watch_writes_into_its_own_cell_and_the_lab_stops_with_the_kernel() -> None:
    find_ovs()
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    notebook.cells[6].metadata["tags"] = ["raises-exception"]
    client = Recorder(notebook, timeout=60, startup_timeout=60, kernel_name="python3",
                      resources={"metadata": {"path": str(ROOT)}})
    client.messages = []
    client.execute()
    cells = notebook.cells

    # watch 1's output area: one display of cell 1, updated by id while cells 2 and 4 ran
    shown = [(index, content) for index, kind, content in client.messages
             if kind == "display_data" and index == 1]
    assert len(shown) == 1 and shown[0][1]["data"]["text/plain"] == \
        "watch 1: waiting for events"
    area = shown[0][1]["transient"]["display_id"]
    updates = [(index, content["data"]["text/plain"]) for index, kind, content
               in client.messages if kind == "update_display_data"
               and content["transient"]["display_id"] == area]
    assert updates and {index for index, _ in updates} <= {2, 4, 5, 6, 7, 8}
    first = next(text for index, text in updates if index == 2)
    assert re.search(r"^\[1\] s1 packet-in .*in_port=1 .*udp", first, re.M), first
    final = texts(cells[1].outputs)
    assert "in_port=1 " in final and "in_port=2 " in final  # both injections
    assert "[2]" not in final  # watch 2's lines are not watch 1's

    # watch 2 in cell 3 (started once the printer thread ran): only in_port=2, in cell 3
    watch2 = texts(cells[3].outputs)
    assert re.search(r"^\[2\] s1 packet-in .*in_port=2 ", watch2, re.M), watch2
    assert "in_port=1 " not in watch2.split("watch 2: ", 1)[1]

    # the cells that ran meanwhile got none of it
    for index in (2, 4):
        assert "packet-in" not in texts(cells[index].outputs), cells[index].outputs

    # a result as a notebook shows it; an error as its message, no traceback wall
    (result,) = cells[5].outputs
    assert result["output_type"] == "execute_result"
    assert "<table" in result["data"]["text/html"] and "s1-eth1" in result["data"]["text/html"]
    (error,) = [out for out in cells[6].outputs if out["output_type"] == "error"]
    assert error["ename"] == "VlcpError"
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in error["traceback"]]
    assert lines == ["error: unknown command 'bogus'; 'help' lists them"]

    # the kernel has stopped: so has its lab
    status = json.loads(cells[7].outputs[0]["text"])
    deadline = time.monotonic() + 15
    while any(pid_alive(pid) for pid in status["pids"]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(pid_alive(pid) for pid in status["pids"])
    assert not Path(status["dir"]).exists()
