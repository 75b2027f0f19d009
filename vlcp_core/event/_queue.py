"""The queue tree: class-based queueing of events, like Linux tc classes.

Theory of operation
-------------------
A tree of ``EventQueue`` nodes.  ``add`` gives a node child classes; an event sent
to a node goes down to the first child (in ``add`` order) whose matcher matches,
recursively; where no child takes it, it stays in that node's own FIFO.  The node
that stores an event is its *leaf*.  A keyed node (``key=``) stores its own events
in one small ``EventQueue`` per key value (a *subqueue*), created on demand and
dropped again when empty and unreferenced.

Serving: every node keeps *rings*: for each priority, a deque of the members that
have servable (present, not blocked) events.  Members are its children, and the
node itself standing for its own storage (always priority 0).  ``get_nowait``
takes the highest priority ring, pops its first member, serves one event from it
(recursively) and appends the member again if it still has servable events: strict
priority between rings, round-robin inside one.  A keyed node's own storage is a
ring of subqueues, so one flooding key gets one turn per round like any other.
Ring membership is updated upward only when a node's servability flips, so a
get or send costs O(depth x distinct priorities), whatever the number of events
or keys.  ``block`` makes one leaf unservable; ``unblock_all`` re-inserts blocked
leaves at the head of their rings (their events are the oldest).

Limits count the events of one leaf (per key).  Room given to a waiting ``send``
is *reserved* for it (counted as taken) until it resumes and enqueues, so waiting
senders are served FIFO, a ``send_nowait`` cannot jump the line, and a sender
cancelled after being granted room hands the room on.  Callbacks (ready, room,
empty) run after the queue state is consistent, so they may call back into it.
Counters ``served`` (hand-outs by ``get_nowait``: an event put back by ``block``
counts again) and ``dropped`` of a node include its subtree.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import asdict, dataclass
from functools import partial
from typing import Any

from ._event import Event
from ._matcher import EventMatcher

__all__ = ["EventQueue", "QueueFull", "QueueStatistics"]

_Call = Callable[[], None]


class QueueFull(Exception):  # noqa: N818 (the trio/asyncio name)
    """``send_nowait`` found the event's leaf queue full.

    Attributes: ``queue`` (the full leaf) and ``event`` (the event not sent).
    """

    def __init__(self, queue: EventQueue, event: Event) -> None:
        super().__init__(f"queue {queue.path!r} is full (limit {queue.limit})")
        self.queue = queue
        self.event = event


@dataclass(frozen=True)
class QueueStatistics:
    """A snapshot of one node and its children (keyed subqueues are counted in ``keys``).

    ``length``, ``served`` and ``dropped`` include the subtree; ``blocked`` is true when
    the node's own storage (for a keyed node: any key) is blocked.
    """

    name: str
    length: int
    limit: int | None
    priority: int
    blocked: bool
    served: int
    dropped: int
    keys: int
    children: tuple[QueueStatistics, ...]

    def rows(self, prefix: str = "") -> list[dict[str, Any]]:
        """One flat dict per node (``name`` is the path), for a notebook table."""
        path = f"{prefix}/{self.name}" if prefix else self.name
        row = {**{k: v for k, v in asdict(self).items() if k != "children"}, "name": path}
        return [row, *(r for child in self.children for r in child.rows(path))]


def _run(calls: list[_Call]) -> None:
    """Run every callback; re-raise the first error after all ran."""
    error: Exception | None = None
    for call in calls:
        try:
            call()
        except Exception as exc:
            if error is None:
                error = exc
    if error is not None:
        raise error


class EventQueue:
    """A class of events in a queue tree (the root is the whole tree).

    Example::

        root = EventQueue()
        ctl = root.add("control", EventMatcher(ControlEvent), priority=10)
        packets = root.add("packets", EventMatcher(PacketIn), limit=100,
                           key=lambda e: e.datapath, drop_when_full=True)
        root.send_nowait(event); event, leaf = root.get_nowait()

    ``priority``: higher numbers are served first.  ``limit``: events per leaf (per key
    for a keyed node), ``None`` for no limit; must be >= 1.  A queue is always true
    in a boolean test; use ``len()`` for its number of events.
    """

    __slots__ = (
        "_active", "_blocked", "_blocked_leaves", "_children", "_drain_waiters", "_drop",
        "_dropped", "_empty_watchers", "_fifo", "_is_sub", "_key", "_key_ring", "_length",
        "_limit", "_matcher", "_name", "_own_active", "_parent", "_priority", "_ready",
        "_reported_full", "_reserved", "_rings", "_room_watchers", "_served", "_starved",
        "_subkey", "_subqueues", "_waiters",
    )

    def __init__(self, name: str = "root", *, priority: int = 0, limit: int | None = None,
                 key: Callable[[Event], Hashable] | None = None,
                 drop_when_full: bool = False) -> None:
        if limit is not None and limit < 1:
            raise ValueError(f"limit must be None or at least 1, not {limit}")
        self._name = name
        self._priority = priority
        self._limit = limit
        self._key = key
        self._drop = drop_when_full
        self._parent: EventQueue | None = None
        self._matcher: EventMatcher | None = None
        self._is_sub = False  # a per-key subqueue of a keyed parent
        self._subkey: Hashable = None
        self._children: list[EventQueue] = []
        self._fifo: deque[Event] = deque()
        self._subqueues: dict[Hashable, EventQueue] = {}
        self._key_ring: deque[EventQueue] = deque()  # subqueues with servable events
        self._rings: dict[int, deque[EventQueue]] = {}  # priority -> servable members
        self._own_active = False  # self (own storage) is in self._rings
        self._active = False  # in the parent's ring / key ring (root: has servable events)
        self._blocked = False
        self._length = 0  # events in the subtree
        self._served = 0
        self._dropped = 0
        self._reserved = 0  # room granted to woken senders not yet resumed
        self._reported_full = False  # what room watchers were told last
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._room_watchers: dict[object, tuple[_Call, _Call]] = {}
        self._empty_watchers: dict[object, Callable[[EventQueue], None]] = {}
        self._drain_waiters: list[asyncio.Future[None]] = []
        # Used on the root only.
        self._ready: _Call | None = None
        self._starved = True  # get_nowait returned None (or never ran) since the last ready
        self._blocked_leaves: dict[EventQueue, None] = {}

    # -- the tree -------------------------------------------------------------------------

    def add(self, name: str, matcher: EventMatcher | None = None, *, priority: int = 0,
            limit: int | None = None, key: Callable[[Event], Hashable] | None = None,
            drop_when_full: bool = False) -> EventQueue:
        """Add and return a child class taking the events *matcher* matches (all the rest
        when ``None``) among those earlier children did not take.

        Raises ``ValueError`` for a duplicate child name, ``TypeError`` on a subqueue.
        """
        if self._is_sub:
            raise TypeError(f"{self.path!r} is a per-key subqueue: it cannot have children")
        if any(child._name == name for child in self._children):
            raise ValueError(f"{self.path!r} already has a child {name!r}")
        child = EventQueue(name, priority=priority, limit=limit, key=key,
                           drop_when_full=drop_when_full)
        child._parent = self
        child._matcher = matcher
        self._children.append(child)
        return child

    @property
    def name(self) -> str:
        return self._name

    @property
    def priority(self) -> int:
        return self._priority

    @property
    def limit(self) -> int | None:
        return self._limit

    @property
    def parent(self) -> EventQueue | None:
        return self._parent

    @property
    def matcher(self) -> EventMatcher | None:
        return self._matcher

    @property
    def children(self) -> tuple[EventQueue, ...]:
        """The child classes in ``add`` order (not the per-key subqueues)."""
        return tuple(self._children)

    @property
    def path(self) -> str:
        """Names from the root, e.g. ``"root/packets/packets[1]"``."""
        names = []
        node: EventQueue | None = self
        while node is not None:
            names.append(node._name)
            node = node._parent
        return "/".join(reversed(names))

    def _root(self) -> EventQueue:
        node = self
        while node._parent is not None:
            node = node._parent
        return node

    def _within(self, ancestor: EventQueue) -> bool:
        node: EventQueue | None = self
        while node is not None and node is not ancestor:
            node = node._parent
        return node is ancestor

    def _route(self, event: Event, attach: bool) -> EventQueue:
        """The leaf of *event* below self; *attach* registers a new subqueue."""
        if self._is_sub:
            return self._attach(attach)
        node = self
        while True:
            for child in node._children:
                if child._matcher is None or child._matcher.matches(event):
                    node = child
                    break
            else:
                break
        if node._key is None:
            return node
        return node._subqueue(node._key(event), attach)

    def _subqueue(self, key: Hashable, attach: bool) -> EventQueue:
        sub = self._subqueues.get(key)
        if sub is None:
            sub = EventQueue(f"{self._name}[{key!r}]", limit=self._limit,
                             drop_when_full=self._drop)
            sub._parent = self
            sub._is_sub = True
            sub._subkey = key
            if attach:
                self._subqueues[key] = sub
        return sub

    def _attach(self, register: bool = True) -> EventQueue:
        """For a subqueue handle: the live subqueue of its key; self if there is none
        (registered again if *register*: it was pruned).  Other nodes: self."""
        if not self._is_sub:
            return self
        assert self._parent is not None
        if register:
            return self._parent._subqueues.setdefault(self._subkey, self)
        return self._parent._subqueues.get(self._subkey, self)

    def _prune(self) -> None:
        """Forget an empty, unreferenced subqueue (bounded memory)."""
        if (self._is_sub and not self._fifo and not self._reserved and not self._waiters
                and not self._room_watchers):
            assert self._parent is not None
            if self._parent._subqueues.get(self._subkey) is self:
                del self._parent._subqueues[self._subkey]

    # -- servability bookkeeping ----------------------------------------------------------

    def _own_servable(self) -> bool:
        if self._key is not None:
            return bool(self._key_ring)
        return bool(self._fifo) and not self._blocked

    def _ring_insert(self, member: EventQueue, priority: int, front: bool) -> None:
        ring = self._rings.get(priority)
        if ring is None:
            ring = self._rings[priority] = deque()
        if front:
            ring.appendleft(member)
        else:
            ring.append(member)

    def _ring_remove(self, member: EventQueue, priority: int) -> None:
        ring = self._rings[priority]
        ring.remove(member)
        if not ring:
            del self._rings[priority]

    def _update(self, front: bool = False) -> bool:
        """Resync ring membership from self upward; True when the root became servable."""
        node = self
        while True:
            own = node._own_servable()
            if own != node._own_active:
                node._own_active = own
                if own:
                    node._ring_insert(node, 0, front)
                else:
                    node._ring_remove(node, 0)
            now = bool(node._rings)
            if now == node._active:
                return False
            node._active = now
            parent = node._parent
            if parent is None:
                return now
            if node._is_sub:
                if not now:
                    parent._key_ring.remove(node)
                elif front:
                    parent._key_ring.appendleft(node)
                else:
                    parent._key_ring.append(node)
            elif now:
                parent._ring_insert(node, node._priority, front)
            else:
                parent._ring_remove(node, node._priority)
            node = parent

    def _ready_calls(self, became_servable: bool) -> list[_Call]:
        root = self._root()
        if became_servable and root._starved and root._ready is not None:
            root._starved = False
            return [root._ready]
        return []

    def _is_full(self) -> bool:
        return self._limit is not None and len(self._fifo) + self._reserved >= self._limit

    def _room_calls(self) -> list[_Call]:
        """Callbacks for a full/has-room transition of this leaf since last reported."""
        full = self._is_full()
        if full == self._reported_full:
            return []
        self._reported_full = full
        return [pause if full else resume for pause, resume in self._room_watchers.values()]

    def _grant(self) -> None:
        """Reserve free room for waiting senders, oldest first."""
        while self._waiters and not self._is_full():
            waiter = self._waiters.popleft()
            if not waiter.done():
                self._reserved += 1
                waiter.set_result(None)

    def _push(self, event: Event, front: bool = False) -> list[_Call]:
        """Store *event* in this (live) leaf; returns the callbacks to run."""
        if front:
            self._fifo.appendleft(event)
        else:
            self._fifo.append(event)
        node: EventQueue | None = self
        while node is not None:
            node._length += 1
            node = node._parent
        return self._room_calls() + self._ready_calls(self._update(front))

    def _count_drop(self) -> None:
        node: EventQueue | None = self
        while node is not None:
            node._dropped += 1
            node = node._parent

    # -- producers ------------------------------------------------------------------------

    def target(self, event: Event) -> EventQueue:
        """The leaf queue *event* would go to (for a keyed node: that key's subqueue)."""
        return self._route(event, attach=False)

    def send_nowait(self, event: Event) -> None:
        """Enqueue *event* at its leaf.

        Raises ``QueueFull`` when the leaf is full, unless it is ``drop_when_full`` and
        the event is not ``cannot_ignore``: then the event is dropped and counted.
        """
        leaf = self._route(event, attach=True)
        if leaf._is_full():
            if leaf._drop and not event.cannot_ignore:
                leaf._count_drop()
                return
            raise QueueFull(leaf, event)
        _run(leaf._push(event))

    async def send(self, event: Event) -> None:
        """Enqueue *event*, waiting first until its leaf has room (FIFO among waiting
        senders).  A ``drop_when_full`` leaf drops an ignorable event instead of waiting.
        Cancelled while waiting, the event is not sent.
        """
        leaf = self._route(event, attach=True)
        if not leaf._is_full():
            _run(leaf._push(event))
            return
        if leaf._drop and not event.cannot_ignore:
            leaf._count_drop()
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        leaf._waiters.append(waiter)
        try:
            await waiter
        except BaseException:
            calls: list[_Call] = []
            if waiter.done() and not waiter.cancelled():  # granted: hand the room on
                leaf._reserved -= 1
                leaf._grant()
                calls = leaf._room_calls()
            elif waiter in leaf._waiters:
                leaf._waiters.remove(waiter)
            leaf._prune()
            _run(calls)
            raise
        leaf._reserved -= 1
        _run(leaf._push(event))

    def watch_room(self, event_or_queue: Event | EventQueue, pause: _Call,
                   resume: _Call) -> _Call:
        """Back-pressure: call *pause* when the leaf (of the event, or the queue given)
        becomes full, *resume* when it has room again.  *pause* is called at once if the
        leaf is full now.  Returns a function that stops watching (calling neither).
        """
        if isinstance(event_or_queue, EventQueue):
            leaf = event_or_queue._attach()
            if leaf._key is not None:
                raise ValueError(f"{leaf.path!r} is keyed: watch an event or a subqueue")
        else:
            leaf = self._route(event_or_queue, attach=True)
        token = object()
        leaf._room_watchers[token] = (pause, resume)

        def unwatch() -> None:
            if leaf._room_watchers.pop(token, None) is not None:
                leaf._prune()

        if leaf._reported_full:
            pause()
        return unwatch

    def count_served(self, event: Event) -> None:
        """Count *event* as sent and served at its leaf without storing it (the
        scheduler's bypass of an idle tree).  A keyed node counts it itself: an idle
        tree has no per-key subqueues worth creating for one event."""
        node = self
        while node._children:
            for child in node._children:
                if child._matcher is None or child._matcher.matches(event):
                    node = child
                    break
            else:
                break
        counted: EventQueue | None = node
        while counted is not None:
            counted._served += 1
            counted = counted._parent

    # -- the consumer ---------------------------------------------------------------------

    def _serve(self) -> tuple[Event, EventQueue]:
        """Take one event; self has servable events.  Keeps rings and ``_active`` of the
        members right; the caller fixes self's own membership."""
        rings = self._rings
        priority = max(rings)
        ring = rings[priority]
        member = ring.popleft()
        if member is self:
            if self._key is None:
                event, leaf = self._fifo.popleft(), self
            else:
                sub = self._key_ring.popleft()
                event, leaf = sub._serve()
                sub._active = bool(sub._rings)
                if sub._active:
                    self._key_ring.append(sub)
            still = self._own_active = self._own_servable()
        else:
            event, leaf = member._serve()
            still = member._active = bool(member._rings)
        if still:
            ring.append(member)
        elif not ring:
            del rings[priority]
        return event, leaf

    def get_nowait(self) -> tuple[Event, EventQueue] | None:
        """The next event of this subtree and its leaf, or ``None`` when nothing is
        servable (empty, or only blocked leaves hold events)."""
        if not self._rings:
            if self._parent is None:
                self._starved = True
            return None
        event, leaf = self._serve()
        self._active = True  # it still is where it was: let _update move it
        self._update()
        calls: list[_Call] = []
        node: EventQueue | None = leaf
        while node is not None:
            node._length -= 1
            node._served += 1
            if node._length == 0:
                calls.extend(partial(cb, node) for cb in node._empty_watchers.values())
                for fut in node._drain_waiters:
                    if not fut.done():
                        fut.set_result(None)
                node._drain_waiters.clear()
            node = node._parent
        leaf._grant()
        calls[:0] = leaf._room_calls()
        leaf._prune()
        _run(calls)
        return event, leaf

    def block(self, leaf: EventQueue, event: Event) -> None:
        """Put *event* back at the head of *leaf* and block that leaf (for a keyed node:
        that key's subqueue) until ``unblock_all``; other leaves keep being served.
        Never fails for a full leaf (it may go one over its limit)."""
        leaf = leaf._attach()
        if leaf._key is not None:
            leaf = leaf._subqueue(leaf._key(event), attach=True)
        leaf._blocked = True
        leaf._root()._blocked_leaves[leaf] = None
        _run(leaf._push(event, front=True))

    def unblock_all(self) -> None:
        """Unblock every blocked leaf of this subtree; their events are served first
        among their equal-priority siblings."""
        root = self._root()
        became = False
        for leaf in list(root._blocked_leaves):
            if leaf._within(self):
                del root._blocked_leaves[leaf]
                leaf._blocked = False
                became = leaf._update(front=True) or became
        _run(self._ready_calls(became))

    def set_ready_callback(self, callback: _Call | None) -> None:
        """On the root: *callback* runs (synchronously) whenever an event becomes available
        after ``get_nowait`` returned ``None`` (or before the first ``get_nowait``).  It
        is not called for events already available when it is set.
        """
        if self._parent is not None:
            raise ValueError(f"{self.path!r} is not the root of its tree")
        self._ready = callback

    def watch_empty(self, callback: Callable[[EventQueue], None]) -> _Call:
        """Call ``callback(self)`` whenever serving an event leaves this subtree empty.
        Returns a function that stops watching."""
        token = object()
        self._empty_watchers[token] = callback

        def unwatch() -> None:
            self._empty_watchers.pop(token, None)

        return unwatch

    async def wait_drained(self) -> None:
        """Return when this node and its subtree are empty (at once if they are)."""
        if self._length == 0:
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._drain_waiters.append(fut)
        try:
            await fut
        finally:
            if fut in self._drain_waiters:
                self._drain_waiters.remove(fut)

    # -- inspection -----------------------------------------------------------------------

    def __len__(self) -> int:
        return self._length

    def __bool__(self) -> bool:
        return True

    def statistics(self) -> QueueStatistics:
        if self._key is not None:
            blocked = any(sub._blocked for sub in self._subqueues.values())
        else:
            blocked = self._blocked
        return QueueStatistics(
            name=self._name, length=self._length, limit=self._limit, priority=self._priority,
            blocked=blocked, served=self._served, dropped=self._dropped,
            keys=len(self._subqueues), children=tuple(c.statistics() for c in self._children))

    def __repr__(self) -> str:
        return f"<EventQueue {self.path!r} length={self._length}>"
