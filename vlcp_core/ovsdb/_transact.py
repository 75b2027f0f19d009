"""Typed OVSDB transactions (RFC 7047 section 5.2) and their results, with no I/O.

``Transaction`` builds the operations of one ``transact`` request, checking every
table, column, function and mutator name and converting every value with the
schema (``to_wire``) as the operation is added, so a mistake raises ``ValueError``
at the line that made it, naming ``Table.column`` and the operation.  The client
sends ``[db_name, *txn.operations()]`` and hands the reply's result array to
``parse_results``.

Operation indexes are 0-based, as Python lists: ``select()`` returning 2 means
``txn.operations()[2]`` and ``results[2]``; ``TransactionError.index`` is the same
0-based index.  Messages count like people do: index 2 is "operation 3"
(``operation 3 (mutate Bridge): constraint violation: ...``).

Values follow ``_schema``'s Python representation.  What the server accepts, as
Open vSwitch's ovsdb-server checks it:

- conditions: ``==``, ``!=`` take a value of the column's type, sizes included;
  on a set or map column ``includes`` takes from none up to the column's maximum
  elements, ``excludes`` any number (a bare atom is a 1-element set); ``<``,
  ``<=``, ``>``, ``>=`` only on integer or real columns that are scalar or
  optional, with one atom; a condition may also be ``True`` or ``False``.
  Values are checked against enum and ranges, as the server does;
- mutations: ``+=`` ``-=`` ``*=`` ``/=`` on integer or real columns that are not
  maps (on a set, each element), ``%=`` on integer ones, with an atom (no
  constraints: the result is checked by the server); ``insert`` on sets and maps
  with a set or map of up to the column's maximum size; ``delete`` with a set or
  map of any size, or for a map a set of keys;
- ``_uuid`` and ``_version`` may be read and compared, never written; immutable
  columns may be set by ``insert`` only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from ._schema import (
    ColumnSchema,
    ColumnType,
    DatabaseSchema,
    NamedUUID,
    TableSchema,
    ValueConversionError,
    atom_to_wire,
    datum_from_wire,
    datum_to_wire,
    relaxed,
)

__all__ = ["FUNCTIONS", "MUTATORS", "Condition", "OperationResult", "Transaction",
           "TransactionError", "condition_to_wire", "inserted_uuids", "parse_results"]

Condition = tuple[str, str, Any]
FUNCTIONS = ("==", "!=", "<", "<=", ">", ">=", "includes", "excludes")
MUTATORS = ("+=", "-=", "*=", "/=", "%=", "insert", "delete")
_ORDERING = ("<", "<=", ">", ">=")
_ARITHMETIC = ("+=", "-=", "*=", "/=", "%=")


def condition_to_wire(table: TableSchema, condition: Any, *, where: str = "") -> Any:
    """One ``(column, function, value)`` condition as JSON, checked with the schema
    (``True`` and ``False`` pass as they are: an Open vSwitch extension)."""
    prefix = f"{where}: " if where else ""
    if isinstance(condition, bool):
        return condition
    if not isinstance(condition, tuple | list) or len(condition) != 3:
        raise ValueError(f"{prefix}{table.name}: a condition is (column, function, value), "
                         f"not {condition!r}")
    name, function, value = condition
    column = _column(table, name, where)
    ctype = column.type
    if function not in FUNCTIONS:
        raise ValueError(f"{prefix}{column.label}: unknown function {function!r} "
                         f"(one of {', '.join(FUNCTIONS)})")
    if function in _ORDERING:
        if ctype.key.atomic not in ("integer", "real") or ctype.kind not in ("scalar",
                                                                              "optional"):
            raise ValueError(f"{prefix}{column.label}: {function!r} applies only to a "
                             f"scalar or optional integer or real column")
        ctype = ColumnType(ctype.key)
    elif function == "includes" and not ctype.is_scalar:
        ctype = relaxed(ctype, 0)
    elif function == "excludes" and not ctype.is_scalar:
        ctype = relaxed(ctype, 0, math.inf)
    return [name, function, datum_to_wire(ctype, value, label=column.label, where=where)]


def _column(table: TableSchema, name: Any, where: str) -> ColumnSchema:
    try:
        return table.column(name)
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}" if where else str(exc)) from None


@dataclass(frozen=True)
class OperationResult:
    """The result of one operation: ``uuid`` for insert, ``rows`` for select (Python
    values, keyed by column), ``count`` for update, mutate and delete."""

    index: int
    op: str
    uuid: UUID | None = None
    rows: list[dict[str, Any]] | None = None
    count: int | None = None


class TransactionError(Exception):
    """An error in a transaction's result: ``index`` is the failing operation's 0-based
    index (``None`` when the transaction failed after its last operation, as at commit
    for a referential integrity or constraint violation), ``op`` that operation's JSON,
    ``error`` and ``details`` the server's words."""

    def __init__(self, index: int | None, op: dict[str, Any] | None, error: str,
                 details: str = "", *, label: str = "") -> None:
        self.index = index
        self.op = op
        self.error = error
        self.details = details
        if index is None:
            where = "transaction failed after its last operation"
        else:
            where = f"operation {index + 1}" + (f" ({label})" if label else "")
        super().__init__(f"{where}: {error}" + (f": {details}" if details else ""))


class Transaction:
    """The operations of one ``transact`` request on a database with *schema*."""

    def __init__(self, schema: DatabaseSchema) -> None:
        self.schema = schema
        self._ops: list[dict[str, Any]] = []
        self._labels: list[str] = []
        self._names: dict[str, int] = {}
        self._references: list[tuple[int, str]] = []
        self._next_name = 1

    def __len__(self) -> int:
        return len(self._ops)

    def operation(self, index: int) -> dict[str, Any]:
        """Operation *index* (0-based) as JSON, as added."""
        return self._ops[index]

    def label(self, index: int) -> str:
        """``insert Bridge``: what operation *index* (0-based) is, for messages."""
        return self._labels[index]

    # --- building -------------------------------------------------------------------

    def _start(self, op: str, table: str | None) -> tuple[int, str, TableSchema | None]:
        index = len(self._ops)
        label = f"{op} {table}" if table is not None else op
        where = f"operation {index + 1} ({label})"
        if table is None:
            return index, where, None
        try:
            return index, where, self.schema.table(table)
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None

    def _add(self, op: dict[str, Any], table: str | None) -> int:
        self._ops.append(op)
        self._labels.append(f"{op['op']} {table}" if table is not None else op["op"])
        return len(self._ops) - 1

    def _value(self, column: ColumnSchema, value: Any, where: str, ctype: ColumnType | None = None,
               check: bool = True, label: str = "") -> Any:
        ctype = ctype or column.type
        wire = datum_to_wire(ctype, value, label=label or column.label, where=where,
                             check=check)
        if ctype.key.atomic == "uuid" or (ctype.value is not None
                                          and ctype.value.atomic == "uuid"):
            self._note_references(wire, len(self._ops))  # only uuids can be named-uuids
        return wire

    def _note_references(self, wire: Any, index: int) -> None:
        if isinstance(wire, list):
            if len(wire) == 2 and wire[0] == "named-uuid" and isinstance(wire[1], str):
                self._references.append((index, wire[1]))
            else:
                for item in wire:
                    self._note_references(item, index)

    def _where(self, table: TableSchema, conditions: Sequence[Condition], where: str
               ) -> list[Any]:
        if isinstance(conditions, tuple) and len(conditions) == 3 and isinstance(
                conditions[0], str) and conditions[1] in FUNCTIONS:
            raise ValueError(f"{where}: 'where' is a sequence of conditions; wrap the single "
                             f"condition {conditions!r} in a list")
        wire = [condition_to_wire(table, condition, where=where) for condition in conditions]
        self._note_references(wire, len(self._ops))
        return wire

    def _row(self, table: TableSchema, row: Mapping[str, Any], where: str, *,
             update: bool) -> dict[str, Any]:
        if not isinstance(row, Mapping):
            raise ValueError(f"{where}: a row is a mapping of column to value, not {row!r}")
        result: dict[str, Any] = {}
        for name, value in row.items():
            column = _column(table, name, where)
            if name.startswith("_"):
                raise ValueError(f"{where}: {column.label} cannot be written")
            if update and not column.mutable:
                raise ValueError(f"{where}: {column.label} is immutable: set it at insert")
            result[name] = self._value(column, value, where)
        return result

    def _columns(self, table: TableSchema, columns: Sequence[str], where: str) -> list[str]:
        if isinstance(columns, str):
            raise ValueError(f"{where}: columns is a sequence of names, not the string "
                             f"{columns!r}")
        for name in columns:
            _column(table, name, where)
        return list(columns)

    def insert(self, table: str, row: Mapping[str, Any], *, uuid_name: str | None = None,
               uuid: UUID | None = None) -> NamedUUID:
        """Insert *row*; returns its ``NamedUUID`` (*uuid_name*, or ``row1``, ``row2``...)
        to reference the new row in this transaction's other operations.  *uuid* asks
        for that UUID (an Open vSwitch 2.13 extension)."""
        index, where, schema = self._start("insert", table)
        assert schema is not None
        if uuid_name is None:
            while f"row{self._next_name}" in self._names:
                self._next_name += 1
            uuid_name = f"row{self._next_name}"
            self._next_name += 1
        try:
            name = NamedUUID(uuid_name)
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None
        if name in self._names:
            raise ValueError(f"{where}: uuid-name {str(name)!r} is already used by operation "
                             f"{self._names[name] + 1}")
        op: dict[str, Any] = {"op": "insert", "table": table,
                              "row": self._row(schema, row, where, update=False),
                              "uuid-name": str(name)}
        if uuid is not None:
            # OVS's extension takes the UUID as a plain string, not ["uuid", ...].
            wire = atom_to_wire(schema.columns["_uuid"].type.key, uuid, where=where,
                                label=f"{table}._uuid")
            if not (isinstance(wire, list) and wire[0] == "uuid"):
                raise ValueError(f"{where}: {table}._uuid: a chosen uuid must be a UUID, "
                                 f"not {uuid!r}")
            op["uuid"] = wire[1]
        self._names[name] = index
        self._add(op, table)
        return name

    def select(self, table: str, where: Sequence[Condition] = (),
               columns: Sequence[str] | None = None) -> int:
        """Select the rows matching every condition of *where* (all: ``()``), with only
        *columns* if given; returns the operation's index."""
        _, at, schema = self._start("select", table)
        assert schema is not None
        op: dict[str, Any] = {"op": "select", "table": table,
                              "where": self._where(schema, where, at)}
        if columns is not None:
            op["columns"] = self._columns(schema, columns, at)
        return self._add(op, table)

    def update(self, table: str, where: Sequence[Condition], row: Mapping[str, Any]) -> int:
        """Set the columns of *row* in every row matching *where*."""
        _, at, schema = self._start("update", table)
        assert schema is not None
        return self._add({"op": "update", "table": table, "where": self._where(schema, where, at),
                          "row": self._row(schema, row, at, update=True)}, table)

    def mutate(self, table: str, where: Sequence[Condition],
               mutations: Sequence[tuple[str, str, Any]]) -> int:
        """Apply ``(column, mutator, value)`` *mutations* to every row matching *where*."""
        _, at, schema = self._start("mutate", table)
        assert schema is not None
        wire = [self._mutation(schema, mutation, at) for mutation in mutations]
        return self._add({"op": "mutate", "table": table, "where": self._where(schema, where, at),
                          "mutations": wire}, table)

    def _mutation(self, table: TableSchema, mutation: Any, where: str) -> list[Any]:
        if not isinstance(mutation, tuple | list) or len(mutation) != 3:
            raise ValueError(f"{where}: {table.name}: a mutation is (column, mutator, value), "
                             f"not {mutation!r}")
        name, mutator, value = mutation
        column = _column(table, name, where)
        ctype = column.type
        label = column.label
        if name.startswith("_") or not column.mutable:
            raise ValueError(f"{where}: {label} is immutable and cannot be mutated")
        if mutator not in MUTATORS:
            raise ValueError(f"{where}: {label}: unknown mutator {mutator!r} "
                             f"(one of {', '.join(MUTATORS)})")
        if mutator in _ARITHMETIC:
            allowed = ("integer",) if mutator == "%=" else ("integer", "real")
            if ctype.is_map or ctype.key.atomic not in allowed:
                raise ValueError(f"{where}: {label}: {mutator!r} applies only to "
                                 f"{' or '.join(allowed)} columns that are not maps")
            wire = self._value(column, value, where, ColumnType(ctype.key), check=False)
            if mutator in ("/=", "%=") and wire == 0:
                raise ValueError(f"{where}: {label}: {mutator} 0 divides by zero")
            return [name, mutator, wire]
        if ctype.is_scalar:
            raise ValueError(f"{where}: {label}: {mutator!r} applies only to set and map "
                             f"columns")
        sized = relaxed(ctype, 0, math.inf if mutator == "delete" else None)
        if mutator == "delete" and ctype.is_map and not isinstance(value, Mapping):
            keys = ColumnType(ctype.key, None, 0, math.inf)
            return [name, mutator, self._value(column, value, where, keys, label=f"{label} key")]
        return [name, mutator, self._value(column, value, where, sized)]

    def delete(self, table: str, where: Sequence[Condition]) -> int:
        """Delete every row matching *where*."""
        _, at, schema = self._start("delete", table)
        assert schema is not None
        return self._add({"op": "delete", "table": table,
                          "where": self._where(schema, where, at)}, table)

    def wait(self, table: str, where: Sequence[Condition], columns: Sequence[str], until: str,
             rows: Sequence[Mapping[str, Any]], timeout: int | None = None) -> int:
        """Wait until the *columns* of the rows matching *where* are (``until="=="``) or are
        not (``"!="``) exactly *rows*; *timeout* in milliseconds (``None``: forever)."""
        _, at, schema = self._start("wait", table)
        assert schema is not None
        names = self._columns(schema, columns, at)
        if until not in ("==", "!="):
            raise ValueError(f"{at}: until must be '==' or '!=', not {until!r}")
        wire_rows = []
        for row in rows:
            if not isinstance(row, Mapping) or set(row) != set(names):
                raise ValueError(f"{at}: every row must have exactly the columns {names}, "
                                 f"not {row!r}")
            wire_rows.append({name: self._value(schema.column(name), value, at)
                              for name, value in row.items()})
        op: dict[str, Any] = {"op": "wait", "table": table, "where": self._where(schema, where, at),
                              "columns": names, "until": until, "rows": wire_rows}
        if timeout is not None:
            if not isinstance(timeout, int) or isinstance(timeout, bool) or timeout < 0:
                raise ValueError(f"{at}: timeout is a number of milliseconds, not {timeout!r}")
            op["timeout"] = timeout
        return self._add(op, table)

    def commit(self, durable: bool = False) -> int:
        """Commit (``durable``: only once on disk)."""
        return self._add({"op": "commit", "durable": bool(durable)}, None)

    def abort(self) -> int:
        """Abort the transaction: it fails with the error ``aborted``."""
        return self._add({"op": "abort"}, None)

    def comment(self, text: str) -> int:
        """A comment for the database log."""
        if not isinstance(text, str):
            raise ValueError(f"operation {len(self._ops) + 1} (comment): the comment must be "
                             f"a string, not {text!r}")
        return self._add({"op": "comment", "comment": text}, None)

    def assert_lock(self, lock: str) -> int:
        """The ``assert`` operation: fail with ``not owner`` unless we hold *lock*."""
        if not isinstance(lock, str) or not lock:
            raise ValueError(f"operation {len(self._ops) + 1} (assert): a lock is a name, "
                             f"not {lock!r}")
        return self._add({"op": "assert", "lock": lock}, None)

    def operations(self) -> list[dict[str, Any]]:
        """The operations as JSON: the ``transact`` params after the database name.

        ``ValueError`` when an operation references a named uuid no insert declares."""
        for index, name in self._references:
            if name not in self._names:
                raise ValueError(f"operation {index + 1} ({self._labels[index]}): named-uuid "
                                 f"{name!r} is not inserted by this transaction")
        return [dict(op) for op in self._ops]

    @property
    def named_uuids(self) -> dict[NamedUUID, int]:
        """Each declared uuid-name and the index of its insert."""
        return {NamedUUID(name): index for name, index in self._names.items()}


def _error_of(result: Any) -> tuple[str, str] | None:
    if isinstance(result, dict) and "error" in result:
        details = result.get("details", "")
        return str(result["error"]), details if isinstance(details, str) else str(details)
    return None


def parse_results(txn: Transaction, results: list[Any]) -> list[OperationResult]:
    """Map a ``transact`` reply's result array onto *txn*'s operations.

    RFC 7047 section 4.1.3: one result per operation; when one fails its result is an
    error and the later ones are ``null`` (not executed); when every operation
    succeeded but the commit failed, one extra error follows.  The first error raises
    ``TransactionError``; a malformed array raises ``ValueError``."""
    ops = [txn.operation(index) for index in range(len(txn))]
    if not isinstance(results, list) or not len(ops) <= len(results) <= len(ops) + 1:
        count = len(results) if isinstance(results, list) else type(results).__name__
        raise ValueError(f"transact reply has {count} results for {len(ops)} operations")
    for index, result in enumerate(results):
        error = _error_of(result)
        if error is not None:
            if index == len(ops):
                raise TransactionError(None, None, *error)
            raise TransactionError(index, ops[index], *error, label=txn.label(index))
        if index == len(ops):
            raise ValueError(f"transact reply: extra result {result!r} after the last "
                             f"operation is not an error")
        if not isinstance(result, dict):
            raise ValueError(f"transact reply: operation {index + 1} ({txn.label(index)}) has "
                             f"the result {result!r}, yet no earlier operation failed")
    return [_result(txn, index, op, result)
            for index, (op, result) in enumerate(zip(ops, results, strict=False))]


def _result(txn: Transaction, index: int, op: dict[str, Any], result: dict[str, Any]
            ) -> OperationResult:
    kind = op["op"]
    where = f"operation {index + 1} ({txn.label(index)}) result"
    try:
        if kind == "insert":
            value = datum_from_wire(ColumnType(txn.schema.tables[op["table"]].columns[
                "_uuid"].type.key), result.get("uuid"), label=f"{where} uuid")
            return OperationResult(index, kind, uuid=value)
        if kind == "select":
            table = txn.schema.tables[op["table"]]
            return OperationResult(index, kind, rows=[_row(table, row, where)
                                                      for row in result.get("rows", [])])
        if kind in ("update", "mutate", "delete"):
            count = result.get("count")
            if not isinstance(count, int) or isinstance(count, bool):
                raise ValueError(f"{where}: count {count!r} is not an integer")
            return OperationResult(index, kind, count=count)
    except ValueConversionError as exc:
        raise ValueError(f"{where}: {exc}") from None
    return OperationResult(index, kind)


def _row(table: TableSchema, row: Any, where: str) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise ValueError(f"{where}: row {row!r} is not an object")
    out: dict[str, Any] = {}
    for name, wire in row.items():
        column = table.columns.get(name)
        if column is None:
            raise ValueError(f"{where}: {table.name} has no column {name!r}")
        out[name] = datum_from_wire(column.type, wire, label=column.label)
    return out


def inserted_uuids(txn: Transaction, results: Sequence[OperationResult]
                   ) -> dict[NamedUUID, UUID]:
    """The real UUID of every row the transaction inserted, by its ``NamedUUID``."""
    by_index = {result.index: result.uuid for result in results}
    return {name: found for name, index in txn.named_uuids.items()
            if (found := by_index.get(index)) is not None}
