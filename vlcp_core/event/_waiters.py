"""The scheduler's waiting futures, indexed like matchers.

Theory of operation
-------------------
A wait is a future registered under each of its matchers in the pattern tables of
``_index``: key -> ``(future, matcher)`` for the usual single waiter, key ->
``{future: matcher}`` for several.  A wait is one-shot: when an event reaches
a table entry, the whole entry is taken out of the table, every live future in it
gets ``(event, matcher)``, and only the futures whose matcher's predicate said no
go back.  So delivery also unregisters: a ping-pong costs one dict insert and one
dict pop per hop.

A wait that ends otherwise leaves entries behind: the scheduler removes them for
waits with a timeout or several matchers (a done callback), while a cancelled
plain wait is left to *sweeps*: once the number of registrations made since the
last sweep passes twice the number then alive (and at least ``SWEEP_MIN``), every
entry of a done future goes.  Memory stays within a constant factor of the live
waits, at an amortized O(1) per registration.

A *cell* (``LastEvent``) may ride along with a future: delivery stores the event
in it, which is how a spawned task's failure is logged with the event it got last.
"""

from __future__ import annotations

import asyncio
from collections.abc import Hashable
from typing import Any

from ._event import Event
from ._index import PatternIndex
from ._matcher import EventMatcher, check_predicate

__all__ = ["SWEEP_MIN", "LastEvent", "WaiterIndex"]

Waiter = asyncio.Future[tuple[Event, EventMatcher]]
Several = dict[Waiter, EventMatcher]
Entry = tuple[Waiter, EventMatcher] | Several
SWEEP_MIN = 4096


class LastEvent:
    """The last event delivered to one task's waits."""

    __slots__ = ("event", "task")

    def __init__(self) -> None:
        self.event: Event | None = None
        self.task: asyncio.Task[Any] | None = None


class WaiterIndex(PatternIndex[Entry]):
    """Futures waiting on matchers (the hot path of ``wait_event`` and ``send``)."""

    __slots__ = ("_added", "_sweep_at", "cells")

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[Waiter, LastEvent] = {}
        self._added = 0  # registrations since the last sweep
        self._sweep_at = SWEEP_MIN

    def add(self, matcher: EventMatcher, waiter: Waiter) -> None:
        table = self._tables.get(matcher.table_id)
        if table is None:
            table = self.table(matcher.table_id)
        key = matcher.key
        entry = table.get(key)
        if entry is None:
            table[key] = (waiter, matcher)
        elif type(entry) is tuple:
            if entry[0] is not waiter:
                table[key] = {entry[0]: entry[1], waiter: matcher}
        else:
            entry.setdefault(waiter, matcher)  # type: ignore[union-attr]
        self._added += 1
        if self._added > self._sweep_at:
            self.sweep()

    def discard(self, matcher: EventMatcher, waiter: Waiter) -> None:
        table = self.table(matcher.table_id)
        entry = table.get(matcher.key)
        if type(entry) is tuple:
            if entry[0] is waiter:
                del table[matcher.key]
        elif entry is not None:
            several: Several = entry  # type: ignore[assignment]
            if several.pop(waiter, None) is not None and not several:
                del table[matcher.key]
        self.cells.pop(waiter, None)

    def deliver(self, event: Event) -> int:
        """Give *event* to every waiter it satisfies; returns how many took it."""
        taken = 0
        cells = self.cells
        plan = self._plans.get(type(event))
        if plan is None:
            plan = self.plan(type(event))
        for getter, table in plan:
            key = getter(event)
            entry = table.pop(key, None)
            if entry is None:
                continue
            if type(entry) is not tuple:
                taken += self._deliver_several(table, key, entry, event)  # type: ignore[arg-type]
                continue
            waiter, matcher = entry
            if waiter.done():
                continue
            if matcher.predicate is not None and not check_predicate(matcher, event):
                _put_back(table, key, {waiter: matcher})
                continue
            waiter.set_result((event, matcher))
            taken += 1
            if cells:
                cell = cells.pop(waiter, None)
                if cell is not None:
                    cell.event = event
        return taken

    def _deliver_several(self, table: dict[Hashable, Entry], key: Hashable, entry: Several,
                         event: Event) -> int:
        taken = 0
        kept: Several | None = None
        for waiter, matcher in entry.items():
            if waiter.done():
                continue
            if matcher.predicate is not None and not check_predicate(matcher, event):
                if kept is None:
                    kept = {}
                kept[waiter] = matcher
                continue
            waiter.set_result((event, matcher))
            taken += 1
            cell = self.cells.pop(waiter, None)
            if cell is not None:
                cell.event = event
        if kept:
            _put_back(table, key, kept)
        return taken

    def sweep(self) -> None:
        """Drop the entries of done futures."""
        live = 0
        for table in self.tables():
            for key, entry in list(table.items()):
                pairs = _pairs(entry)
                waiting = [(w, m) for w, m in pairs if not w.done()]
                for waiter, _ in pairs:
                    if waiter.done():
                        self.cells.pop(waiter, None)
                if not waiting:
                    del table[key]
                elif len(waiting) < len(pairs):
                    table[key] = waiting[0] if len(waiting) == 1 else dict(waiting)
                live += len(waiting)
        self._added = 0
        self._sweep_at = max(SWEEP_MIN, 2 * live)

    def registrations(self) -> int:
        """Entries in the tables, live or not (for tests of the sweep)."""
        return sum(len(_pairs(entry)) for table in self.tables()
                   for entry in table.values())

    def waiting(self) -> int:
        """How many futures are still waiting."""
        live: set[Any] = set()
        for table in self.tables():
            for entry in table.values():
                live.update(w for w, _ in _pairs(entry) if not w.done())
        return len(live)


def _pairs(entry: Entry) -> list[tuple[Waiter, EventMatcher]]:
    if type(entry) is tuple:
        return [entry]
    return list(entry.items())  # type: ignore[union-attr]


def _put_back(table: dict[Hashable, Entry], key: Hashable, kept: Several) -> None:
    newer = table.get(key)
    if newer is not None:  # registered while predicates ran: keep them after
        kept.update(_pairs(newer))
    table[key] = kept
