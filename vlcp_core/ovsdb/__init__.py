"""OVSDB (RFC 7047): a client with live replicas, sans I/O where it can be.

- ``OvsdbClient``: ``connect("unix:PATH" | "tcp:HOST:PORT" | "ssl:HOST:PORT")``
  (reconnecting, TLS), ``list_dbs``, ``get_schema``, ``transact``, ``monitor``
  (``monitor_cond_since`` with resync after reconnection, ``monitor_cond``,
  ``monitor``) -> ``Monitor`` with its ``replica``, ``monitor_cancel``,
  ``lock``/``steal``/``unlock``/``wait_locked``, ``statistics()``; events
  ``OvsdbConnected``, ``OvsdbDisconnected``, ``LockChanged``; errors ``OvsdbError``
  (an error reply), ``OvsdbConnectionError``;
- ``Transaction``: the typed builder of every operation (``insert`` with named
  uuids, ``select``, ``update``, ``mutate``, ``delete``, ``wait``, ``commit``,
  ``abort``, ``comment``, ``assert_lock``); ``parse_results`` ->
  ``OperationResult``s, or ``TransactionError`` naming the failing operation;
- ``DatabaseSchema`` (tables, columns, types, constraints, root flags) and the
  value conversions ``to_wire``/``from_wire`` (uuid, named-uuid, set, map,
  optional, atoms; enum and range checked before sending);
- ``Replica`` (tables kept in sync from update/update2/update3), ``Row``, and the
  events ``RowInserted``, ``RowModified``, ``RowDeleted``;
- ``JsonRpcEngine``: the JSON-RPC 1.0 of one connection, sans I/O: framing of
  concatenated JSON values, ids, notifications, echo, keepalive, limits; its
  events ``Response``, ``ErrorResponse``, ``Notification``, ``ServerRequest``,
  ``ProtocolViolation``, ``Closed``;
- ``Vsctl``: ovs-vsctl's database commands (``list``, ``find``, ``get``, ``set``,
  ``add``, ``remove``, ``clear``, ``create``, ``destroy``, in its value syntax) and
  its bridge, port, controller and fail-mode verbs, each one transaction; errors
  ``VsctlError``, ``VsctlLookupError``.
"""

from ._client import (
    ClientStatistics,
    LockChanged,
    Monitor,
    OvsdbClient,
    OvsdbConnected,
    OvsdbConnectionError,
    OvsdbDisconnected,
    OvsdbError,
    parse_target,
)
from ._events import RowDeleted, RowInserted, RowModified
from ._jsonrpc import JsonRpcEngine, RpcStatistics
from ._replica import Replica, ReplicaError, Row, RowChange, change_event
from ._rpc_events import (
    Closed,
    ErrorResponse,
    LocalProtocolError,
    Notification,
    ProtocolViolation,
    RemoteProtocolError,
    Response,
    RpcEvent,
    ServerRequest,
)
from ._schema import (
    BaseType,
    ColumnSchema,
    ColumnType,
    DatabaseSchema,
    NamedUUID,
    SchemaError,
    TableSchema,
    ValueConversionError,
    from_wire,
    to_wire,
)
from ._transact import OperationResult, Transaction, TransactionError, parse_results
from ._vsctl import Vsctl, VsctlError, VsctlLookupError

__all__ = [
    "BaseType",
    "ClientStatistics",
    "Closed",
    "ColumnSchema",
    "ColumnType",
    "DatabaseSchema",
    "ErrorResponse",
    "JsonRpcEngine",
    "LocalProtocolError",
    "LockChanged",
    "Monitor",
    "NamedUUID",
    "Notification",
    "OperationResult",
    "OvsdbClient",
    "OvsdbConnected",
    "OvsdbConnectionError",
    "OvsdbDisconnected",
    "OvsdbError",
    "ProtocolViolation",
    "RemoteProtocolError",
    "Replica",
    "ReplicaError",
    "Response",
    "Row",
    "RowChange",
    "RowDeleted",
    "RowInserted",
    "RowModified",
    "RpcEvent",
    "RpcStatistics",
    "SchemaError",
    "ServerRequest",
    "TableSchema",
    "Transaction",
    "TransactionError",
    "ValueConversionError",
    "Vsctl",
    "VsctlError",
    "VsctlLookupError",
    "change_event",
    "from_wire",
    "parse_results",
    "parse_target",
    "to_wire",
]
