"""Lab directories: who owns them, which daemons run there, sweeping the stale ones.

Every lab directory holds ``lab.json``::

    {"owner_pid": 4242, "owner_start_time": 123456, "created": 1700000000.0,
     "daemons": {"ovsdb-server": {"pid": 4243, "start_time": 123460}, ...}}

A lab is stale when its owner is gone: no such process, a zombie, or a
different process with the same pid (start times differ). Sweeping kills the
stale lab's daemons that are still alive and removes the directory.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._procfs import kill_and_wait, pid_alive, process_cmdline, process_info

__all__ = [
    "DaemonRecord",
    "LabRecord",
    "default_root",
    "make_lab_dir",
    "read_record",
    "sweep_stale_labs",
    "write_record",
]

RECORD_NAME = "lab.json"
# Only directories named like this are ever swept, whatever ``root`` is.
_LAB_NAME = re.compile(r"lab-[0-9a-f]{8}")
PIDFILES = ("ovs-vswitchd.pid", "ovsdb-server.pid")
# A directory without a readable record is being created right now, or was
# abandoned in the instant between mkdir and the first write: give it time.
_UNRECORDED_GRACE = 60.0

_log = logging.getLogger("workbench.lab")


@dataclass(frozen=True)
class DaemonRecord:
    """A daemon started for a lab: pid plus start time, to survive pid reuse."""

    pid: int
    start_time: int


@dataclass
class LabRecord:
    """The contents of ``lab.json``."""

    owner_pid: int
    owner_start_time: int
    created: float
    daemons: dict[str, DaemonRecord] = field(default_factory=dict)

    @classmethod
    def for_this_process(cls) -> LabRecord:
        """A record owned by the calling process."""
        me = process_info(os.getpid())
        return cls(
            owner_pid=os.getpid(), owner_start_time=me.start_time if me else 0, created=time.time()
        )

    def owner_alive(self) -> bool:
        """Whether the owning process still exists (and is the same process)."""
        return pid_alive(self.owner_pid, self.owner_start_time)

    def to_json(self) -> dict[str, Any]:
        return {
            "owner_pid": self.owner_pid,
            "owner_start_time": self.owner_start_time,
            "created": self.created,
            "daemons": {
                n: {"pid": d.pid, "start_time": d.start_time} for n, d in self.daemons.items()
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LabRecord:
        daemons = {
            str(name): DaemonRecord(pid=int(d["pid"]), start_time=int(d["start_time"]))
            for name, d in dict(data.get("daemons", {})).items()
        }
        return cls(
            owner_pid=int(data["owner_pid"]),
            owner_start_time=int(data["owner_start_time"]),
            created=float(data["created"]),
            daemons=daemons,
        )


def default_root() -> Path:
    """Where labs live unless told otherwise: short, because of socket path limits."""
    uid = os.getuid()
    return Path("/tmp/vlcp-lab" if uid == 0 else f"/tmp/vlcp-lab-{uid}")


def make_lab_dir(root: Path, record: LabRecord) -> Path:
    """Create a fresh ``root/lab-XXXXXXXX`` directory and record its owner in it."""
    root.mkdir(parents=True, exist_ok=True)
    while True:
        lab_dir = root / f"lab-{secrets.token_hex(4)}"
        try:
            lab_dir.mkdir(mode=0o755)
        except FileExistsError:
            continue
        write_record(lab_dir, record)
        return lab_dir


def write_record(lab_dir: Path, record: LabRecord) -> None:
    """Atomically (re)write ``lab.json`` in ``lab_dir``."""
    tmp = lab_dir / f".{RECORD_NAME}.tmp"
    tmp.write_text(json.dumps(record.to_json(), indent=1), encoding="utf-8")
    os.replace(tmp, lab_dir / RECORD_NAME)


def read_record(lab_dir: Path) -> LabRecord | None:
    """The record in ``lab_dir``, or ``None`` if it is missing or unreadable."""
    try:
        return LabRecord.from_json(json.loads((lab_dir / RECORD_NAME).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _pidfile_daemons(lab_dir: Path) -> list[int]:
    """Pids from the daemons' own pidfiles that really belong to this directory."""
    pids: list[int] = []
    for name in PIDFILES:
        try:
            pid = int((lab_dir / name).read_text().strip())
        except (OSError, ValueError):
            continue
        # The pid may have been recycled: only trust it if the process was
        # started with paths inside this lab directory.
        if pid_alive(pid) and any(str(lab_dir) in arg for arg in process_cmdline(pid)):
            pids.append(pid)
    return pids


def _kill_daemons(lab_dir: Path, record: LabRecord | None) -> list[int]:
    killed: list[int] = []
    if record is not None:
        for daemon in record.daemons.values():
            if pid_alive(daemon.pid, daemon.start_time):
                kill_and_wait(daemon.pid, daemon.start_time)
                killed.append(daemon.pid)
    for pid in _pidfile_daemons(lab_dir):
        kill_and_wait(pid)
        killed.append(pid)
    return killed


def sweep_stale_labs(root: Path | None = None) -> list[Path]:
    """Kill the daemons of labs whose owner died and delete their directories.

    Labs of live owners (this process included) are left alone, so this is
    safe to call at any time, from any number of processes.

    Args:
        root: directory that holds lab directories (default: :func:`default_root`).

    Returns:
        The lab directories that were removed.

    Example:
        >>> sweep_stale_labs(Path("/nonexistent"))
        []
    """
    root = default_root() if root is None else root
    try:
        candidates = sorted(
            p
            for p in root.iterdir()
            if _LAB_NAME.fullmatch(p.name) and p.is_dir() and not p.is_symlink()
        )
    except FileNotFoundError:
        return []
    swept: list[Path] = []
    for lab_dir in candidates:
        record = read_record(lab_dir)
        if record is None:
            try:
                age = time.time() - lab_dir.stat().st_mtime
            except FileNotFoundError:
                continue
            if age < _UNRECORDED_GRACE:
                continue
        elif record.owner_alive():
            continue
        killed = _kill_daemons(lab_dir, record)
        shutil.rmtree(lab_dir, ignore_errors=True)
        if not lab_dir.exists():
            swept.append(lab_dir)
        _log.info("swept stale lab %s (killed daemons: %s)", lab_dir, killed or "none")
    return swept
