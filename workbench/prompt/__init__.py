"""The interactive face of ``vlcp-shell``, on prompt_toolkit (``workbench.shell`` is the engine).

- ``run_prompt(shell)``: the prompt: history, suggestions, completion, highlighting,
  a bottom toolbar, watch output above the line, Ctrl-C and Ctrl-D;
- ``Config``, ``load_config``, ``parse_config``: the settings file (``vlcpshellrc``);
- ``VlcpLexer``: the pygments lexer of the command language (also the ``vlcp``
  pygments plugin);
- ``VlcpCompleter``, ``CompletionData``, ``CompletionRefresher``, ``snapshot``:
  completion from a snapshot of the controller's state refreshed in the background.

The names are loaded on first use: pygments loading the lexer, or ``vlcp-shell -c``,
never pays for prompt_toolkit.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._app import run_prompt
    from ._completion import VlcpCompleter
    from ._config import Config, load_config, parse_config
    from ._lexer import VlcpLexer
    from ._snapshot import CompletionData, CompletionRefresher, snapshot

__all__ = [
    "CompletionData",
    "CompletionRefresher",
    "Config",
    "VlcpCompleter",
    "VlcpLexer",
    "load_config",
    "parse_config",
    "run_prompt",
    "snapshot",
]

_HOMES = {"run_prompt": "_app", "Config": "_config", "load_config": "_config",
          "parse_config": "_config", "VlcpLexer": "_lexer", "CompletionData": "_snapshot",
          "CompletionRefresher": "_snapshot", "VlcpCompleter": "_completion",
          "snapshot": "_snapshot"}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    # (not cached in the module: the import system already keeps the submodule)
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)


def __dir__() -> list[str]:
    return sorted({*vars(sys.modules[__name__]), *__all__})
