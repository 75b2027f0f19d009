"""Running an app headless: a controller listening where the command line says.

``run_app(main, argv)`` parses ``--listen HOST:PORT`` (repeatable; ``unix:PATH``
for a Unix socket; port 0 takes a free port, and a line ``listening on HOST:PORT``
on standard output tells which), ``--versions`` (``1.0,1.3``), ``--option NAME=VALUE`` (passed
to ``main`` as keyword arguments, values parsed as Python literals when they are
one) and ``--log-level``; it stops cleanly on SIGINT and SIGTERM, and runs ``gc.collect()``
on SIGUSR1 (benchmarks measure memory after it).
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import gc
import logging
import signal
import sys
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from ..controller import Controller

__all__ = ["parse_address", "run_app"]

log = logging.getLogger("vlcp_core.apps")
_VERSIONS = {"1.0": 1, "1.3": 4}


def parse_address(text: str) -> tuple[str, int] | str:
    """``HOST:PORT`` (IPv6 in brackets) -> ``(host, port)``; ``unix:PATH`` -> PATH."""
    if text.startswith("unix:"):
        if not text[5:]:
            raise ValueError(f"{text!r}: unix: needs a path")
        return text[5:]
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit() or not host:
        raise ValueError(f"{text!r}: expected HOST:PORT or unix:PATH")
    if not 0 <= int(port) <= 65535:
        raise ValueError(f"{text!r}: port {port} is out of range")
    return host.strip("[]"), int(port)


def _address(text: str) -> tuple[str, int] | str:
    try:
        return parse_address(text)
    except ValueError as exc:  # argparse would show only "invalid value"
        raise argparse.ArgumentTypeError(str(exc)) from None


def _versions(text: str) -> set[int]:
    try:
        return {_VERSIONS[v.strip()] for v in text.split(",")}
    except KeyError as exc:
        raise argparse.ArgumentTypeError(
            f"unknown OpenFlow version {exc.args[0]!r} (choose from 1.0, 1.3)") from None


def _option(text: str) -> tuple[str, Any]:
    name, sep, value = text.partition("=")
    if not sep or not name.isidentifier():
        raise argparse.ArgumentTypeError(f"{text!r}: expected NAME=VALUE")
    try:
        return name, ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return name, value


def _parser(prog: str, description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--listen", action="append", type=_address, metavar="HOST:PORT",
                        help="where switches connect (repeatable; unix:PATH for a Unix "
                             "socket; default 127.0.0.1:6653)")
    parser.add_argument("--versions", type=_versions, default={1, 4},
                        help="OpenFlow versions allowed, e.g. 1.3 or 1.0,1.3 (default both)")
    parser.add_argument("--option", action="append", type=_option, default=[],
                        metavar="NAME=VALUE", help="an option for the app's main()")
    parser.add_argument("--log-level", default="WARNING", help="logging level (default WARNING)")
    return parser


_Main = Callable[..., Coroutine[Any, Any, Any]]


class CannotListenError(OSError):
    """An address the controller cannot listen on (in use, not allowed...)."""


async def _serve(main: _Main, addresses: Sequence[tuple[str, int] | str],
                 versions: set[int], options: dict[str, Any]) -> None:
    controller = Controller()
    for address in addresses:
        try:
            if isinstance(address, str):
                listener = await controller.listen(path=address, versions=versions)
            else:
                listener = await controller.listen(*address, versions=versions)
        except OSError as exc:
            await controller.close()
            raise CannotListenError(f"cannot listen on {address}: {exc}") from None
        where = (listener.address if isinstance(listener.address, str)
                 else "{}:{}".format(*listener.address))
        print(f"listening on {where}", flush=True)  # port 0: the port chosen
    loop = asyncio.get_running_loop()
    app: asyncio.Task[Any] = loop.create_task(main(controller, **options))
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, app.cancel)
    loop.add_signal_handler(signal.SIGUSR1, gc.collect)  # for memory measurements
    try:
        await app
    except asyncio.CancelledError:
        pass
    finally:
        await controller.close()


def run_app(main: _Main, argv: Sequence[str] | None = None, *,
            prog: str = "app", description: str = "") -> int:
    """Run the app *main* headless with the command line *argv*; the exit status."""
    args = _parser(prog, description).parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(),
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        asyncio.run(_serve(main, args.listen or [("127.0.0.1", 6653)], args.versions,
                           dict(args.option)))
    except CannotListenError as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2
    return 0
