"""Groups and meters in ``ovs-ofctl`` syntax against Open vSwitch 3.1 (OpenFlow 1.3).

- ``parse_group``/``parse_meter`` give byte for byte the GROUP_MOD/METER_MOD that
  ``add-group``, ``mod-group``, ``del-groups``, ``add-meter``, ``mod-meter`` and
  ``del-meter`` send (recorded with the stub switch).
- ``format_group``/``format_meter`` of a mod parse back into the same bytes.
- A live bridge: groups and meters installed by ``ovs-ofctl``, fetched by us over a
  controller connection, print as ``dump-groups``/``dump-meters`` print them.
- Mistakes give the right message and column.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.ofcorpus.recorder import ControllerListener, OpenFlowConnection
from tests.openflow.stub_switch import record_ovs_ofctl
from vlcp_core.namedstruct import Struct
from vlcp_core.openflow import decode_message, v13
from vlcp_core.openflow.flowtext import (
    FlowSyntaxError,
    format_group,
    format_meter,
    parse_group,
    parse_meter,
)
from workbench.lab import Lab

GROUPS: list[tuple[str, str]] = [
    ("add", "group_id=1,type=select,bucket=weight:100,watch_port:2,actions=output:2,"
            "bucket=weight:50,actions=output:3"),
    ("add", "group_id=2,type=all,bucket=output:1,bucket=output:2"),
    ("add", "group_id=3,type=ff,bucket=watch_port:1,output:1,bucket=watch_group:7,"
            "actions=group:7"),
    ("add", "group_id=4,type=indirect"),
    ("add", "group_id=5,type=select,bucket=output:1"),
    ("add", "group_id=5,type=select,bucket=bucket_id:3,output:1"),
    ("add", "group_id=5,type=fast_failover,bucket=watch_port:ANY,watch_group:3,output:1"),
    ("add", "group_id=5 type=all bucket=output:1,output:2 bucket=actions=drop"),
    ("add", "group_id=5,type=all,bucket=output:1,actions=output:2"),
    ("add", "group_id=5,type=all,bucket=mod_vlan_vid:5,output:2"),
    ("add", "group_id=5,type=all,bucket=resubmit(,3)"),
    ("add", "group_id=all,type=all,bucket=output:1"),
    ("add", "group_id=0xffffff00,type=indirect,bucket=set_field:1->reg0,"
            "mod_nw_dst:1.2.3.4,output:1"),
    ("add", "group_id=9,type=select,bucket=weight:0,actions=ct(commit),output:3,"
            "bucket=weight:65535,actions=CONTROLLER:100"),
    ("modify", "group_id=4,type=indirect,bucket=output:1"),
    ("modify", "group_id=4,type=all"),
    ("delete", "group_id=4"),
    ("delete", "group_id=all"),
    ("delete", ""),
    ("add_or_modify", "group_id=4,type=all,bucket=output:1"),
    ("add_or_modify", "group_id=7,type=select,bucket=weight:5,output:2,bucket=output:3"),
]

METERS: list[tuple[str, str]] = [
    ("add", "meter=1,kbps,burst,stats,bands=type=drop,rate=1000,burst_size=100"),
    ("add", "meter=2,pktps,bands=type=dscp_remark,rate=10,prec_level=2,type=drop,rate=20"),
    ("add", "meter=1 kbps burst stats bands=\ntype=drop rate=1000 burst_size=100"),
    ("add", "meter=all,kbps,bands=type=drop,rate=1"),
    ("add", "meter=slowpath,kbps,bands=type=drop,rate=1"),
    ("add", "meter=controller,pktps,stats,bands=type=drop,rate=1"),
    ("add", "meter=1,kbps,bands=type=drop,rate=1,type=drop,rate=2"),
    ("add", "meter=0xffff0000,kbps,pktps,bands=type=drop,rate=4294967295"),
    ("modify", "meter=2,pktps,bands=type=drop,rate=20"),
    ("delete", "meter=2"),
    ("delete", "meter=all"),
    ("delete", ""),
]

_OFCTL = {("group", "add"): ["add-group"], ("group", "modify"): ["mod-group"],
          ("group", "delete"): ["del-groups"],
          ("group", "add_or_modify"): ["--may-create", "mod-group"],
          ("meter", "add"): ["add-meter"], ("meter", "modify"): ["mod-meter"],
          ("meter", "delete"): ["del-meter"]}


def _record(kind: str, command: str, text: str) -> bytes:
    msgs = record_ovs_ofctl([*_OFCTL[kind, command], "{target}", *([text] if text else [])],
                            version=4)
    wanted = 15 if kind == "group" else 29
    [msg] = [m for m in msgs if m[1] == wanted]
    return msg


@pytest.mark.parametrize("kind", ["group", "meter"])
def test_same_bytes_as_ovs(kind: str) -> None:
    rows = GROUPS if kind == "group" else METERS
    parse = parse_group if kind == "group" else parse_meter
    with ThreadPoolExecutor(8) as pool:
        theirs = list(pool.map(lambda row: _record(kind, *row), rows))
    for (command, text), their in zip(rows, theirs, strict=True):
        ours = parse(text, 4, command)
        ours.xid = int.from_bytes(their[4:8], "big")
        assert bytes(ours).hex() == their.hex(), text
        assert decode_message(their) == ours


@pytest.mark.parametrize("command,text", GROUPS)
def test_group_text_round_trip(command: str, text: str) -> None:
    ours = parse_group(text, 4, command)
    printed = format_group(ours)
    assert bytes(parse_group(printed, 4, command)) == bytes(ours), printed


@pytest.mark.parametrize("command,text", METERS)
def test_meter_text_round_trip(command: str, text: str) -> None:
    ours = parse_meter(text, 4, command)
    printed = format_meter(ours)
    assert bytes(parse_meter(printed, 4, command)) == bytes(ours), printed


def test_printed_forms() -> None:
    assert format_group(parse_group(GROUPS[0][1])) == GROUPS[0][1]
    assert format_group(parse_group("group_id=5,type=fast_failover,bucket=watch_port:3,1")) \
        == "group_id=5,type=ff,bucket=watch_port:3,actions=output:1"
    assert format_group(parse_group("", command="delete")) == "group_id=all"
    assert format_meter(parse_meter(METERS[2][1])) == METERS[0][1]
    assert format_meter(parse_meter("", command="delete")) == "meter=all"


# -- a live bridge -------------------------------------------------------------------------

LIVE_GROUPS = [
    "group_id=1,type=select,bucket=weight:100,watch_port:2,actions=output:2,bucket=weight:50,"
    "actions=output:3",
    "group_id=2,type=all,bucket=output:1,bucket=output:2",
    "group_id=5,type=select,bucket=output:1,bucket=output:2",
    "group_id=3,type=ff,bucket=watch_port:1,output:1,bucket=watch_group:2,actions=group:2",
    "group_id=4,type=indirect,bucket=actions=set_field:1->reg0,mod_nw_dst:1.2.3.4,output:1",
    "group_id=6,type=all",
]
LIVE_METERS = [
    "meter=1,kbps,burst,stats,bands=type=drop,rate=1000,burst_size=100",
    "meter=3,kbps,bands=type=drop,rate=5",
    "meter=4,pktps,stats,bands=type=drop,rate=7,type=drop,rate=70",
]


def _ask(conn: OpenFlowConnection, request: Struct) -> list[Struct]:
    request.xid = 0x66
    conn.send(bytes(request))
    entries: list[Struct] = []
    while True:
        msg = decode_message(conn.receive())
        if getattr(msg, "xid", None) != 0x66:
            continue
        entries += msg.stats
        if not int(msg.flags) & 1:
            return entries


def test_live_dump_groups_and_meters(lab: Lab) -> None:
    with ControllerListener() as listener:
        lab.add_bridge("g13", ports=3, protocols=["OpenFlow13"])
        # connect first: (re)configuring the controller empties the group table
        lab.set_controller("g13", listener.target)
        conn = listener.accept()
        conn.handshake(4)
        for text in LIVE_GROUPS:
            lab.ofctl("-O", "OpenFlow13", "add-group", "g13", text)
        for text in LIVE_METERS:
            lab.ofctl("-O", "OpenFlow13", "add-meter", "g13", text)
        groups = lab.ofctl("--no-names", "-O", "OpenFlow13", "dump-groups", "g13")
        meters = lab.ofctl("--no-names", "-O", "OpenFlow13", "dump-meters", "g13")
        ours_groups = [format_group(e) for e in _ask(conn, v13.ofp_group_desc_request())]
        ours_meters = [format_meter(e) for e in _ask(conn, v13.ofp_meter_config_request())]
        lab.set_controller("g13", None)
    assert ours_groups == groups.splitlines()[1:]
    their_meters = groups_of_lines(meters.splitlines()[1:])
    assert ours_meters == their_meters
    # and what dump-groups/dump-meters print reads back as the same groups/meters
    for line, text in zip(sorted(ours_groups), sorted(groups.splitlines()[1:]), strict=True):
        assert bytes(parse_group(line)) == bytes(parse_group(text))
    for entry in their_meters:
        assert format_meter(parse_meter(entry)) in [format_meter(parse_meter(t))
                                                   for t in LIVE_METERS]


def groups_of_lines(lines: list[str]) -> list[str]:
    """``dump-meters`` entries: runs of lines separated by empty lines."""
    out: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            out[-1].append(line)
        elif out[-1]:
            out.append([])
    return ["\n".join(entry) for entry in out if entry]


def test_the_userspace_datapath_refuses_dscp_remark(lab: Lab) -> None:
    lab.add_bridge("m13", ports=1, protocols=["OpenFlow13"])
    with pytest.raises(Exception, match="OFPMMFC_BAD_BAND"):
        lab.ofctl("-O", "OpenFlow13", "add-meter", "m13",
                  "meter=2,pktps,bands=type=dscp_remark,rate=10,prec_level=2")


# -- mistakes ---------------------------------------------------------------------------

GROUP_MISTAKES = [
    ("type=all,bucket=output:1", "add", "missing group_id", 1),
    ("group_id=5,bucket=output:1", "add", "missing type", 1),
    ("group_id=5,type=al,bucket=output:1", "add", "unknown group type", 17),
    ("group_id=5,type=all,bucket=weight:3,output:1", "add", "only select groups", 28),
    ("group_id=0xfffffff0,type=all", "add", "invalid group id", 10),
    ("group_id=5,type=ff,bucket=watch_port:LOCAL,output:1", "add", "invalid watch_port", 38),
    ("group_id=5,type=select,selection_method=hash,bucket=output:1", "add", "OpenFlow 1.5",
     24),
    ("group_id=5,type=all,bucket=outptu:1", "add", "unknown action", 28),
    ("group_id=5,type=all,bucket=goto_table:1", "add", "", 28),
    ("group_id=5,typo=all", "add", "unknown keyword", 12),
    ("group_id=5,type=ff,bucket=output:1", "add", "needs watch_port or watch_group", 20),
    ("group_id=5,bucket=output:1", "delete", "no buckets", 12),
    ("group_id=5,type=all", "delete", "unknown keyword", 12),
    ("group_id=5,bucket=output:1", "modify", "missing type", 1),
    ("group_id=all,type=all,bucket=output:1,bucket=outptu:2", "add_or_modify",
     "unknown action", 46),
]
METER_MISTAKES = [
    ("meter=1,kbps,bands=type=drop,rate=1000,burst_size=100", "add", "needs the burst flag",
     20),
    ("meter=1,bands=type=drop,rate=1000", "add", "kbps or pktps", 1),
    ("meter=1,pktps,burst,bands=type=drop,rate=1000", "add", "needs burst_size", 27),
    ("meter=1,kbps", "add", "missing bands", 13),
    ("meter=1,kbps,bands=type=drop,rate=1,foo=2", "add", "unknown band keyword", 37),
    ("meter=1,kbps,bands=type=drp,rate=1", "add", "unknown band type", 25),
    ("meter=1,kbps,bands=rate=1", "add", "starts with type=", 20),
    ("meter=1,kbps,bands=type=drop", "add", "needs rate=", 20),
    ("meter=1,kbps,bands=type=drop,rate=1,prec_level=3", "add", "dscp_remark", 37),
    ("meter=0xffff0001,kbps,bands=type=drop,rate=1", "add", "invalid meter id", 7),
    ("kbps,bands=type=drop,rate=1", "add", "missing meter", 1),
    ("meter=1,kbsp,bands=type=drop,rate=1", "add", "unknown keyword", 9),
    ("meter=1,kbps", "delete", "unknown keyword \"kbps\" in a delete", 9),
    ("meter=1,bands=type=drop,rate=1", "delete", "a delete takes no bands", 9),
]


@pytest.mark.parametrize("text,command,message,column", GROUP_MISTAKES)
def test_group_mistakes(text: str, command: str, message: str, column: int) -> None:
    with pytest.raises(FlowSyntaxError) as caught:
        parse_group(text, 4, command)
    assert message in str(caught.value) and caught.value.column == column, str(caught.value)


@pytest.mark.parametrize("text,command,message,column", METER_MISTAKES)
def test_meter_mistakes(text: str, command: str, message: str, column: int) -> None:
    with pytest.raises(FlowSyntaxError) as caught:
        parse_meter(text, 4, command)
    assert message in str(caught.value) and caught.value.column == column, str(caught.value)


def test_suggestions_and_versions() -> None:
    with pytest.raises(FlowSyntaxError) as caught:
        parse_meter("meter=1,kbsp,bands=type=drop,rate=1")
    assert caught.value.hint == "did you mean kbps?"
    with pytest.raises(ValueError, match="OpenFlow 1.3"):
        parse_meter("meter=1,kbps,bands=type=drop,rate=1", 1)
    with pytest.raises(ValueError, match="NXT_GROUP_MOD"):
        parse_group("group_id=1,type=all", 1)
    for parse, text, hint in ((parse_group, "5", "did you mean group_id=5?"),
                              (parse_meter, "7", "did you mean meter=7?"),
                              (parse_group, "group_di=5", "did you mean group_id?")):
        with pytest.raises(FlowSyntaxError) as caught:
            parse(text, 4, "delete")
        assert caught.value.hint == hint and caught.value.column == 1
    with pytest.raises(ValueError, match="unknown group command 'mod'"):
        parse_group("group_id=1,type=all", 4, "mod")
    with pytest.raises(ValueError, match="unknown meter command 'add_or_modify'"):
        parse_meter("meter=1,kbps,bands=type=drop,rate=1", 4, "add_or_modify")
