"""Round trips of every feature through the shared check (parse, build, size,
compiled == interpreted, truncation), and subclass dispatch."""

from __future__ import annotations

import pytest

from vlcp_core.namedstruct import BuildError, Struct

from . import defs as d
from .helpers import check_struct, compiled_fails, compiled_parse, interpreted_parse

PORT = d.phy_port(port_no=3, hw_addr="aa:bb:cc:dd:ee:ff", name="s1-eth3",
                  config=d.port_config.PORT_DOWN | d.port_config.NO_FWD, curr=0x2000)

CASES: list[tuple[str, type[Struct], Struct, bool]] = [
    ("ints min", d.all_ints, d.all_ints(u8=0, i8=-128, u16=0, i16=-32768, u32=0, i32=-2**31,
                                        u64=0, i64=-2**63, u16le=1, i16le=-2, u32le=3,
                                        i32le=-4, u64le=5, i64le=-6), True),
    ("ints max", d.all_ints, d.all_ints(u8=255, i8=127, u16=65535, i16=32767, u32=2**32 - 1,
                                        i32=2**31 - 1, u64=2**64 - 1, i64=2**63 - 1,
                                        u16le=0x1234, i16le=0x1234, u32le=0x12345678,
                                        i32le=-0x12345678, u64le=2**64 - 1, i64le=-1), True),
    ("phy_port", d.phy_port, PORT, True),
    ("misc without optionals", d.misc, d.misc(flags=0, triple=[1, 2, 3], label="ab",
                                              v4="10.0.0.1", v6="fe80::1", rest=[9, 8]), False),
    ("misc with optionals", d.misc, d.misc(flags=3, triple=[7, 8, 9], label="",
                                           v4=0x0A000002, checksum=0xDEADBEEF, tag="ab",
                                           rest=[]), False),
    ("bits", d.ip_like, d.ip_like(tos=0x10, flags=2, frag_offset=0x1FFF), True),
    ("counted", d.counted, d.counted(items=[1, 2, 0xFFFFFFFF], data=b"xyz",
                                     halves=[5, 6, 7, 8]), True),
    ("counted empty", d.counted, d.counted(), True),
    ("embedded", d.rect, d.rect(x=-1, y=2, corner=d.point(x=3, y=-4), colour=0xAB), True),
    ("point", d.point, d.point(x=-32768, y=32767), True),
    ("tlv_numbers", d.tlv, d.tlv_numbers(numbers=[1, 0xFFFFFFFF]), True),
    ("prop", d.prop, d.prop(type=7, body=b"abcdefghi"), True),
    ("flow_entry", d.flow_entry, d.flow_entry(table_id=9, cookie=2**64 - 1, match=b"m"), True),
    ("ipv4 no options", d.ipv4_like, d.ipv4_like(tos=1, total_length=20, src=0x0A000001), True),
    ("ipv4 options", d.ipv4_like, d.ipv4_like(src=1, options=[0x01010100]), True),
    ("tcp options", d.tcp_like, d.tcp_like(sport=1, dport=80, flags=0x12,
                                           options=b"\x02\x04\x05\xb4"), True),
    ("lldp", d.lldp_frame, d.lldp_frame(tlvs=[
        d.lldp_tlv(tlv_type=1, _tail=b"\x04" + bytes(6)), d.lldp_ttl(ttl=120),
        d.lldp_tlv(tlv_type=127, _tail=bytes(300))]), False),
    ("lldp ttl", d.lldp_tlv, d.lldp_ttl(ttl=5), True),
    ("counted by bits", d.counted_by_bits, d.counted_by_bits(tag=9, items=[1, 2, 3]), True),
    ("tlv_name pad_to", d.tlv, d.tlv_name(name="abc"), True),
    ("tlv_name exact", d.tlv, d.tlv_name(name="abcdefg"), True),
    ("tlv generic", d.tlv, d.tlv(type=99, _tail=b"\x01\x02\x03"), True),
    ("with_props", d.with_props, d.with_props(
        props=[d.prop(type=1, body=b"\x01"), d.prop(type=2, body=b"12345678")],
        tlvs=[d.tlv_numbers(numbers=[1, 2]), d.tlv_name(name="x")]), False),
    ("hello", d.header, d.hello(xid=7, elements=[d.tlv_numbers(numbers=[0x12])]), True),
    ("echo", d.header, d.echo(xid=1, data=b"ping"), True),
    ("echo any version", d.header, d.echo_any(version=1, data=b"old"), True),
    ("port_status", d.header, d.port_status(reason=2, desc=PORT), True),
    ("desc stats", d.header, d.desc_stats(mfr_desc="Nicira, Inc.", hw_desc="OVS"), True),
    ("flow stats", d.header, d.flow_stats(entries=[
        d.flow_entry(table_id=1, cookie=5, match=b"\x00\x01"),
        d.flow_entry(table_id=2, cookie=6)]), True),
    ("unknown stats", d.header, d.stats(stats_type=77, _tail=b"\x09" * 5), True),
    ("unknown message", d.header, d.header(version=9, type=200, _tail=b"abc"), True),
    ("little endian", d.le_record, d.le_record(kind=3, _tail=b"\x00\x01"), True),
    ("oxm known", d.oxm, d.oxm_in_port(port=7), True),
    ("oxm unknown", d.oxm, d.oxm(oxm_class=0xFFFF, oxm_field=3, oxm_hasmask=1,
                                 _tail=b"\x00\x00\x23\x20\x01"), True),
    ("match", d.match, d.match(fields=[d.oxm_in_port(port=1), d.oxm(oxm_class=1, oxm_field=2,
                                                                   _tail=b"ab")]), True),
]


@pytest.mark.parametrize("name,t,obj,delimited", CASES, ids=[c[0] for c in CASES])
def test_round_trip(name: str, t: type[Struct], obj: Struct, delimited: bool) -> None:
    check_struct(t, obj, self_delimiting=delimited)


def test_every_definition_has_a_case() -> None:
    covered = {type(obj) for _, _, obj, _ in CASES} | {t for _, t, _, _ in CASES}
    missing = [c._ns_info.name for c in d.ALL_STRUCTS if c not in covered]
    assert not missing, f"no round-trip case for {missing}"


def test_known_bytes() -> None:
    data = bytes(d.echo(xid=0x01020304, data=b"hi"))
    assert data == bytes.fromhex("0402000a01020304") + b"hi"
    port = bytes(PORT)
    assert port[:8] == bytes.fromhex("0003aabbccddeeff")
    assert port[8:24] == b"s1-eth3".ljust(16, b"\0")
    assert port[24:28] == bytes.fromhex("00000021")
    assert bytes(d.ip_like(tos=1, flags=2, frag_offset=3)) == bytes.fromhex("45014003")
    assert bytes(d.le_record(kind=1)) == bytes.fromhex("d4c3b2a108000100")
    assert bytes(d.tlv_name(name="abc")) == bytes.fromhex("0001000861626300")
    assert bytes(d.tlv_name(name="abcd")) == bytes.fromhex("0001001061626364" + "00" * 8)
    # pad_after: the length excludes the padding that follows.
    assert bytes(d.prop(type=1, body=b"\x01")) == bytes.fromhex("0001000501000000")


def test_sizes_in_bit_fields() -> None:
    data = bytes(d.ipv4_like(src=1, options=[0x01010100]))
    assert data[0] == 0x43 and len(data) == 12
    tcp = d.tcp_like(flags=0x1FF, options=b"\x01\x01\x01\x00")
    data = bytes(tcp)
    assert len(data) == 12 and data[4] >> 4 == 3 and tcp.data_offset == 3
    tcp.options = b"\x01"
    with pytest.raises(BuildError) as e:
        bytes(tcp)  # 9 bytes are not a whole number of 32-bit words
    assert e.value.path == "tcp_like.data_offset"
    assert int.from_bytes(data[4:6], "big") & 0x1FF == 0x1FF  # flags kept beside the patch
    assert bytes(d.lldp_ttl(ttl=120)) == bytes.fromhex("0602 0078".replace(" ", ""))
    big = d.lldp_tlv(tlv_type=127, _tail=bytes(511))
    assert bytes(big)[:2] == bytes.fromhex("ffff")
    big._tail = bytes(512)
    with pytest.raises(BuildError) as e:
        bytes(big)
    assert e.value.path == "lldp_tlv.tlv_length" and "9 bits" in str(e.value)
    assert bytes(d.counted_by_bits(tag=1, items=[7]))[0] == 0x21
    too_many = d.counted_by_bits(items=list(range(8)))
    with pytest.raises(BuildError):
        bytes(too_many)


def test_dispatch_picks_most_specific_type() -> None:
    data = bytes(d.flow_stats(entries=[d.flow_entry(table_id=4)]))
    msg = d.header.create(data)
    assert type(msg) is d.flow_stats
    assert isinstance(msg, d.stats) and isinstance(msg, d.header)
    assert msg.type == d.msg_type.STATS and msg.stats_type == d.stats_type.FLOW
    assert msg.entries[0].table_id == 4
    # Parsing through an intermediate base works the same.
    assert type(d.stats.create(data)) is d.flow_stats


def test_building_a_subtype_sets_its_discriminators() -> None:
    msg = d.desc_stats()
    assert (msg.version, msg.type, msg.stats_type) == (4, 19, 0)
    assert bytes(msg)[:10] == bytes.fromhex("0413") + bytes(bytes(msg)[2:4]) + bytes(4) + b"\0\0"


def test_partial_classifier_is_a_fallback() -> None:
    assert type(d.header.create(bytes(d.echo_any(version=1)))) is d.echo_any
    assert type(d.header.create(bytes(d.echo_any(version=2)))) is d.echo_any
    # An exact (version, type) match wins over the partial one.
    assert type(d.header.create(bytes(d.header(version=4, type=2)))) is d.echo


def test_unknown_discriminator_keeps_raw_body() -> None:
    data = bytes.fromhex("0563000c0000002a") + b"\x01\x02\x03\x04"
    msg = d.header.create(data)
    assert type(msg) is d.header
    assert msg._tail == b"\x01\x02\x03\x04"
    assert bytes(msg) == data
    msg.xid = 43
    assert bytes(msg) == data[:7] + b"\x2b" + data[8:]


def test_trailing_bytes_inside_a_sized_struct_are_kept() -> None:
    data = bytes(d.echo(data=b""))
    # An echo with extra bytes is still an echo; its data is the rest.
    assert d.header.create(bytes.fromhex("0402000a00000000abcd")).data == b"\xab\xcd"
    # A fixed-size subtype with a longer length keeps the extra bytes in _tail.
    longer = bytearray(bytes(d.port_status(desc=PORT)))
    longer[2:4] = (len(longer) + 3).to_bytes(2, "big")
    longer += b"xyz"
    msg = d.header.create(bytes(longer))
    assert msg._tail == b"xyz" and bytes(msg) == bytes(longer)
    assert len(data) == 8


def test_pad_to_drops_only_zero_alignment_padding() -> None:
    clean = bytes(d.tlv_name(name="ab"))
    assert clean == bytes.fromhex("0001000861620000")
    assert d.tlv.create(clean)._tail == b""
    dirty = clean[:-1] + b"\x01"
    msg = d.tlv.create(dirty)
    assert msg.name == "ab" and msg._tail == b"\x01"
    assert bytes(msg) == dirty


@pytest.mark.parametrize("t,obj", [(t, o) for _, t, o, _ in CASES[:6]])
def test_compiled_and_interpreted_parse_agree(t: type[Struct], obj: Struct) -> None:
    data = bytes(obj)
    assert compiled_parse(t, data) == interpreted_parse(t, data)


def test_padding_that_is_not_zero_is_kept() -> None:
    data = bytearray(bytes(d.port_status(reason=1, desc=PORT)))
    data[9:16] = b"garbage"  # the 7 pad bytes after reason
    msg = d.header.create(bytes(data))
    assert msg._pads and bytes(msg) == bytes(data)
    assert compiled_fails(d.header, bytes(data))  # the fast path hands over to the engine
    assert interpreted_parse(d.header, bytes(data))[0] == msg
    from vlcp_core.namedstruct import dump, load

    assert load(d.header, dump(msg)) == msg and bytes(load(d.header, dump(msg))) == bytes(data)
    clean = d.header.create(bytes(d.port_status(reason=1, desc=PORT)))
    assert clean._pads is None and clean != msg
    # Padding after a struct (pad_after) and alignment padding are kept as well.
    prop = bytearray(bytes(d.prop(type=1, body=b"\x01")))
    prop[-1] = 0x99
    assert bytes(d.prop.create(bytes(prop))) == bytes(prop)
    m = bytearray(bytes(d.misc(label="ab")))
    m[13] = 0x77  # align(4) after the cstring "ab\0" at 10..12: pad bytes 13..15
    assert d.misc.create(bytes(m))._pads
    assert bytes(d.misc.create(bytes(m))) == bytes(m)
