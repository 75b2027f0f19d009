"""The runtime: the controller core on a background thread, reached through one
thread-safe call API (``Runtime.call``, ``submit``, ``call_sync``); short switch
names (``SwitchNames``)."""

from ._names import SwitchNames, UnknownSwitchError
from ._runtime import Runtime, RuntimeNotRunningError

__all__ = ["Runtime", "RuntimeNotRunningError", "SwitchNames", "UnknownSwitchError"]
