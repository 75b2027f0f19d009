"""Pattern tables: how registrations on matchers are found by event in O(1).

Theory of operation
-------------------
A matcher gives values for some of its class's index fields and leaves the others
open; the fields it gives are its *pattern*.  All registrations with the same event
class and pattern share one *table*: a dict from the given values (one value for a
one-field pattern, a tuple for more, ``()`` for none) to whatever the user of the
index stores there.  To find what an event satisfies, take the tables of every
Event class in the event's MRO, compute the event's key for each table's pattern
with an ``operator.attrgetter`` and look it up: one dict lookup per table, however
many matchers wait.  The tables of an event type (its *plan*) are cached; creating a
table clears the cache.  Tables are never deleted: there are at most
``2 ** len(index)`` per class, and in practice a handful.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from operator import attrgetter
from typing import Any, Generic, TypeVar

__all__ = ["PatternIndex", "TableId"]

V = TypeVar("V")
TableId = tuple[type, tuple[str, ...]]
KeyGetter = Callable[[Any], Hashable]


def _no_fields(event: object) -> Hashable:
    return ()


class PatternIndex(Generic[V]):
    """Tables of ``key -> V`` per (event class, pattern), found by event type."""

    __slots__ = ("_plans", "_tables")

    def __init__(self) -> None:
        self._tables: dict[TableId, dict[Hashable, V]] = {}
        self._plans: dict[type, tuple[tuple[KeyGetter, dict[Hashable, V]], ...]] = {}

    def table(self, table_id: TableId) -> dict[Hashable, V]:
        """The table of a matcher's ``table_id`` (created when new)."""
        table = self._tables.get(table_id)
        if table is None:
            table = self._tables[table_id] = {}
            self._plans.clear()
        return table

    def plan(self, event_type: type) -> tuple[tuple[KeyGetter, dict[Hashable, V]], ...]:
        """(key getter, table) for every table an event of *event_type* may be in."""
        plan = self._plans.get(event_type)
        if plan is None:
            steps = []
            for cls in event_type.__mro__:
                for (table_class, pattern), table in self._tables.items():
                    if table_class is cls:
                        getter = attrgetter(*pattern) if pattern else _no_fields
                        steps.append((getter, table))
            plan = self._plans[event_type] = tuple(steps)
        return plan

    def tables(self) -> Iterator[dict[Hashable, V]]:
        """Every table (for statistics and sweeps)."""
        return iter(self._tables.values())
