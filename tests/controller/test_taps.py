"""Message taps against a real Open vSwitch: every byte in both directions, split
into the messages that were exchanged; a failing tap is logged and harmless; a
removed tap is called no more; the end of a connection is told."""

from __future__ import annotations

import asyncio
import struct
from typing import Any

import pytest

from vlcp_core.controller import Controller
from vlcp_core.openflow import flow_mod, match, output
from workbench.lab import Lab

from ._helpers import connect, run


def _types(chunks: list[tuple[str, bytes]], direction: str) -> list[int]:
    """The message types of one direction's stream, split by the header's length."""
    stream = b"".join(data for where, data in chunks if where == direction)
    types = []
    while stream:
        assert len(stream) >= 8, f"a partial message at the end of {direction}"
        length = struct.unpack_from("!H", stream, 2)[0]
        types.append(stream[1])
        stream = stream[length:]
    return types


def test_a_tap_sees_both_directions(lab: Lab, caplog: pytest.LogCaptureFixture) -> None:
    async def main() -> None:
        controller = Controller()
        assert controller.taps == []
        seen: list[tuple[Any, int | None, str, bytes]] = []

        def tap(connection: Any, datapath: int | None, direction: str, data: bytes) -> None:
            seen.append((connection, datapath, direction, data))

        def broken(connection: Any, datapath: int | None, direction: str,
                   data: bytes) -> None:
            raise RuntimeError("a broken tap")

        handle = controller.add_tap(tap)
        bad = controller.add_tap(broken)
        assert len(controller.taps) == 2 and handle != bad
        controller, switch = await connect(lab, "tap1", ["OpenFlow13"], {4}, controller)
        await switch.request(flow_mod(match(), [output("CONTROLLER", max_len=0xFFFF)],
                                      priority=0, version=4))
        chunks = [(direction, data) for _, _, direction, data in seen]
        sent, received = _types(chunks, "out"), _types(chunks, "in")
        assert sent[0] == 0 and 5 in sent  # HELLO first, a FEATURES_REQUEST
        assert sent[-2:] == [14, 20]  # the FLOW_MOD and its BARRIER_REQUEST
        assert received[0] == 0 and 6 in received and received[-1] == 21
        assert seen[0][1] is None  # before the handshake: no datapath yet
        assert seen[-1][1] == switch.datapath_id
        assert seen[-1][0] is switch.connection
        assert "a message tap failed" in caplog.text  # logged, and nothing broke

        controller.remove_tap(handle)
        controller.remove_tap(handle)  # twice: ignored
        count = len(seen)
        await switch.barrier()
        assert len(seen) == count
        controller.remove_tap(bad)
        assert controller.taps == []

        controller.add_tap(tap)
        await asyncio.to_thread(lab.del_bridge, "tap1")
        for _ in range(200):
            if seen[-1][2] == "end":
                break
            await asyncio.sleep(0.02)
        assert seen[-1][2:] == ("end", b"")
        await controller.close()

    run(main)
