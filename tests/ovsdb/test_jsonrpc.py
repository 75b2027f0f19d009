"""The OVSDB JSON-RPC engine on plain bytes: framing split at every byte, ids and
replies, notifications, server requests, echo both ways, every limit and malformed
input, linear scanning; and once against a real ovsdb-server from the lab."""

from __future__ import annotations

import gc
import json
import os
import socket
import subprocess
import sys
import time
from typing import Any

import pytest

from vlcp_core.ovsdb._jsonrpc import JsonRpcEngine
from vlcp_core.ovsdb._rpc_events import (
    Closed,
    ErrorResponse,
    LocalProtocolError,
    Notification,
    ProtocolViolation,
    Response,
    RpcEvent,
    ServerRequest,
)
from workbench.lab import Lab


def sent(engine: JsonRpcEngine) -> list[Any]:
    """The messages the engine queued, decoded (they are concatenated JSON objects)."""
    data = engine.data_to_send().decode("utf-8")
    decoder = json.JSONDecoder()
    out, position = [], 0
    while position < len(data):
        value, position = decoder.raw_decode(data, position)
        out.append(value)
    return out


def wire(*messages: Any) -> bytes:
    return b"".join(json.dumps(m).encode() for m in messages)


def closed_reason(events: list[RpcEvent]) -> str:
    assert isinstance(events[-1], Closed), events
    return events[-1].reason


# --- requests, replies, notifications ------------------------------------------------


def test_requests_count_up_and_replies_find_their_request() -> None:
    engine = JsonRpcEngine()
    assert engine.request("list_dbs", []) == 1
    assert engine.request("get_schema", ["Open_vSwitch"]) == 2
    engine.notify("cancel", ["m1"])
    assert sent(engine) == [{"method": "list_dbs", "params": [], "id": 1},
                            {"method": "get_schema", "params": ["Open_vSwitch"], "id": 2},
                            {"method": "cancel", "params": ["m1"], "id": None}]
    assert engine.data_to_send() == b""
    assert engine.pending() == {1: "list_dbs", 2: "get_schema"}
    events = engine.receive_data(wire(
        {"id": 2, "error": {"error": "unknown database"}},  # ovsdb-server omits "result"
        {"id": 1, "result": ["Open_vSwitch"], "error": None}))
    assert events == [ErrorResponse(2, "get_schema", {"error": "unknown database"}),
                      Response(1, "list_dbs", ["Open_vSwitch"])]
    assert engine.pending() == {}
    # Ids are never reused; a second reply to a request is a violation, not fatal.
    assert engine.request("echo", [1]) == 3
    events = engine.receive_data(wire({"id": 1, "result": [], "error": None},
                                      {"id": 3, "result": [1], "error": None}))
    assert events == [ProtocolViolation("a reply with unknown id 1"), Response(3, "echo", [1])]
    stats = engine.statistics()
    assert (stats.state, stats.received, stats.sent, stats.pending, stats.violations) == (
        "open", 4, 4, 0, 1)


def test_replies_whose_ids_only_look_like_ours_are_violations() -> None:
    engine = JsonRpcEngine()
    engine.request("list_dbs", [])
    events = engine.receive_data(wire({"id": True, "result": [], "error": None},
                                      {"id": 1.0, "result": [], "error": None},
                                      {"id": "1", "result": [], "error": None},
                                      {"id": None, "result": None, "error": "bad"}))
    assert [type(e) for e in events] == [ProtocolViolation] * 4
    assert isinstance(events[3], ProtocolViolation) and 'error "bad"' in events[3].reason
    assert engine.pending() == {1: "list_dbs"} and engine.state == "open"


def test_notifications_and_server_requests() -> None:
    engine = JsonRpcEngine()
    events = engine.receive_data(wire(
        {"method": "update", "params": ["m", {"Bridge": {}}], "id": None},
        {"method": "locked", "params": ["l"], "id": None},
        {"method": "stolen", "params": ["l"]},  # no id at all: a notification too
        {"method": "hello", "params": [1], "id": [7, "x"]}))
    assert events == [Notification("update", ["m", {"Bridge": {}}]),
                      Notification("locked", ["l"]), Notification("stolen", ["l"]),
                      ServerRequest([7, "x"], "hello", [1])]
    assert engine.data_to_send() == b""  # nothing answered for us
    with pytest.raises(LocalProtocolError, match="no request from the server"):
        engine.respond(8, None)
    engine.respond([7, "x"], {"ok": True})
    assert sent(engine) == [{"id": [7, "x"], "result": {"ok": True}, "error": None}]
    with pytest.raises(LocalProtocolError, match="no request from the server"):
        engine.respond([7, "x"], None)  # answered already
    engine.receive_data(wire({"method": "hello", "params": [], "id": 9}))
    engine.respond_error(9, "no")
    assert sent(engine) == [{"id": 9, "result": None, "error": "no"}]
    stats = engine.statistics()
    assert (stats.notifications, stats.server_requests) == (3, 2)


def test_echo_from_the_server_is_answered_at_once() -> None:
    engine = JsonRpcEngine()
    engine.request("list_dbs", [])
    engine.data_to_send()
    events = engine.receive_data(wire({"method": "echo", "params": ["x", {"é": 1}], "id": "echo"},
                                      {"method": "echo", "params": [], "id": 5}))
    assert events == []
    assert sent(engine) == [{"id": "echo", "result": ["x", {"é": 1}], "error": None},
                            {"id": 5, "result": [], "error": None}]
    # A lone surrogate (from a \ud800 escape) is echoed back escaped.
    engine.receive_data(b'{"method":"echo","params":["\\ud800"],"id":6}')
    assert engine.data_to_send() == b'{"id":6,"result":["\\ud800"],"error":null}'
    assert engine.statistics().echo_requests_answered == 3
    assert engine.pending() == {1: "list_dbs"}


# --- framing -------------------------------------------------------------------------

TRICKY = [
    {"id": 1, "result": ["{", "}", "[", "]", "{[}]", "\\", "a\"}b", "\\\"", "\"{"],
     "error": None},
    {"method": "update", "id": None,
     "params": ["é✓𝄞", {"\u00e9\\u00e9": "\n\t\"", "key}": [[], {}, [[{}]]]}]},
    {"id": 2, "result": [{"rows": [{"name": "p€1", "ofport": -1.5e3, "x": None,
                                    "ok": True, "no": False}]}], "error": None},
]
TRICKY_EVENTS = [
    Response(1, "list_dbs", TRICKY[0]["result"]),
    Notification("update", TRICKY[1]["params"]),
    Response(2, "transact", TRICKY[2]["result"]),
]


def tricky_stream() -> bytes:
    parts = [json.dumps(m, ensure_ascii=False).encode() for m in TRICKY]
    parts[2] = json.dumps(TRICKY[2]).encode()  # \u escapes in this one
    return b" \n" + parts[0] + parts[1] + b"\r\n\t " + parts[2] + b"\n"


def fresh() -> JsonRpcEngine:
    engine = JsonRpcEngine()
    engine.request("list_dbs", [])
    engine.request("transact", [])
    return engine


def test_concatenated_messages_fed_a_byte_at_a_time() -> None:
    stream = tricky_stream()
    assert len(stream.decode()) < len(stream)  # multi-byte characters to split
    engine = fresh()
    events: list[RpcEvent] = []
    for index in range(len(stream)):
        events += engine.receive_data(stream[index:index + 1])
    assert events == TRICKY_EVENTS
    assert engine.statistics().bytes_received == len(stream)
    assert fresh().receive_data(stream) == TRICKY_EVENTS


def test_concatenated_messages_split_at_every_byte() -> None:
    stream = tricky_stream()
    for cut in range(len(stream) + 1):
        engine = fresh()
        events = engine.receive_data(stream[:cut]) + engine.receive_data(stream[cut:])
        assert events == TRICKY_EVENTS, cut
        # And in three parts around an escape or a character.
        engine = fresh()
        events = (engine.receive_data(stream[:cut // 2]) + engine.receive_data(stream[cut // 2:cut])
                  + engine.receive_data(stream[cut:]))
        assert events == TRICKY_EVENTS, cut


def test_a_big_message_is_scanned_in_linear_time() -> None:
    def message(size: int) -> bytes:
        row = {"name": "p", "ofport": 1, "external_ids": ["map", [["k", "v{[\"]}"]]],
               "tag": ["set", []], "statistics": ["map", [["rx", 1], ["tx", 2]]]}
        one = json.dumps(row).encode()
        rows = b",".join(b'"%08x":{"new":%s}' % (n, one) for n in range(size // len(one)))
        return b'{"id":1,"result":{"Interface":{' + rows + b'}},"error":null}'

    def feed(data: bytes, budget: float = 60.0) -> float:
        engine = JsonRpcEngine()
        engine.request("monitor", [])
        events: list[RpcEvent] = []
        started = time.perf_counter()
        for start in range(0, len(data), 4096):
            events += engine.receive_data(data[start:start + 4096])
            elapsed = time.perf_counter() - started
            assert elapsed < budget, f"{start} bytes in {elapsed:.2f} s: not linear"
        assert [type(e) for e in events] == [Response]
        return elapsed

    small, big = message(1_000_000), message(10_000_000)
    assert len(big) > 9 * len(small)
    gc.disable()  # json.loads makes a million objects: time the engine, not the collector
    try:
        small_time = min(feed(small) for _ in range(3))
        big_time = feed(big, budget=20 * small_time)
    finally:
        gc.enable()
    # A rescan of the buffer per chunk would make this ratio about 100 times larger.
    assert big_time / small_time < 20, (small_time, big_time)


# --- limits and malformed input ------------------------------------------------------


@pytest.mark.parametrize(("data", "at", "reason"), [
    (b'{"id": 1, "result": [}', 21, "invalid JSON at byte {at}: Expecting value: line 1 column 22"),
    (b'{"id": 1 "result": 2}', 9, "invalid JSON at byte {at}: Expecting ',' delimiter"),
    (b'{"a": NaN}', 0, "invalid JSON at byte {at}: NaN is not JSON"),
    (b'{"\xc3\xa9": "\xff"}', 8, "invalid UTF-8 at byte {at}: invalid start byte"),
    (b"[1, 2, 3]", 0, "a top-level value that is not an object at byte {at}: [1, 2, 3]"),
    (b"  17", 2, "a top-level value that is not an object at byte {at}: b'17'"),
    (b"\n}", 1, "a top-level value that is not an object at byte {at}: b'}'"),
    (b'{"params": [{"a": [1]], "method": "x"}', 21, "invalid JSON at byte {at}: Expecting ','"),
    (b'{"params": [1}', 13, "invalid JSON at byte {at}: Expecting ',' delimiter"),
    (b'{"id": 1}', 0, "neither a request, a response nor a notification at byte {at}: "),
    (b'{"result": 1, "error": null}', 0, "neither a request, a response nor a notification"),
    (b'{"method": 1, "params": [], "id": null}', 0, "a string method and an array of params"),
    (b'{"method": "update", "params": {}, "id": null}', 0, "a string method and an array"),
])
def test_malformed_input_closes(data: bytes, at: int, reason: str) -> None:
    engine = JsonRpcEngine()
    prefix = b'{"method": "update", "params": [], "id": null}\n'
    events = engine.receive_data(prefix + data)
    assert events[0] == Notification("update", [])
    assert len(events) == 2
    expected = reason.replace("{at}", str(len(prefix) + at))
    assert expected in closed_reason(events), closed_reason(events)
    assert engine.state == "closed"
    assert engine.receive_data(b'{"method": "update", "params": [], "id": null}') == []
    assert engine.tick(100.0) == []
    with pytest.raises(LocalProtocolError, match="closed"):
        engine.request("list_dbs", [])


def test_message_size_limit() -> None:
    at_limit = b'{"id":1,"result":"' + b"x" * 81 + b'","error":null}'
    assert len(at_limit) == 114
    engine = JsonRpcEngine(max_message=114)
    engine.request("a", [])
    assert engine.receive_data(at_limit) == [Response(1, "a", "x" * 81)]
    # One more byte in one piece, or a value that never ends, arriving in pieces.
    over = at_limit.replace(b"x", b"xx", 1)
    assert closed_reason(JsonRpcEngine(max_message=114).receive_data(over)) == (
        "message of more than 114 bytes")
    engine = JsonRpcEngine(max_message=114)
    assert engine.receive_data(b'{"id":1,"result":"') == []
    for _ in range(9):
        assert engine.receive_data(b"y" * 10) == []
    assert closed_reason(engine.receive_data(b"y" * 10)) == "message of more than 114 bytes"


def test_nesting_limit() -> None:
    ok = b'{"method":"update","params":' + b"[" * 3 + b"]" * 3 + b',"id":null}'
    assert JsonRpcEngine(max_depth=4).receive_data(ok) == [Notification("update", [[[]]])]
    deep = ok.replace(b"[[[", b"[[[[")
    assert closed_reason(JsonRpcEngine(max_depth=4).receive_data(deep)) == (
        "nesting deeper than 4 at byte 31")
    engine = JsonRpcEngine(max_depth=4)  # split inside the run of brackets
    assert engine.receive_data(deep[:30]) == []
    assert closed_reason(engine.receive_data(deep[30:])) == "nesting deeper than 4 at byte 31"
    # Brackets inside strings do not count.
    strings = b'{"method":"update","params":["[[[[[[{{{{"],"id":null}'
    assert JsonRpcEngine(max_depth=2).receive_data(strings) == [
        Notification("update", ["[[[[[[{{{{"])]
    with pytest.raises(ValueError, match="max_depth"):
        JsonRpcEngine(max_depth=0)


def test_connection_lost() -> None:
    engine = JsonRpcEngine()
    engine.receive_data(b'{"method":"upd')
    assert engine.connection_lost() == [
        Closed("the server closed the connection in the middle of a message (14 bytes)")]
    assert engine.connection_lost() == []
    with pytest.raises(LocalProtocolError, match="closed"):
        engine.notify("x", [])


def test_local_misuse() -> None:
    engine = JsonRpcEngine()
    with pytest.raises(LocalProtocolError, match="params are a list"):
        engine.request("list_dbs", ("Open_vSwitch",))  # type: ignore[arg-type]
    with pytest.raises(LocalProtocolError, match="cannot send as JSON"):
        engine.request("transact", [float("nan")])
    with pytest.raises(LocalProtocolError, match="cannot send as JSON"):
        engine.request("transact", [object()])
    with pytest.raises(LocalProtocolError, match="cannot send as JSON"):
        engine.request("transact", ["\ud800"])
    with pytest.raises(LocalProtocolError, match="a method is a string"):
        engine.notify(7, [])  # type: ignore[arg-type]
    # Nothing was queued, and no id was used up.
    assert engine.data_to_send() == b"" and engine.pending() == {}
    assert engine.request("list_dbs", []) == 1


# --- keepalive -----------------------------------------------------------------------


def test_our_echo_keepalive_and_its_timeout() -> None:
    engine = JsonRpcEngine(echo_interval=5.0, echo_timeout=15.0)
    assert engine.tick(1000.0) == []  # starts the clock
    assert engine.tick(1004.9) == [] and engine.data_to_send() == b""
    assert engine.tick(1005.0) == []
    assert sent(engine) == [{"method": "echo", "params": [], "id": "echo-1"}]
    assert engine.tick(1010.0) == [] and engine.data_to_send() == b""  # one at a time
    assert engine.receive_data(wire({"id": "echo-1", "result": [], "error": None}),
                               1011.0) == []
    assert engine.tick(1015.9) == [] and engine.data_to_send() == b""
    assert engine.tick(1016.0) == []
    (second,) = sent(engine)
    assert second["id"] == "echo-2" and second["method"] == "echo"
    # A big reply can hold the echo reply back: any byte is a sign of life.
    engine.receive_data(b'{"id": 99, "result": "', 1030.0)
    assert engine.tick(1044.9) == []
    assert engine.tick(1045.0) == [Closed("no echo reply in 15 s (nothing heard for 15 s)")]
    assert engine.state == "closed" and engine.tick(1100.0) == []
    stats = engine.statistics()
    assert stats.echo_requests_sent == 2 and stats.sent == 2


def test_our_echo_ids_cannot_match_requests() -> None:
    engine = JsonRpcEngine(echo_interval=1.0)
    engine.tick(0.0)
    engine.tick(1.0)
    engine.data_to_send()
    assert engine.request("list_dbs", []) == 1
    events = engine.receive_data(wire({"id": "echo-2", "result": [], "error": None},
                                      {"id": "echo-1", "result": [], "error": None},
                                      {"id": "echo-1", "result": [], "error": None}))
    assert [type(e) for e in events] == [ProtocolViolation, ProtocolViolation]
    assert engine.pending() == {1: "list_dbs"}


# --- isolation and a real server -----------------------------------------------------


def test_the_engine_imports_neither_asyncio_nor_socket() -> None:
    # Load the engine's modules without the package's __init__ (the client there
    # uses asyncio, rightly).
    code = ("import os, sys, types, vlcp_core\n"
            "package = types.ModuleType('vlcp_core.ovsdb')\n"
            "package.__path__ = [os.path.join(os.path.dirname(vlcp_core.__file__), 'ovsdb')]\n"
            "sys.modules['vlcp_core.ovsdb'] = package\n"
            "from vlcp_core.ovsdb._jsonrpc import JsonRpcEngine\n"
            "JsonRpcEngine().request('list_dbs', [])\n"
            "bad = [m for m in ('asyncio', 'socket', 'selectors', 'ssl') if m in sys.modules]\n"
            "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, "PYTHONPATH": "."})


def test_against_a_real_ovsdb_server(lab: Lab) -> None:
    engine = JsonRpcEngine()
    list_dbs = engine.request("list_dbs", [])
    echo = engine.request("echo", ["ping", {"é": [1, "}"]}])
    schema = engine.request("get_schema", ["no-such-db"])
    unknown = engine.request("no_such_method", [])
    engine.notify("ignored", [])
    events: list[RpcEvent] = []
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(5)
        sock.connect(str(lab.db_path))
        sock.sendall(engine.data_to_send())
        while len(events) < 4:
            data = sock.recv(7)  # small reads: the replies arrive split
            assert data, f"ovsdb-server closed the connection; events so far: {events}"
            events += engine.receive_data(data)
    assert events[0] == Response(list_dbs, "list_dbs", ["Open_vSwitch", "_Server"])
    assert events[1] == Response(echo, "echo", ["ping", {"é": [1, "}"]}])
    assert isinstance(events[2], ErrorResponse) and events[2].id == schema
    assert events[2].error["error"] == "unknown database"
    assert events[3] == ErrorResponse(unknown, "no_such_method", "unknown method")
    assert engine.pending() == {} and engine.statistics().violations == 0
