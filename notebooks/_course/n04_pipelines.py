"""Notebook 4: multi-table pipelines: goto_table, metadata, write- vs apply-actions."""

from __future__ import annotations

from . import code, md

NAME = "04-pipelines"

CELLS = [
    md("""
    # 4. Multi-table pipelines

    One table has to hold every combination of what a switch decides: with 10 port
    rules and 100 forwarding rules, that can be 1000 flows. OpenFlow 1.3 switches
    have many tables (Open vSwitch: 254) chained into a **pipeline**: each table
    decides one thing, and the packet moves on.

    A packet always starts in table 0. A flow's **instructions** say what happens
    next:

    | instruction | in `ovs-ofctl` text | what it does |
    | --- | --- | --- |
    | apply-actions | `output:2` (plain actions) | run these actions now |
    | write-metadata | `write_metadata:0x1/0xff` | set bits of the 64-bit *metadata* |
    | goto-table | `goto_table:2` | go on in table 2 (a later table) |
    | write-actions | `write_actions(output:2)` | add to the packet's **action set** |
    | clear-actions | `clear_actions` | empty the action set |

    The metadata is a register that travels with the packet from table to table;
    the action set runs when the pipeline ends.

    A flow without `goto_table` ends the pipeline. A table miss (no flow matches)
    drops the packet in OpenFlow 1.3.
    """),
    code("""
    %load_ext workbench
    %vlcp lab start --ports 4
    """, check=[r"s1 connected, 4 ports"]),
    code('''
    def frame(src, dst, dport=9):
        """A UDP frame from host src to host dst (hosts 1..4 are behind ports 1..4)."""
        return (f"eth(src=00:00:00:00:00:0{src},dst=00:00:00:00:00:0{dst})/"
                f"ipv4(src=10.0.0.{src},dst=10.0.0.{dst})/udp(sport=4000,dport={dport})")

    frame(1, 2)
    ''', check=[r"dst=00:00:00:00:00:02"]),
    md("""
    ## Two tenants on one switch

    Ports 1 and 2 belong to tenant 1, ports 3 and 4 to tenant 2; a tenant's hosts
    must never reach the other's. Three tables, one job each:

    - **table 0, classify**: which tenant is this port's? Write it into the metadata
      (bits 0-7), go to table 1;
    - **table 1, filter**: no IPv6 here; the rest goes to table 2;
    - **table 2, forward**: by tenant *and* destination MAC.
    """),
    code("""
    %%vlcp
    add-flow s1 table=0,priority=10,in_port=1,actions=write_metadata:0x1/0xff,goto_table:1
    add-flow s1 table=0,priority=10,in_port=2,actions=write_metadata:0x1/0xff,goto_table:1
    add-flow s1 table=0,priority=10,in_port=3,actions=write_metadata:0x2/0xff,goto_table:1
    add-flow s1 table=0,priority=10,in_port=4,actions=write_metadata:0x2/0xff,goto_table:1
    add-flow s1 table=1,priority=100,ipv6,actions=drop
    add-flow s1 table=1,priority=0,actions=goto_table:2
    add-flow s1 table=2,priority=10,metadata=0x1/0xff,dl_dst=00:00:00:00:00:01,actions=output:1
    add-flow s1 table=2,priority=10,metadata=0x1/0xff,dl_dst=00:00:00:00:00:02,actions=output:2
    add-flow s1 table=2,priority=10,metadata=0x2/0xff,dl_dst=00:00:00:00:00:03,actions=output:3
    add-flow s1 table=2,priority=10,metadata=0x2/0xff,dl_dst=00:00:00:00:00:04,actions=output:4
    """),
    md("""
    The flows as a dataframe, counted per table:
    """),
    code("""
    flows = %vlcp dump-flows s1
    flows.to_dataframe().groupby("table").size().rename("flows")
    """, check=[r"0\s+4", r"1\s+2", r"2\s+4"]),
    md("""
    What the switch receives: a FLOW_MOD whose match holds only `in_port`, with
    two instructions, `OFPIT_WRITE_METADATA` (value and mask) and
    `OFPIT_GOTO_TABLE`. Open the `instructions` branch of the tree.
    """),
    code('''
    %vlcp decode first type=OFPT_FLOW_MOD
    ''', check=[r"OFPIT_WRITE_METADATA", r"OFPIT_GOTO_TABLE", r"metadata_mask: 0xff"]),
    md("""
    Now traffic. Within tenant 1, host 1 reaches host 2. Host 3 (tenant 2) sends to
    the same MAC: table 2 has no flow for tenant 2 and that MAC, a table miss, so
    the frame is dropped. Within tenant 2, host 3 reaches host 4.
    """),
    code("""
    %%vlcp
    lab inject s1-eth1 {frame(1, 2)}
    expect sent s1-eth2 count=1 within 2s
    lab inject s1-eth3 {frame(3, 2)}
    lab inject s1-eth3 {frame(3, 4)}
    expect sent s1-eth4 count=1 within 2s
    expect sent s1-eth2 count=1
    """),
    md("""
    ## Following a packet through the tables

    Open vSwitch can say what it *would* do with a packet, table by table:
    `lab trace` asks it (OVS's `ofproto/trace`). Read the numbered lines: table 0
    writes the metadata and goes to table 1, table 1 goes to table 2, where the
    flow for tenant 2 and MAC `:02` is missing; `Datapath actions: drop` is the
    verdict.
    """),
    code("""
    %vlcp lab trace s1 in_port=3,udp,dl_dst=00:00:00:00:00:02,nw_dst=10.0.0.2
    """, check=[r"write_metadata:0x2/0xff", r"goto_table:2", r"Datapath actions: drop"]),
    md("""
    Counters per table (`tables`) show the same path: every packet was looked up in
    table 0; those that went on, in tables 1 and 2. Tables 3 and beyond saw none.
    """),
    code("""
    %vlcp tables s1
    """, check=[r"table 0:\s+active=4, lookup=3, matched=3", r"table 2:\s+active=4, lookup=3"]),
    md("""
    ## Write-actions and apply-actions

    Plain actions (apply-actions) run at once, in the table where the flow is.
    `write_actions(...)` runs nothing yet: it puts actions in the packet's **action
    set**, which runs when the pipeline ends. The set holds at most one action of
    each kind, so a later `write_actions(output:3)` *replaces* an earlier
    `output:2`; `clear_actions` empties it.

    A fresh pipeline shows the difference:

    - table 0, from port 1: `write_actions(output:2)`, then table 1;
    - table 0, from port 4: `output:2` (applied now), then table 1;
    - table 1: `write_actions(output:3)` for everything; `clear_actions` for UDP
      port 53.
    """),
    code("""
    %%vlcp
    del-flows s1
    add-flow s1 table=0,priority=10,in_port=1,actions=write_actions(output:2),goto_table:1
    add-flow s1 table=0,priority=10,in_port=4,actions=output:2,goto_table:1
    add-flow s1 table=1,priority=10,actions=write_actions(output:3)
    add-flow s1 table=1,priority=20,udp,tp_dst=53,actions=clear_actions
    dump-flows s1
    """, check=[r"write_actions\(output:2\),goto_table:1", r"actions=output:2,goto_table:1",
                r"clear_actions"]),
    md("""
    From port 1 the action set first holds `output:2`, then table 1 replaces it
    with `output:3`: the frame leaves by port 3 only (port 2's count stays 1, port 3
    goes from 0 to 1).
    """),
    code("""
    %%vlcp
    lab inject s1-eth1 {frame(1, 2)}
    expect sent s1-eth3 count=1 within 2s
    expect sent s1-eth2 count=1
    """),
    md("""
    From port 4, `output:2` was applied in table 0 before the packet moved on, so
    it leaves by port 2 *and*, at the end, by port 3 from the action set.
    """),
    code("""
    %%vlcp
    lab inject s1-eth4 {frame(4, 2)}
    expect sent s1-eth2 count=2 within 2s
    expect sent s1-eth3 count=2 within 2s
    """),
    md("""
    DNS (UDP port 53) meets `clear_actions` in table 1 (priority 20 beats the
    `write_actions(output:3)` flow). From port 1 the action set held `output:2`: it
    is emptied and the frame goes nowhere. From port 4 the frame already left by
    port 2 in table 0; its action set was empty anyway. The traces show it table by
    table, with the action set after each step (here only their middle part).
    """),
    code('''
    from workbench.magics import current_runtime

    runtime = current_runtime()  # the notebook's runtime: runtime.lab is its lab

    def tables_of(flow):
        """The table-by-table part of ofproto/trace for a packet of this flow."""
        text = runtime.lab.appctl("ofproto/trace", "s1", flow)
        return text.split("------------\\n", 1)[1].split("\\nFinal flow", 1)[0]

    for port in (1, 4):
        print(f"from port {port}:", tables_of(f"udp,in_port={port},udp_dst=53"), sep="\\n")
    ''', check=[r"action set is: output:2", r"clear_actions\n\s+-> action set was: output:2",
                r"from port 4:\n 0\. in_port=4, priority 10\n\s+output:2\n"]),
    code("""
    %%vlcp
    lab inject s1-eth1 {frame(1, 2, dport=53)}
    lab inject s1-eth4 {frame(4, 2, dport=53)}
    expect sent s1-eth2 count=3 within 2s
    sleep 0.3
    expect sent s1-eth3 count=2
    """),
    md("""
    ## What you saw

    - A pipeline splits decisions over tables: `goto_table` moves on (only
      forward), `write_metadata` carries what an earlier table found out.
    - Plain actions apply at once; `write_actions` fills an action set that runs at
      the end, one action of each kind, and `clear_actions` empties it.
    - `ofproto/trace` and the per-table counters show the path a packet takes.

    Next, [5. Nicira extensions](05-nicira.ipynb): registers, `resubmit`, `learn` and
    connection tracking.
    """),
]
