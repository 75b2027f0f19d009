"""The event core: indexed events, matchers, class-based queues, on asyncio.

- ``Event`` / ``@event(index=...)``: frozen, slotted event classes with index fields;
- ``EventMatcher(cls, predicate=None, **index_values)``: selects events (subclasses
  too; missing index values are wildcards) through an index whose cost does not
  grow with the number of waiting matchers;
- ``EventQueue``: a tree of queues like Linux tc class-based queueing (priorities,
  round robin, limits with back-pressure, per-key fairness, blocking for
  ``cannot_ignore`` events);
- ``Scheduler``: delivers queued events to waiting coroutines (``wait_event``
  returns a future, registered at once) and callbacks (``on``); timers,
  ``run_with_timeout``, ``run_until_event``, ``wait_drained``, ``spawn``;
  ``statistics()`` everywhere;
- ``ManualClock``: time that only moves when a test says so.
"""

from ._clock import Clock, LoopClock, ManualClock
from ._event import Event, event
from ._matcher import EventMatcher, MatcherTree
from ._queue import EventQueue, QueueFull, QueueStatistics
from ._scheduler import QueueEmptyEvent, Scheduler, SchedulerStatistics, TimerEvent

__all__ = [
    "Clock",
    "Event",
    "EventMatcher",
    "EventQueue",
    "LoopClock",
    "ManualClock",
    "MatcherTree",
    "QueueEmptyEvent",
    "QueueFull",
    "QueueStatistics",
    "Scheduler",
    "SchedulerStatistics",
    "TimerEvent",
    "event",
]
