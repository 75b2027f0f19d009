"""The IPython extension's entry points (``workbench.load_ipython_extension`` calls
these): register the magics once per shell; unregister them, stopping the runtime."""

from __future__ import annotations

from typing import Any

from ..runtime import Runtime
from ._magics import VlcpMagics

__all__ = ["current_runtime", "load_ipython_extension", "unload_ipython_extension"]


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext workbench``: register ``%vlcp``/``%%vlcp`` and their settings."""
    if ipython.magics_manager.registry.get("VlcpMagics") is None:
        ipython.register_magics(VlcpMagics(shell=ipython))  # joins shell.configurables


def unload_ipython_extension(ipython: Any) -> None:
    """``%unload_ext workbench``: stop the runtime and its lab, remove the magics."""
    magics = ipython.magics_manager.registry.pop("VlcpMagics", None)
    if magics is None:
        return
    try:
        magics.close()
    finally:
        for kind in ("line", "cell"):
            table = ipython.magics_manager.magics[kind]
            if getattr(table.get("vlcp"), "__self__", None) is magics:
                del table["vlcp"]
        if magics in ipython.configurables:
            ipython.configurables.remove(magics)


def current_runtime() -> Runtime:
    """The runtime behind ``%vlcp`` in this IPython session, started if need be: for
    Python cells (``current_runtime().controller``, ``.call(...)``, ``.lab``)."""
    from IPython import get_ipython

    ipython = get_ipython()
    magics = ipython.magics_manager.registry.get("VlcpMagics") if ipython is not None \
        else None
    if magics is None:
        raise RuntimeError("the workbench extension is not loaded: %load_ext workbench")
    runtime: Runtime = magics.start_runtime()
    return runtime
