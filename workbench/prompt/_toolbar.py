"""The bottom toolbar: switches connected, watches and their skipped events, the lab.

It is redrawn while the user types (and every second), on the prompt's thread,
so it only reads what is at hand: the controller's table of switches, the
shell's watches (``shell.state["watch"]["watches"]``, see ``_cmd_watch``) and
the runtime's lab.  It never calls into the controller's loop, so a busy or
stuck network never delays a keystroke.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from prompt_toolkit.formatted_text import StyleAndTextTuples

if TYPE_CHECKING:
    from ..shell import Shell

__all__ = ["Fragments", "toolbar_fragments"]

Fragments = StyleAndTextTuples  # prompt_toolkit's (style, text) pairs
SHOWN_NAMES = 4


def _switches(shell: Shell) -> Fragments:
    controller = shell.runtime.controller
    if controller is None:
        return [("class:toolbar.off", "controller stopped")]
    try:
        datapaths = list(controller.switches)
    except RuntimeError:  # the table changed while read: the next redraw shows it
        datapaths = []
    if not datapaths:
        return [("class:toolbar.off", "no switch connected")]
    names = sorted(shell.runtime.names.name(d) for d in datapaths)
    shown = " ".join(names[:SHOWN_NAMES])
    more = f" +{len(names) - SHOWN_NAMES}" if len(names) > SHOWN_NAMES else ""
    word = "switch" if len(names) == 1 else "switches"
    return [("class:toolbar", f"{len(names)} {word}: "),
            ("class:toolbar.on", shown + more)]


def _watches(shell: Shell) -> Fragments:
    state: dict[str, Any] = shell.state.get("watch", {})
    found = state.get("watches")
    if found is None:
        return [("class:toolbar", "no watch")]
    with found.lock:
        items = list(found.items.values())
    if not items:
        return [("class:toolbar", "no watch")]
    skipped = sum(int(item.skipped) for item in items)
    word = "watch" if len(items) == 1 else "watches"
    parts: Fragments = [("class:toolbar", f"{len(items)} {word}")]
    if skipped:
        parts.append(("class:toolbar.warn", f" ({skipped} skipped)"))
    return parts


def _lab(shell: Shell) -> Fragments:
    lab = shell.runtime.lab
    if lab is None:
        return [("class:toolbar", "no lab")]
    try:
        running = lab.running
        name = lab.dir.name
    except Exception:  # a lab being torn down
        return [("class:toolbar.off", "lab stopping")]
    if not running:
        return [("class:toolbar.off", f"lab {name} stopped")]
    return [("class:toolbar", "lab "), ("class:toolbar.on", name)]


def toolbar_fragments(shell: Shell) -> Fragments:
    """The toolbar's text now, as prompt_toolkit formatted-text fragments."""
    separator = ("class:toolbar", "  |  ")
    parts: Fragments = [("class:toolbar", " ")]
    for section in (_switches(shell), _watches(shell), _lab(shell)):
        if len(parts) > 1:
            parts.append(separator)
        parts.extend(section)
    parts.append(("class:toolbar", "  |  Ctrl-D exits "))
    return parts
