"""The OXM layer: every field of the table round-trips with and without a mask, odd
TLVs stay generic and round-trip, and dump/load use OVS names and ovs-ofctl masks."""

from __future__ import annotations

import pytest

from vlcp_core.namedstruct import BuildError, Struct
from vlcp_core.openflow import (
    OXM_FIELDS,
    OxmField,
    dump,
    field_named,
    load,
    ofp_oxm,
    ofp_oxm_experimenter,
    oxm_class_for,
    v13,
)
from vlcp_core.openflow._format import format_field, parse_field

from ..namedstruct.helpers import check_struct


def sample(f: OxmField) -> object:
    if f.fmt == "mac":
        return bytes.fromhex("0a1b2c3d4e5f")
    if f.fmt == "ipv6":
        return bytes(range(16))
    if f.size in (1, 2, 4, 8):
        return (1 << (8 * f.size - 1)) | 5 if f.size > 1 else 7
    return bytes(range(1, f.size + 1))


def mask_of(f: OxmField) -> object:
    if f.fmt in ("mac", "ipv6") or f.size not in (1, 2, 4, 8):
        return b"\xff" * (f.size - 1) + b"\x00"
    return (1 << (8 * f.size)) - 256


@pytest.mark.parametrize("f", OXM_FIELDS, ids=[f.name for f in OXM_FIELDS])
def test_every_field_round_trips(f: OxmField) -> None:
    found = oxm_class_for(f.spec)
    assert found is not None and found[0] == f
    cls = found[1]
    plain = cls(value=sample(f))
    data = check_struct(ofp_oxm, plain)
    assert data[:2] == f.oxm_class.to_bytes(2, "big")
    assert data[2] >> 1 == f.field and data[2] & 1 == 0
    assert data[3] == f.payload == len(data) - 4
    if f.experimenter is not None:
        assert data[4:8] == f.experimenter.to_bytes(4, "big")
    if f.maskable:
        masked = cls(value=sample(f), mask=mask_of(f), oxm_hasmask=1)
        data = check_struct(ofp_oxm, masked)
        assert data[2] & 1 == 1 and data[3] == f.payload + f.size


def test_unexpected_lengths_stay_generic_and_round_trip() -> None:
    # in_port with 3 bytes, eth_type with a mask: not what the spec says, kept as TLVs.
    for raw in (bytes.fromhex("80000003010203"), bytes.fromhex("80000b0408000fff"),
                bytes.fromhex("0005070112"), bytes.fromhex("ffff55064f4e46001234")):
        oxm = ofp_oxm.create(raw)
        assert type(oxm) in (ofp_oxm, ofp_oxm_experimenter)
        assert bytes(oxm) == raw
    # A different experimenter with ONF's field number is not tcp_flags.
    other = ofp_oxm.create(bytes.fromhex("ffff5406000023200012"))
    assert type(other) is ofp_oxm_experimenter and other.experimenter == 0x2320


def test_names_reach_the_same_field() -> None:
    names = {f.name for f, _ in field_named("nw_dst")} | {f.name for f, _ in field_named(
        "ipv4_dst")} | {f.name for f, _ in field_named("OXM_OF_IPV4_DST")}
    assert names == {"ip_dst"}
    assert oxm_class_for("tcp_flags")[0].experimenter == 0x4F4E4600  # type: ignore[index]


@pytest.mark.parametrize("name,value,mask,text", [
    ("ip_dst", 0x0A000000, 0xFFFFFF00, "10.0.0.0/24"),
    ("ip_dst", 0x0A000001, 0xFF00FF00, "10.0.0.1/255.0.255.0"),
    ("ip_dst", 0x0A000001, None, "10.0.0.1"),
    ("ip_src", 0x0A000001, 0xFFFFFFFF, "10.0.0.1"),
    ("eth_dst", bytes.fromhex("010000000000"), bytes.fromhex("010000000000"),
     "01:00:00:00:00:00/01:00:00:00:00:00"),
    ("ipv6_dst", bytes.fromhex("fe80" + "00" * 14), bytes.fromhex("ffff" * 4 + "00" * 8),
     "fe80::/64"),
    ("tcp_dst", 0x50, 0xFFF0, "0x50/0xfff0"),
    ("tcp_dst", 80, None, 80),
    ("eth_type", 0x0800, None, "0x0800"),
    ("in_port", 0xFFFFFFFE, None, "LOCAL"),
    ("in_port", 3, None, 3),
    ("metadata", 0x12, 0xFF, "0x12/0xff"),
    ("tcp_flags", 0x12, None, "syn+ack"),
    ("pbb_isid", b"\x00\x01\x02", None, "0x102"),
])
def test_ovs_convention(name: str, value: object, mask: object, text: object) -> None:
    found = oxm_class_for(name)
    assert found is not None
    f = found[0]
    assert format_field(f, value, mask) == text
    v, m = parse_field(f, text)
    if mask is not None and text == format_field(f, value, None):
        assert m is None  # a full mask is written without it
    else:
        assert (v, m) == (value, mask)


@pytest.mark.parametrize("name,text,error", [
    ("ip_dst", "10.0.0.300", "ip_dst"),
    ("ip_dst", "fe80::1", "not an IPv4"),
    ("eth_dst", "aa:bb", "not a MAC"),
    ("tcp_dst", "http", "tcp_dst"),
])
def test_bad_text(name: str, text: str, error: str) -> None:
    found = oxm_class_for(name)
    assert found is not None
    with pytest.raises(ValueError) as e:
        parse_field(found[0], text)
    assert error in str(e.value)


def _match() -> Struct:
    t = {n: oxm_class_for(n)[1] for n in ("in_port", "eth_type", "ip_dst", "tcp_flags")}  # type: ignore[index]
    return v13.ofp_match(oxm_fields=[
        t["in_port"](value=1), t["eth_type"](value=0x0800),
        t["ip_dst"](value="10.0.0.0", mask="255.255.255.0", oxm_hasmask=1),
        t["tcp_flags"](value=0x02),
        ofp_oxm(oxm_class=0x8000, oxm_field=41, _tail=b"\x01\x02\x03")])


def test_dump_names_fields_and_load_rebuilds() -> None:
    match = _match()
    header = v13.ofp_header(type=99, xid=1, _tail=bytes(match))
    data = dump(header)
    assert data["type"] == 99 and data["version"] == 4
    from vlcp_core.namedstruct import dump as ns_dump
    from vlcp_core.openflow._api import _rewrite

    d = ns_dump(match)
    _rewrite(match, d)
    fields = d["oxm_fields"]
    assert fields["in_port"] == 1
    assert fields["eth_type"] == "0x0800"
    assert fields["ip_dst"] == "10.0.0.0/24"
    assert fields["tcp_flags"] == "syn"
    assert fields["0x8000:41"]["_tail"] == "010203"
    from vlcp_core.namedstruct import load as ns_load
    from vlcp_core.openflow._api import _unrewrite

    again = ns_load(v13.ofp_match, _unrewrite(v13.ofp_match, d))
    assert again == match and bytes(again) == bytes(match)
    assert load(data) == header


def test_duplicate_fields_dump_as_a_list() -> None:
    t = oxm_class_for("eth_type")[1]  # type: ignore[index]
    match = v13.ofp_match(oxm_fields=[t(value=0x800), t(value=0x806)])
    from vlcp_core.namedstruct import dump as ns_dump
    from vlcp_core.openflow._api import _rewrite

    d = ns_dump(match)
    _rewrite(match, d)
    assert d["oxm_fields"] == [{"eth_type": "0x0800"}, {"eth_type": "0x0806"}]


def test_load_errors() -> None:
    with pytest.raises(BuildError) as e:
        load({"version": 4, "type": "OFPT_HELLO", "xid": "x"})
    assert "ofp_header" in str(e.value)
    with pytest.raises(BuildError):
        load({"type": 0})


def test_dump_keeps_the_encoding_when_it_is_not_the_usual_one() -> None:
    from vlcp_core.namedstruct import dump as ns_dump
    from vlcp_core.namedstruct import load as ns_load
    from vlcp_core.openflow._api import _rewrite, _unrewrite

    nxm_ip = oxm_class_for("NXM_OF_IP_DST")
    oxm_ip = oxm_class_for("ip_dst")
    assert nxm_ip is not None and oxm_ip is not None and nxm_ip[1] is not oxm_ip[1]
    match = v13.ofp_match(oxm_fields=[oxm_class_for("eth_type")[1](value=0x0800),  # type: ignore[index]
                                      nxm_ip[1](value="10.0.0.1"),
                                      oxm_ip[1](value="10.0.0.2")])
    d = ns_dump(match)
    _rewrite(match, d)
    assert d["oxm_fields"] == {"eth_type": "0x0800", "NXM_OF_IP_DST": "10.0.0.1",
                               "ip_dst": "10.0.0.2"}
    again = ns_load(v13.ofp_match, _unrewrite(v13.ofp_match, d))
    assert [type(x) for x in again.oxm_fields] == [type(x) for x in match.oxm_fields]
    assert bytes(again) == bytes(match)
