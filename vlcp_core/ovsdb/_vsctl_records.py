"""Which record an ovs-vsctl command means, read from the database, and the checks
that keep the command's transaction honest.

A command first reads the tables it needs (one ``select`` transaction for all of
them), finds its records there, then builds ONE write transaction whose first
operations are ``wait``s with timeout 0: they fail at once (``timed out``) unless
what the command read is still true at commit (the name still names that row,
the bridge still references that controller, no bridge of that name appeared).
When one fails, the command is read and built again (``Vsctl`` does that), as
ovs-vsctl verifies what it read and tries again.

Records (``ovs-vsctl --help``, "Database commands may reference a row in each
table in the following ways"): by UUID (in full, or its first 4 or more hex
digits when that prefix is unique), or by a name column of the table itself
(``Bridge`` by ``name``), or via a row of another table (``Controller`` via the
``controller`` column of the ``Bridge`` with that ``name``; ``QoS`` via the ``qos``
of the ``Port``), or as ``.`` for the one ``Open_vSwitch`` row (and ``SSL`` via its
``ssl``).  The rules apply to the ``Open_vSwitch`` database; other databases name
records by UUID only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from ._schema import DatabaseSchema, NamedUUID, TableSchema
from ._transact import Condition, Transaction
from ._vsctl_syntax import ColumnArgument, parse_atom, parse_column_argument

if TYPE_CHECKING:
    from ._client import OvsdbClient

__all__ = ["RECORD_RULES", "CommandContext", "RecordRule", "VsctlError", "VsctlLookupError",
           "link_row", "parent_column", "row_where"]

_FULL_UUID = re.compile(r"[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\Z")
_UUID_PREFIX = re.compile(r"[0-9a-fA-F]{4}[0-9a-fA-F-]*\Z")


class VsctlError(Exception):
    """A command that cannot be done as asked (a bridge that exists already, a port on
    another bridge, a name that matches several rows...)."""


class VsctlLookupError(VsctlError, LookupError):
    """A record or a map key that is not there: ``no row 'br9' in table Bridge``."""


@dataclass(frozen=True)
class RecordRule:
    """Records of a table named by *name_column* of *name_table* (``None``: written
    ``.``, the table's one row), that row itself or the row its *ref_column* holds."""

    name_table: str
    name_column: str | None
    ref_column: str | None = None


RECORD_RULES: dict[str, tuple[RecordRule, ...]] = {
    "AutoAttach": (RecordRule("Bridge", "name", "auto_attach"),),
    "Bridge": (RecordRule("Bridge", "name"),),
    "Controller": (RecordRule("Bridge", "name", "controller"),),
    "Flow_Sample_Collector_Set": (RecordRule("Flow_Sample_Collector_Set", "id"),),
    "Flow_Table": (RecordRule("Flow_Table", "name"),),
    "IPFIX": (RecordRule("Bridge", "name", "ipfix"),),
    "Interface": (RecordRule("Interface", "name"),),
    "Manager": (RecordRule("Manager", "target"),),
    "Mirror": (RecordRule("Mirror", "name"),),
    "NetFlow": (RecordRule("Bridge", "name", "netflow"),),
    "Open_vSwitch": (RecordRule("Open_vSwitch", None),),
    "Port": (RecordRule("Port", "name"),),
    "QoS": (RecordRule("Port", "name", "qos"),),
    "SSL": (RecordRule("Open_vSwitch", None, "ssl"),),
    "sFlow": (RecordRule("Bridge", "name", "sflow"),),
}


def _uuids(value: Any) -> list[UUID]:
    """The UUIDs a reference column's value holds, sorted."""
    if value is None:
        return []
    if isinstance(value, UUID):
        return [value]
    return sorted(value)


def row_where(uuid: UUID) -> list[Condition]:
    """The condition that selects row *uuid*."""
    return [("_uuid", "==", uuid)]


def parent_column(child: TableSchema, table: TableSchema, text: str) -> ColumnArgument:
    """``column`` or ``column:key`` of *table* that can reference a *child* row."""
    argument = parse_column_argument(table, text)
    ctype = argument.column.type
    if ctype.value is not None and not argument.has_key:
        raise ValueError(f"{argument.label}: a map: name the key the new row goes under "
                         f"({argument.column.name}:KEY)")
    base = ctype.value if argument.has_key else ctype.key
    assert base is not None
    if base.ref_table != child.name:
        holds = f"{base.ref_table} rows" if base.ref_table else f"{base.atomic}s"
        raise ValueError(f"{argument.label}: cannot reference the new {child.name} row: "
                         f"it holds {holds}")
    return argument


def link_row(txn: Transaction, argument: ColumnArgument, owner: UUID, new: NamedUUID) -> None:
    """Make *owner*'s column (``argument``) reference the *new* row: a map gets it under
    the argument's key, a set gets it added, another column is set to it."""
    table, name = argument.column.table, argument.column.name
    if argument.has_key:
        txn.mutate(table, row_where(owner), [(name, "delete", frozenset([argument.key])),
                                             (name, "insert", {argument.key: new})])
    elif argument.column.type.kind == "set":
        txn.mutate(table, row_where(owner), [(name, "insert", frozenset([new]))])
    else:
        txn.update(table, row_where(owner), {name: new})


class CommandContext:
    """One attempt at one command: the rows it read, and (*writing*) its transaction
    ``txn`` with the ``wait``s (``waits``: their indexes) that verify those reads."""

    def __init__(self, client: OvsdbClient, database: str, schema: DatabaseSchema, *,
                 writing: bool) -> None:
        self.client = client
        self.database = database
        self.schema = schema
        self.writing = writing
        self.txn = Transaction(schema)
        self.waits: set[int] = set()
        self._expected: set[str] = set()
        self._rows: dict[str, dict[UUID, dict[str, Any]]] = {}

    async def load(self, *tables: str) -> None:
        """Read every row of *tables* not read yet, in one transaction."""
        missing = [table for table in dict.fromkeys(tables) if table not in self._rows]
        if not missing:
            return
        txn = Transaction(self.schema)
        for table in missing:
            txn.select(table)
        results = await self.client.transact(self.database, txn)
        for table, result in zip(missing, results, strict=True):
            self._rows[table] = {row["_uuid"]: row for row in result.rows or []}

    async def rows(self, table: str) -> dict[UUID, dict[str, Any]]:
        """Every row of *table* (by UUID; each row has every column and ``_uuid``)."""
        await self.load(table)
        return self._rows[table]

    def expect(self, table: str, where: Sequence[Condition], columns: Sequence[str],
               rows: Sequence[dict[str, Any]]) -> None:
        """When writing: the transaction fails (and the command is tried again) unless
        the rows matching *where*, reduced to *columns*, are exactly *rows* then."""
        if not self.writing:
            return
        key = repr((table, list(where), list(columns), list(rows)))
        if key not in self._expected:
            self._expected.add(key)
            self.waits.add(self.txn.wait(table, list(where), list(columns), "==", list(rows),
                                         timeout=0))

    async def where(self, table: str, column: str, value: Any) -> list[UUID]:
        """The rows of *table* whose *column* equals *value* (verified when writing)."""
        found = sorted(uuid for uuid, row in (await self.rows(table)).items()
                       if row[column] == value)
        self.expect(table, [(column, "==", value)], ["_uuid"], [{"_uuid": uuid}
                                                               for uuid in found])
        return found

    async def named(self, table: str, name: str, *, if_exists: bool = False) -> UUID | None:
        """The row of *table* whose ``name`` is *name*."""
        found = await self.where(table, "name", name)
        if len(found) > 1:
            raise VsctlError(f"several rows in table {table} are named {name!r}")
        if not found and not if_exists:
            raise VsctlLookupError(f"no row {name!r} in table {table}")
        return found[0] if found else None

    async def bridge_of(self, table: str, uuid: UUID) -> str | None:
        """The name of the bridge holding Port (or Interface) *uuid*, if any."""
        if table == "Interface":
            holders = [port for port, row in (await self.rows("Port")).items()
                       if uuid in row["interfaces"]]
            if not holders:
                return None
            uuid = holders[0]
        for row in (await self.rows("Bridge")).values():
            if uuid in row["ports"]:
                name: str = row["name"]
                return name
        return None

    async def record(self, table: str, text: str, *, if_exists: bool = False) -> UUID | None:
        """The record *text* names in *table* (``None`` if there is none and
        *if_exists*, else ``VsctlLookupError``)."""
        rows = await self.rows(table)
        if _FULL_UUID.match(text) and UUID(text) in rows:
            return self._by_uuid(table, UUID(text))
        rules = RECORD_RULES.get(table, ()) if self.database == "Open_vSwitch" else ()
        for rule in rules:
            found = await self._by_rule(table, rule, text)
            if found is not None:
                return found
        if _UUID_PREFIX.match(text):
            matches = [uuid for uuid in rows if str(uuid).startswith(text.lower())]
            if len(matches) > 1:
                raise VsctlError(f"{text!r} is the start of several UUIDs in table {table}")
            if matches:
                return self._by_uuid(table, matches[0])
        if if_exists:
            return None
        raise VsctlLookupError(f"no row {text!r} in table {table}")

    def _by_uuid(self, table: str, uuid: UUID) -> UUID:
        self.expect(table, [("_uuid", "==", uuid)], ["_uuid"], [{"_uuid": uuid}])
        return uuid

    async def _by_rule(self, table: str, rule: RecordRule, text: str) -> UUID | None:
        parent = self.schema.tables.get(rule.name_table)
        needed = [rule.name_column, rule.ref_column]
        if parent is None or any(c is not None and c not in parent.columns for c in needed):
            return None
        rows = await self.rows(rule.name_table)
        where: list[Condition] = []
        if rule.name_column is None:
            if text != ".":
                return None
            candidates = list(rows.values())
        else:
            column = parent.columns[rule.name_column]
            try:
                value = parse_atom(column.type.key, text, label=column.label)
            except ValueError:
                return None  # "abc" cannot be an integer id: not this rule
            where = [(rule.name_column, "==", value)]
            candidates = [row for row in rows.values() if row[rule.name_column] == value]
        if not candidates:
            return None
        if len(candidates) > 1:
            raise VsctlError(f"several rows in table {rule.name_table} match {text!r}")
        row = candidates[0]
        columns = ["_uuid"] + ([rule.ref_column] if rule.ref_column else [])
        self.expect(rule.name_table, where, columns, [{name: row[name] for name in columns}])
        if rule.ref_column is None:
            uuid: UUID = row["_uuid"]
            return uuid
        referenced = _uuids(row[rule.ref_column])
        if len(referenced) > 1:
            raise VsctlError(f"{rule.name_table} {text!r} references several {table} rows "
                             f"in {rule.ref_column}: name one by UUID")
        return referenced[0] if referenced else None
