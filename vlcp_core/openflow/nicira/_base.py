"""The Nicira (Open vSwitch) extension points, for OpenFlow 1.0 and 1.3.

Nicira extensions ride on the vendor/experimenter mechanisms of each version
(vendor id ``NX_VENDOR_ID`` = 0x00002320), with one more dispatch level:

- messages: OF1.0 ``ofp_vendor_header`` (vendor) + ``subtype`` (uint32);
  OF1.3 ``ofp_experimenter_header`` whose ``exp_type`` is the same subtype;
- actions: ``ofp_action_vendor_header`` / ``ofp_action_experimenter`` (vendor)
  + ``subtype`` (uint16);
- statistics: OF1.0 ``ofp_vendor_stats_request``/``_reply`` (vendor) + ``subtype``
  (uint32) + 4 pad bytes; OF1.3 experimenter multipart with ``exp_type``.

Bodies are the same in both versions; each family module defines a body once
and makes one class per version from it.
"""

from __future__ import annotations

from vlcp_core.namedstruct import nstruct, pad, uint16, uint32

from .. import v10, v13

__all__ = ["NX_VENDOR_ID", "nx_action10", "nx_action13", "nicira_header10",
           "nicira_stats_reply10", "nicira_stats_request10"]

NX_VENDOR_ID = 0x00002320

nicira_header10 = nstruct(
    "nicira_header", (uint32, "subtype"),
    base=v10.ofp_vendor_header, when={"vendor": NX_VENDOR_ID}, classify="subtype",
    module=__name__, qualname="nicira_header10",
    doc="A Nicira message in OpenFlow 1.0: vendor 0x2320, then ``subtype``.",
)
# OpenFlow 1.3 Nicira messages are ofp_experimenter_header subtypes with
# when={"experimenter": NX_VENDOR_ID, "exp_type": subtype}: no extra level.

nx_action10 = nstruct(
    "nx_action_header", (uint16, "subtype"),
    base=v10.ofp_action_vendor_header, when={"vendor": NX_VENDOR_ID}, classify="subtype",
    module=__name__, qualname="nx_action10",
    doc="A Nicira action in OpenFlow 1.0 (type OFPAT_VENDOR, vendor 0x2320, subtype).",
)
nx_action13 = nstruct(
    "nx_action_header", (uint16, "subtype"),
    base=v13.ofp_action_experimenter, when={"experimenter": NX_VENDOR_ID},
    classify="subtype", module=__name__, qualname="nx_action13",
    doc="A Nicira action in OpenFlow 1.3 (type OFPAT_EXPERIMENTER, 0x2320, subtype).",
)

nicira_stats_request10 = nstruct(
    "nicira_stats_msg", (uint32, "subtype"), pad(4),
    base=v10.ofp_vendor_stats_request, when={"vendor": NX_VENDOR_ID}, classify="subtype",
    module=__name__, qualname="nicira_stats_request10",
    doc="A Nicira statistics request in OpenFlow 1.0 (NXST_*).",
)
nicira_stats_reply10 = nstruct(
    "nicira_stats_msg", (uint32, "subtype"), pad(4),
    base=v10.ofp_vendor_stats_reply, when={"vendor": NX_VENDOR_ID}, classify="subtype",
    module=__name__, qualname="nicira_stats_reply10",
    doc="A Nicira statistics reply in OpenFlow 1.0 (NXST_*).",
)
