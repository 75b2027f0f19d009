"""Argument lists for ``ovs-vsctl`` (bridges, ports, controllers) and ``ovs-ofctl``.

The ``ovs-vsctl`` builders return ``--``-separated commands, so that several
can be combined into one invocation (one database transaction).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from ._bridge import Port
from ._errors import LabError

__all__ = ["bridge_args", "controller_args", "ofctl_args", "ofport_query_args", "port_args"]


def bridge_args(
    name: str, *, datapath_id: str, protocols: Sequence[str], fail_mode: str
) -> list[str]:
    """Create bridge ``name`` on the userspace ``dummy`` datapath."""
    return [
        "--", "add-br", name,
        "--", "set", "Bridge", name, "datapath_type=dummy", f"fail_mode={fail_mode}",
        f"protocols={','.join(protocols)}", f"other-config:datapath-id={datapath_id}",
        # In-band control would add hidden flows for the controller's traffic.
        "other-config:disable-in-band=true",
    ]  # fmt: skip


def port_args(bridge_name: str, port: Port) -> list[str]:
    """Add a ``dummy`` port on the requested OpenFlow port number."""
    return [
        "--", "add-port", bridge_name, port.name,
        "--", "set", "Interface", port.name, "type=dummy", f"ofport_request={port.ofport}",
    ]  # fmt: skip


def ofport_query_args(ports: Sequence[Port]) -> list[str]:
    """Read back the OpenFlow port number OVS assigned to each port, one per line."""
    args: list[str] = []
    for port in ports:
        args += ["--", "get", "Interface", port.name, "ofport"]
    return args


def controller_args(
    bridge_name: str,
    target: str | Sequence[str],
    max_backoff: int = 1000,
    inactivity_probe: int | None = None,
) -> list[str]:
    """Replace the bridge's controllers by freshly created Controller rows.

    New rows make ``ovs-vswitchd`` connect at once: on an existing row it keeps
    its (possibly long) backoff, and ``max_backoff`` only applies after a
    first successful connection. The old rows are garbage collected.

    Raises:
        LabError: an empty or quoted target, or ``max_backoff`` below 1000 ms.
    """
    targets = [target] if isinstance(target, str) else list(target)
    if max_backoff < 1000:
        raise LabError("max_backoff must be at least 1000 ms")
    args: list[str] = []
    for index, each in enumerate(targets):
        if '"' in each or not each:
            raise LabError(f"invalid controller target {each!r}")
        args += [
            "--", f"--id=@c{index}", "create", "Controller", f'target="{each}"',
            f"max_backoff={max_backoff}", "connection_mode=out-of-band",
        ]  # fmt: skip
        if inactivity_probe is not None:
            args.append(f"inactivity_probe={inactivity_probe}")
    refs = ",".join(f"@c{index}" for index in range(len(targets)))
    return [*args, "--", "set", "Bridge", bridge_name, f"controller=[{refs}]"]


def ofctl_args(args: Sequence[str], bridges: Mapping[str, tuple[Path, Sequence[str]]]) -> list[str]:
    """Point ``ovs-ofctl`` arguments at a bridge's management socket.

    Args:
        args: ``ovs-ofctl`` arguments as the user wrote them.
        bridges: bridge name -> (management socket, OpenFlow versions).

    Returns:
        ``args`` with the first bridge name replaced by ``unix:MGMT``, preceded
        by ``-O VERSIONS`` when that bridge does not speak OpenFlow 1.0 (the
        only version ``ovs-ofctl`` enables by default) and no ``-O`` was given.
    """
    argv = list(args)
    explicit = any(a.startswith(("-O", "--protocols")) for a in argv)
    for index, arg in enumerate(argv):
        if arg in bridges:
            mgmt, protocols = bridges[arg]
            argv[index] = f"unix:{mgmt}"
            if not explicit and "OpenFlow10" not in protocols:
                argv[:0] = ["-O", ",".join(protocols)]
            break
    return argv
