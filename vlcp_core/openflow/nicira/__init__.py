"""Nicira extensions (Open vSwitch): NXM fields, NX actions, NX messages, in both versions.

Importing ``vlcp_core.openflow`` registers them, so ``parse_message`` decodes an
NXT_PACKET_IN2 or a flow with ``ct(commit)`` into specific classes.
"""

from . import actions10, actions13, messages10, messages13
from ._actions import NxAction, nx_action_subtype
from ._base import (
    NX_VENDOR_ID,
    nicira_header10,
    nicira_stats_reply10,
    nicira_stats_request10,
    nx_action10,
    nx_action13,
)
from ._learn import LearnSpec
from ._subfield import Subfield

__all__ = [
    "LearnSpec",
    "NX_VENDOR_ID",
    "NxAction",
    "Subfield",
    "actions10",
    "actions13",
    "messages10",
    "messages13",
    "nicira_header10",
    "nicira_stats_reply10",
    "nicira_stats_request10",
    "nx_action10",
    "nx_action13",
    "nx_action_subtype",
]
