"""``run_prompt``: the interactive prompt of ``vlcp-shell`` on prompt_toolkit.

Theory of operation
-------------------
One ``PromptSession`` reads lines: history in a file (``_config``), suggestions
from it, the command language highlighted (``VlcpLexer``), completions from a
snapshot of the controller's state that a background thread refreshes
(``CompletionRefresher``; a keystroke only reads the current snapshot), a bottom
toolbar (``_toolbar``).  Enter on a line that ends with a backslash, or that
leaves a quote open, continues it on the next line; the lines are joined (the
backslash and its newline removed, other newlines made spaces) before the shell
splits them.

While the prompt is up, ``sys.stdout``/``sys.stderr`` go through prompt_toolkit's
``StdoutProxy(raw=True)`` (what ``patch_stdout(raw=True)`` installs): whatever any
thread writes (watches print from their own) is drawn above the prompt, never
through the line being typed.  While a command runs they write straight to the
terminal, so its output is complete, in order, before the next prompt (the
proxy is flushed and closed when the prompt returns).  ``Shell.out`` was taken
at construction, so it is pointed at the same switch for the session's time.

A command runs in a worker thread while the main thread waits, so that Ctrl-C
(SIGINT, a ``KeyboardInterrupt`` in the main thread) can stop the wait: the
runtime cancels what the worker waits for on the controller's loop (and its later
calls), the worker's further output is dropped, and the prompt comes back after
``interrupted``; a command still busy with Python of its own (a long ``py``
expression) gets a ``KeyboardInterrupt`` raised in its thread.  At the prompt
Ctrl-C clears the line; Ctrl-D on an empty line
(or ``exit``) ends the session: the caller then stops the runtime and the lab.
"""

from __future__ import annotations

import ctypes
import os
import sys
import tempfile
import threading
import weakref
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from prompt_toolkit import PromptSession
from prompt_toolkit.application import get_app_session
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.enums import EditingMode
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.lexers import PygmentsLexer
from prompt_toolkit.output import ColorDepth
from prompt_toolkit.patch_stdout import StdoutProxy
from prompt_toolkit.styles import Style

from ._completion import VlcpCompleter
from ._config import Config, history_path, load_config
from ._lexer import VlcpLexer
from ._snapshot import CompletionRefresher
from ._toolbar import Fragments, toolbar_fragments

if TYPE_CHECKING:
    from ..shell import Shell

__all__ = ["join_lines", "needs_more", "run_prompt", "trim_history"]

PROMPT = "vlcp> "
_STYLE = {
    "prompt": "ansigreen bold",
    "continuation": "ansigreen",
    "bottom-toolbar": "noreverse bg:ansibrightblack fg:ansiwhite",
    "toolbar.on": "bold",
    "toolbar.off": "italic",
    "toolbar.warn": "fg:ansiyellow bold",
}
_MONOCHROME = {"bottom-toolbar": "reverse", "toolbar.on": "bold", "toolbar.warn": "bold"}


# -- lines that go on --------------------------------------------------------------
def needs_more(text: str) -> bool:
    """Whether Enter should continue *text* on a new line: it ends with an
    unescaped backslash, or a quote is still open (the rules of ``shlex``, which
    splits the line: an unquoted ``#`` starts a comment to the end)."""
    quote = ""
    escaped = False
    for char in text:
        if escaped:
            escaped = False
        elif quote == "'":
            quote = "" if char == "'" else quote
        elif char == "\\":
            escaped = True
        elif quote == '"':
            quote = "" if char == '"' else quote
        elif char in "'\"":
            quote = char
        elif char == "#":
            return False  # the rest is a comment (the lines are joined)
    return escaped or bool(quote)


def join_lines(text: str) -> str:
    """The one line the shell runs: backslash-newline removed, newlines as spaces."""
    return text.replace("\\\r\n", "").replace("\\\n", "").replace("\r", " ").replace("\n", " ")


# -- history -----------------------------------------------------------------------
def trim_history(path: Path, size: int) -> None:
    """Keep the newest *size* entries of a prompt_toolkit history file."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return
    blocks: list[list[str]] = [[]]
    for line in text.splitlines(keepends=True):
        if not line.startswith("+") and blocks[-1] and blocks[-1][-1].startswith("+"):
            blocks.append([])
        blocks[-1].append(line)
    entries = [block for block in blocks if any(line.startswith("+") for line in block)]
    if len(entries) <= size:
        return
    handle, temporary = tempfile.mkstemp(prefix=".history-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write("".join("".join(block) for block in entries[-size:]))
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def _history(config: Config, env: Mapping[str, str] | None) -> tuple[History, str | None]:
    path = history_path(config, env)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        trim_history(path, config.history_size)
        path.touch()
    except OSError as exc:
        return InMemoryHistory(), (f"cannot use the history file {path}: "
                                   f"{exc.strerror or exc}; history is kept in memory")
    return FileHistory(str(path)), None


# -- output: above the prompt while it is up, straight out while a command runs ----
class _Output:
    """``sys.stdout``/``sys.stderr`` (and ``Shell.out``) for the session's time.

    While the prompt is up, text goes to a ``StdoutProxy`` (drawn above the
    prompt); while a command runs, straight to the terminal, in order.  What the
    threads of interrupted commands still write is dropped."""

    def __init__(self, direct: TextIO, muted: weakref.WeakSet[threading.Thread],
                 lock: threading.RLock) -> None:
        self.direct = direct
        self.proxy: StdoutProxy | None = None
        self.muted = muted
        self.lock = lock

    def write(self, text: str) -> int:
        if threading.current_thread() in self.muted:
            return len(text)
        with self.lock:
            return (self.proxy or self.direct).write(text)

    def flush(self) -> None:
        with self.lock:
            (self.proxy or self.direct).flush()

    def isatty(self) -> bool:
        return self.direct.isatty()

    def fileno(self) -> int:
        return self.direct.fileno()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.direct, name)


class _Outputs:
    """The pair, and the switch between prompting and running."""

    def __init__(self) -> None:
        self.muted: weakref.WeakSet[threading.Thread] = weakref.WeakSet()
        self.lock = threading.RLock()
        self.stdout = _Output(sys.stdout, self.muted, self.lock)
        self.stderr = _Output(sys.stderr, self.muted, self.lock)

    @contextmanager
    def prompting(self) -> Iterator[None]:
        """Output goes above the prompt (``patch_stdout(raw=True)``'s proxy)."""
        proxy = StdoutProxy(raw=True)
        with self.lock:
            self.stdout.proxy = self.stderr.proxy = proxy
        try:
            yield
        finally:
            with self.lock:  # writers wait: nothing overtakes what the proxy holds
                self.stdout.proxy = self.stderr.proxy = None
                proxy.flush()
                proxy.close()


def _interrupt(thread: threading.Thread) -> None:
    """Raise ``KeyboardInterrupt`` in *thread* at its next Python instruction (what
    Ctrl-C does to the main thread); a call into C finishes first."""
    if thread.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident),
                                                   ctypes.py_object(KeyboardInterrupt))


def _run_command(shell: Shell, line: str, outputs: _Outputs,
                 should_exit: Callable[[], bool]) -> None:
    """Run one line in a worker thread; Ctrl-C stops waiting and cancels it."""
    done = threading.Event()

    def work() -> None:
        try:
            shell.execute(line)  # a cancelled call's error is shown, but muted
        except KeyboardInterrupt:  # raised into this thread by Ctrl-C (_interrupt)
            pass
        finally:
            done.set()

    worker = threading.Thread(target=work, name="vlcp-shell-command", daemon=True)
    worker.start()
    try:
        while not done.wait(0.1):
            pass
    except KeyboardInterrupt:
        outputs.muted.add(worker)
        shell.runtime.cancel_calls(worker)
        worker.join(0.2)  # let a cancelled wait come back, quietly
        if worker.is_alive():  # Python of its own (a long 'py'): interrupt it there
            _interrupt(worker)
            worker.join(0.2)
        if should_exit():  # SIGTERM: the caller ends the session
            raise
        shown = line if len(line) <= 60 else line[:57] + "..."
        sys.stderr.write(f"\rinterrupted: {shown}\n")  # over the terminal's "^C"
        sys.stderr.flush()


# -- the session -------------------------------------------------------------------------
def _key_bindings() -> KeyBindings:
    bindings = KeyBindings()

    @bindings.add("enter")
    def enter(event: KeyPressEvent) -> None:
        buffer = event.current_buffer
        state = buffer.complete_state
        if state is not None and state.current_completion is not None:
            buffer.complete_state = None  # Enter takes the chosen completion
        elif needs_more(buffer.text):
            buffer.insert_text("\n")
        else:
            buffer.validate_and_handle()

    return bindings


def _continuation(width: int, line_number: int, wrap_count: int) -> Fragments:
    if wrap_count:  # a long line wrapped: it goes on at the left edge, as it would printed
        return []
    return [("class:continuation", "." * (width - 1) + " ")]


def _completion_parts(shell: Shell) -> tuple[VlcpCompleter, CompletionRefresher]:
    """The completer, reading the snapshots a background thread makes."""
    refresher = CompletionRefresher(shell)
    return VlcpCompleter(shell.registry, refresher), refresher


def _session(shell: Shell, config: Config, history: History, completer: VlcpCompleter,
             color: bool) -> PromptSession[str]:
    def toolbar() -> Fragments:
        return toolbar_fragments(shell)

    return PromptSession(
        [("class:prompt", PROMPT)],
        history=history,
        auto_suggest=AutoSuggestFromHistory() if config.auto_suggest else None,
        lexer=PygmentsLexer(VlcpLexer) if color else None,
        completer=completer,
        complete_while_typing=config.complete_while_typing,
        bottom_toolbar=toolbar if config.toolbar else None,
        refresh_interval=1.0 if config.toolbar else 0.0,
        multiline=True,
        prompt_continuation=_continuation,
        key_bindings=_key_bindings(),
        editing_mode=EditingMode.VI if config.edit_mode == "vi" else EditingMode.EMACS,
        style=Style.from_dict(_STYLE if color else _MONOCHROME),
        color_depth=None if color else ColorDepth.MONOCHROME,
        include_default_pygments_style=color,
        enable_history_search=False,
        output=get_app_session().output,  # the terminal: made before sys.stdout is switched
    )


def run_prompt(shell: Shell, *, color: bool | None = None, vi: bool | None = None,
               env: Mapping[str, str] | None = None,
               should_exit: Callable[[], bool] = lambda: False) -> int:
    """Read and run commands until Ctrl-D or ``exit``; 0.

    *color* and *vi* (the command line's ``--no-color``, ``--vi``) win over the
    config file; ``NO_COLOR`` in the environment turns colour off.  *should_exit*
    tells a SIGTERM (the caller's handler raises ``KeyboardInterrupt`` too) from a
    Ctrl-C: then the ``KeyboardInterrupt`` goes on to the caller.
    """
    environ = os.environ if env is None else env
    config, messages = load_config(environ)
    if vi is not None:
        config = replace(config, edit_mode="vi" if vi else "emacs")
    use_color = config.color if color is None else color
    if environ.get("NO_COLOR"):
        use_color = False
    shell.options["watch_rate"] = config.watch_rate
    history, problem = _history(config, environ)
    for message in [*messages, *([problem] if problem else [])]:
        sys.stderr.write(f"vlcp-shell: {message}\n")
    sys.stderr.flush()
    completer, refresher = _completion_parts(shell)
    session = _session(shell, config, history, completer, use_color)
    saved = shell.out, sys.stdout, sys.stderr
    outputs = _Outputs()
    sys.stdout, sys.stderr = outputs.stdout, outputs.stderr
    shell.out = outputs.stdout
    try:
        _loop(shell, session, outputs, refresher.refresh, should_exit)
    finally:
        shell.out, sys.stdout, sys.stderr = saved
        refresher.stop()
    return 0


def _loop(shell: Shell, session: PromptSession[str], outputs: _Outputs,
          refresh: Callable[[], None], should_exit: Callable[[], bool]) -> None:
    while True:
        try:
            with outputs.prompting():
                text = session.prompt()
        except KeyboardInterrupt:
            if should_exit():
                raise
            continue  # Ctrl-C: a fresh line
        except EOFError:
            return
        line = join_lines(text).strip()
        if line in ("exit", "quit"):
            return
        if line:
            _run_command(shell, line, outputs, should_exit)
            refresh()
