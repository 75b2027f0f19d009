"""The shell's engine: one line in, a command run, its data rendered out.

``Shell.execute(line)`` splits the line into shell words, finds the command,
calls its handler with a ``Context`` and renders what it returns.  Every error
becomes one ``error: ...`` message (``FILE:LINE: error: ...`` in scripts): nothing
a user types ends the shell.  ``run_script`` runs lines from a file or ``-c``
and returns the exit status (0, or 1 at the first failure unless told to go on).
"""

from __future__ import annotations

import shlex
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO

from vlcp_core.controller import OpenFlowError, SwitchGoneError
from vlcp_core.namedstruct import ParseError
from vlcp_core.openflow import FlowSyntaxError
from vlcp_core.ovsdb import OvsdbConnectionError, OvsdbError, TransactionError

from ..runtime import Runtime, RuntimeNotRunningError, UnknownSwitchError
from ._registry import REGISTRY, CommandError, Registry
from ._render import render

__all__ = ["Context", "Shell", "describe_error", "split_commands"]

# Errors a command may raise that are the user's or the network's, not a bug.
EXPECTED = (CommandError, ValueError, LookupError, TimeoutError, OSError, OpenFlowError,
            SwitchGoneError, ParseError, FlowSyntaxError, OvsdbError, OvsdbConnectionError,
            TransactionError, RuntimeNotRunningError, UnknownSwitchError)


@dataclass
class Context:
    """What a handler gets: the runtime, the shell's options, output, where it runs."""

    runtime: Runtime
    shell: Shell
    options: dict[str, Any] = field(default_factory=dict)
    source: str = "<stdin>"
    line: int = 0
    rest: str = ""  # the line after the command's name, quotes kept (for expressions)

    def call(self, awaitable: Any, timeout: float | None = None) -> Any:
        """Run *awaitable* on the controller's loop and return its result."""
        return self.runtime.call(awaitable, timeout if timeout is not None
                                 else float(self.options.get("timeout", 10.0)))

    def switch(self, name: str) -> Any:
        return self.runtime.switch(name)

    def write(self, text: str) -> None:
        """Output now (for commands that show progress before they return)."""
        self.shell.write(text)


def split_commands(text: str) -> list[str]:
    """``-c "cmd; cmd"``: split on semicolons outside quotes."""
    parts: list[str] = []
    current: list[str] = []
    quote = ""
    for char in text:
        if quote:
            current.append(char)
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
            current.append(char)
        elif char == ";":
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


class Shell:
    """Runs commands against a runtime and writes what they return."""

    def __init__(self, runtime: Runtime, *, out: TextIO | None = None, fmt: str = "text",
                 registry: Registry = REGISTRY) -> None:
        self.runtime = runtime
        self.out = out if out is not None else sys.stdout
        self.fmt = fmt
        self.registry = registry
        self.options: dict[str, Any] = {"timeout": 10.0, "watch_rate": 20}
        self.state: dict[str, Any] = {}  # per-command-module state (watches, captures...)
        self.on_exit: list[Callable[[], None]] = []
        # Output that outlives its command (a watch's lines, written later from
        # another thread) goes to the writer open_stream returns; None: to write.
        # IPython sets it so that a watch writes into the cell that started it.
        self.stream_opener: Callable[[str], Callable[[str], None]] | None = None
        self._write_lock = threading.Lock()

    def write(self, text: str) -> None:
        """Output *text* now; safe from any thread (watches print from their own)."""
        with self._write_lock:
            self.out.write(text)
            self.out.flush()

    def open_stream(self, name: str) -> Callable[[str], None]:
        """The writer for *name* (``watch 3``), asked on the command's thread."""
        opener = self.stream_opener
        return self.write if opener is None else opener(name)

    def evaluate(self, line: str, *, source: str = "<stdin>", number: int = 0) -> Any:
        """Run one command line and return its data unrendered (an iterator is left
        to the caller); raises what the command raises (``describe_error`` words it)."""
        try:
            words = shlex.split(line, comments=True)
        except ValueError as exc:
            raise CommandError(f"cannot split the line: {exc}") from None
        if not words:
            return None
        parts = line.strip().split(None, 1)
        context = Context(self.runtime, self, self.options, source, number,
                          parts[1] if len(parts) > 1 else "")
        return self.registry.get(words[0]).handler(context, words[1:])

    def execute(self, line: str, *, source: str = "<stdin>", number: int = 0) -> bool:
        """Run one command line; False (after showing the error) when it failed."""
        try:
            for chunk in render(self.evaluate(line, source=source, number=number), self.fmt):
                self.write(chunk)
        except Exception as exc:  # expected ones, and bugs: say so, keep the shell
            self._error(describe_error(exc, line), source, number)
            return False
        return True

    def _error(self, message: str, source: str, number: int) -> None:
        where = f"{source}:{number}: " if number else ""
        sys.stderr.write(f"{where}error: {message}\n")
        sys.stderr.flush()

    def run_script(self, lines: Iterable[str], source: str, *, keep_going: bool = False
                   ) -> int:
        """Run *lines* (a file's, or ``-c``'s commands); 0, or 1 after a failure."""
        status = 0
        for number, line in enumerate(lines, 1):
            if not self.execute(line, source=source, number=number):
                status = 1
                if not keep_going:
                    break
        return status

    def close(self) -> None:
        for callback in reversed(self.on_exit):
            try:
                callback()
            except Exception:
                pass


def describe_error(exc: BaseException, line: str) -> str:
    """The message ``execute`` shows for *exc*, raised while running *line*."""
    if isinstance(exc, EXPECTED):
        return _message(exc)
    words = line.split(None, 1)
    return f"internal error in {words[0] if words else ''!r}: {type(exc).__name__}: {exc}"


def _message(exc: BaseException) -> str:
    if isinstance(exc, KeyError) and exc.args:
        return str(exc.args[0])
    if isinstance(exc, TimeoutError) and not str(exc):
        return "timed out"
    return str(exc) or type(exc).__name__
