"""``vlcp-shell``: the command registry, the renderer, script mode, the commands.

- ``Shell``: ``execute(line)``, ``run_script(lines, source)``; ``Context`` for
  handlers; ``split_commands`` for ``-c``;
- ``REGISTRY`` / ``command``: register a handler; ``CommandError``;
- ``render``, ``Table``, ``Lines``: one renderer for text and JSON;
- ``main``: the command line.
"""

# Each command module registers its commands when imported.
from . import (  # noqa: F401
    _cmd_core,
    _cmd_decode,
    _cmd_flows,
    _cmd_groups,
    _cmd_lab,
    _cmd_messages,
    _cmd_ovsdb,
    _cmd_vsctl,
    _cmd_watch,
)
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
