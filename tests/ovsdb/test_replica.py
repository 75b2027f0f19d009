"""The replica: monitor requests, table updates (v1) and update2 diffs, RowChange
lists and events.

The update messages are those ovsdb-server 3.1 sent while ``ovs-vsctl`` changed a
lab's bridge ``br9`` (same shapes and values, shorter UUIDs)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from vlcp_core.event import EventMatcher
from vlcp_core.ovsdb._events import RowDeleted, RowInserted, RowModified
from vlcp_core.ovsdb._replica import Replica, ReplicaError, Row, RowChange, change_event
from vlcp_core.ovsdb._schema import DatabaseSchema

BR = "00000000-0000-0000-0000-0000000000b9"
P0, P1, P2 = (f"00000000-0000-0000-0000-00000000000{n}" for n in range(3))
I0 = "00000000-0000-0000-0000-0000000000f0"
COLUMNS = ["name", "ports", "external_ids", "fail_mode", "datapath_id", "stp_enable",
           "flood_vlans"]


def u(text: str) -> uuid.UUID:
    return uuid.UUID(text)


@pytest.fixture(scope="module")
def schema() -> DatabaseSchema:
    data = json.loads(Path("/usr/share/openvswitch/vswitch.ovsschema").read_text())
    return DatabaseSchema.from_json(data)


@pytest.fixture
def replica(schema: DatabaseSchema) -> Replica:
    return Replica(schema, {"Bridge": COLUMNS, "Port": ["name", "interfaces", "tag"]})


def inserted(replica: Replica) -> list[RowChange]:
    return replica.apply({
        "Bridge": {BR: {"insert": {"fail_mode": "secure", "name": "br9", "ports": [
            "set", [["uuid", P0], ["uuid", P1], ["uuid", P2]]]}}},
        "Port": {P0: {"insert": {"name": "br9", "interfaces": ["uuid", I0]}}}}, version=2)


# --- monitor requests ----------------------------------------------------------------------


def test_monitor_requests(schema: DatabaseSchema, replica: Replica) -> None:
    assert replica.monitor_requests() == {"Bridge": {"columns": COLUMNS},
                                          "Port": {"columns": ["name", "interfaces", "tag"]}}
    for version in (2, 3):
        assert replica.monitor_requests(version=version) == {
            "Bridge": [{"columns": COLUMNS}], "Port": [{"columns": ["name", "interfaces", "tag"]}]}
    every = Replica(schema, {"QoS": None}).monitor_requests()
    assert every == {"QoS": {"columns": ["type", "queues", "other_config", "external_ids"]}}


def test_monitor_conditions(replica: Replica) -> None:
    requests = replica.monitor_requests(version=2, conditions={
        "Bridge": [("name", "==", "br9"), ("ports", "includes", ["uuid", P0]), True],
        "Port": [("interfaces", "includes", u(I0)), ("tag", "==", ["set", []])]})
    assert requests == {
        "Bridge": [{"columns": COLUMNS, "where": [
            ["name", "==", "br9"], ["ports", "includes", ["set", [["uuid", P0]]]], True]}],
        "Port": [{"columns": ["name", "interfaces", "tag"], "where": [
            ["interfaces", "includes", ["set", [["uuid", I0]]]], ["tag", "==", ["set", []]]]}]}


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"version": 4}, "monitor version must be 1, 2 or 3, not 4"),
    ({"version": 1, "conditions": {"Bridge": [True]}}, r"monitor \(version 1\) takes no "
                                                       r"conditions"),
    ({"version": 2, "conditions": {"QoS": [True]}}, "QoS: conditions for a table the replica "
                                                    "does not monitor"),
    ({"version": 2, "conditions": {"Bridge": [("fail_mode", "==", "x")]}},
     r"monitor condition: Bridge\.fail_mode: 'x' is not one of secure, standalone"),
    ({"version": 2, "conditions": {"Bridge": ["name"]}}, r"Bridge: a monitor condition is"),
])
def test_monitor_request_errors(replica: Replica, kwargs: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        replica.monitor_requests(**kwargs)


def test_replica_checks_its_tables(schema: DatabaseSchema) -> None:
    with pytest.raises(ValueError, match=r"Bridge\.nmae: table Bridge has no column"):
        Replica(schema, {"Bridge": ["nmae"]})
    with pytest.raises(ValueError, match="has no table 'Brdge'"):
        Replica(schema, {"Brdge": None})
    with pytest.raises(ValueError, match="columns is a sequence of names"):
        Replica(schema, {"Bridge": "name"})


# --- update2 ------------------------------------------------------------------------------


def test_insert_fills_omitted_columns_with_defaults(replica: Replica) -> None:
    changes = inserted(replica)
    assert [(c.kind, c.table, c.uuid, c.old) for c in changes] == [
        ("insert", "Bridge", u(BR), None), ("insert", "Port", u(P0), None)]
    bridge = replica.tables["Bridge"][u(BR)]
    assert bridge is changes[0].row
    assert bridge.to_dict() == {"name": "br9", "ports": {u(P0), u(P1), u(P2)},
                                "external_ids": {}, "fail_mode": "secure", "datapath_id": None,
                                "stp_enable": False, "flood_vlans": frozenset()}
    assert replica.tables["Port"][u(P0)].to_dict() == {"name": "br9", "interfaces": {u(I0)},
                                                       "tag": None}


def modify(replica: Replica, row: dict[str, Any], version: int = 2) -> RowChange:
    changes = replica.apply({"Bridge": {BR: {"modify": row}}}, version=version)
    assert len(changes) == 1 and changes[0].kind == "modify"
    return changes[0]


@pytest.mark.parametrize("version", [2, 3])
def test_update2_modify_diffs(replica: Replica, version: int) -> None:
    inserted(replica)
    change = modify(replica, {"datapath_id": "2606f27c00000001"}, version)
    assert change.old == {"datapath_id": None} and change.row["datapath_id"] == \
        "2606f27c00000001"
    # set and map diffs from nothing: everything is added
    change = modify(replica, {"external_ids": ["map", [["a", "1"], ["b", "2"]]],
                              "flood_vlans": ["set", [1, 2, 3]], "stp_enable": True}, version)
    assert change.old == {"external_ids": {}, "flood_vlans": frozenset(), "stp_enable": False}
    assert (dict(change.row["external_ids"]), change.row["flood_vlans"]) == (
        {"a": "1", "b": "2"}, {1, 2, 3})
    # {1,2,3} -> {2,3,4}: the diff is {1,4}; a=1 -> a=9: the pair with the new value
    change = modify(replica, {"external_ids": ["map", [["a", "9"]]],
                              "flood_vlans": ["set", [1, 4]]}, version)
    assert change.row["flood_vlans"] == {2, 3, 4}
    assert change.row["external_ids"] == {"a": "9", "b": "2"}
    assert change.old == {"external_ids": {"a": "1", "b": "2"}, "flood_vlans": {1, 2, 3}}
    # a pair equal to the old one removes the key
    change = modify(replica, {"external_ids": ["map", [["b", "2"]]]}, version)
    assert change.row["external_ids"] == {"a": "9"}
    # an optional column carries its new value, empty or not
    assert modify(replica, {"fail_mode": "standalone"}, version).row["fail_mode"] == \
        "standalone"
    change = modify(replica, {"fail_mode": ["set", []]}, version)
    assert change.row["fail_mode"] is None and change.old == {"fail_mode": "standalone"}
    # a one-element set diff may come bare: the port leaves the bridge
    replica.apply({"Port": {P1: {"insert": {"name": "br9-eth1"}}}}, version=version)
    changes = replica.apply({"Bridge": {BR: {"modify": {"ports": ["uuid", P1]}}},
                             "Port": {P1: {"delete": None}}}, version=version)
    assert [(c.kind, c.table) for c in changes] == [("modify", "Bridge"), ("delete", "Port")]
    assert changes[0].row["ports"] == {u(P0), u(P2)}
    assert changes[0].old == {"ports": {u(P0), u(P1), u(P2)}}
    assert replica.tables["Bridge"][u(BR)].to_dict() == {
        "name": "br9", "ports": {u(P0), u(P2)}, "external_ids": {"a": "9"}, "fail_mode": None,
        "datapath_id": "2606f27c00000001", "stp_enable": True, "flood_vlans": {2, 3, 4}}


def test_map_diff_of_a_new_key_beside_old_ones(replica: Replica) -> None:
    inserted(replica)
    modify(replica, {"external_ids": ["map", [["a", "1"]]]})
    change = modify(replica, {"external_ids": ["map", [["b", "2"]]]})
    assert change.row["external_ids"] == {"a": "1", "b": "2"}


def test_delete(replica: Replica) -> None:
    inserted(replica)
    before = replica.tables["Bridge"][u(BR)]
    changes = replica.apply({"Bridge": {BR: {"delete": None}}}, version=2)
    assert changes == [RowChange("delete", "Bridge", u(BR), before)]
    assert replica.tables["Bridge"] == {}
    # a delete for a row the replica does not have changes nothing
    assert replica.apply({"Bridge": {BR: {"delete": None}}}, version=2) == []


def test_bad_updates_change_nothing(replica: Replica) -> None:
    inserted(replica)
    before = replica.dump()
    bad: list[tuple[dict[str, Any], str]] = [
        ({"Bridge": {BR: {"modify": {"name": "x"}}}, "Port": {P2: {"modify": {"tag": 5}}}},
         f"Port row {P2}: modify for a row the replica does not have"),
        ({"QoS": {}}, "QoS: update for a table the replica does not monitor"),
        ({"Bridge": {"not-a-uuid": {"delete": None}}}, "Bridge: 'not-a-uuid' is not a row UUID"),
        ({"Bridge": {BR: {"modify": {"nope": 1}}}}, rf"Bridge\.nope \(row {BR}\): no such "
                                                    "column"),
        ({"Bridge": {BR: {"modify": {"stp_enable": "yes"}}}},
         rf"Bridge\.stp_enable: expected a boolean, got str 'yes' \(row {BR}\)"),
        ({"Bridge": {BR: {"insert": {}, "delete": None}}}, "a <row-update2> has one of"),
        ({"Bridge": {BR: {"new": {}}}}, "a <row-update2> has one of initial, insert"),
    ]
    for updates, message in bad:
        with pytest.raises(ReplicaError, match=message):
            replica.apply(updates, version=2)
        assert replica.dump() == before
    with pytest.raises(ReplicaError, match="a version 1 <row-update> has old and/or new"):
        replica.apply({"Bridge": {BR: {"modify": {}}}}, version=1)
    with pytest.raises(ValueError, match="update version must be 1, 2 or 3"):
        replica.apply({}, version=0)


# --- update (version 1) ---------------------------------------------------------------------


def test_update_version_1(replica: Replica) -> None:
    new = {"name": "br9", "ports": ["set", [["uuid", P0]]], "external_ids": ["map", []],
           "fail_mode": "secure", "datapath_id": ["set", []], "stp_enable": False,
           "flood_vlans": ["set", []]}
    changes = replica.apply({"Bridge": {BR: {"new": new}}}, version=1)
    assert [c.kind for c in changes] == ["insert"]
    assert changes[0].row["ports"] == {u(P0)}
    # modify: "old" holds the changed columns' old values, "new" the whole new row
    changes = replica.apply({"Bridge": {BR: {
        "old": {"fail_mode": "secure", "flood_vlans": ["set", []]},
        "new": {**new, "fail_mode": ["set", []], "flood_vlans": ["set", [1, 2]]}}}}, version=1)
    assert changes[0].kind == "modify"
    assert changes[0].old == {"fail_mode": "secure", "flood_vlans": frozenset()}
    assert (changes[0].row["fail_mode"], changes[0].row["flood_vlans"]) == (None, {1, 2})
    last = changes[0].row
    changes = replica.apply({"Bridge": {BR: {"old": {**new}}}}, version=1)
    assert changes == [RowChange("delete", "Bridge", u(BR), last)]
    assert replica.tables["Bridge"] == {}


# --- initial content and resynchronisation ----------------------------------------------------


def test_apply_initial_replaces_the_content(replica: Replica) -> None:
    reply: dict[str, Any] = {
        "Port": {P0: {"initial": {"name": "brA"}}, P1: {"initial": {"name": "brB"}}},
        "Bridge": {BR: {"initial": {"name": "brA"}}}}
    changes = replica.apply_initial(reply, version=2)
    assert sorted((c.kind, c.table, str(c.uuid)) for c in changes) == [
        ("insert", "Bridge", BR), ("insert", "Port", P0), ("insert", "Port", P1)]
    # after a reconnection: brB's port is gone, brA changed, a new port appeared
    reply = {"Port": {P0: {"initial": {"name": "brA"}}, P2: {"initial": {"name": "brC"}}},
             "Bridge": {BR: {"initial": {"name": "brA", "external_ids": ["map", [["x", "1"]]]}}}}
    changes = replica.apply_initial(reply, version=2)
    assert [(c.kind, c.table, str(c.uuid), c.old) for c in changes] == [
        ("delete", "Port", P1, None), ("insert", "Port", P2, None),
        ("modify", "Bridge", BR, {"external_ids": {}})]
    assert set(replica.tables["Port"]) == {u(P0), u(P2)}
    # the same content again changes nothing; version 1's form gives the same rows
    assert replica.apply_initial(reply, version=3) == []
    v1 = {"Port": {P0: {"new": {"name": "brA"}}, P2: {"new": {"name": "brC"}}},
          "Bridge": {BR: {"new": {"name": "brA", "external_ids": ["map", [["x", "1"]]]}}}}
    assert replica.apply_initial(v1, version=1) == []
    # an empty reply empties the tables
    assert {c.kind for c in replica.apply_initial({}, version=2)} == {"delete"}
    assert replica.dump() == {"Bridge": {}, "Port": {}}


def test_clear_rows_and_dump(replica: Replica) -> None:
    inserted(replica)
    rows = replica.rows("Port")
    rows.clear()  # a copy
    assert list(replica.rows("Port")) == [u(P0)]
    assert replica.dump()["Port"] == {P0: {"name": "br9", "interfaces": {u(I0)}, "tag": None}}
    assert type(replica.dump()["Bridge"][BR]["external_ids"]) is dict
    replica.clear()
    assert replica.dump() == {"Bridge": {}, "Port": {}}
    assert [c.kind for c in inserted(replica)] == ["insert", "insert"]
    with pytest.raises(ValueError, match="QoS: the replica does not monitor this table"):
        replica.rows("QoS")


# --- rows and events --------------------------------------------------------------------------


def test_rows_are_immutable_snapshots(replica: Replica) -> None:
    inserted(replica)
    modify(replica, {"external_ids": ["map", [["a", "1"]]]})
    first = replica.tables["Bridge"][u(BR)]
    modify(replica, {"external_ids": ["map", [["b", "2"]]]})
    second = replica.tables["Bridge"][u(BR)]
    assert first["external_ids"] == {"a": "1"} and second["external_ids"] == {"a": "1", "b": "2"}
    with pytest.raises(TypeError):
        first["external_ids"]["c"] = "3"
    with pytest.raises(AttributeError, match="Row is immutable"):
        first.table = "x"
    with pytest.raises(KeyError, match=r"Bridge\.mtu: not a monitored column"):
        first["mtu"]
    assert first.uuid == u(BR) and first.table == "Bridge" and len(first) == len(COLUMNS)
    assert first != second and first == Row("Bridge", u(BR), first.to_dict())
    assert first != Row("Port", u(BR), first.to_dict())
    assert first == first.to_dict()
    assert repr(Row("Port", u(P0), {"name": "x"})) == f"Row('Port', {P0}, {{'name': 'x'}})"


def test_change_events(replica: Replica) -> None:
    ins = inserted(replica)[0]
    mod = modify(replica, {"stp_enable": True})
    dele = replica.apply({"Bridge": {BR: {"delete": None}}}, version=2)[0]
    events = [change_event("Open_vSwitch", c) for c in (ins, mod, dele)]
    assert events == [RowInserted("Open_vSwitch", "Bridge", u(BR), ins.row),
                      RowModified("Open_vSwitch", "Bridge", u(BR), mod.row,
                                  {"stp_enable": False}),
                      RowDeleted("Open_vSwitch", "Bridge", u(BR), dele.row)]
    assert RowModified.event_index == ("database", "table", "uuid")
    matcher = EventMatcher(RowModified, table="Bridge", uuid=u(BR))
    assert matcher.matches(events[1]) and not matcher.matches(events[0])
    with pytest.raises(ValueError, match="unknown change kind 'upsert'"):
        change_event("db", RowChange("upsert", "Bridge", u(BR), ins.row))
