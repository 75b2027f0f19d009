"""OpenFlow 1.3 meters (OpenFlow Switch Specification 1.3.5, section 7.3.4.4).

METER_MOD with its bands.  ``ofp_meter_band`` (the spec's
``ofp_meter_band_header``) dispatches on ``type``; ``len`` bounds each band, so
unknown bands keep their body in ``_tail``.  Meter statistics, configuration
and features are in ``_multipart``.
"""

from __future__ import annotations

import enum

from vlcp_core.namedstruct import array, hexa, nstruct, pad, uint8, uint16, uint32

from ._enums import ofp_meter, ofp_type
from ._header import ofp_header

__all__ = [
    "ofp_meter_band",
    "ofp_meter_band_drop",
    "ofp_meter_band_dscp_remark",
    "ofp_meter_band_experimenter",
    "ofp_meter_band_type",
    "ofp_meter_flags",
    "ofp_meter_mod",
    "ofp_meter_mod_command",
]


class ofp_meter_mod_command(enum.IntEnum):
    """METER_MOD commands (7.3.4.4)."""

    OFPMC_ADD = 0
    OFPMC_MODIFY = 1
    OFPMC_DELETE = 2


class ofp_meter_flags(enum.IntFlag):
    """Meter configuration flags (7.3.4.4)."""

    OFPMF_KBPS = 1 << 0
    OFPMF_PKTPS = 1 << 1
    OFPMF_BURST = 1 << 2
    OFPMF_STATS = 1 << 3


class ofp_meter_band_type(enum.IntEnum):
    """Meter band types (7.3.4.4)."""

    OFPMBT_DROP = 1
    OFPMBT_DSCP_REMARK = 2
    OFPMBT_EXPERIMENTER = 0xFFFF


ofp_meter_band = nstruct(
    "ofp_meter_band",
    (uint16(ofp_meter_band_type), "type"), (uint16, "len"), (uint32, "rate"),
    (uint32, "burst_size"),
    size="len", classify="type",
    doc="A meter band (``ofp_meter_band_header``): dispatches on ``type``.",
)

ofp_meter_band_drop = nstruct(
    "ofp_meter_band_drop",
    pad(4),
    base=ofp_meter_band, when={"type": ofp_meter_band_type.OFPMBT_DROP},
    doc="DROP band: drop packets above ``rate``.",
)

ofp_meter_band_dscp_remark = nstruct(
    "ofp_meter_band_dscp_remark",
    (uint8, "prec_level"), pad(3),
    base=ofp_meter_band, when={"type": ofp_meter_band_type.OFPMBT_DSCP_REMARK},
    doc="DSCP_REMARK band: raise the drop precedence by ``prec_level``.",
)

ofp_meter_band_experimenter = nstruct(
    "ofp_meter_band_experimenter",
    (uint32(hexa), "experimenter"),
    base=ofp_meter_band, when={"type": ofp_meter_band_type.OFPMBT_EXPERIMENTER},
    classify="experimenter",
    doc="EXPERIMENTER band: dispatches on ``experimenter``; unknown body in ``_tail``.",
)

ofp_meter_mod = nstruct(
    "ofp_meter_mod",
    (uint16(ofp_meter_mod_command), "command"), (uint16(ofp_meter_flags), "flags"),
    (uint32(ofp_meter), "meter_id"), (array(ofp_meter_band), "bands"),
    base=ofp_header, when={"type": ofp_type.OFPT_METER_MOD},
    doc="METER_MOD: add, modify or delete meter ``meter_id`` and its bands.",
)
