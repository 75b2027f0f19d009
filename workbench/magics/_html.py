"""HTML for results in notebooks: tables, collapsible trees, the byte map of ``explain``.

Only inline styles (a notebook keeps no style sheet of ours) and every text
escaped.  Trees are ``<details>`` elements: the first two levels open, deeper
ones closed; enum names (``OFPT_PACKET_IN``, ``OFPR_ACTION``) stand out.  An
``explain`` table (columns offset, bytes, field, value) becomes a hexdump whose
bytes are coloured by field, with a legend of the fields in the same colours.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..shell import Lines, Table

__all__ = ["EXPLAIN_HEADERS", "html_explain", "html_part", "html_pre", "html_table", "html_tree"]

EXPLAIN_HEADERS = ["offset", "bytes", "field", "value"]
# Light backgrounds that differ from their neighbours; text stays black on each.
PALETTE = ["#ffd8a8", "#c3fae8", "#d0bfff", "#ffec99", "#a5d8ff", "#fcc2d7", "#b2f2bb",
           "#e9ecef"]
_ENUM = re.compile(r"[A-Z][A-Z0-9]*_[A-Z0-9_]+")
_MONO = "font-family:monospace"
_LIST = "list-style:none;margin:0;padding-left:1.4em"
_OPEN_DEPTH = 2


def _text(value: Any) -> str:
    if isinstance(value, (set, frozenset)):
        return "[" + ", ".join(sorted(map(str, value))) + "]"
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).hex()
    return "" if value is None else str(value)


def _value(value: Any) -> str:
    """A leaf's HTML: enum names emphasised."""
    text = _text(value)
    if _ENUM.fullmatch(text):
        return f'<code style="color:#0b7285;font-weight:bold">{html.escape(text)}</code>'
    return f'<span style="{_MONO}">{html.escape(text)}</span>'


def html_pre(text: str) -> str:
    return f'<pre style="margin:0">{html.escape(text)}</pre>'


def html_table(table: Table) -> str:
    caption = f'<caption style="text-align:left;font-weight:bold">' \
              f'{html.escape(table.title)}</caption>' if table.title else ""
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in table.headers)
    rows = "".join("<tr>" + "".join(f'<td style="{_MONO};text-align:left">'
                                    f"{html.escape(_text(cell))}</td>" for cell in row)
                   + "</tr>" for row in table.rows)
    if not table.rows:
        rows = f'<tr><td colspan="{max(1, len(table.headers))}"><i>(none)</i></td></tr>'
    return f'<table class="vlcp-table">{caption}<thead><tr>{head}</tr></thead>' \
           f"<tbody>{rows}</tbody></table>"


def _label(key: str, value: Any) -> str:
    """A branch's summary: its key, and what it is (type, ``_type``, size)."""
    parts = [f"<b>{html.escape(key)}</b>"] if key else []
    if isinstance(value, Mapping):
        kind = value.get("type") if isinstance(value.get("type"), str) else None
        if kind:
            parts.append(_value(kind))
        if isinstance(value.get("_type"), str):
            parts.append(f'<span style="color:#868e96">{html.escape(value["_type"])}</span>')
    else:
        parts.append(f'<span style="color:#868e96">[{len(value)}]</span>')
    return " ".join(parts)


def _items(value: Any) -> Iterable[tuple[str, Any]]:
    if isinstance(value, Mapping):
        return ((str(k), v) for k, v in value.items() if k != "_type")
    return ((str(index), item) for index, item in enumerate(value))


def html_tree(value: Any, key: str = "", depth: int = 0) -> str:
    """A dict or list as nested ``<details>``, leaves as ``key: value``."""
    body = []
    for name, item in _items(value):
        if isinstance(item, (Mapping, list, tuple)) and item:
            body.append(f"<li>{html_tree(item, name, depth + 1)}</li>")
        else:
            shown = _value(item) if not isinstance(item, (Mapping, list, tuple)) else \
                _value("{}" if isinstance(item, Mapping) else "[]")
            body.append(f'<li><span style="color:#495057">{html.escape(name)}</span>: '
                        f"{shown}</li>")
    is_open = ' open=""' if depth < _OPEN_DEPTH else ""
    label = _label(key, value) or "&#8203;"
    return f'<details{is_open}><summary>{label}</summary><ul style="{_LIST}">' \
           f'{"".join(body)}</ul></details>'


@dataclass
class _Field:
    offset: int
    data: bytes
    path: str
    value: str


def _fields(table: Table) -> list[_Field]:
    """The explain rows again as whole fields (a long field spans several rows)."""
    fields: list[_Field] = []
    for offset, data, path, value in table.rows:
        chunk = bytes.fromhex(str(data))
        if path or not fields:
            fields.append(_Field(int(str(offset), 16), chunk, str(path), str(value)))
        else:
            fields[-1].data += chunk
    return fields


def _groups(fields: list[_Field]) -> list[list[_Field]]:
    """Fields that share bytes (bit fields: ``version`` and ``ihl`` of IPv4) together."""
    groups: list[list[_Field]] = []
    end = -1
    for found in fields:
        if groups and found.offset < end:
            groups[-1].append(found)
        else:
            groups.append([found])
        end = max(end, found.offset + len(found.data))
    return groups


def html_explain(table: Table, width: int = 16) -> str:
    """The byte map: *width* bytes a line, each coloured by its field (fields that
    share bytes share a colour), its field and value as a tip; a legend below."""
    cells: list[tuple[int, str]] = []  # (offset, a byte's HTML)
    legend = []
    for index, group in enumerate(_groups(_fields(table))):
        colour = PALETTE[index % len(PALETTE)]
        data: dict[int, int] = {}
        for found in group:
            data.update((found.offset + at, byte) for at, byte in enumerate(found.data))
            legend.append(f'<tr><td style="background:{colour};width:1.2em"></td>'
                          f'<td style="{_MONO}">{found.offset:04x}</td>'
                          f'<td style="{_MONO}">{len(found.data)}</td>'
                          f'<td style="{_MONO};text-align:left">{html.escape(found.path)}'
                          f'</td><td style="text-align:left">{_value(found.value)}</td></tr>')
        for offset in sorted(data):
            tip = "; ".join(f"{found.path} = {found.value}" for found in group
                            if found.offset <= offset < found.offset + len(found.data))
            cells.append((offset, f'<span style="background:{colour};padding:0 2px" '
                                  f'title="{html.escape(tip, quote=True)}">'
                                  f"{data[offset]:02x}</span>"))
    lines = []
    for start in range(0, len(cells), width):
        row = cells[start:start + width]
        lines.append(f'<span style="color:#868e96">{row[0][0]:04x}</span>  '
                     + " ".join(cell for _, cell in row))
    title = f"<div><b>{html.escape(table.title)}</b></div>" if table.title else ""
    return (f'<div class="vlcp-explain">{title}'
            f'<pre style="line-height:1.7;margin:0.3em 0">' + "\n".join(lines) + "</pre>"
            '<table class="vlcp-legend"><thead><tr><th></th><th>offset</th><th>bytes</th>'
            "<th>field</th><th>value</th></tr></thead><tbody>" + "".join(legend)
            + "</tbody></table></div>")


def html_part(part: Any, flows: Table | None = None) -> str:
    """One part of a result (what a command returned, or one item it streamed)."""
    if flows is not None:
        return html_table(flows)
    if isinstance(part, Table):
        return html_explain(part) if part.headers == EXPLAIN_HEADERS else html_table(part)
    if isinstance(part, Lines):
        return html_pre("\n".join(part.lines))
    if isinstance(part, (Mapping, list, tuple)):
        return html_tree(part) if part else html_pre("{}" if isinstance(part, Mapping)
                                                     else "[]")
    return html_pre(_text(part).rstrip("\n"))
