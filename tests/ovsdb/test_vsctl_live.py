"""``Vsctl`` against the lab's real ovsdb-server and ovs-vswitchd, every result checked
with the real ``ovs-vsctl`` both ways: what we write it reads, what it writes we read,
the same text gives the same stored value (or both refuse it), ``find`` selects the
same rows, and one command is one transaction (the database log says so)."""

from __future__ import annotations

import asyncio
import re
import subprocess
import uuid
import warnings
from collections.abc import Awaitable, Callable
from typing import TypeVar

import pytest

from vlcp_core.ovsdb import OvsdbClient, Vsctl, VsctlError, VsctlLookupError
from workbench.lab import Lab, LabError

T = TypeVar("T")


def run(main: Callable[[], Awaitable[T]]) -> T:
    return asyncio.run(asyncio.wait_for(main(), 30))


async def connected(lab: Lab) -> tuple[OvsdbClient, Vsctl]:
    client = OvsdbClient()
    await client.connect(lab.db_target, initial=0.1, maximum=1.0)
    return client, Vsctl(client)


async def sh(lab: Lab, *args: str) -> str:
    """The real ovs-vsctl's output, stripped."""
    return (await asyncio.to_thread(lab.vsctl, *args)).strip()


def log_records(lab: Lab) -> list[str]:
    """The database log (``ovsdb-tool show-log -m``), one string per transaction."""
    out = subprocess.run(["ovsdb-tool", "show-log", "-m", str(lab.dir / "conf.db")],
                         capture_output=True, text=True, check=True).stdout
    return re.split(r"\n(?=record \d+:)", out)


def test_add_br_is_one_transaction_and_del_br_lets_the_rows_go(lab: Lab) -> None:
    async def main() -> None:
        client, vsctl = await connected(lab)
        lab.add_bridge("s1", ports=1)
        new = await vsctl.add_br("b1", datapath_type="dummy", fail_mode="secure",
                                 protocols=["OpenFlow13"], other_config={"k": "v"})
        assert (await sh(lab, "list-br")).split() == ["b1", "s1"]
        assert await sh(lab, "list-ports", "b1") == ""
        assert await sh(lab, "get", "Interface", "b1", "type") == "internal"
        assert await sh(lab, "get", "Bridge", "b1", "_uuid") == str(new)
        assert await sh(lab, "get", "Bridge", "b1", "protocols", "fail_mode",
                        "other_config") == '[OpenFlow13]\nsecure\n{k=v}'
        [record] = [r for r in log_records(lab) if '"vlcp vsctl: add-br b1"' in r]
        for table in ("Interface", "Port", "Bridge"):
            assert f'table {table} insert row "b1"' in record
        assert "table Open_vSwitch row" in record
        # and what ovs-vsctl creates, we see
        await sh(lab, "add-br", "b2", "--", "set", "Bridge", "b2", "datapath_type=dummy")
        assert await vsctl.list_br() == ["b1", "b2", "s1"]
        assert await vsctl.br_exists("b2") and not await vsctl.br_exists("b9")
        # existing names
        with pytest.raises(VsctlError, match="a bridge named 'b1' exists already"):
            await vsctl.add_br("b1")
        assert await vsctl.add_br("b1", may_exist=True) == new
        with pytest.raises(VsctlError, match="a port named 's1-eth1' exists already on "
                                             "bridge 's1'"):
            await vsctl.add_br("s1-eth1", datapath_type="dummy")
        # del_br: the Bridge, its Port and Interface are collected by the server
        await vsctl.add_port("b1", "b1p", interface_type="dummy")
        await vsctl.del_br("b1")
        assert (await sh(lab, "list-br")).split() == ["b2", "s1"]
        names = await sh(lab, "--bare", "--columns=name", "list", "Interface")
        assert set(names.split()) == {"b2", "s1", "s1-eth1"}
        with pytest.raises(VsctlLookupError, match="no row 'b1' in table Bridge"):
            await vsctl.del_br("b1")
        await vsctl.del_br("b1", if_exists=True)
        await client.close()

    run(main)


def test_ports_both_ways(lab: Lab) -> None:
    async def main() -> None:
        client, vsctl = await connected(lab)
        await vsctl.add_br("b1", datapath_type="dummy")
        await vsctl.add_br("b2", datapath_type="dummy")
        port = await vsctl.add_port("b1", "p1", interface_type="dummy", ofport_request=7,
                                    options={"pstream": "punix:/nonexistent"})
        assert await sh(lab, "list-ports", "b1") == "p1"
        assert await sh(lab, "get", "Port", "p1", "_uuid") == str(port)
        assert await sh(lab, "get", "Interface", "p1", "type", "ofport_request",
                        "options") == 'dummy\n7\n{pstream="punix:/nonexistent"}'
        await vsctl.wait_for_switch()
        assert await sh(lab, "get", "Interface", "p1", "ofport") == "7"  # the switch applied it
        assert await vsctl.add_port("b1", "p1", may_exist=True) == port
        with pytest.raises(VsctlError, match="a port named 'p1' exists already on bridge 'b1'"):
            await vsctl.add_port("b2", "p1", may_exist=True)
        with pytest.raises(VsctlLookupError, match="no row 'b9' in table Bridge"):
            await vsctl.add_port("b9", "p9")
        await sh(lab, "add-port", "b1", "p2", "--", "set", "Interface", "p2", "type=dummy")
        assert await vsctl.list_ports("b1") == ["p1", "p2"]
        assert await vsctl.list_ports("b2") == []
        with pytest.raises(VsctlError, match="bridge 'b2' does not have a port 'p1'"):
            await vsctl.del_port("p1", bridge="b2")
        with pytest.raises(VsctlError, match="'b1' is the local port of bridge 'b1'"):
            await vsctl.del_port("b1")
        await vsctl.del_port("p1", bridge="b1")
        await vsctl.del_port("p2")
        assert await sh(lab, "list-ports", "b1") == ""
        assert await sh(lab, "--bare", "--columns=name", "find", "Interface", "name=p1") == ""
        with pytest.raises(VsctlLookupError, match="no row 'p1' in table Port"):
            await vsctl.del_port("p1")
        await vsctl.del_port("p1", if_exists=True)
        await client.close()

    run(main)


def test_controllers_and_fail_mode_both_ways(lab: Lab) -> None:
    async def main() -> None:
        client, vsctl = await connected(lab)
        await vsctl.add_br("b1", datapath_type="dummy")
        await vsctl.set_controller("b1", "tcp:127.0.0.1:1", "ptcp:0:127.0.0.1")
        assert (await sh(lab, "get-controller", "b1")).split() == ["ptcp:0:127.0.0.1",
                                                                   "tcp:127.0.0.1:1"]
        await vsctl.set_controller("b1", "tcp:127.0.0.1:2")
        assert await sh(lab, "get-controller", "b1") == "tcp:127.0.0.1:2"
        assert await sh(lab, "--bare", "--columns=target", "list", "Controller") == \
            "tcp:127.0.0.1:2"  # the replaced rows were collected
        await sh(lab, "set-controller", "b1", "tcp:127.0.0.1:3")
        assert await vsctl.get_controller("b1") == ["tcp:127.0.0.1:3"]
        await vsctl.del_controller("b1")
        assert await sh(lab, "get-controller", "b1") == ""
        assert await sh(lab, "list", "Controller") == ""
        # fail mode
        await vsctl.set_fail_mode("b1", "secure")
        assert await sh(lab, "get-fail-mode", "b1") == "secure"
        with pytest.raises(ValueError, match="Bridge.fail_mode: 'bogus' is not one of "
                                             "secure, standalone"):
            await vsctl.set_fail_mode("b1", "bogus")
        assert await sh(lab, "get-fail-mode", "b1") == "secure"
        await vsctl.del_fail_mode("b1")
        assert await sh(lab, "get-fail-mode", "b1") == ""
        assert await vsctl.get_fail_mode("b1") is None
        await sh(lab, "set-fail-mode", "b1", "standalone")
        assert await vsctl.get_fail_mode("b1") == "standalone"
        with pytest.raises(VsctlLookupError, match="no row 'b9' in table Bridge"):
            await vsctl.set_controller("b9", "tcp:127.0.0.1:1")
        await client.close()

    run(main)


SAME_VALUES = [
    "protocols=[OpenFlow10,OpenFlow13]", "protocols=OpenFlow10 OpenFlow13",
    "protocols=OpenFlow10 ,OpenFlow13", "protocols=[]", "flood_vlans=1-3,7",
    "flood_vlans=[ 4 , 5 ]", "flood_vlans=+5", "external_ids={a=b, c=d}",
    "external_ids=a=b c=d", 'external_ids={"x y"="1 2", z=""}', "external_ids:k=x y",
    "external_ids:k2=a{b", 'external_ids:"k:1"=v', r'external_ids:q="say \"hi\""',
    "external_ids:t=true", "fail_mode=secure", "fail_mode=[]", "fail_mode=[standalone]",
    "mcast_snooping_enable=true", "other_config={}", "other-config:x=1", "Flood-Vlans=9",
    "flood_vlans=1,",
]
BOTH_REFUSE = [
    "flood_vlans=1,,2", "flood_vlans=[1 2] 3", "flood_vlans=1,1", "fail_mode=",
    "mcast_snooping_enable=True", "other_config=[]", "flood_vlans={}", 'external_ids:k="a"b',
    "flood_vlans=5000", "fail_mode=bogus", "nonesuch=2", "flood_vlans:1=2", "external_ids:x",
    "datapath_type=[]", "name=other", "external_ids={a=b,a=c}",
]


def test_values_are_parsed_as_ovs_vsctl_parses_them(lab: Lab) -> None:
    async def main() -> None:
        client, vsctl = await connected(lab)
        await vsctl.add_br("ours", datapath_type="dummy")
        await vsctl.add_br("theirs", datapath_type="dummy")
        columns = ("protocols", "flood_vlans", "external_ids", "fail_mode",
                   "mcast_snooping_enable", "other_config")
        for text in SAME_VALUES:
            await vsctl.set("Bridge", "ours", text)
            await sh(lab, "set", "Bridge", "theirs", text)
            ours = await sh(lab, "get", "Bridge", "ours", *columns)
            assert ours == await sh(lab, "get", "Bridge", "theirs", *columns), text
        before = await sh(lab, "get", "Bridge", "ours", *columns)
        for text in BOTH_REFUSE:
            with pytest.raises(ValueError) as caught:
                await vsctl.set("Bridge", "ours", text)
            assert "Bridge" in str(caught.value), caught.value  # it names table.column
            with pytest.raises(LabError):
                await sh(lab, "set", "Bridge", "theirs", text)
        assert await sh(lab, "get", "Bridge", "ours", *columns) == before
        with pytest.raises(ValueError, match=r"Bridge.flood_vlans: '1,,2' at character 3: "
                                             r"expected a value after ','"):
            await vsctl.set("Bridge", "ours", "flood_vlans=1,,2")
        with pytest.raises(ValueError, match=r"Bridge.mcast_snooping_enable: 'yes' is not "
                                             r"a boolean \(true or false\)"):
            await vsctl.set("Bridge", "ours", "mcast_snooping_enable=yes")
        with pytest.raises(ValueError, match="Bridge.flood_vlans: 'x' in '1 x' is not an "
                                             "integer"):
            await vsctl.set("Bridge", "ours", "flood_vlans=1 x")
        await client.close()

    run(main)


def test_get_set_add_remove_clear_on_maps_and_sets(lab: Lab) -> None:
    async def main() -> None:
        client, vsctl = await connected(lab)
        await vsctl.add_br("b1", datapath_type="dummy")
        await vsctl.set("Bridge", "b1", "other_config:a=1", "external_ids={x=y}",
                        "flood_vlans=[10,20]")
        assert await sh(lab, "get", "Bridge", "b1", "other_config:a") == '"1"'
        assert await vsctl.get("Bridge", "b1", "other_config:a", "external_ids",
                               "flood_vlans") == ["1", {"x": "y"}, frozenset({10, 20})]
        await sh(lab, "set", "Bridge", "b1", "external_ids:by=ovs-vsctl")
        assert await vsctl.get("Bridge", "b1", "external_ids:by") == ["ovs-vsctl"]
        with pytest.raises(VsctlLookupError, match="no key 'zz' in Bridge record 'b1' "
                                                   "column other_config"):
            await vsctl.get("Bridge", "b1", "other_config:zz")
        assert await vsctl.get("Bridge", "b1", "other_config:zz", if_exists=True) == [None]
        assert await vsctl.get("Bridge", "b9", "name", if_exists=True) == []
        # add keeps an existing key's value; remove by key, by pair, and values
        await vsctl.add("Bridge", "b1", "other_config", "a=2", "b=3 c=4")
        await vsctl.add("Bridge", "b1", "flood_vlans", "30-32", "40")
        assert await sh(lab, "get", "Bridge", "b1", "other_config", "flood_vlans") == \
            '{a="1", b="3", c="4"}\n[10, 20, 30, 31, 32, 40]'
        await vsctl.set("Bridge", "b1", 'other_config:"k=1"=v')
        await vsctl.remove("Bridge", "b1", "other_config", "a", "b=wrong", "c=4", '"k=1"')
        await vsctl.remove("Bridge", "b1", "flood_vlans", "31-32", "10")
        assert await sh(lab, "get", "Bridge", "b1", "other_config", "flood_vlans") == \
            '{b="3"}\n[20, 30, 40]'
        await vsctl.clear("Bridge", "b1", "other_config", "flood_vlans", "fail_mode")
        assert await sh(lab, "get", "Bridge", "b1", "other_config", "flood_vlans",
                        "fail_mode") == "{}\n[]\n[]"
        with pytest.raises(ValueError, match="Bridge.datapath_type: cannot be cleared"):
            await vsctl.clear("Bridge", "b1", "datapath_type")
        with pytest.raises(ValueError, match="Bridge.name is immutable"):
            await vsctl.set("Bridge", "b1", "name=b2")
        with pytest.raises(ValueError, match="expected at least one value"):
            await vsctl.remove("Bridge", "b1", "flood_vlans", "[]")
        await client.close()

    run(main)


FIND = [
    "flood_vlans{>=}1,2", "flood_vlans{<=}1,2", "flood_vlans{<}1,2", "flood_vlans{>}1",
    "flood_vlans{=}1", "flood_vlans{!=}1", "flood_vlans{in}1,2", "flood_vlans{not-in}2",
    "flood_vlans=[]", "flood_vlans!=[]", "flood_vlans<2", "flood_vlans>[1]",
    "flood_vlans<=[1,5]", "flood_vlans>=[1,5]", "other_config:a=1", "other_config:a!=1",
    "other_config:a{!=}1", "other_config:a<2", "other_config:b{=}[]", "other_config={a=1}",
    "other_config>{a=1}", "other_config<{a=2,b=3}", "other_config<{b=0}",
    "other_config>{a=0}", "name=fa", "name!=fa", "name>fb",
    "fail_mode=secure", "fail_mode=[]", "datapath_type=dummy", "stp_enable=false",
]


def test_find_selects_what_ovs_vsctl_finds(lab: Lab) -> None:
    async def main() -> None:
        client, vsctl = await connected(lab)
        await vsctl.add_br("fa", datapath_type="dummy", fail_mode="secure",
                           other_config={"a": "1"})
        await vsctl.add_br("fb", datapath_type="dummy", other_config={"a": "2", "b": "3"})
        await vsctl.add_br("fc", datapath_type="dummy")
        await vsctl.set("Bridge", "fa", "flood_vlans=1,2")
        await vsctl.set("Bridge", "fb", "flood_vlans=1")
        for condition in [*FIND, ("name!=fa", "flood_vlans{>=}1")]:
            conditions = (condition,) if isinstance(condition, str) else condition
            ours = {row["name"] for row in await vsctl.find("Bridge", *conditions,
                                                             columns=["name"])}
            theirs = await sh(lab, "--bare", "--columns=name", "find", "Bridge", *conditions)
            assert ours == set(theirs.split()), conditions
        rows = await vsctl.find("br", "name=fa", columns=["name", "other-config"])
        assert rows == [{"_uuid": rows[0]["_uuid"], "name": "fa", "other_config": {"a": "1"}}]
        with pytest.raises(ValueError, match="expected column"):
            await vsctl.find("Bridge", "name~fa")
        await client.close()

    run(main)


def test_records_by_name_uuid_prefix_dot_and_via_another_table(lab: Lab) -> None:
    async def main() -> None:
        client, vsctl = await connected(lab)
        bridge = await vsctl.add_br("b1", datapath_type="dummy")
        await vsctl.add_port("b1", "p1", interface_type="dummy")
        assert await vsctl.get("Bridge", str(bridge), "name") == ["b1"]
        assert await vsctl.get("Bridge", str(bridge)[:8], "name") == ["b1"]
        with pytest.raises(VsctlLookupError, match="no row 'abc' in table Bridge"):
            await vsctl.get("Bridge", "abc", "name")  # 3 hex digits are not a prefix
        [listed] = await vsctl.list("Open_vSwitch", ".", columns=["bridges"])
        assert listed["bridges"] == {bridge}
        assert await sh(lab, "get", "Open_vSwitch", ".", "bridges") == f"[{bridge}]"
        await vsctl.set_controller("b1", "tcp:127.0.0.1:1")
        assert await vsctl.get("Controller", "b1", "target") == ["tcp:127.0.0.1:1"]
        await vsctl.set("Controller", "b1", "max_backoff=2000")
        assert await sh(lab, "get", "Controller", "b1", "max_backoff") == "2000"
        await vsctl.set_controller("b1", "tcp:127.0.0.1:1", "tcp:127.0.0.1:2")
        with pytest.raises(VsctlError, match="several Controller"):
            await vsctl.get("Controller", "b1", "target")
        with pytest.raises(LabError, match="in table Controller"):  # ovs-vsctl: "no row"
            await sh(lab, "get", "Controller", "b1", "target")
        qos = await vsctl.create("QoS", "type=linux-htb", parent=("Port", "p1", "qos"))
        assert await vsctl.get("QoS", "p1", "_uuid", "type") == [qos, "linux-htb"]
        assert await sh(lab, "get", "QoS", "p1", "_uuid") == str(qos)
        with pytest.raises(VsctlLookupError, match="no row 'nope' in table Bridge"):
            await vsctl.list("Bridge", "nope")
        assert await vsctl.list("Bridge", "nope", if_exists=True) == []
        with pytest.raises(ValueError, match="database Open_vSwitch: no table is named "
                                             "'Brige'"):
            await vsctl.list("Brige")
        assert await vsctl.get("Bridge", "b1", "nam") == ["b1"]  # a unique prefix
        with pytest.raises(ValueError, match="table Bridge: 'n' matches several columns: "
                                             "name, netflow"):
            await vsctl.get("Bridge", "b1", "n")
        with pytest.raises(ValueError, match="table Bridge: no column is named 'zz'"):
            await vsctl.get("Bridge", "b1", "zz")
        await client.close()

    run(main)


def test_create_destroy_and_garbage_collection(lab: Lab) -> None:
    async def main() -> None:
        client, vsctl = await connected(lab)
        await vsctl.add_br("b1", datapath_type="dummy")
        qos = await vsctl.create("QoS", "type=linux-htb", "other_config:max-rate=1000000",
                                 "external_ids={owner=test}")
        assert await sh(lab, "get", "QoS", str(qos), "type", "other_config") == \
            'linux-htb\n{max-rate="1000000"}'
        queue = await vsctl.create("Queue", "other_config:min-rate=10",
                                   parent=("QoS", str(qos), "queues:0"))
        assert await sh(lab, "get", "QoS", str(qos), "queues") == f"{{0={queue}}}"
        with pytest.raises(VsctlError, match="Controller is not a root table"):
            await vsctl.destroy("Controller", "b1")
        await vsctl.set("QoS", str(qos), "queues={}")
        await vsctl.destroy("QoS", str(qos)[:6])
        await vsctl.destroy("Queue", str(queue))
        assert await sh(lab, "list", "QoS") == "" and await sh(lab, "list", "Queue") == ""
        with pytest.raises(VsctlLookupError, match=f"no row '{qos}' in table QoS"):
            await vsctl.destroy("QoS", str(qos))
        await vsctl.destroy("QoS", str(qos), if_exists=True)
        # a Controller nothing references is collected at once (and we warn)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            lost = await vsctl.create("Controller", 'target="tcp:127.0.0.1:9"')
        assert "not a root table" in str(caught[0].message)
        assert await vsctl.list("Controller") == []
        assert await sh(lab, "list", "Controller") == ""
        kept = await vsctl.create("Controller", 'target="tcp:127.0.0.1:9"',
                                  parent=("Bridge", "b1", "controller"))
        assert kept != lost
        assert await sh(lab, "get-controller", "b1") == "tcp:127.0.0.1:9"
        mirror = await vsctl.create("Mirror", "name=m1", "select_all=true",
                                    parent=("Bridge", "b1", "mirrors"))
        assert await vsctl.get("Mirror", "m1", "_uuid") == [mirror]
        assert await sh(lab, "get", "Bridge", "b1", "mirrors") == f"[{mirror}]"
        with pytest.raises(ValueError, match="Bridge.ports: cannot reference the new "
                                             "Controller row: it holds Port rows"):
            await vsctl.create("Controller", "target=x", parent=("Bridge", "b1", "ports"))
        with pytest.raises(ValueError, match="QoS.queues:0: '@q' is not defined here"):
            await vsctl.create("QoS", "queues:0=@q")
        await client.close()

    run(main)


def test_datapath_ids_are_the_openflow_switches(lab: Lab) -> None:
    async def main() -> None:
        client, vsctl = await connected(lab)
        s1 = lab.add_bridge("s1", ports=1, datapath_id=0xABCDEF)
        assert await vsctl.datapath_id("s1") == s1.datapath_id == 0xABCDEF
        await vsctl.add_br("b1", datapath_type="dummy",
                           other_config={"datapath-id": "00000000000000a1"})
        await vsctl.wait_for_switch()
        assert await vsctl.datapath_id("b1") == 0xA1
        shown = await asyncio.to_thread(lab.ofctl, "show", f"unix:{lab.dir}/b1.mgmt")
        assert "dpid:00000000000000a1" in shown
        # a datapath ovs-vswitchd cannot create: no datapath id, even once it has caught up
        await vsctl.add_br("bx", datapath_type="bogus")
        await vsctl.wait_for_switch()
        assert await vsctl.datapath_id("bx") is None
        with pytest.raises(VsctlLookupError, match="no row 'b9' in table Bridge"):
            await vsctl.datapath_id("b9")
        await client.close()

    run(main)


def test_concurrent_commands_read_again_when_their_reads_change(lab: Lab) -> None:
    async def main() -> None:
        client, vsctl = await connected(lab)
        # all five read "no bridge race" before any writes; four must read again
        made = await asyncio.gather(*(vsctl.add_br("race", datapath_type="dummy",
                                                   may_exist=True) for _ in range(5)))
        assert len(set(made)) == 1
        assert await sh(lab, "list-br") == "race"
        outcomes = await asyncio.gather(*(vsctl.add_port("race", "rp", interface_type="dummy")
                                          for _ in range(3)), return_exceptions=True)
        assert sum(isinstance(outcome, uuid.UUID) for outcome in outcomes) == 1
        assert all(isinstance(outcome, uuid.UUID | VsctlError) for outcome in outcomes)
        assert await sh(lab, "list-ports", "race") == "rp"
        await client.close()

    run(main)
