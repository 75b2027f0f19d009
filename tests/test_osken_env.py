"""os-ken as a benchmark peer: the OF1.0 reference messages, and the worker.

The worker test is marked ``bench`` and left out of the default run (it may
pip-install os-ken into ``.bench-venvs/osken``, 30-60 s the first time): run
it with ``pytest -m bench tests/test_osken_env.py``.  It is skipped, with
pip's reason, only when os-ken cannot be installed from the registry.
"""

from __future__ import annotations

import math

import pytest

from bench._messages10 import flow_mod10_bytes, packet_in10_bytes
from bench._osken_env import OSKEN_VERSION, prepare_osken_venv, run_osken_worker
from tests.openflow.oracle import assert_ovs_decodes
from tests.openflow.stub_switch import record_ovs_ofctl


def test_of10_flow_mod_decodes_in_ovs() -> None:
    assert_ovs_decodes(
        flow_mod10_bytes(),
        "OFPT_FLOW_MOD (xid=0x12345678): ADD priority=100,ip,in_port=1,nw_dst=10.0.0.1 "
        "cookie:0x1111 actions=output:2")


def test_of10_packet_in_decodes_in_ovs() -> None:
    assert_ovs_decodes(
        packet_in10_bytes(),
        "OFPT_PACKET_IN (xid=0x0): total_len=60 in_port=1 (via no_match) data_len=60 "
        "(unbuffered)",
        "arp,vlan_tci=0x0000,dl_src=00:00:00:00:00:02,dl_dst=ff:ff:ff:ff:ff:ff,"
        "arp_spa=10.0.0.2,arp_tpa=10.0.0.1,arp_op=1")


def test_of10_flow_mod_is_what_ovs_ofctl_sends() -> None:
    (sent,) = record_ovs_ofctl(
        ["add-flow", "cookie=0x1111,priority=100,ip,in_port=1,nw_dst=10.0.0.1,actions=output:2"],
        1)
    reference = flow_mod10_bytes()
    # the same bytes but the xid (offset 4-7)
    assert sent[:4] + sent[8:] == reference[:4] + reference[8:]


@pytest.mark.bench
def test_osken_worker_runs() -> None:
    python, reason = prepare_osken_venv()
    if python is None:
        pytest.skip(f"os-ken cannot be installed: {reason}")
    result = run_osken_worker(python, iterations=3, rounds=2)
    assert result["os_ken"] == OSKEN_VERSION
    assert result["iterations"] == 3 and result["rounds"] == 2
    timings = result["us_per_op"]
    assert set(timings) == {"of13_packet_in_parse", "of13_flow_mod_build",
                            "of10_packet_in_parse", "of10_flow_mod_build"}
    assert all(math.isfinite(t) and t > 0 for t in timings.values())
    # os-ken's OF1.3 FLOW_MOD is the reference byte for byte
    assert result["bytes_equal"]["of13_flow_mod"], result["differences"]
    # OF1.0: os-ken writes nw_src's wildcard count as 63 where OVS writes 32
    assert result["differences"]["of10_flow_mod"] in ([], [[10, 32, 63]])
