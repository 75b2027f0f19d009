"""The queue tree: classification, serving order, keys, limits, back-pressure, blocking."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from vlcp_core.event import Event, EventMatcher, EventQueue, QueueFull, QueueStatistics, event


@event(index=("kind",))
class Msg(Event):
    kind: str
    n: int = 0


@event(cannot_ignore=True)
class Vital(Msg):
    pass


@event(index=("conn",))
class Packet(Event):
    conn: int
    n: int = 0


def kind(k: str) -> EventMatcher:
    return EventMatcher(Msg, kind=k)


def run(main: Callable[[], Coroutine[Any, Any, None]]) -> None:
    asyncio.run(main())


async def turns(n: int = 3) -> None:
    """Let the loop run *n* rounds (a future resolved by call_soon; no timers)."""
    loop = asyncio.get_running_loop()
    for _ in range(n):
        fut: asyncio.Future[None] = loop.create_future()
        loop.call_soon(fut.set_result, None)
        await fut


def drain(q: EventQueue) -> list[tuple[str, int]]:
    out = []
    while (item := q.get_nowait()) is not None:
        e = item[0]
        assert isinstance(e, Msg)
        out.append((e.kind, e.n))
    return out


# -- classification -----------------------------------------------------------------------

def test_classification_first_match_default_child_and_parent_fifo() -> None:
    root = EventQueue()
    a = root.add("a", kind("a"))
    a_again = root.add("a2", EventMatcher(Msg, predicate=lambda e: e.n > 5))
    rest = root.add("rest")  # matcher=None: everything not taken before
    late = root.add("late", kind("z"))  # after the catch-all: never reached
    assert root.target(Msg("a", 9)) is a  # first match in add order wins
    assert root.target(Msg("b", 9)) is a_again
    assert root.target(Msg("b", 1)) is rest
    assert root.target(Msg("z")) is rest and late.target(Msg("z")) is late
    assert a.parent is root and root.parent is None and root.children == (a, a_again, rest, late)

    tree = EventQueue("t")
    sub = tree.add("sub", kind("s"))
    leaf = sub.add("leaf", EventMatcher(Msg, predicate=lambda e: e.n == 1))
    for e in (Msg("s", 1), Msg("s", 2), Msg("x", 3)):
        tree.send_nowait(e)
    assert (len(tree), len(sub), len(leaf)) == (3, 2, 1)
    assert tree.target(Msg("x")) is tree and tree.target(Msg("s", 2)) is sub
    got = {(i[0], i[1].name) for i in iter(tree.get_nowait, None)}
    assert got == {(Msg("s", 1), "leaf"), (Msg("s", 2), "sub"), (Msg("x", 3), "t")}


def test_add_errors() -> None:
    root = EventQueue()
    root.add("a")
    with pytest.raises(ValueError, match="already has a child 'a'"):
        root.add("a")
    with pytest.raises(ValueError, match="limit"):
        EventQueue(limit=0)
    keyed = root.add("k", kind("k"), key=lambda e: e.n)
    keyed.send_nowait(Msg("k", 1))
    with pytest.raises(TypeError, match="subqueue"):
        keyed.target(Msg("k", 1)).add("x")


# -- serving order ------------------------------------------------------------------------

def order_tree() -> EventQueue:
    root = EventQueue()
    root.add("h", kind("h"), priority=5)
    root.add("a", kind("a"))
    root.add("b", kind("b"))
    p = root.add("p", EventMatcher(Msg, predicate=lambda e: e.kind.startswith("p")))
    p.add("p1", kind("p1"))
    p.add("p2", kind("p2"))
    root.add("q", kind("q"))
    root.add("bulk", kind("bulk"), priority=-1)
    return root  # unmatched kinds stay in root's own FIFO (priority 0)


@pytest.mark.parametrize("sends,expected", [
    # strict priority first, then round robin a, b, own FIFO (in order of arrival)
    ("a1 a2 a3 b1 b2 h1 h2 x1 x2", "h1 h2 a1 b1 x1 a2 b2 x2 a3"),
    # hierarchical round robin: p's two children share p's turn, q gets half
    ("p11 p12 p21 p22 q1 q2", "p11 q1 p21 q2 p12 p22"),
    # below the own FIFO's priority 0
    ("bulk1 bulk2 x1", "x1 bulk1 bulk2"),
    ("bulk1 h1 a1 x1 h2", "h1 h2 a1 x1 bulk1"),
])
def test_priority_and_round_robin_order(sends: str, expected: str) -> None:
    root = order_tree()
    for word in sends.split():
        root.send_nowait(Msg(word[:-1], int(word[-1])))
    assert drain(root) == [(w[:-1], int(w[-1])) for w in expected.split()]
    assert len(root) == 0


def test_higher_priority_preempts_a_running_round() -> None:
    root = order_tree()
    for i in range(3):
        root.send_nowait(Msg("a", i))
    assert drain_n(root, 1) == [("a", 0)]
    root.send_nowait(Msg("h", 9))
    assert drain(root) == [("h", 9), ("a", 1), ("a", 2)]


def drain_n(q: EventQueue, n: int) -> list[tuple[str, int]]:
    out = []
    for _ in range(n):
        item = q.get_nowait()
        assert item is not None and isinstance(item[0], Msg)
        out.append((item[0].kind, item[0].n))
    return out


# -- keys ---------------------------------------------------------------------------------

def test_keyed_fairness_and_memory() -> None:
    root = EventQueue()
    packets = root.add("packets", EventMatcher(Packet), key=lambda e: e.conn)
    for i in range(10_000):
        root.send_nowait(Packet(1, i))
    root.send_nowait(Packet(2))
    assert packets.statistics().keys == 2
    first_two = [root.get_nowait(), root.get_nowait()]
    assert Packet(2) in [item[0] for item in first_two if item is not None]
    assert packets.statistics().keys == 1  # key 2's subqueue went away when empty
    rest = [item[0] for item in iter(root.get_nowait, None)]
    assert rest == [Packet(1, i) for i in range(1, 10_000)]  # FIFO within a key
    assert packets.statistics().keys == 0 and len(root) == 0
    leaf = root.target(Packet(3))
    assert leaf.name == "packets[3]" and leaf.parent is packets
    assert packets.statistics().keys == 0  # target() alone keeps nothing


def test_keyed_limit_is_per_key() -> None:
    root = EventQueue()
    root.add("p", EventMatcher(Packet), key=lambda e: e.conn, limit=2)
    root.send_nowait(Packet(1, 0))
    root.send_nowait(Packet(1, 1))
    with pytest.raises(QueueFull) as info:
        root.send_nowait(Packet(1, 2))
    assert info.value.queue is root.target(Packet(1)) and info.value.event == Packet(1, 2)
    root.send_nowait(Packet(2, 0))  # another key has its own room
    assert len(root) == 3


# -- limits -------------------------------------------------------------------------------

def test_queue_full_and_drops() -> None:
    root = EventQueue()
    strict = root.add("strict", kind("s"), limit=1)
    lossy = root.add("lossy", kind("l"), limit=1, drop_when_full=True)
    root.send_nowait(Msg("s"))
    with pytest.raises(QueueFull, match="'root/strict' is full") as info:
        root.send_nowait(Msg("s", 1))
    assert info.value.queue is strict and info.value.event == Msg("s", 1)
    root.send_nowait(Msg("l", 0))
    root.send_nowait(Msg("l", 1))  # dropped
    root.send_nowait(Msg("l", 2))  # dropped
    with pytest.raises(QueueFull):  # cannot_ignore: never dropped
        root.send_nowait(Vital("l", 3))
    asyncio.run(root.send(Msg("l", 4)))  # send drops too on a drop_when_full leaf
    assert (lossy.statistics().dropped, root.statistics().dropped) == (3, 3)
    assert (len(strict), len(lossy)) == (1, 1)
    assert drain(root) == [("s", 0), ("l", 0)]


def test_send_waits_for_room_in_fifo_order() -> None:
    async def main() -> None:
        root = EventQueue()
        leaf = root.add("leaf", kind("a"), limit=1)
        root.send_nowait(Msg("a", 0))
        senders = [asyncio.create_task(root.send(Msg("a", i))) for i in (1, 2, 3)]
        await turns()
        assert not any(t.done() for t in senders) and len(leaf) == 1
        with pytest.raises(QueueFull):  # room goes to the waiting senders first
            root.send_nowait(Msg("a", 9))
        got = []
        for i in range(4):
            item = root.get_nowait()
            assert item is not None
            got.append(item[0])
            if i < 3:
                with pytest.raises(QueueFull):  # the freed room is reserved
                    root.send_nowait(Msg("a", 9))
            await turns()
        assert got == [Msg("a", i) for i in range(4)]
        assert all(t.done() for t in senders) and len(root) == 0
        root.send_nowait(Msg("a", 5))

    run(main)


def test_cancelled_send_leaves_no_trace() -> None:
    async def main() -> None:
        root = EventQueue()
        packets = root.add("p", EventMatcher(Packet), key=lambda e: e.conn, limit=1)
        root.send_nowait(Packet(1, 0))
        waiting = asyncio.create_task(root.send(Packet(1, 1)))
        other = asyncio.create_task(root.send(Packet(1, 2)))
        await turns()
        waiting.cancel()
        await turns()
        assert waiting.cancelled() and len(root) == 1
        assert [i[0] for i in iter(root.get_nowait, None)] == [Packet(1, 0)]
        await turns()
        assert other.done() and [i[0] for i in iter(root.get_nowait, None)] == [Packet(1, 2)]
        assert packets.statistics().keys == 0 and len(root) == 0

        # cancelled after room was granted, before it ran: the room passes on
        root.send_nowait(Packet(1, 0))
        first = asyncio.create_task(root.send(Packet(1, 1)))
        second = asyncio.create_task(root.send(Packet(1, 2)))
        await turns()
        assert root.get_nowait() is not None  # grants the room to `first`
        first.cancel()
        await turns()
        assert first.cancelled() and second.done()
        assert [i[0] for i in iter(root.get_nowait, None)] == [Packet(1, 2)]
        assert packets.statistics().keys == 0

        # the last waiter cancelled after its grant: the subqueue goes away
        root.send_nowait(Packet(1, 0))
        last = asyncio.create_task(root.send(Packet(1, 1)))
        await turns()
        assert root.get_nowait() is not None
        last.cancel()
        await turns()
        assert last.cancelled() and packets.statistics().keys == 0 and len(root) == 0

    run(main)


# -- back-pressure ------------------------------------------------------------------------

def test_watch_room_transitions() -> None:
    async def main() -> None:
        root = EventQueue()
        leaf = root.add("leaf", kind("a"), limit=2)
        calls: list[str] = []
        unwatch = root.watch_room(Msg("a"), lambda: calls.append("pause"),
                                  lambda: calls.append("resume"))
        root.send_nowait(Msg("a"))
        assert calls == []
        root.send_nowait(Msg("a"))
        assert calls == ["pause"]
        root.get_nowait()
        assert calls == ["pause", "resume"]
        root.get_nowait()
        root.send_nowait(Msg("a"))
        assert calls == ["pause", "resume"]
        root.send_nowait(Msg("a"))
        assert calls == ["pause", "resume", "pause"]
        # the room a get frees goes to a waiting sender: still full, no resume
        sender = asyncio.create_task(root.send(Msg("a", 7)))
        await turns()
        root.get_nowait()
        await turns()
        assert sender.done() and calls == ["pause", "resume", "pause"]
        # a queue already full pauses a new watcher at once
        late: list[str] = []
        root.watch_room(leaf, lambda: late.append("pause"), lambda: late.append("resume"))
        assert late == ["pause"]
        unwatch()
        root.get_nowait()
        assert calls == ["pause", "resume", "pause"] and late == ["pause", "resume"]

    run(main)


def test_watch_room_keeps_a_keyed_subqueue() -> None:
    root = EventQueue()
    packets = root.add("p", EventMatcher(Packet), key=lambda e: e.conn, limit=1)
    calls: list[str] = []
    unwatch = root.watch_room(Packet(1), lambda: calls.append("pause"),
                              lambda: calls.append("resume"))
    assert packets.statistics().keys == 1
    for _ in range(3):
        root.send_nowait(Packet(1))
        root.get_nowait()
    assert calls == ["pause", "resume"] * 3 and packets.statistics().keys == 1
    with pytest.raises(ValueError, match="keyed"):
        root.watch_room(packets, lambda: None, lambda: None)
    unwatch()
    assert packets.statistics().keys == 0


# -- blocking -----------------------------------------------------------------------------

def test_block_blocks_one_leaf_only() -> None:
    root = EventQueue()
    a = root.add("a", kind("a"))
    root.add("b", kind("b"))
    for e in (Msg("a", 1), Msg("a", 2), Msg("b", 1), Msg("b", 2), Msg("b", 3)):
        root.send_nowait(e)
    item = root.get_nowait()
    assert item == (Msg("a", 1), a)
    root.block(a, Msg("a", 1))
    assert a.statistics().blocked and len(a) == 2
    assert drain_n(root, 2) == [("b", 1), ("b", 2)]
    root.unblock_all()
    assert not a.statistics().blocked
    assert drain(root) == [("a", 1), ("b", 3), ("a", 2)]  # the blocked event comes first


def test_block_a_key_whose_subqueue_was_pruned() -> None:
    root = EventQueue()
    packets = root.add("p", EventMatcher(Packet), key=lambda e: e.conn)
    root.send_nowait(Packet(1))
    root.send_nowait(Packet(2))
    item = root.get_nowait()
    assert item is not None and item[0] == Packet(1)
    assert packets.statistics().keys == 1  # key 1 is gone
    root.block(item[1], Packet(1))
    root.send_nowait(Packet(1, 1))
    assert packets.statistics().keys == 2 and packets.statistics().blocked
    assert [i[0] for i in iter(root.get_nowait, None)] == [Packet(2)]
    root.unblock_all()
    assert [i[0] for i in iter(root.get_nowait, None)] == [Packet(1), Packet(1, 1)]
    assert packets.statistics().keys == 0


# -- notifications ------------------------------------------------------------------------

def test_ready_callback() -> None:
    root = EventQueue()
    a = root.add("a", kind("a"))
    fired: list[object] = []
    # the callback may use the queue: its state is consistent
    root.set_ready_callback(lambda: fired.append(len(root)))
    root.send_nowait(Msg("a"))  # an idle tree got an event
    root.send_nowait(Msg("a"))
    assert fired == [1]
    assert drain(root) == [("a", 0), ("a", 0)]
    root.send_nowait(Msg("a"))
    assert fired == [1, 1]
    item = root.get_nowait()
    assert item is not None
    root.block(a, item[0])
    assert root.get_nowait() is None
    root.unblock_all()  # a leaf unblocked
    assert fired == [1, 1, 1]
    root.set_ready_callback(None)
    drain(root)
    root.send_nowait(Msg("a"))
    assert fired == [1, 1, 1]
    with pytest.raises(ValueError, match="not the root"):
        a.set_ready_callback(None)


def test_watch_empty_and_wait_drained() -> None:
    async def main() -> None:
        root = EventQueue()
        a = root.add("a", kind("a"))
        root.add("b", kind("b"))
        empties: list[str] = []
        unwatch = a.watch_empty(lambda q: empties.append(q.name))
        root.watch_empty(lambda q: empties.append(q.name))
        await root.wait_drained()  # empty: at once
        for e in (Msg("a"), Msg("a"), Msg("b")):
            root.send_nowait(e)
        drained = asyncio.create_task(root.wait_drained())
        a_drained = asyncio.create_task(a.wait_drained())
        cancelled = asyncio.create_task(a.wait_drained())
        await turns()
        cancelled.cancel()
        assert drain_n(root, 2) == [("a", 0), ("b", 0)]
        await turns()
        assert empties == [] and not drained.done() and not a_drained.done()
        assert drain_n(root, 1) == [("a", 0)]
        assert empties == ["a", "root"]
        await turns()
        assert drained.done() and a_drained.done() and cancelled.cancelled()
        unwatch()
        root.send_nowait(Msg("a"))
        drain(root)
        assert empties == ["a", "root", "root"]

    run(main)


# -- statistics ---------------------------------------------------------------------------

def test_statistics() -> None:
    root = EventQueue(limit=5)
    a = root.add("a", kind("a"), priority=3, limit=2, drop_when_full=True)
    k = root.add("k", EventMatcher(Packet), key=lambda e: e.conn)
    for e in (Msg("a"), Msg("a"), Msg("a"), Msg("x"), Packet(1), Packet(2), Packet(2)):
        root.send_nowait(e)
    item = root.get_nowait()
    assert item is not None and item[1] is a
    root.block(a, item[0])
    root.get_nowait()  # the own FIFO ("x"), a being blocked
    assert root.statistics() == QueueStatistics(
        name="root", length=5, limit=5, priority=0, blocked=False, served=2, dropped=1,
        keys=0, children=(
            QueueStatistics("a", 2, 2, 3, True, 1, 1, 0, ()),
            QueueStatistics("k", 3, None, 0, False, 0, 0, 2, ()),
        ))
    assert [r["name"] for r in root.statistics().rows()] == ["root", "root/a", "root/k"]
    assert root.statistics().rows()[1]["dropped"] == 1
    assert k.target(Packet(2)).statistics().length == 2


# -- a randomized check of the bookkeeping ------------------------------------------------

@pytest.mark.parametrize("seed", range(20))
def test_random_operations_keep_every_event_once_and_in_leaf_order(seed: int) -> None:
    rng = random.Random(seed)
    root = EventQueue()
    root.add("h", kind("h"), priority=2, limit=3)
    mid = root.add("m", EventMatcher(Msg, predicate=lambda e: e.kind in "mn"))
    mid.add("n", kind("n"), key=lambda e: e.n % 3, limit=2)
    root.add("o", kind("o"))
    sent: list[Msg] = []
    got: list[Msg] = []
    for i in range(400):
        op = rng.random()
        if op < 0.5:
            e = Msg(rng.choice("hmnox"), i)
            try:
                root.send_nowait(e)
                sent.append(e)
            except QueueFull as exc:
                assert exc.queue is root.target(e)
        elif op < 0.9:
            item = root.get_nowait()
            if item is None:
                continue
            e, leaf = item
            assert isinstance(e, Msg) and leaf.path == root.target(e).path
            if rng.random() < 0.1:
                root.block(leaf, e)
            else:
                got.append(e)
        else:
            root.unblock_all()
        assert len(root) == len(sent) - len(got)
    root.unblock_all()
    got.extend(i[0] for i in iter(root.get_nowait, None) if isinstance(i[0], Msg))
    assert sorted(got, key=lambda e: e.n) == sent and len(root) == 0
    for leaf_of in ({root.target(e).path for e in sent}):
        mine = [e.n for e in got if root.target(e).path == leaf_of]
        assert mine == sorted(mine)  # FIFO within each leaf
    assert root.statistics().children[1].children[0].keys == 0
