"""The OVSDB client: the JSON-RPC engine on the connection layer, with live replicas.

Theory of operation
-------------------
``OvsdbClient.connect(target)`` keeps one connection up (``connection.Reconnector``:
``unix:PATH``, ``tcp:HOST:PORT``, ``ssl:HOST:PORT`` as ``ovs-vsctl --db`` spells
them).  Its ``_Handler`` feeds the bytes to a fresh ``JsonRpcEngine`` per
connection, writes what the engine queues, and ticks it once a second (echo
keepalive).  ``call`` sends a request and waits for its response: an error
response raises ``OvsdbError``, the end of the connection ``OvsdbConnectionError``
(a transaction in flight then may or may not have been committed: the caller is
told, never silently retried).

Monitors.  ``monitor`` registers a ``Monitor`` (its replica, the tables and
columns) and sends ``monitor_cond_since`` (or ``monitor_cond``/``monitor``); the
reply fills the replica, ``update``/``update2``/``update3`` notifications keep it
current, and every row change becomes a ``RowInserted``/``RowModified``/
``RowDeleted`` event on the scheduler.  ``update3`` carries the id of the last
transaction, kept per monitor: after a reconnection each monitor is sent again
with ``monitor_cond_since`` and that id, so the server sends only what changed
meanwhile (``found``), or everything (the replica is then rebuilt, and the events
say what differs from before).  The server sends a transaction's ``update``
before its reply, so once ``transact`` returns, the replica shows its effect.

Locks.  ``lock``/``steal``/``unlock``; ``locked`` and ``stolen`` notifications
become ``LockChanged`` events and resolve ``wait_locked``.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import re
import ssl as ssl_module
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..connection import Connection, Reconnector, tls_context
from ..event import Event, Scheduler, event
from ._jsonrpc import JsonRpcEngine
from ._replica import Replica, change_event
from ._rpc_events import (
    Closed,
    ErrorResponse,
    Notification,
    ProtocolViolation,
    Response,
    ServerRequest,
)
from ._schema import DatabaseSchema
from ._transact import OperationResult, Transaction, parse_results

__all__ = ["ClientStatistics", "LockChanged", "Monitor", "OvsdbClient", "OvsdbConnected",
           "OvsdbConnectionError", "OvsdbDisconnected", "OvsdbError", "parse_target"]

log = logging.getLogger("vlcp_core.ovsdb")
_TICK = 1.0
_ZERO_TXN = "00000000-0000-0000-0000-000000000000"
_METHODS = {1: "monitor", 2: "monitor_cond", 3: "monitor_cond_since"}
_UPDATE_VERSIONS = {"update": 1, "update2": 2, "update3": 3}
_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class OvsdbError(Exception):
    """The server answered a request with an error: ``error`` is its JSON error."""

    def __init__(self, method: str, error: Any) -> None:
        text = error.get("error", error) if isinstance(error, dict) else error
        details = error.get("details") if isinstance(error, dict) else None
        super().__init__(f"{method}: {text}" + (f" ({details})" if details else ""))
        self.method = method
        self.error = error


class OvsdbConnectionError(ConnectionError):
    """The connection ended before the server answered (or there is none)."""


@event(index=("target",))
class OvsdbConnected(Event):
    """The client is connected (again); monitors are being sent (again)."""

    target: str


@event(index=("target",))
class OvsdbDisconnected(Event):
    """The connection ended (``reason``); the client reconnects by itself."""

    target: str
    reason: str


@event(index=("lock",))
class LockChanged(Event):
    """``locked`` (True: we hold *lock* now) or stolen (False)."""

    lock: str
    locked: bool


def parse_target(target: str) -> tuple[str, Any]:
    """``unix:PATH``, ``tcp:HOST:PORT`` or ``ssl:HOST:PORT`` -> (kind, address)."""
    kind, sep, rest = target.partition(":")
    if not sep or not rest:
        raise ValueError(f"{target!r}: expected unix:PATH, tcp:HOST:PORT or ssl:HOST:PORT")
    if kind == "unix":
        return kind, rest
    if kind in ("tcp", "ssl"):
        host, sep, port = rest.rpartition(":")
        if not sep or not port.isdigit():
            raise ValueError(f"{target!r}: expected {kind}:HOST:PORT")
        return kind, (host.strip("[]"), int(port))
    raise ValueError(f"{target!r}: unknown kind {kind!r} (unix, tcp or ssl)")


def _lock_id(name: str) -> str:
    """Lock names are RFC 7047 <id>s: a letter or _, then letters, digits, _."""
    if not _ID.fullmatch(name):
        raise ValueError(f"lock name {name!r}: letters, digits and _ only, not first a digit")
    return name


class Monitor:
    """One monitor: ``replica`` stays equal to the monitored tables of ``database``."""

    def __init__(self, client: OvsdbClient, database: str, monitor_id: str, replica: Replica,
                 version: int, conditions: Mapping[str, list[Any]] | None) -> None:
        self.client = client
        self.database = database
        self.id = monitor_id
        self.replica = replica
        self.version = version
        self.conditions = conditions
        self.last_txn = _ZERO_TXN
        self.resyncs = 0  # replies to a monitor sent again after a reconnection
        self.found = 0  # of those, how many the server could answer with changes only

    def request(self) -> list[Any]:
        requests = self.replica.monitor_requests(conditions=self.conditions,
                                                 version=self.version)
        params: list[Any] = [self.database, self.id, requests]
        if self.version == 3:
            params.append(self.last_txn)
        return params

    async def cancel(self) -> None:
        await self.client.monitor_cancel(self)


@dataclass(frozen=True)
class ClientStatistics:
    connected: bool
    connections: int
    requests: int
    monitors: int
    row_events: int
    protocol: Any  # the engine's RpcStatistics, None when not connected


class _Handler:
    """One connection: a fresh engine, driven for the client."""

    def __init__(self, client: OvsdbClient) -> None:
        self.client = client
        self.engine = JsonRpcEngine(echo_interval=client.echo_interval,
                                    echo_timeout=client.echo_timeout,
                                    max_message=client.max_message)
        self.connection: Connection | None = None
        self._loop = asyncio.get_running_loop()
        self._timer: asyncio.TimerHandle | None = None

    def connection_made(self, connection: Connection) -> None:
        self.connection = connection
        self._timer = self._loop.call_later(_TICK, self._tick)
        self.client._made(self)

    def data_received(self, data: bytes) -> None:
        events = self.engine.receive_data(data, self._loop.time())
        self.flush()
        for item in events:
            try:
                self.client._take(self, item)
            except Exception:
                log.exception("ovsdb %s: handling %r failed", self.client.target, item)

    def connection_lost(self, reason: str) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self.client._lost(self, reason)

    def flush(self) -> None:
        data = self.engine.data_to_send()
        if data and self.connection is not None:
            self.connection.write(data)

    def _tick(self) -> None:
        for item in self.engine.tick(self._loop.time()):
            self.client._take(self, item)
        self.flush()
        if self.connection is not None and not self.connection.closing:
            self._timer = self._loop.call_later(_TICK, self._tick)


class OvsdbClient:
    """An OVSDB (RFC 7047) client that reconnects and keeps its replicas in sync.

    Example::

        client = OvsdbClient()
        await client.connect("unix:/var/run/openvswitch/db.sock")
        schema = await client.get_schema("Open_vSwitch")
        txn = Transaction(schema)
        txn.insert("QoS", {"type": "linux-htb"})
        results = await client.transact("Open_vSwitch", txn)
    """

    def __init__(self, scheduler: Scheduler | None = None, *, echo_interval: float = 5.0,
                 echo_timeout: float = 15.0, max_message: int = 64 * 1024 * 1024) -> None:
        self.scheduler = scheduler if scheduler is not None else Scheduler()
        self.max_message = max_message
        self.echo_interval = echo_interval
        self.echo_timeout = echo_timeout
        self.target = ""
        self.schemas: dict[str, DatabaseSchema] = {}
        self.monitors: dict[str, Monitor] = {}
        self._client: Reconnector | None = None
        self._handler: _Handler | None = None
        self._calls: dict[int, tuple[asyncio.Future[Any], str]] = {}
        self._connected = asyncio.Event()
        self._ids = itertools.count(1)
        self._locks: dict[str, asyncio.Future[None]] = {}
        self._resyncing: asyncio.Task[None] | None = None
        self._connections = 0
        self._requests = 0
        self._row_events = 0

    # -- connection ---------------------------------------------------------------------
    async def connect(self, target: str, *, ssl: ssl_module.SSLContext | None = None,
                      key: str | Path | None = None, cert: str | Path | None = None,
                      ca: str | Path | None = None, timeout: float | None = 10.0,
                      initial: float = 0.5, maximum: float = 8.0) -> None:
        """Connect to *target* (``unix:PATH``, ``tcp:HOST:PORT``, ``ssl:HOST:PORT`` with
        *ssl* or *key*/*cert*/*ca*) and stay connected; returns once connected
        (``TimeoutError`` after *timeout* seconds, the client still trying)."""
        if self._client is not None:
            raise RuntimeError(f"already connected to {self.target}")
        kind, address = parse_target(target)
        context = ssl
        if kind == "ssl" and context is None:
            if key is None or cert is None or ca is None:
                raise ValueError(f"{target}: ssl needs an SSLContext or key, cert and ca")
            context = tls_context(key=key, cert=cert, ca=ca, server_side=False)
        self.target = target
        factory: Callable[[], _Handler] = lambda: _Handler(self)  # noqa: E731
        if kind == "unix":
            self._client = Reconnector(factory, path=address, initial=initial, maximum=maximum)
        else:
            self._client = Reconnector(factory, *address, ssl=context if kind == "ssl" else None,
                                       initial=initial, maximum=maximum)
        self._client.start()
        await self.wait_connected(timeout)

    async def wait_connected(self, timeout: float | None = None) -> None:
        await asyncio.wait_for(self._connected.wait(), timeout)

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    async def close(self) -> None:
        """Disconnect for good (pending calls fail)."""
        if self._client is not None:
            await self._client.close()
            self._client = None
        self._fail_calls("client closed")

    # -- requests -----------------------------------------------------------------------
    async def call(self, method: str, params: list[Any]) -> Any:
        """Send one request and return its result (``OvsdbError`` for an error reply)."""
        handler = self._handler
        if handler is None or not self.connected:
            raise OvsdbConnectionError(f"{method}: not connected to {self.target or 'a server'}")
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        request_id = handler.engine.request(method, params)
        self._calls[request_id] = (future, method)
        self._requests += 1
        handler.flush()
        return await future

    async def list_dbs(self) -> list[str]:
        result: list[str] = await self.call("list_dbs", [])
        return result

    async def get_schema(self, database: str = "Open_vSwitch") -> DatabaseSchema:
        """The schema of *database* (fetched once, then kept in ``schemas``)."""
        if database not in self.schemas:
            self.schemas[database] = DatabaseSchema.from_json(
                await self.call("get_schema", [database]))
        return self.schemas[database]

    async def transaction(self, database: str = "Open_vSwitch") -> Transaction:
        """A new transaction builder for *database*."""
        return Transaction(await self.get_schema(database))

    async def transact(self, database: str, txn: Transaction) -> list[OperationResult]:
        """Run *txn*; per operation its result, or ``TransactionError`` naming the
        operation that failed and the server's reason (nothing is changed then)."""
        results = await self.call("transact", [database, *txn.operations()])
        return parse_results(txn, results)

    async def echo(self, *values: Any) -> Any:
        return await self.call("echo", list(values))

    # -- monitors -----------------------------------------------------------------------
    async def monitor(self, database: str, tables: Mapping[str, Sequence[str] | None], *,
                      version: int = 3, conditions: Mapping[str, list[Any]] | None = None
                      ) -> Monitor:
        """Monitor *tables* (table -> columns, ``None``: all) of *database*; version 3
        uses ``monitor_cond_since`` (resync after reconnection), 2 ``monitor_cond``,
        1 ``monitor``.  Returns once the replica holds the current content."""
        if version not in _METHODS:
            raise ValueError(f"version must be 1, 2 or 3, not {version}")
        if version == 1 and conditions:
            raise ValueError("conditions need monitor_cond (version 2 or 3)")
        schema = await self.get_schema(database)
        replica = Replica(schema, tables)
        monitor = Monitor(self, database, f"m{next(self._ids)}", replica, version, conditions)
        self.monitors[monitor.id] = monitor
        try:
            await self._send_monitor(monitor, first=True)
        except BaseException:
            self.monitors.pop(monitor.id, None)
            raise
        return monitor

    async def _send_monitor(self, monitor: Monitor, *, first: bool) -> None:
        result = await self.call(_METHODS[monitor.version], monitor.request())
        if monitor.version == 3:
            found, last_txn, updates = result
            monitor.last_txn = last_txn
            if not first:
                monitor.resyncs += 1
                monitor.found += bool(found)
            if found:
                changes = monitor.replica.apply(updates, version=3)
            else:
                changes = monitor.replica.apply_initial(updates, version=3)
        else:
            changes = monitor.replica.apply_initial(result, version=monitor.version)
        self._emit(monitor.database, changes)

    async def monitor_cancel(self, monitor: Monitor) -> None:
        if self.monitors.pop(monitor.id, None) is not None and self.connected:
            await self.call("monitor_cancel", [monitor.id])

    def _emit(self, database: str, changes: Sequence[Any]) -> None:
        for change in changes:
            self._row_events += 1
            self.scheduler.send_nowait(change_event(database, change))

    # -- locks --------------------------------------------------------------------------
    async def lock(self, name: str) -> bool:
        """Ask for lock *name*: True if held now, else the server will notify
        (``wait_locked``)."""
        result = await self.call("lock", [_lock_id(name)])
        return bool(result.get("locked"))

    async def steal(self, name: str) -> None:
        await self.call("steal", [_lock_id(name)])

    async def unlock(self, name: str) -> None:
        await self.call("unlock", [_lock_id(name)])

    async def wait_locked(self, name: str, timeout: float | None = None) -> None:
        """Wait for the ``locked`` notification of *name*."""
        future = self._locks.setdefault(name, asyncio.get_running_loop().create_future())
        await asyncio.wait_for(asyncio.shield(future), timeout)

    # -- from the handler ---------------------------------------------------------------
    def _made(self, handler: _Handler) -> None:
        self._handler = handler
        self._connections += 1
        self._connected.set()
        self.scheduler.send_nowait(OvsdbConnected(self.target))
        if self._connections > 1 and self.monitors:
            # Kept referenced: the loop holds tasks only weakly.
            self._resyncing = asyncio.get_running_loop().create_task(self._resync())

    async def _resync(self) -> None:
        for monitor in list(self.monitors.values()):
            try:
                await self._send_monitor(monitor, first=False)
            except (OvsdbError, OvsdbConnectionError) as exc:
                log.warning("ovsdb %s: monitor %s not renewed: %s", self.target, monitor.id, exc)

    def _lost(self, handler: _Handler, reason: str) -> None:
        if handler is not self._handler:
            return
        self._handler = None
        self._connected.clear()
        self._fail_calls(reason)
        self.scheduler.send_nowait(OvsdbDisconnected(self.target, reason))

    def _fail_calls(self, reason: str) -> None:
        calls, self._calls = self._calls, {}
        for future, method in calls.values():
            if not future.done():
                future.set_exception(OvsdbConnectionError(
                    f"{method}: the connection to {self.target} ended before the reply "
                    f"({reason})"))

    def _take(self, handler: _Handler, item: object) -> None:
        if isinstance(item, Response):
            call = self._calls.pop(item.id, None)
            if call is not None and not call[0].done():
                call[0].set_result(item.result)
        elif isinstance(item, ErrorResponse):
            call = self._calls.pop(item.id, None)
            if call is not None and not call[0].done():
                call[0].set_exception(OvsdbError(call[1], item.error))
        elif isinstance(item, Notification):
            self._notification(item.method, item.params)
        elif isinstance(item, ServerRequest):
            log.warning("ovsdb %s: unexpected request %r from the server", self.target,
                        item.method)
        elif isinstance(item, ProtocolViolation):
            log.warning("ovsdb %s: %s", self.target, item.reason)
        elif isinstance(item, Closed):
            log.warning("ovsdb %s: closing: %s", self.target, item.reason)
            if handler.connection is not None:
                handler.connection.close(item.reason)

    def _notification(self, method: str, params: Any) -> None:
        version = _UPDATE_VERSIONS.get(method)
        if version is not None:
            monitor = self.monitors.get(params[0])
            if monitor is None:
                return  # cancelled meanwhile
            if version == 3:
                monitor.last_txn = params[1]
                updates = params[2]
            else:
                updates = params[1]
            self._emit(monitor.database, monitor.replica.apply(updates, version=version))
        elif method in ("locked", "stolen"):
            name = params[0]
            locked = method == "locked"
            if locked:
                future = self._locks.pop(name, None)
                if future is not None and not future.done():
                    future.set_result(None)
            self.scheduler.send_nowait(LockChanged(name, locked))
        else:
            log.info("ovsdb %s: notification %r ignored", self.target, method)

    def statistics(self) -> ClientStatistics:
        handler = self._handler
        return ClientStatistics(
            connected=self.connected, connections=self._connections,
            requests=self._requests, monitors=len(self.monitors),
            row_events=self._row_events,
            protocol=handler.engine.statistics() if handler is not None else None)
