"""Notebook 5: Nicira extensions: registers, resubmit, learn, ct (a stateful firewall)."""

from __future__ import annotations

from . import code, md

NAME = "05-nicira"

CELLS = [
    md("""
    # 5. Nicira extensions

    Open vSwitch speaks standard OpenFlow, plus its own extensions (named after
    Nicira, the company that started it; they travel as *experimenter* messages and
    actions with the id `0x2320`). Four of them change what a switch can do alone:

    - **registers** `reg0`..`reg15`: 32-bit scratch fields that travel with a packet
      through the pipeline, matched like any field (`reg0=2`) and written by actions
      (`load:2->NXM_NX_REG0[]`, `set_field`, `move`);
    - **`resubmit(,T)`**: look the packet up in table T, run that flow's actions,
      then *come back* and go on (`goto_table` only moves forward and never returns);
    - **`learn(...)`**: an action that adds a flow, built from the packet at hand;
    - **`ct(...)`**: connection tracking: the switch remembers connections, so flows
      can tell a packet that opens a connection from one that answers it.

    Host A (MAC `:01`, 10.0.0.1) is behind port 1, B (`:02`, 10.0.0.2) behind port 2,
    and a third port has nobody.
    """),
    code("""
    %load_ext workbench
    %vlcp lab start --ports 3
    """, check=[r"s1 connected, 3 ports"]),
    code('''
    from workbench.magics import current_runtime

    arp_a = ("eth(src=00:00:00:00:00:01,dst=ff:ff:ff:ff:ff:ff)/"
             "arp(sha=00:00:00:00:00:01,spa=10.0.0.1,tpa=10.0.0.2)")
    arp_b = ("eth(src=00:00:00:00:00:02,dst=00:00:00:00:00:01)/"
             "arp(op=2,sha=00:00:00:00:00:02,spa=10.0.0.2,tha=00:00:00:00:00:01,tpa=10.0.0.1)")

    def udp(src, dst, sport, dport):
        """A UDP frame from host src to host dst (1 is A, 2 is B)."""
        return (f"eth(src=00:00:00:00:00:0{src},dst=00:00:00:00:00:0{dst})/"
                f"ipv4(src=10.0.0.{src},dst=10.0.0.{dst})/udp(sport={sport},dport={dport})")

    runtime = current_runtime()

    def tables_of(flow):
        """The table-by-table part of ofproto/trace for a packet of this flow."""
        text = runtime.lab.appctl("ofproto/trace", "s1", flow)
        return text.split("------------\\n", 1)[1].split("\\nFinal flow", 1)[0]
    '''),
    md("""
    ## A learning switch inside the switch: learn, resubmit, registers

    Notebook 3 built a learning switch in the controller: every new address cost a
    PACKET_IN. With `learn` the switch does it alone:

    - **table 0**: every frame runs `learn(...)`, which adds to table 10 a flow
      "frames *to* my source MAC: load my input port into `reg0`"; then
      `resubmit(,1)`;
    - **table 1**: `resubmit(,10)` (look the destination up: it sets `reg0` if
      known), then `resubmit(,2)`;
    - **table 2**: `reg0` still 0, the destination is unknown: `FLOOD`; otherwise
      output to the port in `reg0`.

    In `learn(...)`, `NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[]` means "the new flow matches
    `eth_dst` equal to this packet's `eth_src`", and
    `load:NXM_OF_IN_PORT[]->NXM_NX_REG0[0..15]` "the new flow loads this packet's
    input port into bits 0-15 of `reg0`". The learned flows expire after 60 s
    (`hard_timeout=60`). We keep the long action in a variable and put it in the
    command with `{learn}`.
    """),
    code("""
    learn = ("learn(table=10,hard_timeout=60,priority=10,"
             "NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:NXM_OF_IN_PORT[]->NXM_NX_REG0[0..15])")
    """),
    code("""
    %%vlcp
    add-flow s1 table=0,priority=0,actions={learn},resubmit(,1)
    add-flow s1 table=1,priority=0,actions=resubmit(,10),resubmit(,2)
    add-flow s1 table=2,priority=10,reg0=0,actions=FLOOD
    add-flow s1 table=2,priority=5,actions=output:NXM_NX_REG0[0..15]
    dump-flows s1
    """, check=[r"actions=learn\(table=10", r"resubmit\(,10\),resubmit\(,2\)",
                r"output:NXM_NX_REG0\[0\.\.15\]"]),
    md("""
    On the wire the first flow is an ordinary OFPT_FLOW_MOD whose apply-actions
    are experimenter actions: an `nx_action_learn` with its *specs* (one per
    `field=field` or `load:` part), then an `nx_action_resubmit_table`.
    """),
    code('''
    %vlcp decode first type=OFPT_FLOW_MOD
    ''', check=[r"nx_action_learn", r"nx_action_resubmit_table", r"experimenter: 0x2320"]),
    md("""
    A broadcasts an ARP request. Nobody is known yet: it is flooded to ports 2 and 3,
    and table 10 now has a flow for frames *to* A.
    """),
    code("""
    %%vlcp
    lab inject s1-eth1 $arp_a
    expect sent s1-eth2 count=1 within 2s
    expect sent s1-eth3 count=1 within 2s
    expect flow s1 table=10,dl_dst=00:00:00:00:00:01 actions=load:0x1->NXM_NX_REG0[0..15]
    """),
    md("""
    B answers A. Table 10 knows A, so `reg0` becomes 1 and the answer goes to port 1
    only (port 3 still sent 1 frame). B is learned on the way.
    """),
    code("""
    %%vlcp
    lab inject s1-eth2 $arp_b
    expect sent s1-eth1 count=1 within 2s
    expect sent s1-eth3 count=1
    dump-flows s1 table=10
    """, check=[r"dl_dst=00:00:00:00:00:01 actions=load:0x1->NXM_NX_REG0\[0\.\.15\]",
                r"dl_dst=00:00:00:00:00:02 actions=load:0x2->NXM_NX_REG0\[0\.\.15\]"]),
    md("""
    The trace of a frame from A to B shows the round trips: table 0 learns and
    resubmits to table 1, table 1 resubmits to table 10 (which loads `reg0`) and
    *comes back* to resubmit to table 2, which outputs to the port in `reg0`
    (`output port is 2`). A trace only pretends: it does not run `learn` ("side
    effects" suppressed).
    """),
    code("""
    print(tables_of("in_port=1,dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:00:02"))
    """, check=[r"resubmit\(,10\)", r"10\. dl_dst=00:00:00:00:00:02, priority 10",
                r"load:0x2->NXM_NX_REG0\[0\.\.15\]", r"output:NXM_NX_REG0\[0\.\.15\]"]),
    md("""
    ## A stateful firewall with conntrack

    A plain flow sees one packet at a time: it cannot tell "B answers A" from "B
    starts something". The connection tracker can. The action `ct(table=20)` hands
    the packet to the tracker, which sets its **`ct_state`** and sends it on in table
    20:

    | flag | meaning |
    | --- | --- |
    | `+trk` | the packet went through the tracker |
    | `+new` | it starts a connection the tracker does not know |
    | `+est` | it belongs to a known (committed) connection |

    `ct(commit)` makes the tracker remember the connection. The policy: A may open
    connections to B, B may answer them, but B may not open its own.
    """),
    code("""
    %%vlcp
    add-flow s1 table=0,priority=100,ip,ct_state=-trk,actions=ct(table=20)
    add-flow s1 table=20,priority=10,ip,ct_state=+trk+new,in_port=1,actions=ct(commit),output:2
    add-flow s1 table=20,priority=10,ip,ct_state=+trk+est,in_port=2,actions=output:1
    add-flow s1 table=20,priority=10,ip,ct_state=+trk+new,in_port=2,actions=drop
    dump-flows s1 table=20
    """, check=[r"ct_state=\+new\+trk,ip,in_port=1 actions=ct\(commit\),output:2"]),
    md("""
    B tries first: a new connection from port 2, dropped (port 1 has still sent
    only the ARP answer).
    """),
    code("""
    %%vlcp
    lab inject s1-eth2 {udp(2, 1, 7, 7000)}
    sleep 0.3
    expect sent s1-eth1 count=1
    """),
    md("""
    A opens a connection to B: it is new, committed and delivered. The same packet
    from B as before is now the answer of a known connection (`+est`): it passes.
    """),
    code("""
    %%vlcp
    lab inject s1-eth1 {udp(1, 2, 7000, 7)}
    expect sent s1-eth2 count=2 within 2s
    lab inject s1-eth2 {udp(2, 1, 7, 7000)}
    expect sent s1-eth1 count=2 within 2s
    """),
    md("""
    The tracker's table holds the connection A opened: its original direction and
    the reply direction it expects.
    """),
    code("""
    print(runtime.lab.appctl("dpctl/dump-conntrack"))
    """, check=[r"udp,orig=\(src=10\.0\.0\.1,dst=10\.0\.0\.2,sport=7000,dport=7\),"
                r"reply=\(src=10\.0\.0\.2,dst=10\.0\.0\.1,sport=7,dport=7000\)"]),
    md("""
    The counters tell the same story (the switch updates them about twice a
    second): one packet dropped as `+new` from B, one committed from A, one passed
    as `+est` from B.
    """),
    code("""
    %vlcp sleep 1
    flows = %vlcp dump-flows s1 table=20
    flows.to_dataframe()[["match", "actions", "n_packets"]]
    """, check=[r"ct_state=\+est\+trk,ip,in_port=2\s+output:1\s+1"]),
    md("""
    ## What you saw

    - Registers carry values between tables; `resubmit` runs another table and comes
      back; `learn` lets the switch write flows from the traffic itself.
    - `ct` gives flows memory: `+new` and `+est` tell who opened a connection, which
      is what a stateful firewall needs.
    - They are OpenFlow experimenter actions: `decode` shows them by name.

    Next, [6. OVSDB](06-ovsdb.ipynb): the database that configures the switch itself.
    """),
]
