"""The data completion works from: a snapshot of the controller's state, refreshed on
a thread, and the flow language's names.

- ``CompletionData``: an immutable snapshot: switches (``SwitchData``: name,
  datapath id, ports by name and number, table ids), OVSDB tables with their columns
  and record names, databases, watch and monitor ids, the shell's options, apps,
  lab hosts;
- ``snapshot(runtime, shell=None)``: builds one.  The controller's state is read on
  the loop's thread (``runtime.call_sync``); the OVSDB schema is the client's (fetched
  once, then cached); record names come from the client's replicas;
- ``CompletionRefresher``: a daemon thread that rebuilds the snapshot every
  *interval* seconds and when poked (``refresh()``), swapping it in at once
  (``current``); a failed build keeps the previous snapshot.  Its thread also
  loads the flow language's names (``flowtext.flow_names``) before the first
  keystroke needs them.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.runtime import Runtime
    from workbench.shell import Shell

__all__ = ["CompletionData", "CompletionRefresher", "SwitchData", "snapshot"]


# -- the snapshot --------------------------------------------------------------------------

@dataclass(frozen=True)
class SwitchData:
    name: str
    datapath: int
    ports: Mapping[str, int] = field(default_factory=dict)  # name -> OpenFlow number
    tables: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "ports", MappingProxyType(dict(self.ports)))


def _frozen(mapping: Mapping[str, Iterable[str]]) -> Mapping[str, tuple[str, ...]]:
    return MappingProxyType({key: tuple(values) for key, values in mapping.items()})


@dataclass(frozen=True)
class CompletionData:
    """What the completer offers, as it was when the snapshot was taken."""

    switches: tuple[SwitchData, ...] = ()
    ovsdb_tables: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # -> columns
    records: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # table -> names
    databases: tuple[str, ...] = ()
    watches: tuple[str, ...] = ()
    monitors: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    apps: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()
    taken: float = 0.0  # time.monotonic() when it was built

    def __post_init__(self) -> None:
        object.__setattr__(self, "ovsdb_tables", _frozen(self.ovsdb_tables))
        object.__setattr__(self, "records", _frozen(self.records))

    def switch(self, word: str | None) -> SwitchData | None:
        """The switch a word names: its short name or its datapath id."""
        if not word:
            return None
        for switch in self.switches:
            if word == switch.name:
                return switch
        try:
            datapath = int(word, 16) if word.startswith("0x") or len(word) == 16 \
                else int(word)
        except ValueError:
            return None
        return next((s for s in self.switches if s.datapath == datapath), None)

    def table(self, word: str | None) -> str | None:
        """The OVSDB table a word names, as ovs-vsctl reads it: exact, any case with
        ``-`` for ``_``, or a unique prefix."""
        if not word:
            return None
        wanted = word.lower().replace("-", "_")
        names = list(self.ovsdb_tables)
        exact = [name for name in names if name.lower() == wanted]
        if exact:
            return exact[0]
        started = [name for name in names if name.lower().startswith(wanted)]
        return started[0] if len(started) == 1 else None


def snapshot(runtime: Runtime, shell: Shell | None = None, *, timeout: float = 2.0
             ) -> CompletionData:
    """The completion data of *runtime* (and of *shell*: its watches, monitors,
    options and lab hosts).  Call it off the prompt's thread: it waits for the loop."""

    def read() -> dict[str, Any]:
        controller = runtime.controller
        switches = []
        for datapath, switch in sorted(controller.switches.items()) if controller else ():
            ports = {str(port.name): int(number) for number, port in switch.ports.items()}
            n_tables = int(getattr(switch.features, "n_tables", 0) or 0)
            switches.append(SwitchData(runtime.names.name(datapath), datapath, ports,
                                       tuple(range(n_tables))))
        tables: dict[str, list[str]] = {}
        records: dict[str, set[str]] = {}
        client = runtime.ovsdb
        if client is not None:
            for schema in client.schemas.values():
                for name, table in schema.tables.items():
                    tables.setdefault(name, list(table.user_columns))
            for monitor in client.monitors.values():
                for name, rows in monitor.replica.tables.items():
                    records.setdefault(name, set()).update(
                        str(row["name"]) for row in rows.values()
                        if isinstance(row.get("name"), str))
        return {"switches": tuple(switches), "tables": tables, "records": records,
                "databases": tuple(sorted(client.schemas)) if client is not None else (),
                "running": tuple(runtime.apps)}

    found = runtime.call_sync(read, timeout)
    client = runtime.ovsdb
    if client is not None and "Open_vSwitch" not in client.schemas:
        runtime.call(client.get_schema("Open_vSwitch"), timeout)  # cached from now on
        found = runtime.call_sync(read, timeout)
    records: dict[str, set[str]] = found["records"]
    for switch in found["switches"]:
        records.setdefault("Interface", set()).update(switch.ports)
        records.setdefault("Port", set()).update(switch.ports)
    state = shell.state if shell is not None else {}
    return CompletionData(
        switches=found["switches"], ovsdb_tables=found["tables"],
        records={table: tuple(sorted(names)) for table, names in records.items()},
        databases=found["databases"],
        watches=_keys(state.get("watch", {}).get("watches"), "items"),
        monitors=_keys(state.get("ovsdb", {}), "monitors"),
        options=tuple(sorted(shell.options)) if shell is not None else (),
        apps=tuple(sorted({*_app_modules(), *found["running"]})),
        hosts=_keys(state.get("lab", {}), "hosts"),
        taken=time.monotonic())


def _keys(holder: Any, name: str) -> tuple[str, ...]:
    """The keys of ``holder.name`` or ``holder[name]`` (another thread may change it:
    a copy that fails is retried)."""
    found = holder.get(name) if isinstance(holder, dict) else getattr(holder, name, None)
    for _ in range(3):
        try:
            return tuple(str(key) for key in list(found or ()))
        except RuntimeError:  # changed while copied
            continue
    return ()


@functools.cache
def _app_modules() -> tuple[str, ...]:
    import pkgutil

    import vlcp_core.apps

    return tuple(module.name for module in pkgutil.iter_modules(vlcp_core.apps.__path__)
                 if not module.name.startswith("_"))


# -- the refresher -------------------------------------------------------------------------

class CompletionRefresher:
    """Keeps a ``CompletionData`` fresh on a daemon thread.

    *source* is what to snapshot: a ``Shell`` (its runtime, watches and options), a
    ``Runtime``, or a function returning ``CompletionData``.  The thread builds one at
    once, then every *interval* seconds and after each ``refresh()``; the new snapshot
    replaces ``current`` in one assignment, so a reader sees the old one or the new
    one, never a mix.  A build that fails keeps the previous snapshot (``error``
    says why).  Calling the refresher returns ``current``, so it can be given to
    ``VlcpCompleter`` as its *data*.
    """

    def __init__(self, source: Shell | Runtime | Callable[[], CompletionData], *,
                 interval: float = 5.0, start: bool = True) -> None:
        self.interval = interval
        self.error: str | None = None
        self._build = _builder(source)
        self._current = CompletionData()
        self._generation = 0
        self._poke = threading.Event()
        self._stopped = threading.Event()
        self._published = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="vlcp-completion",
                                        daemon=True)
        if start:
            self.start()

    def start(self) -> CompletionRefresher:
        if not self._thread.is_alive() and not self._stopped.is_set():
            self._thread.start()
        return self

    @property
    def current(self) -> CompletionData:
        return self._current

    @property
    def generation(self) -> int:
        """How many snapshots were built (0 until the first)."""
        return self._generation

    def __call__(self) -> CompletionData:
        return self._current

    def refresh(self) -> None:
        """Rebuild soon (after a command that may have changed things)."""
        self._poke.set()

    def wait(self, after: int = 0, timeout: float = 10.0) -> bool:
        """Wait until a snapshot newer than generation *after* is in; False on timeout."""
        with self._published:
            return self._published.wait_for(lambda: self._generation > after, timeout)

    def stop(self, timeout: float = 5.0) -> None:
        self._stopped.set()
        self._poke.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def _run(self) -> None:
        try:
            from vlcp_core.openflow.flowtext import flow_names

            flow_names()  # load the flow language's tables here, not on a keystroke
        except Exception:
            pass
        while not self._stopped.is_set():
            self._poke.clear()
            try:
                data = self._build()
            except Exception as exc:  # keep the last snapshot; the runtime may be stopping
                self.error = f"{type(exc).__name__}: {exc}"
            else:
                self.error = None
                with self._published:
                    self._current = data
                    self._generation += 1
                    self._published.notify_all()
            self._poke.wait(self.interval)


def _builder(source: Any) -> Callable[[], CompletionData]:
    from workbench.runtime import Runtime
    from workbench.shell import Shell

    if isinstance(source, Shell):
        return lambda: snapshot(source.runtime, source)
    if isinstance(source, Runtime):
        return lambda: snapshot(source)
    if callable(source):
        return source  # type: ignore[no-any-return]
    raise TypeError(f"CompletionRefresher needs a Shell, a Runtime or a function, "
                    f"not {type(source).__name__}")
