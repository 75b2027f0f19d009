"""Splitting flow text into pieces, keeping the column of each.

The ``ovs-ofctl`` flow syntax is a list of ``key=value`` pairs and bare words
separated by commas and/or white space (so ``dump-flows`` output pastes back in),
where ``actions=`` takes the rest of the text.  Inside an action list, items are
separated by commas at the top level; parentheses nest (``ct(commit,exec(...))``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ._errors import FlowSyntaxError

__all__ = ["Piece", "split_actions", "split_flow", "split_top"]


@dataclass(frozen=True)
class Piece:
    """``key`` and ``value`` (``None`` for a bare word) of one item, at 1-based ``column``;
    ``value_column`` is where the value starts.  For ``name(args)->DST`` (as in
    ``check_pkt_larger(1500)->reg0[0]``) ``after`` is ``DST``, at ``after_column``."""

    key: str
    value: str | None
    column: int
    value_column: int
    after: str = ""
    after_column: int = 0


def _pieces(text: str, base: int, separators: str) -> list[tuple[str, int]]:
    """Items of *text* split at *separators* outside parentheses, with their columns."""
    items: list[tuple[str, int]] = []
    depth = 0
    start = 0
    opened_at = 0
    for i, ch in enumerate(text):
        if ch == "(":
            if depth == 0:
                opened_at = i
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                raise FlowSyntaxError("unmatched ')'", column=base + i, token=")")
        elif depth == 0 and ch in separators:
            if i > start:
                items.append((text[start:i], base + start))
            start = i + 1
    if depth:
        raise FlowSyntaxError("'(' is never closed", column=base + opened_at, token="(")
    if start < len(text):
        items.append((text[start:], base + start))
    return items


def _split_key(item: str, column: int, signs: str) -> Piece:
    """``key=value`` (or ``key:value`` when ``:`` is in *signs*) outside parentheses."""
    depth = 0
    for i, ch in enumerate(item):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0 and ch in signs:
            return Piece(item[:i].strip(), item[i + 1:].strip(), column, column + i + 1)
    return Piece(item.strip(), None, column, column)


def split_top(text: str, base: int = 1) -> list[Piece]:
    """Pieces of a flow or match (no ``actions=`` part): commas and spaces separate."""
    return [_split_key(item, col, "=") for item, col in _pieces(text, base, ", \t")]


def split_flow(text: str) -> tuple[list[Piece], Piece | None]:
    """The pieces before ``actions=`` and the ``actions`` piece (``None`` if absent)."""
    lowered = text.lower()
    at = -1
    search = 0
    while True:
        at = lowered.find("actions", search)
        if at < 0:
            break
        before_ok = at == 0 or lowered[at - 1] in ", \t"
        rest = lowered[at + len("actions"):].lstrip(" \t")
        if before_ok and rest[:1] in ("=", ":"):
            break
        search = at + 1
    if at < 0:
        return split_top(text), None
    head = split_top(text[:at])
    sign = text.index("=" if "=" in text[at:at + 12] else ":", at)
    value = text[sign + 1:]
    stripped = value.lstrip()
    column = sign + 2 + (len(value) - len(stripped))
    return head, Piece("actions", stripped.rstrip(), at + 1, column)


def _closing(text: str, start: int) -> int:
    """The index of the ``)`` matching the ``(`` at *start* (balanced by ``_pieces``)."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    return len(text) - 1


def split_actions(text: str, base: int) -> list[Piece]:
    """The actions of an action list, each as ``name`` + argument, split at the first
    of ``(``, ``:`` and ``=``: ``output:2`` gives (``output``, ``2``); ``ct(commit)``
    gives (``ct``, ``commit``); a bare ``2`` gives (``2``, None); ``set_field:1->reg0``
    gives (``set_field``, ``1->reg0``); ``check_pkt_larger(1500)->reg0[0]`` gives
    (``check_pkt_larger``, ``1500``) with ``after`` ``reg0[0]``."""
    out: list[Piece] = []
    for item, col in _pieces(text, base, ","):
        stripped = item.strip()
        col += len(item) - len(item.lstrip())
        marks = [i for i in (stripped.find("("), stripped.find(":"), stripped.find("=")) if i > 0]
        first = min(marks) if marks else -1
        if first < 0:
            out.append(Piece(stripped, None, col, col))
        elif stripped[first] == "(":
            close = _closing(stripped, first)
            rest = stripped[close + 1:]
            if rest and not rest.startswith("->"):
                raise FlowSyntaxError(f"text after ')' in {stripped!r}", column=col + close + 1,
                                      token=rest)
            out.append(Piece(stripped[:first], stripped[first + 1:close], col, col + first + 1,
                             rest[2:], col + close + 3 if rest else 0))
        else:
            out.append(Piece(stripped[:first], stripped[first + 1:], col, col + first + 1))
    return out
