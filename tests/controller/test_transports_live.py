"""The controller's transports against a real Open vSwitch: a Unix socket, and
connecting to a switch that listens (``ptcp:``) with reconnection."""

from __future__ import annotations

import asyncio
import logging
import socket
from pathlib import Path

import pytest

from vlcp_core.connection import tls_context
from vlcp_core.controller import ConnectionDown, ConnectionUp, Controller, SwitchGoneError
from vlcp_core.event import EventMatcher
from vlcp_core.openflow import flow_mod, match, output, v13
from workbench.lab import Lab, make_pki

from ._helpers import connect, run


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


def test_tls_with_certificates_made_by_openssl(lab: Lab, tmp_path: Path) -> None:
    pki = make_pki(tmp_path / "pki")

    async def main() -> None:
        controller = Controller()
        listener = await controller.listen(
            "127.0.0.1", 0, versions={4}, key=pki.controller_key, cert=pki.controller_cert,
            ca=pki.ca_cert)
        host, port = listener.address
        assert listener.kind == "tls"
        bridge = lab.add_bridge("tt", ports=2, protocols=["OpenFlow13"])
        await asyncio.to_thread(lab.set_ssl, pki.switch_key, pki.switch_cert, pki.ca_cert)
        await asyncio.to_thread(lab.set_controller, "tt", f"ssl:{host}:{port}")
        switch = await controller.wait_switch(bridge.datapath_id, timeout=20)
        assert switch.statistics().connection.kind == "tls"
        assert {p.name for p in switch.ports.values()} == {"tt", "tt-eth1", "tt-eth2"}
        await switch.request(flow_mod(match(in_port=1), [output(2)], cookie=0x7175,
                                      version=4))
        flows = await asyncio.to_thread(lab.ofctl, "-O", "OpenFlow13", "dump-flows", "tt")
        assert "cookie=0x7175" in flows
        await controller.close()

    run(main)


def test_a_certificate_from_another_ca_is_refused(lab: Lab, tmp_path: Path,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    ours, theirs = make_pki(tmp_path / "ours"), make_pki(tmp_path / "theirs")

    async def main() -> None:
        controller = Controller()
        listener = await controller.listen(
            "127.0.0.1", 0, versions={4}, key=ours.controller_key, cert=ours.controller_cert,
            ca=ours.ca_cert)
        host, port = listener.address
        lab.add_bridge("tx", ports=1, protocols=["OpenFlow13"])
        await asyncio.to_thread(lab.set_ssl, theirs.switch_key, theirs.switch_cert,
                                theirs.ca_cert)
        await asyncio.to_thread(lab.set_controller, "tx", f"ssl:{host}:{port}")
        for _ in range(100):
            if "TLS handshake failed" in caplog.text:
                break
            await asyncio.sleep(0.05)
        assert controller.switches == {} and listener.accepted >= 1
        assert listener.connections == set()  # nothing kept of the refused attempts
        assert controller.statistics().connections == 0
        await controller.close()

    with caplog.at_level(logging.WARNING, logger="vlcp_core.connection"):
        run(main)
    # OVS refuses our certificate first: its CA does not know ours.
    assert "TLS handshake failed" in caplog.text and "unknown ca" in caplog.text
    with pytest.raises(ValueError, match="cannot load CA certificate"):
        tls_context(key=ours.controller_key, cert=ours.controller_cert,
                    ca=tmp_path / "missing.pem", server_side=True)


def test_the_switch_comes_back_after_ovs_vswitchd_restarts(lab: Lab) -> None:
    async def main() -> None:
        controller, switch = await connect(lab, "tr", ["OpenFlow13"], {4})
        datapath = switch.datapath_id
        down = asyncio.ensure_future(controller.wait_switch_down(datapath, timeout=20))
        await asyncio.to_thread(lab.restart_switch)
        reason = await down
        assert "closed by the peer" in reason or "connection lost" in reason
        with pytest.raises(SwitchGoneError):
            await switch.request(v13.ofp_echo_request())
        again = await controller.wait_switch(datapath, timeout=20)
        assert again is not switch and controller.switches == {datapath: again}
        # The new daemon lost its flows: install one again.
        await again.request(flow_mod(match(in_port=1), [output(2)], cookie=0xB0, version=4))
        flows = await asyncio.to_thread(lab.ofctl, "-O", "OpenFlow13", "dump-flows", "tr")
        assert "cookie=0xb0" in flows
        stats = controller.statistics()
        assert (stats.switches_up, stats.switches_down) == (2, 1)
        await controller.close()

    run(main)


def test_connection_events_and_a_switch_down_nobody_waits_for(lab: Lab) -> None:
    async def main() -> None:
        controller = Controller()
        listener = await controller.listen("127.0.0.1", 0, versions={4})
        host, port = listener.address
        ups: list[ConnectionUp] = []
        downs: list[ConnectionDown] = []
        controller.scheduler.on(EventMatcher(ConnectionUp), lambda e, _: ups.append(e))
        controller.scheduler.on(EventMatcher(ConnectionDown), lambda e, _: downs.append(e))
        bridge = lab.add_bridge("te", ports=1, protocols=["OpenFlow13"])
        for _ in range(2):  # the second time, nobody took the first SwitchDown
            await asyncio.to_thread(lab.set_controller, "te", f"tcp:{host}:{port}")
            switch = await controller.wait_switch(bridge.datapath_id, timeout=20)
            await asyncio.to_thread(lab.set_controller, "te", None)
            for _ in range(100):
                if switch.gone:
                    break
                await asyncio.sleep(0.05)
            assert switch.gone and controller.switches == {}
        await asyncio.sleep(0.1)
        assert len(ups) == 2 and ups[1].kind == "tcp" and ups[1].address == switch.address
        assert [d.datapath for d in downs] == [bridge.datapath_id] * 2
        # A peer that never says HELLO: its connection comes and goes, no switch.
        _, writer = await asyncio.open_connection(host, port)
        writer.write(bytes.fromhex("0402000800000001"))  # an ECHO_REQUEST first
        for _ in range(100):
            if len(downs) == 3:
                break
            await asyncio.sleep(0.05)
        assert downs[2].datapath == 0 and "expected HELLO" in downs[2].reason
        writer.close()
        await controller.close()

    run(main)
