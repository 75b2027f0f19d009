"""Lab and app commands: ``lab start|stop|inject|host|ping|status``, ``app start|stop``,
``apps``.

Hosts (``lab host``) are network namespaces, as Mininet makes them: a veth pair
whose outer end takes the place of a lab port (same name, same OpenFlow number:
the Interface's type goes from ``dummy`` to a system device, which the lab's
userspace datapath reads and writes through a packet socket) and whose inner end,
``NAME-eth0``, carries the host's address.  That needs root and ``ip netns``;
without them ``lab host`` says so.  Namespaces are called ``vlcp-TAG-NAME`` after
their lab's directory, so those of a lab that died are found and removed.

Apps are modules with ``async def main(controller, **options)``, run as tasks on
the controller's loop (``Runtime.apps``).
"""

from __future__ import annotations

import ast
import asyncio
import importlib
import ipaddress
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.lab import Lab, LabError

from ._builder import parse_frame
from ._expect import eventually, expectation, within
from ._main import start_lab
from ._registry import CommandError, command
from ._render import Lines, Table
from ._shell import Context

__all__: list[str] = []

_NETNS = re.compile(r"vlcp-([0-9a-f]{8})-(.+)")
_PING = r"""
import os, socket, struct, sys, time
def checksum(data):
    data += b"\0" * (len(data) % 2)
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    total = (total >> 16) + (total & 0xFFFF)
    return ~(total + (total >> 16)) & 0xFFFF
target, count, wait = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
ident = os.getpid() & 0xFFFF
for seq in range(1, count + 1):
    body = struct.pack("!d", time.monotonic())
    head = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
    head = head[:2] + struct.pack("!H", checksum(head + body)) + head[4:]
    sock.sendto(head + body, (target, 0))
    deadline, rtt = time.monotonic() + wait, None
    while rtt is None and time.monotonic() < deadline:
        sock.settimeout(max(0.001, deadline - time.monotonic()))
        try:
            data = sock.recv(2048)
        except socket.timeout:
            break
        at = (data[0] & 15) * 4
        kind, _, _, got_id, got_seq = struct.unpack("!BBHHH", data[at:at + 8])
        if kind == 0 and got_id == ident and got_seq == seq:
            rtt = (time.monotonic() - struct.unpack("!d", data[at + 8:at + 16])[0]) * 1000
    print(seq, "-" if rtt is None else "%.3f" % rtt, flush=True)
"""


# --- the lab ---------------------------------------------------------------------------

def _lab(ctx: Context) -> Lab:
    if ctx.runtime.lab is None:
        raise CommandError("no lab is running: 'lab start' starts one (or start the shell "
                           "with --lab)")
    return ctx.runtime.lab


def _number(args: list[str], option: str, default: int, low: int, high: int) -> int:
    if option not in args:
        return default
    at = args.index(option)
    try:
        value = int(args[at + 1])
    except (IndexError, ValueError):
        raise CommandError(f"{option} needs a number") from None
    if not low <= value <= high:
        raise CommandError(f"{option} {value}: give {low} to {high}")
    del args[at:at + 2]
    return value


@command("lab", "start|stop|inject|host|ping|trace|status [ARGS...]", group="lab")
def lab_(ctx: Context, args: list[str]) -> Any:
    """A private Open vSwitch connected to this shell, and traffic through it.

    lab start [--bridges N] [--ports N]   bridges s1..sN, ports sK-eth1..N (1 and 4)
    lab stop                              stop it (its hosts go too)
    lab inject PORT FRAME                 PORT (s1-eth1 or s1:1) receives FRAME: hex or a
                                          builder, eth(dst=..)/ipv4(dst=..)/icmp()
    lab host NAME IP[/LEN] PORT [--mac M] a network namespace host on a lab port (root)
    lab hosts                             the hosts
    lab ping H1 H2 [--count N]            ICMP echo from H1 to H2's address
    lab trace BRIDGE FLOW                 the tables a packet of FLOW would go through
                                          (ovs-appctl ofproto/trace), e.g. in_port=1,tcp
    lab status                            directory, daemons, bridges, hosts

    Example: lab inject s1-eth1 eth(src=00:00:00:00:00:01,dst=ff:ff:ff:ff:ff:ff)/arp()
    """
    if not args:
        raise CommandError("lab what? start, stop, inject, host, hosts, ping, trace or status")
    handler = _LAB.get(args[0])
    if handler is None:
        raise CommandError(f"unknown lab subcommand {args[0]!r} (subcommands: "
                           f"{', '.join(sorted(_LAB))})")
    return handler(ctx, args[1:])


def _start(ctx: Context, args: list[str]) -> Any:
    if ctx.runtime.lab is not None:
        raise CommandError(f"a lab is running already ({ctx.runtime.lab.dir}): 'lab stop' "
                           f"first")
    if ctx.runtime.ovsdb is not None:
        raise CommandError(f"the shell is connected to OVSDB {ctx.runtime.ovsdb.target}; a "
                           f"lab would replace that connection: start a shell with --lab")
    args = list(args)
    bridges = _number(args, "--bridges", 1, 1, 64)
    ports = _number(args, "--ports", 4, 0, 64)
    if args:
        raise CommandError(f"unexpected {' '.join(args)!r}; usage: lab start [--bridges N] "
                           f"[--ports N]")
    assert ctx.runtime.controller is not None
    if not ctx.runtime.controller.listeners:
        raise CommandError("the shell does not listen for switches (--listen)")
    try:
        start_lab(ctx.runtime, bridges, ports, ctx.runtime.controller.listeners[0])
    except LabError as exc:
        raise CommandError(f"the lab did not start: {exc}") from None
    lab = ctx.runtime.lab
    assert lab is not None
    wanted = {bridge.datapath_id: bridge.name for bridge in lab.bridges}
    deadline = time.monotonic() + float(ctx.options.get("timeout", 10.0))
    while not set(wanted) <= set(ctx.runtime.call_sync(
            lambda: list(ctx.runtime.controller.switches) if ctx.runtime.controller else [])):
        if time.monotonic() > deadline:
            raise CommandError(f"lab started ({lab.dir}) but not every bridge connected")
        time.sleep(0.02)
    return f"lab {lab.dir.name}: {', '.join(wanted.values())} connected, {ports} ports each"


def _stop(ctx: Context, args: list[str]) -> Any:
    lab = _lab(ctx)
    _remove_hosts(ctx, list(_hosts(ctx)))
    runtime = ctx.runtime

    async def disconnect() -> None:
        client = runtime.ovsdb
        if client is not None and client.target == lab.db_target:
            runtime.ovsdb = runtime.vsctl = None
            await client.close()
    ctx.call(disconnect())
    runtime.lab = None
    lab.stop()
    return None


def _port(lab: Lab, text: str) -> str:
    """A port by name (``s1-eth1``, or one added with ``add-port``) or as
    ``BRIDGE:NUMBER`` for a lab bridge (``s1:1``)."""
    bridge_name, colon, number = text.rpartition(":")
    try:
        if colon:
            return lab.bridge(bridge_name).port_name(int(number))
        lab.vsctl("port-to-br", text, wait=False)
        return text
    except (LabError, KeyError, ValueError):
        names = [port.name for bridge in lab.bridges for port in bridge.ports]
        raise CommandError(f"no lab port {text!r} (ports: {', '.join(names) or 'none'})"
                           ) from None


def _inject(ctx: Context, args: list[str]) -> Any:
    if len(args) < 2:
        raise CommandError("missing arguments: usage: lab inject PORT FRAME")
    lab = _lab(ctx)
    port = _port(lab, args[0])
    text = ctx.rest.split(None, 2)[2].strip()  # as typed: a builder has spaces, quotes
    if len(text) > 1 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    frame = parse_frame(text)
    if port in {host.port for host in _hosts(ctx).values()}:
        raise CommandError(f"{port} is a host's port now (a veth, not a dummy port): send "
                           f"from the host instead ('lab ping')")
    try:
        lab.inject(port, frame)
    except LabError as exc:
        raise CommandError(f"inject into {port}: {exc}") from None
    return None


def _status(ctx: Context, args: list[str]) -> Any:
    lab = _lab(ctx)
    stats = lab.statistics()
    return {
        "directory": str(stats.dir), "uptime": f"{stats.uptime:.1f} s",
        "daemons": {name: f"pid {pid}" for name, pid in stats.pids.items()},
        "switch starts": stats.switch_starts, "ovs commands run": stats.commands_run,
        "bridges": {bridge.name: {"datapath": bridge.datapath_id_hex,
                                  "ports": [f"{p.ofport}:{p.name}" for p in bridge.ports]}
                    for bridge in lab.bridges},
        "hosts": {h.name: f"{h.address} on {h.port} ({h.mac})" for h in _hosts(ctx).values()},
    }


# --- hosts: network namespaces on lab ports --------------------------------------------

@dataclass
class _Host:
    name: str
    netns: str
    address: str  # 10.0.0.1/24
    mac: str
    port: str


def _hosts(ctx: Context) -> dict[str, _Host]:
    state = ctx.shell.state.get("lab")
    if state is None:
        state = ctx.shell.state["lab"] = {"hosts": {}}
        hosts: dict[str, _Host] = state["hosts"]
        ctx.shell.on_exit.append(lambda: _remove_hosts(ctx, list(hosts)))
    found: dict[str, _Host] = state["hosts"]
    return found


def _ip(*args: str, check: bool = True) -> str:
    result = subprocess.run(["ip", *args], capture_output=True, text=True, timeout=10)
    if check and result.returncode != 0:
        raise CommandError(f"ip {' '.join(args)}: {result.stderr.strip() or 'failed'}")
    return result.stdout


def _host_support() -> None:
    """Raise a CommandError saying why hosts cannot be made here, if they cannot."""
    if sys.platform != "linux":
        raise CommandError("lab host needs Linux network namespaces")
    if os.geteuid() != 0:
        raise CommandError("lab host needs root: it creates a network namespace and a veth "
                           "pair ('ip netns add', 'ip link add'); the lab's dummy ports "
                           "cannot carry a namespace's traffic. Run the shell as root, or "
                           "send frames with 'lab inject'")
    if shutil.which("ip") is None:
        raise CommandError("lab host needs the 'ip' command (iproute2) to create network "
                           "namespaces")


def _sweep(lab: Lab) -> None:
    """Remove the namespaces of labs that are gone."""
    for line in _ip("netns", "list", check=False).splitlines():
        name = line.split()[0] if line.split() else ""
        found = _NETNS.fullmatch(name)
        if found and not (lab.dir.parent / f"lab-{found.group(1)}").exists():
            _ip("netns", "del", name, check=False)


def _host(ctx: Context, args: list[str]) -> Any:
    usage = "lab host NAME IP[/LEN] PORT [--mac MAC]"
    lab = _lab(ctx)
    _host_support()
    args = list(args)
    mac = None
    if "--mac" in args:
        at = args.index("--mac")
        if at + 1 >= len(args):
            raise CommandError(f"--mac needs an address; usage: {usage}")
        mac = args[at + 1].lower()
        del args[at:at + 2]
    if len(args) != 3:
        raise CommandError(f"give NAME, IP and PORT; usage: {usage}")
    name, address, port_text = args
    hosts = _hosts(ctx)
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,9}", name) or name in hosts:
        raise CommandError(f"host name {name!r}: give a new name of letters, digits and _ "
                           f"(up to 10, a letter first)" + (" (it exists)" if name in hosts
                                                            else ""))
    try:
        interface = ipaddress.ip_interface(address if "/" in address else f"{address}/24")
    except ValueError:
        raise CommandError(f"{address!r} is not an IPv4 address (10.0.0.1 or "
                           f"10.0.0.1/24)") from None
    if interface.version != 4:
        raise CommandError(f"{address}: hosts take IPv4 addresses")
    port = _port(lab, port_text)
    if any(host.port == port for host in hosts.values()):
        raise CommandError(f"{port} has a host already")
    if mac is None:
        mac = "02:00:" + ":".join(f"{byte:02x}" for byte in interface.ip.packed)
    elif not re.fullmatch(r"([0-9a-f]{2}:){5}[0-9a-f]{2}", mac):
        raise CommandError(f"--mac {mac}: write it as 02:00:00:00:00:01")
    _sweep(lab)
    if subprocess.run(["ip", "link", "show", port], capture_output=True).returncode == 0:
        raise CommandError(f"lab host {name}: a network device named {port} exists already on "
                           f"this machine (another lab's host?): the host's link needs the name")
    netns = f"vlcp-{lab.dir.name.removeprefix('lab-')}-{name}"
    inner = f"{name}-eth0"
    host = _Host(name, netns, str(interface), mac, port)
    made: list[str] = []  # what to undo: only what this command created
    try:
        _ip("netns", "add", netns)
        made.append("netns")
        _ip("link", "add", port, "type", "veth", "peer", "name", inner, "netns", netns)
        made.append("link")
        _quiet(f"/proc/sys/net/ipv6/conf/{port}/disable_ipv6")
        _ip("link", "set", port, "up")
        run = ["ip", "netns", "exec", netns]
        subprocess.run([*run, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1"],
                       capture_output=True, timeout=10)
        _ip("-n", netns, "link", "set", inner, "address", mac)
        _ip("-n", netns, "addr", "add", str(interface), "dev", inner)
        _ip("-n", netns, "link", "set", inner, "up")
        _ip("-n", netns, "link", "set", "lo", "up")
        lab.vsctl("set", "Interface", port, 'type=""')
        error = lab.vsctl("get", "Interface", port, "error").strip()
        if error not in ("[]", ""):
            raise CommandError(f"Open vSwitch cannot use {port} as a device: {error}")
    except (CommandError, LabError) as exc:
        if "netns" in made:
            _ip("netns", "del", netns, check=False)
        if "link" in made:
            _ip("link", "del", port, check=False)
            _restore(lab, port)
        raise CommandError(f"lab host {name}: {exc}") from None
    hosts[name] = host
    return f"{name}: {interface} ({mac}) in namespace {netns}, on {port}"


def _quiet(path: str) -> None:
    """No IPv6 chatter (router solicitations...) from a host's link."""
    try:
        Path(path).write_text("1")
    except OSError:
        pass  # no IPv6 on this machine: nothing to quiet


def _restore(lab: Lab, port: str) -> None:
    if lab.running:
        try:
            lab.vsctl("set", "Interface", port, "type=dummy")
        except LabError:
            pass  # the port is gone with its bridge


def _remove_hosts(ctx: Context, names: list[str]) -> None:
    hosts = _hosts(ctx)
    for name in names:
        host = hosts.pop(name)
        _ip("netns", "del", host.netns, check=False)
        _ip("link", "del", host.port, check=False)
        if ctx.runtime.lab is not None:
            _restore(ctx.runtime.lab, host.port)


def _list_hosts(ctx: Context, args: list[str]) -> Any:
    return Table(["host", "address", "mac", "port", "namespace"],
                 [[h.name, h.address, h.mac, h.port, h.netns] for h in _hosts(ctx).values()])


def _ping(ctx: Context, args: list[str]) -> Any:
    args = list(args)
    count = _number(args, "--count", 3, 1, 100)
    if len(args) != 2:
        raise CommandError("usage: lab ping H1 H2 [--count N]")
    _lab(ctx)
    hosts = _hosts(ctx)
    for name in args:
        if name not in hosts:
            raise CommandError(f"no host {name!r} (hosts: {', '.join(hosts) or 'none'}; "
                               f"'lab host' makes one)")
    source, target = hosts[args[0]], hosts[args[1]]
    address = target.address.split("/")[0]
    try:
        result = subprocess.run(["ip", "netns", "exec", source.netns, sys.executable, "-c",
                                 _PING, address, str(count), "1.0"],
                                capture_output=True, text=True, timeout=count * 1.5 + 10)
    except subprocess.TimeoutExpired:
        raise CommandError(f"ping {source.name} -> {target.name}: no answer at all") from None
    if result.returncode != 0:
        raise CommandError(f"ping from {source.name}: {result.stderr.strip()[-300:]}")
    times = [float(line.split()[1]) for line in result.stdout.splitlines()
             if len(line.split()) == 2 and line.split()[1] != "-"]
    summary = f"{source.name} -> {target.name} ({address}): {len(times)}/{count} replies"
    if not times:
        raise CommandError(f"{summary} (100% loss): do the switch's flows carry ARP and IP "
                           f"between {source.port} and {target.port}?")
    return f"{summary}, rtt min/avg/max {min(times):.3f}/{sum(times) / len(times):.3f}/" \
        f"{max(times):.3f} ms"


@expectation("sent")
def _expect_sent(ctx: Context, args: list[str]) -> None:
    """``expect sent PORT count=N [within Ns]``: the port has sent N frames since the
    lab started (its ``tx pkts``, as ``ovs-ofctl dump-ports`` shows them)."""
    usage = "expect sent PORT count=N [within Ns]"
    words, _ = within(args)
    if len(words) != 2 or not re.fullmatch(r"count=\d+", words[1]):
        raise CommandError(f"usage: {usage}")
    lab = _lab(ctx)
    port, wanted = _port(lab, words[0]), int(words[1][6:])
    bridge = lab.vsctl("port-to-br", port, wait=False).strip()

    def check(_: list[str]) -> str | None:
        shown = lab.ofctl("-O", "OpenFlow10,OpenFlow13", "dump-ports",
                          f"unix:{lab.dir / bridge}.mgmt", port)
        found = re.search(r"tx pkts=(\d+)", shown)
        sent = int(found.group(1)) if found else -1
        return None if sent == wanted else \
            f"expected {port} to have sent {wanted} frames, it sent {sent}"

    eventually(args, check)


def _trace(ctx: Context, args: list[str]) -> Any:
    """``lab trace BRIDGE FLOW``: Open vSwitch's own account of a packet's way through
    the bridge's tables (``ofproto/trace``); ports go by number or name."""
    lab = _lab(ctx)
    if len(args) < 2:
        raise CommandError("usage: lab trace BRIDGE FLOW (e.g. lab trace s1 in_port=1,tcp)")
    bridge = args[0]
    if bridge not in {b.name for b in lab.bridges}:
        raise CommandError(f"no lab bridge {bridge!r} (bridges: "
                           f"{', '.join(b.name for b in lab.bridges) or 'none'})")
    try:
        text = lab.appctl("ofproto/trace", bridge, ",".join(args[1:]))
    except LabError as exc:
        said = (exc.stderr or str(exc)).strip().splitlines()
        raise CommandError(f"ofproto/trace refused {','.join(args[1:])!r}: "
                           f"{said[0] if said else exc}") from None
    return Lines(text.rstrip("\n").splitlines())


_LAB = {"start": _start, "stop": _stop, "inject": _inject, "host": _host, "hosts": _list_hosts,
        "ping": _ping, "trace": _trace, "status": _status}


# --- apps ------------------------------------------------------------------------------

def _option(text: str) -> tuple[str, Any]:
    key, equals, value = text.partition("=")
    if not equals or not key.isidentifier():
        raise CommandError(f"option {text!r}: write KEY=VALUE (idle_timeout=30)")
    try:
        return key, ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return key, value


@command("app", "start NAME [KEY=VALUE...] | stop NAME", group="apps")
def app(ctx: Context, args: list[str]) -> Any:
    """Start an app on the controller (options as KEY=VALUE), or stop one.

    NAME is ``vlcp_core.apps.NAME`` or a dotted module path: a module with ``async def
    main(controller, **options)``. Values are Python literals when they read as one
    (``30``, ``True``), else strings. ``apps`` shows how they are doing.

    Example: app start l2switch idle_timeout=30
    """
    if len(args) < 2 or args[0] not in ("start", "stop"):
        raise CommandError("usage: app start NAME [KEY=VALUE...] | app stop NAME")
    name = args[1]
    if args[0] == "stop":
        return _app_stop(ctx, name)
    options = dict(_option(text) for text in args[2:])
    existing = ctx.runtime.apps.get(name)
    if existing is not None and not ctx.runtime.call_sync(existing.done):
        raise CommandError(f"app {name!r} is running already ('app stop {name}' first)")
    module_name = name if "." in name else f"vlcp_core.apps.{name}"
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise CommandError(f"cannot import app {module_name}: {exc}") from None
    main = getattr(module, "main", None)
    if not asyncio.iscoroutinefunction(main):
        raise CommandError(f"{module_name} is no app: it has no 'async def main(controller, "
                           f"**options)'")
    runtime = ctx.runtime
    running = [False]  # past its start: a failure from then on is reported

    def done(task: asyncio.Task[Any]) -> None:
        error = None if task.cancelled() else task.exception()  # retrieved: never lost
        if error is not None and running[0]:
            runtime.report(f"app {name} failed: {type(error).__name__}: {error}")

    async def launch() -> BaseException | None:
        task = asyncio.get_running_loop().create_task(main(runtime.controller, **options),
                                                      name=module_name)
        task.add_done_callback(done)
        runtime.apps[name] = task
        for _ in range(3):  # let it start: a bad option fails at once
            await asyncio.sleep(0)
        running[0] = not task.done()
        return task.exception() if task.done() and not task.cancelled() else None
    error = ctx.call(launch())
    if error is not None:
        raise CommandError(f"app {name} failed at start: {type(error).__name__}: {error}")
    shown = " ".join(f"{k}={v!r}" for k, v in options.items())
    return f"app {name} started ({module_name}{', ' + shown if shown else ''})"


def _app_stop(ctx: Context, name: str) -> Any:
    if name not in ctx.runtime.apps:
        raise CommandError(f"no app {name!r} (apps: {', '.join(ctx.runtime.apps) or 'none'})")
    runtime = ctx.runtime

    async def stop() -> None:
        task = runtime.apps.pop(name)
        task.cancel()
        await asyncio.wait([task], timeout=5)
    ctx.call(stop())
    return None


@command("apps", group="apps")
def apps(ctx: Context, args: list[str]) -> Any:
    """The apps started: name, module, state (running, stopped, failed with the error).

    Example: apps
    """
    def collect() -> list[list[Any]]:
        rows = []
        for name, task in ctx.runtime.apps.items():
            state, error = "running", ""
            if task.cancelled():
                state = "cancelled"
            elif task.done():
                failure = task.exception()
                state = "failed" if failure else "stopped"
                error = f"{type(failure).__name__}: {failure}" if failure else ""
            rows.append([name, task.get_name(), state, error])
        return rows
    return Table(["app", "module", "state", "error"], ctx.runtime.call_sync(collect))
