"""The controller against a real Open vSwitch (the lab): handshakes in 1.3 and 1.0,
version mismatch, requests and their errors, barriers, multipart, echo."""

from __future__ import annotations

import asyncio
import logging

import pytest

from vlcp_core.controller import Controller, OpenFlowError
from vlcp_core.openflow import flow_mod, flow_stats_request, match, output, v13
from workbench.lab import Lab

from ._helpers import connect, run


def test_handshake_13_and_requests(lab: Lab) -> None:
    async def main() -> None:
        controller, switch = await connect(lab, "c13", ["OpenFlow13"], {1, 4})
        assert switch.version == 4 and controller.switches == {switch.datapath_id: switch}
        names = {p.name for p in switch.ports.values()}
        assert names == {"c13", "c13-eth1", "c13-eth2"}  # port descriptions, LOCAL too
        # A flow, confirmed by the barrier that follows it, seen by ovs-ofctl.
        assert await switch.request(flow_mod(match(in_port=1), [output(2)], priority=7,
                                             cookie=0x77, version=4)) is None
        flows = await asyncio.to_thread(lab.ofctl, "-O", "OpenFlow13", "dump-flows", "c13")
        assert "cookie=0x77" in flows and "priority=7,in_port=1 actions=output:2" in flows
        # An error names the request that caused it.
        bad = flow_mod(match(in_port=1), [output(2)], table_id=255, version=4)
        with pytest.raises(OpenFlowError, match="OFPET_FLOW_MOD_FAILED/OFPFMFC_BAD_TABLE_ID"
                           ) as caught:
            await switch.request(bad)
        assert caught.value.request is bad
        # A batch: per-message results, one barrier.
        batch = [flow_mod(match(in_port=2, eth_type=0x0800, ip_dst=f"10.0.0.{n}"),
                          [output(1)], version=4) for n in range(50)]
        batch.insert(10, bad)
        results = await switch.send_batch(batch)
        assert results.count(None) == 50 and isinstance(results[10], OpenFlowError), (
            [i for i, r in enumerate(results) if r is not None], bad.xid)
        # Multipart: flow stats and table features come back whole.
        stats = await switch.multipart(v13.ofp_flow_stats_request(table_id="OFPTT_ALL"))
        assert sum(len(part.stats) for part in stats) == 51
        features = await switch.multipart(v13.ofp_table_features_request())
        assert len(features) > 1  # OVS splits its 254 tables' features over parts
        assert sum(len(part.stats) for part in features) == 254
        echo = await switch.request(v13.ofp_echo_request(data=b"hi"))
        assert isinstance(echo, v13.ofp_echo_reply) and echo.data == b"hi"
        await controller.close()

    run(main)


def test_handshake_10(lab: Lab) -> None:
    async def main() -> None:
        controller, switch = await connect(lab, "c10", ["OpenFlow10", "OpenFlow13"], {1})
        assert switch.version == 1 and sorted(switch.ports)[:2] == [1, 2]
        assert await switch.request(flow_mod(match(in_port=1, version=1), [output(2)],
                                             version=1)) is None
        stats = await switch.multipart(flow_stats_request(version=1))
        assert sum(len(part.stats) for part in stats) == 1
        await controller.close()

    run(main)


def test_version_mismatch_is_refused(lab: Lab, caplog: pytest.LogCaptureFixture) -> None:
    async def main() -> None:
        controller = Controller()
        listener = await controller.listen("127.0.0.1", 0, versions={1})
        host, port = listener.address
        lab.add_bridge("cmis", ports=1, protocols=["OpenFlow13"])
        await asyncio.to_thread(lab.set_controller, "cmis", f"tcp:{host}:{port}")
        for _ in range(100):
            if "no common version" in caplog.text:
                break
            await asyncio.sleep(0.05)
        assert controller.switches == {}
        await controller.close()

    with caplog.at_level(logging.WARNING, logger="vlcp_core.controller"):
        run(main)
    assert "no common version: we allow OpenFlow10; the peer offers OpenFlow13" in caplog.text


def test_our_keepalive_is_answered(lab: Lab) -> None:
    async def main() -> None:
        controller = Controller(echo_interval=1.0, echo_timeout=3.0)
        controller, switch = await connect(lab, "cours", ["OpenFlow13"], {4}, controller)
        await asyncio.sleep(3.5)
        stats = switch.statistics().protocol
        assert stats.sent >= 3 + 2  # hello, features, port desc, then our echoes
        assert stats.received >= 3 + 2  # and their replies, in time: still connected
        assert controller.switches == {switch.datapath_id: switch} and switch.gone is None
        await controller.close()

    run(main)


def test_the_switch_probe_is_answered(lab: Lab) -> None:
    async def main() -> None:
        # OVS probes an idle controller after inactivity_probe, 5 s at the least.
        controller = Controller(echo_interval=60.0)
        controller, switch = await connect(lab, "cprobe", ["OpenFlow13"], {4}, controller,
                                           inactivity_probe=5000)
        for _ in range(80):
            if switch.statistics().protocol.echo_requests_answered:
                break
            await asyncio.sleep(0.1)
        assert switch.statistics().protocol.echo_requests_answered == 1
        assert controller.switches == {switch.datapath_id: switch} and switch.gone is None
        await controller.close()

    run(main)


def test_a_100000_flow_dump_streams(lab: Lab) -> None:
    count = 100_000

    async def main() -> None:
        controller, switch = await connect(lab, "cbig", ["OpenFlow13"], {4})
        flows = lab.dir / "flows.txt"
        flows.write_text("".join(
            f"ip,nw_dst=10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255},actions=output:2\n"
            for n in range(count)))
        await asyncio.to_thread(lab.ofctl, "-O", "OpenFlow13", "add-flows", "cbig", str(flows))
        seen = parts = paused = 0
        addresses = set()
        async for part in switch.stream(flow_stats_request(version=4)):
            parts += 1
            seen += len(part.stats)
            addresses.update(entry.match.oxm_fields[1].value for entry in part.stats)
            # A slow reader: the switch is paused rather than buffered.
            paused += bool(switch.statistics().connection.reading_paused)
            await asyncio.sleep(0.0005)
        assert (seen, len(addresses)) == (count, count) and parts > 100
        assert paused > 0
        assert switch.statistics().connection.reading_paused == ()  # resumed at the end
        await controller.close()

    run(main)
