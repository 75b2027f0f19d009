"""The course's notebooks: generated from ``notebooks/_course`` by ``notebooks/_build.py``
(the committed files are its output), and each one runs top to bottom in a real
Jupyter kernel (ipykernel, driven by nbclient) against its own lab, without an
error, showing what its ``check`` cells promise; its lab dies with its kernel."""

from __future__ import annotations

import importlib.util
import json
import re
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from workbench.lab import find_ovs, pid_alive

ROOT = Path(__file__).resolve().parent.parent.parent
NOTEBOOKS = ROOT / "notebooks"
COURSE = ["01-hello-switch", "02-flow-tables", "03-packet-in-out", "04-pipelines",
          "05-nicira", "06-ovsdb", "07-event-core"]
BUDGET = 60.0  # seconds a notebook may take (they take well under 20 s)
# A line of a watch ("[2] s1 packet-in ...") or of an OVSDB monitor ("m1 Bridge insert ...").
LIVE_LINE = re.compile(r"^(\[\d+\] |m\d+ \w+ (initial|insert|modify|delete) )", re.M)
# Appended to the notebook under test (never stored): the lab's daemons and directory.
LAB_CELL = """\
import json as _json
_status = %vlcp lab status
print("LAB " + _json.dumps({"dir": _status.data["directory"], "pids":
      [int(v.split()[1]) for v in _status.data["daemons"].values()]}))"""


def _load_build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("notebooks_build", NOTEBOOKS / "_build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUILD = _load_build()


def texts(outputs: list[Any]) -> str:
    """Everything a cell shows: streams, plain text and HTML of results, errors."""
    found: list[str] = []
    for output in outputs:
        found.append(str(output.get("text", "")))
        data = output.get("data", {})
        found.append(str(data.get("text/plain", "")))
        found.append(str(data.get("text/html", "")))
        if output.get("output_type") == "error":
            found.append(f"{output.get('ename')}: {output.get('evalue')}")
    return "\n".join(found)


def test_the_course_is_seven_notebooks_linked_from_the_readmes() -> None:
    assert list(BUILD.COURSE) == COURSE
    stored = sorted(path.stem for path in NOTEBOOKS.glob("*.ipynb"))
    assert stored == COURSE
    for readme in (ROOT / "README.md", NOTEBOOKS / "README.md"):
        text = readme.read_text()
        missing = [name for name in COURSE if f"{name}.ipynb" not in text]
        assert not missing, f"{readme} does not link {missing}"


@pytest.mark.parametrize("name", COURSE)
def test_the_stored_notebook_is_the_generators_output(name: str) -> None:
    text = (NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8")
    assert text == BUILD.render(name), (
        f"{name}.ipynb differs from notebooks/_course: run .venv/bin/python notebooks/_build.py")
    notebook = nbformat.reads(text, as_version=4)
    nbformat.validate(notebook)
    assert nbformat.writes(notebook) + "\n" == text  # as Jupyter itself would save it
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(not cell.outputs and cell.execution_count is None for cell in code)
    checks = [cell for cell in code if "check" in cell.metadata.get("tags", [])]
    assert len(checks) >= 5 and all(cell.metadata["check"] for cell in checks)


def _run(name: str) -> tuple[Any, float]:
    notebook = nbformat.reads(BUILD.render(name), as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(LAB_CELL))
    client = NotebookClient(notebook, timeout=60, startup_timeout=60, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    start = time.monotonic()
    client.execute()  # raises CellExecutionError at a cell that fails
    return notebook, time.monotonic() - start


@pytest.mark.parametrize("name", COURSE)
def test_the_notebook_runs_and_shows_what_it_teaches(name: str) -> None:
    find_ovs()
    notebook, elapsed = _run(name)
    problems: list[str] = []
    for number, cell in enumerate(notebook.cells, 1):
        if cell.cell_type != "code":
            continue
        head = cell.source.splitlines()[0] if cell.source else ""
        for output in cell.outputs:
            if output.output_type == "error":
                problems.append(f"cell {number} ({head}): {output.ename}: {output.evalue}")
            elif output.output_type == "stream" and output.name == "stderr":
                problems.append(f"cell {number} ({head}) wrote to stderr: {output.text}")
        patterns = cell.metadata.get("check", [])
        shown = texts(cell.outputs)
        starts_one = re.search(r"\b(watch|ovsdb monitor) ", cell.source)
        if not starts_one and LIVE_LINE.search(shown):  # a watch wrote into another cell
            problems.append(f"cell {number} ({head}) shows another cell's watch:\n{shown}")
        for pattern in patterns:
            if not re.search(pattern, shown, re.M):
                problems.append(f"cell {number} ({head}): no {pattern!r} in:\n{shown}")
    assert not problems, "\n".join(problems)
    assert elapsed < BUDGET, f"{name} took {elapsed:.1f} s"

    # the kernel has stopped (nbclient shut it down): so has the notebook's lab
    (line,) = [out.text for out in notebook.cells[-1].outputs if out.output_type == "stream"]
    lab = json.loads(line.removeprefix("LAB "))
    assert len(lab["pids"]) == 2
    deadline = time.monotonic() + 15
    while any(pid_alive(pid) for pid in lab["pids"]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(pid_alive(pid) for pid in lab["pids"]), f"{name}: lab daemons survived"
    assert not Path(lab["dir"]).exists(), f"{name}: {lab['dir']} was left behind"
