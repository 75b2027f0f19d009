"""OVSDB commands: ``ovsdb ...`` (the database, as ovs-vsctl and ovsdb-client show it);
ovs-vsctl's verbs are in ``_cmd_vsctl``.

Every command runs ``vlcp_core.ovsdb.Vsctl`` (one transaction each) or the
``OvsdbClient`` on the controller's loop through ``ctx.call``; values are written
and shown in ovs-vsctl's syntax (``ovs-vsctl(8)``, "Database Values").

``ovsdb monitor`` is a live watch: a monitor of the table whose row events are
turned into lines on the loop's thread and printed by a thread of the shell's,
at most ``_RATE`` lines a second; what is over the rate, or over ``_LIMIT`` lines
waiting, is counted and the count shown, so nothing queues without bound and the
loop never waits for the terminal.
"""

from __future__ import annotations

import difflib
import json
import re
import threading
import time
import uuid
import warnings
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from vlcp_core.event import Event, EventMatcher
from vlcp_core.ovsdb import (
    Monitor,
    OvsdbClient,
    RowDeleted,
    RowInserted,
    RowModified,
    Vsctl,
    VsctlError,
    VsctlLookupError,
)

from ._registry import CommandError, command
from ._render import Lines, Table
from ._shell import Context

__all__ = ["SUBCOMMANDS"]

_DB = "Open_vSwitch"
_RATE = 50.0  # monitor lines a second, at most
_LIMIT = 1000  # monitor lines waiting to be printed, at most
_BARE = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                   r"[0-9a-fA-F]{12}")
_NEED = "no OVSDB connection: start the shell with --ovsdb ADDR (unix:PATH, tcp:IP:PORT, " \
    "ssl:IP:PORT) or --lab"


# --- values as ovs-vsctl prints them ---------------------------------------------------

def atom_text(value: Any) -> str:
    """One atom: a string bare when it reads as a word (``secure``, ``s1-eth1``),
    else JSON-quoted (``"tcp:127.0.0.1:6653"``, ``"true"``, ``""``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format(value, ".15g")
    if isinstance(value, str):
        bare = _BARE.fullmatch(value) and value not in ("true", "false") \
            and not _UUID.fullmatch(value)
        return value if bare else json.dumps(value, ensure_ascii=False)
    return str(value)


def _order(value: Any) -> tuple[int, Any]:
    if isinstance(value, (bool, int, float)):
        return (0, value)
    return (1, str(value))


def value_text(value: Any) -> str:
    """A column's value: an atom, ``[a, b]`` for a set (``[]`` for nothing), ``{k=v}``
    for a map, members sorted as ovsdb-server sorts them."""
    if value is None:
        return "[]"
    if isinstance(value, Mapping):
        pairs = sorted(value.items(), key=lambda item: _order(item[0]))
        return "{" + ", ".join(f"{atom_text(k)}={atom_text(v)}" for k, v in pairs) + "}"
    if isinstance(value, (set, frozenset, list, tuple)):
        return "[" + ", ".join(atom_text(v) for v in sorted(value, key=_order)) + "]"
    return atom_text(value)


def record_blocks(rows: list[dict[str, Any]]) -> Lines:
    """Rows as ``ovs-vsctl list`` prints them: ``column : value`` blocks."""
    lines: list[str] = []
    for row in rows:
        if lines:
            lines.append("")
        lines += [f"{name:<20}: {value_text(value)}" for name, value in row.items()]
    return Lines(lines)


# --- helpers ---------------------------------------------------------------------------

def _client(ctx: Context) -> OvsdbClient:
    if ctx.runtime.ovsdb is None:
        raise CommandError(_NEED)
    return ctx.runtime.ovsdb


def _vsctl(ctx: Context) -> Vsctl:
    if ctx.runtime.vsctl is None:
        raise CommandError(_NEED)
    return ctx.runtime.vsctl


def _run(ctx: Context, awaitable: Any) -> Any:
    """Run a Vsctl coroutine; its refusals become the shell's errors, its warnings
    (a row nothing references) lines of output."""
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = ctx.call(awaitable)
    except VsctlLookupError:
        raise
    except VsctlError as exc:
        raise CommandError(str(exc)) from None
    for warning in caught:
        ctx.write(f"warning: {warning.message}\n")
    return result


def _options(args: list[str], known: tuple[str, ...], usage: str
             ) -> tuple[dict[str, str], list[str]]:
    """Split ``--name`` / ``--name=value`` options from the other words."""
    options: dict[str, str] = {}
    rest: list[str] = []
    for word in args:
        if word.startswith("--") and len(word) > 2:
            name, _, value = word[2:].partition("=")
            if name not in known:
                allowed = ", ".join(f"--{k}" for k in known) or "none"
                raise CommandError(f"unknown option {word!r} (options here: {allowed}); "
                                   f"usage: {usage}")
            options[name] = value
        else:
            rest.append(word)
    return options, rest


def _need(args: list[str], count: int, usage: str) -> None:
    if len(args) < count:
        raise CommandError(f"missing arguments: usage: {usage}")


def _columns(options: dict[str, str]) -> list[str] | None:
    text = options.get("columns")
    if text is None:
        return None
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise CommandError("--columns needs column names: --columns=name,ofport")
    return names


def _rows(ctx: Context, rows: list[dict[str, Any]], columns: list[str] | None) -> Any:
    if ctx.shell.fmt == "json":
        return rows
    if columns is None:
        return record_blocks(rows)
    wanted = "_uuid" in columns
    headers = [name for name in rows[0] if wanted or name != "_uuid"] if rows else \
        [name for name in columns]
    return Table(headers, [[value_text(row[name]) for name in headers] for row in rows])


# --- ovsdb: the database commands ------------------------------------------------------

SubHandler = Callable[[Context, dict[str, str], list[str]], Any]
SUBCOMMANDS: dict[str, tuple[str, Callable[[Context, list[str]], Any]]] = {}


def _sub(name: str, usage: str, least: int = 0, known: tuple[str, ...] = ()
         ) -> Callable[[SubHandler], SubHandler]:
    """Register ``ovsdb NAME``: its handler gets the options and at least *least* words."""
    def register(handler: SubHandler) -> SubHandler:
        def run(ctx: Context, args: list[str]) -> Any:
            options, rest = _options(args, known, f"ovsdb {name} {usage}")
            _need(rest, least, f"ovsdb {name} {usage}")
            return handler(ctx, options, rest)
        SUBCOMMANDS[name] = (usage, run)
        return handler
    return register


@command("ovsdb", "SUBCOMMAND [ARGS...]", group="ovsdb")
def ovsdb(ctx: Context, args: list[str]) -> Any:
    """Read, change and monitor the OVSDB database (``ovsdb`` alone lists subcommands).

    Subcommands: list-dbs, tables, list, find, get, set, add, remove, clear, create,
    destroy, transact, monitor, unmonitor.

    Tables, records, columns and values as ovs-vsctl takes them; a string with ':' is
    JSON-quoted, so quote the word for the shell too: 'target="tcp:127.0.0.1:6653"'.
    ``ovsdb monitor TABLE [COLUMN,...]`` prints the table's row changes as they come
    (initial, insert, modify, delete) until ``ovsdb unmonitor ID|all``.

    Example: ovsdb list --columns=name,ofport Interface
    """
    if not args:
        return Table(["subcommand", "arguments"],
                     [[name, usage] for name, (usage, _) in sorted(SUBCOMMANDS.items())])
    found = SUBCOMMANDS.get(args[0])
    if found is None:
        near = difflib.get_close_matches(args[0], list(SUBCOMMANDS), n=1)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        raise CommandError(f"unknown ovsdb subcommand {args[0]!r}{hint} (subcommands: "
                           f"{', '.join(sorted(SUBCOMMANDS))})")
    return found[1](ctx, args[1:])


@_sub("list-dbs", "")
def _list_dbs(ctx: Context, options: dict[str, str], args: list[str]) -> Any:
    return Lines(sorted(ctx.call(_client(ctx).list_dbs())))


@_sub("tables", "[DB]")
def _tables(ctx: Context, options: dict[str, str], args: list[str]) -> Any:
    schema = ctx.call(_client(ctx).get_schema(args[0] if args else _DB))
    return Table(["table", "root", "columns", "max_rows"],
                 [[name, "yes" if table.is_root else "no", len(table.user_columns),
                   table.max_rows] for name, table in sorted(schema.tables.items())])


@_sub("list", "[--columns=A,B] [--if-exists] TABLE [RECORD...]", 1, ("columns", "if-exists"))
def _list(ctx: Context, options: dict[str, str], args: list[str]) -> Any:
    columns = _columns(options)
    return _rows(ctx, _run(ctx, _vsctl(ctx).list(args[0], *args[1:], columns=columns,
                                                 if_exists="if-exists" in options)), columns)


@_sub("find", "[--columns=A,B] TABLE CONDITION...", 1, ("columns",))
def _find(ctx: Context, options: dict[str, str], args: list[str]) -> Any:
    columns = _columns(options)
    return _rows(ctx, _run(ctx, _vsctl(ctx).find(args[0], *args[1:], columns=columns)),
                 columns)


@_sub("get", "[--if-exists] TABLE RECORD COLUMN[:KEY]...", 3, ("if-exists",))
def _get(ctx: Context, options: dict[str, str], args: list[str]) -> Any:
    values = _run(ctx, _vsctl(ctx).get(args[0], args[1], *args[2:],
                                       if_exists="if-exists" in options))
    if ctx.shell.fmt == "json":
        return values
    return Lines(["" if value is None and ":" in column else value_text(value)
                  for column, value in zip(args[2:], values, strict=False)])


def _changer(name: str, usage: str, least: int) -> None:
    """``set``, ``add``, ``remove``, ``clear``, ``destroy``: the words to the method."""
    def handler(ctx: Context, options: dict[str, str], args: list[str]) -> Any:
        _run(ctx, getattr(_vsctl(ctx), name)(*args, if_exists="if-exists" in options))
    _sub(name, f"[--if-exists] {usage}", least, ("if-exists",))(handler)


_changer("set", "TABLE RECORD COLUMN[:KEY]=VALUE...", 3)
_changer("add", "TABLE RECORD COLUMN VALUE...", 4)
_changer("remove", "TABLE RECORD COLUMN VALUE...", 4)
_changer("clear", "TABLE RECORD COLUMN...", 3)
_changer("destroy", "TABLE RECORD...", 2)


@_sub("create", "[--parent=TABLE,RECORD,COLUMN] TABLE COLUMN[:KEY]=VALUE...", 1, ("parent",))
def _create(ctx: Context, options: dict[str, str], args: list[str]) -> Any:
    parent = None
    if "parent" in options:
        parts = options["parent"].split(",")
        if len(parts) != 3 or not all(parts):
            raise CommandError(f"--parent={options['parent']}: give TABLE,RECORD,COLUMN, "
                               f"e.g. --parent=Port,s1-eth1,qos")
        parent = (parts[0], parts[1], parts[2])
    return str(_run(ctx, _vsctl(ctx).create(args[0], *args[1:], parent=parent)))


@_sub("transact", "[DB] JSON")
def _transact(ctx: Context, options: dict[str, str], args: list[str]) -> Any:
    usage = "ovsdb transact [DB] JSON (an array of RFC 7047 operations)"
    text = ctx.rest.strip()
    text = text.split(None, 1)[1] if len(text.split(None, 1)) > 1 else ""  # after 'transact'
    database = _DB
    if text and text[0] not in "[{'":
        database, _, text = text.partition(" ")
        text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == "'":
        text = text[1:-1]
    if not text:
        raise CommandError(f"missing operations: usage: {usage}")
    try:
        operations = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(f"transact: bad JSON at column {exc.colno}: {exc.msg}") from None
    if isinstance(operations, dict):
        operations = [operations]
    if not isinstance(operations, list) or not all(isinstance(op, dict) for op in operations):
        raise CommandError("transact: give an array of operation objects, e.g. "
                           '[{"op":"select","table":"Bridge","where":[]}]')
    result = ctx.call(_client(ctx).call("transact", [database, *operations]))
    for index, (operation, outcome) in enumerate(zip(operations, result, strict=False), 1):
        if isinstance(outcome, dict) and "error" in outcome:
            details = f": {outcome['details']}" if outcome.get("details") else ""
            raise CommandError(f"transact: operation {index} ({operation.get('op')}) failed: "
                               f"{outcome['error']}{details}")
    if len(result) > len(operations) and isinstance(result[-1], dict):
        extra = result[-1]  # the server's error for the transaction as a whole
        raise CommandError(f"transact: {extra.get('error')}: {extra.get('details', '')}")
    return result if ctx.shell.fmt == "json" else json.dumps(result, indent=2)


# --- ovsdb monitor: a live, rate-limited watch of a table --------------------------------

class _Feed:
    """Lines pushed by the loop's thread (never blocking it), printed by a thread of
    their own: at most *rate* a second, at most *limit* waiting; the rest counted (the
    loop's thread counts ``dropped``, the printer ``over``: no lock needed)."""

    def __init__(self, name: str, write: Callable[[str], object], *, rate: float = _RATE,
                 limit: int = _LIMIT) -> None:
        self.name, self.rate, self.limit, self._write = name, rate, limit, write
        self.shown = self.dropped = self.over = 0
        self._lines: deque[str] = deque()
        self._wake = threading.Event()
        self.started = threading.Event()  # printing waits for it (after the command's reply)
        self._closing = False
        self._thread = threading.Thread(target=self._run, name=f"vlcp-shell-{name}",
                                        daemon=True)
        self._thread.start()

    @property
    def skipped(self) -> int:
        return self.dropped + self.over

    def push(self, line: str) -> None:
        if len(self._lines) >= self.limit:
            self.dropped += 1
        else:
            self._lines.append(line)
        self._wake.set()

    def _run(self) -> None:
        self.started.wait()
        budget, last, told, noticed = self.rate, time.monotonic(), 0, 0.0
        while True:
            self._wake.wait(0.5)
            self._wake.clear()
            closing, now = self._closing, time.monotonic()
            budget, last = min(self.rate, budget + (now - last) * self.rate), now
            out = []
            while self._lines:
                line = self._lines.popleft()
                if budget >= 1:
                    budget -= 1
                    out.append(line + "\n")
                else:
                    self.over += 1
            self.shown += len(out)
            if self.skipped > told and (closing or now - noticed >= 1.0):
                out.append(f"{self.name}: {self.skipped - told} changes not shown (more "
                           f"than {self.rate:g} a second)\n")
                told, noticed = self.skipped, now
            if out:
                try:
                    self._write("".join(out))
                except (OSError, ValueError):
                    pass  # the output is gone; keep draining
            if closing:
                return

    def close(self) -> None:
        self._closing = True
        self.started.set()
        self._wake.set()
        self._thread.join(5)


@dataclass
class _Watch:
    """One ``ovsdb monitor``: the changes of *table* in *columns* since it started."""

    id: str
    database: str
    table: str
    columns: tuple[str, ...]
    feed: _Feed
    monitor: Monitor | None = None
    handles: list[int] = field(default_factory=list)
    last: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)
    initial: dict[uuid.UUID, Any] = field(default_factory=dict)

    def changed(self, event: Event, _: EventMatcher) -> None:
        """On the loop's thread: a row event of any monitor of the table; only a change
        of the watched columns is printed (another monitor's copy of it is not)."""
        row: Any = event.row  # type: ignore[attr-defined]
        key: uuid.UUID = event.uuid  # type: ignore[attr-defined]
        short = str(key)[:8]
        if isinstance(event, RowDeleted):
            if self.last.pop(key, None) is not None:
                self.feed.push(f"{self.id} {self.table} delete {short}")
            return
        if not all(name in row for name in self.columns):
            return  # another monitor's row, without our columns
        now = {name: row[name] for name in self.columns}
        before = self.last.get(key)
        if before is None:
            action = "initial" if self.initial.pop(key, None) is row else "insert"
            shown = " ".join(f"{name}={value_text(value)}" for name, value in now.items())
            self.feed.push(f"{self.id} {self.table} {action} {short} {shown}".rstrip())
        elif before != now:
            shown = " ".join(f"{name}={value_text(now[name])} (was "
                             f"{value_text(before[name])})"
                             for name in self.columns if now[name] != before[name])
            self.feed.push(f"{self.id} {self.table} modify {short} {shown}")
        self.last[key] = now


def _monitors(ctx: Context) -> dict[str, _Watch]:
    state = ctx.shell.state.get("ovsdb")
    if state is None:
        state = ctx.shell.state["ovsdb"] = {"monitors": {}, "next": 1}
        runtime, watches = ctx.runtime, state["monitors"]

        def close_all() -> None:
            for watch in list(watches.values()):
                _stop(runtime, watch, 5.0)
            watches.clear()
        ctx.shell.on_exit.append(close_all)
    monitors: dict[str, _Watch] = state["monitors"]
    return monitors


def _stop(runtime: Any, watch: _Watch, timeout: float) -> None:
    async def cancel() -> None:
        assert runtime.controller is not None
        for handle in watch.handles:
            runtime.controller.scheduler.off(handle)
        if watch.monitor is not None and watch.monitor.client.connected:
            await watch.monitor.cancel()
    try:
        runtime.call(cancel(), timeout)
    except Exception:  # the runtime or the connection is gone: nothing left to stop
        pass
    watch.feed.close()


@_sub("monitor", "[--db=DB] TABLE [COLUMN,...]", 0, ("db",))
def _monitor(ctx: Context, options: dict[str, str], rest: list[str]) -> Any:
    watches = _monitors(ctx)
    if not rest:
        return Table(["id", "database", "table", "columns", "shown", "skipped"],
                     [[w.id, w.database, w.table, ",".join(w.columns), w.feed.shown,
                       w.feed.skipped] for w in watches.values()])
    client = _client(ctx)
    database = options.get("db") or _DB
    schema = ctx.call(client.get_schema(database))
    table = _resolve(rest[0], list(schema.tables), f"database {database}", "table")
    names = schema.tables[table].user_columns
    columns = tuple(names) if len(rest) < 2 else tuple(
        _resolve(name, names, f"table {table}", "column")
        for part in rest[1:] for name in part.split(",") if name)
    state = ctx.shell.state["ovsdb"]
    watch_id = f"m{state['next']}"
    state["next"] += 1
    watch = _Watch(watch_id, database, table, columns,
                   _Feed(watch_id, ctx.shell.open_stream(f"ovsdb monitor {watch_id}")))

    async def start() -> None:
        assert ctx.runtime.controller is not None
        watch.monitor = await client.monitor(database, {table: list(columns)})
        # Same step as the reply: its rows' events are still queued, and reach us.
        watch.initial = dict(watch.monitor.replica.rows(table))
        scheduler = ctx.runtime.controller.scheduler
        watch.handles = [scheduler.on(EventMatcher(kind, database=database, table=table),
                                      watch.changed)
                         for kind in (RowInserted, RowModified, RowDeleted)]
    try:
        ctx.call(start())
    except BaseException:
        _stop(ctx.runtime, watch, 5.0)
        raise
    watches[watch_id] = watch

    def reply() -> Iterator[str]:  # the changes are printed after this line
        try:
            yield f"{watch_id}: monitoring {table} ({', '.join(columns)}); 'ovsdb " \
                f"unmonitor {watch_id}' stops it"
        finally:
            watch.feed.started.set()
    return reply()


@_sub("unmonitor", "ID|all", 1)
def _unmonitor(ctx: Context, options: dict[str, str], args: list[str]) -> Any:
    watches = _monitors(ctx)
    chosen = list(watches) if args[0] == "all" else args
    for watch_id in chosen:
        if watch_id not in watches:
            running = ", ".join(watches) or "none"
            raise CommandError(f"no monitor {watch_id!r} (running: {running})")
    for watch_id in chosen:
        _stop(ctx.runtime, watches.pop(watch_id), ctx.options.get("timeout", 10.0))
    return None


def _resolve(text: str, names: list[str], where: str, kind: str) -> str:
    """*text* as one of *names*: exactly, else ignoring case (``bridge``)."""
    if text in names:
        return text
    same = [name for name in names if name.lower() == text.lower().replace("-", "_")]
    if len(same) == 1:
        return same[0]
    near = [name for name in names if name.lower().startswith(text.lower()[:3])]
    hint = f"; did you mean {near[0]}?" if near else ""
    raise CommandError(f"{where} has no {kind} {text!r}{hint}")
