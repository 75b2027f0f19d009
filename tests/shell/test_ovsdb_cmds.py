"""The OVSDB commands against a real lab: ``ovsdb ...`` and the ovs-vsctl verbs give
what ``ovs-vsctl`` gives on the same database, monitors print changes and stop,
expectations hold and fail, and every bad input is an error naming what is wrong."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from workbench.lab import Lab
from workbench.runtime import Runtime
from workbench.shell import Shell, start_lab
from workbench.shell._cmd_ovsdb import _Feed, atom_text, value_text


class Output(io.StringIO):
    """A shell's output, kept (thread-safe: monitors write from their own thread)."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()

    def write(self, text: str) -> int:
        with self._lock:
            return super().write(text)

    @property
    def text(self) -> str:
        with self._lock:
            return self.getvalue()


class Session:
    def __init__(self, runtime: Runtime, capsys: pytest.CaptureFixture[str],
                 fmt: str = "text") -> None:
        self.out = Output()
        self.shell = Shell(runtime, out=self.out, fmt=fmt)
        self.capsys = capsys

    def ok(self, line: str) -> str:
        start = len(self.out.text)
        done = self.shell.execute(line)
        assert done, f"{line!r} failed: {self.capsys.readouterr().err}"
        return self.out.text[start:]

    def error(self, line: str) -> str:
        self.capsys.readouterr()
        assert not self.shell.execute(line), f"{line!r} should fail"
        err = self.capsys.readouterr().err
        assert err.startswith("error: "), err
        assert "internal error" not in err, err
        return err

    def wait_for(self, pattern: str, timeout: float = 5.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if re.search(pattern, self.out.text):
                return self.out.text
            time.sleep(0.02)
        raise AssertionError(f"no {pattern!r} in the output:\n{self.out.text}")


@pytest.fixture(scope="module")
def labbed() -> Iterator[tuple[Runtime, Lab]]:
    with Runtime() as runtime:
        listener = runtime.listen("127.0.0.1", 0)
        start_lab(runtime, 1, 4, listener)
        assert runtime.lab is not None
        yield runtime, runtime.lab


@pytest.fixture
def session(labbed: tuple[Runtime, Lab], capsys: pytest.CaptureFixture[str]
            ) -> Iterator[Session]:
    made = Session(labbed[0], capsys)
    yield made
    made.shell.close()


def vsctl(labbed: tuple[Runtime, Lab], *args: str) -> str:
    return labbed[1].vsctl(*args)


def test_values_are_printed_as_ovs_vsctl_prints_them(labbed: tuple[Runtime, Lab],
                                                      session: Session) -> None:
    uuid_like = "01234567-89ab-cdef-0123-456789abcdef"
    vsctl(labbed, "set", "Bridge", "s1", 'external_ids:a="x y"', 'external_ids:b="true"',
          "external_ids:c=_a.b-c", "external_ids:d=a1", 'external_ids:e=""',
          'external_ids:f="é\\\\n"', f'external_ids:g="{uuid_like}"', "external_ids:h=9",
          "flood_vlans=1,20,3")
    ours = session.ok("ovsdb list Bridge s1")
    assert ours == vsctl(labbed, "list", "Bridge", "s1")
    assert session.ok("ovsdb get Bridge s1 name fail_mode datapath_id external_ids "
                      "flood_vlans mirrors external_ids:a") == vsctl(
        labbed, "get", "Bridge", "s1", "name", "fail_mode", "datapath_id", "external_ids",
        "flood_vlans", "mirrors", "external_ids:a")
    assert session.ok("ovsdb list Port s1-eth2") == vsctl(labbed, "list", "Port", "s1-eth2")
    assert atom_text(True) == "true" and atom_text(1.5) == "1.5" and value_text(None) == "[]"
    assert value_text({"b": 1, "a": "x:y"}) == '{a="x:y", b=1}'


def test_list_find_columns_and_json(labbed: tuple[Runtime, Lab], session: Session,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    table = session.ok("ovsdb find --columns=name,ofport Interface ofport<5 ofport>1")
    assert table.splitlines()[0].split() == ["name", "ofport"]
    assert sorted(line.split()[0] for line in table.splitlines()[2:]) == [
        "s1-eth2", "s1-eth3", "s1-eth4"]
    assert "_uuid" in session.ok("ovsdb list --columns=_uuid,name Bridge")
    both = session.ok("ovsdb list --columns=name Interface s1-eth1 s1-eth2")
    assert both.split()[2:] == ["s1-eth1", "s1-eth2"]
    assert session.ok("ovsdb list --if-exists Bridge nobridge") == ""
    assert session.ok("ovsdb list-dbs").split() == ["Open_vSwitch", "_Server"]
    tables = session.ok("ovsdb tables")
    assert re.search(r"QoS\s+yes", tables) and re.search(r"Bridge\s+no", tables)
    as_json = Session(labbed[0], capsys, fmt="json")
    rows = json.loads(as_json.ok("ovsdb find --columns=name Bridge name=s1"))
    assert rows == [{"_uuid": rows[0]["_uuid"], "name": "s1"}]
    assert json.loads(as_json.ok("ovsdb get Bridge s1 protocols")) == [
        ["OpenFlow10", "OpenFlow13"]]


def test_changes_match_ovs_vsctl(labbed: tuple[Runtime, Lab], session: Session) -> None:
    session.ok("ovsdb set Port s1-eth1 'external_ids:owner=\"me:you\"' tag=7")
    assert vsctl(labbed, "get", "Port", "s1-eth1", "external_ids:owner", "tag").split() == [
        '"me:you"', "7"]
    session.ok("ovsdb add Port s1-eth1 trunks 1 2 3")
    session.ok("ovsdb remove Port s1-eth1 trunks 2")
    session.ok("ovsdb add Port s1-eth1 external_ids k=v")
    session.ok("ovsdb remove Port s1-eth1 external_ids owner")
    assert vsctl(labbed, "get", "Port", "s1-eth1", "trunks", "external_ids").split("\n")[:2] \
        == ["[1, 3]", "{k=v}"]
    session.ok("ovsdb clear Port s1-eth1 trunks tag external_ids")
    assert vsctl(labbed, "get", "Port", "s1-eth1", "trunks", "tag", "external_ids").split() \
        == ["[]", "[]", "{}"]
    qos = session.ok("ovsdb create QoS type=linux-htb other_config:max-rate=1000").strip()
    assert vsctl(labbed, "get", "QoS", qos, "type").strip() == "linux-htb"
    session.ok(f"ovsdb destroy QoS {qos}")
    assert qos not in vsctl(labbed, "--columns=_uuid", "list", "QoS")
    linked = session.ok("ovsdb create --parent=Port,s1-eth2,qos QoS type=linux-htb").strip()
    assert vsctl(labbed, "get", "Port", "s1-eth2", "qos").strip() == linked
    session.ok("ovsdb clear Port s1-eth2 qos")
    session.ok(f"ovsdb destroy QoS {linked}")
    orphan = session.ok("ovsdb create Mirror name=m0")
    assert "warning: create Mirror: Mirror is not a root table" in orphan


def test_transact(labbed: tuple[Runtime, Lab], session: Session) -> None:
    shown = session.ok('ovsdb transact [{"op":"select","table":"Bridge",'
                       '"where":[["name","==","s1"]],"columns":["name"]}]')
    assert json.loads(shown) == [{"rows": [{"name": "s1"}]}]
    shown = session.ok("ovsdb transact Open_vSwitch '{\"op\":\"comment\",\"comment\":\"x\"}'")
    assert json.loads(shown) == [{}]
    err = session.error('ovsdb transact [{"op":"select","table":"Bridge","where":[]},'
                        '{"op":"wait","table":"Bridge","where":[],"columns":["name"],'
                        '"until":"==","rows":[],"timeout":0}]')
    assert "operation 2 (wait) failed: timed out" in err
    assert "bad JSON at column 2" in session.error("ovsdb transact [x]")
    assert "array of operation objects" in session.error("ovsdb transact [1, 2]")
    assert "missing operations" in session.error("ovsdb transact")
    assert "unknown database" in session.error('ovsdb transact nodb [{"op":"comment"}]')


def test_monitor_prints_changes_until_unmonitored(labbed: tuple[Runtime, Lab],
                                                  session: Session) -> None:
    started = session.ok("ovsdb monitor bridge name,fail_mode")
    assert re.match(r"m\d+: monitoring Bridge \(name, fail_mode\)", started)
    watch_id = started.split(":")[0]
    session.wait_for(rf"{watch_id} Bridge initial \w+ name=s1 fail_mode=secure")
    session.ok("add-br mon0")
    session.wait_for(rf"{watch_id} Bridge insert \w+ name=mon0 fail_mode=\[\]")
    session.ok("set-fail-mode mon0 standalone")
    session.wait_for(rf"{watch_id} Bridge modify \w+ fail_mode=standalone \(was \[\]\)")
    session.ok("ovsdb set Bridge mon0 external_ids:x=1")  # not a watched column
    session.ok("del-br mon0")
    text = session.wait_for(rf"{watch_id} Bridge delete")
    assert "external_ids" not in text
    listing = session.ok("ovsdb monitor")
    assert re.search(rf"{watch_id}\s+Open_vSwitch\s+Bridge\s+name,fail_mode\s+4\s+0", listing)
    session.ok(f"ovsdb unmonitor {watch_id}")
    before = session.out.text
    session.ok("add-br mon1")
    time.sleep(0.3)
    assert "mon1" not in session.out.text[len(before):]
    session.ok("del-br mon1")
    assert "no monitor 'm99' (running: none)" in session.error("ovsdb unmonitor m99")
    assert "has no table 'Bridg'" in session.error("ovsdb monitor Bridg")
    assert "has no column 'nam'" in session.error("ovsdb monitor Bridge nam")


def test_feed_is_rate_limited_and_bounded() -> None:
    out = Output()
    feed = _Feed("m9", out.write, rate=5, limit=20)
    for number in range(50):
        feed.push(f"line {number}")
    feed.close()
    shown = [line for line in out.text.splitlines() if line.startswith("line")]
    assert 1 <= len(shown) <= 5 and feed.shown == len(shown)
    assert feed.dropped >= 30 and feed.skipped == 50 - len(shown)
    assert f"m9: {feed.skipped} changes not shown (more than 5 a second)" in out.text


def test_vsctl_verbs(labbed: tuple[Runtime, Lab], session: Session) -> None:
    session.ok("add-br br7 fail_mode=secure protocols=OpenFlow13 "
               "other_config:datapath-id=00000000000000b7")
    assert "br7" in session.ok("list-br").split()
    assert session.ok("list-br") == vsctl(labbed, "list-br")
    assert vsctl(labbed, "get", "Bridge", "br7", "datapath_type", "protocols").split() == [
        "dummy", "[OpenFlow13]"]
    session.ok("add-br --may-exist br7")
    session.ok("add-port br7 p1 ofport_request=3")
    session.ok("add-port br7 p2 type=internal")
    assert session.ok("list-ports br7") == vsctl(labbed, "list-ports", "br7") == "p1\np2\n"
    assert vsctl(labbed, "get", "Interface", "p1", "type", "ofport_request").split() == [
        "dummy", "3"]
    session.ok("set-controller br7 shell")
    assert session.ok("wait-switch br7 --timeout 10") == ""
    target = session.ok("get-controller br7").strip()
    assert target == vsctl(labbed, "get-controller", "br7").strip()
    assert target.startswith("tcp:127.0.0.1:")
    assert session.ok("get-fail-mode br7") == "secure\n"
    session.ok("set-fail-mode br7 standalone")
    assert vsctl(labbed, "get-fail-mode", "br7").strip() == "standalone"
    session.ok("del-fail-mode br7")
    assert session.ok("get-fail-mode br7") == ""
    session.ok("del-controller br7")
    assert vsctl(labbed, "get-controller", "br7") == ""
    session.ok("del-port br7 p2")
    session.ok("del-port p1")
    session.ok("del-port --if-exists p1")
    assert session.ok("list-ports br7") == ""
    session.ok("del-br br7")
    session.ok("del-br --if-exists br7")
    assert "br7" not in vsctl(labbed, "list-br")


def test_bad_input(labbed: tuple[Runtime, Lab], session: Session) -> None:
    bad = {
        "ovsdb nope": "unknown ovsdb subcommand 'nope'",
        "ovsdb lst Bridge": "did you mean 'list'",
        "ovsdb list": "missing arguments: usage: ovsdb list",
        "ovsdb list --colums=name Bridge": "unknown option '--colums=name'",
        "ovsdb list --columns= Bridge": "--columns needs column names",
        "ovsdb list Bridgee": "no table is named 'Bridgee'",
        "ovsdb list Bridge s9": "no row 's9' in table Bridge",
        "ovsdb get Bridge s1 nocolumn": "no column is named 'nocolumn'",
        "ovsdb get Bridge s1 external_ids:none": "no key 'none'",
        "ovsdb set Bridge s1 fail_mode=never": "fail_mode: 'never' is not one of secure",
        "ovsdb set Bridge s1": "missing arguments",
        "ovsdb add Port s1-eth1 trunks": "missing arguments",
        "ovsdb destroy Bridge s1": "not a root table",
        "ovsdb create --parent=Port QoS type=x": "give TABLE,RECORD,COLUMN",
        "ovsdb tables nodb": "unknown database",
        "add-br s1": "exists already",
        "add-br": "missing arguments: usage: add-br",
        "add-br br8 fail_mode": "'fail_mode' is not COLUMN=VALUE",
        "add-port s1 p9 ofport_request=x": "ofport_request=x: not a port number",
        "add-port s9 p9": "no row 's9' in table Bridge",
        "del-port s1 nosuchport": "no row 'nosuchport' in table Port",
        "del-port s1 s1": "is the local port",
        "del-br s9": "no row 's9' in table Bridge",
        "list-ports": "missing arguments: usage: list-ports BRIDGE",
        "list-ports s1 s2": "too many arguments: 's2'",
        "set-controller s1": "missing arguments",
        "set-fail-mode s1 open": "fail_mode: 'open' is not one of secure",
        "get-controller s9": "no row 's9' in table Bridge",
        "expect bridges count=9": "expected 9 bridges, found 1: ['s1']",
        "expect bridges br9": "expected a bridge 'br9'",
        "expect port s1 s1-eth9": "expected port 's1-eth9' on bridge s1",
        "expect port s1 s1-eth1 ofport=2": "expected ofport=2 for port s1-eth1, found ofport=1",
        "expect port s1": "usage: expect port",
        "expect column Bridge s1 fail_mode=standalone within 0.2s":
            "expected Bridge s1 fail_mode=standalone, found secure (waited 0.2 s)",
        "expect column Bridge s1": "usage: expect column",
        "expect controller s1 tcp:1.2.3.4:6653": "expected controller tcp:1.2.3.4:6653",
        "expect controller s1 within": "within needs a time",
    }
    for line, message in bad.items():
        err = session.error(line)
        assert message in err, (line, err)
    assert session.ok("list-br") == "s1\n"  # nothing of the above changed anything


def test_expectations_that_hold(session: Session) -> None:
    for line in ("expect bridges count=1 s1", "expect port s1 s1-eth1 ofport=1",
                 "expect column Bridge s1 fail_mode=secure datapath_type=dummy",
                 "expect column Bridge s1 name=s1 other_config:disable-in-band=true",
                 "expect controller s1 shell", "expect controller s1 connected within 10s"):
        assert session.ok(line) == ""


def test_without_an_ovsdb_connection(capsys: pytest.CaptureFixture[str]) -> None:
    with Runtime() as runtime:
        session = Session(runtime, capsys)
        for line in ("ovsdb list-dbs", "ovsdb list Bridge", "list-br", "add-br b",
                     "ovsdb monitor Bridge", "expect bridges count=0"):
            err = session.error(line)
            assert "no OVSDB connection: start the shell with --ovsdb ADDR" in err
            assert "or --lab" in err
        assert session.ok("ovsdb monitor") .splitlines()[0].split()[0] == "id"


def test_script_with_a_monitor_prints_before_exit() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "workbench.shell", "--listen", "127.0.0.1:0", "--lab", "-c",
         "ovsdb monitor Interface name,ofport; add-port s1 x9 ofport_request=9; "
         "expect port s1 x9 ofport=9 within 5s; del-port x9"],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert re.search(r"m1 Interface initial \w+ name=s1-eth1 ofport=1", result.stdout)
    assert re.search(r"m1 Interface (insert|modify) \w+ .*ofport=9", result.stdout)
    assert re.search(r"m1 Interface delete", result.stdout) or "x9" in result.stdout
