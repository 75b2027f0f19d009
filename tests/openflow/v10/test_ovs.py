"""Open vSwitch 3.1 as the oracle: ``ovs-ofctl ofp-print`` decodes every OF 1.0 message
type we build (with non-default values) and shows the values we set.

Vendor bodies OVS does not know (and unknown types) are refused by ofp-print by
design; those are covered by the round trips only.
"""

from __future__ import annotations

import pytest

from tests.openflow.oracle import assert_ovs_decodes
from vlcp_core.openflow import v10

from .samples import OVS_EXPECTED, SAMPLES


@pytest.mark.parametrize("name", sorted(OVS_EXPECTED))
def test_ovs_decodes(name: str) -> None:
    assert_ovs_decodes(bytes(SAMPLES[name]), *OVS_EXPECTED[name])


def test_every_message_type_is_checked_by_ovs() -> None:
    types = {SAMPLES[name].type for name in OVS_EXPECTED}
    assert types == {int(t) for t in v10.ofp_type}
    stats = {(SAMPLES[n].type, SAMPLES[n].stats_type) for n in OVS_EXPECTED
             if SAMPLES[n].type in (v10.ofp_type.OFPT_STATS_REQUEST,
                                    v10.ofp_type.OFPT_STATS_REPLY)}
    for t in (v10.ofp_type.OFPT_STATS_REQUEST, v10.ofp_type.OFPT_STATS_REPLY):
        for st in v10.ofp_stats_types:
            if st is not v10.ofp_stats_types.OFPST_VENDOR:
                assert (t, st) in stats, (t.name, st.name)
    errors = {SAMPLES[n].err_type for n in OVS_EXPECTED if SAMPLES[n].type == 1}
    assert errors == {int(t) for t in v10.ofp_error_type}
    actions = {a.type for n in OVS_EXPECTED if SAMPLES[n].type == v10.ofp_type.OFPT_FLOW_MOD
               for a in SAMPLES[n].actions}
    assert actions == {int(t) for t in v10.ofp_action_type}


def test_wildcard_counts_reach_ovs() -> None:
    """nw_src / nw_dst masks written as NW_SRC_MASK:n come out as prefixes."""
    match = v10.ofp_match(
        wildcards=int(v10.ofp_flow_wildcards.OFPFW_ALL) & ~int(
            v10.ofp_flow_wildcards.OFPFW_DL_TYPE | v10.ofp_flow_wildcards.OFPFW_NW_SRC_MASK
            | v10.ofp_flow_wildcards.OFPFW_NW_DST_MASK),
        dl_type=0x0800, nw_src="172.16.0.0", nw_dst="192.168.7.128")
    match.wildcards |= v10.ofp_wildcards_display.from_text("NW_SRC_MASK:12|NW_DST_MASK:7")
    assert_ovs_decodes(bytes(v10.ofp_flow_mod(match=match, priority=77)),
                       "ADD priority=77,ip,nw_src=172.16.0.0/20,nw_dst=192.168.7.128/25")
