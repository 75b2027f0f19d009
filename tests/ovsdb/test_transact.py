"""The transaction builder's JSON (RFC 7047 section 5.2) and result mapping.

Results and error objects below are what ovsdb-server 3.1 answered to the same
operations (run with ``ovsdb-client transact`` against a lab)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from vlcp_core.ovsdb._schema import DatabaseSchema, NamedUUID, ValueConversionError
from vlcp_core.ovsdb._transact import (
    OperationResult,
    Transaction,
    TransactionError,
    condition_to_wire,
    inserted_uuids,
    parse_results,
)

U1 = uuid.UUID("11111111-2222-3333-4444-555555555555")
U2 = uuid.UUID("988b23e9-d214-4800-9a66-5620e080860f")


@pytest.fixture(scope="module")
def schema() -> DatabaseSchema:
    data = json.loads(Path("/usr/share/openvswitch/vswitch.ovsschema").read_text())
    return DatabaseSchema.from_json(data)


@pytest.fixture
def txn(schema: DatabaseSchema) -> Transaction:
    return Transaction(schema)


# --- the JSON of every operation ---------------------------------------------------------


def test_insert(txn: Transaction) -> None:
    first = txn.insert("QoS", {"type": "linux-htb", "other_config": {"max-rate": "1000"}})
    second = txn.insert("Queue", {"dscp": 5}, uuid_name="q")
    third = txn.insert("Queue", {})
    assert (first, second, third) == ("row1", "q", "row2")
    assert isinstance(first, NamedUUID)
    assert txn.operations() == [
        {"op": "insert", "table": "QoS", "uuid-name": "row1",
         "row": {"type": "linux-htb", "other_config": ["map", [["max-rate", "1000"]]]}},
        {"op": "insert", "table": "Queue", "row": {"dscp": 5}, "uuid-name": "q"},
        {"op": "insert", "table": "Queue", "row": {}, "uuid-name": "row2"},
    ]
    assert len(txn) == 3 and txn.named_uuids == {"row1": 0, "q": 1, "row2": 2}


def test_insert_skips_names_taken_and_takes_a_uuid(txn: Transaction) -> None:
    txn.insert("QoS", {}, uuid_name="row1")
    assert txn.insert("QoS", {}) == "row2"
    txn.insert("QoS", {"type": "x"}, uuid=U1)
    assert txn.operations()[2]["uuid"] == str(U1)  # a plain string, as ovsdb-server wants
    with pytest.raises(ValueError, match=r"operation 4 \(insert QoS\): uuid-name 'row1' is "
                                         r"already used by operation 1"):
        txn.insert("QoS", {}, uuid_name="row1")
    with pytest.raises(ValueError, match="named-uuid 'a-b' is not an <id>"):
        txn.insert("QoS", {}, uuid_name="a-b")


def test_named_uuids_reference_inserted_rows(txn: Transaction) -> None:
    queue = txn.insert("Queue", {"dscp": 1})
    qos = txn.insert("QoS", {"type": "linux-htb", "queues": {0: queue}})
    txn.mutate("Port", [("name", "==", "p1")], [("qos", "insert", qos)])
    ops = txn.operations()
    assert ops[1]["row"]["queues"] == ["map", [[0, ["named-uuid", "row1"]]]]
    assert ops[2]["mutations"] == [["qos", "insert", ["named-uuid", "row2"]]]


def test_undeclared_named_uuid_is_caught(txn: Transaction) -> None:
    # ovsdb-server would silently match nothing here (or fail at commit).
    txn.select("QoS", [("_uuid", "==", NamedUUID("nope"))])
    with pytest.raises(ValueError, match=r"operation 1 \(select QoS\): named-uuid 'nope' is "
                                         r"not inserted by this transaction"):
        txn.operations()
    txn.insert("QoS", {}, uuid_name="nope")  # a later insert declares it: fine
    assert len(txn.operations()) == 2


def test_select(txn: Transaction) -> None:
    assert txn.select("Bridge") == 0
    assert txn.select("Bridge", [("name", "==", "br0"), ("_uuid", "!=", U1)],
                      ["name", "_uuid"]) == 1
    assert txn.operations() == [
        {"op": "select", "table": "Bridge", "where": []},
        {"op": "select", "table": "Bridge", "where": [["name", "==", "br0"],
                                                      ["_uuid", "!=", ["uuid", str(U1)]]],
         "columns": ["name", "_uuid"]},
    ]


def test_update_mutate_delete(txn: Transaction) -> None:
    where = [("name", "==", "br0")]
    assert txn.update("Bridge", where, {"fail_mode": "secure", "flood_vlans": {1, 2}}) == 0
    assert txn.mutate("Bridge", where, [("external_ids", "insert", {"a": "1"}),
                                        ("external_ids", "delete", {"b"}),
                                        ("flood_vlans", "delete", {7}),
                                        ("flood_vlans", "+=", 1)]) == 1
    assert txn.delete("Bridge", where) == 2
    wire_where = [["name", "==", "br0"]]
    assert txn.operations() == [
        {"op": "update", "table": "Bridge", "where": wire_where,
         "row": {"fail_mode": "secure", "flood_vlans": ["set", [1, 2]]}},
        {"op": "mutate", "table": "Bridge", "where": wire_where, "mutations": [
            ["external_ids", "insert", ["map", [["a", "1"]]]],
            ["external_ids", "delete", ["set", ["b"]]],
            ["flood_vlans", "delete", ["set", [7]]],
            ["flood_vlans", "+=", 1]]},
        {"op": "delete", "table": "Bridge", "where": wire_where},
    ]


def test_wait_commit_abort_comment_assert(txn: Transaction) -> None:
    txn.wait("QoS", [], ["type"], "==", [{"type": "linux-htb"}], timeout=0)
    txn.wait("Bridge", [("name", "==", "br0")], ["fail_mode"], "!=", [{"fail_mode": None}])
    txn.commit(durable=True)
    txn.commit()
    txn.abort()
    txn.comment("made by a test")
    txn.assert_lock("my_lock")
    assert txn.operations() == [
        {"op": "wait", "table": "QoS", "where": [], "columns": ["type"], "until": "==",
         "rows": [{"type": "linux-htb"}], "timeout": 0},
        {"op": "wait", "table": "Bridge", "where": [["name", "==", "br0"]],
         "columns": ["fail_mode"], "until": "!=", "rows": [{"fail_mode": ["set", []]}]},
        {"op": "commit", "durable": True},
        {"op": "commit", "durable": False},
        {"op": "abort"},
        {"op": "comment", "comment": "made by a test"},
        {"op": "assert", "lock": "my_lock"},
    ]
    assert [txn.label(i) for i in range(3)] == ["wait QoS", "wait Bridge", "commit"]


def test_operations_returns_copies(txn: Transaction) -> None:
    txn.comment("x")
    txn.operations()[0]["comment"] = "changed"
    assert txn.operations()[0]["comment"] == "x"


# --- conditions ---------------------------------------------------------------------------


@pytest.mark.parametrize(("condition", "wire"), [
    (("ports", "includes", U1), ["ports", "includes", ["set", [["uuid", str(U1)]]]]),
    (("ports", "==", set()), ["ports", "==", ["set", []]]),
    (("flood_vlans", "excludes", {1, 2}), ["flood_vlans", "excludes", ["set", [1, 2]]]),
    (("external_ids", "includes", {"a": "1"}),
     ["external_ids", "includes", ["map", [["a", "1"]]]]),
    (("fail_mode", "==", None), ["fail_mode", "==", ["set", []]]),
    (("fail_mode", "excludes", {"secure", "standalone"}),
     ["fail_mode", "excludes", ["set", ["secure", "standalone"]]]),
    (("fail_mode", "includes", set()), ["fail_mode", "includes", ["set", []]]),
    (("stp_enable", "!=", True), ["stp_enable", "!=", True]),
    (True, True),
])
def test_conditions(schema: DatabaseSchema, condition: Any, wire: Any) -> None:
    assert condition_to_wire(schema.tables["Bridge"], condition) == wire


def test_ordering_conditions(schema: DatabaseSchema) -> None:
    interface = schema.tables["Interface"]
    assert condition_to_wire(interface, ("ofport_request", "<", 10)) == \
        ["ofport_request", "<", 10]
    assert condition_to_wire(interface, ("mtu", ">=", 1500)) == ["mtu", ">=", 1500]
    # ovsdb-server: "set must have exactly one member but 0 are present"
    with pytest.raises(ValueConversionError, match=r"Interface\.ofport_request: expected an "
                                                   r"integer, got NoneType"):
        condition_to_wire(interface, ("ofport_request", "<", None))


@pytest.mark.parametrize(("table", "condition", "message"), [
    # ovsdb-server: '70000 is not in the valid range 1 to 65279 (inclusive)', also for "<"
    ("Interface", ("ofport_request", "<", 70000),
     r"Interface\.ofport_request: 70000 is not in the range 1\.\.65279"),
    # ovsdb-server: 'bogus is not one of the allowed values ([secure, standalone])'
    ("Bridge", ("fail_mode", "==", "bogus"), "Bridge.fail_mode: 'bogus' is not one of secure"),
    # ovsdb-server: 'set must have 0 to 1 members but 2 are present'
    ("Bridge", ("fail_mode", "includes", {"secure", "standalone"}),
     r"Bridge\.fail_mode: 2 elements, not 0\.\.1"),
    # ovsdb-server: 'set must have 1 to 4294967295 members but 0 are present'
    ("Port", ("interfaces", "==", set()), r"Port\.interfaces: 0 elements, not at least 1"),
    # ovsdb-server: 'Type mismatch: "<" operator may not be applied to column ports ...'
    ("Bridge", ("ports", "<", 1), r"Bridge\.ports: '<' applies only to a scalar or optional "
                                  r"integer or real column"),
    ("Bridge", ("name", "<", "b"), r"Bridge\.name: '<' applies only"),
    ("Bridge", ("name", "like", "b"), r"Bridge\.name: unknown function 'like' \(one of ==, "),
    ("Bridge", ("nmae", "==", "b"), r"table Bridge has no column 'nmae' \(did you mean "
                                    r"'name'\?\)"),
    ("Bridge", ("name", "=="), r"Bridge: a condition is \(column, function, value\)"),
])
def test_bad_conditions(schema: DatabaseSchema, table: str, condition: Any, message: str
                        ) -> None:
    with pytest.raises(ValueError, match=message):
        condition_to_wire(schema.tables[table], condition)


def test_a_lone_condition_must_be_in_a_list(txn: Transaction) -> None:
    with pytest.raises(ValueError, match=r"operation 1 \(select Bridge\): 'where' is a "
                                         r"sequence of conditions; wrap"):
        txn.select("Bridge", ("name", "==", "br0"))  # type: ignore[arg-type]


# --- names and values are checked as operations are added ---------------------------------


@pytest.mark.parametrize(("call", "message"), [
    (lambda t: t.insert("Brige", {}), r"operation 1 \(insert Brige\): Brige: database "
                                      r"Open_vSwitch has no table 'Brige' \(did you mean"),
    (lambda t: t.insert("Bridge", {"nme": "x"}), r"operation 1 \(insert Bridge\): "
                                                 r"Bridge\.nme: table Bridge has no column"),
    (lambda t: t.insert("Bridge", {"fail_mode": "bogus"}),
     r"operation 1 \(insert Bridge\): Bridge\.fail_mode: 'bogus' is not one of secure, "
     r"standalone"),
    (lambda t: t.insert("Bridge", {"_uuid": U1}), r"Bridge\._uuid cannot be written"),
    (lambda t: t.insert("Interface", {"ofport_request": 0}),
     r"Interface\.ofport_request: 0 is not in the range 1\.\.65279"),
    # ovsdb-server: 'Cannot update immutable column name in table Bridge.'
    (lambda t: t.update("Bridge", [], {"name": "x"}), r"operation 1 \(update Bridge\): "
                                                      r"Bridge\.name is immutable"),
    (lambda t: t.update("Bridge", [], {"_version": U1}), r"Bridge\._version cannot be written"),
    # ovsdb-server: 'Cannot mutate immutable column name in table Bridge.'
    (lambda t: t.mutate("Bridge", [], [("name", "insert", "y")]),
     r"Bridge\.name is immutable and cannot be mutated"),
    (lambda t: t.mutate("Bridge", [], [("flood_vlans", "append", 1)]),
     r"Bridge\.flood_vlans: unknown mutator 'append' \(one of \+=, -=,"),
    (lambda t: t.mutate("Bridge", [], [("external_ids", "+=", 1)]),
     r"Bridge\.external_ids: '\+=' applies only to integer or real columns that are not maps"),
    (lambda t: t.mutate("Bridge", [], [("fail_mode", "+=", 1)]),
     r"Bridge\.fail_mode: '\+=' applies only"),
    (lambda t: t.mutate("Interface", [], [("ofport_request", "/=", 0)]),
     r"Interface\.ofport_request: /= 0 divides by zero"),
    (lambda t: t.mutate("Bridge", [], [("stp_enable", "insert", True)]),
     r"Bridge\.stp_enable: 'insert' applies only to set and map columns"),
    # ovsdb-server: 'set must have 0 to 1 members but 2 are present'
    (lambda t: t.mutate("Bridge", [], [("fail_mode", "insert", {"secure", "standalone"})]),
     r"Bridge\.fail_mode: 2 elements, not 0\.\.1"),
    # ovsdb-server: 'bogus is not one of the allowed values ([secure, standalone])'
    (lambda t: t.mutate("Bridge", [], [("fail_mode", "delete", "bogus")]),
     r"Bridge\.fail_mode: 'bogus' is not one of"),
    # ovsdb-server: 'expected string'
    (lambda t: t.mutate("QoS", [], [("external_ids", "delete", {1})]),
     r"QoS\.external_ids key: expected a string, got int 1"),
    (lambda t: t.mutate("QoS", [], [("external_ids", "insert")]),
     r"QoS: a mutation is \(column, mutator, value\)"),
    (lambda t: t.select("Bridge", [], ["name", "nope"]), r"Bridge\.nope: table Bridge has no"),
    (lambda t: t.select("Bridge", [], "name"), r"columns is a sequence of names"),
    (lambda t: t.wait("QoS", [], ["type"], "<", []), r"until must be '==' or '!='"),
    (lambda t: t.wait("QoS", [], ["type"], "==", [{"type": "x", "queues": {}}]),
     r"every row must have exactly the columns \['type'\]"),
    (lambda t: t.wait("QoS", [], ["type"], "==", [], timeout=-1), r"timeout is a number of "
                                                                   r"milliseconds"),
    (lambda t: t.comment(5), r"operation 1 \(comment\): the comment must be a string"),
    (lambda t: t.assert_lock(""), r"operation 1 \(assert\): a lock is a name"),
])
def test_mistakes_raise_when_the_operation_is_added(txn: Transaction, call: Any,
                                                    message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call(txn)
    assert len(txn) == 0


def test_arithmetic_operand_is_not_range_checked(txn: Transaction) -> None:
    # the server checks the result (1 + -1 would be out of range, not -1 itself)
    txn.mutate("Interface", [], [("ofport_request", "+=", -1), ("mtu_request", "*=", 2)])
    assert txn.operations()[0]["mutations"] == [["ofport_request", "+=", -1],
                                                ["mtu_request", "*=", 2]]
    with pytest.raises(ValueError, match=r"Interface\.ofport_request: expected an integer, got "
                                         r"float"):
        txn.mutate("Interface", [], [("ofport_request", "%=", 2.5)])


def test_map_delete_by_keys_or_pairs(txn: Transaction) -> None:
    txn.mutate("QoS", [], [("other_config", "delete", {"max-rate"}),
                           ("other_config", "delete", {"min-rate": "5"}),
                           ("queues", "delete", [3])])
    assert txn.operations()[0]["mutations"] == [
        ["other_config", "delete", ["set", ["max-rate"]]],
        ["other_config", "delete", ["map", [["min-rate", "5"]]]],
        ["queues", "delete", ["set", [3]]]]


# --- results ----------------------------------------------------------------------------------


def _probe_transaction(schema: DatabaseSchema) -> Transaction:
    txn = Transaction(schema)
    qos = txn.insert("QoS", {"type": "linux-htb", "other_config": {"max-rate": "1000"},
                             "external_ids": {"a": "1"}})
    txn.mutate("QoS", [("_uuid", "==", qos)], [("external_ids", "insert", {"b": "2"}),
                                               ("other_config", "delete", {"max-rate"})])
    txn.select("QoS", [("_uuid", "==", qos)])
    txn.comment("probe")
    txn.commit()
    return txn


def test_results_map_onto_operations(schema: DatabaseSchema) -> None:
    txn = _probe_transaction(schema)
    reply = [  # ovsdb-server's answer to exactly these operations
        {"uuid": ["uuid", str(U2)]}, {"count": 1},
        {"rows": [{"_uuid": ["uuid", str(U2)], "_version": ["uuid", str(U1)],
                   "external_ids": ["map", [["a", "1"], ["b", "2"]]],
                   "other_config": ["map", []], "queues": ["map", []], "type": "linux-htb"}]},
        {}, {}]
    results = parse_results(txn, reply)
    assert results == [
        OperationResult(0, "insert", uuid=U2),
        OperationResult(1, "mutate", count=1),
        OperationResult(2, "select", rows=[{"_uuid": U2, "_version": U1,
                                            "external_ids": {"a": "1", "b": "2"},
                                            "other_config": {}, "queues": {},
                                            "type": "linux-htb"}]),
        OperationResult(3, "comment"), OperationResult(4, "commit")]
    assert inserted_uuids(txn, results) == {"row1": U2}


def test_error_in_the_third_operation(schema: DatabaseSchema) -> None:
    txn = Transaction(schema)
    txn.insert("Bridge", {"name": "x"})
    txn.comment("second")
    txn.mutate("Bridge", [], [("flood_vlans", "insert", {1})])
    txn.commit()
    error = {"error": "constraint violation",
             "details": "Cannot mutate immutable column name in table Bridge."}
    with pytest.raises(TransactionError) as info:
        parse_results(txn, [{"uuid": ["uuid", str(U1)]}, {}, error, None])
    exc = info.value
    assert exc.index == 2 and exc.op == txn.operations()[2]
    assert (exc.error, exc.details) == ("constraint violation", error["details"])
    assert str(exc) == ("operation 3 (mutate Bridge): constraint violation: Cannot mutate "
                        "immutable column name in table Bridge.")


def test_error_at_commit_is_the_extra_result(schema: DatabaseSchema) -> None:
    txn = Transaction(schema)
    txn.insert("Port", {"name": "p1", "interfaces": {U1}})
    details = ("Table Port column interfaces row bf403e38-9c32-47b1-8350-d36747c1e2de "
               "references nonexistent row 11111111-2222-3333-4444-555555555555 in table "
               "Interface.")
    reply = [{"uuid": ["uuid", str(U2)]},
             {"details": details, "error": "referential integrity violation"}]
    with pytest.raises(TransactionError) as info:
        parse_results(txn, reply)
    assert info.value.index is None and info.value.op is None
    assert str(info.value) == ("transaction failed after its last operation: referential "
                               f"integrity violation: {details}")


def test_abort_and_errors_without_details(schema: DatabaseSchema) -> None:
    txn = Transaction(schema)
    txn.abort()
    txn.comment("x")
    with pytest.raises(TransactionError, match=r"^operation 1 \(abort\): aborted: aborted by "
                                               r"request$"):
        parse_results(txn, [{"details": "aborted by request", "error": "aborted"}, None])
    txn = Transaction(schema)
    txn.assert_lock("foo")
    with pytest.raises(TransactionError, match=r"^operation 1 \(assert\): not owner$") as info:
        parse_results(txn, [{"error": "not owner"}])
    assert info.value.details == ""


@pytest.mark.parametrize(("reply", "message"), [
    ([{}], "transact reply has 1 results for 2 operations"),
    ([{}, {}, {}, {}], "transact reply has 4 results for 2 operations"),
    ({"error": "x"}, "transact reply has dict results for 2 operations"),
    ([{}, {}, {}], r"extra result \{\} after the last operation is not an error"),
    ([{}, None], r"operation 2 \(commit\) has the result None, yet no earlier operation"),
    ([{"rows": [{"bogus": 1}]}, {}], r"operation 1 \(select QoS\) result: QoS has no column"),
    ([{"rows": [{"type": 1}]}, {}], r"operation 1 \(select QoS\) result: QoS\.type: expected"),
])
def test_malformed_replies(schema: DatabaseSchema, reply: Any, message: str) -> None:
    txn = Transaction(schema)
    txn.select("QoS")
    txn.commit()
    with pytest.raises(ValueError, match=message):
        parse_results(txn, reply)


def test_count_and_uuid_must_be_well_formed(schema: DatabaseSchema) -> None:
    txn = Transaction(schema)
    txn.delete("QoS", [])
    with pytest.raises(ValueError, match=r"operation 1 \(delete QoS\) result: count 'x'"):
        parse_results(txn, [{"count": "x"}])
    txn = Transaction(schema)
    txn.insert("QoS", {})
    with pytest.raises(ValueError, match=r"operation 1 \(insert QoS\) result: .*is not a <uuid>"):
        parse_results(txn, [{"uuid": "nope"}])
