"""Bridges and ports of a lab, as plain immutable values."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from ._errors import LabError

__all__ = ["Bridge", "Port", "check_name", "format_datapath_id", "normalize_protocols"]

OPENFLOW_VERSIONS = (
    "OpenFlow10",
    "OpenFlow11",
    "OpenFlow12",
    "OpenFlow13",
    "OpenFlow14",
    "OpenFlow15",
)
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}")


class Port(NamedTuple):
    """One switch port: interface name and OpenFlow port number."""

    name: str
    ofport: int


@dataclass(frozen=True)
class Bridge:
    """A snapshot of one bridge of a lab.

    Attributes:
        name: bridge name (also the name of its LOCAL port).
        datapath_id: the 64-bit datapath id.
        protocols: OpenFlow versions it accepts, e.g. ``("OpenFlow13",)``.
        mgmt: path of its management socket (what ``ovs-ofctl`` talks to).
        ports: its dummy ports, by OpenFlow port number.

    Example:
        >>> b = Bridge("s1", 1, ("OpenFlow13",), Path("/tmp/s1.mgmt"), (Port("s1-eth1", 1),))
        >>> b.datapath_id_hex, b.ofport("s1-eth1"), b.port_name(1)
        ('0000000000000001', 1, 's1-eth1')
    """

    name: str
    datapath_id: int
    protocols: tuple[str, ...]
    mgmt: Path
    ports: tuple[Port, ...]

    @property
    def datapath_id_hex(self) -> str:
        """The datapath id as 16 hex digits, as OVS shows it."""
        return format_datapath_id(self.datapath_id)

    @property
    def mgmt_target(self) -> str:
        """The ``unix:`` target for ``ovs-ofctl``."""
        return f"unix:{self.mgmt}"

    def ofport(self, port_name: str) -> int:
        """OpenFlow port number of ``port_name``; raises ``KeyError`` if absent."""
        for port in self.ports:
            if port.name == port_name:
                return port.ofport
        raise KeyError(port_name)

    def port_name(self, ofport: int) -> str:
        """Name of the port with OpenFlow number ``ofport``; raises ``KeyError`` if absent."""
        for port in self.ports:
            if port.ofport == ofport:
                return port.name
        raise KeyError(ofport)


def format_datapath_id(datapath_id: int | str) -> str:
    """Normalize a datapath id to the 16 hex digits OVS expects.

    Args:
        datapath_id: an integer, or hex digits (``"0x1"``, ``"00:00:...:01"`` and
            ``"1"`` are accepted).

    Returns:
        Exactly 16 lowercase hex digits.

    Raises:
        LabError: not a 64-bit value, or zero/all-ones (reserved by OVS).

    Example:
        >>> format_datapath_id(0x1A)
        '000000000000001a'
    """
    if isinstance(datapath_id, str):
        text = datapath_id.strip().lower().replace(":", "")
        text = text[2:] if text.startswith("0x") else text
        try:
            value = int(text, 16)
        except ValueError:
            raise LabError(f"datapath id {datapath_id!r} is not hexadecimal") from None
    else:
        value = int(datapath_id)
    if not 0 < value < 0xFFFF_FFFF_FFFF_FFFF:
        raise LabError(f"datapath id {datapath_id!r} must be in 1..2**64-2")
    return f"{value:016x}"


def normalize_protocols(protocols: Iterable[str]) -> tuple[str, ...]:
    """Validate OpenFlow version names (``"OpenFlow10"``...) and remove duplicates.

    Raises:
        LabError: an unknown name, or no version at all.
    """
    result: list[str] = []
    for name in protocols:
        if name not in OPENFLOW_VERSIONS:
            raise LabError(
                f"unknown OpenFlow version {name!r}; expected one of {', '.join(OPENFLOW_VERSIONS)}"
            )
        if name not in result:
            result.append(name)
    if not result:
        raise LabError("a bridge needs at least one OpenFlow version")
    return tuple(result)


def check_name(kind: str, name: str) -> str:
    """Reject names OVS (or a Unix socket path) would choke on.

    Raises:
        LabError: empty, longer than 15 characters, or unusual characters.
    """
    if not _NAME.fullmatch(name):
        raise LabError(
            f"invalid {kind} name {name!r}: use 1-15 characters from letters, digits, '_', '-', '.'"
        )
    return name
