"""``flow_stats_lines``: the fast path from a reply's bytes prints what ``format_flow``
prints for the parsed entries, on the whole flow-language corpus and on random
matches, and malformed replies fail as the general path fails."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.openflow.flowtext.test_flows import CASES
from vlcp_core.namedstruct import ParseError, Struct
from vlcp_core.openflow import parse_message, v10, v13
from vlcp_core.openflow.flowtext import _stats_text as stats_text
from vlcp_core.openflow.flowtext import flow_stats_lines, format_flow, parse_flow
from vlcp_core.openflow.flowtext._stats_text import _entry10, _entry13
from vlcp_core.openflow.nicira import messages10


def _general(frame: bytes) -> list[str]:
    parsed = parse_message(frame)
    assert parsed is not None
    return [format_flow(entry) for entry in parsed[0].stats]


def _entry(mod: Struct, rng: random.Random) -> Struct:
    return v13.ofp_flow_stats(
        table_id=rng.choice([0, 1, 254]), duration_sec=rng.randrange(1 << 32),
        duration_nsec=rng.choice([0, 5_000_000, 123_456_789]),
        priority=rng.choice([0, 1, 0x8000, 65535, mod.priority]),
        idle_timeout=rng.choice([0, 30]), hard_timeout=rng.choice([0, 65535]),
        flags=rng.randrange(32), cookie=rng.choice([0, 0x55, (1 << 64) - 1]),
        packet_count=rng.randrange(1 << 64), byte_count=rng.randrange(1 << 40),
        match=mod.match, instructions=mod.instructions)


def _frames(entries: list[Struct], per_frame: int = 40) -> list[bytes]:
    frames = []
    for start in range(0, len(entries), per_frame):
        chunk = entries[start:start + per_frame]
        more = start + per_frame < len(entries)
        frames.append(bytes(v13.ofp_flow_stats_reply(xid=7, flags=int(more), stats=chunk)))
    return frames


CORPUS13 = [text for command, text, version in CASES if version == 4 and command == "add"]


def test_corpus_prints_as_format_flow() -> None:
    rng = random.Random(13)
    entries = [_entry(parse_flow(text, 4), rng) for text in CORPUS13]
    assert len(entries) > 200
    for frame in _frames(entries):
        assert flow_stats_lines(frame) == _general(frame)
    # and the fast path did the work for most of them (not the fallback)
    fast = sum(_entry13(bytes(e), 0, len(bytes(e))) is not None for e in entries)
    assert fast > len(entries) // 2, fast


_FIELDS = [
    "in_port=3", "in_port=LOCAL", "dl_src=00:11:22:33:44:55",
    "dl_dst=01:00:00:00:00:00/01:00:00:00:00:00",
    "metadata=0x5/0xff", "reg3=7", "tun_id=0x10", "pkt_mark=0x1/0xf", "ct_state=+trk",
    "ct_zone=5", "ct_mark=0x3", "vlan_tci=0x1005", "dl_vlan=7",
]
_L3 = {
    "ip": ["nw_src=10.1.2.3", "nw_dst=192.168.0.0/16", "nw_dst=10.0.0.1/255.0.255.0",
           "nw_tos=8", "nw_ecn=1", "nw_ttl=9", "ip_frag=first"],
    "ipv6": ["ipv6_src=2001:db8::1", "ipv6_dst=2001:db8::/48", "ipv6_label=0x12345"],
    "arp": ["arp_spa=10.0.0.1", "arp_tpa=10.0.0.0/8", "arp_op=2", "arp_sha=00:00:00:00:00:01"],
}
_L4 = {"ip": ["tcp,tp_src=80", "udp,tp_dst=53", "icmp,icmp_type=8", "sctp,tp_src=9",
              "tcp,tcp_flags=+syn"], "ipv6": ["tcp6,tp_dst=22", "icmp6,icmp_type=135"]}


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_random_matches(data: st.DataObject) -> None:
    l3 = data.draw(st.sampled_from(["", "ip", "ipv6", "arp"]))
    words = data.draw(st.lists(st.sampled_from(_FIELDS), max_size=4, unique=True))
    if l3:
        l4 = data.draw(st.sampled_from([None, *_L4.get(l3, [])]))
        words += [l4 or l3]
        words += data.draw(st.lists(st.sampled_from(_L3[l3]), max_size=3, unique=True))
        words = [w for w in words if not (l4 and w.startswith("ip_frag"))]
    text = ",".join(words + ["actions=output:1"])
    try:
        mod = parse_flow(text, 4)
    except Exception:  # a combination the language refuses: nothing to print
        return
    entry = _entry(mod, random.Random(data.draw(st.integers(0, 1 << 16))))
    frame = _frames([entry])[0]
    assert flow_stats_lines(frame) == _general(frame)


def test_openflow10_replies_print_as_format_flow() -> None:
    mod = parse_flow("priority=5,ip,nw_src=10.0.0.1,actions=output:2", 1)
    ofp10 = v10.ofp_flow_stats(table_id=1, priority=5, match=mod.match, actions=mod.actions)
    frame = bytes(v10.ofp_flow_stats_reply(xid=3, stats=[ofp10]))
    assert flow_stats_lines(frame) == _general(frame) == [format_flow(ofp10)]
    nx = parse_flow("priority=5,reg0=1,actions=output:2", 1)
    nx_entry = messages10.nx_flow_stats(priority=5, match=list(nx.match), actions=nx.actions)
    frame = bytes(messages10.nxst_flow_reply(xid=3, stats=[nx_entry]))
    assert flow_stats_lines(frame) == _general(frame) == [format_flow(nx_entry)]


def test_malformed_replies_fail_as_the_general_path() -> None:
    mod = parse_flow("priority=5,ip,nw_src=10.0.0.1,actions=output:2", 4)
    good = _frames([_entry(mod, random.Random(1))])[0]
    bad_entry_length = good[:16] + b"\x00\x00" + good[18:]
    huge_entry_length = good[:16] + b"\xff\xf0" + good[18:]
    bad_match_length = good[:16 + 50] + b"\x00\x02" + good[16 + 52:]
    unknown_field = bytearray(good)
    unknown_field[16 + 52:16 + 54] = b"\x80\x00"  # OXM class 0x8000,
    unknown_field[16 + 54] = 0xFE  # field 127: none
    for frame in (bad_entry_length, huge_entry_length, bad_match_length, bytes(unknown_field)):
        with pytest.raises((ParseError, ValueError)) as general:
            _general(frame)
        with pytest.raises(type(general.value)) as fast:
            flow_stats_lines(frame)
        assert str(fast.value) == str(general.value)
    assert flow_stats_lines(good) == _general(good)


CORPUS10 = [text for command, text, version in CASES if version == 1 and command == "add"]


def test_openflow10_nxst_flow_corpus_prints_as_format_flow() -> None:
    rng = random.Random(10)
    entries = []
    for text in CORPUS10:
        mod = parse_flow(text, 1)
        if not isinstance(mod, messages10.nxt_flow_mod):
            continue  # an ofp_match flow: NXST_FLOW replies carry NXM (the live tests)
        entries.append(messages10.nx_flow_stats(
            table_id=rng.choice([0, 3]), duration_sec=rng.randrange(1 << 16),
            duration_nsec=rng.choice([0, 5_000_000]), priority=mod.priority,
            idle_timeout=rng.choice([0, 30]), hard_timeout=rng.choice([0, 60]),
            idle_age=rng.choice([0, 1, 7]), hard_age=rng.choice([0, 1, 9]),
            cookie=rng.choice([0, 0x55]), packet_count=rng.randrange(1 << 40),
            byte_count=rng.randrange(1 << 40), match=list(mod.match), actions=mod.actions))
    assert len(entries) > 50
    frames = [bytes(messages10.nxst_flow_reply(xid=3, flags=0, stats=entries[n:n + 30]))
              for n in range(0, len(entries), 30)]
    for frame in frames:
        assert flow_stats_lines(frame) == _general(frame)
    fast = sum(_entry10(bytes(e), 0, len(bytes(e))) is not None for e in entries)
    assert fast > len(entries) // 2, fast
    # and the frames do go the fast way: a general path that fails is never called
    def no_general(frame: bytes) -> list[str]:
        raise AssertionError("took the general path")

    original = stats_text._general
    stats_text._general = no_general
    try:
        for frame in frames[:1]:
            flow_stats_lines(frame)
    finally:
        stats_text._general = original


def test_ages_and_ports_of_openflow10_entries() -> None:
    mod = parse_flow("priority=7,in_port=65534,reg1=5,actions=output:3", 1)
    assert isinstance(mod, messages10.nxt_flow_mod)
    for sec, idle_age, hard_age in ((0, 0, 1), (4, 3, 5), (4, 3, 9), (9, 1, 0)):
        entry = messages10.nx_flow_stats(duration_sec=sec, idle_age=idle_age,
                                         hard_age=hard_age, priority=7,
                                         match=list(mod.match), actions=mod.actions)
        frame = bytes(messages10.nxst_flow_reply(xid=3, stats=[entry]))
        assert flow_stats_lines(frame) == _general(frame) == [format_flow(entry)]
        assert _entry10(bytes(entry), 0, len(bytes(entry))) is not None
