"""Frames sent through a real Open vSwitch come back out and decode to the same layers."""

from __future__ import annotations

from vlcp_core.packet import decode, read_pcap
from workbench.lab import Lab, wait_for

from .frames import FRAMES


def test_frames_through_ovs(lab: Lab) -> None:
    lab.add_bridge("s1", ports=2)
    pcap = lab.capture_pcap("s1-eth2")
    lab.ofctl("add-flow", "s1", "actions=output:2")
    names = sorted(FRAMES)
    lab.inject("s1-eth1", *(bytes(FRAMES[name]) for name in names))
    frames = wait_for(lambda: (got := read_pcap(pcap)) and len(got) >= len(names) and got,
                      timeout=10)
    assert frames and len(frames) == len(names)
    for name, got in zip(names, frames, strict=True):
        sent = decode(bytes(FRAMES[name]))
        back = decode(got)
        assert back.error is None, name
        assert back.layers == sent.layers, name
        assert back.payload == sent.payload, name
