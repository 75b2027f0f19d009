"""Polling until a condition holds: switch state (flow counters, connections) lags."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

__all__ = ["wait_for"]

T = TypeVar("T")


def wait_for(
    condition: Callable[[], T | None],
    *,
    timeout: float = 5.0,
    interval: float = 0.05,
    message: str = "condition",
) -> T:
    """Call ``condition`` until it returns something truthy, and return that.

    Use this instead of sleep-then-assert: OVS flow counters, for example,
    are refreshed about once a second.

    Args:
        condition: called repeatedly; exceptions propagate.
        timeout: seconds before giving up.
        interval: seconds between calls.
        message: what is awaited, for the error message.

    Returns:
        The first truthy value.

    Raises:
        TimeoutError: still falsy after ``timeout`` seconds.

    Example:
        >>> wait_for(lambda: 42)
        42
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise TimeoutError(
                f"timed out after {timeout:g} s waiting for {message} (last value: {value!r})"
            )
        time.sleep(interval)
