"""IPython magics: ``%load_ext workbench``, then ``%vlcp COMMAND`` and ``%%vlcp``.

- ``VlcpMagics``: the magics and their settings (``%config VlcpMagics``);
- ``Result``: what ``%vlcp`` returns (HTML, text, ``to_json``, ``to_dataframe``);
- ``VlcpError``: a command failed (shown without a traceback);
- ``expand``, ``ExpandError``: the ``$name`` / ``{expression}`` rules;
- ``LiveArea``: a cell's output that a watch updates from its thread;
- ``current_runtime()``: the runtime behind ``%vlcp``, for Python cells;
- ``load_ipython_extension``, ``unload_ipython_extension``.

See docs/notebooks.md.
"""

from ._expand import ExpandError, expand
from ._extension import current_runtime, load_ipython_extension, unload_ipython_extension
from ._live import LiveArea
from ._magics import VlcpError, VlcpMagics
from ._result import Result

__all__ = ["ExpandError", "LiveArea", "Result", "VlcpError", "VlcpMagics", "current_runtime",
           "expand", "load_ipython_extension", "unload_ipython_extension"]
