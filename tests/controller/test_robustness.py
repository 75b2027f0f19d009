"""Hostile and broken peers next to a real Open vSwitch: garbage, bad lengths,
messages that do not parse, a PACKET_IN flood, a peer that never reads.  Each gets
an error or a disconnect with a logged reason; the real switch keeps working."""

from __future__ import annotations

import asyncio
import logging
import os

import pytest

from vlcp_core.controller import Controller, PacketIn, Switch
from vlcp_core.event import Event, EventMatcher
from vlcp_core.openflow import flow_mod, match, output, v13
from vlcp_core.packet import eth, ipv4, udp
from workbench.lab import Lab

from ._fake import FakeSwitch, packet_in
from ._helpers import connect, run


async def still_works(lab: Lab, switch: Switch, cookie: int) -> None:
    """The real switch still takes a flow (confirmed by its barrier) and answers."""
    await asyncio.wait_for(switch.request(flow_mod(match(in_port=2), [output(1)],
                                                   cookie=cookie, version=4)), 5)
    flows = await asyncio.to_thread(lab.ofctl, "-O", "OpenFlow13", "dump-flows", switch_name(lab))
    assert f"cookie={cookie:#x}" in flows
    assert switch.gone is None


def switch_name(lab: Lab) -> str:
    return lab.bridges[0].name


def test_garbage_and_broken_messages_do_not_disturb_a_real_switch(
        lab: Lab, caplog: pytest.LogCaptureFixture) -> None:
    async def main() -> None:
        controller, switch = await connect(lab, "rg", ["OpenFlow13"], {4})
        port = controller.listeners[0].address[1]
        # Random bytes: no HELLO, the handshake fails.
        noise = await FakeSwitch(0).connect(port)
        noise.write(b"\x04\x07\x00\x10" + os.urandom(200))
        # A length that cannot be framed, after a good handshake.
        framing = await FakeSwitch(0xF1).connect(port)
        await framing.handshake()
        await controller.wait_switch(0xF1, timeout=5)
        framing.write(b"\x04\x0a\x00\x04\x00\x00\x00\x01")
        assert "cannot be framed" in await controller.wait_switch_down(0xF1, timeout=5)
        # A message that does not parse: reported, the connection goes on.
        broken = await FakeSwitch(0xF2).connect(port)
        await broken.handshake()
        fake = await controller.wait_switch(0xF2, timeout=5)
        bad = bytearray(packet_in(1))
        bad[26:28] = b"\x00\x63"  # the match claims 99 bytes
        broken.write(bytes(bad))
        broken.write(bytes(v13.ofp_echo_request(xid=77, data=b"still here")))
        kind, xid, _ = await broken.read_message()
        assert (kind, xid) == (3, 77)  # echo answered after the bad message
        assert fake.statistics().protocol.violations == 1 and fake.gone is None
        # A message of another version on a 1.3 connection: BAD_VERSION, goes on.
        broken.write(bytes.fromhex("0102000800000009"))
        kind, xid, _ = await broken.read_message()
        assert (kind, xid) == (1, 9)
        await still_works(lab, switch, 0xA1)
        for peer in (noise, framing, broken):
            peer.close()
        await controller.close()

    with caplog.at_level(logging.WARNING, logger="vlcp_core.controller"):
        run(main)
    assert "expected HELLO, got message type 7" in caplog.text
    assert "length 4: cannot be framed" in caplog.text
    assert "a message that does not parse" in caplog.text
    assert "a version 1 message on an OpenFlow13 connection" in caplog.text


def test_a_packet_in_flood_is_bounded_and_fair(lab: Lab) -> None:
    async def main() -> None:
        controller = Controller(event_limit=64)
        controller, switch = await connect(lab, "rf", ["OpenFlow13"], {4}, controller)
        await switch.request(flow_mod(match(), [output("CONTROLLER", max_len=0xFFFF)],
                                      priority=0, version=4))
        port = controller.listeners[0].address[1]
        flood = await FakeSwitch(0xF3).connect(port)
        await flood.handshake()
        flooding = await controller.wait_switch(0xF3, timeout=5)
        # The program counts PACKET_INs per switch.
        seen: dict[int, int] = {}

        def count(event: Event, _: EventMatcher) -> None:
            seen[event.datapath] = seen.get(event.datapath, 0) + 1  # type: ignore

        controller.scheduler.on(EventMatcher(PacketIn), count)
        burst = b"".join(packet_in(n) for n in range(2000))
        for _ in range(10):  # 20,000 PACKET_INs, far faster than they are taken
            flood.write(burst)
            await flood.drain()
        # The real switch's PACKET_IN still gets through, while the flood goes on.
        frame = bytes(eth(src="00:00:00:00:00:01", dst="00:00:00:00:00:02")
                      / ipv4(dst="10.0.0.2") / udp(dport=9))
        await asyncio.to_thread(lab.inject, "rf-eth1", frame)
        for _ in range(200):
            if seen.get(switch.datapath_id):
                break
            await asyncio.sleep(0.02)
        assert seen.get(switch.datapath_id) == 1, seen
        stats = flooding.statistics().events
        assert stats.packet_ins_dropped > 0 and stats.backlog == 0
        queue = controller.scheduler.queue.statistics()
        assert queue.length <= 64 + 64  # each switch's subqueue is bounded
        await still_works(lab, switch, 0xA2)
        assert flooding.gone is None  # dropping PACKET_INs is not a reason to disconnect
        flood.close()
        await controller.close()

    run(main)


def test_a_peer_that_never_reads_is_dropped(lab: Lab, caplog: pytest.LogCaptureFixture
                                            ) -> None:
    async def main() -> None:
        controller, switch = await connect(lab, "rn", ["OpenFlow13"], {4})
        port = controller.listeners[0].address[1]
        deaf = await FakeSwitch(0xF4).connect(port, receive_buffer=4096)
        await deaf.handshake()
        await controller.wait_switch(0xF4, timeout=5)
        echo = bytes(v13.ofp_echo_request(data=bytes(65000)))
        for _ in range(150):  # ~10 MB of echo replies it never reads
            deaf.write(echo)
        reason = await controller.wait_switch_down(0xF4, timeout=10)
        assert "the peer does not read" in reason
        await still_works(lab, switch, 0xA3)
        deaf.close()
        await controller.close()

    with caplog.at_level(logging.WARNING, logger="vlcp_core.controller"):
        run(main)
