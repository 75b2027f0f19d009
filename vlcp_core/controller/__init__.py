"""The controller: switch connections on asyncio, and the controller API.

- ``Controller``: ``listen`` (TCP, TLS, Unix; versions per listener), ``connect``
  (to a listening switch, reconnecting with backoff), the registry ``switches``
  (datapath id -> ``Switch``), ``wait_switch``, ``wait_switch_down``, ``close``,
  ``statistics()``, ``add_tap``/``remove_tap`` (every message's bytes, both
  directions); events go to its ``scheduler`` (``default_queues``: a fair
  subqueue per switch);
- ``Switch``: ``send``, ``request`` (reply, or ``None`` once a barrier confirms),
  ``multipart``, ``stream`` (parts as they arrive), ``barrier``, ``send_batch``,
  ``statistics()`` (connection, protocol, events);
  ``OpenFlowError`` (the decoded error and the request), ``SwitchGoneError``;
- events: ``ConnectionUp``, ``ConnectionDown`` (any connection, handshaken or
  not), ``SwitchUp``, ``SwitchDown``, ``OpenFlowMessage`` and its ``PacketIn``,
  ``FlowRemoved``, ``PortStatus``, ``ErrorReceived``.
"""

from ._connection import HandlerStatistics, OpenFlowHandler, Tap, message_event
from ._controller import Controller, ControllerStatistics, default_queues
from ._events import (
    ConnectionDown,
    ConnectionUp,
    ErrorReceived,
    FlowRemoved,
    OpenFlowMessage,
    PacketIn,
    PortStatus,
    SwitchDown,
    SwitchUp,
)
from ._switch import OpenFlowError, Switch, SwitchGoneError, SwitchStatistics

__all__ = [
    "ConnectionDown",
    "ConnectionUp",
    "Controller",
    "ControllerStatistics",
    "ErrorReceived",
    "FlowRemoved",
    "HandlerStatistics",
    "OpenFlowError",
    "OpenFlowMessage",
    "OpenFlowHandler",
    "PacketIn",
    "PortStatus",
    "Switch",
    "SwitchDown",
    "SwitchGoneError",
    "SwitchStatistics",
    "SwitchUp",
    "Tap",
    "default_queues",
    "message_event",
]
