"""Locating the Open vSwitch programs and running them with timeouts."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ._errors import LabError

__all__ = ["OvsTools", "find_ovs", "ovs_available", "run_command"]

_PROGRAMS = ("ovsdb-tool", "ovsdb-server", "ovs-vswitchd", "ovs-vsctl", "ovs-ofctl", "ovs-appctl")
# sbin is often missing from PATH for ordinary users; the daemons live there.
_EXTRA_DIRS = ("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin", "/sbin", "/bin")
_SCHEMA_DIRS = ("/usr/share/openvswitch", "/usr/local/share/openvswitch")
_INSTALL_HINT = (
    "Open vSwitch is not installed (or incomplete): run `./dev test`, which installs "
    "openvswitch-switch, or `apt-get install openvswitch-switch`"
)


@dataclass(frozen=True)
class OvsTools:
    """Absolute paths of the OVS programs and the ``vswitch`` database schema."""

    ovsdb_tool: str
    ovsdb_server: str
    ovs_vswitchd: str
    ovs_vsctl: str
    ovs_ofctl: str
    ovs_appctl: str
    schema: Path


def _which(program: str) -> str | None:
    found = shutil.which(program)
    if found is not None:
        return found
    for directory in _EXTRA_DIRS:
        candidate = os.path.join(directory, program)
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def find_ovs() -> OvsTools:
    """Locate the Open vSwitch programs this lab needs.

    Returns:
        Their absolute paths and the schema file.

    Raises:
        LabError: something is missing; the message says how to install it.

    Example:
        >>> find_ovs().ovs_vsctl  # doctest: +SKIP
        '/usr/bin/ovs-vsctl'
    """
    paths: dict[str, str] = {}
    missing: list[str] = []
    for program in _PROGRAMS:
        found = _which(program)
        if found is None:
            missing.append(program)
        else:
            paths[program.replace("-", "_")] = found
    schema = next(
        (
            Path(d) / "vswitch.ovsschema"
            for d in _SCHEMA_DIRS
            if (Path(d) / "vswitch.ovsschema").is_file()
        ),
        None,
    )
    if schema is None:
        missing.append("vswitch.ovsschema")
    if missing or schema is None:
        raise LabError(f"{_INSTALL_HINT}; missing: {', '.join(missing)}")
    return OvsTools(schema=schema, **paths)


def ovs_available() -> bool:
    """Whether everything :func:`find_ovs` needs is installed.

    Example:
        >>> isinstance(ovs_available(), bool)
        True
    """
    try:
        find_ovs()
    except LabError:
        return False
    return True


def run_command(
    argv: Sequence[str],
    *,
    env: Mapping[str, str],
    timeout: float,
    what: str | None = None,
) -> str:
    """Run one OVS command line tool to completion and return its standard output.

    Args:
        argv: program and arguments.
        env: complete environment.
        timeout: seconds before the command is killed.
        what: short description for the error message (defaults to the program name).

    Returns:
        Standard output, decoded as UTF-8.

    Raises:
        LabError: non-zero exit, timeout, or the program could not be started.
    """
    label = what or f"{Path(argv[0]).name} failed"
    try:
        completed = subprocess.run(
            list(argv),
            env=dict(env),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        stderr = exc.stderr.decode(errors="replace") if isinstance(exc.stderr, bytes) else ""
        raise LabError(f"{label} after {timeout:g} s", command=argv, stderr=stderr) from None
    except OSError as exc:
        raise LabError(f"{label}: {exc}", command=argv) from None
    if completed.returncode != 0:
        raise LabError(
            label,
            command=argv,
            returncode=completed.returncode,
            stderr=completed.stderr.decode(errors="replace"),
        )
    return completed.stdout.decode(errors="replace")
