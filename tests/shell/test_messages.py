"""Messages against a real lab: ``send``/``request`` of calls read safely (nothing else
runs), decoded replies and errors; ``packet-out`` of hex and built frames that the
switch really sends; the frame builder ``parse_frame``."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.shell._support import fails, ok, shell_on_lab
from vlcp_core.packet import decode, eth, icmp, ipv4, read_pcap, udp
from workbench.lab import wait_for
from workbench.shell import Shell
from workbench.shell._builder import parse_frame


def _shell(versions: set[int] | None = None) -> Iterator[Shell]:
    yield from shell_on_lab(3, versions)


@pytest.fixture(scope="module")
def sh() -> Iterator[Shell]:
    yield from _shell()


@pytest.fixture(scope="module")
def sh10() -> Iterator[Shell]:
    yield from _shell({1})






# -- send and request ---------------------------------------------------------------------

def test_request_shows_the_decoded_reply(sh: Shell) -> None:
    out = ok(sh, 'request s1 ofp_echo_request(data=b"hi")')
    assert "type: OFPT_ECHO_REPLY" in out and "data: 6869" in out
    parts = ok(sh, "request s1 ofp_port_desc_request()")
    assert "multipart_type: OFPMP_PORT_DESC" in parts
    assert parts.count("_type: ofp_port\n") == 4 and "name: s1-eth3" in parts
    # a message without a reply: a barrier confirms it
    out = ok(sh, "request s1 flow_mod(match(in_port=1), [output(2)], priority=7)")
    assert out == "ofp_flow_mod: confirmed (no reply; a barrier followed)\n"
    ok(sh, "expect flow s1 priority=7,in_port=1,actions=output:2")
    out = ok(sh, 'request s1 parse_flow("table=2,actions=drop")')  # vocabulary, flow text
    ok(sh, "expect flows s1 count=1 table=2")
    out = ok(sh, "request s1 ofp_flow_stats_request(table_id=2)")
    assert out.count("_type: ofp_flow_stats\n") == 1 and "table_id: 2" in out


def test_send_shows_the_xid(sh: Shell) -> None:
    out = ok(sh, "send s1 flow_mod(match(in_port=2), [output(1)], priority=8)")
    assert re.fullmatch(r"sent ofp_flow_mod xid=0x[0-9a-f]+\n", out), out
    assert "OFPT_BARRIER_REPLY" in ok(sh, "request s1 ofp_barrier_request()")  # in order
    ok(sh, "expect flow s1 priority=8,in_port=2,actions=output:1")
    out = ok(sh, "send s1 ofp_barrier_request()")
    assert out.startswith("sent ofp_barrier_request xid=")


def test_switch_errors_are_decoded(sh: Shell, capsys: pytest.CaptureFixture[str]) -> None:
    err = fails(sh, "request s1 flow_mod(match(in_port=1), [output(2)], table_id=254)", capsys)
    assert "switch s1 refused ofp_flow_mod: OFPET_BAD_REQUEST/OFPBRC_EPERM" in err, err
    err = fails(sh, "request s1 ofp_group_desc_request(multipart_type=99)", capsys)
    assert "OFPET_BAD_REQUEST/OFPBRC_BAD_MULTIPART" in err, err


def test_nicira_actions_in_a_flow_mod(sh: Shell) -> None:
    assert sh.runtime.lab is not None
    ok(sh, "send s1 flow_mod(match(in_port=3), [nx_action_resubmit_table(table_id=2), "
           "nx_action_resubmit(in_port=1), nx_action_note(note=b'hi')], priority=9)")
    ok(sh, "request s1 ofp_barrier_request()")  # the flow mod is done
    dumped = sh.runtime.lab.ofctl("-O", "OpenFlow13", "dump-flows", "s1", "in_port=3")
    assert "priority=9,in_port=3 actions=resubmit(,2),resubmit:1,note:68.69.00.00.00.00" \
        in dumped, dumped


def test_nicira_requests_show_their_replies(sh: Shell,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = ok(sh, "request s1 nxt_role_request()")  # NX_ROLE_OTHER: asks, changes nothing
    assert out.startswith("_type: nxt_role_reply\n") and "role: NX_ROLE_OTHER" in out, out
    assert "experimenter: 0x2320" in out
    out = ok(sh, "request s1 nxt_tlv_table_request()")
    assert out.startswith("_type: nxt_tlv_table_reply\n") and "max_fields: " in out, out
    # a Nicira message without a reply of its own: confirmed by a barrier
    assert ok(sh, "request s1 nxt_flow_age()") == \
        "nxt_flow_age: confirmed (no reply; a barrier followed)\n"
    err = fails(sh, "request s1 nxt_role_request(role=99)", capsys)
    assert "switch s1 refused nxt_role_request: OFPET_ROLE_REQUEST_FAILED/OFPRRFC_BAD_ROLE" \
        in err, err


def test_unknown_nicira_names_are_named(sh: Shell, capsys: pytest.CaptureFixture[str]) -> None:
    err = fails(sh, "request s1 nxt_rol_request()", capsys)
    assert "column 1: unknown name 'nxt_rol_request': not in v13 nor the vocabulary, nor a " \
        "Nicira class (messages13/actions13); did you mean 'nxt_role_request'?" in err, err
    err = fails(sh, "send s1 flow_mod(match(), [nx_action_resubmt(in_port=1)])", capsys)
    assert "column 20: unknown name 'nx_action_resubmt'" in err
    assert "did you mean 'nx_action_resubmit'?" in err
    # NXT_SET_FLOW_FORMAT is OpenFlow 1.0 only: not there for a 1.3 switch
    err = fails(sh, "send s1 nxt_set_flow_format(format=2)", capsys)
    assert "unknown name 'nxt_set_flow_format': not in v13" in err
    err = fails(sh, "send s1 nx_action_note(note=b'x')", capsys)
    assert "the expression gives nx_action_note, not an OpenFlow message" in err


@pytest.mark.parametrize("expression,message", [
    ('__import__("os")', "unknown name '__import__': not in v13 nor the vocabulary"),
    ('ofp_echo_request(data=open("/etc/passwd"))',
     "column 23: unknown name 'open'"),
    ('os.system("ls")', "only plain names can be called, not 'os.system'"),
    ("ofp_echo_request().__class__", "'ofp_echo_request().__class__' is not allowed (Attribute"),
    ("[x for x in ()]", "is not allowed (ListComp"),
    ("(lambda: 1)()", "only plain names can be called"),
    ("ofp_echo_request(data=1.5)", "'1.5' is a float"),
    ("ofp_echo_request(data=x)", "the name 'x' is not allowed here"),
    ("ofp_echo_request(*[1])", "* arguments are not allowed"),
    ("ofp_echo_request(**{})", "** arguments are not allowed"),
    ("ofp_echo_request(bogus=1)", "ofp_echo_request(): __init__() got an unexpected keyword"),
    ("ofp_echo_request(", "cannot read the message: '(' was never closed"),
    ("match(in_port=1)", "the expression gives ofp_match, not an OpenFlow message"),
    ('flow_mod(match(nw_dsst="1"), [])', "column 10: match(): "),
    ("1 + 2", "is not allowed (BinOp"),
])
def test_request_refuses_anything_but_calls_and_constants(
        sh: Shell, capsys: pytest.CaptureFixture[str], expression: str, message: str) -> None:
    for command in ("request", "send"):
        err = fails(sh, f"{command} s1 {expression}", capsys)
        assert message in err, err


def test_missing_arguments(sh: Shell, capsys: pytest.CaptureFixture[str]) -> None:
    assert "usage: request SW MESSAGE" in fails(sh, "request s1", capsys)
    assert "usage: send SW MESSAGE" in fails(sh, "send", capsys)
    assert "switch 's4' is not connected" in fails(sh, "send s4 ofp_barrier_request()", capsys)


def test_openflow10_switch_gets_its_own_definitions(sh10: Shell,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    out = ok(sh10, "request s1 flow_mod(match(in_port=1), [output(2)], priority=6)")
    assert "confirmed" in out  # the vocabulary built a 1.0 flow mod: version came from s1
    ok(sh10, "expect flow s1 priority=6,in_port=1,actions=output:2")
    assert "version: 1" in ok(sh10, 'request s1 ofp_echo_request(data=b"x")')
    err = fails(sh10, "request s1 ofp_port_desc_request()", capsys)
    assert "unknown name 'ofp_port_desc_request': not in v10" in err
    err = fails(sh10, "request s1 flow_mod(match(in_port=1), [output(2)], version=4)", capsys)
    assert "ofp_flow_mod is OpenFlow version 4; the switch speaks version 1" in err
    # the Nicira classes of 1.0
    out = ok(sh10, "request s1 nxt_role_request()")
    assert "_type: nxt_role_reply" in out and "vendor: 0x2320" in out, out
    out = ok(sh10, "request s1 nxst_flow_request()")  # a Nicira statistics request
    assert "_type: nxst_flow_reply" in out and "_type: nx_flow_stats" in out, out
    ok(sh10, "send s1 flow_mod(match(in_port=2), [nx_action_resubmit_table(table_id=4)], "
             "priority=3)")
    ok(sh10, "request s1 ofp_barrier_request()")
    ok(sh10, "expect flow s1 priority=3,in_port=2,actions=resubmit(,4)")
    assert "not in v10 nor the vocabulary, nor a Nicira class (messages10/actions10)" in fails(
        sh10, "send s1 onft_flow_monitor_cancel()", capsys)
    # OVS's 1.0 vendor error (NXET_VENDOR) is shown with its vendor, type and code
    err = fails(sh10, "request s1 nxt_role_request(role=99)", capsys)
    assert "NXET_VENDOR: vendor 0x2320 (Nicira) error type 1 code 513 for " \
        "nxt_role_request" in err, err


# -- packet-out ------------------------------------------------------------------------------

def test_packet_out_sends_the_frame(sh: Shell) -> None:
    assert sh.runtime.lab is not None
    pcap = sh.runtime.lab.capture_pcap("s1-eth2")
    ok(sh, "packet-out s1 in_port=1 actions=output:2 "
           "packet=eth(src=00:00:00:00:00:01,dst=ff:ff:ff:ff:ff:ff)/ipv4(dst=10.0.0.2)/icmp()")
    frames = wait_for(lambda: read_pcap(pcap) or None, timeout=5)
    expected = eth(src="00:00:00:00:00:01", dst="ff:ff:ff:ff:ff:ff") / \
        ipv4(dst="10.0.0.2") / icmp()
    assert frames[0] == bytes(expected)
    raw = bytes(eth(dst="00:00:00:00:00:02") / ipv4(dst="10.0.0.9") / udp(dport=9) / b"x")
    ok(sh, f"packet-out s1 in_port=s1-eth1 packet={raw.hex()} actions=output:2")
    frames = wait_for(lambda: read_pcap(pcap)[1:] or None, timeout=5)
    assert frames[0] == raw
    ok(sh, 'packet-out s1 "in_port=LOCAL,packet=eth()/ipv4()/udp()/\\"hi\\",actions=output:2"')
    frames = wait_for(lambda: read_pcap(pcap)[2:] or None, timeout=5)
    assert decode(frames[0]).payload == b"hi"


def test_packet_out_bad_input(sh: Shell, capsys: pytest.CaptureFixture[str]) -> None:
    base = "packet-out s1 in_port=1"
    err = fails(sh, f"{base} actions=outptu:2 packet=00", capsys)
    assert 'bad actions: unknown action "outptu" at column 1 (did you mean output?)' in err
    err = fails(sh, f"{base} actions=output:2 packet=eth(x=1)", capsys)
    assert "bad packet: eth: unknown field 'x' in 'eth(x=1)'" in err
    err = fails(sh, f"{base} actions=output:2 packet=eth()/ipv5()", capsys)
    assert "unknown layer 'ipv5'" in err
    assert "missing packet=" in fails(sh, f"{base} actions=output:2", capsys)
    assert "missing actions=" in fails(sh, f"{base} packet=00", capsys)
    err = fails(sh, "packet-out s1 foo=1 actions=output:2 packet=00", capsys)
    assert "'foo=1' is not in_port=, actions= or packet=" in err
    assert "has no port 'eth7'" in fails(
        sh, "packet-out s1 in_port=eth7 actions=output:2 packet=00", capsys)
    assert "in_port= is given twice" in fails(
        sh, f"{base} in_port=2 actions=output:2 packet=00", capsys)
    err = fails(sh, f"{base} actions=group:77 packet={'00' * 60}", capsys)
    assert "switch s1 refused packet-out" in err and "OFPBAC_BAD_OUT_GROUP" in err


# -- the frame builder -----------------------------------------------------------------------

def test_parse_frame_hex_and_builder() -> None:
    assert parse_frame("0x0102 03:04 05-06") == bytes(range(1, 7))
    frame = parse_frame("eth(src=00:00:00:00:00:01,dst=ff:ff:ff:ff:ff:ff)/"
                        "ipv4(src=10.0.0.1,dst=10.0.0.2,ttl=5)/udp(sport=1,dport=0x35)/'hi'")
    assert frame == bytes(eth(src="00:00:00:00:00:01", dst="ff:ff:ff:ff:ff:ff")
                          / ipv4(src="10.0.0.1", dst="10.0.0.2", ttl=5)
                          / udp(sport=1, dport=53) / b"hi")
    built = decode(parse_frame("eth()/vlan(vid=10)/ipv6(dst=fe80::1)/"
                               "tcp(dport=80,flags=SYN|ACK)/raw(0102)"))
    assert "tcp" in built.summary() and built.payload == b"\x01\x02"
    assert parse_frame("raw(ff)") == b"\xff"


@pytest.mark.parametrize("text,message", [
    ("", "no frame given"),
    ("xyz", "'x' is not a hex digit"),
    ("abc", "odd number of digits (3)"),
    ("eth(", "unbalanced '(' in 'eth('"),
    ("eth())", "unbalanced ')'"),
    ("eth()/ipv5()", "unknown layer 'ipv5' in 'ipv5()'"),
    ("eth(srcx=1)", "eth: unknown field 'srcx' in 'eth(srcx=1)'"),
    ("eth(src=zz)", "is not a MAC address"),
    ("eth(src)", "'src' in 'eth(src)' is not key=value"),
    ("eth(src=1,src=2)", "'src' is given twice"),
    ("eth(src=)", "a value is missing in 'eth(src=)'"),
    ("eth()//ipv4()", "empty layer at position 2"),
    ('eth()/"x"/ipv4()', "must be the last part"),
    ("eth()/raw(0g)", "in 'raw(0g)': 'g' is not a hex digit"),
    ("eth(src='x)", "unbalanced quotes"),
    ("ipv4(dst=10.0.0.300)", "ipv4: ipv4_header.dst: '10.0.0.300' is not an IPv4 address"),
    ("eth()/udp(dport=70000)", "70000 is out of range"),
    ("eth", "'t' is not a hex digit"),
])
def test_parse_frame_errors_name_the_part(text: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_frame(text)
    assert message in str(info.value)
