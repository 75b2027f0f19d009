"""``vlcp-shell``: start the runtime, then run a script, commands, serve, or prompt.

    vlcp-shell [--listen HOST:PORT]... [--ovsdb ADDR] [--lab [--bridges N] [--ports N]]
               [-f FILE | -c "cmd; cmd" | serve] [--on-error stop|continue] [--json]
               [--no-color] [--vi]

With a terminal on stdin and stdout, and neither -f, -c nor serve, the
interactive prompt (``workbench.prompt``); lines from a pipe are read plainly.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..runtime import Runtime
from ._shell import Shell, split_commands

__all__ = ["main", "start_lab"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vlcp-shell", description="Talk to OpenFlow switches and OVSDB interactively.")
    parser.add_argument("--listen", action="append", metavar="HOST:PORT",
                        help="where switches connect (repeatable; default 127.0.0.1:6653)")
    parser.add_argument("--ovsdb", metavar="ADDR",
                        help="an OVSDB server: unix:PATH, tcp:IP:PORT or ssl:IP:PORT")
    parser.add_argument("--lab", action="store_true",
                        help="start a private Open vSwitch lab connected to this shell")
    parser.add_argument("--bridges", type=int, default=1, help="lab bridges s1..sN (default 1)")
    parser.add_argument("--ports", type=int, default=4, help="ports per lab bridge (default 4)")
    parser.add_argument("-f", "--file", metavar="FILE", help="run a command file")
    parser.add_argument("-c", "--commands", metavar="CMDS", help='run "cmd; cmd"')
    parser.add_argument("--on-error", choices=("stop", "continue"), default="stop",
                        help="in -f/-c: stop at the first failure (default) or go on")
    parser.add_argument("--json", action="store_true", help="output JSON")
    parser.add_argument("--no-color", action="store_true",
                        help="the prompt without colours (so does the NO_COLOR variable)")
    parser.add_argument("--vi", action="store_true",
                        help="Vi key bindings at the prompt (default: the config file's, emacs)")
    parser.add_argument("mode", nargs="?", choices=("serve",),
                        help="serve: keep the controller running until SIGINT/SIGTERM")
    return parser


def start_lab(runtime: Runtime, bridges: int, ports: int, listener: Any) -> None:
    """A private lab: bridges s1..sN with ports sK-eth1..N, connected to *listener*,
    and its database to the runtime (switch names then follow bridge names)."""
    from ..lab import Lab

    lab = Lab()
    lab.start()
    runtime.lab = lab
    host, port = listener.address
    for n in range(1, bridges + 1):
        lab.add_bridge(f"s{n}", ports=ports)
        lab.set_controller(f"s{n}", f"tcp:{host}:{port}")
    runtime.connect_ovsdb(lab.db_target)


def _wait_for_switches(runtime: Runtime, count: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert runtime.controller is not None
        if len(runtime.controller.switches) >= count:
            return
        time.sleep(0.02)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    def report(text: str) -> None:
        sys.stderr.write(f"controller: {text}\n")

    runtime = Runtime(on_error=report)
    shell = Shell(runtime, fmt="json" if args.json else "text")
    stop = threading.Event()

    def interrupted(signum: int, frame: Any) -> None:
        stop.set()
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    try:
        runtime.start()
        listeners = []
        for text in args.listen or ["127.0.0.1:6653"]:
            try:
                listeners.append(runtime.listen_at(text))
            except (ValueError, OSError) as exc:
                sys.stderr.write(f"vlcp-shell: cannot listen on {text}: {exc} "
                                 f"(--listen HOST:PORT chooses another address)\n")
                return 2
        # Record the OpenFlow channel from the start: last, log, capture, expect.
        from ._cmd_decode import attach

        attach(shell)
        if args.ovsdb:
            runtime.connect_ovsdb(args.ovsdb)
        if args.lab:
            start_lab(runtime, args.bridges, args.ports, listeners[0])
            _wait_for_switches(runtime, args.bridges, 10.0)
        keep_going = args.on_error == "continue"
        if args.file:
            try:
                lines = Path(args.file).read_text().splitlines()
            except OSError as exc:
                sys.stderr.write(f"vlcp-shell: cannot read {args.file}: {exc.strerror}\n")
                return 2
            return shell.run_script(lines, args.file, keep_going=keep_going)
        if args.commands is not None:
            return shell.run_script(split_commands(args.commands), "-c", keep_going=keep_going)
        if args.mode == "serve":
            print("serving; Ctrl-C to stop", flush=True)
            while not stop.wait(0.5):
                pass
            return 0
        _banner(shell)
        if sys.stdin.isatty() and sys.stdout.isatty():
            from ..prompt import run_prompt

            return run_prompt(shell, color=False if args.no_color else None,
                              vi=True if args.vi else None, should_exit=stop.is_set)
        return _prompt(shell)
    except KeyboardInterrupt:
        return 130 if not stop.is_set() else 0
    finally:
        shell.close()
        runtime.stop()


def _banner(shell: Shell) -> None:
    controller = shell.runtime.controller
    names = sorted(shell.runtime.names.name(d) for d in controller.switches) \
        if controller is not None else []
    print(f"vlcp-shell: {len(names)} switch(es) connected{': ' if names else ''}"
          f"{', '.join(names)}. 'help' lists the commands, 'exit' leaves.", flush=True)


def _prompt(shell: Shell) -> int:
    """Lines from a pipe or file (stdin is not a terminal): read and run each."""
    while True:
        try:
            line = input("vlcp> ")
        except EOFError:
            return 0
        if line.strip() in ("exit", "quit"):
            return 0
        shell.execute(line)


if __name__ == "__main__":
    sys.exit(main())
