"""Write the course's notebooks from their cells.

The notebooks (``notebooks/NN-*.ipynb``) are generated: their cells are Python
data in ``notebooks/_course/`` (one module per notebook, reviewable as code), and
this script turns them into nbformat 4 files without outputs. Edit the module,
then run the script; a test checks that the committed files equal its output.

    .venv/bin/python notebooks/_build.py           # rewrite every notebook
    .venv/bin/python notebooks/_build.py --check   # exit 1 when a file is stale

Cells whose outputs the test checks carry ``"tags": ["check"]`` and, under
``"check"``, regular expressions that the cell's outputs must contain (see
``_course.code``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from _course import COURSE  # noqa: E402

__all__ = ["COURSE", "HERE", "main", "notebook", "render"]

_METADATA = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python", "pygments_lexer": "ipython3"},
}


def _source(text: str) -> list[str]:
    """The text as nbformat stores it on disk: lines, each with its newline but the last."""
    return text.splitlines(keepends=True)


def notebook(name: str) -> dict[str, Any]:
    """The notebook *name* (``"01-hello-switch"``) as a JSON-ready dict, no outputs."""
    cells: list[dict[str, Any]] = []
    for number, cell in enumerate(COURSE[name], 1):
        item: dict[str, Any] = {"cell_type": cell.kind, "id": f"{name[:2]}-{number:02d}",
                                "metadata": dict(cell.metadata),
                                "source": _source(cell.source)}
        if cell.kind == "code":
            item["execution_count"] = None
            item["outputs"] = []
        cells.append(item)
    return {"cells": cells, "metadata": _METADATA, "nbformat": 4, "nbformat_minor": 5}


def render(name: str) -> str:
    """The file's text: the JSON ``nbformat.write`` would give (indent 1, sorted keys)."""
    return json.dumps(notebook(name), indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    check = argv == ["--check"]
    if argv and not check:
        print("usage: _build.py [--check]", file=sys.stderr)
        return 2
    stale = []
    for name in COURSE:
        path = HERE / f"{name}.ipynb"
        text = render(name)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(path.name)
        if not check:
            path.write_text(text, encoding="utf-8")
    verb = "stale" if check else "written"
    print(f"{len(stale)} notebook(s) {verb}" + (": " + ", ".join(stale) if stale else ""))
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
