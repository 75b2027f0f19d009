"""Connections: asyncio transports for sans-I/O protocol engines.

The layer knows nothing about the protocols it carries (a test checks it imports
neither ``openflow`` nor ``ofengine``):

- ``Connection``: one transport driving a ``Handler`` (``connection_made``,
  ``data_received``, ``connection_lost(reason)``); ``write`` with a bound on unsent
  bytes, ``pause_reading``/``resume_reading`` by reason, ``close(reason)``,
  ``statistics()``;
- ``listen(handler_factory, host, port, ssl=, path=)`` -> ``Listener``: TCP, TLS,
  Unix;
- ``Reconnector``: a client connection kept up, with backoff;
- ``tls_context(key=, cert=, ca=, server_side=)``: certificates both ways, as
  Open vSwitch's ``ssl:`` targets use them.
"""

from ._connection import Connection, ConnectionStatistics, Handler
from ._endpoints import Listener, Reconnector, ReconnectorStatistics, listen
from ._tls import tls_context

__all__ = [
    "Connection",
    "ConnectionStatistics",
    "Handler",
    "Listener",
    "Reconnector",
    "ReconnectorStatistics",
    "listen",
    "tls_context",
]
