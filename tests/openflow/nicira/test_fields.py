"""Nicira (NXM) match fields: every row round-trips, values read and print as in
ovs-ofctl, and Open vSwitch's own encodings (OpenFlow 1.3 OXM matches and OpenFlow
1.0 NXT_FLOW_MOD nx_match, recorded with the stub switch) decode into the named
classes and re-serialize byte for byte; ``match()`` gives OVS's bytes; ``validate``
knows the CT prerequisite and the new ranges."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from vlcp_core import openflow as of
from vlcp_core.namedstruct import Struct
from vlcp_core.openflow import OXM_FIELDS, OxmField, ofp_oxm, oxm_class_for, v13
from vlcp_core.openflow._format import format_field, parse_field
from vlcp_core.openflow._oxm import field_of, nxm_class_for

from ...namedstruct.helpers import check_struct
from ..stub_switch import record_ovs_ofctl

NXM_ROWS = [f for f in OXM_FIELDS if f.oxm_class in (0x0000, 0x0001)]


def _sample(f: OxmField) -> Any:
    if f.fmt == "mac":
        return bytes.fromhex("0a1b2c3d4e5f")
    if f.fmt == "ipv6" or f.size == 16:
        return bytes(range(16))
    if f.size in (1, 2, 4, 8):
        return 1 if f.size == 1 else (1 << (8 * f.size - 2)) | 5
    raise AssertionError(f.name)


def _mask(f: OxmField) -> Any:
    if f.fmt in ("mac", "ipv6") or f.size == 16:
        return b"\xff" * (f.size - 1) + b"\x00"
    return (1 << (8 * f.size)) - 1 if f.size == 1 else (1 << (8 * f.size)) - 256


# -- the table ---------------------------------------------------------------------

def test_the_table_has_every_field_of_the_issue() -> None:
    names = {f.name for f in NXM_ROWS}
    wanted = {*(f"reg{i}" for i in range(16)), *(f"xxreg{i}" for i in range(4)),
              *(f"tun_metadata{i}" for i in range(64)), "tun_id", "tun_src", "tun_dst",
              "tun_ipv6_src", "tun_ipv6_dst", "tun_flags", "tun_gbp_id", "tun_gbp_flags",
              "ct_state", "ct_zone", "ct_mark", "ct_label", "ct_nw_src", "ct_nw_dst",
              "ct_ipv6_src", "ct_ipv6_dst", "ct_nw_proto", "ct_tp_src", "ct_tp_dst",
              "pkt_mark", "dp_hash", "recirc_id", "conj_id", "arp_sha", "arp_tha",
              "nd_target", "nd_sll", "nd_tll", "ip_frag", "nw_ecn", "nw_ttl", "tcp_flags",
              "in_port", "eth_dst", "eth_src", "eth_type", "vlan_tci", "nw_tos", "nw_proto",
              "ip_src", "ip_dst", "tcp_src", "tcp_dst", "udp_src", "udp_dst", "icmp_type",
              "icmp_code", "arp_op", "arp_spa", "arp_tpa", "ipv6_src", "ipv6_dst",
              "icmpv6_type", "icmpv6_code", "ipv6_label", "mpls_ttl"}
    assert wanted <= names
    assert {f.name for f in OXM_FIELDS if f.name.startswith("xreg")} == {
        f"xreg{i}" for i in range(8)}
    specs = [f.spec for f in OXM_FIELDS]
    assert len(specs) == len(set(specs))
    keys = [(f.oxm_class, f.field, f.experimenter) for f in OXM_FIELDS]
    assert len(keys) == len(set(keys))
    nxm_ip_dst = oxm_class_for("NXM_OF_IP_DST")
    assert nxm_ip_dst is not None and nxm_ip_dst[0].name == "ip_dst"
    assert (nxm_ip_dst[0].oxm_class, nxm_ip_dst[0].field, nxm_ip_dst[0].size) == (0, 8, 4)


@pytest.mark.parametrize("name,oxm13,nxm10", [
    ("reg0", (1, 0), (1, 0)), ("in_port", (0x8000, 0), (0, 0)), ("tun_id", (0x8000, 38), (1, 16)),
    ("tcp_flags", (0xFFFF, 42), (1, 34)), ("metadata", (0x8000, 2), (0x8000, 2)),
    ("ip_dst", (0x8000, 12), (0, 8)), ("dl_src", (0x8000, 4), (0, 2)),
    ("nw_ecn", (0x8000, 9), (1, 28)), ("mpls_label", (0x8000, 34), (0x8000, 34)),
    ("ct_state", (1, 105), (1, 105)), ("nw_frag", (1, 26), (1, 26)),
])
def test_class_preference(name: str, oxm13: tuple[int, int], nxm10: tuple[int, int]) -> None:
    found13, found10 = oxm_class_for(name), nxm_class_for(name)
    assert found13 is not None and found10 is not None
    assert (found13[0].oxm_class, found13[0].field) == oxm13
    assert (found10[0].oxm_class, found10[0].field) == nxm10


@pytest.mark.parametrize("f", [f for f in NXM_ROWS if not f.variable],
                         ids=[f.spec for f in NXM_ROWS if not f.variable])
def test_every_nxm_row_round_trips(f: OxmField) -> None:
    found = oxm_class_for(f.spec)
    assert found is not None and found[0] == f
    cls = found[1]
    data = check_struct(ofp_oxm, cls(value=_sample(f)))
    assert data[:4] == bytes([f.oxm_class >> 8, f.oxm_class & 0xFF, f.field << 1, f.size])
    assert field_of(type(ofp_oxm.create(data))) == f
    if f.maskable:
        data = check_struct(ofp_oxm, cls(value=_sample(f), mask=_mask(f), oxm_hasmask=1))
        assert data[2] & 1 and data[3] == 2 * f.size
    else:  # a mask where none is allowed: stays a generic TLV
        odd = bytes([f.oxm_class >> 8, f.oxm_class & 0xFF, f.field << 1 | 1, 2 * f.size])
        odd += bytes(2 * f.size)
        assert type(ofp_oxm.create(odd)) is ofp_oxm


@pytest.mark.parametrize("i", [0, 1, 31, 63])
@pytest.mark.parametrize("size", [1, 2, 4, 124])
def test_tun_metadata_every_length(i: int, size: int) -> None:
    found = oxm_class_for(f"tun_metadata{i}")
    assert found is not None
    f, cls = found
    assert f.variable and f.field == 40 + i and f.size == 124
    value = bytes(range(1, size + 1))
    data = check_struct(ofp_oxm, cls(value=value), self_delimiting=True)
    assert data == bytes([0, 1, (40 + i) << 1, size]) + value
    mask = bytes([0xFF] * (size - 1) + [0xF0])
    masked = cls(value=bytes(v & m for v, m in zip(value, mask, strict=True)), mask=mask,
                 oxm_hasmask=1)
    data = check_struct(ofp_oxm, masked)
    assert data[3] == 2 * size and data[4 + size:] == mask
    again = ofp_oxm.create(data)
    assert again.value == masked.value and again.mask == mask


def test_tun_metadata_odd_payloads_round_trip() -> None:
    # A masked payload of odd length (OVS never sends one) and an empty one still
    # decode as tun_metadata and come back identically; validate reports the first.
    for raw in (bytes.fromhex("0001510301ff0f"), bytes.fromhex("00015000")):
        oxm = ofp_oxm.create(raw)
        assert field_of(type(oxm)) is not None and bytes(oxm) == raw
    odd = ofp_oxm.create(bytes.fromhex("0001510301ff0f"))
    assert (odd.value, odd.mask) == (b"\x01", b"\xff\x0f")
    match = v13.ofp_match(oxm_fields=[odd])
    with pytest.raises(of.ValidationError, match="same length"):
        of.validate(v13.ofp_flow_mod(match=match))
    # The constructor takes an int (its shortest form) or hexadecimal text.
    cls = oxm_class_for("tun_metadata5")[1]  # type: ignore[index]
    assert bytes(cls(value=0x1234)) == bytes.fromhex("00015a021234")
    assert bytes(cls(value="0x001234")) == bytes.fromhex("00015a03001234")


# -- values as ovs-ofctl writes them ----------------------------------------------------

@pytest.mark.parametrize("name,value,mask,text", [
    ("ct_state", 0x22, 0x22, "+est+trk"),
    ("ct_state", 0x02, 0x03, "-new+est"),
    ("ct_state", 0x20, 0x30, "-inv+trk"),
    ("ct_state", 0x22, None, "est|trk"),
    ("ct_state", 0x22, 0x122, "0x22/0x122"),
    ("ip_frag", 0, None, "no"),
    ("ip_frag", 1, None, "first"),
    ("ip_frag", 3, None, "later"),
    ("ip_frag", 1, 1, "yes"),
    ("ip_frag", 0, 2, "not_later"),
    ("ip_frag", 1, 3, "0x1/0x3"),
    ("tun_flags", 1, 1, "+oam"),
    ("tun_flags", 0, 1, "-oam"),
    ("tun_metadata0", b"\x12\x34", None, "0x1234"),
    ("tun_metadata0", b"\x00\x12", None, "0x0012"),
    ("tun_metadata63", b"\x12\x00", b"\xff\x00", "0x1200/0xff00"),
    ("reg0", 5, 0xFF, "0x5/0xff"),
    ("reg3", 5, None, "0x5"),
    ("NXM_OF_IN_PORT", 0xFFFE, None, "LOCAL"),
    ("NXM_OF_IN_PORT", 3, None, 3),
    ("vlan_tci", 0x1005, 0x1FFF, "0x1005/0x1fff"),
    ("ct_label", (9).to_bytes(16, "big"), None, "0x9"),
    ("xxreg1", (5).to_bytes(16, "big"), (0xFF).to_bytes(16, "big"), "0x5/0xff"),
    ("ct_nw_src", 0x0A000000, 0xFF000000, "10.0.0.0/8"),
    ("tun_ipv6_dst", bytes.fromhex("fe80" + "00" * 14), bytes.fromhex("ff" * 8 + "00" * 8),
     "fe80::/64"),
    ("ct_zone", 5, None, 5),
    ("recirc_id", 3, None, "0x3"),
    ("NXM_NX_TCP_FLAGS", 0x02, 0x12, "0x2/0x12"),
])
def test_ovs_convention(name: str, value: Any, mask: Any, text: Any) -> None:
    found = oxm_class_for(name)
    assert found is not None
    f = found[0]
    assert format_field(f, value, mask) == text
    assert parse_field(f, text) == (value, mask)


@pytest.mark.parametrize("name,text", [
    ("ct_state", "+trk+bogus"), ("ct_state", "trk|nope"), ("ct_state", "+trk*est"),
    ("ip_frag", "sometimes"), ("tun_flags", "+xyz"), ("tun_metadata0", "0xzz"),
])
def test_bad_text(name: str, text: str) -> None:
    f = oxm_class_for(name)[0]  # type: ignore[index]
    with pytest.raises(ValueError, match=name):
        parse_field(f, text)


def test_input_spellings() -> None:
    f = oxm_class_for("ct_state")[0]  # type: ignore[index]
    assert parse_field(f, "+trk+est") == parse_field(f, "+est+trk") == (0x22, 0x22)
    assert parse_field(f, "0x22/0x22") == (0x22, 0x22)
    assert parse_field(f, 0x22) == (0x22, None)
    meta = oxm_class_for("tun_metadata0")[0]  # type: ignore[index]
    assert parse_field(meta, 0x1234) == (b"\x12\x34", None)
    assert parse_field(meta, "0x12/0xff00") == (b"\x00\x12", b"\xff\x00")
    assert parse_field(meta, "4660") == (b"\x12\x34", None)


# -- Open vSwitch's own encodings --------------------------------------------------------

# Flows that together use every field of the issue, masked and unmasked where allowed.
OVS_FLOWS = [
    "reg0=5,reg1=0x5/0xff,reg15=7,actions=drop",
    *(f"reg{i}=0x{i + 1:x}/0x{0xF0 | i:x},actions=drop" for i in range(2, 15)),
    "xreg0=5,xreg7=0x5/0xff,actions=drop",
    "xxreg0=5,xxreg3=0x5/0xff,actions=drop",
    "tun_id=5,actions=drop",
    "tun_id=0x5/0xff,actions=drop",
    "tun_src=1.2.3.4,tun_dst=10.0.0.0/8,actions=drop",
    "tun_src=1.2.0.0/16,tun_dst=10.0.0.1,actions=drop",
    "tun_ipv6_src=2001:db8::1,tun_ipv6_dst=fe80::/64,actions=drop",
    "tun_ipv6_src=2001:db8::/32,tun_ipv6_dst=fe80::1,actions=drop",
    "tun_flags=+oam,actions=drop",
    "tun_flags=-oam,tun_gbp_id=5,tun_gbp_flags=0x3/0xf,actions=drop",
    "tun_gbp_id=0x5/0xff,tun_gbp_flags=0x3,actions=drop",
    "tun_metadata0=0x1234,actions=drop",
    "tun_metadata1=0x12345678/0xffff0000,tun_metadata63=0x1234/0xff00,actions=drop",
    "ct_state=+trk+est,ct_zone=5,ct_mark=7,ct_label=0x9,actions=drop",
    "ct_state=-new+est,ct_mark=0x7/0xff,ct_label=0x9/0xff,actions=drop",
    "ct_state=+est,ip,ct_nw_src=1.2.3.4,ct_nw_dst=10.0.0.0/8,ct_nw_proto=6,ct_tp_src=80,"
    "ct_tp_dst=0x50/0xfff0,actions=drop",
    "ct_state=+trk-inv,ip,ct_nw_src=1.2.0.0/16,ct_nw_dst=10.0.0.1,ct_nw_proto=6,actions=drop",
    "ct_state=+est,ipv6,ct_ipv6_src=2001:db8::1,ct_ipv6_dst=fe80::/64,ct_nw_proto=17,"
    "ct_tp_src=0x50/0xfff0,ct_tp_dst=53,actions=drop",
    "ct_state=+rpl,ipv6,ct_ipv6_src=2001:db8::/32,ct_ipv6_dst=fe80::1,ct_nw_proto=17,"
    "actions=drop",
    "pkt_mark=5,dp_hash=0x5/0xff,recirc_id=3,actions=drop",
    "pkt_mark=0x5/0xff,dp_hash=6,conj_id=7,actions=drop",
    "arp,arp_sha=00:00:00:00:00:01,arp_tha=00:00:00:00:00:00/ff:ff:ff:00:00:00,arp_op=1,"
    "arp_spa=10.0.0.1,arp_tpa=10.0.0.0/8,actions=drop",
    "arp,arp_sha=00:00:00:00:00:00/ff:ff:ff:00:00:00,arp_tha=00:00:00:00:00:02,"
    "arp_spa=10.0.0.0/8,arp_tpa=10.0.0.2,actions=drop",
    "icmp6,icmpv6_type=135,icmpv6_code=0,nd_target=fe80::1,nd_sll=00:00:00:00:00:07,"
    "actions=drop",
    "icmp6,icmpv6_type=135,nd_sll=00:00:00:00:00:07/ff:ff:ff:00:00:00,actions=drop",
    "icmp6,icmpv6_type=136,nd_target=fe80::/64,nd_tll=00:00:00:00:00:07/ff:ff:ff:00:00:00,"
    "actions=drop",
    "icmp6,icmpv6_type=136,nd_tll=00:00:00:00:00:07,actions=drop",
    "ip,ip_frag=no,actions=drop",
    "ip,ip_frag=first,actions=drop",
    "ip,ip_frag=later,actions=drop",
    "ip,ip_frag=not_later,actions=drop",
    "ipv6,ip_frag=yes,actions=drop",
    "ip,nw_ecn=2,nw_ttl=64,nw_tos=16,actions=drop",
    "ipv6,nw_ecn=1,nw_ttl=3,ipv6_label=0x12345,ipv6_src=2001:db8::1,ipv6_dst=fe80::/64,"
    "actions=drop",
    "ipv6,ipv6_label=0x12345/0xff000,ipv6_src=2001:db8::/32,ipv6_dst=fe80::1,actions=drop",
    "tcp,tcp_flags=+syn-ack,tcp_src=80,tcp_dst=0x50/0xfff0,actions=drop",
    "tcp,tcp_flags=0x2,tcp_src=0x50/0xfff0,tcp_dst=22,actions=drop",
    "udp,udp_src=0x50/0xfff0,udp_dst=53,actions=drop",
    "udp,udp_src=53,udp_dst=0x50/0xfff0,actions=drop",
    "icmp,icmp_type=8,icmp_code=0,actions=drop",
    "in_port=5,actions=drop",
    "metadata=0x5/0xff,actions=drop",
    "metadata=0x5,actions=drop",
    "dl_src=00:00:00:00:00:01/ff:ff:ff:00:00:00,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,"
    "dl_type=0x0800,actions=drop",
    "dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:00:02,actions=drop",
    "vlan_tci=0x1005/0x1fff,actions=drop",
    "vlan_tci=0x1005,actions=drop",
    "mpls,mpls_tc=1,mpls_bos=1,mpls_ttl=5,mpls_label=16,actions=drop",
    "ip,nw_src=10.0.0.1/255.0.255.0,nw_dst=10.0.0.1,nw_proto=6,actions=drop",
    "ip,nw_src=10.0.0.1,nw_dst=10.0.0.0/8,actions=drop",
]

# Shorthands and how Open vSwitch writes a field it has no encoding of in that version.
_SHORT = {"ip": ["eth_type"], "ipv6": ["eth_type"], "arp": ["eth_type"],
          "mpls": ["eth_type"], "tcp": ["eth_type", "nw_proto"],
          "udp": ["eth_type", "nw_proto"], "icmp": ["eth_type", "nw_proto"],
          "icmp6": ["eth_type", "nw_proto"]}


def _expected(flow: str, version: int) -> set[str]:
    names: set[str] = set()
    for item in flow.split(",actions=")[0].split(","):
        key, _, value = item.partition("=")
        if key in _SHORT:
            names.update(_SHORT[key])
            continue
        key = {"dl_src": "eth_src", "dl_dst": "eth_dst", "dl_type": "eth_type",
               "nw_src": "ip_src", "nw_dst": "ip_dst"}.get(key, key)
        if m := re.fullmatch(r"(x{1,2})reg(\d)", key):
            # OVS writes the 32-bit registers that make it up, those the mask touches.
            n = 2 * len(m[1])
            mask = int(value.partition("/")[2] or "-1", 0) & ((1 << 32 * n) - 1)
            names.update(f"reg{n * int(m[2]) + j}" for j in range(n)
                         if mask >> 32 * (n - 1 - j) & 0xFFFFFFFF)
        elif key == "vlan_tci" and version == 4:  # OXM: vlan_vid, and vlan_pcp if exact
            names.update(["vlan_vid"] if "/" in value else ["vlan_vid", "vlan_pcp"])
        elif key == "nw_tos" and version == 4:
            names.add("ip_dscp")
        else:
            names.add(key)
    return names


def _oxms10(msg: bytes) -> tuple[bytes, list[Struct]]:
    """The nx_match of an NXT_FLOW_MOD and its TLVs: after the 16-byte Nicira header,
    cookie u64, command/idle/hard/priority u16, buffer_id u32, out_port/flags u16,
    match_len u16 at offset 40, 6 pad bytes; the TLVs from offset 48."""
    assert msg[0] == 1 and msg[1] == 4 and msg[8:16] == bytes.fromhex("000023200000000d")
    size = int.from_bytes(msg[40:42], "big")
    raw = msg[48:48 + size]
    oxms, off = [], 0
    while off < len(raw):
        parsed = ofp_oxm.parse(raw, off)
        assert parsed is not None
        oxms.append(parsed[0])
        off += parsed[1]
    assert off == size
    return raw, oxms


def _record(version: int, flows: list[str], tmp: Path) -> list[bytes]:
    path = tmp / f"flows{version}.txt"
    path.write_text("\n".join(flows) + "\n")
    option = "OpenFlow13" if version == 4 else "OpenFlow10"
    return record_ovs_ofctl(["-O", option, "add-flows", "{target}", str(path)],
                            version=version)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> dict[int, list[bytes]]:
    tmp = tmp_path_factory.mktemp("nxm")
    return {4: _record(4, OVS_FLOWS, tmp), 1: _record(1, OVS_FLOWS, tmp)}


def _check_oxms(flow: str, oxms: list[Struct], version: int) -> list[str]:
    names = []
    for oxm in oxms:
        f = field_of(type(oxm))
        assert f is not None, f"{flow}: {oxm!r} stayed generic"
        names.append(f.name)
        # The class Open vSwitch chose is the one our preference picks for that version.
        pick = (oxm_class_for if version == 4 else nxm_class_for)(f.name)
        assert pick is not None and pick[0] == f, f"{flow}: {f.spec}, we pick {pick}"
        check_struct(ofp_oxm, oxm)
    assert set(names) == _expected(flow, version), flow
    assert len(names) == len(set(names)), flow
    return names


def test_ovs_13_matches(recorded: dict[int, list[bytes]]) -> None:
    flow_mods = [m for m in recorded[4] if m[1] == 14]
    assert len(flow_mods) == len(OVS_FLOWS)
    seen: set[str] = set()
    for flow, msg in zip(OVS_FLOWS, flow_mods, strict=True):
        match, size = v13.ofp_match.parse(msg, 48)  # type: ignore[misc]
        assert bytes(match) == msg[48:48 + size]
        seen.update(_check_oxms(flow, match.oxm_fields, 4))
        decoded = of.decode_message(msg)
        assert of.load(of.dump(decoded)) == decoded and bytes(decoded) == msg
    assert seen >= {f.name for f in NXM_ROWS if not f.variable} - {
        "vlan_tci", "nw_tos", *(f"xxreg{i}" for i in range(4))} | {"tun_metadata0"}


def test_ovs_10_nx_match(recorded: dict[int, list[bytes]]) -> None:
    msgs = recorded[1]
    # NXT_SET_FLOW_FORMAT (NXM) first, then one NXT_FLOW_MOD per flow.
    assert msgs[0][8:20] == bytes.fromhex("000023200000000c00000002")
    assert len(msgs) == 1 + len(OVS_FLOWS)
    seen: set[str] = set()
    classes: set[int] = set()
    for flow, msg in zip(OVS_FLOWS, msgs[1:], strict=True):
        raw, oxms = _oxms10(msg)
        assert b"".join(bytes(o) for o in oxms) == raw
        seen.update(_check_oxms(flow, oxms, 1))
        classes.update(o.oxm_class for o in oxms)
    assert classes == {0x0000, 0x0001, 0x8000}  # metadata and MPLS have no NXM code
    assert seen >= {f.name for f in NXM_ROWS if not f.variable} - {
        *(f"xxreg{i}" for i in range(4))} | {"tun_metadata0", "tun_metadata63"}


def test_ovs_dump_names(recorded: dict[int, list[bytes]]) -> None:
    flow_mods = [m for m in recorded[4] if m[1] == 14]
    shown = {OVS_FLOWS[i]: of.dump(of.decode_message(m))["match"]["oxm_fields"]
             for i, m in enumerate(flow_mods)}
    assert shown["ct_state=+trk+est,ct_zone=5,ct_mark=7,ct_label=0x9,actions=drop"] == {
        "ct_state": "+est+trk", "ct_zone": 5, "ct_mark": "0x7", "ct_label": "0x9"}
    assert shown["ip,ip_frag=not_later,actions=drop"] == {"eth_type": "0x0800",
                                                           "ip_frag": "not_later"}
    assert shown["tun_metadata0=0x1234,actions=drop"] == {"tun_metadata0": "0x1234"}
    assert shown["reg0=5,reg1=0x5/0xff,reg15=7,actions=drop"] == {
        "reg0": "0x5", "reg1": "0x5/0xff", "reg15": "0x7"}
    assert shown["tun_flags=+oam,actions=drop"] == {"tun_flags": "+oam"}


# -- the vocabulary gives OVS's bytes ---------------------------------------------------

VOCAB: list[tuple[str, Callable[[], Struct]]] = [
    ("reg0=5,reg1=0x5/0xff,ct_state=+trk+est,ct_zone=5,actions=drop",
     lambda: of.flow_mod({"reg0": 5, "reg1": "0x5/0xff", "ct_state": "+trk+est",
                          "ct_zone": 5}, version=4)),
    ("ct_state=+est,ip,ct_nw_src=1.2.3.4,ct_nw_dst=10.0.0.0/8,ct_nw_proto=6,ct_tp_src=80,"
     "ct_tp_dst=0x50/0xfff0,actions=output:1",
     lambda: of.flow_mod({"ct_tp_dst": (0x50, 0xFFF0), "ct_tp_src": 80, "ct_nw_proto": 6,
                          "ct_nw_dst": "10.0.0.0/8", "ct_nw_src": "1.2.3.4",
                          "eth_type": 0x0800, "ct_state": "+est"}, [of.output(1)],
                         version=4)),
    ("tun_id=0x5/0xff,tun_src=1.2.3.4,tun_flags=+oam,tun_gbp_id=5,tun_metadata0=0x1234,"
     "actions=drop",
     lambda: of.flow_mod({"tun_metadata0": "0x1234", "tun_gbp_id": 5, "tun_flags": "+oam",
                          "tun_src": "1.2.3.4", "tun_id": (5, 0xFF)}, version=4)),
    ("ip,ip_frag=not_later,nw_ttl=64,nw_ecn=2,actions=drop",
     lambda: of.flow_mod({"eth_type": 0x0800, "nw_frag": "not_later", "nw_ttl": 64,
                          "nw_ecn": 2}, version=4)),
    ("pkt_mark=0x5/0xff,dp_hash=6,conj_id=7,recirc_id=3,actions=drop",
     lambda: of.flow_mod({"pkt_mark": "0x5/0xff", "dp_hash": 6, "conj_id": 7,
                          "recirc_id": 3}, version=4)),
    ("tcp,tcp_flags=+syn-ack,ct_state=-new+est,ct_mark=0x7/0xff,ct_label=0x9,actions=drop",
     lambda: of.flow_mod({"eth_type": 0x0800, "nw_proto": 6, "tcp_flags": (0x02, 0x12),
                          "ct_state": "-new+est", "ct_mark": (7, 0xFF), "ct_label": "0x9"},
                         version=4)),
    ("ipv6,tun_ipv6_dst=fe80::/64,ct_state=+trk-inv,ct_ipv6_src=2001:db8::1,ct_nw_proto=17,"
     "ct_tp_dst=53,actions=drop",
     lambda: of.flow_mod({"eth_type": 0x86DD, "tun_ipv6_dst": "fe80::/64",
                          "ct_state": "+trk-inv", "ct_ipv6_src": "2001:db8::1",
                          "ct_nw_proto": 17, "ct_tp_dst": 53}, version=4)),
    ("mpls,mpls_tc=1,mpls_bos=1,mpls_ttl=5,mpls_label=16,actions=drop",
     lambda: of.flow_mod({"mpls_label": 16, "mpls_ttl": 5, "mpls_bos": 1, "mpls_tc": 1,
                          "eth_type": 0x8847}, version=4)),
    ("reg15=0x7/0xf,xreg3=0x12,tun_metadata63=0x1234/0xff00,in_port=LOCAL,actions=drop",
     lambda: of.flow_mod({"tun_metadata63": "0x1200/0xff00", "reg15": "0x7/0xf",
                          "reg6": 0, "reg7": 0x12, "in_port": "LOCAL"}, version=4)),
]


def test_match_gives_ovs_bytes(tmp_path: Path) -> None:
    recorded = [m for m in _record(4, [text for text, _ in VOCAB], tmp_path) if m[1] == 14]
    assert len(recorded) == len(VOCAB)
    for (text, make), theirs in zip(VOCAB, recorded, strict=True):
        ours = make()
        ours.xid = int.from_bytes(theirs[4:8], "big")
        of.validate(ours)
        assert bytes(ours).hex() == theirs.hex(), f"{text}: {of.dump(of.decode_message(theirs))}"
        assert of.load(of.dump(ours)) == ours


# -- validation --------------------------------------------------------------------------

def _problem(**fields: Any) -> str | None:
    try:
        of.validate(of.flow_mod(of.match(version=4, **fields), version=4))
    except of.ValidationError as e:
        return str(e)
    return None


@pytest.mark.parametrize("state", ["+est", "+new", "+rel", "+rpl", "+snat", "+dnat",
                                   "+trk-inv", "-new+est", "0x2/0x3"])
def test_ct_prerequisite_met(state: str) -> None:
    assert _problem(ct_state=state, ct_nw_proto=6, eth_type=0x0800, ct_nw_src="1.2.3.4",
                    ct_tp_src=80) is None


@pytest.mark.parametrize("state", [None, "+trk", "-trk", "+inv", "-inv", "-new+trk",
                                   "+trk+inv"])
def test_ct_prerequisite_refused(state: str | None) -> None:
    fields: dict[str, Any] = {"ct_nw_proto": 6}
    if state is not None:
        fields["ct_state"] = state
    problem = _problem(**fields)
    assert problem is not None and "ct_nw_proto needs a ct_state match" in problem


@pytest.mark.parametrize("fields,needs", [
    ({"ct_state": "+est", "ct_nw_src": "1.2.3.4"}, "ct_nw_src needs eth_type=0x0800"),
    ({"ct_state": "+est", "eth_type": 0x0800, "ct_ipv6_dst": "::1"},
     "ct_ipv6_dst needs eth_type=0x86dd"),
    ({"ct_state": "+est", "ct_tp_dst": 80}, "ct_tp_dst needs ct_nw_proto"),
    ({"ip_frag": "first"}, "ip_frag needs eth_type=0x0800 or 0x86dd"),
    ({"eth_type": 0x0800, "ip_frag": 4}, "ip_frag=4 is out of range"),
    ({"tun_flags": 2}, "tun_flags=2 is out of range"),
    ({"ct_state": (0x100, 0x100)}, "ct_state=256 is out of range"),
    ({"ct_zone": (1, 0xFF)}, "ct_zone cannot be matched with a mask"),
    ({"reg0": (0x11, 0x0F)}, "reg0 has value bits outside its mask"),
])
def test_nicira_refusals(fields: dict[str, Any], needs: str) -> None:
    try:
        problem = _problem(**fields)
    except ValueError as e:
        problem = str(e)
    assert problem is not None and needs in problem, problem


def test_nicira_accepted() -> None:
    assert _problem(eth_type=0x0800, ip_frag="not_later", nw_ttl=5, reg3="0x1/0x1",
                    tun_metadata5="0x12/0xff", tun_flags="-oam", pkt_mark=1) is None
