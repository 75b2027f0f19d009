"""Notebook 2: flow tables: matches, priorities, prerequisites, counters, timeouts."""

from __future__ import annotations

from . import code, md

NAME = "02-flow-tables"

CELLS = [
    md("""
    # 2. Flow tables

    A switch decides what to do with a packet by looking it up in a **flow table**.
    Each entry, a **flow**, has

    - a **match**: which packets it is for (`in_port=1`, `ip,nw_dst=10.0.0.3`...);
      a field that is not named matches anything;
    - a **priority**: when several flows match, the highest priority wins;
    - **actions**: what to do with the packet (`output:2`, `drop`...);
    - **counters** (packets and bytes it matched) and optional **timeouts**.

    A packet no flow matches is a *table miss*: in OpenFlow 1.3 it is dropped.
    This notebook adds flows to a switch with three ports, sends packets into it and
    watches where they go.
    """),
    code("""
    %load_ext workbench
    %vlcp lab start --ports 3
    """, check=[r"s1 connected, 3 ports"]),
    md("""
    The lab's switch starts with an empty table: `dump-flows` prints a reply header
    and no flows, exactly as `ovs-ofctl dump-flows` would.
    """),
    code("""
    %vlcp dump-flows s1
    """, check=[r"OFPST_FLOW reply \(OF1\.3\)"]),
    md("""
    ## A first flow

    `add-flow` takes a flow written as `ovs-ofctl` writes it. This one says: what
    comes in on port 1 goes out of port 2.

    To try it we need traffic. `lab inject PORT FRAME` makes a port *receive* a
    frame, as if a host plugged into it had sent it. The frame is written layer by
    layer (`eth(...)/ipv4(...)/udp(...)`). We keep frames in Python variables and
    put them in commands with `$name` (or `{expression}`).

    `expect sent PORT count=N` checks how many frames a port has sent since the lab
    started; if the network does not do what we expect, the cell fails.
    """),
    code("""
    to_h2 = ("eth(src=00:00:00:00:00:01,dst=00:00:00:00:00:02)/"
             "ipv4(src=10.0.0.1,dst=10.0.0.2)/udp(sport=5000,dport=9)")
    to_h3 = ("eth(src=00:00:00:00:00:01,dst=00:00:00:00:00:03)/"
             "ipv4(src=10.0.0.1,dst=10.0.0.3)/udp(sport=5000,dport=9)")
    """),
    code("""
    %%vlcp
    add-flow s1 priority=10,in_port=1,actions=output:2
    lab inject s1-eth1 $to_h2
    expect sent s1-eth2 count=1 within 2s
    dump-flows s1
    """, check=[r"priority=10,in_port=1 actions=output:2", r"n_packets=1"]),
    md("""
    The flow counted one packet (`n_packets=1`) of 42 bytes (`n_bytes`), and port 2
    sent it.

    ## Priorities

    Now a more specific flow: IP packets for 10.0.0.3 go to port 3, at priority 100,
    and a catch-all at priority 0 that drops. A packet from port 1 to 10.0.0.3
    matches both `in_port=1` (priority 10) and `ip,nw_dst=10.0.0.3` (priority 100):
    the higher priority wins, so it leaves by port 3, not port 2.
    """),
    code("""
    %%vlcp
    add-flow s1 priority=100,ip,nw_dst=10.0.0.3,actions=output:3
    add-flow s1 priority=0,actions=drop
    lab inject s1-eth1 $to_h3
    expect sent s1-eth3 count=1 within 2s
    expect sent s1-eth2 count=1
    """),
    md("""
    A frame that comes in on port 2 matches neither the `in_port=1` flow nor (it is
    for 10.0.0.2) the `nw_dst` one: only the priority 0 flow, which drops it.
    """),
    code("""
    %%vlcp
    lab inject s1-eth2 $to_h2
    sleep 0.3
    expect sent s1-eth1 count=0
    expect sent s1-eth3 count=1
    """),
    md("""
    ## Prerequisites

    A match field only makes sense for some packets: `nw_dst` (the IPv4
    destination) exists only in IPv4 packets, `tp_dst` (a port) only in TCP or UDP
    ones. So `nw_dst` needs `ip` (which means `dl_type=0x0800`) and `tp_dst` needs
    `tcp` or `udp`. These are the **prerequisites**.

    Open vSwitch accepts `nw_dst=10.0.0.3` without `ip` and quietly drops the field,
    making a flow that matches *every* packet. The workbench refuses it and says
    why, with a caret under the place. A misspelt field gets a suggestion. (A
    failing `%vlcp` raises `VlcpError`; here we catch it to print it. `$flow` also
    sees a function's local variables.)
    """),
    code('''
    from workbench.magics import VlcpError


    def try_flow(flow):
        """Add a flow; print why when it is refused."""
        try:
            %vlcp add-flow s1 $flow
        except VlcpError as error:
            print(error, end="\\n\\n")

    try_flow("priority=100,nw_dst=10.0.0.3,actions=output:3")
    try_flow("priority=100,udp,tp_dsst=53,actions=output:3")
    ''', check=[r"nw_dst at column \d+ needs ip", r"did you mean tp_dst\?"]),
    md("""
    ## Counters, as a table

    A command's value is a Python object. `dump-flows` gives a flow listing whose
    `.to_dataframe()` is a pandas table: one row per flow, numbers as numbers. The
    switch updates the counters of its flows about twice a second, hence the short
    sleep before reading them.
    """),
    code("""
    %vlcp sleep 1
    flows = %vlcp dump-flows s1
    flows.to_dataframe()[["priority", "match", "actions", "n_packets", "n_bytes"]]
    """, check=[r"nw_dst=10\.0\.0\.3", r"output:3"]),
    md("""
    Sorted by priority, the table reads the way the switch searches it. `tables`
    shows the other side of the counters: how many packets table 0 looked up and
    how many found a flow (every one, thanks to the priority 0 flow).
    """),
    code("""
    %vlcp tables s1
    """, check=[r"table 0:", r"active=3, lookup=3, matched=3"]),
    md("""
    ## Timeouts: flows that remove themselves

    - `idle_timeout=N`: the flow goes after N seconds without a matching packet;
    - `hard_timeout=N`: it goes N seconds after it was added, used or not;
    - `send_flow_rem`: the switch tells the controller with a FLOW_REMOVED message.

    We also give these flows a **cookie**, a number the switch keeps with a flow
    and never looks at: the controller uses it to find its flows again
    (`cookie=0x50/-1` selects the flows whose cookie is exactly 0x50).

    `watch flow-removed s1` shows those messages as they come, in the output of
    the cell that started the watch, while other cells run. Run the next cells and
    look back at this one after a few seconds.
    """),
    code("""
    %vlcp watch flow-removed s1
    """, check=[r"reason=IDLE_TIMEOUT .*udp_dst=53", r"reason=HARD_TIMEOUT .*tcp_dst=22"]),
    code("""
    %%vlcp
    add-flow s1 cookie=0x50,priority=50,idle_timeout=1,send_flow_rem,udp,tp_dst=53,actions=output:3
    add-flow s1 cookie=0x50,priority=50,hard_timeout=2,send_flow_rem,tcp,tp_dst=22,actions=output:3
    dump-flows s1 cookie=0x50/-1
    """, check=[r"cookie=0x50, .*idle_timeout=1", r"cookie=0x50, .*hard_timeout=2"]),
    md("""
    The timeouts show in the listing, and `send_flow_rem` as a flag. In the
    dataframe each has its own column:
    """),
    code("""
    flows = %vlcp dump-flows s1
    frame = flows.to_dataframe()
    frame[frame.cookie == "0x50"][["priority", "match", "idle_timeout", "hard_timeout", "flags"]]
    """, check=[r"\b50\s+udp,tp_dst=53\s+1\.0\s+NaN\s+send_flow_rem",
                r"\b50\s+tcp,tp_dst=22\s+NaN\s+2\.0\s+send_flow_rem"]),
    md("""
    Open vSwitch checks timeouts about once a second. After four seconds both
    flows are gone and the watch above shows a FLOW_REMOVED for each, with the
    reason, how long the flow lived and what it counted.
    """),
    code("""
    %%vlcp
    sleep 4
    expect flows s1 count=0 cookie=0x50/-1
    expect flows s1 count=3
    """),
    code("""
    %vlcp watches
    """, check=[r"flow-removed\s+s1\s+2\s+2"]),
    md("""
    ## Changing and deleting flows

    `mod-flows` changes the actions of the flows its match selects; `del-flows`
    deletes them. With `--strict` the match and the priority must be exactly the
    flow's, so only that one flow is touched.
    """),
    code("""
    %%vlcp
    mod-flows s1 --strict priority=10,in_port=1,actions=output:3
    del-flows s1 --strict priority=100,ip,nw_dst=10.0.0.3
    dump-flows s1
    """, check=[r"priority=10,in_port=1 actions=output:3"]),
    code("""
    %vlcp unwatch all
    """),
    md("""
    ## What you saw

    - A flow is a match, a priority and actions; the highest priority match wins,
      and a table miss drops the packet (OpenFlow 1.3).
    - Match fields have prerequisites (`ip` for `nw_dst`, `tcp`/`udp` for
      `tp_dst`).
    - Flows count packets and bytes; timeouts remove them, and FLOW_REMOVED says so.

    Next, [3. Packet-in and packet-out](03-packet-in-out.ipynb): the switch asks the
    controller what to do.
    """),
]
