"""The interactive layer of vlcp workbench.

Built on top of ``vlcp_core``: the runtime thread that hosts the controller
core, the shell, the command registry, the Open vSwitch lab and the IPython
magics (``%load_ext workbench``; importing ``workbench`` itself imports none
of them).
"""

from typing import Any

__all__ = ["load_ipython_extension", "unload_ipython_extension"]


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext workbench``: the ``%vlcp`` magics (``workbench.magics``)."""
    from .magics import load_ipython_extension as load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    """``%unload_ext workbench``: stop the runtime and its lab, remove the magics."""
    from .magics import unload_ipython_extension as unload

    unload(ipython)
