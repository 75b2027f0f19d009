"""dump/load, pretty and explain: names, formatted values, every byte accounted for."""

from __future__ import annotations

import json

import pytest

from vlcp_core.namedstruct import BuildError, dump, explain, explain_rows, load, pretty

from . import defs as d
from .test_structs import CASES, PORT


def test_dump_shows_names_and_formats() -> None:
    out = dump(d.port_status(reason=1, desc=PORT))
    assert out["_type"] == "port_status"
    assert out["type"] == "PORT" and out["length"] == 8 + 8 + len(PORT)
    desc = out["desc"]
    assert desc["hw_addr"] == "aa:bb:cc:dd:ee:ff"
    assert desc["name"] == "s1-eth3"
    assert desc["config"] == "PORT_DOWN|NO_FWD"
    misc = dump(d.misc(v4="10.0.0.1", v6="fe80::1", flags=1, checksum=5))
    assert misc["v4"] == "10.0.0.1" and misc["v6"] == "fe80::1" and misc["tag"] is None
    json.dumps(misc)


def test_dump_unknown_values() -> None:
    out = dump(d.header(type=200, _tail=b"\x01\x02"))
    assert out["type"] == 200 and out["_tail"] == "0102"
    assert dump(d.phy_port(config=0x21 | 0x100))["config"] == "PORT_DOWN|NO_FWD|0x100"
    assert dump(d.phy_port())["config"] == "0"


@pytest.mark.parametrize("t,obj", [(t, o) for _, t, o, _ in CASES], ids=[c[0] for c in CASES])
def test_load_rebuilds_every_case(t: type, obj: object) -> None:
    data = dump(obj)  # type: ignore[arg-type]
    again = load(t, json.loads(json.dumps(data)))
    assert again == obj and type(again) is type(obj)


def test_load_errors_name_the_path() -> None:
    data = dump(d.port_status(desc=PORT))
    data["desc"]["hw_addr"] = "not a mac"
    with pytest.raises(BuildError) as e:
        load(d.header, data)
    assert e.value.path == "header.desc.hw_addr" and "MAC" in str(e.value)
    with pytest.raises(BuildError) as e:
        load(d.header, {"_type": "point"})
    assert "not header or one of its subtypes" in str(e.value)
    with pytest.raises(BuildError) as e:
        load(d.point, {"x": 1, "z": 2})
    assert e.value.path == "point.z"


def test_pretty_tree() -> None:
    text = pretty(d.flow_stats(entries=[d.flow_entry(table_id=3)]))
    lines = text.splitlines()
    assert lines[0] == "flow_stats"
    assert "  type: STATS (19)" in lines
    assert "  stats_type: FLOW (1)" in lines
    assert "  entries: 1 item" in lines
    assert "    [0] flow_entry" in lines
    assert "      table_id: 3" in lines
    assert "  length: 24" in lines  # computed before printing
    port = pretty(PORT)
    assert "  hw_addr: aa:bb:cc:dd:ee:ff" in port
    assert "  config: PORT_DOWN|NO_FWD (0x21)" in port


@pytest.mark.parametrize("t,obj", [(t, o) for _, t, o, _ in CASES], ids=[c[0] for c in CASES])
def test_explain_covers_every_byte(t: type, obj: object) -> None:
    rows = explain_rows(obj)  # type: ignore[arg-type]
    data = bytes(obj)  # type: ignore[call-overload]
    covered = bytearray(len(data))
    for r in rows:
        assert data[r.offset:r.offset + len(r.data)] == r.data
        for i in range(r.offset, r.offset + len(r.data)):
            covered[i] = 1
    assert all(covered), f"bytes not explained: {[i for i, c in enumerate(covered) if not c]}"


def test_explain_text() -> None:
    text = explain(d.port_status(reason=1, desc=PORT))
    lines = text.splitlines()
    assert lines[0] == f"port_status ({8 + 8 + len(PORT)} bytes)"
    assert any(line.startswith("0001    05") and "type" in line and "PORT (5)" in line
               for line in lines)
    assert any("desc.hw_addr" in line and "aa:bb:cc:dd:ee:ff" in line for line in lines)
    assert any("desc.config" in line and "PORT_DOWN|NO_FWD" in line for line in lines)
    bits = explain(d.ip_like(flags=2, frag_offset=5))
    assert any("version" in line and "4 [bits 7..4]" in line for line in bits.splitlines())
    assert any("frag_offset" in line and "5 [bits 12..0]" in line for line in bits.splitlines())
