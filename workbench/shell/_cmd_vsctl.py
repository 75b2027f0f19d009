"""ovs-vsctl's verbs on the shell (``add-br``, ``del-br``, ``add-port``, ``del-port``,
``set-controller``, ``del-controller``, ``get-controller``, fail mode, ``list-br``,
``list-ports``) and the OVSDB ``expect`` kinds for command files; the ``ovsdb``
command and the value helpers they share are in ``_cmd_ovsdb``.
"""

from __future__ import annotations

from typing import Any

from ._cmd_ovsdb import (
    _need,
    _options,
    _run,
    _vsctl,
    value_text,
)
from ._expect import eventually, expectation
from ._registry import CommandError, command
from ._render import Lines
from ._shell import Context

__all__: list[str] = []


# --- ovs-vsctl's verbs -------------------------------------------------------------------

def _assignments(words: list[str], usage: str) -> dict[str, str]:
    """``column=value`` words (``other_config:k=v`` too) after a bridge or port."""
    found: dict[str, str] = {}
    for word in words:
        name, equals, value = word.partition("=")
        if not equals or not name:
            raise CommandError(f"{word!r} is not COLUMN=VALUE; usage: {usage}")
        found[name] = value
    return found


def _in_lab(ctx: Context) -> bool:
    lab = ctx.runtime.lab
    return lab is not None and ctx.runtime.ovsdb is not None and \
        ctx.runtime.ovsdb.target == lab.db_target


@command("add-br", "[--may-exist] BRIDGE [COLUMN=VALUE...]", group="ovsdb")
def add_br(ctx: Context, args: list[str]) -> Any:
    """Create a bridge (with its local port), as ``ovs-vsctl add-br``.

    COLUMN=VALUE words set the Bridge's columns (``fail_mode=secure``,
    ``protocols=OpenFlow13``, ``other_config:datapath-id=00000000000000b0``). In a
    lab (``--lab``) the bridge is on the ``dummy`` datapath unless
    ``datapath_type=`` says otherwise: the lab's switch has no other.

    Example: add-br br0 fail_mode=secure protocols=OpenFlow13
    """
    usage = "add-br [--may-exist] BRIDGE [COLUMN=VALUE...]"
    options, rest = _options(args, ("may-exist",), usage)
    _need(rest, 1, usage)
    vsctl, name = _vsctl(ctx), rest[0]
    columns = _assignments(rest[1:], usage)
    datapath_type = columns.pop("datapath_type", "dummy" if _in_lab(ctx) else None)
    _run(ctx, vsctl.add_br(name, datapath_type=datapath_type, fail_mode=columns.pop(
        "fail_mode", None), may_exist="may-exist" in options))
    if columns:
        _run(ctx, vsctl.set("Bridge", name, *(f"{k}={v}" for k, v in columns.items())))
    return None


@command("add-port", "[--may-exist] BRIDGE PORT [COLUMN=VALUE...]", group="ovsdb")
def add_port(ctx: Context, args: list[str]) -> Any:
    """Add a port and its interface of the same name to a bridge (``ovs-vsctl add-port``).

    COLUMN=VALUE words set the Interface's columns (``type=internal``,
    ``ofport_request=7``, ``options:peer=p2``). In a lab the interface is of type
    ``dummy`` unless ``type=`` says otherwise.

    Example: add-port br0 p1 ofport_request=1
    """
    usage = "add-port [--may-exist] BRIDGE PORT [COLUMN=VALUE...]"
    options, rest = _options(args, ("may-exist",), usage)
    _need(rest, 2, usage)
    vsctl, bridge, port = _vsctl(ctx), rest[0], rest[1]
    columns = _assignments(rest[2:], usage)
    kind = columns.pop("type", "dummy" if _in_lab(ctx) else None)
    request = columns.pop("ofport_request", None)
    try:
        number = int(request) if request is not None else None
    except ValueError:
        raise CommandError(f"ofport_request={request}: not a port number") from None
    _run(ctx, vsctl.add_port(bridge, port, interface_type=kind or None, ofport_request=number,
                             may_exist="may-exist" in options))
    if columns:
        _run(ctx, vsctl.set("Interface", port, *(f"{k}={v}" for k, v in columns.items())))
    return None


@command("del-port", "[--if-exists] [BRIDGE] PORT", group="ovsdb")
def del_port(ctx: Context, args: list[str]) -> Any:
    """Remove a port from its bridge (which must be BRIDGE if given).

    Example: del-port br0 p1
    """
    usage = "del-port [--if-exists] [BRIDGE] PORT"
    options, rest = _options(args, ("if-exists",), usage)
    _need(rest, 1, usage)
    bridge, port = (rest[0], rest[1]) if len(rest) > 1 else (None, rest[0])
    _run(ctx, _vsctl(ctx).del_port(port, bridge=bridge, if_exists="if-exists" in options))
    return None


def _shell_target(ctx: Context) -> str:
    """``shell``: where this shell listens for switches, as a controller target."""
    assert ctx.runtime.controller is not None
    if not ctx.runtime.controller.listeners:
        raise CommandError("the target 'shell' needs the shell to listen (--listen)")
    listener = ctx.runtime.controller.listeners[0]
    if listener.kind == "unix":
        return f"unix:{listener.address}"
    host, port = listener.address[:2]
    host = f"[{host}]" if ":" in host else host
    return f"{'ssl' if listener.kind == 'tls' else 'tcp'}:{host}:{port}"


@command("set-controller", "BRIDGE TARGET...", group="ovsdb")
def set_controller(ctx: Context, args: list[str]) -> Any:
    """Replace a bridge's controllers; the target ``shell`` is where this shell listens.

    Targets as OVS takes them: ``tcp:IP:PORT``, ``ssl:IP:PORT``, ``unix:PATH``.

    Example: set-controller br0 shell
    """
    _need(args, 2, "set-controller BRIDGE TARGET...")
    targets = [_shell_target(ctx) if target == "shell" else target for target in args[1:]]
    _run(ctx, _vsctl(ctx).set_controller(args[0], *targets))
    return None


def _verb(name: str, usage: str, method: str, count: int, doc: str) -> None:
    """A verb that passes its *count* words to a ``Vsctl`` method and shows what it
    returns."""
    def handler(ctx: Context, args: list[str]) -> Any:
        options, rest = _options(args, ("if-exists",) if "--if-exists" in usage else (),
                                 f"{name} {usage}")
        _need(rest, count, f"{name} {usage}")
        if len(rest) > count:
            raise CommandError(f"too many arguments: {' '.join(rest[count:])!r}; usage: "
                               f"{name} {usage}")
        extra = {"if_exists": True} if "if-exists" in options else {}
        result = _run(ctx, getattr(_vsctl(ctx), method)(*rest, **extra))
        return Lines(result) if isinstance(result, list) else result
    handler.__doc__ = doc
    command(name, usage, group="ovsdb")(handler)


_verb("del-br", "[--if-exists] BRIDGE", "del_br", 1, """Delete a bridge with its ports.

    Example: del-br br0""")
_verb("list-br", "", "list_br", 0, """The bridges' names, as ``ovs-vsctl list-br``.

    Example: list-br""")
_verb("list-ports", "BRIDGE", "list_ports", 1, """A bridge's ports but its local port.

    Example: list-ports s1""")
_verb("del-controller", "BRIDGE", "del_controller", 1, """Remove a bridge's controllers.

    Example: del-controller br0""")
_verb("get-controller", "BRIDGE", "get_controller", 1, """A bridge's controller targets.

    Example: get-controller s1""")
_verb("get-fail-mode", "BRIDGE", "get_fail_mode", 1, """A bridge's fail mode (nothing when unset).

    Example: get-fail-mode s1""")
_verb("set-fail-mode", "BRIDGE standalone|secure", "set_fail_mode", 2, """
    Set what a bridge does without a controller: ``secure`` or ``standalone``.

    ``secure``: only the flows it has; ``standalone``: a learning switch.

    Example: set-fail-mode br0 secure""")
_verb("del-fail-mode", "BRIDGE", "del_fail_mode", 1, """
    Unset a bridge's fail mode (OVS then acts as standalone).

    Example: del-fail-mode br0""")


# --- expectations for command files --------------------------------------------------------

@expectation("bridges")
def _expect_bridges(ctx: Context, args: list[str]) -> None:
    """``expect bridges [count=N] [NAME...] [within Ns]``"""
    def check(words: list[str]) -> str | None:
        names = _run(ctx, _vsctl(ctx).list_br())
        for word in words:
            if word.startswith("count="):
                if str(len(names)) != word[6:]:
                    return f"expected {word[6:]} bridges, found {len(names)}: {names}"
            elif word not in names:
                return f"expected a bridge {word!r}, found {names}"
        return None
    eventually(args, check)


@expectation("port")
def _expect_port(ctx: Context, args: list[str]) -> None:
    """``expect port BRIDGE PORT [ofport=N] [within Ns]``"""
    def check(words: list[str]) -> str | None:
        if len(words) < 2:
            raise CommandError("usage: expect port BRIDGE PORT [ofport=N] [within Ns]")
        ports = _run(ctx, _vsctl(ctx).list_ports(words[0]))
        if words[1] not in ports:
            return f"expected port {words[1]!r} on bridge {words[0]}, found {ports}"
        for word in words[2:]:
            found = _run(ctx, _vsctl(ctx).get("Interface", words[1], "ofport"))[0]
            if not word.startswith("ofport=") or str(found) != word[7:]:
                return f"expected {word} for port {words[1]}, found ofport={value_text(found)}"
        return None
    eventually(args, check)


@expectation("column")
def _expect_column(ctx: Context, args: list[str]) -> None:
    """``expect column TABLE RECORD COLUMN[:KEY]=VALUE... [within Ns]``: as
    ``ovsdb get`` prints it (a string also unquoted)."""
    def check(words: list[str]) -> str | None:
        if len(words) < 3 or not all("=" in word for word in words[2:]):
            raise CommandError("usage: expect column TABLE RECORD COLUMN[:KEY]=VALUE...")
        for word in words[2:]:
            column, _, wanted = word.partition("=")
            found = _run(ctx, _vsctl(ctx).get(words[0], words[1], column, if_exists=True))
            value = found[0] if found else None
            if wanted not in (value_text(value), value):
                return f"expected {words[0]} {words[1]} {column}={wanted}, found " \
                    f"{value_text(value)}"
        return None
    eventually(args, check)


@expectation("controller")
def _expect_controller(ctx: Context, args: list[str]) -> None:
    """``expect controller BRIDGE [TARGET|shell] [connected] [within Ns]``"""
    def check(words: list[str]) -> str | None:
        if not words:
            raise CommandError("usage: expect controller BRIDGE [TARGET|shell] [connected]")
        rows = _run(ctx, _vsctl(ctx).find("Controller", columns=["target", "is_connected"]))
        mine = set(_run(ctx, _vsctl(ctx).get_controller(words[0])))
        rows = [row for row in rows if row["target"] in mine]
        for word in words[1:]:
            if word == "connected":
                if not any(row["is_connected"] for row in rows):
                    return f"expected a connected controller on {words[0]}, found " \
                        f"{[(row['target'], row['is_connected']) for row in rows]}"
            elif (_shell_target(ctx) if word == "shell" else word) not in mine:
                return f"expected controller {word} on {words[0]}, found {sorted(mine)}"
        return None
    eventually(args, check)
