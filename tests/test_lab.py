"""``workbench.lab`` against a real Open vSwitch: bridges, ports, controllers, traffic."""

from __future__ import annotations

import gc
import os
import signal
import socket
import struct
import threading
import time
from collections.abc import Callable

import pytest

import workbench.lab as lab_api
from tests.ofcorpus import OF13, ControllerListener, arp_request, header, udp_frame
from vlcp_core.packet import read_pcap
from workbench.lab import Lab, LabError, pid_alive, read_record, wait_for

LabFactory = Callable[..., Lab]


def _udp(n: int = 0) -> bytes:
    payload = f"frame {n}".encode() + bytes(40)
    return udp_frame("00:00:00:00:00:01", "00:00:00:00:00:02", "10.0.0.1", "10.0.0.2", payload)


def test_public_api_is_exported() -> None:
    exported = list(lab_api.__all__)
    assert len(exported) == len(set(exported))
    for name in exported:
        assert not name.startswith("_") and hasattr(lab_api, name), name
        assert getattr(lab_api, name).__doc__, f"{name} has no docstring"


def test_start_and_stop(lab: Lab) -> None:
    stats = lab.statistics()
    assert stats.running
    assert set(stats.pids) == {"ovsdb-server", "ovs-vswitchd"}
    assert all(pid_alive(pid) for pid in stats.pids.values())
    assert (lab.dir / "db.sock").is_socket()
    assert (lab.dir / "ovs-vswitchd.ctl").is_socket()
    assert "Open vSwitch" in lab.appctl("version")
    assert "Open vSwitch" in lab.appctl("version", daemon="ovsdb-server")
    record = read_record(lab.dir)
    assert record is not None and record.owner_pid == os.getpid()
    assert {name: d.pid for name, d in record.daemons.items()} == stats.pids

    lab.stop()
    assert not lab.running
    # stop() reaps the daemons: they are gone, not zombies.
    assert not any(pid_alive(pid) for pid in stats.pids.values())
    assert not any(os.path.exists(f"/proc/{pid}") for pid in stats.pids.values())
    assert not lab.dir.exists()
    lab.stop()  # idempotent
    with pytest.raises(LabError, match="stopped"):
        lab.vsctl("show")


def test_context_manager_and_garbage_collection(lab_factory: LabFactory) -> None:
    with Lab() as lab:
        pids = list(lab.statistics().pids.values())
        assert all(pid_alive(pid) for pid in pids)
    assert not any(pid_alive(pid) for pid in pids)

    lab = Lab()
    pids = list(lab.statistics().pids.values())
    lab_dir = lab.dir
    del lab
    gc.collect()
    assert not any(pid_alive(pid) for pid in pids)
    assert not lab_dir.exists()


def test_bridges_and_ports_appear_in_ovs(lab: Lab) -> None:
    s1 = lab.add_bridge("s1", ports=3)
    s2 = lab.add_bridge("s2", ports=2, protocols=["OpenFlow13"], datapath_id=0xABC)
    assert [p.name for p in s1.ports] == ["s1-eth1", "s1-eth2", "s1-eth3"]
    assert s1.datapath_id != s2.datapath_id
    assert s2.datapath_id_hex == "0000000000000abc"

    show = lab.vsctl("show")
    for name in ("Bridge s1", "Bridge s2", "Port s1-eth3", "Port s2-eth2", "type: dummy"):
        assert name in show
    assert lab.vsctl("get", "Bridge", "s1", "datapath_type").strip() == "dummy"
    assert lab.vsctl("get", "Bridge", "s1", "fail_mode").strip() == "secure"
    assert lab.vsctl("get", "Bridge", "s2", "protocols").strip() == "[OpenFlow13]"

    shown = lab.ofctl("show", "s1")
    assert f"dpid:{s1.datapath_id_hex}" in shown
    for n in (1, 2, 3):
        assert f" {n}(s1-eth{n}):" in shown
    # s2 speaks only OpenFlow 1.3: ofctl adds -O by itself.
    shown = lab.ofctl("show", "s2")
    assert "(OF1.3)" in shown and "dpid:0000000000000abc" in shown and " 2(s2-eth2):" in shown

    s1 = lab.add_port("s1", "s1-eth9", 9)
    assert s1.ofport("s1-eth9") == 9 and s1.port_name(9) == "s1-eth9"
    assert " 9(s1-eth9):" in lab.ofctl("show", "s1")
    s1 = lab.del_port(s1, "s1-eth9")
    assert "s1-eth9" not in lab.ofctl("show", "s1")
    assert [p.ofport for p in s1.ports] == [1, 2, 3]

    # OVS silently assigns another number when the requested one is taken.
    with pytest.raises(LabError, match="unavailable"):
        lab.add_port("s1", "dup", 1)
    assert "dup" not in lab.vsctl("list-ports", "s1")

    lab.del_bridge("s2")
    assert lab.vsctl("list-br").split() == ["s1"]
    assert [b.name for b in lab.bridges] == ["s1"]


def test_errors_carry_command_exit_code_and_stderr(lab: Lab) -> None:
    with pytest.raises(LabError) as info:
        lab.vsctl("add-br")
    err = info.value
    assert err.returncode == 1
    assert err.command is not None and err.command[0].endswith("ovs-vsctl")
    assert "requires at least 1 arguments" in err.stderr
    assert "exit code 1" in str(err) and "add-br" in str(err) and err.stderr.strip() in str(err)

    with pytest.raises(LabError, match="ovs-ofctl"):
        lab.ofctl("dump-flows", "no-such-bridge")
    with pytest.raises(LabError, match="no bridge"):
        lab.add_port("nope", "x", 1)
    with pytest.raises(LabError, match="hexadecimal"):
        lab.add_bridge("s1", datapath_id="xyz")
    with pytest.raises(LabError, match="invalid bridge name"):
        lab.add_bridge("a-name-that-is-too-long")
    with pytest.raises(LabError, match="unknown OpenFlow version"):
        lab.add_bridge("s1", protocols=["OpenFlow99"])
    lab.add_bridge("s1", ports=1)
    with pytest.raises(LabError, match="already exists"):
        lab.add_bridge("s1")


def test_base_dir_too_long_for_sockets(lab_factory: LabFactory) -> None:
    with pytest.raises(LabError, match="too long"):
        lab_factory("/tmp/" + "x" * 90)


def test_bridge_connects_to_controller(lab: Lab) -> None:
    with ControllerListener() as listener:
        lab.add_bridge("s1", controller=listener.target)
        conn = listener.accept()
        hello = conn.expect("hello")
        assert hello[0] == OF13  # the highest version the bridge allows
        conn.send(header(OF13, "hello", 1))
        conn.send(header(OF13, "features_request", 2))
        reply = conn.expect("features_reply")
        assert reply[8:16] == bytes.fromhex(lab.bridge("s1").datapath_id_hex)


def test_set_controller_reconnects_at_once_despite_backoff(lab: Lab) -> None:
    # A bound socket that does not listen refuses connections.
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    target = f"tcp:127.0.0.1:{server.getsockname()[1]}"
    try:
        lab.add_bridge("s1", ports=1, controller=target)
        log = lab.dir / "ovs-vswitchd.log"
        # OVS retries after 1 s, then 2 s, 4 s... (max_backoff is ignored until
        # a first successful connection): after two failures the next try is ~2 s away.
        wait_for(lambda: log.read_text().count("Connection refused") >= 2, timeout=10)
        server.listen()
        started = time.monotonic()
        lab.set_controller("s1", target)  # same target: the row is re-created
        server.settimeout(3)
        conn, _ = server.accept()
        assert time.monotonic() - started < 1.0
        conn.close()
    finally:
        server.close()
    lab.set_controller("s1", None)
    assert lab.vsctl("get", "Bridge", "s1", "controller").strip() == "[]"


def test_injected_frame_becomes_packet_in(lab: Lab) -> None:
    with ControllerListener() as listener:
        lab.add_bridge("s1", ports=2, protocols=["OpenFlow13"], controller=listener.target)
        conn = listener.accept()
        conn.handshake(OF13)
        lab.ofctl("add-flow", "s1", "priority=0,actions=CONTROLLER:65535")
        frame = arp_request("00:00:00:00:00:01", "10.0.0.1", "10.0.0.2")
        lab.inject("s1-eth2", frame)
        packet_in = conn.expect("packet_in")
    _, _, length, _ = struct.unpack_from("!BBHI", packet_in)
    assert length == len(packet_in)
    (total_len,) = struct.unpack_from("!H", packet_in, 12)
    assert total_len == len(frame)
    # match: OXM in_port (class 0x8000, field 0, length 4) = 2
    assert packet_in[28:36] == bytes.fromhex("8000000400000002")
    assert packet_in.endswith(frame)


def test_tx_pcap_captures_flow_output(lab: Lab) -> None:
    lab.add_bridge("s1", ports=3)
    lab.ofctl("add-flow", "s1", "in_port=1,actions=output:2")
    out2 = lab.capture_pcap("s1-eth2")
    out3 = lab.capture_pcap("s1-eth3")
    rx1 = lab.capture_pcap("s1-eth1", direction="rx")
    frames = [_udp(n) for n in range(150)]  # more than one netdev-dummy/receive call
    lab.inject("s1-eth1", *frames)
    assert wait_for(lambda: len(read_pcap(out2)) == len(frames) and read_pcap(out2))
    assert read_pcap(out2) == frames
    assert read_pcap(rx1) == frames
    assert read_pcap(out3) == []
    # Flow counters lag behind the datapath: poll, never sleep-and-assert.
    wait_for(lambda: "n_packets=150" in lab.ofctl("dump-flows", "s1"), message="flow counters")


def test_two_labs_side_by_side(lab_factory: LabFactory) -> None:
    a, b = lab_factory(), lab_factory()
    assert a.dir != b.dir
    sa, sb = a.add_bridge("s1", ports=2), b.add_bridge("s1", ports=2)
    assert sa.datapath_id != sb.datapath_id
    pcaps = []
    for lab in (a, b):
        lab.ofctl("add-flow", "s1", "in_port=1,actions=output:2")
        pcaps.append(lab.capture_pcap("s1-eth2"))
    a.inject("s1-eth1", _udp(1))
    b.inject("s1-eth1", _udp(2))
    assert wait_for(lambda: read_pcap(pcaps[0])) == [_udp(1)]
    assert wait_for(lambda: read_pcap(pcaps[1])) == [_udp(2)]

    b_pids = b.statistics().pids.values()
    a.stop()
    assert all(pid_alive(pid) for pid in b_pids)
    assert "Bridge s1" in b.vsctl("show")


def test_daemons_outlive_the_thread_that_started_the_lab(lab_factory: LabFactory) -> None:
    # PDEATHSIG fires when the *thread* that forked a child exits: the lab forks
    # from its own long-lived thread, so a short-lived caller thread is fine.
    labs: list[Lab] = []
    worker = threading.Thread(target=lambda: labs.append(lab_factory()))
    worker.start()
    worker.join()
    lab = labs[0]
    pids = lab.statistics().pids.values()
    deadline = time.monotonic() + 0.5
    while time.monotonic() < deadline:
        assert all(pid_alive(pid) for pid in pids)
        time.sleep(0.05)
    lab.add_bridge("s1", ports=1)


# --- restarting ovs-vswitchd ---------------------------------------------------


def _recv_exact(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise EOFError(f"connection closed after {len(data)} of {size} bytes")
        data += chunk
    return data


def read_message(sock: socket.socket, expected_type: int) -> bytes:
    """Read one OpenFlow message (header, then the rest) and check its type."""
    head = _recv_exact(sock, 8)
    version, kind, length = struct.unpack_from("!BBH", head)
    assert kind == expected_type, f"expected type {expected_type}, got {kind}"
    assert version in (1, 4) and length >= 8
    return head + _recv_exact(sock, length - 8)


def read_hello(sock: socket.socket) -> bytes:
    """Read one OpenFlow message and check that it is a HELLO (type 0)."""
    return read_message(sock, 0)


def establish(sock: socket.socket) -> None:
    """Answer the switch's HELLO and make sure it took: ECHO_REQUEST, ECHO_REPLY.

    Until OVS has the controller's HELLO, it drops the connection about 1 s
    after it began to connect (``connection timed out``), then retries.
    """
    version = read_hello(sock)[0]
    sock.sendall(struct.pack("!BBHI", version, 0, 8, 1))  # HELLO
    sock.sendall(struct.pack("!BBHI", version, 2, 8, 2))  # ECHO_REQUEST
    assert struct.unpack_from("!I", read_message(sock, 3), 4) == (2,)  # ECHO_REPLY


def _read_until_closed(sock: socket.socket) -> bytes:
    data = b""
    while chunk := sock.recv(4096):
        data += chunk
    return data


def test_restart_switch_keeps_the_database(lab: Lab) -> None:
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(5)
    target = f"tcp:127.0.0.1:{server.getsockname()[1]}"
    with server:
        s1 = lab.add_bridge("s1", ports=2, protocols=["OpenFlow13"], controller=target)
        lab.add_port("s1", "s1-eth9", 9)
        lab.add_bridge("s2", ports=1, fail_mode="standalone")
        lab.vsctl("--", "--id=@t", "create", "Flow_Table", "name=vlcp-t0",
                  "--", "set", "Bridge", "s1", "flow_tables:0=@t")  # fmt: skip
        lab.ofctl("add-flow", "s1", "in_port=1,actions=output:2")
        before = lab.statistics().pids
        first, _ = server.accept()
        with first:
            first.settimeout(5)
            establish(first)
            # Established, the connection would stay up; the old daemon's exit ends it.
            lab.restart_switch()
            first.settimeout(2)
            assert _read_until_closed(first) == b""
        second, _ = server.accept()
        with second:
            second.settimeout(5)
            assert read_hello(second)[0] == OF13

    after = lab.statistics()
    assert after.switch_starts == 2
    assert after.pids["ovsdb-server"] == before["ovsdb-server"]
    assert after.pids["ovs-vswitchd"] != before["ovs-vswitchd"]
    assert not pid_alive(before["ovs-vswitchd"])
    record = read_record(lab.dir)
    assert record is not None and record.daemons["ovs-vswitchd"].pid == after.pids["ovs-vswitchd"]

    # What the database holds survives: bridges, dummy ports on their
    # numbers, datapath ids, controllers, fail modes, flow table settings.
    assert lab.vsctl("list-br").split() == ["s1", "s2"]
    shown = lab.ofctl("show", "s1")
    assert f"dpid:{s1.datapath_id_hex}" in shown
    for port in ("1(s1-eth1):", "2(s1-eth2):", "9(s1-eth9):"):
        assert f" {port}" in shown
    assert lab.vsctl("get-controller", "s1").strip() == target
    assert lab.vsctl("get", "Bridge", "s2", "fail_mode").strip() == "standalone"
    assert 'table 0 ("vlcp-t0")' in lab.ofctl("dump-table-features", "s1")
    # Flows lived in the old daemon only.
    assert "actions=" not in lab.ofctl("dump-flows", "s1")

    # The ports carry traffic again.
    lab.ofctl("add-flow", "s1", "in_port=1,actions=output:9")
    pcap = lab.capture_pcap("s1-eth9")
    lab.inject("s1-eth1", _udp(7))
    assert wait_for(lambda: read_pcap(pcap)) == [_udp(7)]


def test_restart_switch_revives_a_killed_switch(lab: Lab) -> None:
    lab.add_bridge("s1", ports=2)
    pid = lab.statistics().pids["ovs-vswitchd"]
    lab.check()
    os.kill(pid, signal.SIGKILL)

    def reported_dead() -> bool:
        try:
            lab.check()
        except LabError as exc:
            return "ovs-vswitchd died" in str(exc)
        return False

    # A zombie's threads may still be exiting: waitpid() succeeds a bit later.
    wait_for(reported_dead, message="the lab to notice that ovs-vswitchd died")
    lab.restart_switch()
    lab.check()
    assert " 2(s1-eth2):" in lab.ofctl("show", "s1")
    assert pid_alive(lab.statistics().pids["ovs-vswitchd"])

    lab.stop()
    with pytest.raises(LabError, match="stopped"):
        lab.restart_switch()


# --- restarting ovsdb-server ---------------------------------------------------


def _db_call(sock: socket.socket, request: bytes) -> bytes:
    """Send one JSON-RPC request and read its reply (one JSON object, no delimiter)."""
    sock.sendall(request)
    data = b""
    while not data.endswith(b"}") or data.count(b"{") != data.count(b"}"):
        chunk = sock.recv(4096)
        if not chunk:
            raise EOFError(f"ovsdb-server closed the connection after {data!r}")
        data += chunk
    return data


def test_restart_db_keeps_the_database_and_the_switch(lab: Lab) -> None:
    assert lab.db_path == lab.dir / "db.sock" and lab.db_path.is_socket()
    assert lab.db_target == f"unix:{lab.db_path}"
    s1 = lab.add_bridge("s1", ports=2, protocols=["OpenFlow13"])
    lab.ofctl("add-flow", "s1", "in_port=1,actions=output:2")
    before = lab.statistics().pids

    lab.restart_db()

    after = lab.statistics()
    assert after.database_starts == 2 and after.switch_starts == 1
    assert after.pids["ovs-vswitchd"] == before["ovs-vswitchd"]
    assert after.pids["ovsdb-server"] != before["ovsdb-server"]
    assert not pid_alive(before["ovsdb-server"])
    record = read_record(lab.dir)
    assert record is not None and record.daemons["ovsdb-server"].pid == after.pids["ovsdb-server"]
    # The database file kept the bridge; ovs-vswitchd kept its flows and came back.
    assert lab.vsctl("list-br").split() == ["s1"]
    # (quoted only when the hex digits could be read as a number)
    assert lab.vsctl("get", "Bridge", "s1", "datapath_id").strip().strip('"') == s1.datapath_id_hex
    assert "actions=output:2" in lab.ofctl("dump-flows", "s1")
    lab.add_bridge("s2", ports=1)
    assert " 1(s2-eth1):" in lab.ofctl("show", "s2")
    lab.check()


def test_restart_db_ends_client_connections_which_reconnect(lab: Lab) -> None:
    list_dbs = b'{"method":"list_dbs","params":[],"id":1}'
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(5)
        client.connect(str(lab.db_path))
        assert b'"Open_vSwitch"' in _db_call(client, list_dbs)
        lab.restart_db(wait=False)
        assert _read_until_closed(client) == b""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as again:
        again.settimeout(5)
        again.connect(str(lab.db_path))
        assert b'"Open_vSwitch"' in _db_call(again, list_dbs)
    lab.check()


def test_restart_db_revives_a_killed_server(lab: Lab) -> None:
    pid = lab.statistics().pids["ovsdb-server"]
    os.kill(pid, signal.SIGKILL)

    def reported_dead() -> bool:
        try:
            lab.check()
        except LabError as exc:
            return "ovsdb-server died" in str(exc)
        return False

    wait_for(reported_dead, message="the lab to notice that ovsdb-server died")
    lab.restart_db(wait=False)
    lab.check()
    assert lab.vsctl("list-br", wait=False) == ""
    lab.stop()
    with pytest.raises(LabError, match="stopped"):
        lab.restart_db()
