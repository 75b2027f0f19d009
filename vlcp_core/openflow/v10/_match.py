"""The OpenFlow 1.0 flow match (spec 1.0.0, 5.2.3 "Flow Match Structure").

``ofp_match`` is the fixed 40-byte match of flow mods, flow removed messages and
flow/aggregate statistics.  Its ``wildcards`` mix single-bit flags with two 6-bit
counts (bits 8-13 and 14-19: how many low bits of ``nw_src`` / ``nw_dst`` are
ignored); ``ofp_wildcards_display`` shows them as
``OFPFW_IN_PORT|NW_SRC_MASK:32|NW_DST_MASK:8|OFPFW_NW_TOS`` and reads that back.
"""

from __future__ import annotations

from typing import Any

from vlcp_core.namedstruct import (
    Display,
    hexa,
    ipv4_addr,
    mac_addr,
    nstruct,
    pad,
    uint8,
    uint16,
    uint32,
)

from ._enums import (
    OFPFW_NW_DST_BITS,
    OFPFW_NW_DST_SHIFT,
    OFPFW_NW_SRC_BITS,
    OFPFW_NW_SRC_SHIFT,
    ofp_flow_wildcards,
    ofp_port,
)

__all__ = ["WildcardsDisplay", "ofp_match", "ofp_wildcards_display"]

_COUNTS = (("NW_SRC_MASK", OFPFW_NW_SRC_SHIFT, OFPFW_NW_SRC_BITS),
           ("NW_DST_MASK", OFPFW_NW_DST_SHIFT, OFPFW_NW_DST_BITS))
_SINGLE_BITS = [(int(m), n) for n, m in ofp_flow_wildcards.__members__.items()
                if int(m) and int(m) & (int(m) - 1) == 0
                and not n.endswith("_ALL")]  # NW_SRC_ALL / NW_DST_ALL are counts of 32


class WildcardsDisplay(Display):
    """OF 1.0 ``wildcards``: flag names in bit order, the two address counts as
    ``NW_SRC_MASK:n`` / ``NW_DST_MASK:n`` (omitted when 0), unknown bits (22-31)
    in hex; ``0`` when nothing is wildcarded.

    ``from_text`` accepts the same pieces joined by ``|``, any ``ofp_flow_wildcards``
    name (``OFPFW_ALL``, ``OFPFW_NW_SRC_ALL``) and numbers.
    """

    name = "ofp_flow_wildcards"

    def json(self, value: Any) -> Any:
        if not isinstance(value, int):
            return repr(value)
        parts: list[tuple[int, str]] = []
        covered = 0
        for bit, flag in _SINGLE_BITS:
            covered |= bit
            if value & bit:
                parts.append((bit, flag))
        for label, shift, nbits in _COUNTS:
            mask = ((1 << nbits) - 1) << shift
            covered |= mask
            n = (value & mask) >> shift
            if n:
                parts.append((1 << shift, f"{label}:{n}"))
        parts.sort()
        texts = [t for _, t in parts]
        rest = value & ~covered
        if rest:
            texts.append(hex(rest))
        return "|".join(texts) or "0"

    def text(self, value: Any) -> str:
        if not isinstance(value, int):
            return repr(value)
        return f"{self.json(value)} ({value:#x})" if value else "0"

    def from_text(self, text: str) -> int:
        total = 0
        for raw_part in text.split("|"):
            part = raw_part.strip()
            label, colon, count = part.partition(":")
            counted = [c for c in _COUNTS if c[0] == label.strip()]
            if colon and counted:
                _, shift, nbits = counted[0]
                try:
                    n = int(count, 0)
                except ValueError:
                    raise ValueError(f"{part!r}: the count must be a number") from None
                if not 0 <= n < 1 << nbits:
                    raise ValueError(f"{part!r}: the count must be 0..{(1 << nbits) - 1}")
                total = (total & ~(((1 << nbits) - 1) << shift)) | (n << shift)
            elif part in ofp_flow_wildcards.__members__:
                total |= int(ofp_flow_wildcards[part])
            else:
                try:
                    total |= int(part, 0)
                except ValueError:
                    raise ValueError(f"{part!r} is not an OF 1.0 wildcard") from None
        return total


ofp_wildcards_display = WildcardsDisplay()

ofp_match = nstruct(
    "ofp_match",
    (uint32(ofp_wildcards_display), "wildcards"),
    (uint16(ofp_port), "in_port"),
    (mac_addr, "dl_src"),
    (mac_addr, "dl_dst"),
    (uint16, "dl_vlan"),
    (uint8, "dl_vlan_pcp"),
    pad(1),
    (uint16(hexa), "dl_type"),
    (uint8, "nw_tos"),
    (uint8, "nw_proto"),
    pad(2),
    (ipv4_addr, "nw_src"),
    (ipv4_addr, "nw_dst"),
    (uint16, "tp_src"),
    (uint16, "tp_dst"),
    defaults={"wildcards": int(ofp_flow_wildcards.OFPFW_ALL)},
    doc="The 40-byte OF 1.0 match; a field counts only when its wildcard bit is clear "
        "(the default wildcards everything: ``OFPFW_ALL``).",
)
