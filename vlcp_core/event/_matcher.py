"""Matchers and the index that finds them.

Theory of operation
-------------------
A matcher names an event class, values for some of its index fields (the others
are wildcards) and an optional predicate.  ``MatcherTree`` stores registrations
(matcher, target) in the pattern tables of ``_index``: one dict per (class, fields
given), keyed by the values given.  To find the registrations an event satisfies,
it looks up the event's key in each table of the classes in the event's MRO: the
cost depends on how many distinct patterns are in use, not on how many matchers
are waiting.  The predicate, if any, is checked last; one that raises is logged and
counts as no match.  Registrations come back in registration order.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Hashable, Iterator
from typing import Any

from ._event import Event
from ._index import PatternIndex, TableId

__all__ = ["EventMatcher", "MatcherTree", "check_predicate"]

log = logging.getLogger("vlcp_core.event")


class EventMatcher:
    """Events of *event_class* (or a subclass) whose index fields have the given values,
    and for which *predicate* (if given) is true.

    Example: ``EventMatcher(PacketInEvent, datapath=1)``.

    Raises ``TypeError`` for a keyword that is not an index field of the class.
    """

    __slots__ = ("event_class", "key", "predicate", "table_id", "values")

    def __init__(self, event_class: type[Event], /,
                 predicate: Callable[[Any], bool] | None = None, **values: Hashable) -> None:
        if not (isinstance(event_class, type) and issubclass(event_class, Event)):
            raise TypeError(f"{event_class!r} is not an Event class")
        index = event_class.event_index
        unknown = [k for k in values if k not in index]
        if unknown:
            raise TypeError(f"{event_class.__name__} has no index field(s) {unknown} "
                            f"(index: {list(index)})")
        self.event_class = event_class
        self.values = values
        self.predicate = predicate
        # Where registrations go in the index: the table of the fields given (in
        # index order), under their values (a bare value for one field).
        pattern = tuple(name for name in index if name in values)
        given = tuple(values[name] for name in pattern)
        self.table_id: TableId = (event_class, pattern)
        self.key: Hashable = given[0] if len(given) == 1 else given

    def matches(self, event: Event) -> bool:
        """True when *event* satisfies this matcher (the same test the tree makes)."""
        if not isinstance(event, self.event_class):
            return False
        for name, value in self.values.items():
            if getattr(event, name) != value:
                return False
        return self.predicate is None or bool(self.predicate(event))

    def __repr__(self) -> str:
        parts = [self.event_class.__name__] + [f"{k}={v!r}" for k, v in self.values.items()]
        if self.predicate is not None:
            parts.append("predicate=...")
        return f"EventMatcher({', '.join(parts)})"


def check_predicate(matcher: EventMatcher, event: Event) -> bool:
    """The matcher's predicate on *event* (true without one); an error is logged and
    counts as false."""
    predicate = matcher.predicate
    if predicate is None:
        return True
    try:
        return bool(predicate(event))
    except Exception:
        log.exception("predicate of %r failed on %r", matcher, event)
        return False


class MatcherTree:
    """Registrations of (matcher, target), found by event whatever their number."""

    def __init__(self) -> None:
        self._index: PatternIndex[dict[int, tuple[EventMatcher, Any]]] = PatternIndex()
        self._where: dict[int, tuple[dict[Hashable, dict[int, tuple[EventMatcher, Any]]],
                                     Hashable]] = {}
        self._seq = itertools.count()

    def __len__(self) -> int:
        return len(self._where)

    def add(self, matcher: EventMatcher, target: Any) -> int:
        """Register *target* for *matcher*; returns a handle for ``remove``."""
        table = self._index.table(matcher.table_id)
        entries = table.get(matcher.key)
        if entries is None:
            entries = table[matcher.key] = {}
        handle = next(self._seq)
        entries[handle] = (matcher, target)
        self._where[handle] = (table, matcher.key)
        return handle

    def remove(self, handle: int) -> None:
        """Forget a registration (unknown handles are ignored)."""
        found = self._where.pop(handle, None)
        if found is None:
            return
        table, key = found
        entries = table[key]
        del entries[handle]
        if not entries:
            del table[key]

    def has_candidates(self, event: Event) -> bool:
        """True when some registration matches *event* by class and index (predicates
        are not called)."""
        for getter, table in self._index.plan(type(event)):
            if getter(event) in table:
                return True
        return False

    def find(self, event: Event) -> list[tuple[int, EventMatcher, Any]]:
        """The registrations *event* satisfies, in registration order."""
        found: list[tuple[int, EventMatcher, Any]] = []
        tables = 0
        for getter, table in self._index.plan(type(event)):
            entries = table.get(getter(event))
            if entries:
                tables += 1
                found.extend((handle, m, t) for handle, (m, t) in entries.items())
        if tables > 1:
            found.sort(key=lambda item: item[0])
        return [item for item in found if check_predicate(item[1], event)]

    def iter_targets(self) -> Iterator[Any]:
        """Every registered target (for statistics and shutdown)."""
        for table in self._index.tables():
            for entries in table.values():
                for _, target in entries.values():
                    yield target
