"""Frames sent through a real Open vSwitch come back out and decode to the same layers."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from vlcp_core.packet import decode, read_pcap

from .frames import FRAMES


def test_frames_through_ovs(ovs_dummy: Path) -> None:
    d = ovs_dummy
    names = sorted(FRAMES)
    env = dict(os.environ, OVS_RUNDIR=str(d))
    for name in names:
        subprocess.run(["ovs-appctl", "-t", f"{d}/ovs-vswitchd.ctl", "netdev-dummy/receive", "p1",
                        bytes(FRAMES[name]).hex()], env=env, check=True, capture_output=True,
                       timeout=30)
    frames: list[bytes] = []
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if (d / "p2.pcap").exists():
            frames = read_pcap(d / "p2.pcap")
            if len(frames) >= len(names):
                break
        time.sleep(0.05)
    assert len(frames) == len(names)
    for name, got in zip(names, frames, strict=True):
        sent = decode(bytes(FRAMES[name]))
        back = decode(got)
        assert back.error is None, name
        assert back.layers == sent.layers, name
        assert back.payload == sent.payload, name
