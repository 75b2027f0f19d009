"""OVSDB schemas and value conversion, on the real Open_vSwitch schema (8.3.1) and
small schemas for what it lacks (reals, string lengths)."""

from __future__ import annotations

import copy
import json
import math
import uuid
from pathlib import Path
from typing import Any

import pytest

from vlcp_core.ovsdb._schema import (
    BaseType,
    ColumnType,
    DatabaseSchema,
    NamedUUID,
    SchemaError,
    ValueConversionError,
    atom_from_wire,
    atom_to_wire,
    default_value,
    from_wire,
    to_wire,
)

VSWITCH = Path("/usr/share/openvswitch/vswitch.ovsschema")
U1 = uuid.UUID("11111111-2222-3333-4444-555555555555")
U2 = uuid.UUID("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(VSWITCH.read_text())
    return data


@pytest.fixture(scope="module")
def schema(raw: dict[str, Any]) -> DatabaseSchema:
    return DatabaseSchema.from_json(raw)


def small(columns: dict[str, Any]) -> DatabaseSchema:
    return DatabaseSchema.from_json({"name": "T", "version": "1.0.0",
                                     "tables": {"t": {"columns": columns}}})


# --- the schema ------------------------------------------------------------------------


def test_vswitch_schema_reads_as_the_file_says(schema: DatabaseSchema, raw: dict[str, Any]
                                               ) -> None:
    assert (schema.name, schema.version, schema.cksum) == ("Open_vSwitch", "8.3.1",
                                                           raw["cksum"])
    assert set(schema.tables) == set(raw["tables"])
    bridge = schema.tables["Bridge"]
    assert list(bridge.columns)[:2] == ["_uuid", "_version"]
    assert set(bridge.user_columns) == set(raw["tables"]["Bridge"]["columns"])
    assert bridge.columns["_uuid"].type.is_scalar and bridge.columns["_uuid"].type.key.atomic \
        == "uuid"
    assert bridge.indexes == [["name"]] and not bridge.is_root and bridge.max_rows is None
    ovs = schema.tables["Open_vSwitch"]
    assert ovs.is_root and ovs.max_rows == 1
    assert schema.tables["Flow_Sample_Collector_Set"].indexes == [["id", "bridge"]]


def test_column_types(schema: DatabaseSchema) -> None:
    bridge = schema.tables["Bridge"].columns
    assert bridge["name"].type.is_scalar and not bridge["name"].mutable
    fail_mode = bridge["fail_mode"]
    assert fail_mode.type.is_optional and fail_mode.type.key.enum == frozenset(
        {"secure", "standalone"})
    assert fail_mode.label == "Bridge.fail_mode"
    ports = bridge["ports"].type
    assert ports.is_set and ports.max == math.inf and ports.min == 0
    assert (ports.key.ref_table, ports.key.ref_type) == ("Port", "strong")
    assert bridge["external_ids"].type.is_map and bridge["external_ids"].type.kind == "map"
    assert bridge["datapath_id"].ephemeral
    ofport_request = schema.tables["Interface"].columns["ofport_request"].type.key
    assert (ofport_request.min_integer, ofport_request.max_integer) == (1, 65279)
    queues = schema.tables["QoS"].columns["queues"].type
    assert queues.value is not None and queues.value.ref_table == "Queue"
    assert queues.key.max_integer == 4294967295
    mirrors = schema.tables["Mirror"].columns["select_src_port"].type.key
    assert (mirrors.ref_table, mirrors.ref_type) == ("Port", "weak")
    kinds = {c.type.kind for t in schema.tables.values() for c in t.columns.values()}
    assert kinds == {"scalar", "optional", "set", "map"}


def test_no_root_table_makes_every_table_root() -> None:
    schema = DatabaseSchema.from_json({"name": "T", "version": "1.0.0", "tables": {
        "a": {"columns": {"x": {"type": "integer"}}}, "b": {"columns": {}}}})
    assert schema.tables["a"].is_root and schema.tables["b"].is_root
    schema = DatabaseSchema.from_json({"name": "T", "version": "1.0.0", "tables": {
        "a": {"columns": {}, "isRoot": True}, "b": {"columns": {}}}})
    assert schema.tables["a"].is_root and not schema.tables["b"].is_root


def _broken(raw: dict[str, Any], table: str, column: str, type_: Any) -> dict[str, Any]:
    data = copy.deepcopy(raw)
    data["tables"][table]["columns"][column] = {"type": type_}
    return data


@pytest.mark.parametrize(("type_", "message"), [
    ("text", "Bridge.name: unknown atomic type 'text'"),
    ({"key": "string", "min": 2}, "Bridge.name: min must be 0 or 1"),
    ({"key": "string", "max": 0}, "Bridge.name: max must be a positive integer"),
    ({"key": {"type": "uuid", "refTable": "Nope"}}, "Bridge.name: refTable 'Nope' is not a "
                                                    "table"),
    ({"key": {"type": "uuid", "refTable": "Port", "refType": "soft"}},
     "Bridge.name: refType must be strong or weak"),
    ({"key": {"type": "integer", "minInteger": 5, "maxInteger": 1}},
     "Bridge.name: minInteger 5 exceeds maxInteger 1"),
    ({"key": {"type": "string", "minInteger": 1}}, "'minInteger' is not allowed in a string"),
    ({"key": {"type": "string", "enum": ["set", ["a", 1]]}}, "Bridge.name enum: expected a "
                                                            "string, got int 1"),
    ({"key": "string", "value": "blob", "max": "unlimited"}, "Bridge.name value: unknown "
                                                             "atomic type 'blob'"),
])
def test_bad_schema_names_table_and_column(raw: dict[str, Any], type_: Any, message: str
                                           ) -> None:
    with pytest.raises(SchemaError) as info:
        DatabaseSchema.from_json(_broken(raw, "Bridge", "name", type_))
    assert message in str(info.value)


def test_bad_schema_names_and_members(raw: dict[str, Any]) -> None:
    data = copy.deepcopy(raw)
    data["tables"]["Port"]["columns"]["_secret"] = {"type": "string"}
    with pytest.raises(SchemaError, match=r"Port\._secret: a column name must be an <id> not"):
        DatabaseSchema.from_json(data)
    data = copy.deepcopy(raw)
    data["tables"]["Port"]["indexes"] = [["name", "nope"]]
    with pytest.raises(SchemaError, match=r"Port\.nope: index"):
        DatabaseSchema.from_json(data)
    data = copy.deepcopy(raw)
    data["tables"]["Port"]["maxRows"] = 0
    with pytest.raises(SchemaError, match="Port: maxRows must be a positive integer"):
        DatabaseSchema.from_json(data)
    with pytest.raises(SchemaError, match="version 'one' is not"):
        DatabaseSchema.from_json({**raw, "version": "one"})


def test_lookup_errors_suggest(schema: DatabaseSchema) -> None:
    with pytest.raises(ValueError, match=r"Bridge\.fail_mod: table Bridge has no column "
                                         r"'fail_mod' \(did you mean 'fail_mode'\?\)"):
        schema.tables["Bridge"].column("fail_mod")
    with pytest.raises(ValueError, match=r"database Open_vSwitch has no table 'Brige' \(did "
                                         r"you mean 'Bridge'\?\)"):
        schema.table("Brige")


# --- values ------------------------------------------------------------------------------


def col(schema: DatabaseSchema, name: str) -> Any:
    table, column = name.split(".")
    return schema.tables[table].columns[column]


@pytest.mark.parametrize(("column", "python", "wire"), [
    ("Bridge.name", "br0", "br0"),                                      # string scalar
    ("Bridge.stp_enable", True, True),                                  # boolean scalar
    ("Port.bond_updelay", 200, 200),                                    # integer scalar
    ("Bridge.fail_mode", "secure", "secure"),                           # optional with a value
    ("Bridge.fail_mode", None, ["set", []]),                            # optional, empty
    ("Interface.ofport_request", 1, 1),                                 # range, lowest
    ("Interface.ofport_request", 65279, 65279),                         # range, highest
    ("Bridge.flood_vlans", frozenset({3, 1, 2}), ["set", [1, 2, 3]]),   # set, sorted
    ("Bridge.flood_vlans", frozenset(), ["set", []]),
    ("Bridge.ports", frozenset({U2, U1}),
     ["set", [["uuid", str(U1)], ["uuid", str(U2)]]]),                  # set of uuids
    ("Port.qos", U1, ["uuid", str(U1)]),                                # optional uuid
    ("Bridge.external_ids", {"b": "2", "a": "1"},
     ["map", [["a", "1"], ["b", "2"]]]),                                # map, sorted by key
    ("Bridge.external_ids", {}, ["map", []]),
    ("QoS.queues", {0: U1, 7: U2},
     ["map", [[0, ["uuid", str(U1)]], [7, ["uuid", str(U2)]]]]),        # integer -> uuid map
])
def test_round_trip(schema: DatabaseSchema, column: str, python: Any, wire: Any) -> None:
    c = col(schema, column)
    assert to_wire(c, python) == wire
    back = from_wire(c, wire)
    assert back == python and type(back) is type(python)


def test_inputs_accepted_besides_the_canonical_ones(schema: DatabaseSchema) -> None:
    flood = col(schema, "Bridge.flood_vlans")
    assert to_wire(flood, [2, 1, 2]) == ["set", [1, 2]]          # list, duplicates dropped
    assert to_wire(flood, (5,)) == ["set", [5]]
    assert to_wire(flood, 5) == ["set", [5]]                     # a bare atom is one element
    assert to_wire(col(schema, "Bridge.fail_mode"), {"secure"}) == "secure"
    assert to_wire(col(schema, "Bridge.fail_mode"), set()) == ["set", []]


def test_wire_forms_the_server_may_send(schema: DatabaseSchema) -> None:
    assert from_wire(col(schema, "Bridge.ports"), ["uuid", str(U1)]) == {U1}   # bare element
    assert from_wire(col(schema, "Bridge.name"), ["set", ["br0"]]) == "br0"
    assert from_wire(col(schema, "Bridge.fail_mode"), ["set", ["secure"]]) == "secure"
    assert from_wire(col(schema, "Bridge._uuid"), ["uuid", str(U1)]) == U1
    real = DatabaseSchema.from_json({"name": "T", "version": "1.0.0", "tables": {
        "t": {"columns": {"r": {"type": "real"}}}}}).tables["t"].columns["r"]
    value = from_wire(real, 3)
    assert value == 3.0 and isinstance(value, float)


def test_named_uuid(schema: DatabaseSchema) -> None:
    name = NamedUUID("row1")
    assert name == "row1" and isinstance(name, str) and repr(name) == "NamedUUID('row1')"
    assert to_wire(col(schema, "Port.qos"), name) == ["named-uuid", "row1"]
    assert to_wire(col(schema, "Bridge.ports"), {name, U1}) == [
        "set", [["uuid", str(U1)], ["named-uuid", "row1"]]]
    assert from_wire(col(schema, "Port.qos"), ["named-uuid", "row1"]) == NamedUUID("row1")
    with pytest.raises(ValueError, match="named-uuid '1row' is not an <id>"):
        NamedUUID("1row")


@pytest.mark.parametrize(("column", "value", "message"), [
    ("Bridge.fail_mode", "bogus", "Bridge.fail_mode: 'bogus' is not one of secure, standalone"),
    ("Interface.ofport_request", 0, "Interface.ofport_request: 0 is not in the range 1..65279"),
    ("Interface.ofport_request", 65280, "Interface.ofport_request: 65280 is not in the range "
                                        "1..65279"),
    ("Interface.ofport_request", "1", "Interface.ofport_request: expected an integer, got str"),
    ("Interface.ofport_request", True, "expected an integer, got bool True"),
    ("Bridge.name", 5, "Bridge.name: expected a string, got int 5"),
    ("Bridge.stp_enable", 1, "Bridge.stp_enable: expected a boolean, got int 1"),
    ("Port.qos", str(U1), "Port.qos: expected a uuid.UUID or NamedUUID, got str"),
    ("Bridge.name", None, "Bridge.name: expected a string, got NoneType None"),
    ("Bridge.fail_mode", ["secure", "standalone"], "Bridge.fail_mode: 2 elements, not 0..1"),
    ("Port.interfaces", set(), "Port.interfaces: 0 elements, not at least 1"),
    ("Bridge.flood_vlans", {4096}, "Bridge.flood_vlans: 4096 is not in the range 0..4095"),
    ("Bridge.flood_vlans", {"a": 1}, "Bridge.flood_vlans: expected a set, got a mapping"),
    ("Bridge.external_ids", {"a": 1}, "Bridge.external_ids['a']: expected a string, got int"),
    ("Bridge.external_ids", {1: "a"}, "Bridge.external_ids key: expected a string, got int"),
    ("Bridge.external_ids", [("a", "b")], "Bridge.external_ids: expected a mapping, got list"),
    ("Port.bond_updelay", 2**63, "Port.bond_updelay: 9223372036854775808 does not fit in 64"),
])
def test_conversion_errors_name_the_column(schema: DatabaseSchema, column: str, value: Any,
                                           message: str) -> None:
    with pytest.raises(ValueConversionError) as info:
        to_wire(col(schema, column), value)
    assert message in str(info.value)


def test_where_prefixes_the_message(schema: DatabaseSchema) -> None:
    with pytest.raises(ValueConversionError, match=r"^operation 2 \(insert Bridge\): "
                                                   r"Bridge\.fail_mode: 'x' is not one of"):
        to_wire(col(schema, "Bridge.fail_mode"), "x", where="operation 2 (insert Bridge)")


def test_reals_and_string_lengths() -> None:
    table = small({
        "r": {"type": {"key": {"type": "real", "minReal": -1.5, "maxReal": 2.5}}},
        "s": {"type": {"key": {"type": "string", "minLength": 2, "maxLength": 4}}},
        "e": {"type": {"key": {"type": "integer", "enum": ["set", [1, 3]]}, "min": 0,
                       "max": "unlimited"}},
        "m": {"type": {"key": {"type": "integer", "maxInteger": 10}, "max": 1}},
    }).tables["t"].columns
    assert to_wire(table["r"], 2) == 2.0 and isinstance(to_wire(table["r"], 2), float)
    assert to_wire(table["r"], -1.5) == -1.5
    with pytest.raises(ValueConversionError, match=r"t\.r: 2\.6 is not in the range -1\.5\.\.2\.5"):
        to_wire(table["r"], 2.6)
    with pytest.raises(ValueConversionError, match="is not a finite number"):
        to_wire(table["r"], math.nan)
    assert to_wire(table["s"], "héé") == "héé"  # length in characters, not bytes
    with pytest.raises(ValueConversionError, match=r"t\.s: 'abcde' is 5 characters long, "
                                                   r"not 2\.\.4"):
        to_wire(table["s"], "abcde")
    with pytest.raises(ValueConversionError, match=r"t\.s: 'a' is 1 characters long"):
        to_wire(table["s"], "a")
    assert to_wire(table["e"], {3, 1}) == ["set", [1, 3]]
    with pytest.raises(ValueConversionError, match=r"t\.e: 2 is not one of 1, 3"):
        to_wire(table["e"], {1, 2})
    with pytest.raises(ValueConversionError, match=r"t\.m: 11 is not in the range at most 10"):
        to_wire(table["m"], 11)


def test_malformed_wire_values_are_errors(schema: DatabaseSchema) -> None:
    with pytest.raises(ValueConversionError, match=r"Bridge\.ports: \['uuid', 'nope'\] is not"):
        from_wire(col(schema, "Bridge.ports"), ["set", [["uuid", "nope"]]])
    with pytest.raises(ValueConversionError, match=r"Bridge\.external_ids: expected a <map>"):
        from_wire(col(schema, "Bridge.external_ids"), ["set", ["a"]])
    with pytest.raises(ValueConversionError, match=r"Bridge\.name: expected one value"):
        from_wire(col(schema, "Bridge.name"), ["set", []])
    with pytest.raises(ValueConversionError, match=r"Bridge\.fail_mode: expected one value"):
        from_wire(col(schema, "Bridge.fail_mode"), ["set", ["secure", "standalone"]])
    with pytest.raises(ValueConversionError, match="expected a string, got int 3"):
        from_wire(col(schema, "Bridge.name"), 3)


def test_atoms_and_defaults(schema: DatabaseSchema) -> None:
    assert atom_to_wire(BaseType("uuid"), U1) == ["uuid", str(U1)]
    assert atom_to_wire(BaseType("integer", max_integer=5), 9, check=False) == 9
    with pytest.raises(ValueConversionError, match="value: 9 is not in the range at most 5"):
        atom_to_wire(BaseType("integer", max_integer=5), 9)
    assert atom_from_wire(BaseType("uuid"), ["uuid", str(U2)]) == U2
    assert atom_from_wire(BaseType("boolean"), False) is False
    assert default_value(col(schema, "Bridge.name")) == ""
    assert default_value(col(schema, "Bridge.stp_enable")) is False
    assert default_value(col(schema, "Port.bond_updelay")) == 0
    assert default_value(col(schema, "Bridge.fail_mode")) is None
    assert default_value(col(schema, "Bridge.ports")) == frozenset()
    assert default_value(col(schema, "Bridge.external_ids")) == {}
    assert default_value(col(schema, "Bridge._uuid")) == uuid.UUID(int=0)
    assert default_value(col(schema, "Port.interfaces")) == {uuid.UUID(int=0)}  # min 1
    one_pair = small({"m": {"type": {"key": "string", "value": "integer"}}})
    assert default_value(one_pair.tables["t"].columns["m"]) == {"": 0}
    assert ColumnType(BaseType("string"), None, 0, 1).is_optional


def test_every_column_of_the_vswitch_schema_converts_its_default(schema: DatabaseSchema
                                                                 ) -> None:
    for table in schema.tables.values():
        for column in table.columns.values():
            value = default_value(column)
            if column.type.kind == "scalar" and column.type.key.enum is not None:
                value = sorted(column.type.key.enum)[0]
            if column.type.kind == "scalar" and column.type.key.min_integer is not None:
                value = column.type.key.min_integer
            if column.type.kind in ("set", "map"):
                assert len(value) == column.type.min, column.label
            assert from_wire(column, to_wire(column, value)) == value, column.label
