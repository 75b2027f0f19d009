"""Process liveness from ``/proc``, robust against zombies and pid reuse.

``kill -0`` says a zombie is alive, and a recycled pid looks like the process
we started: instead we read ``/proc/PID/stat`` and compare its state and its
start time (clock ticks since boot, field 22).
"""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ProcessInfo", "kill_and_wait", "pid_alive", "process_cmdline", "process_info"]

_DEAD_STATES = frozenset("ZXx")


@dataclass(frozen=True)
class ProcessInfo:
    """State letter (``R``, ``S``, ``Z``...) and start time of one process."""

    pid: int
    state: str
    start_time: int


def process_info(pid: int) -> ProcessInfo | None:
    """What ``/proc/PID/stat`` says about ``pid``, or ``None`` if there is no such process."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # The command name (field 2) is in parentheses and may contain anything,
    # including ") ": the fields we want follow the *last* parenthesis.
    fields = text[text.rfind(")") + 2 :].split()
    try:
        return ProcessInfo(pid=pid, state=fields[0], start_time=int(fields[19]))
    except (IndexError, ValueError):
        return None


def pid_alive(pid: int, start_time: int | None = None) -> bool:
    """Whether process ``pid`` exists and is not a zombie.

    Args:
        pid: the process id.
        start_time: if given, the process must also have this start time
            (field 22 of ``/proc/PID/stat``), so that a recycled pid does not
            count as the process we mean.

    Returns:
        ``True`` for a live process (running, sleeping, stopped...), ``False``
        for a missing, zombie, dead or different process.

    Example:
        >>> pid_alive(os.getpid())
        True
    """
    info = process_info(pid)
    if info is None or info.state in _DEAD_STATES:
        return False
    return start_time is None or info.start_time == start_time


def process_cmdline(pid: int) -> list[str]:
    """The argument vector of ``pid`` (empty if it is gone or a zombie)."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def kill_and_wait(pid: int, start_time: int | None = None, timeout: float = 3.0) -> bool:
    """SIGKILL a process that is not our child and wait until it is no longer alive.

    A zombie counts as gone: its parent (or init) reaps it, not us.

    Returns:
        ``True`` if the process is gone (or was already), ``False`` on timeout.
    """
    if not pid_alive(pid, start_time):
        return True
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return True
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_alive(pid, start_time):
            return True
        time.sleep(0.02)
    return not pid_alive(pid, start_time)
