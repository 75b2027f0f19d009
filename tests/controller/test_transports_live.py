"""The controller's transports against a real Open vSwitch: a Unix socket, and
connecting to a switch that listens (``ptcp:``) with reconnection."""

from __future__ import annotations

import asyncio
import socket

from vlcp_core.controller import Controller
from vlcp_core.openflow import v13
from workbench.lab import Lab

from ._helpers import run


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_a_switch_on_a_unix_socket(lab: Lab) -> None:
    async def main() -> None:
        controller = Controller()
        # OVS connects only to sockets in its run directory ("remote exploit").
        path = str(lab.dir / "of.sock")
        listener = await controller.listen(path=path, versions={4})
        assert listener.kind == "unix"
        bridge = lab.add_bridge("tu", ports=1, protocols=["OpenFlow13"])
        await asyncio.to_thread(lab.set_controller, "tu", f"unix:{path}")
        switch = await controller.wait_switch(bridge.datapath_id, timeout=20)
        reply = await switch.request(v13.ofp_echo_request(data=b"unix"))
        assert reply.data == b"unix" and switch.statistics().connection.kind == "unix"
        await controller.close()

    run(main)


def test_connect_to_a_listening_switch_and_reconnect(lab: Lab) -> None:
    async def main() -> None:
        controller = Controller()
        port = free_port()
        bridge = lab.add_bridge("tp", ports=1, protocols=["OpenFlow13"])
        # The client starts first and backs off until the switch listens.
        client = controller.connect("127.0.0.1", port, versions={4}, initial=0.1,
                                    maximum=0.5)
        await asyncio.sleep(0.3)
        assert client.statistics().failures >= 1
        await asyncio.to_thread(lab.set_controller, "tp", f"ptcp:{port}:127.0.0.1")
        switch = await controller.wait_switch(bridge.datapath_id, timeout=20)
        assert switch.address[1] == port
        # The switch drops us (its controller target is removed and set again): we
        # come back by ourselves.
        down = asyncio.ensure_future(controller.wait_switch_down(bridge.datapath_id,
                                                                 timeout=20))
        await asyncio.to_thread(lab.set_controller, "tp", None)
        await down
        await asyncio.to_thread(lab.set_controller, "tp", f"ptcp:{port}:127.0.0.1")
        again = await controller.wait_switch(bridge.datapath_id, timeout=20)
        assert again is not switch and client.statistics().connections == 2
        assert (await again.request(v13.ofp_echo_request(data=b"back"))).data == b"back"
        await controller.close()
        assert controller.switches == {}

    run(main)
