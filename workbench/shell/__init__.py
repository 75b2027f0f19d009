"""``vlcp-shell``: the command registry, the renderer, script mode, the commands.

- ``Shell``: ``execute(line)``, ``run_script(lines, source)``; ``Context`` for
  handlers; ``split_commands`` for ``-c``;
- ``REGISTRY`` / ``command``: register a handler; ``CommandError``;
- ``render``, ``Table``, ``Lines``: one renderer for text and JSON;
- ``attach(shell)``: record the OpenFlow channel (``last``, ``log``, ``capture``);
  ``describe_error(exc, line)``: the one-line message the shell shows for an error;
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
from ._cmd_decode import attach
from ._main import main, start_lab
from ._registry import REGISTRY, Command, CommandError, Registry, command
from ._render import Lines, Table, render, to_json
from ._shell import Context, Shell, describe_error, split_commands

__all__ = [
    "REGISTRY",
    "Command",
    "CommandError",
    "Context",
    "Lines",
    "Registry",
    "Shell",
    "Table",
    "attach",
    "command",
    "describe_error",
    "main",
    "render",
    "split_commands",
    "start_lab",
    "to_json",
]
