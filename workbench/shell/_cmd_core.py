"""Core commands: help, switches, show, ports, set, sleep, source, wait-switch, py."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from vlcp_core.openflow import dump

from ._registry import CommandError, command
from ._render import Lines, Table
from ._shell import Context

__all__: list[str] = []


def _need(args: list[str], count: int, usage: str) -> None:
    if len(args) < count:
        raise CommandError(f"missing arguments: usage: {usage}")


@command("help", "[COMMAND]")
def help_(ctx: Context, args: list[str]) -> Any:
    """Every command with a line about it, or one command in full.

    Example: help dump-flows
    """
    registry = ctx.shell.registry
    if args:
        found = registry.get(args[0])
        text = [f"{found.name} {found.usage}".rstrip(), f"  {found.summary}"]
        if found.doc:
            text += ["", *("  " + line for line in found.doc.splitlines())]
        return Lines(text)
    return Table(["command", "arguments", "what it does"],
                 [[c.name, c.usage, c.summary] for c in registry.commands()])


@command("switches")
def switches(ctx: Context, args: list[str]) -> Any:
    """The connected switches: name, datapath id, OpenFlow version, address, ports.

    Example: switches
    """
    def collect() -> list[list[Any]]:
        assert ctx.runtime.controller is not None
        names = ctx.runtime.names
        rows = []
        for datapath, switch in sorted(ctx.runtime.controller.switches.items()):
            version = {1: "1.0", 4: "1.3"}.get(switch.version, str(switch.version))
            address = switch.address if isinstance(switch.address, str) else \
                ":".join(map(str, switch.address[:2]))
            rows.append([names.name(datapath), f"{datapath:016x}", version, address,
                         len(switch.ports)])
        return rows
    return Table(["name", "datapath", "version", "address", "ports"],
                 ctx.runtime.call_sync(collect))


def _port_rows(switch: Any) -> list[list[Any]]:
    rows = []
    for number, port in sorted(switch.ports.items()):
        info = dump(port)
        shown = "LOCAL" if number in (0xFFFE, 0xFFFFFFFE) else str(number)
        rows.append([shown, str(port.name), info.get("hw_addr"), info.get("config"),
                     info.get("state")])
    return rows


@command("ports", "SW")
def ports(ctx: Context, args: list[str]) -> Any:
    """A switch's ports (number, name, address, config, state), kept current.

    Example: ports s1
    """
    _need(args, 1, "ports SW")
    switch = ctx.switch(args[0])
    return Table(["port", "name", "address", "config", "state"],
                 ctx.runtime.call_sync(lambda: _port_rows(switch)))


@command("show", "SW")
def show(ctx: Context, args: list[str]) -> Any:
    """Features and ports of a switch, like ``ovs-ofctl show``.

    Example: show s1
    """
    _need(args, 1, "show SW")
    switch = ctx.switch(args[0])
    features = dump(switch.features)
    head = [f"{ctx.runtime.names.name(switch.datapath_id)}: OpenFlow "
            f"{ {1: '1.0', 4: '1.3'}.get(switch.version)} dpid:{switch.datapath_id:016x}",
            f"n_tables:{features.get('n_tables')}, n_buffers:{features.get('n_buffers')}",
            f"capabilities: {features.get('capabilities')}"]
    table = Table(["port", "name", "address", "config", "state"],
                  ctx.runtime.call_sync(lambda: _port_rows(switch)))
    return iter([Lines(head), table])


@command("set", "[NAME VALUE]")
def set_(ctx: Context, args: list[str]) -> Any:
    """Show the shell's options, or set one (timeout: seconds a command may wait).

    Example: set timeout 5
    """
    if not args:
        return dict(ctx.options)
    _need(args, 2, "set NAME VALUE")
    name, value = args[0], args[1]
    current = ctx.options.get(name)
    if current is None:
        raise CommandError(f"unknown option {name!r} (options: {', '.join(ctx.options)})")
    try:
        ctx.options[name] = type(current)(value)
    except ValueError:
        raise CommandError(f"{name}: {value!r} is not a {type(current).__name__}") from None
    return None


@command("sleep", "SECONDS")
def sleep(ctx: Context, args: list[str]) -> Any:
    """Wait (the switches keep being served meanwhile).

    Example: sleep 0.5
    """
    _need(args, 1, "sleep SECONDS")
    try:
        seconds = float(args[0])
    except ValueError:
        raise CommandError(f"{args[0]!r} is not a number of seconds") from None
    seconds = max(0.0, seconds)
    if ctx.runtime.running:  # on the loop: Ctrl-C at the prompt cancels it there
        ctx.call(asyncio.sleep(seconds), timeout=seconds + 10.0)
    else:
        time.sleep(seconds)
    return None


@command("source", "FILE")
def source(ctx: Context, args: list[str]) -> Any:
    """Run the commands of a file, stopping at the first failure.

    Example: source commands/hub.vlcp
    """
    _need(args, 1, "source FILE")
    path = Path(args[0])
    try:
        lines = path.read_text().splitlines()
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}") from None
    if ctx.shell.run_script(lines, str(path)) != 0:
        raise CommandError(f"{path} failed (see above)")
    return None


@command("wait-switch", "[SW] [--timeout S]")
def wait_switch(ctx: Context, args: list[str]) -> Any:
    """Wait until a switch (any, or the one named) is connected.

    Example: wait-switch s1 --timeout 5
    """
    timeout = 10.0
    if "--timeout" in args:
        at = args.index("--timeout")
        try:
            timeout = float(args[at + 1])
        except (IndexError, ValueError):
            raise CommandError("--timeout needs a number of seconds") from None
        args = args[:at] + args[at + 2:]
    deadline = time.monotonic() + timeout
    while True:
        try:
            if args:
                ctx.switch(args[0])
                return None
            assert ctx.runtime.controller is not None
            if ctx.runtime.controller.switches:
                return None
        except LookupError:
            pass
        if time.monotonic() >= deadline:
            what = f"switch {args[0]!r}" if args else "a switch"
            raise CommandError(f"{what} did not connect within {timeout:g} s")
        time.sleep(0.05)


@command("py", "EXPRESSION")
def py(ctx: Context, args: list[str]) -> Any:
    """Evaluate Python in the shell's thread, with ``runtime``, ``controller``,
    ``switches``, ``switch(name)``, ``ovsdb``, ``vsctl``, ``lab`` at hand; an
    awaitable result is run on the controller's loop (so a slow expression never
    freezes the switches).

    Example: py switch("s1").features.n_tables
    """
    _need(args, 1, "py EXPRESSION")
    runtime = ctx.runtime
    names: dict[str, Any] = {
        "runtime": runtime, "controller": runtime.controller, "ovsdb": runtime.ovsdb,
        "vsctl": runtime.vsctl, "lab": runtime.lab, "switch": runtime.switch,
        "switches": runtime.controller.switches if runtime.controller else {}}
    try:
        value = eval(ctx.rest, names)  # noqa: S307 (the user's own expression)
    except SyntaxError as exc:
        raise CommandError(f"Python syntax error: {exc.msg} at column {exc.offset}") from None
    except Exception as exc:
        raise CommandError(f"{type(exc).__name__}: {exc}") from None
    if hasattr(value, "__await__"):
        value = ctx.call(value)
    return None if value is None else repr(value)
