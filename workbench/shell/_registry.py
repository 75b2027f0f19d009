"""The command registry: one table of commands; handlers return data.

A command module registers handlers with ``@command("add-flow", "SW FLOW")``.  A
handler takes the ``Context`` and the command's arguments (shell words, quotes
removed) and returns data for the renderer (``_render``): ``None``, a string, a
``Table``, ``Lines``, a dict or list (a tree), or an iterator of any of those
(shown as it arrives).  It raises ``CommandError`` (or ``ValueError``,
``LookupError``, the library's own errors) with a message naming what is wrong;
the shell shows it and goes on.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["REGISTRY", "Command", "CommandError", "Handler", "Registry", "command"]

Handler = Callable[..., Any]  # (context, args: list[str]) -> data


class CommandError(Exception):
    """A command cannot do what was asked; the message says why."""


@dataclass(frozen=True)
class Command:
    name: str
    handler: Handler
    usage: str  # the arguments, e.g. "SW FLOW"
    summary: str  # the docstring's first line
    doc: str  # the rest: details and examples
    group: str


class Registry:
    def __init__(self) -> None:
        self._commands: dict[str, Command] = {}

    def command(self, name: str, usage: str = "", *, group: str = "general"
                ) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            if name in self._commands:
                raise ValueError(f"command {name!r} is registered twice")
            text = (handler.__doc__ or "").strip()
            summary, _, doc = text.partition("\n")
            self._commands[name] = Command(name, handler, usage, summary.strip(),
                                           _dedent(doc), group)
            return handler
        return register

    def get(self, name: str) -> Command:
        found = self._commands.get(name)
        if found is None:
            near = difflib.get_close_matches(name, list(self._commands), n=1, cutoff=0.6)
            hint = f"; did you mean {near[0]!r}?" if near else "; 'help' lists them"
            raise CommandError(f"unknown command {name!r}{hint}")
        return found

    def names(self) -> list[str]:
        return sorted(self._commands)

    def commands(self) -> list[Command]:
        return [self._commands[name] for name in self.names()]

    def __contains__(self, name: str) -> bool:
        return name in self._commands


def _dedent(text: str) -> str:
    lines = text.splitlines()
    indents = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
    cut = min(indents, default=0)
    return "\n".join(line[cut:] for line in lines).strip("\n")


REGISTRY = Registry()
command = REGISTRY.command
