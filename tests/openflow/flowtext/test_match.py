"""The match part of the flow language, checked against Open vSwitch 3.1.

Every text of ``CASES`` goes through ``ovs-ofctl add-flows`` against the stub switch
(OpenFlow 1.3, and 1.0 split by our own OFPT_FLOW_MOD / NXM decision) and through
``ovs-ofctl ofp-parse`` of what it sent: our bytes equal OVS's, ``format_match`` of
OVS's bytes equals OVS's text, and that text reads back into the same bytes (except
where OVS's own print loses information: ``LOSSY``).  Then the errors.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from vlcp_core.namedstruct import Struct
from vlcp_core.openflow import v10, v13
from vlcp_core.openflow._oxm import ofp_oxm
from vlcp_core.openflow.flowtext._errors import FlowSyntaxError
from vlcp_core.openflow.flowtext._lexer import split_top
from vlcp_core.openflow.flowtext._match import (
    MATCH_KEYWORDS_OTHER,
    Match10,
    MatchPrerequisiteError,
    MatchSpec,
    build_match,
    format_match,
    parse_match,
)
from vlcp_core.openflow.flowtext._match_format import format_fields, match_fields

from ..stub_switch import record_ovs_ofctl

# Match texts Open vSwitch accepts, every field class: OXM basic, NXM classic and
# Nicira (registers, tunnel, tun_metadata, ct), xreg/xxreg, masks, shorthands,
# legacy names, the VLAN variants, flags, ports.
CASES = [
    'in_port=1',
    'in_port=LOCAL',
    'in_port=CONTROLLER',
    'in_port=IN_PORT',
    'in_port=65279',
    'dl_src=00:11:22:33:44:55',
    'dl_dst=01:00:00:00:00:00/01:00:00:00:00:00',
    'dl_src=aa:bb:cc:00:00:00/ff:ff:ff:00:00:00,dl_dst=00:00:00:00:00:02',
    'eth_src=00:11:22:33:44:55/ff:ff:ff:ff:ff:ff',
    'dl_type=0x0800',
    'dl_type=0x88cc',
    'eth_type=0x86dd',
    'dl_vlan=5',
    'dl_vlan=0xffff',
    'dl_vlan_pcp=3',
    'dl_vlan=5,dl_vlan_pcp=3',
    'vlan_tci=0x1000/0x1000',
    'vlan_tci=0x1005/0x1fff',
    'vlan_tci=0xf123',
    'vlan_tci=0',
    'vlan_tci=0x5000/0xf000',
    'vlan_tci=0/0xfff',
    'vlan_tci=0x1005/0x1005',
    'vlan_vid=0x1005',
    'vlan_vid=5',
    'vlan_vid=0x1000/0x1000',
    'vlan_pcp=3',
    'vlan_vid=0x1005,vlan_pcp=7',
    'ip',
    'ip,nw_src=10.0.0.1',
    'ip,nw_dst=10.0.0.0/24',
    'ip,nw_src=10.0.0.0/255.0.255.0',
    'ip,ip_src=1.2.3.4,ip_dst=5.6.7.8',
    'ip,nw_proto=89',
    'ip,nw_tos=16',
    'ip,ip_dscp=46',
    'ip,nw_ecn=2',
    'ip,ip_ecn=1',
    'ip,nw_ttl=64',
    'ip,ip_frag=first',
    'ip,nw_frag=later',
    'ipv6,ip_frag=yes',
    'ip,ip_frag=not_later',
    'ip,ip_frag=no',
    'tcp',
    'tcp,tp_src=80',
    'tcp,tp_dst=80',
    'tcp,tcp_dst=0x50/0xfff0',
    'tcp,tcp_flags=+syn-ack',
    'tcp,tcp_flags=fin|syn',
    'tcp,tcp_flags=0x2/0x12',
    'tcp,tcp_flags=0x12',
    'tcp6,tcp_src=22',
    'udp,udp_dst=53',
    'udp6,tp_dst=53',
    'udp,udp_src=0x50/0xfff0,udp_dst=53',
    'sctp,sctp_src=1',
    'sctp6,tp_dst=2',
    'icmp',
    'icmp,icmp_type=8,icmp_code=0',
    'icmp,tp_src=3,tp_dst=1',
    'icmp6',
    'icmp6,icmpv6_type=128,icmpv6_code=0',
    'icmp6,icmpv6_type=135,nd_target=fe80::1,nd_sll=00:00:00:00:00:07',
    'icmp6,icmpv6_type=136,nd_target=fe80::/64,nd_tll=00:00:00:00:00:07/ff:ff:ff:00:00:00',
    'icmp6,icmp_type=135,nd_sll=00:00:00:00:00:07/ff:ff:ff:00:00:00',
    'arp',
    'arp,arp_op=1',
    'arp,arp_spa=10.0.0.1,arp_tpa=10.0.0.0/8',
    'arp,arp_sha=00:00:00:00:00:01,arp_tha=00:00:00:00:00:00/ff:ff:ff:00:00:00',
    'arp,nw_src=10.0.0.1,nw_dst=10.0.0.2,nw_proto=2',
    'arp,arp_spa=10.0.0.0/255.0.255.0',
    'rarp',
    'rarp,arp_op=3',
    'mpls',
    'mpls,mpls_label=16',
    'mpls,mpls_tc=1,mpls_bos=1,mpls_ttl=5',
    'mplsm,mpls_label=100',
    'ipv6',
    'ipv6,ipv6_src=2001:db8::1',
    'ipv6,ipv6_dst=fe80::/64',
    'ipv6,ipv6_src=2001:db8::/ffff:ffff::ffff',
    'ipv6,ipv6_label=0x12345',
    'ipv6,ipv6_label=0x12345/0xff000',
    'ipv6,nw_tos=8,nw_ttl=3,nw_ecn=1',
    'ipv6,nw_proto=17',
    'metadata=0x5',
    'metadata=0x5/0xff',
    'tun_id=5',
    'tunnel_id=0x5/0xff',
    'tun_src=1.2.3.4,tun_dst=10.0.0.0/8',
    'tun_ipv6_src=2001:db8::1,tun_ipv6_dst=fe80::/64',
    'tun_flags=+oam',
    'tun_flags=-oam',
    'tun_gbp_id=5,tun_gbp_flags=3',
    'tun_gbp_id=0x5/0xff,tun_gbp_flags=0x3/0xf',
    'tun_metadata0=0x1234',
    'tun_metadata5=0x12/0xff',
    'tun_metadata63=0x1234/0xff00',
    'reg0=5',
    'reg1=0x5/0xff,reg15=7',
    'reg3=0',
    'xreg0=5',
    'xreg1=0x500000000/0xff00000000',
    'xreg3=0x123456789abcdef0',
    'xxreg0=5',
    'xxreg1=0x5/0xff',
    'xxreg3=0x1234567890abcdef1234567890abcdef',
    'pkt_mark=5',
    'pkt_mark=0x5/0xff',
    'ct_state=+trk',
    'ct_state=+trk+est',
    'ct_state=-new+est',
    'ct_state=trk|new',
    'ct_state=0x22/0x22',
    'ct_zone=5',
    'ct_mark=7',
    'ct_mark=0x7/0xff',
    'ct_label=0x9',
    'ct_label=0x9/0xff',
    'ct_label=0x1234567890abcdef1234567890abcdef',
    'ct_state=+est,ip,ct_nw_src=1.2.3.4,ct_nw_dst=10.0.0.0/8,ct_nw_proto=6,ct_tp_src=80,'
    'ct_tp_dst=0x50/0xfff0',
    'ct_state=+est+trk,ipv6,ct_ipv6_src=2001:db8::1,ct_ipv6_dst=fe80::/64,ct_nw_proto=17,'
    'ct_tp_dst=53',
    'dp_hash=0x5/0xff',
    'recirc_id=3',
    'conj_id=7',
    'actset_output=3',
    'actset_output=LOCAL',
    'in_port=1,dl_vlan=5,dl_src=00:00:00:00:00:01,tcp,nw_dst=10.0.0.0/8,tp_dst=80',
    'in_port=3,tcp6,ipv6_src=2001:db8::1,tcp_flags=+syn,reg2=1,ct_state=+trk,metadata=9,tun_id=1,'
    'pkt_mark=2',
    'udp,in_port=2,dl_vlan=10,dl_vlan_pcp=5,nw_src=192.168.0.0/16,nw_tos=32,tp_src=68,tp_dst=67',
    'arp,in_port=4,dl_src=00:00:00:00:00:09,arp_op=2,arp_spa=10.0.0.1,arp_tpa=10.0.0.254',
    'eth,in_port=1,reg0=1,metadata=1',
    'in_port=NONE',
    'tun_flags=oam',
    'ct_state=0x21',
    'ct_state=0',
    'tcp,tcp_flags=0',
    'tcp,tcp_flags=0/0xfff',
    'ip,ip_dscp=4,nw_ecn=1',
    'vlan_tci=0x1000/0x1fff',
    'tun_metadata0=0x0012',
    'tun_metadata0=0x1234/0xffff',
    'tun_metadata0=0x1234/0xff',
    'arp,nw_proto=1',
    'icmp6,icmp_type=3',
    'ipv6,dl_vlan=3',
    'tcp,tcp_flags=+syn-ack+fin',
    'vlan_tci=0x0001/0x0001',
    'tun_gbp_flags=0x3/0xff',
    'ip,nw_frag=no,nw_tos=0',
    'icmp,nw_frag=later,icmp_type=1',
    'recirc_id=3,dp_hash=0x5/0xff,conj_id=7,pkt_mark=1,actset_output=3,ct_state=+trk,ct_zone=5,'
    'ct_mark=7,ct_label=9,in_port=1',
    'ipv6,ipv6_src=::1,ipv6_dst=::2,ipv6_label=1,nw_proto=6,nw_tos=4,ip_frag=no,nw_ttl=2,'
    'dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:00:02,in_port=1,tcp_flags=+syn,tp_src=1,'
    'tp_dst=2',
    'mpls,mpls_label=1,mpls_tc=2,mpls_ttl=3,mpls_bos=1,in_port=1,dl_vlan=3',
    'tun_id=1,tun_src=1.1.1.1,tun_dst=2.2.2.2,tun_ipv6_src=::1,tun_gbp_id=1,tun_gbp_flags=1,'
    'tun_flags=+oam,tun_metadata0=1,tun_metadata1=2,reg0=1,reg1=2,metadata=1,in_port=1',
    'dl_type=0x1234,in_port=1,dl_vlan=2,dl_src=00:00:00:00:00:01',
    'reg0=0/0',
    'ip,nw_dst=10.0.0.1/24',
    'vlan_pcp=3,vlan_vid=0',
    'vlan_vid=0,vlan_pcp=3',
    'dl_vlan=5,vlan_tci=0x1006',
    'ip,nw_src=10.0.0.0/0',
    'tcp,tp_src=0/0xfff0',
    'reg1=0/0xff',
    'ip,nw_ttl=0',
    'metadata=0',
    'packet_type=(1,0x894f),reg0=1,in_port=1',
    'packet_type=(1,0x800)',
    'packet_type=(0,0),in_port=1',
    'eth,ip',
]

# Texts whose OVS print does not read back into the same bytes (OVS's print hides a
# mask: tun_gbp_flags, a tun_metadata mask of all ones, tcp_flags=0/0xfff; or the
# packet_type of "eth").
LOSSY = {"tun_gbp_id=0x5/0xff,tun_gbp_flags=0x3/0xf", "tun_metadata5=0x12/0xff",
         "eth,in_port=1,reg0=1,metadata=1", "tcp,tcp_flags=0/0xfff",
         "tun_metadata0=0x1234/0xffff", "tun_metadata0=0x1234/0xff",
         "packet_type=(0,0),in_port=1"}
# Where the wire form drops part of the TCI, so that OVS prints otherwise than the spec:
# OXM has no PCP without a VLAN; the 1.0 ofp_match has no VID bits without a VLAN.
NOT_CARRIED = {4: {"dl_vlan=0xffff", "vlan_tci=0", "vlan_pcp=3,vlan_vid=0"},
               1: {"vlan_vid=5", "vlan_pcp=3,vlan_vid=0"}}


def _spec(text: str, version: int) -> MatchSpec:
    return parse_match(split_top(text), version)


def _tlvs(raw: bytes) -> list[Struct]:
    out, off = [], 0
    while off < len(raw):
        parsed = ofp_oxm.parse(raw, off)
        assert parsed is not None
        out.append(parsed[0])
        off += parsed[1]
    return out


def _ovs_texts(messages: list[bytes], tmp: Path, name: str) -> list[str]:
    """The match text ``ovs-ofctl ofp-parse`` prints for each recorded FLOW_MOD."""
    path = tmp / f"{name}.bin"
    path.write_bytes(b"".join(messages))
    out = subprocess.run(["ovs-ofctl", "ofp-parse", str(path)], capture_output=True,
                         text=True, check=True).stdout
    lines = [line for line in out.splitlines() if "FLOW_MOD" in line]
    assert len(lines) == len(messages)
    return [line.split(" ADD ", 1)[1].rsplit("actions=", 1)[0].strip() for line in lines]


def _record(flows: list[str], version: int, tmp: Path, name: str) -> list[bytes]:
    path = tmp / f"{name}.txt"
    path.write_text("".join(f"{flow},actions=drop\n" for flow in flows))
    option = "OpenFlow13" if version == 4 else "OpenFlow10"
    return record_ovs_ofctl(["-O", option, "add-flows", "{target}", str(path)],
                            version=version)


class Recorded:
    """OVS's bytes and text per case: ``match[(version, text)]`` is (kind, raw match,
    OVS text), kind ``13``, ``10`` (OFPT_FLOW_MOD) or ``NX`` (NXT_FLOW_MOD)."""

    def __init__(self, tmp: Path) -> None:
        self.match: dict[tuple[int, str], tuple[str, bytes, str]] = {}
        msgs = _record(CASES, 4, tmp, "of13")
        assert len(msgs) == len(CASES) and all(m[1] == 14 for m in msgs)
        for text, msg, shown in zip(CASES, msgs, _ovs_texts(msgs, tmp, "of13"), strict=True):
            size = int.from_bytes(msg[50:52], "big")
            self.match[4, text] = ("13", msg[48:48 + size + -size % 8], shown)
        self.nxm = [text for text in CASES if _spec(text, 1).needs_nxm]
        plain = [text for text in CASES if text not in self.nxm]
        msgs = _record(plain, 1, tmp, "of10")
        # No NXT_SET_FLOW_FORMAT: OVS agrees that every one of them fits OpenFlow 1.0.
        assert len(msgs) == len(plain) and all(m[1] == 14 for m in msgs)
        for text, msg, shown in zip(plain, msgs, _ovs_texts(msgs, tmp, "of10"), strict=True):
            self.match[1, text] = ("10", msg[8:48], shown)
        msgs = _record(self.nxm, 1, tmp, "nxm")
        assert msgs[0][8:20] == bytes.fromhex("000023200000000c00000002")
        msgs = msgs[1:]
        assert len(msgs) == len(self.nxm)
        for text, msg, shown in zip(self.nxm, msgs, _ovs_texts(msgs, tmp, "nxm"), strict=True):
            assert msg[8:16] == bytes.fromhex("000023200000000d")
            size = int.from_bytes(msg[40:42], "big")
            self.match[1, text] = ("NX", msg[48:48 + size], shown)


@pytest.fixture(scope="module")
def ovs(tmp_path_factory: pytest.TempPathFactory) -> Recorded:
    return Recorded(tmp_path_factory.mktemp("match"))


def test_the_table_covers_every_field_class() -> None:
    assert len(CASES) >= 80 and len(set(CASES)) == len(CASES)
    names = {name for text in CASES for name, _, _ in _spec(text, 4).fields}
    assert {"in_port", "eth_src", "vlan_tci", "ip_dst", "arp_spa", "ipv6_label", "tcp_flags",
            "icmpv6_type", "nd_sll", "mpls_label", "metadata", "reg15", "tun_id",
            "tun_metadata63", "tun_ipv6_dst", "ct_state", "ct_label", "ct_tp_dst",
            "ct_ipv6_src", "pkt_mark", "dp_hash", "recirc_id", "conj_id", "actset_output",
            "ip_frag", "nw_ecn", "nw_ttl", "nw_tos", "sctp_src", "packet_type"} <= names


def _ours(text: str, version: int, kind: str, *, same_choice: bool = True) -> bytes:
    spec = _spec(text, version)
    built = build_match(spec, version)
    if version == 4:
        return bytes(built)
    assert isinstance(built, Match10)
    assert built.needs_nxm == (kind == "NX") or not same_choice
    if kind == "10":
        assert built.ofp_match is not None
        return bytes(built.ofp_match)
    return b"".join(bytes(t) for t in built.nxm)


def _decoded(kind: str, raw: bytes) -> Any:
    if kind == "13":
        return v13.ofp_match.create(raw)
    if kind == "10":
        return v10.ofp_match.create(raw)
    return _tlvs(raw)


@pytest.mark.parametrize("version", [4, 1])
def test_bytes_equal_ovs(ovs: Recorded, version: int) -> None:
    wrong = []
    for text in CASES:
        kind, raw, _ = ovs.match[version, text]
        ours = _ours(text, version, kind)
        if ours != raw:
            wrong.append(f"{text}: OVS {raw.hex()}, ours {ours.hex()}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("version", [4, 1])
def test_format_is_what_ovs_prints(ovs: Recorded, version: int) -> None:
    wrong = []
    for text in CASES:
        kind, raw, shown = ovs.match[version, text]
        ours = format_match(_decoded(kind, raw), version)
        if ours != shown:
            wrong.append(f"{text}: OVS {shown!r}, ours {ours!r}")
        # Our own spec prints the same as the bytes OVS sent.
        skip = LOSSY | NOT_CARRIED[version]
        if format_fields(_spec(text, version).fields) != shown and text not in skip:
            wrong.append(f"{text}: spec prints {format_fields(_spec(text, version).fields)!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("version", [4, 1])
def test_printed_text_reads_back(ovs: Recorded, version: int) -> None:
    wrong = []
    for text in CASES:
        kind, raw, shown = ovs.match[version, text]
        if text in LOSSY:
            continue
        # (OVS may print an NXM match as text that fits OpenFlow 1.0: dl_vlan=5)
        again = _ours(shown, version, kind, same_choice=False)
        if again != raw:
            wrong.append(f"{text} -> {shown}: {again.hex()} != {raw.hex()}")
    assert not wrong, "\n".join(wrong)


def test_nxm_decision_agrees_with_ovs(ovs: Recorded) -> None:
    # The flows we send as NXM: ovs-ofctl alone would choose NXM for each of them too.
    for text in ovs.nxm:
        out = subprocess.run(["ovs-ofctl", "-O", "OpenFlow10", "parse-flow",
                              text + ",actions=drop"], capture_output=True, text=True,
                             check=True).stdout
        assert "chosen protocol: NXM" in out, text


# -- what the spec holds ------------------------------------------------------------------

@pytest.mark.parametrize("text,fields", [
    ("arp,nw_src=10.0.0.1,nw_proto=2", [("eth_type", 0x0806, None), ("arp_op", 2, None),
                                         ("arp_spa", 0x0A000001, None)]),
    ("icmp,tp_src=3", [("eth_type", 0x0800, None), ("nw_proto", 1, None),
                       ("icmp_type", 3, None)]),
    ("icmp6,icmp_type=135", [("eth_type", 0x86DD, None), ("nw_proto", 58, None),
                             ("icmpv6_type", 135, None)]),
    ("udp6,tp_dst=53", [("eth_type", 0x86DD, None), ("nw_proto", 17, None),
                        ("udp_dst", 53, None)]),
    ("xreg0=5", [("reg0", 0, None), ("reg1", 5, None)]),
    ("xxreg1=0x5/0xff", [("reg7", 5, 0xFF)]),
    ("ip,ip_dscp=46", [("eth_type", 0x0800, None), ("nw_tos", 184, None)]),
    ("dl_vlan=5,dl_vlan_pcp=3", [("vlan_tci", 0x7005, None)]),
    ("vlan_vid=5", [("vlan_tci", 0x0005, 0x1FFF)]),
    ("dl_vlan=0xffff", [("vlan_tci", 0, None)]),
    ("ct_state=trk|new", [("ct_state", 0x21, 0xFF)]),
    ("tcp,tcp_flags=fin|syn", [("eth_type", 0x0800, None), ("nw_proto", 6, None),
                               ("tcp_flags", 3, None)]),
    ("tun_flags=oam", [("tun_flags", 1, 1)]),
    ("tun_metadata0=0x1234/0xff", [("tun_metadata0", b"\x00\x34", b"\x00\xff")]),
    ("ip,nw_dst=10.0.0.1/24", [("eth_type", 0x0800, None), ("ip_dst", 0x0A000000, 0xFFFFFF00)]),
    ("in_port=65534", [("in_port", 0xFFFFFFFE, None)]),
    ("reg0=0/0,in_port=*", []),
])
def test_spec_fields(text: str, fields: list[Any]) -> None:
    assert list(_spec(text, 4).fields) == fields


def test_other_spellings() -> None:
    same = _spec("ip,nw_dst=1.2.3.4,in_port=3", 4)
    for text in ("ip,ipv4_dst=1.2.3.4,in_port=3", "ip,NXM_OF_IP_DST=1.2.3.4,OXM_OF_IN_PORT=3",
                 "dl_type=0x0800,ip_dst=1.2.3.4,in_port=3", "IP,NW_DST=1.2.3.4,IN_PORT=3",
                 "ip,dl_type=0x0800,nw_dst=1.2.3.4,in_port=3"):
        assert _spec(text, 4) == same, text
    assert _spec("tcp,nw_proto=6", 4) == _spec("tcp", 4)
    assert _spec("ipv6,nw_proto=6", 4) == _spec("tcp6", 4)


def test_keywords_of_the_flow_are_left_to_the_caller() -> None:
    pieces = split_top("priority=5,table=1,cookie=0x1,send_flow_rem,ip,n_packets=3")
    assert {"priority", "table", "cookie", "send_flow_rem", "n_packets"} <= MATCH_KEYWORDS_OTHER
    assert parse_match(pieces, 4, skip_other=True) == _spec("ip", 4)
    with pytest.raises(FlowSyntaxError, match='"priority" is not part of a match at column 1'):
        parse_match(pieces, 4)


def test_match10_forms_and_hints() -> None:
    m10 = build_match(_spec("tcp,tp_dst=80", 1), 1)
    assert isinstance(m10, Match10) and not m10.needs_nxm and m10.ofp_match is not None
    assert format_match(m10.ofp_match, 1) == format_match(m10.nxm, 1) == "tcp,tp_dst=80"
    assert build_match(_spec("reg0=1", 1), 1).ofp_match is None
    assert _spec("dl_vlan=5,tcp", 4).vlan and not _spec("vlan_tci=0", 4).vlan
    assert _spec("tcp6", 4).ip_proto == 6 and _spec("arp", 4).ip_proto is None
    match, is_nxm = build_match(_spec("ip", 1), 1, nxm=True)
    assert is_nxm and isinstance(match, list)
    assert match_fields(_spec("ip", 4)) == [("eth_type", 0x0800, None)]


# -- errors --------------------------------------------------------------------------------

@pytest.mark.parametrize("text,message", [
    ("priority=1,in_port=1,nw_dsst=10.0.0.1",
     'unknown field "nw_dsst" at column 22 (did you mean nw_dst?)'),
    ("in_port=1,ip,nw_dst=10.0.0.300",
     'bad value "10.0.0.300" for nw_dst at column 21 (not an IPv4 address'),
    ("ipv6,ipv6_src=2001:db8::g", 'bad value "2001:db8::g" for ipv6_src at column 15'),
    ("dl_src=00:11:22:33:44", 'bad value "00:11:22:33:44" for dl_src at column 8 '
     "(not a MAC address"),
    ("dl_dst=00:11:22:33:44:zz", 'bad value "00:11:22:33:44:zz" for dl_dst at column 8'),
    ("ip,nw_proto=6/0xff", "nw_proto cannot be masked at column 14 (write nw_proto=6)"),
    ("in_port=1/0xff", "in_port cannot be masked at column 10"),
    ("tcp,tcp_flags=+syx", 'bad value "+syx" for tcp_flags at column 15 '
     "(unknown flag 'syx'; did you mean syn?)"),
    ("ct_state=+trk+nwe", "unknown flag 'nwe'; did you mean new?"),
    ("ip,nw_dst=1.1.1.1,nw_dst=2.2.2.2", "nw_dst is set twice at column 19 (first at column 4)"),
    ("ip,nw_dst=1.1.1.1,ip_dst=2.2.2.2", "ip_dst is set twice at column 19"),
    ("tcp,tp_dst=1,tcp_dst=2", "tcp_dst is set twice at column 14"),
    ("xreg0=1,reg1=2", "reg1 is set twice at column 9"),
    ("vlan_pcp=9", 'bad value "9" for vlan_pcp at column 10 (vlan_pcp is 0 to 7)'),
    ("dl_vlan_pcp=8", "dl_vlan_pcp is 0 to 7"),
    ("dl_vlan=4096", "dl_vlan is 0 to 4095, or 0xffff for no VLAN"),
    ("arp,arp_op=300", "arp_op is 0 to 255"),
    ("ip,nw_tos=17", "the ECN bits are nw_ecn"),
    ("ip,ip_dscp=64", "ip_dscp is 0 to 63"),
    ("ct_state=0x100", "ct_state is 0 to 255"),
    ("tcp,tcp_flags=0x12/0xffff", "the mask is wider than tcp_flags"),
    ("in_port=0x10", 'bad value "0x10" for in_port at column 9 (not a port'),
    ("reg0=5x", 'bad value "5x" for reg0 at column 6'),
    ("ip,ipv6", "ipv6 contradicts ip at column 4 (ip at column 1 already sets dl_type=0x0800)"),
    ("tcp,nw_proto=17", "nw_proto contradicts tcp at column 5 (tcp at column 1 already sets "
     "nw_proto=6)"),
    ("nw_dst", 'field "nw_dst" needs a value at column 1'),
    ("ip,bogus", 'unknown field "bogus" at column 4'),
    ("ip,pbb_isid=5", "Open vSwitch cannot match pbb_isid at column 4"),
    ("packet_type=(1)", 'bad value "(1)" for packet_type at column 13'),
    ("tun_metadata0=0x" + "11" * 125, "longer than 124 bytes"),
])
def test_errors(text: str, message: str) -> None:
    with pytest.raises(FlowSyntaxError) as info:
        parse_match(split_top(text), 4, skip_other=True)
    assert message in str(info.value)
    assert type(info.value) is FlowSyntaxError


# Every prerequisite kind, with what to add.
@pytest.mark.parametrize("text,message", [
    ("nw_dst=10.0.0.1", "nw_dst at column 1 needs ip (or dl_type=0x0800): Open vSwitch "
     "would ignore it and match every packet"),
    ("in_port=1,nw_src=10.0.0.1", "nw_src at column 11 needs ip (or dl_type=0x0800): Open "
     "vSwitch would ignore it and match more packets than intended"),
    ("ipv6_src=::1", "ipv6_src at column 1 needs ipv6 (or dl_type=0x86dd)"),
    ("ip,ipv6_label=1", "ipv6_label at column 4 needs ipv6"),
    ("nw_ttl=3", "nw_ttl at column 1 needs ip or ipv6 (or dl_type=0x0800 or 0x86dd)"),
    ("nw_tos=8", "nw_tos at column 1 needs ip or ipv6"),
    ("arp,nw_ecn=1", "nw_ecn at column 5 needs ip or ipv6"),
    ("ip_frag=no", "ip_frag at column 1 needs ip or ipv6"),
    ("nw_proto=6", "nw_proto at column 1 needs ip, ipv6 or arp"),
    ("arp_spa=10.0.0.1", "arp_spa at column 1 needs arp or rarp (or dl_type=0x0806 or 0x8035)"),
    ("ip,arp_tpa=10.0.0.1", "arp_tpa at column 4 needs arp or rarp (or dl_type=0x0806 or "
     "0x8035): Open vSwitch would match it as ip_dst instead"),
    ("ipv6,arp_sha=00:00:00:00:00:01", "arp_sha at column 6 needs arp or rarp"),
    ("ip,arp_op=1", "arp_op at column 4 needs arp or rarp"),
    ("mpls_label=16", "mpls_label at column 1 needs mpls or mplsm (or dl_type=0x8847 or 0x8848)"),
    ("tcp_dst=80", "tcp_dst at column 1 needs tcp or tcp6 (or nw_proto=6 with ip or ipv6)"),
    ("udp,tcp_src=80", "tcp_src at column 5 needs tcp or tcp6 (or nw_proto=6 with ip or ipv6): "
     "Open vSwitch would match it as udp_src instead"),
    ("ip,udp_src=53", "udp_src at column 4 needs udp or udp6"),
    ("tcp6,sctp_dst=1", "sctp_dst at column 6 needs sctp or sctp6"),
    ("ip,tp_dst=80", "tp_dst at column 4 needs tcp, udp, sctp or icmp"),
    ("tcp_flags=+syn", "tcp_flags at column 1 needs tcp or tcp6"),
    ("udp,tcp_flags=+syn", "tcp_flags at column 5 needs tcp or tcp6"),
    ("ip,icmp_type=8", "icmp_type at column 4 needs icmp or icmp6"),
    ("icmp,icmpv6_type=128", "icmpv6_type at column 6 needs icmp6 (or ipv6,nw_proto=58)"),
    ("icmp6,nd_target=fe80::1", "nd_target at column 7 needs icmp6 with icmpv6_type=135 or "
     "136 (and icmpv6_code=0)"),
    ("icmp6,icmp_type=135,icmp_code=1,nd_target=fe80::1", "nd_target at column 33 needs icmp6"),
    ("icmp6,icmp_type=136,nd_sll=00:00:00:00:00:01", "nd_sll at column 21 needs "
     "icmp6,icmpv6_type=135"),
    ("icmp6,icmp_type=135,nd_tll=00:00:00:00:00:01", "nd_tll at column 21 needs "
     "icmp6,icmpv6_type=136"),
    ("ip,ct_nw_src=1.2.3.4", "ct_nw_src at column 4 needs a ct_state match that implies a "
     "connection (+new, +est, +rel, +rpl, +snat, +dnat or +trk-inv): Open vSwitch would "
     "refuse the rule"),
    ("ct_state=+trk,ip,ct_nw_proto=6", "ct_nw_proto at column 18 needs a ct_state match"),
    ("ct_state=+est,ct_nw_dst=1.2.3.4", "ct_nw_dst at column 15 needs ip (or dl_type=0x0800): "
     "Open vSwitch would refuse the rule"),
    ("ct_state=+est,ip,ct_ipv6_src=::1", "ct_ipv6_src at column 18 needs ipv6"),
    ("ct_state=+est,ct_tp_dst=80", "ct_tp_dst at column 15 needs ct_nw_proto: Open vSwitch "
     "would ignore it"),
])
def test_missing_prerequisites(text: str, message: str) -> None:
    with pytest.raises(MatchPrerequisiteError) as info:
        _spec(text, 4)
    assert str(info.value).startswith(message), str(info.value)
    assert isinstance(info.value, FlowSyntaxError)


def test_prerequisites_that_are_met() -> None:
    for text in ("ct_state=+trk-inv,ip,ct_nw_src=1.2.3.4", "rarp,arp_spa=10.0.0.1",
                 "mplsm,mpls_tc=1", "icmp6,icmpv6_type=136,icmpv6_code=0,nd_target=::1",
                 "ipv6,ip_frag=later", "vlan_pcp=3", "sctp6,tp_src=1"):
        _spec(text, 4)


def test_vlan_masks_oxm_cannot_carry() -> None:
    for text in ("vlan_tci=0xe000/0xe000", "vlan_tci=0x3000/0x3000"):
        with pytest.raises(FlowSyntaxError, match="cannot be sent in OpenFlow 1.3"):
            _spec(text, 4)
        assert _spec(text, 1).needs_nxm  # NXM carries the TCI whole


def test_never_another_exception() -> None:
    # Every prefix of every case, and some mangled ones: a spec or a FlowSyntaxError.
    texts = [case[:n] for case in CASES for n in range(1, len(case))]
    texts += [case.replace("=", "=/") for case in CASES] + [case + "/" for case in CASES]
    texts += ["=", ",=5", "ip,nw_dst=", "tcp_flags=+", "ct_state=|", "ip_frag=0x1/",
              "tun_metadata0=0x", "vlan_tci=0x10000", "in_port=99999999999", "dl_src=::::::"]
    for text in texts:
        for version in (1, 4):
            try:
                spec = _spec(text, version)
            except FlowSyntaxError:
                continue
            built = build_match(spec, version)
            format_match(built if version == 4 else built.nxm, version)
