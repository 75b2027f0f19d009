"""The two daemons of one lab: start them, watch them, stop them."""

from __future__ import annotations

import logging
import math
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ._commands import OvsTools, run_command
from ._errors import LabError
from ._procfs import process_info
from ._registry import DaemonRecord, LabRecord, write_record
from ._spawn import spawn_daemon

__all__ = ["DAEMONS", "LabRuntime", "LabStatistics"]

DAEMONS = ("ovsdb-server", "ovs-vswitchd")
_READY_TIMEOUT = 10.0
_EXIT_TIMEOUT = 5.0

_log = logging.getLogger("workbench.lab")


def _tail(path: Path, lines: int = 15) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def _accepts_connections(path: Path) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(str(path))
        except OSError:
            return False
    return True


@dataclass(frozen=True)
class LabStatistics:
    """What :meth:`Lab.statistics` reports.

    Attributes:
        dir: the lab directory (sockets, logs, database, pcap files).
        running: ``False`` once stopped.
        uptime: seconds since start (until stop, once stopped).
        pids: daemon name -> pid.
        bridges: names of the bridges, in creation order.
        commands_run: OVS command line tools run so far.
        switch_starts: times ``ovs-vswitchd`` was started (1 + restarts).
        database_starts: times ``ovsdb-server`` was started (1 + restarts).
    """

    dir: Path
    running: bool
    uptime: float
    pids: dict[str, int]
    bridges: tuple[str, ...]
    commands_run: int
    switch_starts: int = 1
    database_starts: int = 1


class LabRuntime:
    """Processes and paths of one lab; deliberately free of references to ``Lab``.

    ``Lab`` registers :meth:`shutdown` with ``weakref.finalize``, which must not
    keep the ``Lab`` itself alive.
    """

    def __init__(
        self, tools: OvsTools, lab_dir: Path, record: LabRecord, command_timeout: float
    ) -> None:
        self.tools = tools
        self.dir = lab_dir
        self.record = record
        self.command_timeout = command_timeout
        self.owner_pid = os.getpid()
        self.started_at = time.monotonic()
        self.stopped_at: float | None = None
        self.commands_run = 0
        self.switch_starts = 1
        self.database_starts = 1
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self._lock = threading.Lock()
        # Every OVS program we run looks for its files here, never in the
        # system's /var/run/openvswitch.
        self.env = dict(os.environ)
        for variable in ("OVS_RUNDIR", "OVS_LOGDIR", "OVS_DBDIR", "OVS_SYSCONFDIR"):
            self.env[variable] = str(lab_dir)

    # --- paths ---------------------------------------------------------------

    def path(self, name: str) -> Path:
        """A file inside the lab directory."""
        return self.dir / name

    def ctl(self, daemon: str) -> Path:
        """The unixctl socket of ``daemon`` (``ovsdb-server`` or ``ovs-vswitchd``)."""
        return self.path(f"{daemon}.ctl")

    @property
    def db_path(self) -> Path:
        """The Unix socket ``ovsdb-server`` listens on."""
        return self.path("db.sock")

    @property
    def db_target(self) -> str:
        return f"unix:{self.db_path}"

    @property
    def running(self) -> bool:
        return self.stopped_at is None

    # --- commands ------------------------------------------------------------

    def run(
        self, argv: Sequence[str], what: str | None = None, timeout: float | None = None
    ) -> str:
        """Run an OVS tool with the lab's environment; see ``run_command``."""
        self.commands_run += 1
        return run_command(argv, env=self.env, timeout=timeout or self.command_timeout, what=what)

    def vsctl_argv(self, args: Sequence[str], wait: bool) -> list[str]:
        argv = [
            self.tools.ovs_vsctl,
            f"--db={self.db_target}",
            f"--timeout={math.ceil(self.command_timeout)}",
        ]
        if not wait:
            argv.append("--no-wait")
        return [*argv, *args]

    def appctl_argv(self, daemon: str, args: Sequence[str]) -> list[str]:
        timeout = math.ceil(self.command_timeout)
        return [self.tools.ovs_appctl, "-t", str(self.ctl(daemon)), f"--timeout={timeout}", *args]

    def ofctl_argv(self, args: Sequence[str]) -> list[str]:
        timeout = max(1, math.ceil(self.command_timeout))
        return [self.tools.ovs_ofctl, f"--timeout={timeout}", *args]

    def statistics(self, bridges: tuple[str, ...]) -> LabStatistics:
        """A :class:`LabStatistics` snapshot (``bridges`` come from the ``Lab``)."""
        end = self.stopped_at if self.stopped_at is not None else time.monotonic()
        return LabStatistics(
            dir=self.dir,
            running=self.running,
            uptime=end - self.started_at,
            pids={name: self.processes[name].pid for name in DAEMONS if name in self.processes},
            bridges=bridges,
            commands_run=self.commands_run,
            switch_starts=self.switch_starts,
            database_starts=self.database_starts,
        )

    # --- start ---------------------------------------------------------------

    def start(self) -> None:
        """Create the database and start both daemons; returns once both answer."""
        self.run(
            [self.tools.ovsdb_tool, "create", str(self.path("conf.db")), str(self.tools.schema)],
            "creating the database failed",
        )
        self._start_ovsdb_server()
        self.run(self.vsctl_argv(["init"], wait=False), "initializing the database failed")
        self._start_vswitchd()

    def _start_ovsdb_server(self) -> None:
        self._spawn(
            "ovsdb-server",
            [
                self.tools.ovsdb_server,
                str(self.path("conf.db")),
                f"--remote=punix:{self.db_path}",
                # As ovs-ctl starts it: managers (ptcp:, pssl:) and SSL from the database.
                "--remote=db:Open_vSwitch,Open_vSwitch,manager_options",
                "--private-key=db:Open_vSwitch,SSL,private_key",
                "--certificate=db:Open_vSwitch,SSL,certificate",
                "--ca-cert=db:Open_vSwitch,SSL,ca_cert",
                f"--unixctl={self.ctl('ovsdb-server')}",
                f"--pidfile={self.path('ovsdb-server.pid')}",
                f"--log-file={self.path('ovsdb-server.log')}",
                "-vconsole:err",
            ],
            ready_socket=self.db_path,
        )

    def _start_vswitchd(self) -> None:
        self._spawn(
            "ovs-vswitchd",
            [
                self.tools.ovs_vswitchd,
                self.db_target,
                "--enable-dummy",
                "--disable-system",
                "--disable-system-route",
                f"--unixctl={self.ctl('ovs-vswitchd')}",
                f"--pidfile={self.path('ovs-vswitchd.pid')}",
                f"--log-file={self.path('ovs-vswitchd.log')}",
                "-vconsole:err",
            ],
            ready_socket=self.ctl("ovs-vswitchd"),
        )
        # The control socket exists; make sure the main loop answers too.
        self.run(self.appctl_argv("ovs-vswitchd", ["version"]), "ovs-vswitchd did not answer")

    def restart_vswitchd(self) -> None:
        """Stop ``ovs-vswitchd`` (without ``--cleanup``) and start a new one on the same database.

        Returns once the new daemon has applied the whole configuration: a
        database change made with ``ovs-vsctl``'s default wait returns only
        when ``ovs-vswitchd`` has caught up with it (``cur_cfg`` reaches
        ``next_cfg``). A dead ``ovs-vswitchd`` is simply started again.

        Raises:
            LabError: the lab is stopped, ``ovsdb-server`` died, or the new
                daemon failed to start or to apply the configuration.
        """
        with self._lock:
            self._require_alive("ovsdb-server")
            self._stop_daemon("ovs-vswitchd", [])
            # A killed daemon leaves its sockets behind: the readiness check
            # must see the new ones.
            for stale in self.dir.glob("*.mgmt"):
                stale.unlink(missing_ok=True)
            self.ctl("ovs-vswitchd").unlink(missing_ok=True)
            self.switch_starts += 1
            self._start_vswitchd()
            change = f"external_ids:vlcp-lab-switch-starts={self.switch_starts}"
            self.run(
                self.vsctl_argv(["set", "Open_vSwitch", ".", change], wait=True),
                "ovs-vswitchd did not apply its configuration after the restart",
            )

    def _require_alive(self, name: str) -> None:
        """Before restarting the other daemon: the lab runs and *name* is alive."""
        if not self.running:
            raise LabError(f"the lab in {self.dir} has been stopped")
        if self.processes[name].poll() is not None:
            details = self.diagnostics(name)
            raise LabError(f"lab daemon {name} died unexpectedly\n{details}")

    def restart_ovsdb_server(self, wait: bool = True) -> None:
        """Stop ``ovsdb-server`` and start a new one on the same database file and socket.

        Returns once the new server accepts connections and (``wait``)
        ``ovs-vswitchd``, which reconnects by itself after its backoff, has
        caught up with a database change made with ``ovs-vsctl``'s default
        wait. A dead ``ovsdb-server`` is simply started again.

        Raises:
            LabError: the lab is stopped, ``ovs-vswitchd`` died, or the new
                server failed to start or ``ovs-vswitchd`` did not come back.
        """
        with self._lock:
            self._require_alive("ovs-vswitchd")
            self._stop_daemon("ovsdb-server", [])
            # A killed server leaves its sockets behind: the readiness check
            # must see the new ones.
            self.db_path.unlink(missing_ok=True)
            self.ctl("ovsdb-server").unlink(missing_ok=True)
            self.database_starts += 1
            self._start_ovsdb_server()
            change = f"external_ids:vlcp-lab-database-starts={self.database_starts}"
            self.run(
                self.vsctl_argv(["set", "Open_vSwitch", ".", change], wait=wait),
                "ovs-vswitchd did not catch up with ovsdb-server after its restart",
            )

    def _spawn(self, name: str, argv: list[str], ready_socket: Path) -> None:
        stderr_path = self.path(f"{name}.stderr")
        try:
            process = spawn_daemon(argv, env=self.env, cwd=self.dir, stderr_path=stderr_path)
        except OSError as exc:
            raise LabError(f"could not start {name}: {exc}", command=argv) from None
        self.processes[name] = process
        info = process_info(process.pid)
        self.record.daemons[name] = DaemonRecord(
            pid=process.pid, start_time=info.start_time if info else 0
        )
        write_record(self.dir, self.record)
        deadline = time.monotonic() + _READY_TIMEOUT
        # The socket file appears at bind(), a moment before listen(): until
        # then connecting is refused. Wait until a connection is accepted.
        while not _accepts_connections(ready_socket):
            if process.poll() is not None:
                status = process.returncode
                logs = self.diagnostics(name)
                raise LabError(f"{name} exited with status {status} during start-up\n{logs}")
            if time.monotonic() > deadline:
                raise LabError(
                    f"{name} did not listen on {ready_socket} within {_READY_TIMEOUT:g} s"
                )
            time.sleep(0.005)

    # --- health --------------------------------------------------------------

    def diagnostics(self, name: str) -> str:
        """Tail of a daemon's log and standard error, for error messages."""
        parts = []
        for suffix in ("log", "stderr"):
            tail = _tail(self.path(f"{name}.{suffix}"))
            if tail:
                parts.append(f"--- {name}.{suffix} (tail) ---\n{tail}")
        return "\n".join(parts)

    def dead_daemons(self) -> list[str]:
        """Daemons that have exited although the lab was not stopped (and reap them)."""
        return [name for name, process in self.processes.items() if process.poll() is not None]

    def ensure_running(self) -> None:
        """Raise ``LabError`` if the lab was stopped or one of its daemons died."""
        if not self.running:
            raise LabError(f"the lab in {self.dir} has been stopped")
        dead = self.dead_daemons()
        if dead:
            details = "\n".join(self.diagnostics(name) for name in dead)
            raise LabError(f"lab daemon(s) {', '.join(dead)} died unexpectedly\n{details}")

    # --- stop ----------------------------------------------------------------

    def _stop_daemon(self, name: str, exit_args: Sequence[str]) -> None:
        process = self.processes.get(name)
        if process is None:
            return
        if process.poll() is None:
            try:
                self.run(self.appctl_argv(name, ["exit", *exit_args]), timeout=_EXIT_TIMEOUT)
            except LabError as exc:
                _log.debug("graceful exit of %s failed: %s", name, exc)
            try:
                process.wait(timeout=_EXIT_TIMEOUT)
            except subprocess.TimeoutExpired:
                _log.warning("%s (pid %d) ignored exit; killing it", name, process.pid)
                process.kill()
                process.wait(timeout=_EXIT_TIMEOUT)
        else:
            process.wait()  # reap
        # A clean exit removes the pidfile; a killed daemon leaves it behind.
        pidfile = self.path(f"{name}.pid")
        deadline = time.monotonic() + 1.0
        while pidfile.exists() and time.monotonic() < deadline and process.returncode == 0:
            time.sleep(0.01)

    def stop(self, remove_dir: bool = True) -> None:
        """Stop both daemons (gracefully, then by force), reap them, remove the directory.

        Idempotent. Does nothing in a forked child: only the owner stops a lab.
        """
        with self._lock:
            if self.stopped_at is not None or os.getpid() != self.owner_pid:
                return
            self.stopped_at = time.monotonic()
            try:
                self._stop_daemon("ovs-vswitchd", ["--cleanup"])
            finally:
                self._stop_daemon("ovsdb-server", [])
            if remove_dir:
                shutil.rmtree(self.dir, ignore_errors=True)

    def shutdown(self) -> None:
        """``stop()`` for finalizers and atexit: never raises."""
        try:
            self.stop()
        except BaseException as exc:  # noqa: BLE001 - at exit there is nobody to tell
            _log.warning("stopping the lab in %s failed: %s", self.dir, exc)
