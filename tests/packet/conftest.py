"""A private Open vSwitch (dummy datapath) in a short temp dir; p1 -> p2, p2 writes a pcap."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema"


def _run(env: dict[str, str], *cmd: str) -> str:
    return subprocess.run(cmd, env=env, capture_output=True, text=True, check=True,
                          timeout=30).stdout


@pytest.fixture(scope="session")
def ovs_dummy() -> Iterator[Path]:
    """The run directory of a running switch: inject with netdev-dummy/receive on p1."""
    if shutil.which("ovs-vswitchd") is None or not os.path.exists(SCHEMA):
        pytest.fail("Open vSwitch is not installed: run ./dev test, which installs it")
    d = Path(tempfile.mkdtemp(prefix="vp", dir="/tmp"))
    env = dict(os.environ, OVS_RUNDIR=str(d), OVS_LOGDIR=str(d), OVS_DBDIR=str(d),
               OVS_SYSCONFDIR=str(d))
    db = f"--db=unix:{d}/db.sock"
    try:
        _run(env, "ovsdb-tool", "create", f"{d}/conf.db", SCHEMA)
        _run(env, "ovsdb-server", f"{d}/conf.db", f"--remote=punix:{d}/db.sock",
             f"--unixctl={d}/ovsdb-server.ctl", f"--pidfile={d}/ovsdb-server.pid",
             "-vconsole:off", f"--log-file={d}/ovsdb-server.log", "--detach")
        _run(env, "ovs-vsctl", db, "--no-wait", "init")
        _run(env, "ovs-vswitchd", f"unix:{d}/db.sock", "--enable-dummy", "--disable-system",
             "--disable-system-route", f"--unixctl={d}/ovs-vswitchd.ctl",
             f"--pidfile={d}/ovs-vswitchd.pid", f"--log-file={d}/ovs-vswitchd.log",
             "-vconsole:off", "--detach")
        _run(env, "ovs-vsctl", db, "add-br", "br0", "--", "set", "bridge", "br0",
             "datapath_type=dummy", "fail_mode=secure", "--", "add-port", "br0", "p1", "--",
             "set", "interface", "p1", "type=dummy", "ofport_request=1", "--", "add-port", "br0",
             "p2", "--", "set", "interface", "p2", "type=dummy", "ofport_request=2",
             f"options:tx_pcap={d}/p2.pcap")
        _run(env, "ovs-ofctl", "add-flow", f"unix:{d}/br0.mgmt", "actions=output:2")
        yield d
    finally:
        for ctl, extra in (("ovs-vswitchd.ctl", ["--cleanup"]), ("ovsdb-server.ctl", [])):
            subprocess.run(["ovs-appctl", "-t", f"{d}/{ctl}", "exit", *extra], env=env,
                           capture_output=True, timeout=30, check=False)
        left = subprocess.run(["pgrep", "-f", str(d)], capture_output=True, text=True).stdout
        shutil.rmtree(d, ignore_errors=True)
        assert not left.strip(), f"processes left running: {left}"
