"""The controller: switch connections on asyncio, and the controller API.

- ``Controller``: ``listen`` (TCP, TLS, Unix; versions per listener), the registry
  ``switches`` (datapath id -> ``Switch``), ``wait_switch``, ``close``,
  ``statistics()``; events go to its ``scheduler``;
- ``Switch``: ``send``, ``request`` (reply, or ``None`` once a barrier confirms),
  ``multipart``, ``stream`` (parts as they arrive), ``barrier``, ``send_batch``;
  ``OpenFlowError`` (the decoded error and the request), ``SwitchGoneError``;
- events: ``SwitchUp``, ``SwitchDown``, ``OpenFlowMessage`` and its ``PacketIn``,
  ``FlowRemoved``, ``PortStatus``, ``ErrorReceived``.
"""

from ._connection import OpenFlowProtocol, message_event
from ._controller import Controller, ControllerStatistics, Listener
from ._events import (
    ErrorReceived,
    FlowRemoved,
    OpenFlowMessage,
    PacketIn,
    PortStatus,
    SwitchDown,
    SwitchUp,
)
from ._switch import OpenFlowError, Switch, SwitchGoneError

__all__ = [
    "Controller",
    "ControllerStatistics",
    "ErrorReceived",
    "FlowRemoved",
    "Listener",
    "OpenFlowError",
    "OpenFlowMessage",
    "OpenFlowProtocol",
    "PacketIn",
    "PortStatus",
    "Switch",
    "SwitchDown",
    "SwitchGoneError",
    "SwitchUp",
    "message_event",
]
