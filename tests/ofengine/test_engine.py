"""The OpenFlow engine on plain bytes: handshake, echo, requests and replies, errors,
multipart parts, xids, keepalive, bad input.  The switch side is written with the
message classes; ``tests/controller`` runs the same engine against Open vSwitch."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from vlcp_core.ofengine import (
    Closed,
    HandshakeComplete,
    HandshakeFailed,
    LocalProtocolError,
    MessageReceived,
    OpenFlowEngine,
    ProtocolViolation,
    ReplyReceived,
    RequestFailed,
    peer_versions,
)
from vlcp_core.openflow import decode_message, flow_mod, match, output, parse_message, v10, v13

DPID = 0x0000AABBCCDDEEFF


def sent(engine: OpenFlowEngine) -> list[Any]:
    """The messages the engine queued for the switch, decoded."""
    data = engine.data_to_send()
    out = []
    while data:
        parsed = parse_message(data)
        assert parsed is not None
        out.append(parsed[0])
        data = data[parsed[1]:]
    return out


def port13(number: int) -> Any:
    return v13.ofp_port(port_no=number, hw_addr=f"02:00:00:00:00:{number:02x}",
                        name=f"p{number}".encode())


def ready13(ports: int = 2) -> OpenFlowEngine:
    engine = OpenFlowEngine()
    engine.initiate()
    engine.data_to_send()
    engine.receive_data(bytes(v13.ofp_hello(xid=1, elements=[
        v13.ofp_hello_elem_versionbitmap(bitmaps=[1 << 4])])))
    (features_request,) = sent(engine)
    engine.receive_data(bytes(v13.ofp_switch_features(
        xid=features_request.xid, datapath_id=DPID, n_buffers=0, n_tables=254)))
    (port_desc,) = sent(engine)
    events = engine.receive_data(bytes(v13.ofp_port_desc_reply(
        xid=port_desc.xid, stats=[port13(n) for n in range(1, ports + 1)])))
    assert [type(e) for e in events] == [HandshakeComplete]
    return engine


def test_handshake_13_with_a_port_description_in_two_parts() -> None:
    engine = OpenFlowEngine(versions={1, 4})
    engine.initiate()
    (hello,) = sent(engine)
    assert hello.version == 4 and peer_versions(bytes(hello)) == {1, 4}
    assert engine.receive_data(bytes(v13.ofp_hello(xid=7, elements=[
        v13.ofp_hello_elem_versionbitmap(bitmaps=[(1 << 4) | (1 << 6)])]))) == []
    (features_request,) = sent(engine)
    assert isinstance(features_request, v13.ofp_features_request) and engine.version == 4
    # A port-status before the handshake ends is held, then reported after it.
    early = v13.ofp_port_status(reason="OFPPR_ADD", desc=port13(9))
    engine.receive_data(bytes(early))
    engine.receive_data(bytes(v13.ofp_switch_features(
        xid=features_request.xid, datapath_id=DPID, n_tables=254)))
    (desc_request,) = sent(engine)
    assert isinstance(desc_request, v13.ofp_port_desc_request)
    first = v13.ofp_port_desc_reply(xid=desc_request.xid, flags="OFPMPF_REPLY_MORE",
                                    stats=[port13(1)])
    assert engine.receive_data(bytes(first)) == []
    events = engine.receive_data(bytes(v13.ofp_port_desc_reply(
        xid=desc_request.xid, stats=[port13(2)])))
    done, held = events
    assert isinstance(done, HandshakeComplete) and done.version == 4
    assert done.datapath_id == DPID and sorted(done.ports) == [1, 2]
    assert isinstance(held, MessageReceived) and held.message == early
    assert sorted(engine.ports) == [1, 2, 9] and engine.state == "ready"


def test_handshake_10_without_a_bitmap() -> None:
    engine = OpenFlowEngine(versions={1, 4})
    engine.initiate()
    engine.data_to_send()
    engine.receive_data(bytes(v10.ofp_hello(xid=1)))  # 1.0: header version only
    (features_request,) = sent(engine)
    assert features_request.version == 1
    (done,) = engine.receive_data(bytes(v10.ofp_switch_features(
        xid=features_request.xid, datapath_id=5, ports=[
            v10.ofp_phy_port(port_no=3, hw_addr="02:00:00:00:00:03", name=b"p3")])))
    assert isinstance(done, HandshakeComplete) and done.version == 1
    assert list(done.ports) == [3] and done.datapath_id == 5


def test_no_common_version_sends_hello_failed() -> None:
    engine = OpenFlowEngine(versions={1})
    engine.initiate()
    (hello,) = sent(engine)
    assert bytes(hello) == bytes(v10.ofp_hello(xid=hello.xid))  # 8 bytes, no elements
    (failed,) = engine.receive_data(bytes(v13.ofp_hello(xid=3, elements=[
        v13.ofp_hello_elem_versionbitmap(bitmaps=[1 << 4])])))
    assert isinstance(failed, HandshakeFailed)
    assert "we allow OpenFlow10; the peer offers OpenFlow13" in failed.reason
    (error,) = sent(engine)
    assert isinstance(error, v10.ofp_error_hello_failed) and error.xid == 3
    assert error.code == v10.ofp_hello_failed_code.OFPHFC_INCOMPATIBLE
    assert b"no common version" in error.data and engine.state == "closed"
    assert engine.receive_data(b"more") == []
    with pytest.raises(LocalProtocolError):
        engine.send(v10.ofp_barrier_request())


def test_echo_is_answered_inside_the_engine() -> None:
    engine = ready13()
    assert engine.receive_data(bytes(v13.ofp_echo_request(xid=77, data=b"probe"))) == []
    (reply,) = sent(engine)
    assert reply == v13.ofp_echo_reply(xid=77, data=b"probe")
    assert engine.statistics().echo_requests_answered == 1


def test_errors_map_to_their_request_and_barriers_confirm() -> None:
    engine = ready13()
    bad = flow_mod(match(in_port=1), [output(2)], table_id=250, version=4)
    bad_xid = engine.send(bad)
    good_xid = engine.send(flow_mod(match(in_port=2), [output(1)], version=4))
    barrier_xid = engine.send(v13.ofp_barrier_request())
    assert len({bad_xid, good_xid, barrier_xid}) == 3
    assert [m.xid for m in sent(engine)] == [bad_xid, good_xid, barrier_xid]
    error = v13.ofp_error_flow_mod_failed(xid=bad_xid, code="OFPFMFC_BAD_TABLE_ID",
                                          data=bytes(bad)[:64])
    (failed,) = engine.receive_data(bytes(error))
    assert isinstance(failed, RequestFailed) and failed.xid == bad_xid
    assert failed.request is bad and failed.error == error
    confirmed, barrier = engine.receive_data(bytes(v13.ofp_barrier_reply(xid=barrier_xid)))
    assert confirmed == ReplyReceived(good_xid, None)
    assert isinstance(barrier, ReplyReceived) and barrier.xid == barrier_xid
    assert engine.statistics().pending_requests == 0
    # An error nobody asked for is just a message.
    (stray,) = engine.receive_data(bytes(v13.ofp_error_bad_request(
        xid=999, code="OFPBRC_BAD_TYPE")))
    assert isinstance(stray, MessageReceived)


def test_multipart_parts_stream() -> None:
    engine = ready13()
    xid = engine.send(v13.ofp_flow_stats_request(table_id="OFPTT_ALL"))
    engine.data_to_send()
    parts = [v13.ofp_flow_stats_reply(xid=xid, flags="OFPMPF_REPLY_MORE", stats=[
        v13.ofp_flow_stats(priority=n, cookie=n)]) for n in range(3)]
    parts.append(v13.ofp_flow_stats_reply(xid=xid, stats=[]))
    events = engine.receive_data(b"".join(bytes(p) for p in parts))
    assert [(e.xid, e.last) for e in events] == [(xid, False)] * 3 + [(xid, True)]
    assert [e.message for e in events] == parts  # type: ignore[attr-defined]
    # Fed one byte at a time, the same.
    xid = engine.send(v13.ofp_flow_stats_request(table_id="OFPTT_ALL"))
    for part in parts:
        part.xid = xid
    data = b"".join(bytes(p) for p in parts)
    got = [e for i in range(len(data)) for e in engine.receive_data(data[i:i + 1])]
    assert [e.last for e in got] == [False, False, False, True]  # type: ignore[attr-defined]


def test_raw_multipart_parts_stay_bytes() -> None:
    engine = ready13()
    xid = engine.send(v13.ofp_flow_stats_request(table_id="OFPTT_ALL"), raw_reply=True)
    engine.data_to_send()
    parts = [bytes(v13.ofp_flow_stats_reply(xid=xid, flags=flags, stats=[
        v13.ofp_flow_stats(priority=n)])) for n, flags in ((1, 1), (2, 0))]
    events = engine.receive_data(b"".join(parts))
    assert [(type(e), e.message, e.last) for e in events] == [  # type: ignore[attr-defined]
        (ReplyReceived, parts[0], False), (ReplyReceived, parts[1], True)]
    assert engine.statistics().pending_requests == 0
    # an error for a raw request is parsed as always
    xid = engine.send(v13.ofp_flow_stats_request(table_id="OFPTT_ALL"), raw_reply=True)
    engine.data_to_send()
    (failed,) = engine.receive_data(bytes(v13.ofp_error_bad_request(
        xid=xid, code="OFPBRC_BAD_TABLE_ID")))
    assert isinstance(failed, RequestFailed) and failed.xid == xid
    # other requests' replies are still parsed
    xid = engine.send(v13.ofp_flow_stats_request(table_id="OFPTT_ALL"))
    engine.data_to_send()
    (event,) = engine.receive_data(bytes(v13.ofp_flow_stats_reply(xid=xid)))
    assert isinstance(event.message, v13.ofp_flow_stats_reply)  # type: ignore[attr-defined]


def test_xids_wrap_around_and_skip_those_in_use() -> None:
    engine = ready13()
    engine._xid = 0xFFFFFFFD
    first = engine.send(v13.ofp_barrier_request())
    assert first == 0xFFFFFFFE
    assert engine.send(v13.ofp_barrier_request()) == 0xFFFFFFFF
    assert engine.send(v13.ofp_barrier_request()) == 1  # never 0
    engine._xid = 0xFFFFFFFD
    assert engine.send(v13.ofp_barrier_request()) == 2  # FFFFFFFE, FFFFFFFF, 1 in use
    message = v13.ofp_barrier_request(xid=1)  # an xid in use is replaced
    assert engine.send(message) not in (1, 0) and message.xid != 1


def test_port_status_tracks_ports() -> None:
    engine = ready13(ports=2)
    engine.receive_data(bytes(v13.ofp_port_status(reason="OFPPR_ADD", desc=port13(3))))
    engine.receive_data(bytes(v13.ofp_port_status(reason="OFPPR_DELETE", desc=port13(1))))
    changed = port13(2)
    changed.config = 1
    (event,) = engine.receive_data(bytes(v13.ofp_port_status(reason="OFPPR_MODIFY",
                                                             desc=changed)))
    assert isinstance(event, MessageReceived)
    assert sorted(engine.ports) == [2, 3] and engine.ports[2].config == 1


def test_keepalive_and_handshake_deadline() -> None:
    engine = ready13()
    assert engine.tick(4.9) == [] and engine.data_to_send() == b""
    assert engine.tick(5.0) == []
    (echo,) = sent(engine)
    assert isinstance(echo, v13.ofp_echo_request)
    engine.receive_data(bytes(v13.ofp_echo_reply(xid=echo.xid)), now=6.0)
    assert engine.tick(10.9) == [] and engine.data_to_send() == b""
    assert engine.tick(11.0) == []
    (echo,) = sent(engine)
    assert engine.tick(25.9) == []
    (closed,) = engine.tick(26.0)
    assert isinstance(closed, Closed) and "no echo reply in 15 s" in closed.reason
    silent = OpenFlowEngine()
    silent.initiate(now=100.0)
    (closed,) = silent.tick(115.0)
    assert isinstance(closed, Closed) and "waiting for hello" in closed.reason


def test_bad_input() -> None:
    engine = ready13()
    (violation,) = engine.receive_data(bytes(v10.ofp_barrier_request(xid=5)))
    assert isinstance(violation, ProtocolViolation) and "version 1" in violation.reason
    (error,) = sent(engine)
    assert isinstance(error, v13.ofp_error_bad_request) and error.xid == 5
    assert error.code == v13.ofp_bad_request_code.OFPBRC_BAD_VERSION
    broken = bytearray(bytes(v13.ofp_port_status(reason="OFPPR_ADD", desc=port13(4))))
    broken[8] = 0  # fine; now a bad inner length: the port is cut short
    broken = broken[:20]
    broken[2:4] = len(broken).to_bytes(2, "big")
    (violation,) = engine.receive_data(bytes(broken))
    assert isinstance(violation, ProtocolViolation) and "does not parse" in violation.reason
    assert engine.state == "ready"
    (closed,) = engine.receive_data(b"\x04\x00\x00\x04\x00\x00\x00\x00")
    assert isinstance(closed, Closed) and "length 4" in closed.reason
    assert engine.state == "closed"
    small = OpenFlowEngine(max_message=1024)
    small.initiate()
    (closed,) = small.receive_data(b"\x04\x00\xff\xff\x00\x00\x00\x01")
    assert isinstance(closed, Closed) and "length 65535" in closed.reason


def test_local_errors() -> None:
    engine = OpenFlowEngine()
    with pytest.raises(LocalProtocolError, match="state 'idle'"):
        engine.send(v13.ofp_barrier_request())
    engine = ready13()
    with pytest.raises(LocalProtocolError, match="speaks OpenFlow13"):
        engine.send(v10.ofp_barrier_request())
    with pytest.raises(ValueError, match="versions must be among"):
        OpenFlowEngine(versions={2})


def test_the_engine_imports_neither_asyncio_nor_socket() -> None:
    code = ("import sys, vlcp_core.ofengine\n"
            "bad = [m for m in ('asyncio', 'socket', 'selectors', 'ssl') if m in sys.modules]\n"
            "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_decoded_hello_failed_round_trips() -> None:
    engine = OpenFlowEngine(versions={4})
    engine.initiate()
    engine.data_to_send()
    engine.receive_data(bytes(v10.ofp_hello(xid=9)))
    data = engine.data_to_send()
    assert decode_message(data).xid == 9 and data[0] == 1  # in the peer's version


def test_a_barrier_confirms_only_what_was_sent_before_it() -> None:
    engine = ready13()
    before = engine.send(flow_mod(match(in_port=1), [output(2)], version=4))
    barrier = engine.send(v13.ofp_barrier_request())
    after = engine.send(flow_mod(match(in_port=2), [output(1)], version=4))
    confirmed, reply = engine.receive_data(bytes(v13.ofp_barrier_reply(xid=barrier)))
    assert confirmed == ReplyReceived(before, None) and reply.xid == barrier  # type: ignore[attr-defined]
    (failed,) = engine.receive_data(bytes(v13.ofp_error_flow_mod_failed(
        xid=after, code="OFPFMFC_UNKNOWN")))
    assert isinstance(failed, RequestFailed) and failed.xid == after


def test_send_bytes_queues_a_whole_message_untracked() -> None:
    engine = ready13()
    data = bytes(v13.ofp_barrier_request(xid=0))
    engine.send_bytes(data)
    assert engine.data_to_send() == data
    assert engine.statistics().pending_requests == 0
    for bad, why in ((data[:6], "6 bytes"), (bytes(v10.ofp_barrier_request()), "0112000800000000"),
                     (data + b"\x00", "9 bytes")):
        with pytest.raises(LocalProtocolError, match=why):
            engine.send_bytes(bad)
