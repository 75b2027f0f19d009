"""The OVSDB client over TCP and TLS to the lab's ovsdb-server (managers set as
``ovs-vsctl set-manager`` does), with certificates made by openssl."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

from vlcp_core.ovsdb import OvsdbClient
from workbench.lab import Lab, make_pki


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def check(client: OvsdbClient, target: str, **tls: Path) -> None:
    await client.connect(target, timeout=15, initial=0.1, maximum=0.5, **tls)
    assert "Open_vSwitch" in await client.list_dbs()
    assert client.statistics().connected
    await client.close()


def test_tcp_and_tls(lab: Lab, tmp_path: Path) -> None:
    pki = make_pki(tmp_path)
    tcp, tls = free_port(), free_port()
    lab.set_ssl(pki.switch_key, pki.switch_cert, pki.ca_cert)
    lab.vsctl("set-manager", f"ptcp:{tcp}:127.0.0.1", f"pssl:{tls}:127.0.0.1")

    async def main() -> None:
        await check(OvsdbClient(), f"tcp:127.0.0.1:{tcp}")
        await check(OvsdbClient(), f"ssl:127.0.0.1:{tls}", key=pki.controller_key,
                    cert=pki.controller_cert, ca=pki.ca_cert)

    asyncio.run(asyncio.wait_for(main(), 60))
