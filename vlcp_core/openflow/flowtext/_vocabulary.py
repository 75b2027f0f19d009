"""The names the flow language knows, for tools that offer them (completion, help).

``flow_names()`` reads them from the parsers' own tables, so a field, keyword or
action the language learns is offered without a second list to keep.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .._oxm_fields import OXM_FIELDS
from ._actions import KNOWN as _ACTIONS
from ._flow import FLAGS, IGNORED
from ._match import _KNOWN, _UNSUPPORTED, MATCH_KEYWORDS_OTHER, SHORTHANDS

__all__ = ["FlowNames", "flow_names"]


@dataclass(frozen=True)
class FlowNames:
    """The words of flow text, each sorted."""

    fields: tuple[str, ...]  # match fields, with their aliases (they take a value)
    shorthands: tuple[str, ...]  # ip, tcp, arp... (and eth: packet_type=(0,0))
    keywords: tuple[str, ...]  # priority, table, cookie... (they take a value)
    flags: tuple[str, ...]  # send_flow_rem, check_overlap...
    actions: tuple[str, ...]  # output, drop, resubmit, goto_table...


@functools.cache
def flow_names() -> FlowNames:
    """Every field, shorthand, keyword, flag and action name ``parse_flow`` reads."""
    shorthands = set(SHORTHANDS) | {"eth"}
    fields = {name for row in OXM_FIELDS for name in (row.name, *row.aliases)}
    fields |= set(_KNOWN) - shorthands  # dl_vlan, dl_vlan_pcp, packet_type
    fields -= set(_UNSUPPORTED)
    flags = set(FLAGS)
    keywords = set(MATCH_KEYWORDS_OTHER) - flags - set(IGNORED) - {"actions"}
    return FlowNames(tuple(sorted(fields)), tuple(sorted(shorthands)),
                     tuple(sorted(keywords)), tuple(sorted(flags)), tuple(sorted(_ACTIONS)))
