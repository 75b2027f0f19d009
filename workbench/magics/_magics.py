"""``%vlcp`` and ``%%vlcp``: the shell's commands in IPython and Jupyter.

Theory of operation
-------------------
``VlcpMagics`` owns one ``Shell`` on one ``Runtime``, made on the first command
that needs them (every command but ``help``): the runtime thread starts, listens
(``listen``), records the OpenFlow channel (for ``last``, ``explain last``...),
connects to OVSDB (``ovsdb``) and starts a lab (``lab``) as ``vlcp-shell`` does.
They stop, lab and all, when the extension is unloaded or the process ends (the
kernel's exit runs ``atexit``).

A line runs through ``Shell.evaluate``: the command's data, not its text, comes
back (streamed items collected) as a ``Result``; a failure raises ``VlcpError``,
which IPython shows as its message alone.  A cell runs its lines in order like a
command file, showing each result, and stops at the first failure
(``cell:LINE: error: ...``).  ``$name`` and ``{expression}`` are expanded by
``_expand`` in both.  Errors of the runtime's thread are kept and shown (on
stderr) with the next command, in that command's cell, never from the thread.
"""

from __future__ import annotations

import atexit
import sys
from collections import ChainMap, deque
from collections.abc import Callable, Mapping
from typing import Any, TextIO, cast

from IPython import display as ipython_display
from IPython.core.magic import (
    Magics,
    line_cell_magic,
    magics_class,
    needs_local_scope,
    no_var_expand,
)
from traitlets import Bool, Enum, Float, Int, List, Unicode, observe

from ..runtime import Runtime
from ..shell import Shell, attach, describe_error
from ._expand import ExpandError, expand
from ._live import LiveArea
from ._result import FORMATS, Result

__all__ = ["VlcpError", "VlcpMagics"]

_NO_RUNTIME = {"help"}  # commands that work before the runtime starts
_display: Callable[..., Any] = ipython_display.display


class VlcpError(Exception):
    """A ``%vlcp`` command failed; IPython shows the message, not a traceback."""

    def _render_traceback_(self) -> list[str]:
        return [f"\x1b[0;31m{line}\x1b[0m" for line in str(self).splitlines()]


class _Stdout:
    """``sys.stdout`` as it is when written to (IPython and pytest replace it)."""

    def write(self, text: str) -> int:
        return sys.stdout.write(text)

    def flush(self) -> None:
        sys.stdout.flush()


def _address(listener: Any) -> str:
    address = listener.address
    return address if isinstance(address, str) else ":".join(map(str, address[:2]))


@magics_class
class VlcpMagics(Magics):
    """``%vlcp COMMAND`` runs one ``vlcp-shell`` command and returns a ``Result``;
    ``%%vlcp`` runs a cell of them.  Settings: ``%config VlcpMagics``."""

    listen = List(Unicode(), default_value=["127.0.0.1:0"], help=(
        "Where switches connect, HOST:PORT or unix:PATH (the lab uses the first); "
        "port 0 picks a free one. Read when the runtime starts.")).tag(config=True)
    ovsdb = Unicode("", help=(
        "An OVSDB server to connect to when the runtime starts: unix:PATH, tcp:IP:PORT, "
        "ssl:IP:PORT (empty: none).")).tag(config=True)
    lab = Bool(False, help=(
        "Start a private Open vSwitch lab with the runtime (like vlcp-shell --lab); "
        "'%vlcp lab start' starts one at any time.")).tag(config=True)
    lab_bridges = Int(1, min=1, max=64, help="Bridges s1..sN of that lab.").tag(config=True)
    lab_ports = Int(4, min=0, max=64, help="Ports per bridge of that lab.").tag(config=True)
    timeout = Float(10.0, min=0.001, help=(
        "Seconds a command may wait for a switch (the shell's 'timeout').")).tag(config=True)
    watch_rate = Int(20, min=1, help=(
        "Lines a watch shows per second; past it events are counted as skipped."
    )).tag(config=True)
    watch_lines = Int(50, min=1, help=(
        "Lines a watch's output area keeps (the last ones).")).tag(config=True)
    watch_output = Enum(["auto", "display", "print"], default_value="auto", help=(
        "Where watch lines go: 'display' updates an output of the cell that started the "
        "watch; 'print' writes them to stdout; 'auto': display in a kernel (Jupyter), "
        "print in a terminal.")).tag(config=True)
    format = Enum(list(FORMATS), default_value="rich", help=(
        "How results show: 'rich' (HTML in notebooks, text elsewhere), 'text' (the "
        "shell's text only), 'json' (the shell's --json).")).tag(config=True)

    def __init__(self, shell: Any = None, **kwargs: Any) -> None:
        self._shell: Shell | None = None  # first: loading the config notifies observers
        self._errors: deque[str] = deque(maxlen=100)  # of the runtime's thread
        super().__init__(shell=shell, **kwargs)

    # -- life --------------------------------------------------------------------------
    @property
    def runtime(self) -> Runtime | None:
        """The runtime, while it runs (a command starts it)."""
        shell = self._shell
        return shell.runtime if shell is not None and shell.runtime.running else None

    def start_runtime(self) -> Runtime:
        """The runtime, started (with the lab, per the settings) if it is not running."""
        return self._get_shell("switches").runtime

    def _get_shell(self, name: str) -> Shell:
        if self._shell is None:
            shell = Shell(Runtime(on_error=self._errors.append),
                          out=cast(TextIO, _Stdout()))
            shell.options.update(timeout=self.timeout, watch_rate=self.watch_rate)
            shell.stream_opener = lambda name: self._open_stream(shell, name)
            self._shell = shell
        if name not in _NO_RUNTIME and not self._shell.runtime.running:
            self._start(self._shell)
        return self._shell

    def _start(self, shell: Shell) -> None:
        runtime = shell.runtime
        try:
            runtime.start()
            atexit.register(self.close)  # after the runtime's own: runs before it
            for text in self.listen:
                try:
                    runtime.listen_at(text)
                except (ValueError, OSError) as exc:
                    raise VlcpError(f"error: cannot listen on {text}: {exc} "
                                    f"(%config VlcpMagics.listen = [...] chooses another)"
                                    ) from None
            attach(shell)  # record the OpenFlow channel from the start
            if self.ovsdb:
                runtime.connect_ovsdb(self.ovsdb)
            if self.lab:
                self._run(shell, f"lab start --bridges {self.lab_bridges} "
                                 f"--ports {self.lab_ports}", "", 0)
        except VlcpError:
            self.close()
            raise
        except Exception as exc:
            self.close()
            raise VlcpError(f"error: the runtime did not start: {describe_error(exc, '')}"
                            ) from None

    def close(self) -> None:
        """Stop the watches, the runtime and its lab (a later command starts anew)."""
        shell, self._shell = self._shell, None
        atexit.unregister(self.close)
        if shell is not None:
            try:
                shell.close()
            finally:
                shell.runtime.stop()

    @observe("timeout", "watch_rate")
    def _option_changed(self, change: Mapping[str, Any]) -> None:
        if self._shell is not None:
            self._shell.options[str(change["name"])] = change["new"]

    def _open_stream(self, shell: Shell, name: str) -> Callable[[str], None]:
        mode = self.watch_output
        if mode == "auto":
            mode = "display" if getattr(self.shell, "kernel", None) is not None else "print"
        return shell.write if mode == "print" else LiveArea(name, self.watch_lines).write

    # -- running -----------------------------------------------------------------------
    def _show_errors(self) -> None:
        while self._errors:
            sys.stderr.write(f"controller: {self._errors.popleft()}\n")
        sys.stderr.flush()

    def _run(self, shell: Shell, text: str, source: str, number: int) -> Any:
        """The data of command *text*, collected; VlcpError when it fails."""
        where = f"{source}:{number}: " if source else ""
        try:
            return Result(text, shell.evaluate(text, source=source or "<vlcp>",
                                               number=number), self.format)
        except Exception as exc:
            raise VlcpError(f"{where}error: {describe_error(exc, text)}") from None
        finally:
            self._show_errors()

    def _command(self, raw: str, namespace: Mapping[str, Any], source: str = "",
                 number: int = 0) -> Result | None:
        """Expand and run one line: its Result, or None when it returned nothing."""
        where = f"{source}:{number}: " if source else ""
        try:
            text = expand(raw, namespace).strip()
        except ExpandError as exc:
            raise VlcpError(f"{where}error: {exc}") from None
        words = text.split(None, 1)
        if not words or words[0].startswith("#"):
            return None
        result = self._run(self._get_shell(words[0]), text, source, number)
        return result if result.parts else None

    def status(self) -> dict[str, Any]:
        """The runtime, where it listens, the switches, OVSDB, the lab, the settings."""
        runtime = self.runtime
        info: dict[str, Any] = {"runtime": "running" if runtime is not None and
                                runtime.running else "not started (a command starts it)"}
        if runtime is not None and runtime.running and runtime.controller is not None:
            controller, names = runtime.controller, runtime.names
            info["listening"] = [_address(item) for item in controller.listeners]
            info["switches"] = runtime.call_sync(
                lambda: sorted(names.name(d) for d in controller.switches))
            info["ovsdb"] = runtime.ovsdb.target if runtime.ovsdb is not None else None
            info["lab"] = str(runtime.lab.dir) if runtime.lab is not None else None
        info["settings"] = {name: getattr(self, name)
                            for name in sorted(self.trait_names(config=True))}
        return info

    @no_var_expand
    @needs_local_scope
    @line_cell_magic
    def vlcp(self, line: str, cell: str | None = None,
             local_ns: dict[str, Any] | None = None) -> Result | None:
        """Run vlcp-shell commands: ``%vlcp COMMAND`` one (its value is a Result),
        ``%%vlcp [--keep-going]`` a cell of them, one per line, ``#`` comments.

        ``$name`` and ``{expression}`` take Python values; ``{{``, ``}}`` and ``$$``
        are literal (JSON braces stay as they are).  ``%vlcp`` alone shows the
        runtime's state and the settings (``%config VlcpMagics``).

        Examples::

            %vlcp lab start
            flows = %vlcp dump-flows s1
            %vlcp add-flow s1 priority={prio},actions=drop
        """
        user: dict[str, Any] = self.shell.user_ns if self.shell is not None else {}
        namespace = ChainMap(local_ns or {}, user)
        if cell is None:
            if not line.strip():
                return Result("", self.status(), self.format)
            return self._command(line, namespace)
        self._cell(line, cell, namespace)
        return None

    def _cell(self, line: str, cell: str, namespace: Mapping[str, Any]) -> None:
        options = line.split()
        unknown = [option for option in options if option != "--keep-going"]
        if unknown:
            raise VlcpError(f"error: %%vlcp {' '.join(unknown)}: unknown option (one: "
                            f"--keep-going, go on after a failure)")
        failed: list[str] = []
        for number, raw in enumerate(cell.splitlines(), 1):
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            try:
                result = self._command(raw, namespace, "cell", number)
            except VlcpError as exc:
                if not options:
                    raise
                failed.append(str(exc))
                sys.stderr.write(f"{exc}\n")
                continue
            if result is not None:
                _display(result)
        if failed:
            raise VlcpError(f"{len(failed)} command(s) failed:\n" + "\n".join(failed))
