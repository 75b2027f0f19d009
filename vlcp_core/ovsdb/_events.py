"""Event-core events of an OVSDB replica: a row inserted, modified or deleted.

Indexed by database, table and row UUID, so a program can wait for one row
(``EventMatcher(RowModified, table="Bridge", uuid=u)``) or every row of a table.
``row`` is the replica's ``Row`` (an immutable snapshot); ``RowModified.old`` holds
the previous values of only the columns that changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from ..event import Event, event

if TYPE_CHECKING:
    from ._replica import Row

__all__ = ["RowDeleted", "RowInserted", "RowModified"]


@event(index=("database", "table", "uuid"))
class RowInserted(Event):
    """A row appeared in the replica (inserted, or present in a monitor's first reply)."""

    database: str
    table: str
    uuid: UUID
    row: Row


@event(index=("database", "table", "uuid"))
class RowModified(Event):
    """A row changed: ``row`` is the new state, ``old`` the changed columns' old values."""

    database: str
    table: str
    uuid: UUID
    row: Row
    old: dict[str, Any]


@event(index=("database", "table", "uuid"))
class RowDeleted(Event):
    """A row left the replica; ``row`` is its last state."""

    database: str
    table: str
    uuid: UUID
    row: Row
