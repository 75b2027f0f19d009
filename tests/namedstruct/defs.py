"""Struct definitions that exercise every namedstruct feature (test data, not a protocol)."""

from __future__ import annotations

import enum

from vlcp_core.namedstruct import (
    Length,
    align,
    array,
    bits,
    char,
    cstring,
    embed,
    hexa,
    int8,
    int16,
    int16le,
    int32,
    int32le,
    int64,
    int64le,
    ipv4_addr,
    ipv6_addr,
    mac_addr,
    nstruct,
    optional,
    pad,
    raw,
    uint8,
    uint16,
    uint16le,
    uint32,
    uint32le,
    uint64,
    uint64le,
)


class msg_type(enum.IntEnum):
    HELLO = 0
    ECHO = 2
    PORT = 5
    STATS = 19


class port_config(enum.IntFlag):
    PORT_DOWN = 1 << 0
    NO_RECV = 1 << 2
    NO_FWD = 1 << 5


class stats_type(enum.IntEnum):
    DESC = 0
    FLOW = 1


# Every primitive, signed and unsigned, both byte orders.
all_ints = nstruct(
    "all_ints",
    (uint8, "u8"), (int8, "i8"), (uint16, "u16"), (int16, "i16"), (uint32, "u32"),
    (int32, "i32"), (uint64, "u64"), (int64, "i64"), (uint16le, "u16le"), (int16le, "i16le"),
    (uint32le, "u32le"), (int32le, "i32le"), (uint64le, "u64le"), (int64le, "i64le"),
)

# A port description as in OpenFlow 1.0 (ofp_phy_port), with flags and a char[16].
phy_port = nstruct(
    "phy_port",
    (uint16, "port_no"), (mac_addr, "hw_addr"), (char(16), "name"),
    (uint32(port_config), "config"), (uint32, "state"), (uint32, "curr"),
    (uint32, "advertised"), (uint32, "supported"), (uint32, "peer"),
)

# Padding, alignment, fixed arrays, cstring, IPv4/IPv6, optional fields.
misc = nstruct(
    "misc",
    (uint8, "flags"), pad(3), (array(uint16, 3), "triple"), (cstring, "label"), align(4),
    (ipv4_addr, "v4"), (ipv6_addr, "v6"),
    (optional(uint32, lambda s: s.flags & 1), "checksum"),
    (optional(char(4), lambda s: s.flags & 2), "tag"),
    (array(uint8), "rest"),
)

# Bit fields, like the first bytes of an IPv4 header.
ip_like = nstruct(
    "ip_like",
    bits(uint8, ("version", 4), ("ihl", 4)), (uint8, "tos"),
    bits(uint16, ("flags", 3), ("frag_offset", 13)),
    defaults={"version": 4, "ihl": 5},
)

# Counted and sized arrays and raw bytes; a Length with a unit.
counted = nstruct(
    "counted",
    (uint8, "n_items"), (uint8, "data_len"), (uint16, "words"),
    (array(uint32, count="n_items"), "items"), (raw(size="data_len"), "data"),
    (array(uint16, size=Length("words", unit=2)), "halves"),
)

# An embedded struct and a nested one.
point = nstruct("point", (int16, "x"), (int16, "y"))
rect = nstruct("rect", embed(point), (point, "corner"), (uint8(hexa), "colour"), pad(3))

# TLVs: size from a length field, padding counted in it (pad_to) or after it (pad_after).
tlv = nstruct("tlv", (uint16, "type"), (uint16, "length"), size="length", classify="type")
tlv_name = nstruct("tlv_name", (cstring, "name"), base=tlv, when={"type": 1}, pad_to=8)
tlv_numbers = nstruct("tlv_numbers", (array(uint32), "numbers"), base=tlv, when={"type": 2})
prop = nstruct("prop", (uint16, "type"), (uint16, "length"), (raw(), "body"),
               size="length", pad_after=8)
with_props = nstruct("with_props", (uint16, "count"), pad(2), (array(tlv, count="count"), "tlvs"),
                     (array(prop), "props"))

# A message family: dispatch on (version, type), a second level on stats_type.
header = nstruct(
    "header", (uint8, "version"), (uint8(msg_type), "type"), (uint16, "length"), (uint32, "xid"),
    size="length", classify=("version", "type"), defaults={"version": 4},
)
hello = nstruct("hello", (array(tlv), "elements"), base=header, when={"version": 4, "type": 0})
echo = nstruct("echo", (raw(), "data"), base=header, when={"version": 4, "type": "ECHO"})
port_status = nstruct("port_status", (uint8, "reason"), pad(7), (phy_port, "desc"),
                      base=header, when={"version": 4, "type": msg_type.PORT})
# Any version: a partial classifier (only "type").
echo_any = nstruct("echo_any", (raw(), "data"), base=header, when={"type": 3})
stats = nstruct("stats", (uint16(stats_type), "stats_type"), (uint16, "stats_flags"),
                base=header, when={"version": 4, "type": 19}, classify="stats_type")
desc_stats = nstruct("desc_stats", (char(32), "mfr_desc"), (char(32), "hw_desc"),
                     base=stats, when={"stats_type": 0})
flow_entry = nstruct("flow_entry", (uint16, "length"), (uint8, "table_id"), pad(1),
                     (uint64, "cookie"), (raw(), "match"), size="length")
flow_stats = nstruct("flow_stats", (array(flow_entry), "entries"), base=stats,
                     when={"stats_type": stats_type.FLOW})

# A little-endian struct with a dispatch field in bits.
le_record = nstruct("le_record", (uint32le, "magic"), (uint16le, "size"), (uint16le, "kind"),
                    size="size", defaults={"magic": 0xA1B2C3D4})
oxm = nstruct("oxm", (uint16(hexa), "oxm_class"), bits(uint8, ("oxm_field", 7), ("oxm_hasmask", 1)),
              (uint8, "oxm_length"), size=Length("oxm_length", extra=4),
              classify=("oxm_class", "oxm_field"))
oxm_in_port = nstruct("oxm_in_port", (uint32, "port"), base=oxm,
                      when={"oxm_class": 0x8000, "oxm_field": 0})
match = nstruct("match", (uint16, "type"), (uint16, "length"), (array(oxm), "fields"),
                size="length", pad_after=8, defaults={"type": 1})

# Sizes held in bit fields: an IPv4-like header (IHL in 32-bit words, options are the
# rest), a TCP-like data offset, and LLDP-like TLVs (7-bit type, 9-bit length).
ipv4_like = nstruct(
    "ipv4_like",
    bits(uint8, ("version", 4), ("ihl", 4)), (uint8, "tos"), (uint16, "total_length"),
    (uint32, "src"), (array(uint32), "options"),
    size=Length("ihl", unit=4), defaults={"version": 4},
)
tcp_like = nstruct(
    "tcp_like",
    (uint16, "sport"), (uint16, "dport"),
    bits(uint16, ("data_offset", 4), ("reserved", 3), ("flags", 9)), (uint16, "window"),
    (raw(), "options"),
    size=Length("data_offset", unit=4),
)
lldp_tlv = nstruct("lldp_tlv", bits(uint16, ("tlv_type", 7), ("tlv_length", 9)),
                   size=Length("tlv_length", extra=2), classify="tlv_type")
lldp_ttl = nstruct("lldp_ttl", (uint16, "ttl"), base=lldp_tlv, when={"tlv_type": 3})
lldp_frame = nstruct("lldp_frame", (array(lldp_tlv), "tlvs"))
counted_by_bits = nstruct("counted_by_bits", bits(uint8, ("n", 3), ("tag", 5)),
                          (array(uint16, count="n"), "items"))

ALL_STRUCTS = [
    ipv4_like, tcp_like, lldp_tlv, lldp_ttl, lldp_frame, counted_by_bits,
    all_ints, phy_port, misc, ip_like, counted, point, rect, tlv, tlv_name, tlv_numbers, prop,
    with_props, header, hello, echo, port_status, echo_any, stats, desc_stats, flow_entry,
    flow_stats, le_record, oxm, oxm_in_port, match,
]

# One subtype under several discriminator values.
tlv_pair = nstruct("tlv_pair", (uint16, "a"), (uint16, "b"), base=tlv,
                   when=[{"type": 10}, {"type": 11}])


class generated:
    """A namespace for classes made from a table, found by pickle through their qualname."""

    pair: type


generated.pair = nstruct("table_pair", (uint8, "a"), (uint8, "b"), qualname="generated.pair")
