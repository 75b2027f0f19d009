"""The course's cells, one module per notebook (``notebooks/_build.py`` writes them).

A module has ``NAME`` (the file name without ``.ipynb``) and ``CELLS``, made with
``md`` and ``code``. ``code(..., check=[regex, ...])`` tags the cell ``check``: the
test that runs the notebook fails unless every regex is found in that cell's
outputs (text, HTML, streams), so a notebook that runs but shows nothing fails.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Any

__all__ = ["COURSE", "Cell", "code", "md"]


@dataclass(frozen=True)
class Cell:
    kind: str  # "markdown" or "code"
    source: str
    metadata: dict[str, Any] = field(default_factory=dict)


def _clean(text: str) -> str:
    return textwrap.dedent(text).strip("\n")


def md(text: str) -> Cell:
    """A markdown cell."""
    return Cell("markdown", _clean(text))


def code(text: str, check: list[str] | None = None) -> Cell:
    """A code cell; *check*: regular expressions its outputs must contain."""
    metadata: dict[str, Any] = {"tags": ["check"], "check": list(check)} if check else {}
    return Cell("code", _clean(text), metadata)


def _course() -> dict[str, list[Cell]]:
    from . import (
        n01_hello_switch,
        n02_flow_tables,
        n03_packet_in_out,
        n04_pipelines,
        n05_nicira,
        n06_ovsdb,
        n07_event_core,
    )
    modules = [n01_hello_switch, n02_flow_tables, n03_packet_in_out, n04_pipelines,
               n05_nicira, n06_ovsdb, n07_event_core]
    return {module.NAME: module.CELLS for module in modules}


COURSE = _course()
