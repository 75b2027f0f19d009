"""OpenFlow 1.0 and 1.3: decode anything a switch sends, build anything you want to send.

- ``parse_message(buf, offset=0)`` -> ``(message, size)`` or ``None`` if incomplete;
- ``decode_message(data)`` -> message (strict: exactly one message);
- ``bytes(message)``; ``dump(message)`` / ``load(dict)`` with spec names and OXM
  fields by their Open vSwitch names;
- ``validate(message)`` before sending: prerequisites, masks, ranges;
- a vocabulary for both versions: ``flow_mod(match(in_port=1), [output(2)])``;
- the ``ovs-ofctl`` flow language: ``parse_flow("ip,nw_dst=10.0.0.1,actions=output:2")``,
  ``format_flow(entry)`` as ``dump-flows`` prints it (``flowtext``);
- ``v10`` and ``v13``: the definitions, named as in the specs.
"""

from . import nicira, v10, v13
from ._api import decode_message, dump, load, ofp_unknown_version, parse_message, root_for
from ._oxm import field_named, ofp_oxm, ofp_oxm_experimenter, oxm_class_for, oxm_types
from ._oxm_fields import OXM_FIELDS, OxmField
from ._validate import ValidationError, validate
from ._vocab import (
    Action,
    Instruction,
    apply_actions,
    barrier_request,
    clear_actions,
    copy_ttl_in,
    copy_ttl_out,
    dec_mpls_ttl,
    dec_nw_ttl,
    enqueue,
    flow_mod,
    flow_stats_request,
    goto_table,
    group,
    match,
    meter,
    output,
    packet_in_port,
    packet_out,
    pop_mpls,
    pop_vlan,
    push_mpls,
    push_vlan,
    set_field,
    set_mpls_ttl,
    set_nw_ttl,
    set_queue,
    write_actions,
    write_metadata,
)
from .flowtext import (
    FlowSyntaxError,
    format_flow,
    format_group,
    format_meter,
    parse_actions_text,
    parse_flow,
    parse_group,
    parse_match_request,
    parse_meter,
)

__all__ = [
    "Action",
    "FlowSyntaxError",
    "Instruction",
    "format_flow",
    "format_group",
    "format_meter",
    "parse_actions_text",
    "parse_flow",
    "parse_group",
    "parse_match_request",
    "parse_meter",
    "apply_actions",
    "barrier_request",
    "clear_actions",
    "copy_ttl_in",
    "copy_ttl_out",
    "dec_mpls_ttl",
    "dec_nw_ttl",
    "enqueue",
    "flow_mod",
    "flow_stats_request",
    "goto_table",
    "group",
    "match",
    "meter",
    "output",
    "packet_in_port",
    "packet_out",
    "pop_mpls",
    "pop_vlan",
    "push_mpls",
    "push_vlan",
    "set_field",
    "set_mpls_ttl",
    "set_nw_ttl",
    "set_queue",
    "write_actions",
    "write_metadata",
    "OXM_FIELDS",
    "OxmField",
    "decode_message",
    "dump",
    "field_named",
    "load",
    "ofp_oxm",
    "ofp_oxm_experimenter",
    "ofp_unknown_version",
    "oxm_class_for",
    "oxm_types",
    "parse_message",
    "nicira",
    "root_for",
    "v10",
    "v13",
    "ValidationError",
    "validate",
]
