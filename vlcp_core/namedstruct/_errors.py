"""Errors raised by namedstruct.

Every error that concerns a value carries a *path*: the struct name followed by
the field names and array indices that lead to the failing field, for example
``ofp_flow_mod.match.oxm_fields[3].value``.  Paths are assembled while the
exception propagates (each level pushes its own segment), so a successful parse
pays nothing for them.
"""

from __future__ import annotations

__all__ = [
    "BuildError",
    "DefinitionError",
    "LengthError",
    "NamedStructError",
    "ParseError",
    "TrailingDataError",
    "TruncatedError",
]


class NamedStructError(Exception):
    """Base class of the errors that concern a value at a path."""

    def __init__(self, reason: str, *, offset: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.offset = offset
        # Segments are pushed innermost first while the exception propagates.
        self._segments: list[str] = []

    def push(self, segment: str) -> None:
        """Prefix the path with *segment* (a field name or ``[index]``)."""
        self._segments.append(segment)

    @property
    def path(self) -> str:
        """The dotted path of the failing field, e.g. ``ofp_match.oxm_fields[1].value``."""
        text = ""
        for segment in reversed(self._segments):
            if segment.startswith("[") or not text:
                text += segment
            else:
                text += "." + segment
        return text

    def __str__(self) -> str:
        where = self.path or "<value>"
        if self.offset is not None:
            return f"{where}: {self.reason} (at offset {self.offset})"
        return f"{where}: {self.reason}"


class ParseError(NamedStructError):
    """The bytes do not decode as the expected type."""


class TruncatedError(ParseError):
    """A field needs more bytes than its enclosing structure has.

    ``incomplete`` is true when the shortage is at the open end of the input
    buffer (more data could still arrive), false when it is inside a structure
    whose size is already known (the data is malformed).
    """

    def __init__(self, reason: str, *, offset: int | None = None, incomplete: bool = False) -> None:
        super().__init__(reason, offset=offset)
        self.incomplete = incomplete


class LengthError(ParseError):
    """A length or count field holds a value that cannot be right."""


class TrailingDataError(ParseError):
    """``create()`` was given more bytes than one value uses."""


class BuildError(NamedStructError):
    """A value cannot be serialized (wrong type, out of range, wrong length)."""


class DefinitionError(Exception):
    """A struct definition is inconsistent (raised when the definition is made)."""
