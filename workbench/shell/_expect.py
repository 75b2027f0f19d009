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
``within(args)`` reads ``within 2s`` among the words, and ``eventually(args,
check)`` retries a check until it holds or that time is up.
"""

from __future__ import annotations

import difflib
import time
from collections.abc import Callable
from typing import Any

from ._registry import CommandError, command
from ._shell import Context

__all__ = ["EXPECTATIONS", "Expectation", "eventually", "expectation", "within"]

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


def within(args: list[str], default: float = 0.0) -> tuple[list[str], float]:
    """``within 2s`` (``500ms``, ``1.5``; or ``within=2s``) among *args*: the other
    words, and how long a check may wait (*default* without one)."""
    words = [part for word in args for part in (
        ["within", word[7:]] if word.startswith("within=") else [word])]
    if "within" not in words:
        return words, default
    at = words.index("within")
    if at + 1 >= len(words) or not words[at + 1]:
        raise CommandError("within needs a time: within 2s")
    text = words[at + 1]
    scale = 0.001 if text.endswith("ms") else 1.0
    try:
        seconds = float(text.removesuffix("ms").removesuffix("s")) * scale
    except ValueError:
        raise CommandError(f"within {text!r}: a time is like 2s, 500ms or 1.5") from None
    if seconds < 0:
        raise CommandError(f"within {text!r}: a time cannot be negative")
    return words[:at] + words[at + 2:], seconds


def eventually(args: list[str], check: Callable[[list[str]], str | None]) -> None:
    """Run *check* on the words of *args* (``within`` taken out) until it returns
    None (the expectation holds) or the time is up; then its last finding is the
    error."""
    words, seconds = within(args)
    deadline = time.monotonic() + seconds
    while True:
        problem = check(words)
        if problem is None:
            return
        if time.monotonic() >= deadline:
            raise CommandError(problem + (f" (waited {seconds:g} s)" if seconds else ""))
        time.sleep(0.05)


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
