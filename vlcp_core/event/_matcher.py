"""Matchers and the index tree that finds them.

Theory of operation
-------------------
A matcher names an event class, values for some of its index fields (the others
are wildcards) and an optional predicate.  ``MatcherTree`` stores registrations
(matcher, target) per event class in a trie with one level per index field; a
level maps a value to a child, and ``ANY`` to the child of the matchers that left
that field open.  To find the registrations an event satisfies, the tree walks,
for every Event class in the event's MRO, at most two children per level (the
event's value and ``ANY``): the cost depends on the number of index fields, not on
how many matchers are waiting.  The predicate, if any, is checked last.
Registrations come back in registration order.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Iterator
from typing import Any

from ._event import Event

__all__ = ["EventMatcher", "MatcherTree"]


class _Any:
    """The wildcard key of a tree level."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "ANY"


ANY = _Any()


class EventMatcher:
    """Events of *event_class* (or a subclass) whose index fields have the given values,
    and for which *predicate* (if given) is true.

    Example: ``EventMatcher(PacketInEvent, datapath=1)``.

    Raises ``TypeError`` for a keyword that is not an index field of the class.
    """

    __slots__ = ("event_class", "key", "predicate", "values")

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
        # The path through the tree: one key per index field of the class.
        self.key = tuple(values.get(name, ANY) for name in index)

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


class _Node:
    __slots__ = ("children", "entries")

    def __init__(self) -> None:
        self.children: dict[Hashable, _Node] = {}
        # Registrations ending here: sequence number -> (matcher, target).
        self.entries: dict[int, tuple[EventMatcher, Any]] = {}


def root_index(cls: type) -> tuple[str, ...]:
    """The index fields of an Event class."""
    index: tuple[str, ...] = getattr(cls, "event_index", ())
    return index


class MatcherTree:
    """Registrations of (matcher, target), found by event in O(index fields)."""

    def __init__(self) -> None:
        self._roots: dict[type[Event], _Node] = {}
        self._where: dict[int, tuple[type[Event], tuple[Hashable, ...]]] = {}
        self._seq = itertools.count()
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def add(self, matcher: EventMatcher, target: Any) -> int:
        """Register *target* for *matcher*; returns a handle for ``remove``."""
        node = self._roots.setdefault(matcher.event_class, _Node())
        for key in matcher.key:
            child = node.children.get(key)
            if child is None:
                child = node.children[key] = _Node()
            node = child
        handle = next(self._seq)
        node.entries[handle] = (matcher, target)
        self._where[handle] = (matcher.event_class, matcher.key)
        self._count += 1
        return handle

    def remove(self, handle: int) -> None:
        """Forget a registration (unknown handles are ignored); empty branches go too."""
        found = self._where.pop(handle, None)
        if found is None:
            return
        event_class, key = found
        path = [self._roots[event_class]]
        for k in key:
            path.append(path[-1].children[k])
        del path[-1].entries[handle]
        self._count -= 1
        for depth in range(len(key), 0, -1):
            node = path[depth]
            if node.entries or node.children:
                break
            del path[depth - 1].children[key[depth - 1]]
        else:
            if not path[0].entries and not path[0].children:
                del self._roots[event_class]

    def find(self, event: Event) -> list[tuple[int, EventMatcher, Any]]:
        """The registrations *event* satisfies, in registration order."""
        found: list[tuple[int, EventMatcher, Any]] = []
        roots = self._roots
        for cls in type(event).__mro__:
            root = roots.get(cls)
            if root is None:
                continue
            values = [getattr(event, name) for name in root_index(cls)]
            self._collect(root, values, 0, found)
        if len(found) > 1:
            found.sort(key=lambda item: item[0])
        out = []
        for handle, matcher, target in found:
            if matcher.predicate is None or matcher.predicate(event):
                out.append((handle, matcher, target))
        return out

    def _collect(self, node: _Node, values: list[Any], depth: int,
                 found: list[tuple[int, EventMatcher, Any]]) -> None:
        if depth == len(values):
            for handle, (matcher, target) in node.entries.items():
                found.append((handle, matcher, target))
            return
        children = node.children
        child = children.get(values[depth])
        if child is not None:
            self._collect(child, values, depth + 1, found)
        wild = children.get(ANY)
        if wild is not None:
            self._collect(wild, values, depth + 1, found)

    def iter_targets(self) -> Iterator[Any]:
        """Every registered target (for statistics and shutdown)."""
        stack = list(self._roots.values())
        while stack:
            node = stack.pop()
            for _, target in node.entries.values():
                yield target
            stack.extend(node.children.values())
