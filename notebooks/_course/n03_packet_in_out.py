"""Notebook 3: packet-in and packet-out; a hub, then a learning switch as an app."""

from __future__ import annotations

from . import code, md

NAME = "03-packet-in-out"

CELLS = [
    md("""
    # 3. Packet-in and packet-out

    Flows let the switch handle packets alone. When it does not know what to do, it
    can ask: it sends the packet to the controller in a **PACKET_IN** message. The
    controller answers with a **PACKET_OUT** ("send this packet out of that port")
    and, to avoid being asked again, may add a flow.

    This notebook does it by hand first, then writes two small controllers in
    Python: a hub, and a learning switch. Three hosts sit behind the switch's
    ports (we play them by injecting their frames):

    | host | MAC | IP | port |
    | --- | --- | --- | --- |
    | A | 00:00:00:00:00:01 | 10.0.0.1 | 1 (`s1-eth1`) |
    | B | 00:00:00:00:00:02 | 10.0.0.2 | 2 (`s1-eth2`) |
    | C | 00:00:00:00:00:03 | 10.0.0.3 | 3 (`s1-eth3`) |
    """),
    code("""
    %load_ext workbench
    %vlcp lab start --ports 3
    """, check=[r"s1 connected, 3 ports"]),
    md("""
    The frames the hosts send, written as `lab inject` and `packet-out` take them:
    layers joined by `/`, and a last `"text"` as the payload.
    """),
    code('''
    def frame(src, dst, text):
        """A UDP frame from host src to host dst (1, 2, 3)."""
        return (f"eth(src=00:00:00:00:00:0{src},dst=00:00:00:00:00:0{dst})/"
                f'ipv4(src=10.0.0.{src},dst=10.0.0.{dst})/udp(sport=4000,dport=5000)/"{text}"')

    a_to_b, b_to_a, c_to_b = frame(1, 2, "A-to-B"), frame(2, 1, "B-to-A"), frame(3, 2, "C-to-B")
    a_to_b
    ''', check=[r"udp\(sport=4000,dport=5000\)/\"A-to-B\""]),
    md("""
    ## The table-miss flow

    A flow at priority 0 that matches everything catches what no other flow takes.
    Its action `CONTROLLER:65535` sends the packet to the controller, up to 65535
    bytes of it (so all of it).

    `watch packet-in s1` shows every PACKET_IN in this cell's output, one line each,
    as `ovs-ofctl monitor` would print it. It keeps showing them while the cells
    below run: come back to it at the end.
    """),
    code("""
    %vlcp add-flow s1 priority=0,actions=CONTROLLER:65535
    %vlcp watch packet-in s1
    """, check=[r"\[1\] s1 packet-in .*in_port=1 \(via no_match\)",
                r"\[1\] s1 packet-in .*in_port=3 ",
                r"\[1\] s1 packet-in .*in_port=2 "]),
    md("""
    ## A packet arrives

    A sends a frame to B. No flow but the table-miss one matches, so it comes to
    us. `expect packet-in` waits for it (and fails the cell if it does not come);
    `decode last` shows the newest message, the PACKET_IN:

    - `reason: OFPR_NO_MATCH`: it came because of the table-miss flow;
    - `buffer_id: OFP_NO_BUFFER`: the switch kept no copy, the whole frame is here;
    - `match` carries where it came from: `in_port` 1;
    - `data` is the frame itself, decoded layer by layer: Ethernet, IPv4, UDP.
    """),
    code("""
    %%vlcp
    lab inject s1-eth1 $a_to_b
    expect packet-in s1 in_port=1 udp within 2s
    decode last
    """, check=[r"OFPT_PACKET_IN", r"OFPR_NO_MATCH", r"udp_header", r"00:00:00:00:00:02"]),
    md("""
    ## Answering it: PACKET_OUT

    The frame is still not delivered: the switch handed it to us. We send it on
    with `packet-out`: the frame, the port it came in on (`in_port`) and the
    actions to apply, here `output:2`. Then port 2 has sent one frame.
    """),
    code("""
    %%vlcp
    packet-out s1 in_port=1 actions=output:2 'packet=$a_to_b'
    expect sent s1-eth2 count=1 within 2s
    """),
    md("""
    The PACKET_OUT on the wire: the frame travels whole, after the actions. More
    messages came after it (the barrier that confirmed it), so we ask for the newest
    of its type.
    """),
    code('''
    %vlcp explain last type=OFPT_PACKET_OUT
    ''', check=[r"ofp_packet_out", r"OFPAT_OUTPUT", r"data\.ethernet_header\.dst"]),
    md("""
    ## A hub, in Python

    A controller is a program that answers these messages. The workbench's
    controller runs on a background thread of this kernel (the *runtime*, an asyncio
    loop); `VlcpMagics.runtime` is it, and `runtime.controller` the
    `vlcp_core.controller.Controller` the switch is connected to.

    Events come from the controller's scheduler: `scheduler.on(matcher, callback)`
    calls `callback(event, matcher)` for every event the matcher selects, on the
    runtime's thread. The scheduler is not thread-safe, so we register through
    `runtime.call_sync`, which runs a function on that thread.

    A **hub** floods: every packet goes out of every port but the one it came in on
    (`FLOOD`).
    """),
    code('''
    from vlcp_core.controller import PacketIn
    from vlcp_core.event import EventMatcher
    from vlcp_core.openflow import flow_mod, match, output, packet_in_port, packet_out
    from workbench.magics import current_runtime

    runtime = current_runtime()
    controller = runtime.controller

    def hub(event, matcher):
        """A PACKET_IN: send its frame out of every other port."""
        switch = controller.switches[event.datapath]
        message = event.message
        switch.send(packet_out(bytes(message.data), [output("FLOOD")],
                               in_port=packet_in_port(message)))

    hub_handle = runtime.call_sync(lambda: controller.scheduler.on(EventMatcher(PacketIn), hub))
    controller.switches
    ''', check=[r"<Switch 0x[0-9a-f]{16} OpenFlow v4"]),
    md("""
    C sends to B. The frame comes to the controller, and the hub floods it: ports 1
    and 2 each send it, port 3 (where it came from) does not.
    """),
    code("""
    %%vlcp
    lab inject s1-eth3 $c_to_b
    expect packet-in s1 in_port=3 within 2s
    expect sent s1-eth1 count=1 within 2s
    expect sent s1-eth2 count=2 within 2s
    expect sent s1-eth3 count=0
    """),
    code("""
    runtime.call_sync(lambda: controller.scheduler.off(hub_handle))
    """),
    md("""
    ## A learning switch, as an async app

    A hub sends every frame everywhere, and every frame costs a trip to the
    controller. A **learning switch** does better:

    1. a frame from MAC `X` on port `P` teaches us that `X` is behind `P`;
    2. a frame for a MAC we know goes out of its port only, and we add a flow
       (`in_port, eth_src, eth_dst -> output`) so the switch sends the next ones
       itself;
    3. a frame for a MAC we do not know is flooded.

    Written as an **app**: a coroutine that takes the controller and runs on the
    controller's loop until cancelled (`vlcp_core.apps.l2switch`, whose
    `main(controller, **options)` `%vlcp app start` runs, is the complete one).
    It first puts back the table-miss flow and `await`s the switch's
    confirmation (`switch.request` of a FLOW_MOD returns once a barrier confirms
    it), then handles each PACKET_IN in a callback.
    """),
    code('''
    import asyncio


    async def learning_switch(controller, where, ready):
        """Learn MAC -> port per switch into `where`; flows for known destinations."""
        for switch in list(controller.switches.values()):
            await switch.request(flow_mod(match(), [output("CONTROLLER")], priority=0))

        def packet_in(event, matcher):
            switch = controller.switches[event.datapath]
            data, in_port = bytes(event.message.data), packet_in_port(event.message)
            dst, src = data[0:6], data[6:12]
            where[event.datapath, src] = in_port                     # 1. learn
            out_port = where.get((event.datapath, dst))
            if out_port is None:                                     # 3. unknown: flood
                switch.send(packet_out(data, [output("FLOOD")], in_port=in_port))
                return
            switch.send(flow_mod(match(in_port=in_port, eth_src=src, eth_dst=dst),
                                 [output(out_port)], priority=1))    # 2. known: a flow
            switch.send(packet_out(data, [output(out_port)], in_port=in_port))

        handle = controller.scheduler.on(EventMatcher(PacketIn), packet_in)
        ready.set()  # tell the notebook's thread that we are serving
        try:
            await asyncio.Event().wait()  # until cancelled
        finally:
            controller.scheduler.off(handle)
    '''),
    md("""
    We clear the flows, then start the app on the runtime's loop: `runtime.submit`
    gives back a future, whose `cancel()` stops the app. The app runs on another
    thread than this notebook's code: it tells us when it is ready with a
    `threading.Event`.
    """),
    code("""
    import threading

    %vlcp del-flows s1
    mac_table, ready = {}, threading.Event()
    app = runtime.submit(learning_switch(controller, mac_table, ready))
    print("ready:", ready.wait(timeout=5))
    %vlcp dump-flows s1
    """, check=[r"ready: True", r"priority=0 actions=CONTROLLER:65535"]),
    md("""
    Now A and B talk. Follow the `expect` lines:

    1. A to B: B is unknown, the frame is flooded (ports 2 and 3 send it); A is
       learned.
    2. B to A: A is known (port 1): a flow for B to A, and the frame goes to port 1
       only.
    3. A to B again: B is known now (port 2): a flow for A to B.
    """),
    code("""
    %%vlcp
    lab inject s1-eth1 $a_to_b
    expect packet-in s1 in_port=1 within 2s
    expect sent s1-eth2 count=3 within 2s
    expect sent s1-eth3 count=1 within 2s
    lab inject s1-eth2 $b_to_a
    expect packet-in s1 in_port=2 within 2s
    expect sent s1-eth1 count=2 within 2s
    lab inject s1-eth1 $a_to_b
    expect packet-in s1 in_port=1 within 2s
    expect sent s1-eth2 count=4 within 2s
    expect flows s1 count=3
    """),
    md("""
    What the app learned, and the flows it added:
    """),
    code("""
    for (datapath, mac), port in mac_table.items():
        print(f"switch {datapath:#x}: {mac.hex(':')} is on port {port}")
    %vlcp dump-flows s1
    """, check=[r"00:00:00:00:00:01 is on port 1", r"00:00:00:00:00:02 is on port 2",
                r"priority=1,in_port=2,dl_src=00:00:00:00:00:02,dl_dst=00:00:00:00:00:01 "
                r"actions=output:1"]),
    md("""
    The switch has learned too: from now on A and B talk without the controller.
    One more frame each way: both are delivered, and the number of PACKET_INs in
    the log does not change.
    """),
    code("""
    packet_ins = len(get_ipython().run_line_magic("vlcp", "log s1 type=OFPT_PACKET_IN").table.rows)
    %vlcp lab inject s1-eth1 $a_to_b
    %vlcp lab inject s1-eth2 $b_to_a
    %vlcp expect sent s1-eth2 count=5 within 2s
    %vlcp expect sent s1-eth1 count=3 within 2s
    after = len(get_ipython().run_line_magic("vlcp", "log s1 type=OFPT_PACKET_IN").table.rows)
    print(f"packet-ins: {packet_ins} before, {after} after")
    assert after == packet_ins
    """, check=[r"packet-ins: (\d+) before, \1 after"]),
    code("""
    app.cancel()
    %vlcp unwatch all
    """),
    md("""
    ## What you saw

    - A flow with the action `CONTROLLER` sends packets to the controller as
      PACKET_IN messages, with the frame and where it came from.
    - A PACKET_OUT sends a frame through actions, as if it came from `in_port`.
    - A controller is a program reacting to events: a hub floods, a learning switch
      learns addresses and adds flows so that it is asked less and less.

    Try `%vlcp app start l2switch`, the workbench's own learning switch, on a fresh
    `del-flows s1`. Next, [4. Multi-table pipelines](04-pipelines.ipynb).
    """),
]
