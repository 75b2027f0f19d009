"""Events from a real Open vSwitch: PACKET_IN from an injected frame, PORT_STATUS as
ports come and go, each with its index fields."""

from __future__ import annotations

import asyncio

from vlcp_core.controller import PacketIn, PortStatus
from vlcp_core.event import EventMatcher
from vlcp_core.openflow import flow_mod, match, output
from vlcp_core.packet import eth, ipv4, udp
from workbench.lab import Lab

from ._helpers import connect, run


def test_packet_in_from_an_injected_frame(lab: Lab) -> None:
    async def main() -> None:
        for version, protocols in ((4, ["OpenFlow13"]), (1, ["OpenFlow10"])):
            name = f"pin{version}"
            controller, switch = await connect(lab, name, protocols, {version})
            await switch.request(flow_mod(match(version), [output("CONTROLLER", max_len=0xFFFF)],
                                          priority=0, cookie=0x5A, version=version))
            frame = bytes(eth(src="00:00:00:00:00:01", dst="00:00:00:00:00:02")
                          / ipv4(src="10.0.0.1", dst="10.0.0.2") / udp(dport=9) / b"hello")
            waiting = controller.scheduler.wait_event(
                EventMatcher(PacketIn, datapath=switch.datapath_id), timeout=10)
            await asyncio.to_thread(lab.inject, f"{name}-eth2", frame)
            event, _ = await waiting
            assert isinstance(event, PacketIn)
            message = event.message
            assert bytes(message.data) == frame
            if version == 4:
                # A table-miss flow (priority 0, match all) gives NO_MATCH in 1.3.
                assert (event.cookie, event.reason, event.table) == (0x5A, 0, 0)
                assert [(o.oxm_field, o.value) for o in message.match.oxm_fields] == [(0, 2)]
            else:
                assert message.in_port == 2 and event.reason == 1
            await controller.close()

    run(main)


def test_port_status_on_add_and_delete(lab: Lab) -> None:
    async def main() -> None:
        controller, switch = await connect(lab, "pst", ["OpenFlow13"], {4})
        scheduler = controller.scheduler
        added = scheduler.wait_event(EventMatcher(PortStatus, datapath=switch.datapath_id,
                                                  reason=0), timeout=10)
        await asyncio.to_thread(lab.add_port, "pst", "pst-new", 7)
        event, _ = await added
        assert isinstance(event, PortStatus) and event.port == 7
        assert event.message.desc.name == "pst-new"
        for _ in range(50):  # ADD is followed by MODIFY (the link comes up)
            if 7 in switch.ports:
                break
            await asyncio.sleep(0.05)
        assert switch.ports[7].name == "pst-new"
        deleted = scheduler.wait_event(EventMatcher(PortStatus, datapath=switch.datapath_id,
                                                    reason=1, port=7), timeout=10)
        await asyncio.to_thread(lab.del_port, "pst", "pst-new")
        await deleted
        assert 7 not in switch.ports and {1, 2} <= set(switch.ports)
        await controller.close()

    run(main)
