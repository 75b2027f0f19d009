"""Short names for switches: usable wherever a datapath id is.

With an OVSDB connection a switch is called by its bridge's name (the bridge whose
``datapath_id`` is the switch's); otherwise ``s1``, ``s2``... in order of
connection (a switch that reconnects keeps its name).  ``resolve`` also takes a
datapath id in hex (``0x1``, ``000000000000000a``) or decimal.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from vlcp_core.controller import Switch
from vlcp_core.event import Event, EventMatcher
from vlcp_core.ovsdb import OvsdbClient, RowDeleted, RowInserted, RowModified

__all__ = ["SwitchNames", "UnknownSwitchError"]


class UnknownSwitchError(LookupError):
    """No connected switch has that name."""


class SwitchNames:
    def __init__(self) -> None:
        self._by_datapath: dict[int, str] = {}
        self._bridges: dict[int, str] = {}  # from OVSDB: datapath id -> bridge name
        self._counter = 0

    def switch_up(self, switch: Switch) -> None:
        """Name a switch on its first connection (it keeps the name when it comes back)."""
        datapath = switch.datapath_id
        if datapath not in self._by_datapath:
            self._counter += 1
            self._by_datapath[datapath] = f"s{self._counter}"

    def name(self, datapath: int) -> str:
        return self._bridges.get(datapath) or self._by_datapath.get(datapath) or \
            f"{datapath:#x}"

    def resolve(self, text: str, switches: Mapping[int, Switch]) -> Switch:
        wanted = self.datapath(text, switches)
        switch = switches.get(wanted) if wanted is not None else None
        if switch is None:
            names = sorted(self.name(d) for d in switches)
            near = difflib.get_close_matches(text, names, n=1)
            hint = f"; did you mean {near[0]}?" if near else (
                f" (connected: {', '.join(names)})" if names else " (no switch is connected)")
            raise UnknownSwitchError(f"switch {text!r} is not connected{hint}")
        return switch

    def datapath(self, text: str, switches: Mapping[int, Switch]) -> int | None:
        for datapath in switches:
            if self.name(datapath) == text:
                return datapath
        for datapath, name in (*self._bridges.items(), *self._by_datapath.items()):
            if name == text:
                return datapath
        try:
            return int(text, 16) if text.startswith("0x") or len(text) == 16 else int(text)
        except ValueError:
            return None

    async def follow_ovsdb(self, client: OvsdbClient) -> None:
        """Name switches after their OVSDB bridges, following changes."""
        monitor = await client.monitor("Open_vSwitch", {"Bridge": ["name", "datapath_id"]})
        for row in monitor.replica.rows("Bridge").values():
            self._bridge(row)
        for kind in (RowInserted, RowModified, RowDeleted):
            client.scheduler.on(EventMatcher(kind, table="Bridge"), self._changed)

    def _changed(self, event: Event, _: EventMatcher) -> None:
        row: Any = event.row  # type: ignore[attr-defined]
        if isinstance(event, RowDeleted):
            self._bridges = {d: n for d, n in self._bridges.items() if n != row["name"]}
        else:
            self._bridge(row)

    def _bridge(self, row: Any) -> None:
        text = row.get("datapath_id")
        if text:
            self._bridges[int(text, 16)] = row["name"]
