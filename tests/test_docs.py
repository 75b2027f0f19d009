"""The examples in the user guides run as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
GUIDES = ["namedstruct.md", "lab.md", "openflow.md", "flow-language.md", "controller.md",
          "ovsdb.md"]


@pytest.mark.parametrize("guide", GUIDES)
def test_python_examples_run(guide: str, lab_factory: object) -> None:
    blocks = re.findall(r"```python\n(.*?)```", (DOCS / guide).read_text(), re.S)
    assert blocks, f"{guide} has no python example"
    for block in blocks:
        namespace: dict[str, object] = {"__name__": f"docs_{guide.split('.')[0]}"}
        exec(compile(block, f"{guide}:example", "exec"), namespace)
    if guide == "namedstruct.md":
        assert namespace["size"] == 48
        assert namespace["port"].config == 0x21  # type: ignore[attr-defined]
