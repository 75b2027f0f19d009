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
import types
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
        init = _fast_init(made)
        if init is not None:
            made.__init__ = init
        return made  # type: ignore[no-any-return]

    return decorate


def _fast_init(cls: Any) -> Callable[..., None] | None:
    """An ``__init__`` equal to the dataclass's but storing through the slots' member
    descriptors (a third faster: events are made per message).  ``None`` when the
    class uses what it does not handle: ``init=False``, ``kw_only``, default
    factories, init-only variables or ``__post_init__``."""
    if hasattr(cls, "__post_init__"):
        return None
    all_fields = cls.__dataclass_fields__.values()
    fields = dataclasses.fields(cls)
    if len(fields) != len(all_fields):  # InitVar or ClassVar pseudo-fields
        return None
    setters: dict[str, Any] = {}
    defaults: list[Any] = []
    for number, f in enumerate(fields):
        slot: Any = getattr(cls, f.name, None)
        if (not f.init or f.kw_only is True or f.default_factory is not dataclasses.MISSING
                or not isinstance(slot, types.MemberDescriptorType)):
            return None
        if f.default is not dataclasses.MISSING:
            defaults.append(f.default)
        elif defaults:
            return None
        setters[f"_set{number}"] = slot.__set__
    params = "".join(f", {f.name}" for f in fields)
    body = "".join(f"\n    _set{n}(self, {f.name})" for n, f in enumerate(fields)) or "\n    pass"
    namespace: dict[str, Any] = dict(setters)
    exec(f"def __init__(self{params}) -> None:{body}", namespace)  # noqa: S102
    init = namespace["__init__"]
    init.__defaults__ = tuple(defaults) or None
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__doc__ = cls.__init__.__doc__
    init.__annotations__ = dict(cls.__init__.__annotations__)
    return init  # type: ignore[no-any-return]
