"""Notebook 7: the event core: matchers, queues, priorities, back-pressure, statistics."""

from __future__ import annotations

from . import code, md

NAME = "07-event-core"

CELLS = [
    md("""
    # 7. The event core

    Everything the controller reacts to is an **event**: a message from a switch, a
    switch that connects or goes, a timer, a row changed in OVSDB. The previous
    notebooks used them without looking (`watch`, `expect`, the learning switch's
    callback). This one opens `vlcp_core.event`:

    - **events**: small typed values, some of whose fields are *indexed*;
    - **matchers**: select events by class and indexed values;
    - the **scheduler**: delivers each event to the coroutines waiting for it and to
      callbacks;
    - the **queue tree**: orders waiting events by priority, shares fairly between
      sources, and pushes back on producers that go too fast.

    We use it directly, on this notebook's own asyncio loop (Jupyter runs cells on
    one, so `await` works at the top of a cell), then look inside the controller's.
    """),
    md("""
    ## Events and matchers

    `@event(index=(...))` makes a class a frozen event and says which fields a
    matcher may select on. A matcher names a class (subclasses match too) and
    values for some indexed fields; the others match anything. A `predicate` can
    add any test.
    """),
    code('''
    from vlcp_core.event import Event, EventMatcher, EventQueue, QueueFull, Scheduler, event


    @event(index=("sensor", "kind"))
    class Reading(Event):
        sensor: int
        kind: str
        value: float


    readings = [Reading(1, "temp", 21.5), Reading(2, "temp", 19.0), Reading(2, "alarm", 1.0)]
    matchers = {
        "sensor 2": EventMatcher(Reading, sensor=2),
        "alarms": EventMatcher(Reading, kind="alarm"),
        "warm": EventMatcher(Reading, kind="temp", predicate=lambda r: r.value > 20),
    }
    for name, matcher in matchers.items():
        print(f"{name:9}", [r for r in readings if matcher.matches(r)])
    ''', check=[r"sensor 2\s+\[Reading\(sensor=2, kind='temp', value=19\.0\), "
                r"Reading\(sensor=2, kind='alarm', value=1\.0\)\]",
                r"warm\s+\[Reading\(sensor=1, kind='temp', value=21\.5\)\]"]),
    md("""
    Matching does not try the matchers one by one: the scheduler keeps them in
    tables keyed by (class, fields given), so finding who waits for an event costs
    one dictionary lookup per table, however many wait.

    ## The scheduler: waiting for an event

    `wait_event(matcher)` returns a future, registered *at once*: an event sent
    right after cannot be missed. `send_nowait` hands an event over and returns;
    the waiting coroutine resumes on a later turn of the loop. Here the future
    takes the first alarm and ignores the temperature before it.
    """),
    code("""
    scheduler = Scheduler()
    waiting = scheduler.wait_event(EventMatcher(Reading, kind="alarm"))
    scheduler.send_nowait(Reading(1, "temp", 22.0))
    scheduler.send_nowait(Reading(3, "alarm", 1.0))
    reading, matcher = await waiting
    reading
    """, check=[r"Reading\(sensor=3, kind='alarm', value=1\.0\)"]),
    md("""
    The temperature reading had no taker: it was dropped and counted as `ignored`.
    `statistics()` shows the scheduler's counters:
    """),
    code("""
    scheduler.statistics()
    """, check=[r"dispatched=2", r"delivered=1", r"ignored=1"]),
    md("""
    **Callbacks** are the other kind of taker: `on(matcher, callback)` calls
    `callback(event, matcher)` for every event the matcher takes, until `off`. They
    run right in the delivery loop, which is why the controller's hot paths (the
    learning switch in notebook 3) use them.
    """),
    code("""
    import asyncio

    seen = []
    handle = scheduler.on(EventMatcher(Reading, sensor=1), lambda r, m: seen.append(r.value))
    for value in (1.0, 2.0, 3.0):
        scheduler.send_nowait(Reading(1, "temp", value))
    scheduler.send_nowait(Reading(2, "temp", 99.0))  # sensor 2: not for this callback
    await asyncio.sleep(0)  # let the loop deliver
    scheduler.off(handle)
    seen
    """, check=[r"\[1\.0, 2\.0, 3\.0\]"]),
    md("""
    ## The queue tree: priorities

    Events wait in a tree of queues, like Linux `tc` classes: each child takes the
    events its matcher selects, a higher `priority` is served first, and the rest
    stays in the parent. Here alarms jump the queue: sent last, delivered first.
    """),
    code("""
    root = EventQueue()
    root.add("alarms", EventMatcher(Reading, kind="alarm"), priority=10)
    root.add("other")  # no matcher: everything else
    scheduler = Scheduler(root)

    order = []
    handle = scheduler.on(EventMatcher(Reading), lambda r, m: order.append(f"{r.kind} {r.value}"))
    for value in (1.0, 2.0, 3.0):
        scheduler.send_nowait(Reading(1, "temp", value))
    scheduler.send_nowait(Reading(1, "alarm", 4.0))
    await asyncio.sleep(0)
    scheduler.off(handle)
    order
    """, check=[r"\['alarm 4\.0', 'temp 1\.0', 'temp 2\.0', 'temp 3\.0'\]"]),
    md("""
    ## Fairness: one queue per source

    A queue with a `key` keeps one small queue per key value and serves them in
    turn (round robin). A chatty sensor cannot starve a quiet one: sensor 1 sends
    six readings before sensor 2 sends two, and yet sensor 2 is served second and
    fourth. The controller does this per switch for PACKET_INs.
    """),
    code("""
    root = EventQueue()
    root.add("readings", EventMatcher(Reading), key=lambda r: r.sensor)
    scheduler = Scheduler(root)

    order = []
    handle = scheduler.on(EventMatcher(Reading), lambda r, m: order.append(r.sensor))
    for n in range(6):
        scheduler.send_nowait(Reading(1, "temp", n))
    for n in range(2):
        scheduler.send_nowait(Reading(2, "temp", n))
    await asyncio.sleep(0)
    scheduler.off(handle)
    order
    """, check=[r"\[1, 2, 1, 2, 1, 1, 1, 1\]"]),
    md("""
    ## Back-pressure: limits, and events that cannot be ignored

    A queue can have a `limit`. When it is full, `send_nowait` raises `QueueFull`,
    and `await send(event)` *waits* until there is room: a fast producer is slowed
    down to the pace of its consumer instead of filling the memory.

    A `cannot_ignore` event is never dropped: when nobody waits for it, its queue
    stops until someone does. Together: a producer of six jobs, a queue of two, and
    a slow consumer. Read the log: the producer gets ahead by two jobs at most.
    """),
    code('''
    @event(index=("n",), cannot_ignore=True)
    class Job(Event):
        n: int


    root = EventQueue()
    jobs = root.add("jobs", EventMatcher(Job), limit=2)
    scheduler = Scheduler(root)
    log = []


    async def producer():
        for n in range(6):
            await scheduler.send(Job(n))  # waits while the queue is full
            log.append(f"sent {n}")


    async def consumer():
        for _ in range(6):
            job, _ = await scheduler.wait_event(EventMatcher(Job))
            log.append(f"        done {job.n}")
            await asyncio.sleep(0.01)  # slow work


    await asyncio.gather(producer(), consumer())
    print("\\n".join(log))
    ''', check=[r"sent 0", r"done 5"]),
    md("""
    Check the claim on the log: at every line, jobs sent minus jobs done is at most
    2 (the limit) plus the one the consumer holds.
    """),
    code("""
    ahead, worst = 0, 0
    for line in log:
        ahead += 1 if line.startswith("sent") else -1
        worst = max(worst, ahead)
    print("most jobs sent and not done:", worst)
    assert worst <= 3
    """, check=[r"most jobs sent and not done: [1-3]$"]),
    md("""
    `send_nowait` on a full queue refuses at once, naming the queue:
    """),
    code("""
    for n in range(3):
        try:
            jobs.send_nowait(Job(n))
            print("queued", n)
        except QueueFull as error:
            print("refused:", error)
    """, check=[r"queued 0", r"queued 1", r"refused: queue '.*jobs' is full \(limit 2\)"]),
    md("""
    Every queue counts what it served and dropped, and what waits in it now (the
    two jobs just queued, with no consumer: `cannot_ignore` keeps them blocked
    rather than dropping them). A job that found nobody waiting was put back and
    served again later, so `served` counts it twice. `rows()` gives one row per
    queue, for a dataframe:
    """),
    code("""
    import pandas as pd

    await asyncio.sleep(0)
    pd.DataFrame(scheduler.statistics().queue.rows())
    """, check=[r"root/jobs", r"blocked"]),
    md("""
    ## Inside the controller

    The workbench's controller runs the same scheduler, on the runtime's thread.
    We start a lab with two switches, send their unmatched packets to the
    controller, and inject a burst of frames into both.
    """),
    code("""
    %load_ext workbench
    %vlcp lab start --bridges 2 --ports 2
    """, check=[r"s1, s2 connected, 2 ports"]),
    code("""
    %%vlcp
    add-flow s1 priority=0,actions=CONTROLLER:65535
    add-flow s2 priority=0,actions=CONTROLLER:65535
    watch packet-in
    """, check=[r"\[1\] s1 packet-in ", r"\[1\] s2 packet-in "]),
    code("""
    for n in range(20):
        switch = f"s{1 + n % 2}"
        mac = f"00:00:00:00:00:{n:02x}"
        %vlcp lab inject {switch}-eth1 eth(src={mac},dst=ff:ff:ff:ff:ff:ff)/arp(sha={mac})
    %vlcp expect packet-in s2 dl_src=00:00:00:00:00:13 within 2s
    """),
    md("""
    The controller's queue tree, read on the runtime's thread (`call_sync`): the
    `switches` queue takes every message event (PACKET_IN, PORT_STATUS...), keyed
    by datapath, so each switch has its own subqueue and they are served in turn;
    each holds at most `limit` events. Everything else (switches coming and going)
    waits in the root. `served` counts what each delivered.
    """),
    code("""
    from workbench.magics import current_runtime

    runtime = current_runtime()
    stats = runtime.call_sync(runtime.controller.scheduler.statistics)
    pd.DataFrame(stats.queue.rows())[["name", "priority", "limit", "keys", "served", "dropped"]]
    """, check=[r"root/switches\s+0\s+1024"]),
    code("""
    print(f"dispatched {stats.dispatched}, delivered {stats.delivered}, ignored {stats.ignored}, "
          f"callbacks {stats.callbacks}, waiters {stats.waiters}")
    """, check=[r"dispatched \d+, delivered \d+"]),
    md("""
    And per switch: `switch.statistics().events` counts the events its connection
    produced, the PACKET_INs dropped because its subqueue was full (none here: a
    switch drops what its controller cannot take, and so do we), and the backlog
    of other events waiting for room.
    """),
    code("""
    for name in ("s1", "s2"):
        switch = runtime.switch(name)
        print(name, runtime.call_sync(switch.statistics).events)
    """, check=[r"s1 HandlerStatistics\(events=\d+, packet_ins_dropped=0",
                r"s2 HandlerStatistics\(events=\d+, packet_ins_dropped=0"]),
    code("""
    %vlcp unwatch all
    """),
    md("""
    ## What you saw

    - Events are typed values with indexed fields; matchers select them by class
      and values, at a cost independent of how many wait.
    - The scheduler hands each event to the futures waiting for it and to
      callbacks; what nobody takes is dropped, unless it `cannot_ignore`.
    - The queue tree orders the backlog: priorities, round robin per key, limits
      that make producers wait (back-pressure). `statistics()` shows all of it.

    That is the end of the course: [back to the start](01-hello-switch.ipynb), or
    open `vlcp-shell` (`./dev shell`) and try the same commands on a terminal.
    """),
]
