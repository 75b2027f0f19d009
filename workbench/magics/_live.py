"""Live output in notebooks: a watch writes into the cell that started it.

A notebook sends a cell's output to the cell that runs at the time it is
written: a watch's lines, written later by the shell's printer thread, would
land in whatever cell runs then.  So when a watch starts (``Shell.open_stream``,
on the cell's own thread) a ``LiveArea`` displays an output of that cell with a
display id, and every batch of lines updates that output
(``DisplayHandle.update``, an ``update_display_data`` message naming the id)
from the printer thread; nothing is printed.  The area keeps the last lines
only (``VlcpMagics.watch_lines``), and says how many came before them.
"""

from __future__ import annotations

import html
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

from IPython import display as ipython_display

__all__ = ["LiveArea"]

_display: Callable[..., Any] = ipython_display.display


class LiveArea:
    """An output of the current cell that ``write`` (any thread) appends lines to."""

    def __init__(self, title: str, keep: int) -> None:
        self.title = title
        self.lines: deque[str] = deque(maxlen=max(1, keep))
        self.total = 0
        self._lock = threading.Lock()  # updates go out in the order of the lines
        handle = _display(self._bundle(), raw=True, display_id=True)
        if handle is None:
            raise RuntimeError("IPython gave no display handle")
        self.handle: Any = handle

    @property
    def display_id(self) -> str:
        return str(self.handle.display_id)

    def _bundle(self) -> dict[str, str]:
        earlier = self.total - len(self.lines)
        head = f"{self.title}: " + (f"{self.total} line(s)" if self.total else
                                    "waiting for events")
        if earlier:
            head += f", the last {len(self.lines)} shown"
        body = "\n".join(self.lines)
        return {"text/plain": head + ("\n" + body if body else ""),
                "text/html": f'<div style="font-weight:bold">{html.escape(head)}</div>'
                             f'<pre style="margin:0">{html.escape(body)}</pre>'}

    def write(self, text: str) -> None:
        with self._lock:
            new = text.splitlines()
            self.lines.extend(new)
            self.total += len(new)
            self.handle.update(self._bundle(), raw=True)
