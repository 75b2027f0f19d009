"""A local replica of monitored OVSDB tables, fed with monitor replies and
notifications (RFC 7047 section 4.1.5-4.1.6, ``ovsdb-server(7)`` 4.1.12-4.1.16),
with no I/O.

``Replica(schema, {"Bridge": None, "Port": ["name", "interfaces"]})`` says what to
monitor; ``monitor_requests(version=...)`` is the request's <monitor-requests>
(version 1, ``monitor``) or <monitor-cond-requests> (2, ``monitor_cond``; 3,
``monitor_cond_since``).  Each ``apply*`` returns the ``RowChange`` list it made;
``change_event`` turns one into an event-core event.

How the client feeds it:

- the reply of ``monitor`` or ``monitor_cond``, or of ``monitor_cond_since`` with
  ``found`` false: ``apply_initial(updates, version=...)``.  It makes the replica
  equal to the reply: rows the reply lacks are deleted, rows that differ modified,
  new rows inserted.  After a reconnection the changes are only what really
  changed meanwhile; call ``clear()`` first to see every row as an insert;
- the reply of ``monitor_cond_since`` with ``found`` true (only the changes since
  the last transaction id) and every ``update`` / ``update2`` / ``update3``
  notification (its <table-updates>, without the monitor id and transaction id):
  ``apply(updates, version=...)``.

Row updates, version 1: ``{"new": row}`` inserts (the whole row), ``{"old": ...,
"new": ...}`` modifies (``new`` holds the new values), ``{"old": row}`` deletes.
Versions 2 and 3: ``initial`` and ``insert`` hold the row without its default-valued
columns; ``delete`` is ``null``; ``modify`` holds, per changed column, a *diff*:

- a column of at most one value (scalar, optional): the new value;
- a set: the elements to add or to remove (old ^ diff);
- a map: per pair, a key the old map lacks is added, a key it has with the same
  value is removed, a key it has with another value takes the new value.

``apply`` is all or nothing: a malformed update raises ``ReplicaError`` (naming
the table, row and column) and changes nothing.  A ``modify`` for an unknown row is
such an error; a ``delete`` for an unknown row changes nothing.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any
from uuid import UUID

from ..event import Event
from ._events import RowDeleted, RowInserted, RowModified
from ._schema import (
    ColumnSchema,
    ColumnType,
    DatabaseSchema,
    TableSchema,
    ValueConversionError,
    datum_from_wire,
    default_value,
    relaxed,
)
from ._transact import condition_to_wire

__all__ = ["ReplicaError", "Replica", "Row", "RowChange", "change_event"]

_WIRE_TAGS = ("uuid", "named-uuid", "set", "map")


class ReplicaError(ValueError):
    """An update the replica cannot apply (unknown table, row or column, bad value)."""


class Row(Mapping[str, Any]):
    """One row's monitored columns as Python values: an immutable snapshot (a change
    makes a new ``Row``).  Map values are read-only mappings; ``to_dict()`` gives
    plain ones.  Rows are equal when table, uuid and values are."""

    __slots__ = ("_values", "table", "uuid")

    table: str
    uuid: UUID
    _values: dict[str, Any]

    def __init__(self, table: str, uuid: UUID, values: Mapping[str, Any]) -> None:
        frozen = {name: (MappingProxyType(dict(value)) if isinstance(value, Mapping)
                         else frozenset(value) if isinstance(value, set) else value)
                  for name, value in values.items()}
        object.__setattr__(self, "table", table)
        object.__setattr__(self, "uuid", uuid)
        object.__setattr__(self, "_values", frozen)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"Row is immutable (setting {name!r})")

    def __getitem__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise KeyError(f"{self.table}.{name}: not a monitored column of this row") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Row):
            return (self.table, self.uuid) == (other.table, other.uuid) and \
                self._values == other._values
        return super().__eq__(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Row({self.table!r}, {self.uuid}, {self.to_dict()!r})"

    def to_dict(self) -> dict[str, Any]:
        """The values as plain Python (maps as ``dict``)."""
        return {name: dict(value) if isinstance(value, Mapping) else value
                for name, value in self._values.items()}


@dataclass(frozen=True)
class RowChange:
    """What one update did to one row: ``kind`` insert, modify or delete; ``row`` the
    new state (the last one for a delete); ``old`` the changed columns' previous
    values (modify only)."""

    kind: str
    table: str
    uuid: UUID
    row: Row
    old: dict[str, Any] | None = None


def change_event(database: str, change: RowChange) -> Event:
    """The event-core event of *change*: ``RowInserted``, ``RowModified`` or ``RowDeleted``."""
    if change.kind == "insert":
        return RowInserted(database, change.table, change.uuid, change.row)
    if change.kind == "modify":
        return RowModified(database, change.table, change.uuid, change.row, change.old or {})
    if change.kind == "delete":
        return RowDeleted(database, change.table, change.uuid, change.row)
    raise ValueError(f"unknown change kind {change.kind!r}")


def _diff(old: Row | None, new: Row | None, table: str, row_uuid: UUID) -> RowChange | None:
    if new is None:
        return None if old is None else RowChange("delete", table, row_uuid, old)
    if old is None:
        return RowChange("insert", table, row_uuid, new)
    changed = {name: old.get(name) for name in {*old, *new} if old.get(name) != new.get(name)}
    return RowChange("modify", table, row_uuid, new, changed) if changed else None


class Replica:
    """The monitored *tables* (table -> column names, ``None``: every column) of a
    database with *schema*; ``tables[table][uuid]`` is the current ``Row``."""

    def __init__(self, schema: DatabaseSchema, tables: Mapping[str, Sequence[str] | None]
                 ) -> None:
        self.schema = schema
        self._uuids: dict[str, UUID] = {}  # row key text -> UUID, parsed once
        self.columns: dict[str, tuple[str, ...]] = {}
        for name, columns in tables.items():
            table = schema.table(name)
            if isinstance(columns, str):
                raise ValueError(f"{name}: columns is a sequence of names, not the string "
                                 f"{columns!r}")
            names = table.user_columns if columns is None else list(columns)
            for column in names:
                table.column(column)
            self.columns[name] = tuple(dict.fromkeys(names))
        if not self.columns:
            raise ValueError("a replica needs at least one table")
        self.tables: dict[str, dict[UUID, Row]] = {name: {} for name in self.columns}

    def monitor_requests(self, *, conditions: Mapping[str, list[Any]] | None = None,
                         version: int = 1) -> dict[str, Any]:
        """The monitor request's table requests: version 1 ``{table: {"columns": [...]}}``
        (RFC 7047); versions 2 and 3 ``{table: [{"columns": [...], "where": [...]}]}``
        (``where`` only for the tables *conditions* names; ``select`` is left out, so
        initial, insert, modify and delete are all reported).

        *conditions*: table -> conditions, each ``(column, function, value)`` with a
        Python value (as in ``Transaction``) or a JSON one, or ``true``/``false``."""
        if version not in (1, 2, 3):
            raise ValueError(f"monitor version must be 1, 2 or 3, not {version!r}")
        conditions = conditions or {}
        if version == 1 and conditions:
            raise ValueError("monitor (version 1) takes no conditions: use monitor_cond "
                             "(version 2) or monitor_cond_since (3)")
        for name in conditions:
            if name not in self.columns:
                raise ValueError(f"{name}: conditions for a table the replica does not "
                                 f"monitor (it monitors {', '.join(self.columns)})")
        requests: dict[str, Any] = {}
        for name, columns in self.columns.items():
            request: dict[str, Any] = {"columns": list(columns)}
            if version == 1:
                requests[name] = request
                continue
            if name in conditions:
                table = self.schema.table(name)
                request["where"] = [self._condition(table, item) for item in conditions[name]]
            requests[name] = [request]
        return requests

    @staticmethod
    def _condition(table: TableSchema, condition: Any) -> Any:
        if isinstance(condition, bool):
            return condition
        if isinstance(condition, tuple | list) and len(condition) == 3:
            name, function, value = condition
            if isinstance(value, list) and len(value) == 2 and value[0] in _WIRE_TAGS:
                column = table.column(name)
                loose = ColumnType(column.type.key, column.type.value, 0, math.inf)
                value = datum_from_wire(loose, value, label=column.label)
                if column.type.kind in ("scalar", "optional") and len(value) <= 1:
                    value = next(iter(value), None)
            return condition_to_wire(table, (name, function, value), where="monitor condition")
        raise ValueError(f"{table.name}: a monitor condition is (column, function, value) "
                         f"or a boolean, not {condition!r}")

    def clear(self) -> None:
        """Forget every row (no changes reported)."""
        for rows in self.tables.values():
            rows.clear()
        self._uuids.clear()

    def rows(self, table: str) -> dict[UUID, Row]:
        """A copy of the current rows of *table*, by UUID."""
        if table not in self.tables:
            raise ValueError(f"{table}: the replica does not monitor this table")
        return dict(self.tables[table])

    def dump(self) -> dict[str, dict[str, dict[str, Any]]]:
        """``{table: {str(uuid): {column: value}}}`` in plain Python."""
        return {name: {str(key): row.to_dict() for key, row in rows.items()}
                for name, rows in self.tables.items()}

    def apply(self, updates: Mapping[str, Any], *, version: int) -> list[RowChange]:
        """Apply a notification's table updates (or ``monitor_cond_since``'s reply
        when ``found``); returns the changes made, in the updates' order."""
        return self._apply(updates, version, initial=False)

    def apply_initial(self, updates: Mapping[str, Any], *, version: int) -> list[RowChange]:
        """Apply a monitor reply holding the whole content: afterwards the monitored
        tables hold exactly its rows.  Deletions come first in the returned changes."""
        return self._apply(updates, version, initial=True)

    def _apply(self, updates: Mapping[str, Any], version: int, *, initial: bool
               ) -> list[RowChange]:
        if version not in (1, 2, 3):
            raise ValueError(f"update version must be 1, 2 or 3, not {version!r}")
        if not isinstance(updates, Mapping):
            raise ReplicaError(f"table updates must be an object, not {updates!r}")
        changes: list[RowChange] = []
        seen: dict[str, set[UUID]] = {name: set() for name in self.tables} if initial else {}
        uuids = self._uuids
        for name, rows in updates.items():
            if name not in self.tables:
                raise ReplicaError(f"{name}: update for a table the replica does not monitor")
            if not isinstance(rows, Mapping):
                raise ReplicaError(f"{name}: a table update must be an object, not {rows!r}")
            table = self.schema.table(name)
            current = self.tables[name]
            for key, update in rows.items():
                row_uuid = uuids.get(key) if isinstance(key, str) else None
                if row_uuid is None:
                    try:
                        row_uuid = UUID(key)
                    except (TypeError, ValueError):
                        raise ReplicaError(f"{name}: {key!r} is not a row UUID") from None
                    uuids[key] = row_uuid  # rows change often: parse each key once
                if initial:
                    seen[name].add(row_uuid)
                old = current.get(row_uuid)
                new = (self._row_update1(table, row_uuid, old, update) if version == 1
                       else self._row_update2(table, row_uuid, old, update))
                change = _diff(old, new, name, row_uuid)
                if change is not None:
                    changes.append(change)
        if initial:
            deletions = [RowChange("delete", name, key, row)
                         for name, rows in self.tables.items()
                         for key, row in rows.items() if key not in seen[name]]
            changes = deletions + changes
        for change in changes:
            if change.kind == "delete":
                self.tables[change.table].pop(change.uuid, None)
                uuids.pop(str(change.uuid), None)
            else:
                self.tables[change.table][change.uuid] = change.row
        return changes

    def _base(self, table: TableSchema) -> dict[str, Any]:
        return {name: default_value(table.columns[name]) for name in self.columns[table.name]}

    def _column(self, table: TableSchema, row_uuid: UUID, name: str) -> ColumnSchema:
        column = table.columns.get(name)
        if column is None:
            raise ReplicaError(f"{table.name}.{name} (row {row_uuid}): no such column in "
                               f"the schema")
        return column

    def _values(self, table: TableSchema, row_uuid: UUID, row: Any) -> dict[str, Any]:
        if not isinstance(row, Mapping):
            raise ReplicaError(f"{table.name} row {row_uuid}: a <row> must be an object, "
                               f"not {row!r}")
        values: dict[str, Any] = {}
        for name, wire in row.items():
            column = self._column(table, row_uuid, name)
            try:
                values[name] = datum_from_wire(column.type, wire, label=column.label)
            except ValueConversionError as exc:
                raise ReplicaError(f"{exc} (row {row_uuid})") from None
        return values

    def _row_update1(self, table: TableSchema, row_uuid: UUID, old: Row | None,
                     update: Any) -> Row | None:
        if not isinstance(update, Mapping) or not ({"old", "new"} & set(update)):
            raise ReplicaError(f"{table.name} row {row_uuid}: a version 1 <row-update> has "
                               f"old and/or new, not {update!r}")
        if update.get("new") is None:
            return None
        new = self._values(table, row_uuid, update["new"])
        base = dict(old) if old is not None and "old" in update else self._base(table)
        return Row(table.name, row_uuid, base | new)

    def _row_update2(self, table: TableSchema, row_uuid: UUID, old: Row | None,
                     update: Any) -> Row | None:
        kinds = ("initial", "insert", "modify", "delete")
        if not isinstance(update, Mapping) or len(update) != 1 or next(iter(update)) \
                not in kinds:
            raise ReplicaError(f"{table.name} row {row_uuid}: a <row-update2> has one of "
                               f"{', '.join(kinds)}, not {update!r}")
        kind, row = next(iter(update.items()))
        if kind == "delete":
            return None
        if kind in ("initial", "insert"):
            return Row(table.name, row_uuid, self._base(table)
                       | self._values(table, row_uuid, row))
        if old is None:
            raise ReplicaError(f"{table.name} row {row_uuid}: modify for a row the replica "
                               f"does not have")
        if not isinstance(row, Mapping):
            raise ReplicaError(f"{table.name} row {row_uuid}: a <row> must be an object, "
                               f"not {row!r}")
        values = dict(old)
        for name, wire in row.items():
            column = self._column(table, row_uuid, name)
            try:
                values[name] = _apply_diff(column, values.get(name, default_value(column)),
                                           wire)
            except ValueConversionError as exc:
                raise ReplicaError(f"{exc} (row {row_uuid})") from None
        return Row(table.name, row_uuid, values)


def _apply_diff(column: ColumnSchema, old: Any, wire: Any) -> Any:
    """*old* (Python) changed by an update2 diff *wire* (see the module's docstring)."""
    ctype = column.type
    if ctype.max == 1:
        return datum_from_wire(ctype, wire, label=column.label)
    diff = datum_from_wire(relaxed(ctype, 0, math.inf), wire, label=column.label)
    if not ctype.is_map:
        return frozenset(old) ^ diff
    result = dict(old)
    for key, value in diff.items():
        if key in result and result[key] == value:
            del result[key]
        else:
            result[key] = value
    return result
