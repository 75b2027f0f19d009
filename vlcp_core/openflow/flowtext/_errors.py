"""Errors in flow text: what was wrong, where (column), and what was probably meant."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["FlowSyntaxError", "suggest"]


class FlowSyntaxError(ValueError):
    """Flow text that cannot be read.

    ``column`` is 1-based in the text given to the parser; ``token`` the offending
    piece; ``hint`` an optional suggestion.  ``str()`` reads like
    ``unknown field "nw_dsst" at column 21 (did you mean nw_dst?)``.
    """

    def __init__(self, message: str, *, column: int, token: str = "", hint: str = "") -> None:
        self.message = message
        self.column = column
        self.token = token
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.message} at column {self.column}"
        return f"{text} ({self.hint})" if self.hint else text


def suggest(word: str, candidates: Iterable[str]) -> str:
    """``did you mean X?`` for the closest candidate, or an empty string."""
    close = difflib.get_close_matches(word.lower(), list(candidates), n=1, cutoff=0.75)
    return f"did you mean {close[0]}?" if close else ""
