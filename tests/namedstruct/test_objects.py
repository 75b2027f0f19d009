"""Objects: defaults, mutation, equality, copy, pickle, len, repr, lazy compilation."""

from __future__ import annotations

import copy
import pickle

from vlcp_core.namedstruct import array, dump, nstruct, pretty, uint8, uint16

from . import defs as d
from .helpers import interpreted_build


def test_defaults() -> None:
    p = d.phy_port()
    assert (p.port_no, p.hw_addr, p.name, p.config) == (0, bytes(6), "", 0)
    m = d.misc()
    assert m.checksum is None and m.triple == [0, 0, 0] and m.rest == []
    a, b = d.hello(), d.hello()
    a.elements.append(d.tlv_numbers())
    assert b.elements == []  # fresh lists per object
    s1, s2 = d.port_status(), d.port_status()
    s1.desc.port_no = 5
    assert s2.desc.port_no == 0  # fresh nested structs per object
    assert d.ip_like().version == 4


def test_text_values_are_converted() -> None:
    p = d.phy_port(hw_addr="01:02:03:04:05:06", config="PORT_DOWN|NO_FWD")
    assert p.hw_addr == b"\x01\x02\x03\x04\x05\x06"
    assert p.config == 0x21
    m = d.misc(v4="192.168.1.1")
    assert m.v4 == 0xC0A80101
    assert d.header(type="STATS").type == 19


def test_edit_and_reserialize() -> None:
    data = bytes(d.port_status(reason=1, desc=d.phy_port(port_no=1)))
    msg = d.header.create(data)
    msg.desc.port_no = 7
    msg.reason = 2
    again = bytes(msg)
    assert again[8] == 2 and again[16:18] == b"\x00\x07"
    assert again[:8] == data[:8] and again[18:] == data[18:]


def test_lengths_are_filled_on_build() -> None:
    msg = d.flow_stats(entries=[d.flow_entry(match=b"abc")])
    assert msg.length == 0
    data = bytes(msg)
    assert msg.length == len(data) and msg.entries[0].length == 15
    msg.entries.append(d.flow_entry())
    assert len(msg) == len(data) + 12


def test_text_assigned_after_construction_builds() -> None:
    p = d.phy_port()
    p.hw_addr = "aa:bb:cc:dd:ee:ff"  # type: ignore[assignment]
    p.config = "PORT_DOWN|NO_FWD"  # type: ignore[assignment]
    assert bytes(p)[2:8] == bytes.fromhex("aabbccddeeff")
    # Building stored the converted values, so every view shows them properly.
    assert p.hw_addr == bytes.fromhex("aabbccddeeff") and p.config == 0x21
    p.config = "NO_RECV"  # type: ignore[assignment]
    assert dump(p)["config"] == "NO_RECV"
    msg = d.port_status()
    msg.desc = {"name": "eth9"}  # type: ignore[assignment]
    assert "name: 'eth9'" in pretty(msg) and isinstance(msg.desc, d.phy_port)


def test_equality() -> None:
    assert d.point(x=1, y=2) == d.point(x=1, y=2)
    assert d.point(x=1, y=2) != d.point(x=1, y=3)
    assert d.echo(data=b"a") != d.echo_any(data=b"a")
    assert d.header(type=99, _tail=b"a") != d.header(type=99, _tail=b"b")


def test_copy_and_pickle() -> None:
    msg = d.port_status(reason=3, desc=d.phy_port(name="eth0"))
    shallow = copy.copy(msg)
    assert shallow == msg and shallow.desc is msg.desc
    deep = copy.deepcopy(msg)
    deep.desc.name = "eth1"
    assert msg.desc.name == "eth0"
    for proto in range(2, pickle.HIGHEST_PROTOCOL + 1):
        again = pickle.loads(pickle.dumps(msg, protocol=proto))
        assert again == msg and type(again) is d.port_status


def test_repr_is_readable() -> None:
    text = repr(d.point(x=1, y=-2))
    assert text == "point(x=1, y=-2)"


def test_definitions_compile_lazily() -> None:
    fresh = nstruct("fresh", (uint8, "a"), (uint16, "b"))
    assert getattr(fresh.__dict__["_fp"].__func__, "_ns_stub", False)
    obj = fresh(a=1, b=2)
    assert bytes(obj) == b"\x01\x00\x02"
    assert fresh.create(b"\x01\x00\x02") == obj
    assert not getattr(fresh.__dict__["_fp"].__func__, "_ns_stub", False)


def test_one_subtype_under_several_discriminators() -> None:
    assert d.tlv_pair().type == 10  # the first mapping gives the defaults
    for t in (10, 11):
        msg = d.tlv.create(bytes(d.tlv_pair(type=t, a=1, b=2)))
        assert type(msg) is d.tlv_pair and msg.type == t and (msg.a, msg.b) == (1, 2)


def test_table_made_classes_pickle_by_qualname() -> None:
    obj = d.generated.pair(a=1, b=2)
    again = pickle.loads(pickle.dumps(obj))
    assert again == obj and type(again) is d.generated.pair


def test_equality_ignores_fields_computed_on_build() -> None:
    fresh = d.flow_entry(table_id=1, match=b"ab")
    parsed = d.flow_entry.create(bytes(d.flow_entry(table_id=1, match=b"ab")))
    assert fresh.length == 0 and parsed.length == 14
    assert fresh == parsed


def test_a_subtype_marking_a_base_field_leaves_the_base_alone() -> None:
    base = nstruct("counted_base", (uint8, "kind"), (uint8, "n"), classify="kind")
    nstruct("counted_sub", (array(uint16, count="n"), "items"), base=base, when={"kind": 1})
    # In the base, n is an ordinary field: built as given, not as a placeholder 0.
    assert bytes(base(kind=9, n=3)) == b"\x09\x03"
    assert interpreted_build(base(kind=9, n=3)) == b"\x09\x03"
    assert base(kind=9, n=3) != base(kind=9, n=4)
