"""The ``ovs-ofctl`` flow language: flows, matches, actions, groups and meters as
text, to and from the messages Open vSwitch 3.1 sends (see ``docs/flow-language.md``).

- ``parse_flow(text, version=4, command="add")``: the FLOW_MOD (1.3), or in 1.0 the
  OFPT_FLOW_MOD / NXT_FLOW_MOD ``ovs-ofctl`` would send; ``format_flow(obj)``: a flow
  mod as flow text, a flow statistics entry exactly as ``dump-flows`` prints it;
- ``parse_match_request(text, version=4)``: the ``dump-flows`` request;
  ``parse_actions_text(text, version=4)``: an action list (``packet-out``);
- ``flow_stats_lines(frame)``: the ``dump-flows`` lines of a flow statistics reply
  given as bytes, without building the structs (a 100,000-flow dump's fast path);
- ``flow_preamble(message)``: what OpenFlow 1.0 needs enabled first;
- ``flow_names()``: every field, keyword, flag and action name the language reads
  (``FlowNames``), for completion and help;
- ``parse_group``/``format_group`` and ``parse_meter``/``format_meter``:
  ``add-group``/``add-meter`` syntax, ``dump-groups``/``dump-meters`` output.

``FlowSyntaxError`` names the column, the token and, where it can, the word that
was probably meant.
"""

from ._errors import FlowSyntaxError
from ._flow import (
    flow_preamble,
    format_duration,
    format_flow,
    parse_actions_text,
    parse_flow,
    parse_match_request,
)
from ._groups import format_group, parse_group
from ._meters import format_meter, parse_meter
from ._stats_text import flow_stats_lines
from ._vocabulary import FlowNames, flow_names

__all__ = ["FlowNames", "FlowSyntaxError", "flow_names", "flow_preamble", "flow_stats_lines",
           "format_duration",
           "format_flow", "format_group", "format_meter", "parse_actions_text", "parse_flow",
           "parse_group", "parse_match_request", "parse_meter"]
