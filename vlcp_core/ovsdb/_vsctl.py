"""ovs-vsctl on the client: its database commands and its bridge, port, controller and
fail-mode verbs, each ONE transaction on an ``OvsdbClient``.

``Vsctl(client)`` takes ovs-vsctl's arguments as strings (``"fail_mode=secure"``,
``"other_config:datapath-id=0000000000000001"``, ``"protocols=[OpenFlow10,OpenFlow13]"``,
``"name=br0"``...; the syntax is ``_vsctl_syntax``'s) and answers with ``_schema``'s
Python values (``uuid.UUID``, ``frozenset``, ``dict``, ``None``).  Records are named
as ovs-vsctl names them (``_vsctl_records``): ``br0``, a UUID or its unique prefix,
``.`` for ``Open_vSwitch``, a bridge's name for its ``Controller``...

A command reads what it needs (``select``), then sends one transaction that first
verifies those reads (``wait`` with timeout 0) and then writes; if something it read
changed meanwhile, it is read and built again (at most 5 times), so a command acts
on what is there at commit, as ovs-vsctl does.  Errors: ``ValueError`` for a value
or name that does not parse or fit its column (before anything is sent),
``VsctlLookupError`` for a record or key that is not there, ``VsctlError`` for a
command that cannot be done, ``TransactionError`` for what the server refuses.

Rows of tables that are not root tables (``Bridge``, ``Port``, ``Interface``,
``Controller``...) live only while referenced: ``add_br`` creates the
``Interface``, ``Port`` and ``Bridge`` and adds the bridge to
``Open_vSwitch.bridges`` in one transaction; ``del_br``, ``del_port`` and
``set_controller`` drop references and let ovsdb-server collect the rows.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from ._schema import ColumnType, NamedUUID, TableSchema
from ._transact import Transaction, TransactionError
from ._vsctl_records import (
    CommandContext,
    VsctlError,
    VsctlLookupError,
    link_row,
    parent_column,
    row_where,
)
from ._vsctl_syntax import (
    empty_value,
    parse_assigned,
    parse_column_argument,
    parse_condition,
    parse_elements,
    resolve_column,
    resolve_table,
)

if TYPE_CHECKING:
    from ._client import OvsdbClient

__all__ = ["Vsctl", "VsctlError", "VsctlLookupError"]

R = TypeVar("R")
Rows = list[dict[str, Any]]
Names = list[str]
Values = list[Any]
_ATTEMPTS = 5


class Vsctl:
    """ovs-vsctl's commands on *client*'s *database* (connected already)."""

    def __init__(self, client: OvsdbClient, database: str = "Open_vSwitch") -> None:
        self.client = client
        self.database = database

    # --- running a command ---------------------------------------------------------

    async def _table(self, text: str) -> TableSchema:
        return resolve_table(await self.client.get_schema(self.database), text)

    async def _read(self, body: Callable[[CommandContext], Awaitable[R]]) -> R:
        schema = await self.client.get_schema(self.database)
        return await body(CommandContext(self.client, self.database, schema, writing=False))

    async def _write(self, what: str, body: Callable[[CommandContext], Awaitable[R]]
                     ) -> tuple[R, dict[NamedUUID, UUID]]:
        """Run *body* (reads, then builds ``ctx.txn``) and commit its transaction;
        again when a verification fails.  Returns *body*'s value and the UUIDs of the
        inserted rows."""
        schema = await self.client.get_schema(self.database)
        for _ in range(_ATTEMPTS):
            ctx = CommandContext(self.client, self.database, schema, writing=True)
            value = await body(ctx)
            txn = ctx.txn
            if len(txn) == len(ctx.waits):
                return value, {}  # nothing to change
            txn.comment(f"vlcp vsctl: {what}")
            try:
                results = await self.client.transact(self.database, txn)
            except TransactionError as exc:
                if exc.index in ctx.waits and exc.error == "timed out":
                    continue  # what we read changed: read again
                raise
            new = {name: result for name, index in txn.named_uuids.items()
                   if (result := results[index].uuid) is not None}
            return value, new
        raise VsctlError(f"{what}: the database kept changing under the command "
                         f"({_ATTEMPTS} attempts)")

    @staticmethod
    def _uuid(value: UUID | NamedUUID, new: dict[NamedUUID, UUID]) -> UUID:
        return new[value] if isinstance(value, NamedUUID) else value

    # --- database commands ---------------------------------------------------------

    @staticmethod
    def _columns(table: TableSchema, columns: Sequence[str] | None) -> Names:
        if columns is None:
            return ["_uuid", *sorted(table.user_columns)]
        if isinstance(columns, str):
            raise ValueError(f"table {table.name}: columns is a sequence of names, not "
                             f"the string {columns!r}")
        names = [resolve_column(table, text).name for text in columns]
        return list(dict.fromkeys(["_uuid", *names]))

    async def list(self, table: str, *records: str, columns: Sequence[str] | None = None,
                   if_exists: bool = False) -> Rows:
        """The rows *records* name (none: every row, by UUID), each a dict of *columns*
        (default: all, alphabetically) and ``_uuid``."""
        schema = await self._table(table)
        names = self._columns(schema, columns)

        async def body(ctx: CommandContext) -> Rows:
            rows = await ctx.rows(schema.name)
            if not records:
                chosen = [rows[uuid] for uuid in sorted(rows)]
            else:
                found = [await ctx.record(schema.name, text, if_exists=if_exists)
                         for text in records]
                chosen = [rows[uuid] for uuid in found if uuid is not None]
            return [{name: row[name] for name in names} for row in chosen]

        return await self._read(body)

    async def find(self, table: str, *conditions: str, columns: Sequence[str] | None = None
                   ) -> Rows:
        """The rows satisfying every condition (``name=br0``, ``other_config:k!=v``,
        ``flood_vlans{>=}1,2``...), as ``list`` gives them."""
        schema = await self._table(table)
        names = self._columns(schema, columns)
        parsed = [parse_condition(schema, text) for text in conditions]

        async def body(ctx: CommandContext) -> Rows:
            rows = await ctx.rows(schema.name)
            return [{name: rows[uuid][name] for name in names} for uuid in sorted(rows)
                    if all(c.holds(rows[uuid][c.argument.column.name]) for c in parsed)]

        return await self._read(body)

    async def get(self, table: str, record: str, *columns: str, if_exists: bool = False
                  ) -> Values:
        """The value of each ``column`` or ``column:key`` of *record*.  A missing key
        raises ``VsctlLookupError`` (``None`` with *if_exists*, and a missing record
        gives ``[]``)."""
        schema = await self._table(table)
        arguments = [parse_column_argument(schema, text) for text in columns]

        async def body(ctx: CommandContext) -> Values:
            uuid = await ctx.record(schema.name, record, if_exists=if_exists)
            if uuid is None:
                return []
            row = (await ctx.rows(schema.name))[uuid]
            values: Values = []
            for argument in arguments:
                value = row[argument.column.name]
                if not argument.has_key:
                    values.append(value)
                elif argument.key in value or if_exists:
                    values.append(value.get(argument.key))
                else:
                    raise VsctlLookupError(f"no key {argument.key!r} in {schema.name} record "
                                           f"{record!r} column {argument.column.name}")
            return values

        return await self._read(body)

    async def set(self, table: str, record: str, *assignments: str, if_exists: bool = False
                  ) -> None:
        """``column=value`` sets a column, ``column:key=value`` one key of a map."""
        schema = await self._table(table)
        arguments = [parse_column_argument(schema, text, operators=("=",))
                     for text in assignments]
        values = [parse_assigned(argument) for argument in arguments]

        async def body(ctx: CommandContext) -> None:
            uuid = await ctx.record(schema.name, record, if_exists=if_exists)
            if uuid is None:
                return
            for argument, value in zip(arguments, values, strict=True):
                name = argument.column.name
                if argument.has_key:
                    ctx.txn.mutate(schema.name, row_where(uuid), [
                        (name, "delete", frozenset([argument.key])),
                        (name, "insert", {argument.key: value})])
                else:
                    ctx.txn.update(schema.name, row_where(uuid), {name: value})

        await self._write(f"set {schema.name} {record} {' '.join(assignments)}", body)

    async def add(self, table: str, record: str, column: str, *values: str,
                  if_exists: bool = False) -> None:
        """Add values to a set column, or ``key=value`` pairs to a map column (a key
        that is there keeps its value, as in ovs-vsctl)."""
        schema = await self._table(table)
        target = resolve_column(schema, column)
        if not values:
            raise ValueError(f"{target.label}: add needs at least one value")
        parsed = [parse_elements(target, text) for text in values]
        if target.type.value is not None:
            added: Any = {k: v for value in parsed for k, v in value.items()}
        else:
            added = frozenset().union(*parsed)

        async def body(ctx: CommandContext) -> None:
            uuid = await ctx.record(schema.name, record, if_exists=if_exists)
            if uuid is not None:
                ctx.txn.mutate(schema.name, row_where(uuid), [(target.name, "insert", added)])

        await self._write(f"add {schema.name} {record} {target.name} {' '.join(values)}", body)

    async def remove(self, table: str, record: str, column: str, *values: str,
                     if_exists: bool = False) -> None:
        """Remove values from a set column; from a map, keys (``key``) or pairs
        (``key=value``: only if the value matches)."""
        schema = await self._table(table)
        target = resolve_column(schema, column)
        if not values:
            raise ValueError(f"{target.label}: remove needs at least one value")
        mutations: list[tuple[str, str, Any]] = []
        if target.type.value is None:
            removed = [parse_elements(target, text) for text in values]
            mutations.append((target.name, "delete", frozenset().union(*removed)))
        else:  # as ovs-vsctl: key=value pairs if the text reads so, else keys
            keys = ColumnType(target.type.key, None, 0, math.inf)
            pairs: dict[Any, Any] = {}
            names: set[Any] = set()
            for text in values:
                try:
                    pairs.update(parse_elements(target, text))
                except ValueError as error:
                    try:
                        names.update(parse_elements(target, text, keys))
                    except ValueError:
                        raise error from None
            mutations += [(target.name, "delete", pairs)] if pairs else []
            mutations += [(target.name, "delete", frozenset(names))] if names else []

        async def body(ctx: CommandContext) -> None:
            uuid = await ctx.record(schema.name, record, if_exists=if_exists)
            if uuid is not None:
                ctx.txn.mutate(schema.name, row_where(uuid), mutations)

        await self._write(f"remove {schema.name} {record} {target.name} {' '.join(values)}",
                          body)

    async def clear(self, table: str, record: str, *columns: str, if_exists: bool = False
                    ) -> None:
        """Empty each column (only columns that may be empty)."""
        schema = await self._table(table)
        row = {}
        for text in columns:
            column = resolve_column(schema, text)
            row[column.name] = empty_value(column)

        async def body(ctx: CommandContext) -> None:
            uuid = await ctx.record(schema.name, record, if_exists=if_exists)
            if uuid is not None and row:
                ctx.txn.update(schema.name, row_where(uuid), row)

        await self._write(f"clear {schema.name} {record} {' '.join(columns)}", body)

    async def create(self, table: str, *assignments: str,
                     parent: tuple[str, str, str] | None = None) -> UUID:
        """Insert a row with the ``column[:key]=value`` *assignments*; returns its UUID.

        Rows of a table that is not a root table are deleted by ovsdb-server unless
        referenced: ``parent=(table, record, column)`` adds the reference in the same
        transaction (``column:key`` for a map; a set column gets the row added, another
        column is set to it); without it a warning says the row will vanish, as
        ovs-vsctl warns."""
        schema = await self._table(table)
        row: dict[str, Any] = {}
        for text in assignments:
            argument = parse_column_argument(schema, text, operators=("=",))
            value = parse_assigned(argument)
            name = argument.column.name
            row[name] = {**row.get(name, {}), argument.key: value} if argument.has_key \
                else value
        link = None
        if parent is not None:
            if not (isinstance(parent, tuple) and len(parent) == 3
                    and all(isinstance(part, str) for part in parent)):
                raise ValueError(f"create {schema.name}: parent is (table, record, column), "
                                 f"not {parent!r}")
            link = parent_column(schema, await self._table(parent[0]), parent[2])
        elif not schema.is_root:
            warnings.warn(f"create {schema.name}: {schema.name} is not a root table and "
                          f"nothing references the new row, so ovsdb-server deletes it at "
                          f"once; pass parent=(table, record, column)", stacklevel=2)

        async def body(ctx: CommandContext) -> NamedUUID:
            owner = None
            if link is not None and parent is not None:
                owner = await ctx.record(link.column.table, parent[1])
            new = ctx.txn.insert(schema.name, row)
            if link is not None and owner is not None:
                link_row(ctx.txn, link, owner, new)
            return new

        value, new = await self._write(f"create {schema.name} {' '.join(assignments)}", body)
        return new[value]

    async def destroy(self, table: str, *records: str, if_exists: bool = False) -> None:
        """Delete rows of a root table (``QoS``, ``Queue``...).  Rows of other tables go
        when nothing references them: remove the reference instead (ovs-vsctl ignores
        such a destroy; this raises ``VsctlError``)."""
        schema = await self._table(table)
        if not schema.is_root:
            raise VsctlError(f"destroy {schema.name}: {schema.name} is not a root table: "
                             f"its rows are deleted when nothing references them any more; "
                             f"remove the reference instead")

        async def body(ctx: CommandContext) -> None:
            for text in records:
                uuid = await ctx.record(schema.name, text, if_exists=if_exists)
                if uuid is not None:
                    ctx.txn.delete(schema.name, row_where(uuid))

        await self._write(f"destroy {schema.name} {' '.join(records)}", body)

    # --- bridges -------------------------------------------------------------------

    async def add_br(self, name: str, *, datapath_type: str | None = None,
                     fail_mode: str | None = None, protocols: Sequence[str] | None = None,
                     other_config: Mapping[str, str] | None = None,
                     may_exist: bool = False) -> UUID:
        """Create bridge *name* with its internal port and interface, and add it to
        ``Open_vSwitch.bridges``: one transaction.  Returns the Bridge's UUID (with
        *may_exist*, that of the bridge already there, left as it is)."""
        _check_name("bridge", name)
        bridge: dict[str, Any] = {"name": name}
        if datapath_type is not None:
            bridge["datapath_type"] = datapath_type
        if fail_mode is not None:
            bridge["fail_mode"] = fail_mode
        if protocols is not None:
            bridge["protocols"] = frozenset(_strings("protocols", protocols))
        if other_config is not None:
            bridge["other_config"] = dict(other_config)

        async def body(ctx: CommandContext) -> UUID | NamedUUID:
            await ctx.load("Bridge", "Port", "Interface", "Open_vSwitch")
            existing = await ctx.named("Bridge", name, if_exists=True)
            if existing is not None:
                if may_exist:
                    return existing
                raise VsctlError(f"add_br {name}: a bridge named {name!r} exists already")
            await self._free_name(ctx, "bridge", name)
            interface = ctx.txn.insert("Interface", {"name": name, "type": "internal"})
            port = ctx.txn.insert("Port", {"name": name, "interfaces": frozenset([interface])})
            new = ctx.txn.insert("Bridge", {**bridge, "ports": frozenset([port])})
            root = await ctx.rows("Open_vSwitch")
            ctx.expect("Open_vSwitch", [], ["_uuid"], [{"_uuid": uuid} for uuid in root])
            if root:
                ctx.txn.mutate("Open_vSwitch", [], [("bridges", "insert", frozenset([new]))])
            else:  # an empty database: initialize it, as ovs-vsctl does
                ctx.txn.insert("Open_vSwitch", {"bridges": frozenset([new])})
            return new

        value, new = await self._write(f"add-br {name}", body)
        return self._uuid(value, new)

    async def _free_name(self, ctx: CommandContext, what: str, name: str) -> None:
        """No port and no interface is called *name* (verified at commit)."""
        for table in ("Port", "Interface"):
            found = await ctx.where(table, "name", name)
            if found:
                owner = await ctx.bridge_of(table, found[0])
                raise VsctlError(f"cannot create a {what} named {name!r}: a "
                                 f"{table.lower()} named {name!r} exists already"
                                 f"{f' on bridge {owner!r}' if owner else ''}")

    async def del_br(self, name: str, *, if_exists: bool = False) -> None:
        """Remove bridge *name* from ``Open_vSwitch.bridges``: ovsdb-server deletes the
        bridge, its ports, interfaces, controllers... (nothing else references them)."""

        async def body(ctx: CommandContext) -> None:
            bridge = await ctx.named("Bridge", name, if_exists=if_exists)
            if bridge is not None:
                ctx.txn.mutate("Open_vSwitch", [], [("bridges", "delete", frozenset([bridge]))])

        await self._write(f"del-br {name}", body)

    async def list_br(self) -> Names:
        """The bridges' names, sorted."""

        async def body(ctx: CommandContext) -> Names:
            return sorted(row["name"] for row in (await ctx.rows("Bridge")).values())

        return await self._read(body)

    async def br_exists(self, name: str) -> bool:
        return name in await self.list_br()

    async def datapath_id(self, bridge: str) -> int | None:
        """``Bridge.datapath_id`` as an integer: the datapath id the bridge's OpenFlow
        switch reports (``None`` until ovs-vswitchd has set it)."""
        value = await self._bridge_column(bridge, "datapath_id")
        if value is None:
            return None
        try:
            return int(value, 16)
        except ValueError:
            raise VsctlError(f"Bridge {bridge!r}: datapath_id {value!r} is not "
                             f"hexadecimal") from None

    async def _bridge_column(self, bridge: str, column: str) -> Any:
        async def body(ctx: CommandContext) -> Any:
            uuid = await ctx.named("Bridge", bridge)
            assert uuid is not None
            return (await ctx.rows("Bridge"))[uuid][column]

        return await self._read(body)

    # --- ports ---------------------------------------------------------------------

    async def add_port(self, bridge: str, port: str, *, interface_type: str | None = None,
                       options: Mapping[str, str] | None = None,
                       ofport_request: int | None = None, may_exist: bool = False) -> UUID:
        """Add port *port* with its interface of the same name to *bridge*; returns the
        Port's UUID (with *may_exist*, that of the port already on *bridge*)."""
        _check_name("port", port)
        interface: dict[str, Any] = {"name": port}
        if interface_type is not None:
            interface["type"] = interface_type
        if options is not None:
            interface["options"] = dict(options)
        if ofport_request is not None:
            interface["ofport_request"] = ofport_request

        async def body(ctx: CommandContext) -> UUID | NamedUUID:
            await ctx.load("Bridge", "Port", "Interface")
            owner = await ctx.named("Bridge", bridge)
            assert owner is not None
            existing = await ctx.where("Port", "name", port)
            if existing and may_exist and existing[0] in (await ctx.rows("Bridge"))[owner][
                    "ports"]:
                return existing[0]
            await self._free_name(ctx, "port", port)
            new_interface = ctx.txn.insert("Interface", interface)
            new = ctx.txn.insert("Port", {"name": port,
                                          "interfaces": frozenset([new_interface])})
            ctx.txn.mutate("Bridge", row_where(owner), [("ports", "insert", frozenset([new]))])
            return new

        value, new = await self._write(f"add-port {bridge} {port}", body)
        return self._uuid(value, new)

    async def del_port(self, port: str, *, bridge: str | None = None,
                       if_exists: bool = False) -> None:
        """Remove *port* from its bridge (which must be *bridge* if given); ovsdb-server
        then deletes the port and its interfaces."""

        async def body(ctx: CommandContext) -> None:
            await ctx.load("Bridge", "Port")
            uuid = await ctx.named("Port", port, if_exists=if_exists)
            if uuid is None:
                return
            bridges = await ctx.rows("Bridge")
            holders = [key for key, row in bridges.items() if uuid in row["ports"]]
            if bridge is not None and (not holders or bridges[holders[0]]["name"] != bridge):
                await ctx.named("Bridge", bridge)
                raise VsctlError(f"del_port {port}: bridge {bridge!r} does not have a port "
                                 f"{port!r}")
            if not holders:
                return
            holder = holders[0]
            if bridges[holder]["name"] == port:
                raise VsctlError(f"del_port {port}: {port!r} is the local port of bridge "
                                 f"{port!r}: delete the bridge instead (del_br)")
            ctx.expect("Bridge", [*row_where(holder), ("ports", "includes", uuid)], ["_uuid"],
                       [{"_uuid": holder}])
            ctx.txn.mutate("Bridge", row_where(holder), [("ports", "delete", frozenset([uuid]))])

        await self._write(f"del-port {port}", body)

    async def list_ports(self, bridge: str) -> Names:
        """The names of *bridge*'s ports but its own local port, sorted."""

        async def body(ctx: CommandContext) -> Names:
            await ctx.load("Bridge", "Port")
            uuid = await ctx.named("Bridge", bridge)
            assert uuid is not None
            ports = await ctx.rows("Port")
            names = (ports[port]["name"] for port in (await ctx.rows("Bridge"))[uuid]["ports"]
                     if port in ports)
            return sorted(name for name in names if name != bridge)

        return await self._read(body)

    # --- controllers and fail mode -------------------------------------------------

    async def set_controller(self, bridge: str, *targets: str) -> None:
        """Replace *bridge*'s controllers by new ``Controller`` rows for *targets*
        (``tcp:127.0.0.1:6653``...); the old rows are collected by ovsdb-server."""
        if not targets:
            raise ValueError(f"set_controller {bridge}: give at least one target")
        _strings("targets", targets)

        async def body(ctx: CommandContext) -> None:
            uuid = await ctx.named("Bridge", bridge)
            assert uuid is not None
            new = [ctx.txn.insert("Controller", {"target": target}) for target in targets]
            ctx.txn.update("Bridge", row_where(uuid), {"controller": frozenset(new)})

        await self._write(f"set-controller {bridge} {' '.join(targets)}", body)

    async def del_controller(self, bridge: str) -> None:
        await self._set_bridge(bridge, "del-controller", {"controller": frozenset()})

    async def get_controller(self, bridge: str) -> Names:
        """The targets of *bridge*'s controllers, sorted."""

        async def body(ctx: CommandContext) -> Names:
            await ctx.load("Bridge", "Controller")
            uuid = await ctx.named("Bridge", bridge)
            assert uuid is not None
            rows = await ctx.rows("Controller")
            return sorted(rows[key]["target"]
                          for key in (await ctx.rows("Bridge"))[uuid]["controller"]
                          if key in rows)

        return await self._read(body)

    async def set_fail_mode(self, bridge: str, mode: str) -> None:
        """``secure`` or ``standalone`` (the schema's enum says so before sending)."""
        await self._set_bridge(bridge, f"set-fail-mode {mode}", {"fail_mode": mode})

    async def del_fail_mode(self, bridge: str) -> None:
        await self._set_bridge(bridge, "del-fail-mode", {"fail_mode": None})

    async def get_fail_mode(self, bridge: str) -> str | None:
        mode: str | None = await self._bridge_column(bridge, "fail_mode")
        return mode

    async def _set_bridge(self, bridge: str, what: str, row: dict[str, Any]) -> None:
        async def body(ctx: CommandContext) -> None:
            uuid = await ctx.named("Bridge", bridge)
            assert uuid is not None
            ctx.txn.update("Bridge", row_where(uuid), row)

        await self._write(f"{what} {bridge}", body)

    # --- waiting for ovs-vswitchd --------------------------------------------------

    async def wait_for_switch(self, timeout: float = 10.0) -> None:
        """Wait until ovs-vswitchd has applied the database as it is now, as ovs-vsctl
        waits by default: add 1 to ``Open_vSwitch.next_cfg``, then wait (a ``wait``
        operation, no polling) until ``cur_cfg`` reaches it.  ``TimeoutError`` after
        *timeout* seconds."""
        schema = await self.client.get_schema(self.database)
        txn = Transaction(schema)
        txn.mutate("Open_vSwitch", [], [("next_cfg", "+=", 1)])
        selected = txn.select("Open_vSwitch", [], ["next_cfg"])
        txn.comment("vlcp vsctl: wait for ovs-vswitchd")
        rows = (await self.client.transact(self.database, txn))[selected].rows or []
        if not rows:
            raise VsctlError("the Open_vSwitch table is empty: no switch reads this database")
        target = rows[0]["next_cfg"]
        txn = Transaction(schema)
        txn.wait("Open_vSwitch", [("cur_cfg", ">=", target)], ["_uuid"], "!=", [],
                 timeout=max(0, round(timeout * 1000)))
        try:
            await self.client.transact(self.database, txn)
        except TransactionError as exc:
            if exc.error != "timed out":
                raise
            raise TimeoutError(f"ovs-vswitchd did not apply next_cfg {target} within "
                               f"{timeout} s (Open_vSwitch.cur_cfg stayed lower)") from None


def _check_name(what: str, name: str) -> None:
    if not isinstance(name, str) or not name:
        raise ValueError(f"a {what} name is a non-empty string, not {name!r}")


def _strings(what: str, values: Sequence[str]) -> Sequence[str]:
    if isinstance(values, str) or not all(isinstance(value, str) for value in values):
        raise ValueError(f"{what} is a sequence of strings, not {values!r}")
    return values
