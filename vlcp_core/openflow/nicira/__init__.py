"""Nicira extensions (Open vSwitch): NXM fields, NX actions, NX messages, in both versions.

Importing ``vlcp_core.openflow`` registers them, so ``parse_message`` decodes an
NXT_PACKET_IN2 or a flow with ``ct(commit)`` into specific classes.
"""

from ._base import (
    NX_VENDOR_ID,
    nicira_header10,
    nicira_stats_reply10,
    nicira_stats_request10,
    nx_action10,
    nx_action13,
)

__all__ = [
    "NX_VENDOR_ID",
    "nicira_header10",
    "nicira_stats_reply10",
    "nicira_stats_request10",
    "nx_action10",
    "nx_action13",
]
