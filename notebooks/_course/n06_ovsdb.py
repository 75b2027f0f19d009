"""Notebook 6: OVSDB: bridges, ports, controllers; watching the database change."""

from __future__ import annotations

from . import code, md

NAME = "06-ovsdb"

CELLS = [
    md("""
    # 6. OVSDB: the switch's configuration

    OpenFlow changes what a switch does with packets. What the switch *is* (its
    bridges, their ports, which controller each bridge connects to, what to do
    without one) is configuration, kept in a database: **OVSDB** (RFC 7047).
    `ovsdb-server` holds it; `ovs-vswitchd`, the switch itself, follows every
    change. `ovs-vsctl` is the usual tool to edit it.

    The workbench is an OVSDB client too: its lab's database is this notebook's,
    and commands such as `add-br`, `add-port`, `set-controller` and `ovsdb list`
    work the way `ovs-vsctl` does. Each command is one transaction.
    """),
    code("""
    %load_ext workbench
    %vlcp lab start --ports 2
    """, check=[r"s1 connected, 2 ports"]),
    md("""
    ## The tables

    A server can hold several databases; the switch's is `Open_vSwitch`. Its
    tables form a tree: one `Open_vSwitch` row points to the `Bridge` rows, a
    bridge to its `Port` rows and its `Controller`, a port to its `Interface` rows.
    A table that is not a *root* table only keeps rows that something points to:
    delete the bridge and its ports go with it.
    """),
    code("""
    %vlcp ovsdb tables
    """, check=[r"Bridge\s+no", r"Open_vSwitch\s+yes\s+\d+\s+1", r"Interface", r"Controller"]),
    md("""
    `ovsdb list TABLE RECORD` shows one row, `--columns` picks columns. Records go
    by name: `s1` is the bridge. Columns that point to other rows (`ports`,
    `controller`) hold their UUIDs. `fail_mode=secure` means: while the controller
    is away, only the flows it installed forward anything (`standalone`: the bridge
    then acts as a learning switch by itself).
    """),
    code("""
    %vlcp ovsdb list --columns=name,fail_mode,protocols,datapath_id,ports Bridge s1
    """, check=[r"secure", r"OpenFlow13"]),
    md("""
    `ovsdb find` selects rows by condition; with `--columns` the answer is a table,
    and a table is a dataframe away. Every interface has its OpenFlow port number
    (`ofport`); the bridge's own internal port is 65534 (`LOCAL` in OpenFlow).
    """),
    code("""
    interfaces = %vlcp ovsdb find --columns=name,ofport,type Interface ofport>0
    interfaces.to_dataframe().sort_values("ofport")
    """, check=[r"s1-eth1\s+1\s+dummy", r"s1-eth2\s+2\s+dummy", r"65534\s+internal"]),
    md("""
    The controller is a row too: its `target` is where the switch connects, our
    notebook's controller.
    """),
    code("""
    %vlcp get-controller s1
    """, check=[r"tcp:127\.0\.0\.1:\d+"]),
    md("""
    ## Watching the database change

    The database tells its clients about changes (*monitors*). Two ways to see
    them, each in the output of its own cell, which keeps filling while the cells
    below run:

    - `watch ovsdb Bridge`: rows of `Bridge` inserted, modified (old -> new),
      deleted;
    - `ovsdb monitor Interface name,ofport,type`: as `ovsdb-client monitor` prints
      it, starting with the rows there now (`initial`).

    And a third watch on the OpenFlow side: `port-status`, the message a switch
    sends its controller when a port comes, goes or changes.
    """),
    code("""
    %vlcp watch ovsdb Bridge
    """, check=[r"ovsdb Bridge insert \w+ name=br0", r"fail_mode: secure -> standalone",
                r"ovsdb Bridge delete \w+ name=br0"]),
    code("""
    %vlcp ovsdb monitor Interface name,ofport,type
    """, check=[r"m1 Interface initial \w+ name=s1-eth1 ofport=1 type=dummy",
                r"m1 Interface insert \w+ name=p1",
                r"m1 Interface modify \w+ ofport=3 \(was \[\]\)"]),
    code("""
    %vlcp watch port-status s1
    """, check=[r"\[2\] s1 port-status ADD port 3 \(s1-eth3\)"]),
    md("""
    ## A second bridge

    `add-br` creates a bridge (in the lab, on its userspace datapath), `add-port`
    a port with its interface (`ofport_request` asks for an OpenFlow port number),
    `set-controller br0 shell` points it at this notebook's controller, and
    `wait-switch` waits until it has connected. Look at the watches above: the
    bridge row appears, then gets its datapath id, ports and controller.
    """),
    code("""
    %%vlcp
    add-br br0 fail_mode=secure protocols=OpenFlow13
    add-port br0 p1 ofport_request=1
    set-controller br0 shell
    wait-switch br0 --timeout 5
    switches
    """, check=[r"br0\s+[0-9a-f]{16}\s+1\.3", r"s1\s+[0-9a-f]{16}\s+1\.3"]),
    md("""
    ## From the database to OpenFlow

    A port added to `s1` in the database becomes a port of the switch: the
    `Interface` row gets its `ofport`, and the switch sends a PORT_STATUS (`ADD`)
    to its controller, which keeps its port list current. `expect port-status`
    waits for it.
    """),
    code("""
    %%vlcp
    add-port s1 s1-eth3 ofport_request=3
    expect port-status s1 reason=add port=3 within 2s
    ports s1
    """, check=[r"3\s+s1-eth3"]),
    md("""
    The fail mode is a column of the bridge; changing it is one `set`:
    """),
    code("""
    %%vlcp
    set-fail-mode s1 standalone
    expect column Bridge s1 fail_mode=standalone
    """),
    md("""
    ## The raw protocol

    Underneath, every command is a JSON-RPC `transact` of operations (RFC 7047).
    `ovsdb transact` sends one as written (one operation, or a list of them). The
    JSON's braces stay as they are; `$where` is a Python value put in, as in
    notebook 2.
    """),
    code("""
    sw = "s1"
    where = f'[["name", "==", "{sw}"]]'
    %vlcp ovsdb transact '{"op":"select","table":"Bridge","where":$where,"columns":["fail_mode"]}'
    """, check=[r'"rows": \[', r'"fail_mode": "standalone"']),
    md("""
    ## Cleaning up

    `del-br` deletes the bridge; its ports and controller go with it (they are not
    root rows). The watches show the deletions; `expect bridges` checks what is
    left.
    """),
    code("""
    %%vlcp
    del-br br0
    expect bridges count=1 s1
    wait-switch s1
    """),
    code("""
    %vlcp watches
    """, check=[r"ovsdb\s+Bridge\s+\d+", r"port-status\s+s1\s+2\s+2"]),
    code("""
    %vlcp unwatch all
    %vlcp ovsdb unmonitor all
    """),
    md("""
    ## What you saw

    - The switch's configuration is a database: bridges, ports, interfaces,
      controllers, linked by references.
    - Every change is a transaction, and clients can watch changes as they happen.
    - A change in the database (a new port) shows up in OpenFlow too (PORT_STATUS).

    Next, [7. The event core](07-event-core.ipynb): how the controller itself
    delivers all these events.
    """),
]
