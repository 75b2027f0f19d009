"""The stub switch records exactly what ``ovs-ofctl`` sends (facts in its docstring)."""

from __future__ import annotations

import socket
import struct
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.openflow.oracle import ofp_print
from tests.openflow.stub_switch import (
    NX_VENDOR_ID,
    OFPT_BARRIER_REPLY,
    OFPT_BARRIER_REQUEST,
    OFPT_STATS_REQUEST,
    VERSION_NAMES,
    OvsOfctlError,
    StubSwitch,
    empty_stats_reply,
    nicira_subtype,
    ofp_header,
    record_ovs_ofctl,
    split_messages,
    write_flow_file,
)

OFPT_FLOW_MOD = 14
NXT_SET_FLOW_FORMAT = 12
NXT_FLOW_MOD = 13
NXT_FLOW_MOD_TABLE_ID = 15
NXT_GROUP_MOD = 31
VERSIONS = [1, 4]
ARP_FRAME = ("ffffffffffff000000000002080600010800060400010000000000020a000002"
             "0000000000000a000001")


def types(messages: list[bytes]) -> list[int]:
    return [m[1] for m in messages]


# -- add-flow / add-flows -------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_add_flow_is_one_flow_mod_that_ovs_decodes_to_the_same_flow(version: int) -> None:
    flow = "priority=100,ip,in_port=1,nw_dst=10.0.0.1 actions=output:2"
    messages = record_ovs_ofctl(["add-flow", flow], version)
    assert types(messages) == [OFPT_FLOW_MOD]
    (flow_mod,) = messages
    assert flow_mod[0] == version
    assert struct.unpack_from("!H", flow_mod, 2)[0] == len(flow_mod)
    assert ofp_print(flow_mod).endswith(f"(xid=0x2): ADD {flow}")


@pytest.mark.parametrize(("version", "hello"), [
    (1, "0100000800000001"),
    (4, "04000010000000010001000800000010"),
])
def test_handshake_is_hello_then_one_barrier_per_message(version: int, hello: str) -> None:
    messages = record_ovs_ofctl(["add-flow", "actions=drop"], version, handshake=True)
    assert types(messages) == [0, OFPT_FLOW_MOD, OFPT_BARRIER_REQUEST[version]]
    assert messages[0].hex() == hello
    assert [struct.unpack_from("!I", m, 4)[0] for m in messages] == [1, 2, 3]


@pytest.mark.parametrize("version", VERSIONS)
def test_add_flows_with_200_flows_is_200_flow_mods(version: int, tmp_path: Path) -> None:
    path = write_flow_file(
        (f"priority={i},in_port=1,actions=output:2" for i in range(200)), str(tmp_path))
    start = time.perf_counter()
    messages = record_ovs_ofctl(["add-flows", path], version, handshake=True)
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0
    barrier = OFPT_BARRIER_REQUEST[version]
    # each FLOW_MOD travels with its own barrier, answered before the next
    assert types(messages) == [0] + [OFPT_FLOW_MOD, barrier] * 200
    flow_mods = [m for m in messages if m[1] == OFPT_FLOW_MOD]
    # priority: 1.0 offset 8 + 40 (match) + 8 (cookie) + 6 = 62; 1.3 offset 30
    offset = 62 if version == 1 else 30
    assert [struct.unpack_from("!H", m, offset)[0] for m in flow_mods] == list(range(200))


@pytest.mark.parametrize(("flow", "shown"), [
    ("reg0=5,actions=drop", "ADD reg0=0x5 actions=drop"),
    ("tun_id=5,actions=drop", "ADD tun_id=0x5 actions=drop"),
])
def test_nxm_flow_in_of10_is_set_flow_format_then_nxt_flow_mod(flow: str, shown: str) -> None:
    messages = record_ovs_ofctl(["add-flow", flow], 1)
    assert [nicira_subtype(m) for m in messages] == [NXT_SET_FLOW_FORMAT, NXT_FLOW_MOD]
    set_format, flow_mod = messages
    # nicira_header (16 bytes), then u32 format: 2 = NXM
    assert set_format.hex() == "0104001400000002000023200000000c00000002"
    assert struct.unpack_from("!I", flow_mod, 8)[0] == NX_VENDOR_ID
    assert ofp_print(flow_mod).endswith(f"NXT_FLOW_MOD (xid=0x4): {shown}")


def test_table_in_of10_sends_flow_mod_table_id_first() -> None:
    messages = record_ovs_ofctl(["add-flow", "table=1,in_port=1,actions=drop"], 1)
    assert types(messages) == [4, OFPT_FLOW_MOD]
    table_id, flow_mod = messages
    # nicira_header, u8 set = 1, 7 pad
    assert table_id.hex() == "0104001800000002000023200000000f0100000000000000"
    assert nicira_subtype(table_id) == NXT_FLOW_MOD_TABLE_ID
    # the table id is the high byte of the 16-bit command (offset 56)
    assert struct.unpack_from("!H", flow_mod, 56)[0] == 0x0100
    assert ofp_print(flow_mod).endswith("ADD table:1 in_port=1 actions=drop")


def test_table_with_nxm_in_of10_sets_the_format_then_the_table_id() -> None:
    messages = record_ovs_ofctl(["add-flow", "table=1,reg0=5,actions=drop"], 1)
    assert [nicira_subtype(m) for m in messages] == [
        NXT_SET_FLOW_FORMAT, NXT_FLOW_MOD_TABLE_ID, NXT_FLOW_MOD]
    assert struct.unpack_from("!H", messages[2], 24)[0] == 0x0100


def test_table_in_of13_is_only_the_table_id_byte() -> None:
    (flow_mod,) = record_ovs_ofctl(["add-flow", "table=1,in_port=1,actions=drop"], 4)
    assert flow_mod[24] == 1  # table_id


# -- other commands ---------------------------------------------------------


@pytest.mark.parametrize(("version", "expected"), [(4, [15]), (1, [4])])
def test_add_group(version: int, expected: list[int]) -> None:
    messages = record_ovs_ofctl(
        ["add-group", "group_id=1,type=all,bucket=output:1,bucket=output:2"], version)
    assert types(messages) == expected
    if version == 1:
        assert nicira_subtype(messages[0]) == NXT_GROUP_MOD
    assert "ADD group_id=1,type=all" in ofp_print(messages[0])


def test_add_meter() -> None:
    messages = record_ovs_ofctl(["add-meter", "meter=1,kbps,band=type=drop,rate=1000"], 4)
    assert types(messages) == [29]
    assert "ADD meter=1 kbps bands=" in ofp_print(messages[0])


@pytest.mark.parametrize(("version", "expected"), [(1, [15]), (4, [18, 16])])
def test_mod_port_looks_the_port_up_on_a_first_connection(
        version: int, expected: list[int]) -> None:
    messages = record_ovs_ofctl(["mod-port", "2", "down"], version)
    assert types(messages) == expected  # 1.0's FEATURES_REQUEST is handshake
    text = ofp_print(messages[-1])
    assert "port: 2: addr:00:00:00:00:00:02" in text
    assert "config: PORT_DOWN" in text


@pytest.mark.parametrize("version", VERSIONS)
def test_mod_port_uses_two_connections(version: int) -> None:
    with StubSwitch(version) as switch:
        subprocess.run(["ovs-ofctl", "--no-names", "-O", VERSION_NAMES[version], "mod-port",
                        switch.target, "1", "up"], check=True, timeout=10, capture_output=True)
        switch.wait_idle()
        assert switch.connection_count == 2
        assert types(switch.messages).count(0) == 2  # one HELLO per connection


@pytest.mark.parametrize("version", VERSIONS)
def test_packet_out(version: int) -> None:
    messages = record_ovs_ofctl(
        ["packet-out", f"in_port=1 packet={ARP_FRAME} actions=output:2"], version)
    assert types(messages) == [13]
    assert "in_port=1 actions=output:2 data_len=42" in ofp_print(messages[0])


@pytest.mark.parametrize("version", VERSIONS)
def test_dump_flows_with_a_canned_empty_reply_exits_0(version: int) -> None:
    request_type = OFPT_STATS_REQUEST[version]
    messages = record_ovs_ofctl(["dump-flows"], version, {request_type: empty_stats_reply})
    if version == 1:
        # NXM flow format first, then the Nicira flow stats request
        assert [nicira_subtype(m) for m in messages[:1]] == [NXT_SET_FLOW_FORMAT]
        assert types(messages) == [4, request_type]
        assert messages[1][8:20].hex() == "ffff000000002320" + "00000000"
    else:
        assert types(messages) == [request_type]
        assert struct.unpack_from("!H", messages[0], 8)[0] == 1  # OFPMP_FLOW


def test_dump_flows_without_a_reply_times_out() -> None:
    with pytest.raises(OvsOfctlError, match="timed out"):
        record_ovs_ofctl(["dump-flows"], 4, timeout=0.5)


def test_failing_ovs_ofctl_raises_with_its_stderr() -> None:
    with pytest.raises(OvsOfctlError, match="unknown keyword bogus"):
        record_ovs_ofctl(["add-flow", "bogus=1,actions=drop"], 4)


@pytest.mark.parametrize(("stub", "client"), [(4, 1), (1, 4)])
def test_version_mismatch_fails(stub: int, client: int) -> None:
    with StubSwitch(stub) as switch:
        result = subprocess.run(
            ["ovs-ofctl", "-O", VERSION_NAMES[client], "add-flow", switch.target,
             "actions=drop"], capture_output=True, text=True, timeout=10, check=False)
        switch.wait_idle()
        assert result.returncode == 1
        assert "version negotiation failed" in result.stderr
        assert switch.errors and "does not allow version" in switch.errors[0]


# -- the stub's own answers, with a raw socket --------------------------------


@pytest.fixture
def raw13() -> Iterator[tuple[StubSwitch, socket.socket]]:
    with StubSwitch(4) as switch:
        sock = socket.create_connection(("127.0.0.1", switch.port), timeout=5)
        sock.sendall(ofp_header(4, 0, 8, 7))
        try:
            yield switch, sock
        finally:
            sock.close()


def receive(sock: socket.socket, count: int) -> list[bytes]:
    data = b""
    while True:
        try:
            messages = split_messages(data)
        except ValueError:
            messages = []
        if len(messages) >= count:
            return messages
        chunk = sock.recv(65536)
        assert chunk, "stub switch closed the connection"
        data += chunk


def test_stub_answers_hello_echo_barrier_and_features(
        raw13: tuple[StubSwitch, socket.socket]) -> None:
    switch, sock = raw13
    (hello,) = receive(sock, 1)
    assert hello.hex() == "04000010000000070001000800000010"
    requests = [
        ofp_header(4, 2, 11, 0x10) + b"abc",  # ECHO_REQUEST with payload
        ofp_header(4, 20, 8, 0x11),  # BARRIER_REQUEST
        ofp_header(4, 5, 8, 0x12),  # FEATURES_REQUEST
    ]
    # one write: the stub must split the stream itself
    sock.sendall(b"".join(requests))
    echo, barrier, features = receive(sock, 3)
    assert echo == ofp_header(4, 3, 11, 0x10) + b"abc"
    assert barrier == ofp_header(4, OFPT_BARRIER_REPLY[4], 8, 0x11)
    assert len(features) == 32
    assert ofp_print(features).startswith(
        "OFPT_FEATURES_REPLY (OF1.3) (xid=0x12): dpid:0000000000000001")
    sock.close()
    switch.wait_idle()
    assert switch.messages[1:] == requests
    assert switch.errors == []


def test_of10_features_reply_lists_the_ports() -> None:
    with StubSwitch(1) as switch, socket.create_connection(
            ("127.0.0.1", switch.port), timeout=5) as sock:
        sock.sendall(ofp_header(1, 0, 8, 1) + ofp_header(1, 5, 8, 2))
        hello, features = receive(sock, 2)
        assert hello == ofp_header(1, 0, 8, 1)
        assert len(features) == 32 + 2 * 48
        text = ofp_print(features)
        assert " 1(p1): addr:00:00:00:00:00:01" in text
        assert " 2(p2): addr:00:00:00:00:00:02" in text
