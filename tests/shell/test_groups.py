"""Group and meter commands against a real lab: what the shell adds, changes and deletes
is what ``ovs-ofctl -O OpenFlow13 dump-groups``/``dump-meters`` show; dumps print as
``ovs-ofctl`` prints them; bad input and the switch's errors are shown clearly; a 1.0
switch is told apart."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.shell._support import fails, normal, ofctl, ok, shell_on_lab
from workbench.shell import REGISTRY, Shell


@pytest.fixture(scope="module")
def sh() -> Iterator[Shell]:
    yield from shell_on_lab(4)


@pytest.fixture(scope="module")
def sh10() -> Iterator[Shell]:
    yield from shell_on_lab(4, {1})


@pytest.fixture
def s1(sh: Shell) -> Shell:
    ok(sh, "del-flows s1")
    ofctl(sh, "del-groups", "s1")
    ofctl(sh, "del-meters", "s1")
    return sh










def groups(shell: Shell) -> list[str]:
    """The groups ``ovs-ofctl dump-groups`` shows, header left out."""
    return sorted(line.strip() for line in ofctl(shell, "dump-groups", "s1").splitlines()[1:])


def meters(shell: Shell) -> str:
    """The meters ``ovs-ofctl dump-meters`` shows, header left out."""
    return ofctl(shell, "dump-meters", "s1").split("\n", 1)[1]


# -- add and dump ------------------------------------------------------------------------

def test_groups_and_meters(s1: Shell, capsys: pytest.CaptureFixture[str]) -> None:
    ok(s1, "add-group s1 group_id=1,type=select,bucket=weight:100,watch_port:2,actions=output:2,"
           "bucket=weight:50,actions=output:3")
    ok(s1, "add-group s1 group_id=2,type=all,bucket=output:1,bucket=output:2")
    ok(s1, "add-meter s1 meter=1,kbps,burst,stats,bands=type=drop,rate=1000,burst_size=100")
    ok(s1, "add-meter s1 meter=4 pktps bands=type=drop,rate=7")
    dumped = ok(s1, "dump-groups s1")
    assert normal(dumped) == normal(ofctl(s1, "dump-groups", "s1"))
    assert " group_id=2,type=all,bucket=actions=output:1,bucket=actions=output:2" in dumped
    dumped = ok(s1, "dump-meters s1")
    assert normal(dumped) == normal(ofctl(s1, "dump-meters", "s1"))
    assert "meter=4 pktps bands=\ntype=drop rate=7" in dumped
    ok(s1, "add-flow s1 actions=group:2")  # the group exists now
    err = fails(s1, "add-group s1 group_id=5,type=al,bucket=output:1", capsys)
    assert 'bad group: unknown group type "al" at column 17' in err, err
    err = fails(s1, "add-meter s1 meter=1,kbps", capsys)
    assert "bad meter: missing bands" in err
    err = fails(s1, "add-meter s1 meter=2,pktps,bands=type=dscp_remark,rate=10,prec_level=2",
                capsys)
    assert "switch s1 refused add-meter" in err and "OFPMMFC_BAD_BAND" in err
    err = fails(s1, "add-group s1 group_id=1,type=all", capsys)
    assert "OFPGMFC_GROUP_EXISTS" in err and "(mod-group changes it)" in err
    err = fails(s1, "add-meter s1 meter=4,kbps,bands=type=drop,rate=1", capsys)
    assert "OFPMMFC_METER_EXISTS" in err and "(mod-meter changes it)" in err
    assert "missing arguments: usage: add-group SW GROUP" in fails(s1, "add-group s1", capsys)
    assert "dump-groups takes one switch" in fails(s1, "dump-groups s1 x", capsys)
    assert "dump-meters takes one switch" in fails(s1, "dump-meters s1 x", capsys)


# -- groups -------------------------------------------------------------------------------

def test_mod_group_changes_what_ovs_ofctl_dumps(s1: Shell,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    ok(s1, "add-group s1 group_id=1,type=all,bucket=output:1")
    ok(s1, "mod-group s1 group_id=1,type=select,bucket=weight:7,output:s1-eth2 "
           "bucket=weight:3,actions=output:3")
    assert groups(s1) == ["group_id=1,type=select,bucket=weight:7,actions=output:2,"
                          "bucket=weight:3,actions=output:3"]
    assert normal(ok(s1, "dump-groups s1")) == normal(ofctl(s1, "dump-groups", "s1"))
    ok(s1, "mod-group s1 group_id=1,type=all")  # no buckets left
    assert groups(s1) == ["group_id=1,type=all"]
    # a group that does not exist: the switch's error, decoded, and what to do
    err = fails(s1, "mod-group s1 group_id=9,type=all,bucket=output:1", capsys)
    assert "switch s1 refused mod-group 'group_id=9,type=all,bucket=output:1': " \
        "OFPET_GROUP_MOD_FAILED/OFPGMFC_UNKNOWN_GROUP for ofp_group_mod" in err, err
    assert "no such group on the switch (mod-group --may-create adds it)" in err
    err = fails(s1, "mod-group s1 group_id=1,type=indirect", capsys)  # needs one bucket
    assert "refused mod-group 'group_id=1,type=indirect': " \
        "OFPET_GROUP_MOD_FAILED/OFPGMFC_INVALID_GROUP" in err, err
    assert groups(s1) == ["group_id=1,type=all"]
    ok(s1, "mod-group s1 --may-create group_id=9,type=all,bucket=output:1")
    ok(s1, "mod-group s1 group_id=1,type=all,bucket=output:4 --may-create")  # exists: changed
    assert groups(s1) == ["group_id=1,type=all,bucket=actions=output:4",
                          "group_id=9,type=all,bucket=actions=output:1"]
    # bad input
    err = fails(s1, "mod-group s1 group_id=1,type=all,bucket=outptu:2", capsys)
    assert 'bad group: unknown action "outptu" at column 28 (did you mean output?)' in err
    assert "\n  group_id=1,type=all,bucket=outptu:2\n" \
        "                             ^\n" in err  # the caret under column 28
    assert "missing type=" in fails(s1, "mod-group s1 group_id=1,bucket=output:1", capsys)
    err = fails(s1, "mod-group s1 --may-creat group_id=1,type=all", capsys)
    assert "unknown option '--may-creat' (options: --may-create)" in err
    err = fails(s1, "mod-group s1", capsys)
    assert "missing arguments: usage: mod-group SW GROUP [--may-create]" in err
    assert "switch 's7' is not connected" in fails(s1, "mod-group s7 group_id=1,type=all",
                                                   capsys)
    assert groups(s1)[0] == "group_id=1,type=all,bucket=actions=output:4"  # nothing changed


def test_del_groups_with_and_without_an_id(s1: Shell,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    for n in (1, 2, 3):
        ok(s1, f"add-group s1 group_id={n},type=all,bucket=output:{n}")
    ok(s1, "add-flow s1 priority=5,actions=group:2")
    ok(s1, "add-flow s1 priority=6,actions=group:3")
    ok(s1, "del-groups s1 group_id=2")
    assert groups(s1) == ["group_id=1,type=all,bucket=actions=output:1",
                          "group_id=3,type=all,bucket=actions=output:3"]
    dumped = ofctl(s1, "dump-flows", "s1")  # the flow to group 2 went with it
    assert "group:2" not in dumped and "priority=6 actions=group:3" in dumped
    ok(s1, "del-groups s1 group_id=77")  # no such group: no error, as in ovs-ofctl
    assert len(groups(s1)) == 2
    ok(s1, "del-groups s1")  # all of them
    assert groups(s1) == []
    assert "group:" not in ofctl(s1, "dump-flows", "s1")
    ok(s1, "add-group s1 group_id=4,type=indirect,bucket=output:1")
    ok(s1, "del-groups s1 group_id=all")
    assert groups(s1) == []
    # bad input
    ok(s1, "add-group s1 group_id=4,type=indirect,bucket=output:1")
    err = fails(s1, "del-groups s1 4", capsys)
    assert 'bad group: unknown keyword "4" at column 1 (did you mean group_id=4?)' in err
    err = fails(s1, "del-groups s1 group_id=4,type=all", capsys)
    assert 'unknown keyword "type" at column 12' in err
    err = fails(s1, "del-groups s1 group_id=4,bucket=output:1", capsys)
    assert "a delete takes no buckets at column 12" in err
    assert 'bad number "x" for group_id' in fails(s1, "del-groups s1 group_id=x", capsys)
    assert "missing arguments: usage: del-groups SW [group_id=ID]" in fails(
        s1, "del-groups", capsys)
    assert "switch 's7' is not connected" in fails(s1, "del-groups s7", capsys)
    assert groups(s1) == ["group_id=4,type=indirect,bucket=actions=output:1"]


# -- meters -------------------------------------------------------------------------------

def test_mod_meter_and_del_meter(s1: Shell, capsys: pytest.CaptureFixture[str]) -> None:
    ok(s1, "add-meter s1 meter=1,kbps,bands=type=drop,rate=1000")
    ok(s1, "add-meter s1 meter=2,pktps,bands=type=drop,rate=5")
    ok(s1, "mod-meter s1 meter=1 pktps burst bands=type=drop,rate=9,burst_size=3")
    assert meters(s1) == "meter=1 pktps burst bands=\ntype=drop rate=9 burst_size=3\n\n" \
        "meter=2 pktps bands=\ntype=drop rate=5\n"
    assert normal(ok(s1, "dump-meters s1")) == normal(ofctl(s1, "dump-meters", "s1"))
    err = fails(s1, "mod-meter s1 meter=3,kbps,bands=type=drop,rate=5", capsys)
    assert "switch s1 refused mod-meter 'meter=3,kbps,bands=type=drop,rate=5': " \
        "OFPET_METER_MOD_FAILED/OFPMMFC_UNKNOWN_METER for ofp_meter_mod" in err, err
    assert "no such meter on the switch (add-meter adds it)" in err
    ok(s1, "add-flow s1 priority=5,actions=meter:2,output:1")
    ok(s1, "del-meter s1 meter=2")
    assert meters(s1) == "meter=1 pktps burst bands=\ntype=drop rate=9 burst_size=3\n"
    assert "meter:2" not in ofctl(s1, "dump-flows", "s1")  # the flow went with it
    ok(s1, "del-meters s1 meter=42")  # no such meter: no error, as in ovs-ofctl
    ok(s1, "del-meters s1")
    assert meters(s1) == ""
    ok(s1, "add-meter s1 meter=3,kbps,bands=type=drop,rate=1")
    ok(s1, "del-meter s1 meter=all")
    assert meters(s1) == ""
    # bad input
    ok(s1, "add-meter s1 meter=3,kbps,bands=type=drop,rate=1")
    err = fails(s1, "mod-meter s1 meter=3,kbps,burst,bands=type=drop,rate=1", capsys)
    assert "bad meter: with the burst flag every band needs burst_size= at column 26" in err
    assert "\n  meter=3,kbps,burst,bands=type=drop,rate=1\n" + " " * 27 + "^\n" in err
    assert "bad meter: missing bands" in fails(s1, "mod-meter s1 meter=3,kbps", capsys)
    assert "missing arguments: usage: mod-meter SW METER" in fails(s1, "mod-meter s1", capsys)
    err = fails(s1, "del-meter s1 3", capsys)
    assert 'unknown keyword "3" at column 1 (did you mean meter=3?)' in err
    assert 'unknown keyword "kbps" in a delete at column 9' in fails(
        s1, "del-meters s1 meter=3,kbps", capsys)
    assert 'bad number "x" for meter' in fails(s1, "del-meter s1 meter=x", capsys)
    assert "missing arguments: usage: del-meters SW [meter=ID]" in fails(
        s1, "del-meter", capsys)
    assert "switch 's7' is not connected" in fails(s1, "del-meters s7", capsys)
    assert meters(s1) == "meter=3 kbps bands=\ntype=drop rate=1\n"


def test_del_meter_and_del_meters_are_one_command() -> None:
    assert REGISTRY.get("del-meter").handler is REGISTRY.get("del-meters").handler
    assert REGISTRY.get("del-meter").usage == "SW [meter=ID]"


# -- OpenFlow 1.0 -------------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "add-group s1 group_id=1,type=all", "mod-group s1 group_id=1,type=all",
    "del-groups s1", "dump-groups s1", "add-meter s1 meter=1,kbps,bands=type=drop,rate=5",
    "mod-meter s1 meter=1,kbps,bands=type=drop,rate=5", "del-meter s1 meter=1",
    "del-meters s1", "dump-meters s1"])
def test_openflow10_switch_has_no_groups_or_meters(sh10: Shell, line: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    name = line.split()[0]
    name = "del-meters" if name == "del-meter" else name  # one handler, one name
    assert f"{name} needs OpenFlow 1.3; switch s1 speaks OpenFlow 1.0" in fails(
        sh10, line, capsys)
