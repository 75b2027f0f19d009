"""``expect WHAT ...``: assertions that make command files double as tests.

One command, ``expect``, dispatches on its first word to a registry other command
modules extend::

    from ._expect import expectation

    @expectation("flows")
    def _flows(ctx: Context, args: list[str]) -> None:
        ...  # raise CommandError("...") when the expectation is not met

A handler gets the words after ``expect WHAT`` and returns nothing when the
expectation holds; otherwise it raises ``CommandError`` saying what was expected
and what was found (in a script: ``FILE:LINE: error: ...``, and the script fails).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

from ._registry import CommandError, command
from ._shell import Context

__all__ = ["EXPECTATIONS", "Expectation", "expectation"]

Expectation = Callable[[Context, list[str]], None]
EXPECTATIONS: dict[str, Expectation] = {}


def expectation(name: str) -> Callable[[Expectation], Expectation]:
    """Register *handler* as ``expect NAME ...``."""
    def register(handler: Expectation) -> Expectation:
        if name in EXPECTATIONS:
            raise ValueError(f"expectation {name!r} is registered twice")
        EXPECTATIONS[name] = handler
        return handler
    return register


@command("expect", "WHAT [ARGS...]", group="scripts")
def expect(ctx: Context, args: list[str]) -> Any:
    """Check a condition; fail (a script stops) with what was found when it does not hold.

    Kinds: ``expect flows SW count=N [MATCH]`` (as many flows as ``dump-flows SW
    MATCH`` shows), ``expect flow SW MATCH`` (a flow with exactly this match; its
    ``priority=`` and ``actions=`` too when given); others come with other command
    modules (``expect`` alone lists them).

    Example: expect flows s1 count=2 table=0
    """
    kinds = ", ".join(sorted(EXPECTATIONS)) or "none registered"
    if not args:
        raise CommandError(f"expect what? usage: expect WHAT [ARGS...] (kinds: {kinds})")
    handler = EXPECTATIONS.get(args[0])
    if handler is None:
        near = difflib.get_close_matches(args[0], list(EXPECTATIONS), n=1, cutoff=0.6)
        hint = f"did you mean {near[0]!r}?" if near else f"kinds: {kinds}"
        raise CommandError(f"unknown expectation {args[0]!r}; {hint}")
    handler(ctx, args[1:])
    return None
