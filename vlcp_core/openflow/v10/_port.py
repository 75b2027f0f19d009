"""The OpenFlow 1.0 port description (spec 1.0.0, 5.2.1 "Port Structures").

``ofp_phy_port`` is used by the features reply (5.3.1) and the port status
message (5.4.3).  Its ``state`` holds a flag and a 2-bit STP state, shown by
``ofp_port_state_display`` as ``OFPPS_LINK_DOWN|OFPPS_STP_BLOCK``.
"""

from __future__ import annotations

from typing import Any

from vlcp_core.namedstruct import Display, FlagsDisplay, char, mac_addr, nstruct, uint16, uint32

from ._enums import (
    OFP_MAX_PORT_NAME_LEN,
    ofp_port,
    ofp_port_config,
    ofp_port_features,
    ofp_port_state,
)

__all__ = ["PortStateDisplay", "ofp_phy_port", "ofp_port_state_display"]

_STP_MASK = int(ofp_port_state.OFPPS_STP_MASK)
_LINK_DOWN = int(ofp_port_state.OFPPS_LINK_DOWN)
_STP_NAMES = {0: "OFPPS_STP_LISTEN", 1 << 8: "OFPPS_STP_LEARN", 2 << 8: "OFPPS_STP_FORWARD",
              3 << 8: "OFPPS_STP_BLOCK"}


class PortStateDisplay(Display):
    """``ofp_port_state``: the flags by name and the STP state as one name.

    ``OFPPS_STP_LISTEN`` (0) is shown only when nothing else is set, as ``0``;
    unknown bits appear in hex.  Text reads back any ``|``-separated mix of
    names and numbers.
    """

    name = "ofp_port_state"

    def __init__(self) -> None:
        self._flags = FlagsDisplay(ofp_port_state)

    def json(self, value: Any) -> Any:
        if not isinstance(value, int):
            return repr(value)
        parts = []
        if value & _LINK_DOWN:
            parts.append("OFPPS_LINK_DOWN")
        if value & _STP_MASK:
            parts.append(_STP_NAMES[value & _STP_MASK])
        rest = value & ~(_STP_MASK | _LINK_DOWN)
        if rest:
            parts.append(hex(rest))
        return "|".join(parts) or "0"

    def text(self, value: Any) -> str:
        if not isinstance(value, int):
            return repr(value)
        return f"{self.json(value)} ({value:#x})" if value else "0"

    def from_text(self, text: str) -> int:
        return self._flags.from_text(text)


ofp_port_state_display = PortStateDisplay()

ofp_phy_port = nstruct(
    "ofp_phy_port",
    (uint16(ofp_port), "port_no"),
    (mac_addr, "hw_addr"),
    (char(OFP_MAX_PORT_NAME_LEN), "name"),
    (uint32(ofp_port_config), "config"),
    (uint32(ofp_port_state_display), "state"),
    (uint32(ofp_port_features), "curr"),
    (uint32(ofp_port_features), "advertised"),
    (uint32(ofp_port_features), "supported"),
    (uint32(ofp_port_features), "peer"),
    doc="Description of a physical port (48 bytes): number, address, name, config, "
        "state and features (current, advertised, supported, of the peer).",
)
