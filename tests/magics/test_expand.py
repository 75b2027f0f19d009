"""Python values in ``%vlcp`` lines and ``%%vlcp`` cells: each rule of ``expand``,
its escapes, JSON braces left alone, errors for what has no value; then the same
rules end to end through the magics against the lab (IPython's own expansion is
off: it would have touched lines, not cells, and given up on JSON)."""

from __future__ import annotations

import json

import pytest
from IPython.core.interactiveshell import InteractiveShell

from tests.magics.conftest import run
from workbench.magics import ExpandError, VlcpError, expand

NS = {"sw": "s1", "port": 2, "prio": 100, "ports": [1, 2, 3], "name": "br 0"}
TRANSACT = '[{"op":"select","table":"Bridge","where":[],"columns":["name"]}]'
NESTED = '[{"op":"insert","table":"Bridge","row":{"name":"b","other_config":["map",[]]}}]'


@pytest.mark.parametrize(("text", "expanded"), [
    ("dump-flows $sw", "dump-flows s1"),  # $name
    ("add-flow {sw} priority={prio + 1},actions=output:{port}",
     "add-flow s1 priority=101,actions=output:2"),  # {expression}
    ("ports {sw}{port}", "ports s12"),
    ("x={ports[1:]}", "x=[2, 3]"),
    ("x={ len(ports) }", "x=3"),  # spaces inside the braces
    ("add-br '{name}'", "add-br 'br 0'"),  # values go in unquoted
    ("cost $$5 {{sw}} {{ }}", "cost $5 {sw} { }"),  # the escapes
    ("{{", "{"),  # a {{ that never closes
    ("$ 5 $1 a$", "$ 5 $1 a$"),  # a $ before no name
    ("{} { } {1:2}", "{} { } {1:2}"),  # braces around no expression
    (f"ovsdb transact '{TRANSACT}'", f"ovsdb transact '{TRANSACT}'"),  # JSON as it is
    (f"ovsdb transact '{NESTED}'", f"ovsdb transact '{NESTED}'"),  # its }} too
    ('ovsdb transact \'[{"op":"select","table":"Bridge","where":[["name","==","{sw}"]]}]\'',
     'ovsdb transact \'[{"op":"select","table":"Bridge","where":[["name","==","s1"]]}]\''),
])
def test_rules(text: str, expanded: str) -> None:
    assert expand(text, NS) == expanded


@pytest.mark.parametrize(("text", "message"), [
    ("dump-flows $swtich", "$swtich: name 'swtich' is not defined (write $$swtich for the "
                           "text itself)"),
    ("dump-flows {swtich}", "{swtich}: NameError: name 'swtich' is not defined (write "
                            "{{swtich}} for the text itself)"),
    ("x={ports[7]}", "{ports[7]}: IndexError: list index out of range"),
])
def test_what_has_no_value_is_an_error(text: str, message: str) -> None:
    with pytest.raises(ExpandError) as caught:
        expand(text, NS)
    assert str(caught.value).startswith(message)


def test_lines_and_cells_expand_alike(ip: InteractiveShell) -> None:
    run(ip, "%vlcp del-flows s1")
    run(ip, "sw, prio, out = 's1', 40, 3")
    run(ip, "%vlcp add-flow $sw priority={prio},actions=output:{out}")
    run(ip, "%%vlcp\n# {not expanded in a comment}\n"
            "add-flow {sw} priority={prio + 1},actions=output:$out\n")
    rows = run(ip, "%vlcp dump-flows {sw}").table.rows
    assert sorted((row[1], row[3]) for row in rows) == [(40, "output:3"), (41, "output:3")]


def test_json_braces_reach_the_command(ip: InteractiveShell) -> None:
    run(ip, "bridge = 's1'")
    query = ('%vlcp ovsdb transact \'[{"op":"select","table":"Bridge",'
             '"where":[["name","==","{bridge}"]],"columns":["name"]}]\'')
    result = run(ip, query)
    assert json.loads(result.data) == [{"rows": [{"name": "s1"}]}]
    everything = run(ip, f"%vlcp ovsdb transact '{TRANSACT}'")
    assert {"name": "s1"} in json.loads(everything.data)[0]["rows"]


def test_an_undefined_name_stops_the_cell_where_it_is(ip: InteractiveShell) -> None:
    cell = ip.run_cell("%%vlcp\nswitches\nports {swtich}\nswitches\n", store_history=False)
    error = cell.error_in_exec
    assert isinstance(error, VlcpError)
    assert str(error).startswith("cell:2: error: {swtich}: NameError: name 'swtich' is not "
                                 "defined (write {{swtich}} for the text itself)")
    line = ip.run_cell("%vlcp ports $swtich", store_history=False).error_in_exec
    assert str(line) == "error: $swtich: name 'swtich' is not defined (write $$swtich for " \
                        "the text itself)"
