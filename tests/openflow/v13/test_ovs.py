"""Open vSwitch 3.1 (``ovs-ofctl ofp-print``) decodes our 1.3 messages and shows our values.

Messages OVS has no decoder for (experimenter bodies it does not know, unknown
types, COPY_TTL and PBB actions, unknown elements) are covered by the round trips.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.openflow.oracle import assert_ovs_decodes, ofp_print
from vlcp_core.openflow import v13

from .samples import OVS_EXPECT, SAMPLES

# What OVS cannot show: experimenter bodies, 1.3 actions it does not implement, unknown data.
NOT_FOR_OVS = {
    "hello_unknown_elem", "error_unknown_type", "experimenter", "flow_mod_all_actions",
    "flow_mod_experimenter", "meter_mod_experimenter_band", "queue_get_config_reply_odd",
    "table_features_reply_experimenter", "experimenter_multipart_request",
    "experimenter_multipart_reply", "unknown_multipart_request", "unknown_multipart_reply",
    "unknown_type",
}  # fmt: skip


@pytest.fixture(scope="module")
def printed() -> dict[str, str]:
    """ofp-print of every sample OVS knows, run in parallel (one process per message)."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        texts = pool.map(lambda n: ofp_print(bytes(SAMPLES[n])), sorted(OVS_EXPECT))
    return dict(zip(sorted(OVS_EXPECT), texts, strict=True))


def test_every_sample_is_checked_or_excluded() -> None:
    assert set(OVS_EXPECT) | NOT_FOR_OVS == set(SAMPLES)
    assert not set(OVS_EXPECT) & NOT_FOR_OVS


def test_every_message_type_and_multipart_type_goes_through_ovs() -> None:
    types = {SAMPLES[n].type for n in OVS_EXPECT}
    assert {int(t) for t in v13.ofp_type} - types == {v13.ofp_type.OFPT_EXPERIMENTER}
    for kind in (v13.ofp_multipart_request, v13.ofp_multipart_reply):
        mp = {SAMPLES[n].multipart_type for n in OVS_EXPECT if isinstance(SAMPLES[n], kind)}
        assert {int(t) for t in v13.ofp_multipart_type} - mp == {
            v13.ofp_multipart_type.OFPMP_EXPERIMENTER}


@pytest.mark.parametrize("name", sorted(OVS_EXPECT))
def test_ovs_decodes(name: str, printed: dict[str, str]) -> None:
    text = printed[name]
    lowered = text.lower()
    for bad in ("decode error", "***", "bad length", "truncated", "unknown"):
        assert bad not in lowered, f"{name} {bytes(SAMPLES[name]).hex()}:\n{text}"
    for piece in OVS_EXPECT[name]:
        assert piece in text, f"{piece!r} not in ovs-ofctl ofp-print output:\n{text}"


def test_oracle_helper_on_one_message() -> None:
    assert_ovs_decodes(bytes(SAMPLES["flow_mod"]), *OVS_EXPECT["flow_mod"])


@pytest.mark.parametrize("name", ["experimenter", "unknown_type", "error_unknown_type",
                                  "meter_mod_experimenter_band"])
def test_ovs_refuses_what_it_does_not_know(name: str) -> None:
    """The excluded samples really are unknown to OVS (so excluding them hides nothing)."""
    assert "decode error" in ofp_print(bytes(SAMPLES[name]))
