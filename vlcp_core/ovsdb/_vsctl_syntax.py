"""ovs-vsctl's text syntax for database values, ``column[:key]`` arguments, table and
column names, and ``find`` conditions, with no I/O (``ovs-vsctl(8)``, "Database
Values" and "Database Command Syntax").

Values are parsed with the column's schema type into ``_schema``'s Python
representation (an atom, ``None`` for an empty optional column, a ``frozenset``, a
``dict``); constraints (enum, ranges, sizes) are left to the transaction builder,
which checks them before anything is sent.

- atoms: integers (``-5``, ``+5``), reals, ``true``/``false``, strings bare
  (``secure``, ``OpenFlow13``, ``00:11`` is *not* bare: ``:`` ends a bare word, as in
  ovs-vsctl) or JSON-quoted (``"tcp:127.0.0.1:6653"``, ``""``), UUIDs in full
  (``@name`` only from *symbols*: the names a caller defines);
- sets: atoms separated by spaces or one comma, optionally in ``[...]``; ``[]`` is
  empty; in a set of integers ``1-5`` is the range 1 to 5 (at most 4096 values);
- maps: ``key=value`` pairs separated by spaces or one comma, optionally in
  ``{...}``; ``{}`` is empty;
- after ``column:key=`` the value is one atom: the whole text, unless it starts
  with ``"`` (``external_ids:owner=x y`` is ``"x y"``).
"""

from __future__ import annotations

import json
import math
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ._schema import BaseType, ColumnSchema, ColumnType, DatabaseSchema, NamedUUID, TableSchema

__all__ = ["ARITHMETIC_OPERATORS", "SET_OPERATORS", "ColumnArgument", "FindCondition",
           "empty_value", "match_name", "parse_assigned", "parse_atom", "parse_column_argument",
           "parse_condition", "parse_datum", "parse_elements", "resolve_column",
           "resolve_table"]

ARITHMETIC_OPERATORS = ("=", "!=", "<", ">", "<=", ">=")
SET_OPERATORS = ("{=}", "{!=}", "{<}", "{>}", "{<=}", "{>=}", "{in}", "{not-in}")
_BY_LENGTH = sorted(ARITHMETIC_OPERATORS + SET_OPERATORS, key=len, reverse=True)
_DELIMITERS = frozenset(' \t\r\n,=[]{}:!<>"')
_OPERATOR_START = "=!<>{"
_INTEGER = re.compile(r"[-+]?[0-9]+\Z")
_RANGE = re.compile(r"([-+]?[0-9]+)-([-+]?[0-9]+)\Z")
_REAL = re.compile(r"[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\Z")
_UUID = re.compile(r"[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\Z")
_COLUMN = re.compile(r"[A-Za-z0-9_-]+")
_MAX_RANGE = 4096
_EXPECTED = {"integer": "an integer", "real": "a real number",
             "boolean": "a boolean (true or false)", "string": "a string",
             "uuid": "a UUID or an @name"}
Symbols = Mapping[str, uuid.UUID | NamedUUID]


# --- names -----------------------------------------------------------------------------

def _fold(name: str) -> str:
    return name.lower().replace("-", "_")


def match_name(kind: str, text: str, names: Iterable[str], where: str) -> str:
    """The one of *names* that *text* names, as ovs-vsctl matches table and column
    names: exactly, else ignoring case with ``-`` for ``_``, else as a unique prefix."""
    candidates = list(names)
    if text in candidates:
        return text
    folded = _fold(text)
    same = [name for name in candidates if _fold(name) == folded]
    if len(same) == 1:
        return same[0]
    prefixed = [name for name in candidates if _fold(name).startswith(folded)] if text else []
    if len(prefixed) == 1:
        return prefixed[0]
    if len(prefixed) > 1:
        raise ValueError(f"{where}: {text!r} matches several {kind}s: "
                         f"{', '.join(sorted(prefixed))}")
    raise ValueError(f"{where}: no {kind} is named {text!r}")


def resolve_table(schema: DatabaseSchema, text: str) -> TableSchema:
    """The table *text* names (``bridge``, ``br``, ``Open-vSwitch``...)."""
    return schema.tables[match_name("table", text, schema.tables, f"database {schema.name}")]


def resolve_column(table: TableSchema, text: str) -> ColumnSchema:
    """The column *text* names in *table* (``other-config``, ``fail``...)."""
    return table.columns[match_name("column", text, table.columns, f"table {table.name}")]


# --- the scanner -----------------------------------------------------------------------

class _Scanner:
    """A cursor over one argument; ``error`` names the column, the text and the place."""

    def __init__(self, text: str, label: str) -> None:
        self.text = text
        self.label = label
        self.pos = 0

    def error(self, problem: str) -> ValueError:
        at = f" at character {self.pos + 1}" if 0 < self.pos < len(self.text) else ""
        return ValueError(f"{self.label}: {self.text!r}{at}: {problem}")

    @property
    def done(self) -> bool:
        return self.pos >= len(self.text)

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def skip(self) -> bool:
        """Skip white space; True if there was some."""
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1
        return self.pos > start

    def take(self, char: str) -> bool:
        if self.peek() == char:
            self.pos += 1
            return True
        return False

    def quoted(self) -> str:
        """The JSON string starting here (at its opening quote)."""
        end = self.pos + 1
        while end < len(self.text) and self.text[end] != '"':
            end += 2 if self.text[end] == "\\" else 1
        if end >= len(self.text):
            raise self.error("missing the closing quote of a quoted string")
        try:
            value = json.loads(self.text[self.pos:end + 1])
        except ValueError as exc:
            raise self.error(f"malformed quoted string ({exc.args[0].split(':')[0]})") from None
        self.pos = end + 1
        if not isinstance(value, str) or "\0" in value:
            raise self.error("a string cannot hold a null character")
        return value

    def token(self, expected: str) -> tuple[str, bool]:
        """The next atom's text and whether it was quoted."""
        if self.peek() == '"':
            return self.quoted(), True
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in _DELIMITERS:
            self.pos += 1
        if self.pos == start:
            found = f"unexpected {self.peek()!r}" if self.peek() else "the text ended"
            hint = " (quote strings that hold it)" if self.peek() == ":" else ""
            raise self.error(f"{found}: expected {expected}{hint}")
        return self.text[start:self.pos], False


# --- atoms and values ------------------------------------------------------------------

def _atom(base: BaseType, text: str, quoted: bool, symbols: Symbols | None,
          fail: Callable[[str], ValueError]) -> Any:
    """*text* as an atom of *base*; ``fail(problem)`` makes the error (the problem
    says what is wrong with the atom, e.g. ``is not an integer``)."""
    atomic = base.atomic
    if atomic == "string":
        return text
    expected = _EXPECTED[atomic]
    if quoted:
        raise fail(f"is a quoted string, not {expected}")
    if atomic == "integer" and _INTEGER.match(text):
        return int(text)
    if atomic == "real" and _REAL.match(text):
        return float(text)
    if atomic == "boolean" and text in ("true", "false"):
        return text == "true"
    if atomic == "uuid":
        if _UUID.match(text):
            return uuid.UUID(text)
        if text.startswith("@"):
            if symbols is None or text[1:] not in symbols:
                known = ", ".join("@" + name for name in symbols or ()) or "none"
                raise fail(f"is not defined here (@names defined: {known})")
            return symbols[text[1:]]
    raise fail(f"is not {expected}")


def parse_atom(base: BaseType, text: str, *, label: str, symbols: Symbols | None = None
               ) -> Any:
    """One atom written as a whole argument (a map key, the value after
    ``column:key=``): the whole text, or one JSON-quoted string."""
    scanner = _Scanner(text, label)
    if not text:
        raise scanner.error(f"expected {_EXPECTED[base.atomic]} (the empty string is \"\")")

    def fail(problem: str) -> ValueError:
        return ValueError(f"{label}: {text!r} {problem}")

    if text.startswith('"'):
        value = scanner.quoted()
        if not scanner.done:
            raise scanner.error("text after the quoted string")
        return _atom(base, value, True, symbols, fail)
    return _atom(base, text, False, symbols, fail)


def _elements(scanner: _Scanner, closing: str, one: Callable[[], list[Any]]) -> list[Any]:
    """Elements separated by white space or one comma, up to *closing* (or the end)."""
    items: list[Any] = []

    def at_end() -> bool:
        return scanner.done or (bool(closing) and scanner.peek() == closing)

    scanner.skip()
    if at_end():
        return items
    while True:
        items.extend(one())
        spaced = scanner.skip()
        if at_end():
            return items
        if scanner.take(","):
            scanner.skip()
            if at_end():
                return items  # "1," is 1, as ovs-vsctl reads it
            if scanner.peek() == ",":
                raise scanner.error("expected a value after ','")
        elif not spaced:
            raise scanner.error(f"unexpected {scanner.peek()!r}")


def parse_datum(ctype: ColumnType, text: str, *, label: str, symbols: Symbols | None = None
                ) -> Any:
    """A whole column value written in ovs-vsctl's syntax, as the Python value of
    *ctype*: scalar atom, optional atom or ``None``, ``frozenset``, ``dict``."""
    scanner = _Scanner(text, label)
    is_map = ctype.value is not None
    opener, closing = ("{", "}") if is_map else ("[", "]")
    scanner.skip()
    bracketed = scanner.take(opener)

    def atom(base: BaseType) -> Any:
        start = scanner.pos
        word, quoted = scanner.token(_EXPECTED[base.atomic])
        written = text[start:scanner.pos]

        def fail(problem: str) -> ValueError:
            where = repr(written) if written == text.strip() else f"{written!r} in {text!r}"
            return ValueError(f"{label}: {where} {problem}")

        return _atom(base, word, quoted, symbols, fail)

    def element() -> list[Any]:
        if is_map:
            assert ctype.value is not None
            key = atom(ctype.key)
            if not scanner.take("="):
                raise scanner.error(f"expected '=' after the key {key!r} (a map is "
                                    f"key=value pairs)")
            return [(key, atom(ctype.value))]
        if ctype.key.atomic == "integer" and ctype.max > 1 and scanner.peek() != '"':
            start = scanner.pos
            word, _ = scanner.token(_EXPECTED["integer"])
            match = _RANGE.match(word)
            if match and not _INTEGER.match(word):
                low, high = int(match.group(1)), int(match.group(2))
                if low > high or high - low >= _MAX_RANGE:
                    raise scanner.error(f"the range {word} must go up, with at most "
                                        f"{_MAX_RANGE} values")
                return list(range(low, high + 1))
            scanner.pos = start
        return [atom(ctype.key)]

    items = _elements(scanner, closing if bracketed else "", element)
    if bracketed and not scanner.take(closing):
        raise scanner.error(f"missing the closing {closing!r}")
    scanner.skip()
    if not scanner.done:
        raise scanner.error(f"unexpected {scanner.peek()!r} after the value")
    if is_map:
        result = dict(items)
        if len(result) != len(items):
            raise scanner.error("the map holds a key twice")
        return result
    values = frozenset(items)
    if len(values) != len(items):
        raise scanner.error("the set holds a value twice")
    if ctype.kind == "set":
        return values
    if len(items) > 1 or (ctype.kind == "scalar" and not items):
        raise scanner.error(f"expected exactly one value{'' if ctype.min else ' or []'}, "
                            f"got {len(items)}")
    return items[0] if items else None


# --- column[:key] arguments ------------------------------------------------------------

@dataclass(frozen=True)
class ColumnArgument:
    """``column[:key][operator value]``: the column, the key (``has_key``: one was
    written; parsed with the map's key type), the operator and the value's text."""

    column: ColumnSchema
    has_key: bool
    key: Any
    operator: str
    value: str

    @property
    def label(self) -> str:
        return f"{self.column.label}:{self.key}" if self.has_key else self.column.label


def parse_column_argument(table: TableSchema, text: str, *, operators: Iterable[str] = (),
                          symbols: Symbols | None = None) -> ColumnArgument:
    """Split ``column[:key]`` followed by one of *operators* and a value (none: the
    whole text is ``column[:key]``); a key needs a map column."""
    allowed = [op for op in _BY_LENGTH if op in set(operators)]
    shape = f"column[:key]{allowed[-1] if allowed else ''}{'value' if allowed else ''}"
    match = _COLUMN.match(text)
    if match is None:
        raise ValueError(f"table {table.name}: {text!r}: expected {shape}")
    column = resolve_column(table, match.group(0))
    rest = text[match.end():]
    key_text: str | None = None
    if rest.startswith(":"):
        rest = rest[1:]
        if not allowed:
            key_text, rest = rest, ""
        elif rest.startswith('"'):
            scanner = _Scanner(rest, column.label)
            scanner.quoted()
            key_text, rest = rest[:scanner.pos], rest[scanner.pos:]
        else:
            end = min((i for i in (rest.find(c) for c in _OPERATOR_START) if i >= 0),
                      default=len(rest))
            key_text, rest = rest[:end], rest[end:]
    operator = next((op for op in allowed if rest.startswith(op)), "")
    if allowed and (not operator or operator == rest):
        raise ValueError(f"{column.label}: {text!r}: expected {shape}: "
                         f"{'one of ' + ' '.join(allowed) if not operator else 'a value'} "
                         f"after {text[:len(text) - len(rest)]!r}")
    if not allowed and rest:
        raise ValueError(f"{column.label}: {text!r}: expected {shape}")
    key: Any = None
    if key_text is not None:
        if column.type.value is None:
            raise ValueError(f"{column.label}: {text!r}: a key applies only to a map "
                             f"column, and {column.name} is not a map")
        key = parse_atom(column.type.key, key_text, label=f"{column.label} key",
                         symbols=symbols)
    return ColumnArgument(column, key_text is not None, key, operator,
                          rest[len(operator):])


def parse_assigned(argument: ColumnArgument, symbols: Symbols | None = None) -> Any:
    """The value of ``column[:key]=value``: one atom after a key, else the column's."""
    column = argument.column
    if argument.has_key:
        assert column.type.value is not None
        return parse_atom(column.type.value, argument.value, label=argument.label,
                          symbols=symbols)
    return parse_datum(column.type, argument.value, label=column.label, symbols=symbols)


def parse_elements(column: ColumnSchema, text: str, ctype: ColumnType | None = None) -> Any:
    """An ``add``/``remove`` argument: one or more elements of the column's type (or
    *ctype*'s), as a ``frozenset`` or a ``dict``."""
    ctype = ctype or ColumnType(column.type.key, column.type.value, 0, math.inf)
    value = parse_datum(ctype, text, label=column.label)
    if not value:
        raise ValueError(f"{column.label}: {text!r}: expected at least one value")
    return value


def empty_value(column: ColumnSchema) -> Any:
    """The empty value of *column* (``clear``); ``ValueError`` if it cannot be empty."""
    if column.type.min > 0:
        raise ValueError(f"{column.label}: cannot be cleared: the column must hold at "
                         f"least {column.type.min} value")
    if column.type.value is not None:
        return {}
    return None if column.type.kind == "optional" else frozenset()


# --- find conditions -------------------------------------------------------------------

def _order(left: list[Any], right: list[Any], pairs: bool) -> int:
    """ovs-vsctl's order of two sorted element lists: more elements is larger, else
    the first differing pair decides (for maps: the keys first, then the values)."""
    if len(left) != len(right):
        return -1 if len(left) < len(right) else 1
    if pairs:
        return (_order([k for k, _ in left], [k for k, _ in right], False)
                or _order([v for _, v in left], [v for _, v in right], False))
    for one, other in zip(left, right, strict=True):
        if one != other:
            return -1 if one < other else 1
    return 0


def _as_elements(value: Any, ctype: ColumnType) -> list[Any]:
    if ctype.value is not None:
        return sorted(value.items())
    if ctype.kind == "scalar":
        return [value]
    if ctype.kind == "optional":
        return [] if value is None else [value]
    return sorted(value)


@dataclass(frozen=True)
class FindCondition:
    """A ``find`` condition: ``column[:key]``, an operator and the value it compares
    with (parsed with the column's type, any number of elements)."""

    argument: ColumnArgument
    value: Any

    def holds(self, row_value: Any) -> bool:
        """Whether a row whose column is *row_value* satisfies the condition, as
        ``ovs-vsctl(8)`` defines its operators."""
        argument = self.argument
        ctype = argument.column.type
        if argument.has_key:
            assert ctype.value is not None
            if argument.key not in row_value and argument.operator in ARITHMETIC_OPERATORS:
                return False  # a missing key never satisfies = != < > <= >=
            mine = [row_value[argument.key]] if argument.key in row_value else []
            pairs = False
        else:
            mine = _as_elements(row_value, ctype)
            pairs = ctype.value is not None
        theirs = _as_elements(self.value, _relaxed(argument))
        op = argument.operator
        if op in ARITHMETIC_OPERATORS:
            order = _order(mine, theirs, pairs)
            return {"=": order == 0, "!=": order != 0, "<": order < 0, ">": order > 0,
                    "<=": order <= 0, ">=": order >= 0}[op]
        own, other = set(mine), set(theirs)
        return {"{=}": own == other, "{!=}": own != other, "{<}": own < other,
                "{>}": own > other, "{<=}": own <= other, "{>=}": own >= other,
                "{in}": own <= other, "{not-in}": not own & other}[op]


def _relaxed(argument: ColumnArgument) -> ColumnType:
    ctype = argument.column.type
    if argument.has_key:
        assert ctype.value is not None
        return ColumnType(ctype.value, None, 0, math.inf)
    return ColumnType(ctype.key, ctype.value, 0, math.inf)


def parse_condition(table: TableSchema, text: str) -> FindCondition:
    """``column[:key]OPvalue`` for ``find``: OP one of ``= != < > <= >=`` or ``{=} {!=}
    {<} {>} {<=} {>=} {in} {not-in}``."""
    argument = parse_column_argument(table, text,
                                     operators=ARITHMETIC_OPERATORS + SET_OPERATORS)
    return FindCondition(argument, parse_datum(_relaxed(argument), argument.value,
                                               label=argument.label))
