"""One renderer for every command's data: text for people, JSON for programs.

``Table(headers, rows)`` and ``Lines`` are the shapes commands return most; a dict
or list is a tree (text: indented ``key: value`` lines); a string is printed as
is; an iterator is rendered item by item as it arrives (``dump-flows`` streams).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Lines", "Table", "render", "to_json"]


@dataclass
class Table:
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    title: str | None = None


@dataclass
class Lines:
    lines: list[str]


def to_json(value: Any) -> Any:
    """*value* made JSON-ready (tables as lists of objects, sets as sorted lists)."""
    if isinstance(value, Table):
        return [dict(zip(value.headers, (to_json(c) for c in row), strict=False))
                for row in value.rows]
    if isinstance(value, Lines):
        return value.lines
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((to_json(v) for v in value), key=str)
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).hex()
    if isinstance(value, uuid.UUID):
        return str(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def render(value: Any, fmt: str = "text") -> Iterator[str]:
    """The text to show for *value*, in chunks (each ends with a newline)."""
    if value is None:
        return
    if isinstance(value, Iterator):
        for item in value:
            yield from render(item, fmt)
        return
    if fmt == "json":
        yield json.dumps(to_json(value), indent=None if isinstance(value, str) else 2) + "\n"
        return
    if isinstance(value, str):
        yield value if value.endswith("\n") else value + "\n"
    elif isinstance(value, Lines):
        yield "".join(line + "\n" for line in value.lines)
    elif isinstance(value, Table):
        yield _table(value)
    elif isinstance(value, (Mapping, list, tuple)):
        yield "".join(line + "\n" for line in _tree(value, 0))
    else:
        yield f"{value}\n"


def _cell(value: Any) -> str:
    if isinstance(value, (set, frozenset)):
        return "[" + ", ".join(sorted(map(str, value))) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}={v}" for k, v in sorted(value.items(), key=str)) + "}"
    return "" if value is None else str(value)


def _table(table: Table) -> str:
    cells = [[_cell(c) for c in row] for row in table.rows]
    widths = [max([len(h), *(len(r[i]) for r in cells if i < len(r))])
              for i, h in enumerate(table.headers)]
    lines = [table.title] if table.title else []
    lines.append("  ".join(h.ljust(w) for h, w in zip(table.headers, widths,
                                                      strict=True)).rstrip())
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)).rstrip()
              for row in cells]
    return "\n".join(lines) + "\n"


def _tree(value: Any, depth: int) -> Iterable[str]:
    pad = "  " * depth
    if isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(item, (Mapping, list, tuple)) and item:
                yield f"{pad}{key}:"
                yield from _tree(item, depth + 1)
            else:
                yield f"{pad}{key}: {_cell(item)}"
    elif isinstance(value, (list, tuple)):
        for item in value:
            if isinstance(item, (Mapping, list, tuple)) and item:
                yield f"{pad}-"
                yield from _tree(item, depth + 1)
            else:
                yield f"{pad}- {_cell(item)}"
