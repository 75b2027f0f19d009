"""``vlcp-shell``: the command registry, the renderer, script mode, the commands.

- ``Shell``: ``execute(line)``, ``run_script(lines, source)``; ``Context`` for
  handlers; ``split_commands`` for ``-c``;
- ``REGISTRY`` / ``command``: register a handler; ``CommandError``;
- ``render``, ``Table``, ``Lines``: one renderer for text and JSON;
- ``main``: the command line.
"""

from . import _cmd_core  # noqa: F401 (registers its commands)
from ._main import main, start_lab
from ._registry import REGISTRY, Command, CommandError, Registry, command
from ._render import Lines, Table, render, to_json
from ._shell import Context, Shell, split_commands

__all__ = [
    "REGISTRY",
    "Command",
    "CommandError",
    "Context",
    "Lines",
    "Registry",
    "Shell",
    "Table",
    "command",
    "main",
    "render",
    "split_commands",
    "start_lab",
    "to_json",
]
