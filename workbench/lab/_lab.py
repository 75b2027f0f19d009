"""``Lab``: a private, userspace-only Open vSwitch for experiments and tests."""

from __future__ import annotations

import os
import threading
import time
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Literal

from ._bridge import Bridge, Port, check_name, format_datapath_id, normalize_protocols
from ._cli_args import bridge_args, controller_args, ofctl_args, ofport_query_args, port_args
from ._commands import find_ovs
from ._daemons import LabRuntime, LabStatistics
from ._errors import LabError
from ._registry import LabRecord, default_root, make_lab_dir, sweep_stale_labs

__all__ = ["Lab", "LabStatistics"]

# Unix socket paths are limited to 107 bytes; the longest one a lab creates is
# DIR/<15-character bridge>.snoop.
_MAX_DIR_LENGTH = 107 - len("/123456789012345.snoop")
_INJECT_BATCH = 64
_DEFAULT_PROTOCOLS = ("OpenFlow10", "OpenFlow13")


@dataclass
class _BridgeState:
    name: str
    datapath_id: int
    protocols: tuple[str, ...]
    ports: dict[str, int]


class Lab:
    """A private Open vSwitch (``ovsdb-server`` + ``ovs-vswitchd``) with dummy bridges.

    Everything lives in a short directory (default ``/tmp/vlcp-lab/lab-XXXXXXXX``);
    the system's OVS, if any, is never touched. Bridges use the userspace
    ``dummy`` datapath, so no kernel module, tap device or privilege beyond
    running the daemons is needed.

    The daemons are children of this process and die with it, also on SIGKILL
    (``PR_SET_PDEATHSIG``). Linux sends that signal when the *thread* that
    forked a child ends, so all daemons are forked by one internal thread that
    lives as long as the process: a lab may be started from any thread, and
    that thread may end before the lab. Labs whose owner died anyway are swept
    at the next start. A lab is stopped by :meth:`stop`, by leaving a ``with``
    block, when it is garbage collected, or at interpreter exit.

    Args:
        base_dir: directory that holds lab directories (default
            ``/tmp/vlcp-lab``, or ``/tmp/vlcp-lab-UID`` for non-root users).
            Keep it short: socket paths are limited to 107 bytes.
        command_timeout: seconds any single OVS command may take.

    Raises:
        LabError: OVS is not installed, the directory is unusable, or a daemon
            failed to start (the message includes its log).

    Example:
        >>> with Lab() as lab:  # doctest: +SKIP
        ...     lab.add_bridge("s1", ports=2)
        ...     print(lab.ofctl("show", "s1"))
    """

    def __init__(
        self, base_dir: str | os.PathLike[str] | None = None, *, command_timeout: float = 10.0
    ) -> None:
        tools = find_ovs()
        root = Path(base_dir).absolute() if base_dir is not None else default_root()
        if len(str(root)) + len("/lab-12345678") > _MAX_DIR_LENGTH:
            raise LabError(
                f"lab base directory {root} is too long for Unix socket paths;"
                " use a short one under /tmp"
            )
        sweep_stale_labs(root)
        record = LabRecord.for_this_process()
        lab_dir = make_lab_dir(root, record)
        self._runtime = LabRuntime(tools, lab_dir, record, command_timeout)
        self._finalizer = weakref.finalize(self, self._runtime.shutdown)
        self._lock = threading.RLock()
        self._bridges: dict[str, _BridgeState] = {}
        self._lab_tag = int(lab_dir.name.removeprefix("lab-"), 16)
        self._next_bridge = 1
        try:
            self._runtime.start()
        except BaseException:
            # The error message already carries the daemons' logs.
            self._finalizer()
            raise

    @classmethod
    def start(
        cls, base_dir: str | os.PathLike[str] | None = None, *, command_timeout: float = 10.0
    ) -> Lab:
        """Start a lab; the same as ``Lab(base_dir, ...)``.

        Example:
            >>> lab = Lab.start()  # doctest: +SKIP
            >>> lab.stop()  # doctest: +SKIP
        """
        return cls(base_dir, command_timeout=command_timeout)

    # --- lifecycle -------------------------------------------------------------

    @property
    def dir(self) -> Path:
        """The lab directory."""
        return self._runtime.dir

    @property
    def running(self) -> bool:
        """``True`` until the lab is stopped."""
        return self._runtime.running

    @property
    def db_path(self) -> Path:
        """The Unix socket of ``ovsdb-server`` (``DIR/db.sock``), for OVSDB clients."""
        return self._runtime.db_path

    @property
    def db_target(self) -> str:
        """``"unix:"`` + :attr:`db_path`: the database as OVS tools name it.

        Example:
            >>> lab.db_target  # doctest: +SKIP
            'unix:/tmp/vlcp-lab/lab-1a2b3c4d/db.sock'
        """
        return self._runtime.db_target

    def stop(self) -> None:
        """Stop the daemons (``exit --cleanup``, then SIGKILL if needed), reap them,
        and remove the lab directory. Calling it again does nothing.

        Example:
            >>> lab.stop()  # doctest: +SKIP
        """
        self._finalizer()

    def check(self) -> None:
        """Raise ``LabError`` if the lab is stopped or a daemon died (with its log)."""
        self._runtime.ensure_running()

    def restart_switch(self) -> None:
        """Restart ``ovs-vswitchd``; ``ovsdb-server`` and its database stay.

        Everything stored in the database comes back: bridges, their dummy
        ports (on the same OpenFlow port numbers), controllers, SSL settings,
        pcap captures (their files start afresh). What lived only in the old
        daemon is gone: flows, groups, meters, and connections. Controllers
        see the switch disconnect, then connect again at once. Returns when the
        new daemon has applied the configuration and every bridge answers
        ``ovs-ofctl show`` with its ports. A dead ``ovs-vswitchd`` is started
        again.

        Raises:
            LabError: the lab is stopped, ``ovsdb-server`` died, or the new
                ``ovs-vswitchd`` did not come up (with its log).

        Example:
            >>> lab.restart_switch()  # doctest: +SKIP
            >>> lab.statistics().switch_starts  # doctest: +SKIP
            2
        """
        with self._lock:
            self._runtime.restart_vswitchd()
            for state in self._bridges.values():
                shown = self.ofctl("show", state.name)
                missing = [n for n, o in state.ports.items() if f" {o}({n}):" not in shown]
                if missing:
                    raise LabError(
                        f"after the restart, bridge {state.name} lacks port(s)"
                        f" {', '.join(missing)}:\n{shown}"
                    )

    def restart_db(self, *, wait: bool = True) -> None:
        """Restart ``ovsdb-server`` on the same database file and socket path.

        The data lives in the database file, so everything stays: bridges,
        ports, controllers, settings. Clients connected to :attr:`db_path` see
        the connection close (EOF) and may connect again once this returns.
        ``ovs-vswitchd`` reconnects by itself, keeping its flows and its
        controller connections, but only after its reconnection backoff: 1 s,
        doubling up to 8 s while its connections keep being cut short.

        Args:
            wait: return when ``ovs-vswitchd`` is back and has caught up with a
                database change (the default); ``False``: as soon as the new
                server accepts connections (``vsctl`` with its default wait
                then blocks until ``ovs-vswitchd`` is back).

        Raises:
            LabError: the lab is stopped, ``ovs-vswitchd`` died, the new
                ``ovsdb-server`` did not come up (with its log), or
                ``ovs-vswitchd`` did not come back to it.

        Example:
            >>> lab.restart_db()  # doctest: +SKIP
            >>> lab.statistics().database_starts  # doctest: +SKIP
            2
        """
        with self._lock:
            self._runtime.restart_ovsdb_server(wait)

    def __enter__(self) -> Lab:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<Lab {self.dir} {state}, bridges: {', '.join(self._bridges) or 'none'}>"

    def statistics(self) -> LabStatistics:
        """Directory, daemon pids, bridges and counters of this lab.

        Example:
            >>> lab.statistics().pids  # doctest: +SKIP
            {'ovsdb-server': 4242, 'ovs-vswitchd': 4244}
        """
        with self._lock:
            return self._runtime.statistics(tuple(self._bridges))

    # --- raw tools ---------------------------------------------------------------

    def vsctl(self, *args: str, wait: bool = True) -> str:
        """Run ``ovs-vsctl`` against this lab's database.

        Args:
            args: ``ovs-vsctl`` arguments, e.g. ``"show"``.
            wait: wait until ``ovs-vswitchd`` has applied the change (the
                default); ``False`` passes ``--no-wait``.

        Returns:
            Its standard output.

        Raises:
            LabError: it failed or timed out (command, exit code, stderr).

        Example:
            >>> print(lab.vsctl("show"))  # doctest: +SKIP
        """
        self._runtime.ensure_running()
        return self._runtime.run(self._runtime.vsctl_argv(args, wait), "ovs-vsctl failed")

    def ofctl(self, *args: str) -> str:
        """Run ``ovs-ofctl``; a bridge name among the arguments becomes its management socket.

        The first argument that equals the name of one of this lab's bridges is
        replaced by ``unix:DIR/NAME.mgmt``. Without an explicit ``-O``/
        ``--protocols``, bridges that do not speak OpenFlow 1.0 (the
        ``ovs-ofctl`` default) get ``-O`` with their own versions.

        Returns:
            Its standard output.

        Raises:
            LabError: it failed or timed out.

        Example:
            >>> lab.ofctl("add-flow", "s1", "priority=0,actions=CONTROLLER:65535")  # doctest: +SKIP
            >>> print(lab.ofctl("dump-flows", "s1", "-O", "OpenFlow13"))  # doctest: +SKIP
        """
        self._runtime.ensure_running()
        with self._lock:
            known = {name: (self._mgmt(name), b.protocols) for name, b in self._bridges.items()}
        return self._runtime.run(
            self._runtime.ofctl_argv(ofctl_args(args, known)), "ovs-ofctl failed"
        )

    def appctl(
        self, *args: str, daemon: Literal["ovs-vswitchd", "ovsdb-server"] = "ovs-vswitchd"
    ) -> str:
        """Run ``ovs-appctl`` against one of this lab's daemons.

        Example:
            >>> lab.appctl("vlog/list")  # doctest: +SKIP
        """
        self._runtime.ensure_running()
        return self._runtime.run(self._runtime.appctl_argv(daemon, args), "ovs-appctl failed")

    # --- bridges and ports -------------------------------------------------------

    def add_bridge(
        self,
        name: str,
        *,
        ports: int = 4,
        datapath_id: int | str | None = None,
        protocols: Sequence[str] = _DEFAULT_PROTOCOLS,
        controller: str | Sequence[str] | None = None,
        fail_mode: Literal["secure", "standalone"] = "secure",
    ) -> Bridge:
        """Create a bridge on the dummy datapath, with dummy ports.

        Args:
            name: bridge name (1-15 characters), e.g. ``"s1"``.
            ports: number of ports, named ``NAME-eth1`` .. ``NAME-ethN`` on
                OpenFlow ports 1..N.
            datapath_id: int or hex digits; default: the lab's 32-bit tag
                followed by the bridge's number, unique across live labs.
            protocols: OpenFlow versions the bridge accepts.
            controller: target(s) such as ``"tcp:127.0.0.1:6653"``; see
                :meth:`set_controller`.
            fail_mode: ``"secure"`` (no flows unless installed) or ``"standalone"``.

        Returns:
            The new bridge.

        Raises:
            LabError: bad arguments, duplicate name, or OVS refused.

        Example:
            >>> s1 = lab.add_bridge("s1", ports=2, protocols=["OpenFlow13"])  # doctest: +SKIP
            >>> s1.ports  # doctest: +SKIP
            (Port(name='s1-eth1', ofport=1), Port(name='s1-eth2', ofport=2))
        """
        check_name("bridge", name)
        versions = normalize_protocols(protocols)
        if fail_mode not in ("secure", "standalone"):
            raise LabError(f"fail_mode must be 'secure' or 'standalone', not {fail_mode!r}")
        with self._lock:
            if name in self._bridges:
                raise LabError(f"bridge {name!r} already exists in this lab")
            if datapath_id is None:
                dpid = format_datapath_id((self._lab_tag << 32) | self._next_bridge)
            else:
                dpid = format_datapath_id(datapath_id)
            port_list = [Port(check_name("port", f"{name}-eth{n}"), n) for n in range(1, ports + 1)]
            args = bridge_args(name, datapath_id=dpid, protocols=versions, fail_mode=fail_mode)
            for port in port_list:
                args += port_args(name, port)
            if controller is not None:
                args += controller_args(name, controller)
            self.vsctl(*args)
            self._bridges[name] = _BridgeState(name, int(dpid, 16), versions, {})
            self._next_bridge += 1
            self._confirm_ports(name, port_list)
            return self.bridge(name)

    def del_bridge(self, bridge: str | Bridge) -> None:
        """Delete a bridge and its ports."""
        name = self._bridge_name(bridge)
        with self._lock:
            self.vsctl("del-br", name)
            del self._bridges[name]

    def bridge(self, name: str) -> Bridge:
        """The current state of bridge ``name``; raises ``LabError`` if unknown."""
        with self._lock:
            state = self._bridges.get(name)
            if state is None:
                known = ", ".join(self._bridges) or "none"
                raise LabError(f"no bridge {name!r} in this lab (bridges: {known})")
            ports = tuple(
                sorted((Port(n, o) for n, o in state.ports.items()), key=lambda p: p.ofport)
            )
            return Bridge(state.name, state.datapath_id, state.protocols, self._mgmt(name), ports)

    @property
    def bridges(self) -> tuple[Bridge, ...]:
        """All bridges, in creation order."""
        with self._lock:
            return tuple(self.bridge(name) for name in self._bridges)

    def add_port(self, bridge: str | Bridge, name: str, ofport: int) -> Bridge:
        """Add a dummy port ``name`` on OpenFlow port ``ofport``; returns the updated bridge.

        Controllers connected to the bridge receive a PORT_STATUS (add).

        Example:
            >>> lab.add_port("s1", "s1-eth9", 9)  # doctest: +SKIP
        """
        bridge_name = self._bridge_name(bridge)
        port = Port(check_name("port", name), ofport)
        with self._lock:
            self.bridge(bridge_name)
            self.vsctl(*port_args(bridge_name, port))
            self._confirm_ports(bridge_name, [port])
            return self.bridge(bridge_name)

    def del_port(self, bridge: str | Bridge, name: str) -> Bridge:
        """Remove port ``name`` from ``bridge``; returns the updated bridge."""
        bridge_name = self._bridge_name(bridge)
        with self._lock:
            self.vsctl("del-port", bridge_name, name)
            self._bridges[bridge_name].ports.pop(name, None)
            return self.bridge(bridge_name)

    def set_controller(
        self,
        bridge: str | Bridge,
        target: str | Sequence[str] | None,
        *,
        max_backoff: int = 1000,
        inactivity_probe: int | None = None,
    ) -> None:
        """Point ``bridge`` at controller ``target`` (or none), connecting right away.

        OVS ignores ``max_backoff`` until a first successful connection, so a
        bridge pointed at a port nobody listened on retries after 1, 2, 4, 8...
        seconds. Re-creating the Controller row in one transaction does not
        help (OVS keeps the connection state of a target it already has), so
        this first removes all controllers, waits until ``ovs-vswitchd`` has
        dropped them, then adds fresh ones: the bridge connects at once. Start
        listening first, then call this.

        Args:
            bridge: the bridge.
            target: e.g. ``"tcp:127.0.0.1:6653"``, ``"ssl:127.0.0.1:6653"``
                (after :meth:`set_ssl`), several targets, or ``None`` to remove
                all controllers.
            max_backoff: milliseconds between reconnection attempts (>= 1000).
            inactivity_probe: milliseconds of idleness before OVS sends an
                ECHO_REQUEST (``None``: OVS default; 0 disables).

        Example:
            >>> lab.set_controller("s1", f"tcp:127.0.0.1:{port}")  # doctest: +SKIP
        """
        name = self._bridge_name(bridge)
        self.bridge(name)
        self.vsctl("clear", "Bridge", name, "controller")
        if target is not None and (isinstance(target, str) or target):
            self.vsctl(*controller_args(name, target, max_backoff, inactivity_probe))

    def set_ssl(
        self,
        private_key: str | os.PathLike[str],
        certificate: str | os.PathLike[str],
        ca_cert: str | os.PathLike[str],
        *,
        bootstrap: bool = False,
    ) -> None:
        """Give ``ovs-vswitchd`` its TLS identity, for ``ssl:HOST:PORT`` controller targets.

        ``ovs-vsctl set-ssl`` (it replaces earlier settings; they survive
        :meth:`restart_switch`). OVS presents ``certificate`` and accepts a
        controller only if the controller's certificate is signed by
        ``ca_cert``; host names are not checked. :func:`make_pki` makes
        suitable files. Then call :meth:`set_controller` with an ``ssl:`` target.

        Args:
            private_key: the switch's private key (PEM).
            certificate: the switch's certificate (PEM).
            ca_cert: the CA certificate controllers must be signed by (PEM).
            bootstrap: if ``ca_cert`` does not exist, OVS trusts the CA
                certificate the first controller sends and writes it there.

        Raises:
            LabError: a file is missing, or OVS refused.

        Example:
            >>> pki = make_pki(lab.dir / "pki")  # doctest: +SKIP
            >>> lab.set_ssl(pki.switch_key, pki.switch_cert, pki.ca_cert)  # doctest: +SKIP
            >>> lab.set_controller("s1", "ssl:127.0.0.1:6653")  # doctest: +SKIP
        """
        paths = [Path(p).absolute() for p in (private_key, certificate, ca_cert)]
        required = paths[:2] if bootstrap else paths
        missing = [str(p) for p in required if not p.is_file()]
        if missing:
            raise LabError(f"set_ssl: no such file(s): {', '.join(missing)}")
        options = ["--bootstrap"] if bootstrap else []
        self.vsctl("--", *options, "set-ssl", *(str(p) for p in paths))

    # --- traffic -----------------------------------------------------------------

    def inject(self, port_name: str, *frames: bytes) -> None:
        """Make dummy port ``port_name`` receive ``frames`` (raw Ethernet frames).

        Example:
            >>> arp = bytes.fromhex("ffffffffffff0000000000010806") + bytes(46)
            >>> lab.inject("s1-eth1", arp)  # doctest: +SKIP
        """
        for start in range(0, len(frames), _INJECT_BATCH):
            batch = [frame.hex() for frame in frames[start : start + _INJECT_BATCH]]
            self.appctl("netdev-dummy/receive", port_name, *batch)

    def capture_pcap(self, port_name: str, *, direction: Literal["tx", "rx"] = "tx") -> Path:
        """Record what port ``port_name`` sends (``tx``) or receives (``rx``) into a pcap file.

        Returns:
            The pcap file (in the lab directory); read it with :func:`vlcp_core.packet.read_pcap`.

        Example:
            >>> pcap = lab.capture_pcap("s1-eth2")  # doctest: +SKIP
        """
        check_name("port", port_name)
        path = self.dir / f"{port_name}.{direction}.pcap"
        option = "tx_pcap" if direction == "tx" else "rxq_pcap"
        self.vsctl("set", "Interface", port_name, f'options:{option}="{path}"')
        deadline = time.monotonic() + self._runtime.command_timeout
        while not path.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        if not path.exists():
            raise LabError(f"ovs-vswitchd did not create {path} for port {port_name}")
        return path

    # --- helpers -----------------------------------------------------------------

    def _mgmt(self, bridge_name: str) -> Path:
        return self.dir / f"{bridge_name}.mgmt"

    @staticmethod
    def _bridge_name(bridge: str | Bridge) -> str:
        return bridge.name if isinstance(bridge, Bridge) else bridge

    def _confirm_ports(self, bridge_name: str, ports: Sequence[Port]) -> None:
        """Check that OVS gave each port the requested number, and remember it."""
        if not ports:
            return
        got = self.vsctl(*ofport_query_args(ports), wait=False).split()
        wrong = [(p, value) for p, value in zip(ports, got, strict=True) if value != str(p.ofport)]
        for port in ports:
            self._bridges[bridge_name].ports[port.name] = port.ofport
        if wrong:
            # OVS silently picks another number when the requested one is taken.
            for port, _ in wrong:
                self.vsctl("--if-exists", "del-port", bridge_name, port.name)
                self._bridges[bridge_name].ports.pop(port.name, None)
            shown = ", ".join(f"{p.name} got {value} instead of {p.ofport}" for p, value in wrong)
            raise LabError(f"OpenFlow port number(s) unavailable (port removed again): {shown}")
