"""OVSDB schemas (RFC 7047 section 3.2) and values (section 5.1), with no I/O.

A ``DatabaseSchema`` is read from the JSON a server returns for ``get_schema`` (or
a ``.ovsschema`` file).  ``to_wire`` / ``from_wire`` convert one column's value
between Python and the wire; ``to_wire`` also checks everything the server will:
the atomic type, ``enum``, integer and real ranges, string lengths, set sizes.

Python representation, by the column's kind (``ColumnType.kind``):

=========  ======================================  ================================
kind       type                                    Python
=========  ======================================  ================================
scalar     min = max = 1, no value                 the atom
optional   min 0, max 1, no value                  the atom or ``None``
set        any other type without a value          ``frozenset`` of atoms (``set``,
                                                   list, tuple or a bare atom in)
map        a type with a value                     ``dict`` (any ``Mapping`` in)
=========  ======================================  ================================

Atoms: integer ``int``, real ``float``, boolean ``bool``, string ``str``, uuid
``uuid.UUID`` (a ``NamedUUID`` too when sending: a row inserted by the same
transaction).  On the wire a uuid is ``["uuid", "..."]``, a named uuid
``["named-uuid", "row1"]``, a set ``["set", [...]]`` (one element may be bare), a map
``["map", [[key, value], ...]]``.  Sets and maps are sent sorted, so the JSON of a
value is always the same.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import math
import re
import uuid
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ATOMIC_TYPES", "BaseType", "ColumnSchema", "ColumnType", "DatabaseSchema",
           "NamedUUID", "SchemaError", "TableSchema", "ValueConversionError", "atom_from_wire",
           "atom_to_wire", "datum_from_wire", "datum_to_wire", "default_value", "from_wire",
           "to_wire"]

ATOMIC_TYPES = ("integer", "real", "boolean", "string", "uuid")
INTEGER_MIN = -(2**63)
INTEGER_MAX = 2**63 - 1
_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_ENGLISH = {"integer": "an integer", "real": "a real number", "boolean": "a boolean",
            "string": "a string", "uuid": "a uuid.UUID or NamedUUID"}
_DEFAULT_ATOM: dict[str, Any] = {"integer": 0, "real": 0.0, "boolean": False, "string": "",
                                 "uuid": uuid.UUID(int=0)}


class SchemaError(ValueError):
    """A schema that breaks RFC 7047's rules; the message names the table and column."""


class ValueConversionError(ValueError):
    """A value that does not fit its column, e.g.
    ``Bridge.fail_mode: 'bogus' is not one of secure, standalone``."""


class NamedUUID(str):
    """The name of a row inserted by the same transaction (``"row1"``); on the wire
    ``["named-uuid", "row1"]``.  It must be an <id>: ``[A-Za-z_][A-Za-z0-9_]*``."""

    __slots__ = ()

    def __new__(cls, name: str) -> NamedUUID:
        if not isinstance(name, str) or not _ID.match(name):
            raise ValueError(f"named-uuid {name!r} is not an <id> ([A-Za-z_][A-Za-z0-9_]*)")
        return super().__new__(cls, name)

    def __repr__(self) -> str:
        return f"NamedUUID({str.__repr__(self)})"


def _range_text(low: Any, high: Any) -> str:
    if low is not None and high is not None:
        return f"{low}..{high}"
    return f"at least {low}" if low is not None else f"at most {high}"


def _outside(value: Any, low: Any, high: Any) -> bool:
    return (low is not None and value < low) or (high is not None and value > high)


@dataclass(frozen=True)
class BaseType:
    """An atomic type with its constraints (RFC 7047 <base-type>)."""

    atomic: str
    enum: frozenset[Any] | None = None
    min_integer: int | None = None
    max_integer: int | None = None
    min_real: float | None = None
    max_real: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    ref_table: str | None = None
    ref_type: str = "strong"

    @classmethod
    def from_json(cls, data: Any, *, where: str) -> BaseType:
        """Parse a <base-type>: an atomic type name or an object; ``where`` names it."""
        if isinstance(data, str):
            data = {"type": data}
        if not isinstance(data, dict):
            raise SchemaError(f"{where}: a base type must be a string or an object, "
                              f"not {data!r}")
        atomic = data.get("type")
        if atomic not in ATOMIC_TYPES:
            raise SchemaError(f"{where}: unknown atomic type {atomic!r} "
                              f"(one of {', '.join(ATOMIC_TYPES)})")
        allowed = {"integer": ("minInteger", "maxInteger"), "real": ("minReal", "maxReal"),
                   "string": ("minLength", "maxLength"), "uuid": ("refTable", "refType"),
                   "boolean": ()}[atomic]
        for name in data:
            if name not in ("type", "enum", *allowed):
                raise SchemaError(f"{where}: {name!r} is not allowed in a {atomic} base type")
        bounds = [data.get(name) for name in allowed[:2]] if atomic != "uuid" else []
        for name, bound in zip(allowed, bounds, strict=False):
            ok = isinstance(bound, int) and not isinstance(bound, bool)
            if atomic == "real":
                ok = ok or isinstance(bound, float)
            if bound is not None and not ok:
                raise SchemaError(f"{where}: {name} must be a number, not {bound!r}")
        if len(bounds) == 2 and bounds[0] is not None and bounds[1] is not None \
                and bounds[0] > bounds[1]:
            raise SchemaError(f"{where}: {allowed[0]} {bounds[0]} exceeds {allowed[1]} "
                              f"{bounds[1]}")
        ref_type = data.get("refType", "strong")
        if ref_type not in ("strong", "weak"):
            raise SchemaError(f"{where}: refType must be strong or weak, not {ref_type!r}")
        ref_table = data.get("refTable")
        if ref_table is not None and not isinstance(ref_table, str):
            raise SchemaError(f"{where}: refTable must be a table name, not {ref_table!r}")
        base = cls(atomic,
                   min_integer=data.get("minInteger"), max_integer=data.get("maxInteger"),
                   min_real=_float_or_none(data.get("minReal")),
                   max_real=_float_or_none(data.get("maxReal")),
                   min_length=data.get("minLength"), max_length=data.get("maxLength"),
                   ref_table=ref_table, ref_type=ref_type)
        if "enum" in data:
            unconstrained = cls(atomic, ref_table=ref_table, ref_type=ref_type)
            enum_type = ColumnType(unconstrained, None, 1, math.inf)
            try:
                values = datum_from_wire(enum_type, data["enum"], label=f"{where} enum")
            except ValueConversionError as exc:
                raise SchemaError(str(exc)) from None
            base = cls(atomic, frozenset(values), base.min_integer, base.max_integer,
                       base.min_real, base.max_real, base.min_length, base.max_length,
                       ref_table, ref_type)
        return base


def _float_or_none(value: Any) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class ColumnType:
    """A column's type (RFC 7047 <type>): key, optional value, min and max elements
    (``math.inf`` for "unlimited")."""

    key: BaseType
    value: BaseType | None = None
    min: int = 1
    max: int | float = 1

    @property
    def is_scalar(self) -> bool:
        return self.min == 1 and self.max == 1 and self.value is None

    @property
    def is_optional(self) -> bool:
        return self.min == 0 and self.max == 1 and self.value is None

    @property
    def is_set(self) -> bool:
        """A set of any other size (a Python ``frozenset``): neither scalar nor optional."""
        return self.value is None and not self.is_scalar and not self.is_optional

    @property
    def is_map(self) -> bool:
        return self.value is not None

    @property
    def kind(self) -> str:
        """``"scalar"``, ``"optional"``, ``"set"`` or ``"map"``: the Python representation."""
        if self.value is not None:
            return "map"
        if self.max == 1:
            return "scalar" if self.min == 1 else "optional"
        return "set"

    @classmethod
    def from_json(cls, data: Any, *, where: str) -> ColumnType:
        """Parse a <type>: an atomic type name or an object with key, value, min, max."""
        if isinstance(data, str):
            return cls(BaseType.from_json(data, where=where))
        if not isinstance(data, dict) or "key" not in data:
            raise SchemaError(f"{where}: a type must be an atomic type name or an object "
                              f"with a key, not {data!r}")
        extra = set(data) - {"key", "value", "min", "max"}
        if extra:
            raise SchemaError(f"{where}: unknown type members {sorted(extra)}")
        key = BaseType.from_json(data["key"], where=where)
        value = (BaseType.from_json(data["value"], where=f"{where} value")
                 if "value" in data else None)
        low = data.get("min", 1)
        high = data.get("max", 1)
        if low not in (0, 1) or isinstance(low, bool):
            raise SchemaError(f"{where}: min must be 0 or 1, not {low!r}")
        if high == "unlimited":
            high = math.inf
        elif not isinstance(high, int) or isinstance(high, bool) or high < 1:
            raise SchemaError(f"{where}: max must be a positive integer or \"unlimited\", "
                              f"not {high!r}")
        return cls(key, value, low, high)


@dataclass(frozen=True)
class ColumnSchema:
    """A column: name, type, ephemeral and mutable flags, and its table's name."""

    name: str
    type: ColumnType
    ephemeral: bool = False
    mutable: bool = True
    table: str = ""

    @property
    def label(self) -> str:
        """``Table.column`` for messages."""
        return f"{self.table}.{self.name}" if self.table else self.name


def _uuid_column(name: str, table: str) -> ColumnSchema:
    return ColumnSchema(name, ColumnType(BaseType("uuid")), False, False, table)


def _near(name: str, names: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(names), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


@dataclass(frozen=True)
class TableSchema:
    """A table: its columns (``_uuid`` and ``_version`` included), root flag, row limit
    and indexes (lists of column names)."""

    name: str
    columns: dict[str, ColumnSchema]
    is_root: bool = False
    max_rows: int | None = None
    indexes: list[list[str]] = field(default_factory=list)

    def column(self, name: str) -> ColumnSchema:
        """The column *name*; ``ValueError`` naming the table when there is none."""
        found = self.columns.get(name)
        if found is None:
            raise ValueError(f"{self.name}.{name}: table {self.name} has no column "
                             f"{name!r}{_near(name, self.columns)}")
        return found

    @property
    def user_columns(self) -> list[str]:
        """Every column but ``_uuid`` and ``_version``, in schema order."""
        return [name for name in self.columns if not name.startswith("_")]


@dataclass(frozen=True)
class DatabaseSchema:
    """A database schema (RFC 7047 <database-schema>)."""

    name: str
    version: str
    cksum: str | None
    tables: dict[str, TableSchema]

    def table(self, name: str) -> TableSchema:
        """The table *name*; ``ValueError`` naming the database when there is none."""
        found = self.tables.get(name)
        if found is None:
            raise ValueError(f"{name}: database {self.name} has no table "
                             f"{name!r}{_near(name, self.tables)}")
        return found

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DatabaseSchema:
        """Parse a <database-schema>; ``SchemaError`` names the table or column at fault.

        When no table says ``"isRoot": true`` every table is a root table (schemas
        older than ``isRoot``, as ovsdb-server reads them)."""
        if not isinstance(data, dict):
            raise SchemaError(f"a database schema must be a JSON object, not {type(data)}")
        name = data.get("name")
        if not isinstance(name, str) or not _ID.match(name):
            raise SchemaError(f"schema name {name!r} is not an <id>")
        version = data.get("version", "")
        if not isinstance(version, str) or (version and not re.fullmatch(
                r"[0-9]+\.[0-9]+\.[0-9]+", version)):
            raise SchemaError(f"{name}: version {version!r} is not <major>.<minor>.<patch>")
        cksum = data.get("cksum")
        if cksum is not None and not isinstance(cksum, str):
            raise SchemaError(f"{name}: cksum must be a string, not {cksum!r}")
        raw_tables = data.get("tables")
        if not isinstance(raw_tables, dict) or not raw_tables:
            raise SchemaError(f"{name}: 'tables' must be a non-empty object")
        tables = {table: _table_from_json(table, raw) for table, raw in raw_tables.items()}
        for table in tables.values():
            for column in table.columns.values():
                for base in (column.type.key, column.type.value):
                    if base is not None and base.ref_table is not None \
                            and base.ref_table not in tables:
                        raise SchemaError(f"{column.label}: refTable {base.ref_table!r} "
                                          f"is not a table of {name}")
        if not any(table.is_root for table in tables.values()):
            tables = {key: TableSchema(t.name, t.columns, True, t.max_rows, t.indexes)
                      for key, t in tables.items()}
        return cls(name, version, cksum, tables)


def _table_from_json(name: str, data: Any) -> TableSchema:
    if not _ID.match(name) or name.startswith("_"):
        raise SchemaError(f"{name}: a table name must be an <id> not starting with '_'")
    if not isinstance(data, dict) or not isinstance(data.get("columns"), dict):
        raise SchemaError(f"{name}: a table must be an object with 'columns'")
    extra = set(data) - {"columns", "maxRows", "isRoot", "indexes"}
    if extra:
        raise SchemaError(f"{name}: unknown table members {sorted(extra)}")
    columns = {"_uuid": _uuid_column("_uuid", name), "_version": _uuid_column("_version", name)}
    for column, raw in data["columns"].items():
        where = f"{name}.{column}"
        if not _ID.match(column) or column.startswith("_"):
            raise SchemaError(f"{where}: a column name must be an <id> not starting with '_'")
        if not isinstance(raw, dict) or "type" not in raw:
            raise SchemaError(f"{where}: a column must be an object with a 'type'")
        extra = set(raw) - {"type", "ephemeral", "mutable"}
        if extra:
            raise SchemaError(f"{where}: unknown column members {sorted(extra)}")
        for flag in ("ephemeral", "mutable"):
            if not isinstance(raw.get(flag, False), bool):
                raise SchemaError(f"{where}: {flag} must be a boolean")
        columns[column] = ColumnSchema(column, ColumnType.from_json(raw["type"], where=where),
                                       raw.get("ephemeral", False), raw.get("mutable", True),
                                       name)
    max_rows = data.get("maxRows")
    if max_rows is not None and (not isinstance(max_rows, int) or isinstance(max_rows, bool)
                                 or max_rows < 1):
        raise SchemaError(f"{name}: maxRows must be a positive integer, not {max_rows!r}")
    is_root = data.get("isRoot", False)
    if not isinstance(is_root, bool):
        raise SchemaError(f"{name}: isRoot must be a boolean, not {is_root!r}")
    indexes = data.get("indexes", [])
    if not isinstance(indexes, list):
        raise SchemaError(f"{name}: indexes must be a list of column lists")
    for index in indexes:
        if not isinstance(index, list) or not index:
            raise SchemaError(f"{name}: index {index!r} must be a non-empty list of columns")
        for column in index:
            if column not in columns or column.startswith("_"):
                raise SchemaError(f"{name}.{column}: index {index} names a column that "
                                  f"{name} does not have")
    return TableSchema(name, columns, is_root, max_rows, [list(index) for index in indexes])


# ---------------------------------------------------------------------------------------
# Values


def _fail(where: str, label: str, problem: str) -> ValueConversionError:
    prefix = f"{where}: " if where else ""
    return ValueConversionError(f"{prefix}{label}: {problem}")


def _atom(base: BaseType, value: Any, label: str, where: str, check: bool) -> Any:
    """*value* as the canonical Python atom of *base* (checked against its constraints
    when *check*); ``ValueConversionError`` otherwise."""
    atomic = base.atomic
    if atomic == "integer":
        good = isinstance(value, int) and not isinstance(value, bool)
        if good and not INTEGER_MIN <= value <= INTEGER_MAX:
            raise _fail(where, label, f"{value} does not fit in 64 bits")
    elif atomic == "real":
        good = isinstance(value, int | float) and not isinstance(value, bool)
        if good:
            value = float(value)
            if not math.isfinite(value):
                raise _fail(where, label, f"{value} is not a finite number")
    elif atomic == "boolean":
        good = isinstance(value, bool)
    elif atomic == "string":
        good = isinstance(value, str)
    else:
        good = isinstance(value, uuid.UUID | NamedUUID)
    if not good:
        raise _fail(where, label, f"expected {_ENGLISH[atomic]}, got "
                                  f"{type(value).__name__} {value!r}")
    if not check:
        return value
    if base.enum is not None and value not in base.enum:
        if isinstance(value, NamedUUID):
            return value
        choices = ", ".join(sorted(str(choice) for choice in base.enum))
        raise _fail(where, label, f"{value!r} is not one of {choices}")
    if atomic == "integer" and _outside(value, base.min_integer, base.max_integer):
        raise _fail(where, label, f"{value} is not in the range "
                                  f"{_range_text(base.min_integer, base.max_integer)}")
    if atomic == "real" and _outside(value, base.min_real, base.max_real):
        raise _fail(where, label, f"{value} is not in the range "
                                  f"{_range_text(base.min_real, base.max_real)}")
    if atomic == "string" and _outside(len(value), base.min_length, base.max_length):
        raise _fail(where, label, f"{value!r} is {len(value)} characters long, not "
                                  f"{_range_text(base.min_length, base.max_length)}")
    return value


def _atom_json(value: Any) -> Any:
    if isinstance(value, NamedUUID):
        return ["named-uuid", str(value)]
    if isinstance(value, uuid.UUID):
        return ["uuid", str(value)]
    return value


def _sort_key(value: Any) -> Any:
    if isinstance(value, uuid.UUID | NamedUUID):
        return (isinstance(value, NamedUUID), str(value))
    return value


def atom_to_wire(base: BaseType, value: Any, *, where: str = "", label: str = "value",
                 check: bool = True) -> Any:
    """One atom of type *base* as JSON (constraints checked when *check*)."""
    return _atom_json(_atom(base, value, label, where, check))


def atom_from_wire(base: BaseType, wire: Any, *, label: str = "value") -> Any:
    """One JSON atom of type *base* as Python (no constraint checks: the server's data)."""
    if base.atomic == "uuid":
        if (isinstance(wire, list) and len(wire) == 2 and isinstance(wire[1], str)
                and wire[0] in ("uuid", "named-uuid")):
            if wire[0] == "named-uuid":
                return NamedUUID(wire[1])
            try:
                return uuid.UUID(wire[1])
            except ValueError:
                pass
        raise _fail("", label, f"{wire!r} is not a <uuid> or <named-uuid>")
    if base.atomic == "real" and isinstance(wire, int) and not isinstance(wire, bool):
        wire = float(wire)
    return _atom(base, wire, label, "", False)


def _elements(value: Any, kind: str, label: str, where: str) -> list[Any]:
    """The elements of a set-like Python value (a bare atom is one element)."""
    if isinstance(value, Mapping):
        raise _fail(where, label, f"expected a {kind}, got a mapping {value!r}")
    if isinstance(value, AbstractSet | list | tuple):
        return list(value)
    return [value]


def _check_size(count: int, ctype: ColumnType, label: str, where: str) -> None:
    if _outside(count, ctype.min, ctype.max):
        bound = _range_text(ctype.min, None if math.isinf(ctype.max) else ctype.max)
        raise _fail(where, label, f"{count} elements, not {bound}")


def datum_to_wire(ctype: ColumnType, value: Any, *, label: str, where: str = "",
                  check: bool = True) -> Any:
    """A value of type *ctype* as JSON; ``label`` names it in errors (``Table.column``),
    ``where`` says where it came from (``operation 2 (insert Bridge)``).  ``check``
    also checks enum, ranges and lengths; sizes are always checked."""
    kind = ctype.kind
    if kind == "scalar":
        return atom_to_wire(ctype.key, value, label=label, where=where, check=check)
    if kind == "map":
        if not isinstance(value, Mapping):
            raise _fail(where, label, f"expected a mapping, got {type(value).__name__} "
                                      f"{value!r}")
        assert ctype.value is not None
        pairs = {_atom(ctype.key, k, f"{label} key", where, check):
                 _atom(ctype.value, v, f"{label}[{k!r}]", where, check)
                 for k, v in value.items()}
        _check_size(len(pairs), ctype, label, where)
        return ["map", [[_atom_json(k), _atom_json(pairs[k])]
                        for k in sorted(pairs, key=_sort_key)]]
    if value is None and kind == "optional":
        return ["set", []]
    atoms = {_atom(ctype.key, element, label, where, check)
             for element in _elements(value, "set", label, where)}
    _check_size(len(atoms), ctype, label, where)
    if kind == "optional" and atoms:
        return _atom_json(atoms.pop())
    return ["set", [_atom_json(atom) for atom in sorted(atoms, key=_sort_key)]]


def datum_from_wire(ctype: ColumnType, wire: Any, *, label: str) -> Any:
    """A JSON value of type *ctype* as Python (see the module's table)."""
    kind = ctype.kind
    tagged = isinstance(wire, list) and len(wire) == 2 and wire[0] in ("set", "map")
    if tagged and not isinstance(wire[1], list):
        raise _fail("", label, f"malformed {wire[0]}: {wire!r}")
    if kind == "map":
        assert ctype.value is not None
        if not tagged or (wire[0] == "set" and wire[1]):
            raise _fail("", label, f"expected a <map>, got {wire!r}")
        result: dict[Any, Any] = {}
        for pair in wire[1]:
            if not isinstance(pair, list) or len(pair) != 2:
                raise _fail("", label, f"malformed map pair {pair!r}")
            result[atom_from_wire(ctype.key, pair[0], label=f"{label} key")] = \
                atom_from_wire(ctype.value, pair[1], label=f"{label} value")
        return result
    if tagged and wire[0] == "map":
        raise _fail("", label, f"expected a {kind}, got a <map> {wire!r}")
    items = wire[1] if tagged else [wire]
    atoms = [atom_from_wire(ctype.key, item, label=label) for item in items]
    if kind == "set":
        return frozenset(atoms)
    if len(atoms) > 1 or (kind == "scalar" and not atoms):
        raise _fail("", label, f"expected one value, got {wire!r}")
    return atoms[0] if atoms else None


@functools.lru_cache(maxsize=1024)
def relaxed(ctype: ColumnType, min: int = 0, max: int | float | None = None) -> ColumnType:
    """*ctype* with other size bounds (``max`` None: unchanged), made once per type:
    diffs, mutations and conditions check sizes their own way."""
    return dataclasses.replace(ctype, min=min, max=ctype.max if max is None else max)


def to_wire(column: ColumnSchema, value: Any, *, where: str = "") -> Any:
    """*value* for *column* as JSON, validating type, enum, ranges, lengths and set
    sizes; ``ValueConversionError`` names ``Table.column`` (after *where*, if given)."""
    return datum_to_wire(column.type, value, label=column.label, where=where)


def from_wire(column: ColumnSchema, wire: Any) -> Any:
    """A JSON value of *column* as Python; ``ValueConversionError`` when malformed."""
    return datum_from_wire(column.type, wire, label=column.label)


def default_value(column: ColumnSchema) -> Any:
    """The column's default in Python, as ovsdb-server makes it: ``min`` elements of
    the atomic types' defaults (0, 0.0, False, "", the all-zero UUID).  So a scalar is
    that atom, optional columns, sets and maps with ``min`` 0 are empty."""
    ctype = column.type
    key = _DEFAULT_ATOM[ctype.key.atomic]
    if ctype.kind == "scalar":
        return key
    if ctype.kind == "optional":
        return None
    if ctype.value is not None:
        return {key: _DEFAULT_ATOM[ctype.value.atomic]} if ctype.min else {}
    return frozenset([key] if ctype.min else [])
