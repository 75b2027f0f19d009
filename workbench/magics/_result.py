"""``Result``: what a ``%vlcp`` command returned, for notebooks and for code.

A command's data (see ``workbench.shell``) is kept as parts: the value it
returned, or the items it streamed, collected (consecutive ``Lines`` joined, so
a streamed ``dump-flows`` is one listing).  Shown as HTML in notebooks (tables,
flow listings as tables, trees, ``explain`` as a byte map) and as the shell's
text elsewhere; ``to_json`` is the shell's ``--json``; ``to_dataframe`` needs
pandas.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..shell import Lines, Table, render, to_json
from ._flows import flow_table
from ._html import html_part

__all__ = ["FORMATS", "Result"]

FORMATS = ("rich", "text", "json")


def _collect(data: Any) -> list[Any]:
    if data is None:
        return []
    if not isinstance(data, Iterator):
        return [data]
    parts: list[Any] = []
    for item in data:
        for part in _collect(item):
            if isinstance(part, Lines) and parts and isinstance(parts[-1], Lines):
                parts[-1].lines.extend(part.lines)
            else:
                parts.append(Lines(list(part.lines)) if isinstance(part, Lines) else part)
    return parts


def _flatten(value: Any, path: str = "") -> Iterable[tuple[str, Any]]:
    """A JSON tree as (dotted path, leaf) pairs: ``match.oxm_fields.in_port``."""
    if isinstance(value, Mapping) and value:
        for key, item in value.items():
            yield from _flatten(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list) and value:
        for index, item in enumerate(value):
            yield from _flatten(item, f"{path}.{index}" if path else str(index))
    else:
        yield path, value


def _pandas() -> Any:
    try:
        return importlib.import_module("pandas")
    except ImportError:
        raise ImportError("Result.to_dataframe() needs pandas, which is not installed: "
                          "pip install pandas (or vlcp-workbench[dataframe])") from None


class Result:
    """What ``%vlcp COMMAND`` returned: ``data``, ``text``, ``table``, ``to_json()``,
    ``to_dataframe()``; notebooks show it as HTML, the terminal as text.

    Example (in IPython)::

        flows = %vlcp dump-flows s1
        flows.table.rows[0][3]        # the first flow's actions
        flows.to_dataframe()          # one row per flow (pandas)
    """

    def __init__(self, command: str, data: Any, fmt: str = "rich") -> None:
        if fmt not in FORMATS:
            raise ValueError(f"format {fmt!r}: use one of {', '.join(FORMATS)}")
        self.command = command
        self.format = fmt
        self.parts: list[Any] = _collect(data)
        self._flows: list[Table | None] | None = None

    # -- the data ----------------------------------------------------------------------
    @property
    def data(self) -> Any:
        """The command's data: what it returned (streamed items collected; several
        parts as a list, none as None)."""
        if not self.parts:
            return None
        return self.parts[0] if len(self.parts) == 1 else list(self.parts)

    @property
    def text(self) -> str:
        """The text ``vlcp-shell`` prints for it."""
        return "".join(chunk for part in self.parts for chunk in render(part))

    def _flow_tables(self) -> list[Table | None]:
        if self._flows is None:
            self._flows = [flow_table(part.lines) if isinstance(part, Lines) else None
                           for part in self.parts]
        return self._flows

    @property
    def table(self) -> Table | None:
        """The table in it: a table the command returned, or its flow listing read
        back into columns (table, priority, match, actions, counters...); None when
        there is none, or more than one."""
        found = [part if isinstance(part, Table) else flows
                 for part, flows in zip(self.parts, self._flow_tables(), strict=True)
                 if isinstance(part, Table) or flows is not None]
        return found[0] if len(found) == 1 else None

    def to_json(self, indent: int | None = 2) -> str:
        """The data as JSON text (tables as lists of objects), as ``--json`` prints it."""
        return json.dumps(to_json(self.data), indent=indent)

    def to_dataframe(self) -> Any:
        """A pandas DataFrame: a table's rows (flows one per row); lines one per row;
        a tree as (field, value) rows with dotted field paths."""
        pandas = _pandas()
        table = self.table
        if table is not None:
            return pandas.DataFrame([list(row) for row in table.rows], columns=table.headers)
        data = self.data
        if data is None:
            return pandas.DataFrame()
        if isinstance(data, (Lines, str)):
            lines = data.lines if isinstance(data, Lines) else data.splitlines()
            return pandas.DataFrame({"line": lines})
        tree = to_json(data)
        if isinstance(tree, list) and tree and all(isinstance(row, dict) for row in tree):
            return pandas.json_normalize(tree)
        if isinstance(tree, (dict, list)):
            return pandas.DataFrame(list(_flatten(tree)), columns=["field", "value"])
        raise TypeError(f"{self.command!r} gave {len(self.parts)} parts and no single "
                        f"table: take .parts[N] or .data instead")

    # -- display -------------------------------------------------------------------------
    def _plain(self) -> str:
        return self.to_json() if self.format == "json" else self.text.rstrip("\n")

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self._plain())

    def _repr_html_(self) -> str | None:
        if self.format != "rich" or not self.parts:
            return None
        body = "".join(html_part(part, flows)
                       for part, flows in zip(self.parts, self._flow_tables(), strict=True))
        return f'<div class="vlcp-result">{body}</div>'

    def __str__(self) -> str:
        return self._plain()

    def __repr__(self) -> str:
        kinds = ", ".join(type(part).__name__ for part in self.parts) or "nothing"
        return f"<Result of {self.command!r}: {kinds}>"
