"""Watches: watch, watches, unwatch; and ``expect packet-in`` / ``expect port-status``.

Theory of operation
-------------------
A watch is a callback on the event core (``scheduler.on(matcher, callback)``,
registered on the loop's thread) or, for ``watch message``, a listener of the
shell's message recorder (``_cmd_decode``), which also sees the echoes the engine
answers by itself.  The callback runs on the loop's thread: it counts the event
and, while the watch's budget for this second lasts (option ``watch_rate``, 20
lines by default), formats one line into the watch's pending lines; past the
budget it only counts.  Nothing queues without bound: pending lines never exceed
one second's budget.  A printer thread per shell takes the pending lines and
writes them through the watch's writer (``Shell.open_stream``: ``Shell.write``, or
the notebook cell that started it), and once a second a line ``... N more
packet-in events skipped``.  Watches end with ``unwatch`` or when the shell exits.

``expect packet-in SW [FILTERS] within 2s`` builds the same matcher and checks it
against the PACKET_INs the recorder kept since the last ``expect packet-in`` met
(or since recording began), waiting up to the time given for one to come.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vlcp_core import openflow as of
from vlcp_core.controller import (
    ErrorReceived,
    FlowRemoved,
    PacketIn,
    PortStatus,
    SwitchDown,
    SwitchUp,
    message_event,
)
from vlcp_core.event import Event, EventMatcher
from vlcp_core.namedstruct import ParseError
from vlcp_core.ovsdb import RowDeleted, RowInserted, RowModified
from vlcp_core.packet import decode

from ._cmd_decode import Record, attach, is_type, message_types, record_text, summary
from ._expect import expectation, within
from ._registry import CommandError, command
from ._render import Table
from ._shell import Context

__all__ = ["EVENTS", "Watch", "Watches"]

DEFAULT_RATE = 20
_Line = Callable[[], str]
_FRAME_FIELDS = set("""dl_src dl_dst dl_type vlan_tci vlan_tci1 dl_vlan dl_vlan_pcp nw_src
    nw_dst nw_proto nw_tos nw_ecn nw_ttl nw_frag tp_src tp_dst tcp_flags icmp_type icmp_code
    arp_op arp_spa arp_tpa arp_sha arp_tha ipv6_src ipv6_dst ipv6_label nd_target nd_sll
    nd_tll""".split())  # the fields of a frame's summary (vlcp_core.packet)
_PROTOCOLS = {"ip", "ipv6", "tcp", "tcp6", "udp", "udp6", "icmp", "icmp6", "arp", "sctp",
              "sctp6"}
EVENTS = {"packet-in": "in_port=N|NAME table= cookie= reason= FIELD=VALUE PROTOCOL",
          "port-status": "reason=add|delete|modify port=N|NAME",
          "flow-removed": "table= cookie= reason=idle_timeout|hard_timeout|delete",
          "error": "type=NAME|N code=NAME|N", "message": "type=NAME|N dir=in|out xid=N",
          "ovsdb": "TABLE [database=DB] [kind=insert|modify|delete] [COLUMN=VALUE]",
          "switch": "(no filters)"}


@dataclass(eq=False)
class Watch:
    """One watch: counters, and lines waiting for the printer (bounded)."""

    number: int
    event: str
    filters: str
    rate: int
    stop: Callable[[], None] = lambda: None  # run on the loop's thread
    finish: Callable[[], None] = lambda: None  # then on the shell's
    seen: int = 0
    shown: int = 0
    skipped: int = 0
    unreported: int = 0  # skipped since the last "... skipped" line
    pending: deque[str] = field(default_factory=deque)
    lock: threading.Lock = field(default_factory=threading.Lock)
    wake: threading.Event = field(default_factory=threading.Event)  # the printer's
    sink: Callable[[str], None] | None = None  # Shell.open_stream's, set by add
    _window: float = 0.0
    _in_window: int = 0
    _reported: float = 0.0

    def offer(self, line: _Line) -> None:
        """An event (loop thread): format it if this second's budget allows."""
        with self.lock:
            self.seen += 1
            now = time.monotonic()
            if now - self._window >= 1.0:
                self._window, self._in_window = now, 0
            if self._in_window >= self.rate or len(self.pending) >= self.rate:
                self.skipped += 1
                self.unreported += 1
                return
            self._in_window += 1
        try:
            text = line()
        except Exception as exc:  # a line we cannot format still counts, and says so
            text = f"{self.event}: cannot show this event: {type(exc).__name__}: {exc}"
        with self.lock:
            self.pending.append(text)
            self.shown += 1
        self.wake.set()

    def take(self, final: bool = False) -> list[str]:
        """The lines to print now (printer thread), a "skipped" line once a second."""
        with self.lock:
            lines = list(self.pending)
            self.pending.clear()
            now = time.monotonic()
            if self.unreported and (final or now - self._reported >= 1.0):
                lines.append(f"... {self.unreported} more {self.event} events skipped")
                self.unreported = 0
                self._reported = now
        return lines


class Watches:
    """A shell's watches and the thread that prints them."""

    def __init__(self, ctx: Context) -> None:
        self.shell = ctx.shell
        self.runtime = ctx.runtime
        self.items: dict[int, Watch] = {}
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.done = threading.Event()
        self.thread: threading.Thread | None = None
        self.counter = 0
        self.marks: dict[str, int] = {}  # expect: the last message met, per kind

    def add(self, watch: Watch) -> None:
        self.counter += 1
        watch.number, watch.wake = self.counter, self.wake
        watch.sink = self.shell.open_stream(f"watch {watch.number}")  # the caller's thread
        with self.lock:
            self.items[watch.number] = watch
        if self.thread is None:
            self.thread = threading.Thread(target=self._run, name="vlcp-shell-watches",
                                           daemon=True)
            self.thread.start()

    def remove(self, watch: Watch) -> None:
        try:
            self.runtime.call_sync(watch.stop, 5.0)
            watch.finish()
        finally:
            with self.lock:
                self.items.pop(watch.number, None)
            self._print(watch, watch.take(final=True))

    def _run(self) -> None:
        while not self.done.is_set():
            self.wake.wait(0.25)
            self.wake.clear()
            with self.lock:
                watches = list(self.items.values())
            for watch in watches:
                self._print(watch, watch.take())

    def _print(self, watch: Watch, lines: list[str]) -> None:
        write, number = watch.sink or self.shell.write, watch.number
        if lines and self.shell.fmt == "json":
            write("".join(json.dumps({"watch": number, "line": line}) + "\n" for line in lines))
        elif lines:
            write("".join(f"[{number}] {line}\n" for line in lines))

    def close(self) -> None:
        with self.lock:
            watches = list(self.items.values())
        for watch in watches:
            try:
                self.remove(watch)
            except Exception:
                pass
        self.done.set()
        self.wake.set()
        if self.thread is not None:
            self.thread.join(2.0)


def _watches(ctx: Context) -> Watches:
    attach(ctx.shell)  # recording too, so that an expect after this sees what comes
    state = ctx.shell.state.setdefault("watch", {})
    found: Watches | None = state.get("watches")
    if found is None:
        found = state["watches"] = Watches(ctx)
        ctx.shell.on_exit.append(found.close)
    ctx.options.setdefault("watch_rate", DEFAULT_RATE)
    return found


# -- filters -------------------------------------------------------------------------
def _number(text: str, what: str) -> int:
    try:
        return int(text, 0)
    except ValueError:
        raise CommandError(f"{what}={text!r} is not a number") from None


def _enum_value(text: str, enum: str, prefix: str, what: str) -> int:
    """A value of *enum* (1.3's names first, then 1.0's), by name or number."""
    if text[:1].isdigit():
        return _number(text, what)
    wanted = {text.upper(), prefix + text.upper()}
    names: list[str] = []
    for module in (of.v13, of.v10):
        for member in getattr(module, enum):
            if member.name in wanted:
                return int(member.value)
            names.append(member.name.removeprefix(prefix).lower())
    raise CommandError(f"{what}={text!r}: use a number or one of "
                       f"{', '.join(dict.fromkeys(names))}")


def _datapath(ctx: Context, word: str) -> int:
    def find() -> int | None:
        assert ctx.runtime.controller is not None
        return ctx.runtime.names.datapath(word, ctx.runtime.controller.switches)
    found = ctx.runtime.call_sync(find)
    if found is None:
        ctx.switch(word)  # raises: not connected, with a hint
        raise CommandError(f"switch {word!r} is not known")
    return found


def _port_name(ctx: Context, datapath: int, number: int | None) -> str:
    assert ctx.runtime.controller is not None
    switch = ctx.runtime.controller.switches.get(datapath)
    port = switch.ports.get(number) if switch is not None and number is not None else None
    return str(getattr(port, "name", ""))


def _frame_test(fields: dict[str, str], protocols: list[str]) -> Callable[[Any], bool]:
    def test(event: Any) -> bool:
        try:
            text = decode(bytes(event.message.data)).summary()
        except ParseError:
            return False
        parts = text.split(",")
        found = dict(part.split("=", 1) for part in parts if "=" in part)
        words = {part for part in parts if "=" not in part}
        return all(p in words for p in protocols) and \
            all(found.get(k, "").lower() == v.lower() for k, v in fields.items())
    return test


_Spec = tuple[list[EventMatcher], Callable[[Any], str]]  # matchers, an event's line


def _parse(ctx: Context, kind: str, words: list[str]) -> tuple[int | None, dict[str, str],
                                                                list[str]]:
    """SW (optional, first), KEY=VALUE filters, bare words."""
    datapath: int | None = None
    filters: dict[str, str] = {}
    bare: list[str] = []
    for index, word in enumerate(words):
        key, eq, value = word.partition("=")
        if eq:
            if not key or not value:
                raise CommandError(f"{word!r}: a filter is KEY=VALUE")
            if key in filters:
                raise CommandError(f"{key} is given twice")
            filters[key] = value
        elif index == 0 and kind != "ovsdb" and word not in _PROTOCOLS:
            datapath = _datapath(ctx, word)
        else:
            bare.append(word)
    return datapath, filters, bare


def _unknown(kind: str, keys: list[str]) -> CommandError:
    return CommandError(f"watch {kind}: unknown filter(s) {', '.join(keys)} "
                        f"(filters: {EVENTS[kind]})")


def _spec(ctx: Context, kind: str, words: list[str]) -> _Spec:
    """The matchers and the line format of ``watch KIND words``."""
    datapath, filters, bare = _parse(ctx, kind, words)
    name = ctx.runtime.names.name
    index: dict[str, Any] = {} if datapath is None else {"datapath": datapath}
    tests: list[Callable[[Any], bool]] = []
    if kind in ("packet-in", "flow-removed"):
        for key in ("table", "cookie"):
            if key in filters:
                index[key] = _number(filters.pop(key), key)
        if "reason" in filters:
            enum = "ofp_packet_in_reason" if kind == "packet-in" else "ofp_flow_removed_reason"
            index["reason"] = _enum_value(filters.pop("reason"), enum,
                                          "OFPR_" if kind == "packet-in" else "OFPRR_",
                                          "reason")
    if kind == "packet-in":
        port = filters.pop("in_port", "")
        if port.isdigit():
            tests.append(lambda e: of.packet_in_port(e.message) == int(port))
        elif port:
            tests.append(lambda e: _port_name(ctx, e.datapath,
                                              of.packet_in_port(e.message)) == port)
        frame = {k: filters.pop(k) for k in list(filters) if k in _FRAME_FIELDS}
        wrong = [w for w in bare if w not in _PROTOCOLS]
        if wrong:
            raise CommandError(f"watch packet-in: {', '.join(wrong)}: not a protocol "
                               f"({', '.join(sorted(_PROTOCOLS))})")
        if frame or bare:
            tests.append(_frame_test(frame, bare))
        event_class: type[Event] = PacketIn
    elif kind == "port-status":
        if "reason" in filters:
            index["reason"] = _enum_value(filters.pop("reason"), "ofp_port_reason", "OFPPR_",
                                          "reason")
        if "port" in filters:
            value = filters.pop("port")
            if value.isdigit():
                index["port"] = int(value)
            else:
                tests.append(lambda e: str(e.message.desc.name) == value)
        event_class = PortStatus
    elif kind == "flow-removed":
        event_class = FlowRemoved
    elif kind == "error":
        if "type" in filters:
            index["err_type"] = _enum_value(filters.pop("type"), "ofp_error_type", "OFPET_",
                                            "type")
        if "code" in filters:
            code = filters.pop("code")
            tests.append(lambda e: code.upper() in (str(of.dump(e.message).get("code")),
                                                    str(e.message.code)))
        event_class = ErrorReceived
    elif kind == "switch":
        if filters or bare:
            raise _unknown(kind, [*filters, *bare])
        matchers = [EventMatcher(SwitchUp, **index), EventMatcher(SwitchDown, **index)]
        return matchers, lambda e: _switch_line(name(e.datapath), e)
    else:
        raise CommandError(f"unknown event {kind!r} (events: {', '.join(EVENTS)})")
    if filters:
        raise _unknown(kind, list(filters))
    if bare and kind != "packet-in":
        raise CommandError(f"watch {kind}: {' '.join(bare)}: not a switch or KEY=VALUE filter")
    predicate = None if not tests else (lambda e: all(test(e) for test in tests))
    return [EventMatcher(event_class, predicate, **index)], \
        lambda e: f"{name(e.datapath)} {kind} {summary(e.message)}" + \
        (f" xid={e.message.xid:#x}" if kind == "error" else "")


def _switch_line(switch: str, event: Any) -> str:
    if isinstance(event, SwitchUp):
        sw = event.switch
        address = sw.address if isinstance(sw.address, str) else \
            ":".join(map(str, sw.address[:2]))
        version = {1: "1.0", 4: "1.3"}.get(event.version, str(event.version))
        return f"{switch} up: OpenFlow {version} from {address or 'unix'}"
    return f"{switch} down: {event.reason}"


# -- watch message and watch ovsdb ---------------------------------------------------
def _message_watch(ctx: Context, watch: Watch, words: list[str]) -> None:
    datapath, filters, bare = _parse(ctx, "message", words)
    if bare:
        raise CommandError(f"watch message: {' '.join(bare)}: not a switch or KEY=VALUE")
    types = message_types(filters.pop("type")) if "type" in filters else set()
    direction = filters.pop("dir", "")
    if direction not in ("", "in", "out"):
        raise CommandError(f"dir={direction!r}: use dir=in or dir=out")
    xid = _number(filters.pop("xid"), "xid") if "xid" in filters else None
    if filters:
        raise _unknown("message", list(filters))
    rec = attach(ctx.shell)

    def listen(record: Record) -> None:
        data = record.data
        if (datapath is not None and record.datapath != datapath) or \
                (direction and record.direction != direction) or \
                not is_type(data, types) or \
                (xid is not None and int.from_bytes(data[4:8], "big") != xid):
            return
        watch.offer(lambda: record_text(ctx, record))

    ctx.runtime.call_sync(lambda: rec.listeners.append(listen))
    watch.stop = lambda: rec.listeners.remove(listen)


def _ovsdb_watch(ctx: Context, watch: Watch, words: list[str]) -> None:
    client = ctx.runtime.ovsdb
    if client is None:
        raise CommandError("no OVSDB connection (start with --ovsdb ADDR or --lab)")
    _, filters, bare = _parse(ctx, "ovsdb", words)
    if len(bare) != 1:
        raise CommandError("usage: watch ovsdb TABLE [database=DB] [kind=insert|modify|"
                           "delete] [COLUMN=VALUE...]")
    table, database = bare[0], filters.pop("database", "Open_vSwitch")
    kinds = filters.pop("kind", "insert,modify,delete").split(",")
    classes = {"insert": RowInserted, "modify": RowModified, "delete": RowDeleted}
    if set(kinds) - set(classes):
        raise CommandError(f"kind={','.join(kinds)}: use insert, modify or delete")
    monitor = ctx.call(client.monitor(database, {table: None}))
    columns = set(monitor.replica.columns[table])
    unknown = [key for key in filters if key not in columns and key != "uuid"]
    if unknown:
        ctx.call(monitor.cancel())
        raise CommandError(f"{table} has no column(s) {', '.join(unknown)} "
                           f"(columns: {', '.join(sorted(columns))})")
    initial = set(monitor.replica.tables[table])

    def test(event: Any) -> bool:
        row = event.row
        if set(row) != columns or (isinstance(event, RowInserted) and event.uuid in initial):
            return False  # another monitor's row, or one that was there before
        return all((str(event.uuid) if key == "uuid" else _cell(row.get(key))) == value
                   for key, value in filters.items())

    def callback(event: Event, _: EventMatcher) -> None:
        watch.offer(lambda: _row_line(event))

    scheduler = client.scheduler
    handles = ctx.runtime.call_sync(lambda: [
        scheduler.on(EventMatcher(classes[k], test, database=database, table=table), callback)
        for k in kinds])

    def stop() -> None:
        for handle in handles:
            scheduler.off(handle)
    watch.stop = stop
    watch.finish = lambda: ctx.call(monitor.cancel())


def _cell(value: Any) -> str:
    if isinstance(value, (set, frozenset)):
        return "[" + ",".join(sorted(map(str, value))) + "]"
    return "" if value is None else str(value)


def _row_line(event: Any) -> str:
    row = event.row
    kind = {RowInserted: "insert", RowModified: "modify", RowDeleted: "delete"}[type(event)]
    text = f"ovsdb {event.table} {kind} {str(event.uuid)[:8]}"
    if "name" in row:
        text += f" name={row['name']}"
    if isinstance(event, RowModified):
        changes = [f"{k}: {_cell(v)} -> {_cell(row.get(k))}" for k, v in event.old.items()]
        text += " " + "; ".join(changes)
    return text if len(text) <= 300 else text[:297] + "..."


# -- commands ------------------------------------------------------------------------
@command("watch", "EVENT [SW] [FILTERS]", group="watch")
def watch(ctx: Context, args: list[str]) -> Any:
    """Show events as they come, one line each (at most ``watch_rate`` per second).

    Events: packet-in (like ``ovs-ofctl monitor``), port-status, flow-removed,
    error, message (every message both ways, even echoes; ``type=``, ``dir=``),
    ovsdb TABLE (row changes), switch (up and down).  Filters are KEY=VALUE:
    packet-in takes in_port=, table=, cookie=, reason=, frame fields (nw_dst=,
    tp_dst=...) and protocols (icmp, arp...).  Past the rate the rest is counted
    and a line says how many were skipped.  ``watches`` lists them, ``unwatch``
    ends them.

    Example: watch packet-in s1 in_port=2
    """
    if not args:
        raise CommandError(f"missing arguments: usage: watch EVENT [SW] [FILTERS] "
                           f"(events: {', '.join(EVENTS)})")
    kind, words = args[0], args[1:]
    if kind not in EVENTS:
        raise CommandError(f"unknown event {kind!r} (events: {', '.join(EVENTS)})")
    watches = _watches(ctx)
    rate = int(ctx.options.get("watch_rate", DEFAULT_RATE))
    if rate < 1:
        raise CommandError(f"watch_rate is {rate}: set it to 1 or more lines per second")
    item = Watch(0, kind, " ".join(words), rate)  # numbered once it works
    if kind == "message":
        _message_watch(ctx, item, words)
    elif kind == "ovsdb":
        _ovsdb_watch(ctx, item, words)
    else:
        matchers, line = _spec(ctx, kind, words)
        assert ctx.runtime.controller is not None
        scheduler = ctx.runtime.controller.scheduler

        def callback(event: Event, _: EventMatcher) -> None:
            item.offer(lambda: line(event))
        handles = ctx.runtime.call_sync(
            lambda: [scheduler.on(matcher, callback) for matcher in matchers])

        def stop() -> None:
            for handle in handles:
                scheduler.off(handle)
        item.stop = stop
    watches.add(item)
    return f"watch {item.number}: {kind} {item.filters}".rstrip()


@command("watches", group="watch")
def watches_(ctx: Context, args: list[str]) -> Any:
    """The watches: id, event, filters, events seen, lines shown, events skipped.

    Example: watches
    """
    found = _watches(ctx)
    with found.lock:
        items = sorted(found.items.values(), key=lambda w: w.number)
    return Table(["id", "event", "filters", "seen", "shown", "skipped"],
                 [[w.number, w.event, w.filters, w.seen, w.shown, w.skipped] for w in items])


@command("unwatch", "ID|all", group="watch")
def unwatch(ctx: Context, args: list[str]) -> Any:
    """End a watch (its last lines and skip count are shown), or all of them.

    Example: unwatch 1
    """
    if len(args) != 1:
        raise CommandError("usage: unwatch ID|all")
    found = _watches(ctx)
    with found.lock:
        items = dict(found.items)
    if args[0] == "all":
        chosen = list(items.values())
    else:
        number = _number(args[0], "ID") if args[0].isdigit() else None
        if number is None or number not in items:
            known = ", ".join(map(str, sorted(items))) or "none"
            raise CommandError(f"no watch {args[0]!r} (watches: {known})")
        chosen = [items[number]]
    for item in chosen:
        found.remove(item)
    return None


# -- expectations ----------------------------------------------------------------------
def _expect(ctx: Context, kind: str, args: list[str]) -> None:
    words, timeout = within(args, default=2.0)
    if not words or "=" in words[0]:
        raise CommandError(f"usage: expect {kind} SW [FILTERS] [within 2s]")
    (matcher, *_), line = _spec(ctx, kind, words)
    if "datapath" not in matcher.values:
        raise CommandError(f"usage: expect {kind} SW [FILTERS] [within 2s]")
    rec = attach(ctx.shell)
    marks = _watches(ctx).marks
    scanned = marks.get(kind, 0)
    number = 10 if kind == "packet-in" else 12
    deadline = time.monotonic() + timeout
    came, other = 0, None
    while True:
        for record in rec.since(scanned):
            scanned = record.seq
            if record.direction != "in" or record.datapath is None or \
                    record.data[1] != number:
                continue
            try:
                event = message_event(record.datapath, of.decode_message(record.data))
            except ParseError:
                continue
            if matcher.matches(event):
                marks[kind] = record.seq
                return
            if matcher.values["datapath"] == record.datapath:
                came, other = came + 1, event
        if time.monotonic() >= deadline:
            break
        time.sleep(0.02)
    found = f"{came} other {kind} event(s) came, the last: {line(other)}" if came else \
        f"no {kind} came"
    raise CommandError(f"expected a {kind} {' '.join(words)} within {timeout:g} s; {found}")


@expectation("packet-in")
def _expect_packet_in(ctx: Context, args: list[str]) -> None:
    """expect packet-in SW [FILTERS] [within 2s]: one came since the last one met."""
    _expect(ctx, "packet-in", args)


@expectation("port-status")
def _expect_port_status(ctx: Context, args: list[str]) -> None:
    """expect port-status SW [FILTERS] [within 2s]: one came since the last one met."""
    _expect(ctx, "port-status", args)

