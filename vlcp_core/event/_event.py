"""Events: small frozen, slotted value classes that declare which fields are indexed.

::

    @event(index=("datapath", "type"))
    class OpenFlowMessageEvent(Event):
        datapath: int
        type: int
        message: object

Matchers select events by class (subclasses match too) and by the values of index
fields (see ``_matcher``).  A subclass inherits its base's index and may extend it.
``cannot_ignore=True`` marks events that must reach somebody: with no matcher
waiting, they block their queue until one arrives (see ``_queue``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar, dataclass_transform

__all__ = ["Event", "event"]

E = TypeVar("E", bound=type)


class Event:
    """Base class of all events.  Declare subclasses with the ``@event(...)`` decorator."""

    __slots__ = ()
    # Set by @event on each class (declarations, not configuration).
    event_index: ClassVar[tuple[str, ...]] = ()
    cannot_ignore: ClassVar[bool] = False


@dataclass_transform(frozen_default=True)
def event(index: tuple[str, ...] = (), *, cannot_ignore: bool | None = None
          ) -> Callable[[E], E]:
    """Make a class a frozen, slotted event with index fields *index* (added to the
    base class's index); ``cannot_ignore`` is inherited unless given.

    Raises ``TypeError`` for an index field the class does not have.
    """

    def decorate(cls: E) -> E:
        made: Any = dataclasses.dataclass(frozen=True, slots=True)(cls)
        inherited: tuple[str, ...] = ()
        for base in made.__mro__[1:]:
            if isinstance(base, type) and issubclass(base, Event):
                inherited = base.event_index
                break
        full = inherited + tuple(f for f in index if f not in inherited)
        names = {f.name for f in dataclasses.fields(made)}
        missing = [f for f in full if f not in names]
        if missing:
            raise TypeError(f"{made.__name__}: index fields {missing} are not fields")
        made.event_index = full
        if cannot_ignore is not None:
            made.cannot_ignore = cannot_ignore
        return made  # type: ignore[no-any-return]

    return decorate
