"""Completion for the prompt: a completer that only ever reads the current snapshot.

``VlcpCompleter(registry, data)`` is a prompt_toolkit ``Completer``.  What each
argument of a command is comes from the registry's usage strings (``_usage``);
flow text is completed item by item (after the last comma; field names before
``actions=``, action names after it; ports after ``in_port=`` and ``output:``,
table ids after ``table=`` and ``goto_table:``).  The words come from a
``CompletionData`` snapshot (``_snapshot``: switches, ports, tables, OVSDB tables
and columns...) and the flow language's own tables.

A keystroke never waits on the network: the completer calls ``data()`` (usually a
``CompletionRefresher``, whose thread builds the snapshots) and works on what it
returns.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from prompt_toolkit.completion import CompleteEvent, Completer, Completion, PathCompleter
from prompt_toolkit.document import Document

from ._snapshot import (
    CompletionData,
    CompletionRefresher,
    SwitchData,
    snapshot,
)
from ._usage import Bound, Grammar, Slot, Usage, grammar

if TYPE_CHECKING:
    from vlcp_core.openflow.flowtext import FlowNames
    from workbench.shell import Registry

__all__ = ["CompletionData", "CompletionRefresher", "SwitchData", "VlcpCompleter", "snapshot"]


def _flow_names() -> FlowNames:
    """The flow language's names; imported on first use, in the refresher's thread
    before any keystroke (the prompt shows before ``vlcp_core.openflow`` loads)."""
    from vlcp_core.openflow.flowtext import flow_names

    return flow_names()


# -- the completer -------------------------------------------------------------------------

# What a placeholder of a usage string is, where its name alone does not say: keyed by
# (command, subcommand, placeholder), then by placeholder.  The one table of it.
_KIND_IN: dict[tuple[str, str, str], str] = {
    ("set", "", "NAME"): "option", ("app", "start", "NAME"): "app",
    ("app", "stop", "NAME"): "app", ("expect", "bridges", "NAME"): "bridge",
    ("ovsdb", "unmonitor", "ID"): "monitor"}
_KIND: dict[str, str] = {
    "SW": "switch", "BRIDGE": "bridge", "PORT": "port", "FILE": "path", "TABLE": "table",
    "RECORD": "record", "COLUMN": "column", "CONDITION": "column", "DB": "database",
    "ID": "watch", "COMMAND": "command", "FLOW": "flow", "MATCH": "match", "H1": "host",
    "H2": "host", "FIELD": "field", "PROTOCOL": "protocol"}
# keyword (key=VALUE) -> what its value is, in flows, filters and packet-out.
_VALUE_KIND: dict[str, str] = {
    "in_port": "port", "out_port": "port", "port": "port", "table": "table-id",
    "actions": "actions", "database": "database"}
# Tables whose columns the words after a command set, where no TABLE word says it
# (``add-br BRIDGE fail_mode=secure``: the Bridge's; ``add-port``: the Interface's).
_IMPLIED_TABLE = {"add-br": "Bridge", "add-port": "Interface"}
_SPECIAL_PORTS = ("LOCAL", "CONTROLLER", "IN_PORT", "ANY")


@dataclass(frozen=True)
class _Word:
    text: str  # as typed, quotes kept
    value: str  # quotes removed
    start: int


def _split(line: str) -> tuple[list[_Word], _Word] | None:
    """The words before the cursor and the one under it (maybe empty); None in a
    comment."""
    words: list[_Word] = []
    quote = ""
    start = -1
    value: list[str] = []
    for index, char in enumerate(line):
        if quote:
            if char == quote:
                quote = ""
            else:
                value.append(char)
            continue
        if char.isspace():
            if start >= 0:
                words.append(_Word(line[start:index], "".join(value), start))
                start, value = -1, []
            continue
        if start < 0:
            if char == "#":
                return None
            start = index
        if char in "'\"":
            quote = char
        else:
            value.append(char)
    if start >= 0:
        return words, _Word(line[start:], "".join(value), start)
    return words, _Word("", "", len(line))


def _line(text: str) -> str:
    """The command before the cursor: the prompt's buffer holds one command, maybe over
    several lines (continued by a backslash, or inside a quote); same offsets."""
    return text.replace("\\\n", "  ")


@dataclass
class _Context:
    """One completion request: the line, the data, the command and where it is."""

    line: str
    data: CompletionData
    command: str
    sub: str
    usage: Usage
    state: Bound | None = None


class VlcpCompleter(Completer):
    """Completes ``vlcp-shell`` command lines from the registry and a snapshot.

    *data* returns the snapshot to use (``CompletionRefresher.current``); it must
    not block.
    """

    def __init__(self, registry: Registry, data: Callable[[], CompletionData]) -> None:
        self.registry = registry
        self.data = data
        self._grammar: dict[str, Grammar] = {}
        self._names: tuple[str, ...] = ()
        self._paths = PathCompleter(expanduser=True)

    def grammar(self) -> dict[str, Grammar]:
        """Every command's usage, parsed again when the registry changed."""
        names = tuple(self.registry.names())
        if names != self._names:
            self._grammar, self._names = grammar(self.registry), names
        return self._grammar

    def get_completions(self, document: Document, complete_event: CompleteEvent
                        ) -> Iterator[Completion]:
        line = _line(document.text_before_cursor)
        split = _split(line)
        if split is None:
            return
        words, current = split
        if not words:
            yield from self._commands(current.value)
            return
        found = self.grammar().get(words[0].value)
        if found is None:
            return
        args = words[1:]
        usage, sub = found.usage, ""
        if found.subcommands:
            if not args:
                yield from _offer(current.value, {name: sub_usage.text or "subcommand"
                                                  for name, sub_usage
                                                  in sorted(found.subcommands.items())})
                return
            sub = args[0].value
            if sub not in found.subcommands:
                return
            usage, args = found.subcommands[sub], args[1:]
        context = _Context(line, self.data(), words[0].value, sub, usage)
        yield from self._arguments(context, args, current, complete_event)

    def _commands(self, prefix: str) -> Iterator[Completion]:
        yield from _offer(prefix, {command.name: command.summary
                                   for command in self.registry.commands()})

    def _arguments(self, context: _Context, args: list[_Word], current: _Word,
                   event: CompleteEvent) -> Iterator[Completion]:
        usage = context.usage
        if current.value.startswith("-"):
            yield from self._option(context, args, current)
            return
        if args and usage.option_takes_value(args[-1].value):
            return  # the option's value: nothing to offer
        states = usage.walk((word.value, word.start) for word in args)
        # The last key= in the word (packet-out: in_port=1,actions=output:2).
        keywords = list(re.finditer(r"(?:^|,)([a-z_][a-z0-9_-]*)=", current.value))
        keyword = keywords[-1] if keywords else None
        slotted = [state for state in states if state.index < len(usage.slots)]
        rest = [state for state in slotted if usage.slots[state.index].rest]
        if keyword is not None and keyword.group(1) in usage.keys and not rest:
            # The reading that bound the most words (the switch, for in_port=).
            context.state = max(states, key=lambda state: len(state.bindings),
                                default=None)
            yield from self._key_value(context, keyword.group(1),
                                       current.value[keyword.end():])
            return
        offered: dict[str, str] = {}
        for state in slotted:
            context.state = state
            slot = usage.slots[state.index]
            if slot.rest:
                start = state.rest_start if state.rest_start is not None else current.start
                yield from self._rest(context, slot, context.line[start:])
                continue
            kind = _KIND_IN.get((context.command, context.sub, slot.name),
                                _KIND.get(slot.name, ""))
            if kind == "path":
                yield from self._path(current, event)
                continue
            offered.update(dict.fromkeys(slot.literals, "keyword"))
            offered.update(self._candidates(context, kind, slot, current.value))
        if "=" not in current.value:
            used = {word.value.split("=", 1)[0] for word in args}
            offered.update({f"{key}=": value or "keyword"
                            for key, value in usage.keys.items() if key not in used})
        prefix = current.value
        if any(usage.slots[state.index].listed for state in slotted):
            prefix = prefix.rsplit(",", 1)[-1]
        yield from _offer(prefix, offered)

    def _option(self, context: _Context, args: list[_Word], current: _Word
                ) -> Iterator[Completion]:
        name, equals, value = current.value.partition("=")
        if equals:
            if name == "--db":
                yield from _offer(value, dict.fromkeys(context.data.databases, "database"))
            elif name == "--parent" and "," not in value:
                yield from _offer(value, dict.fromkeys(context.data.ovsdb_tables, "table"))
            return
        typed = {word.value.partition("=")[0] + ("=" if "=" in word.value else "")
                 for word in args}
        yield from _offer(current.value, {option: value or "option" for option, value
                                          in context.usage.options.items()
                                          if option not in typed})

    def _path(self, current: _Word, event: CompleteEvent) -> Iterator[Completion]:
        document = Document(current.value, len(current.value))
        yield from self._paths.get_completions(document, event)

    def _key_value(self, context: _Context, key: str, value: str) -> Iterator[Completion]:
        kind = _VALUE_KIND.get(key, "")
        if kind == "actions":
            yield from _flow_completions(value, "actions", self._switch(context), context.data)
            return
        offered = {word: "keyword" for word in context.usage.keys[key].split("|")
                   if re.fullmatch(r"[a-z][a-z0-9_-]*", word)}
        offered.update(self._candidates(context, kind, Slot(key), value))
        yield from _offer(value, offered)

    def _rest(self, context: _Context, slot: Slot, text: str) -> Iterator[Completion]:
        kind = _KIND.get(slot.name, "")
        if kind in ("flow", "match"):
            yield from _flow_completions(text, kind, self._switch(context), context.data)

    def _switch(self, context: _Context) -> SwitchData | None:
        state = context.state
        if state is None:
            return None
        return context.data.switch(state.get("SW") or state.get("BRIDGE"))

    def _candidates(self, context: _Context, kind: str, slot: Slot, prefix: str
                    ) -> dict[str, str]:
        """Words of *kind* (text -> what it is)."""
        data = context.data
        if kind == "switch":
            found = {switch.name: f"switch {switch.datapath:#x}" for switch in data.switches}
            if prefix[:1].isdigit():
                found.update({f"{switch.datapath:#x}": switch.name
                              for switch in data.switches})
            return found
        if kind == "bridge":
            names = {*data.records.get("Bridge", ()), *(s.name for s in data.switches)}
            return dict.fromkeys(sorted(names), "bridge")
        if kind == "port":
            return _ports(self._switch(context), data, prefix, special=slot.name != "PORT")
        if kind == "table-id":
            return _table_ids(self._switch(context), data)
        if kind == "table":
            return dict.fromkeys(sorted(data.ovsdb_tables), "table")
        if kind == "record":
            table = data.table(context.state.get("TABLE") if context.state else None)
            rows = (".",) if table == "Open_vSwitch" else data.records.get(table or "", ())
            return dict.fromkeys(rows, f"{table} record")
        if kind == "column":
            return _columns(context, slot, prefix)
        simple = {"database": data.databases, "watch": data.watches,
                  "monitor": data.monitors, "option": data.options, "app": data.apps,
                  "host": data.hosts}
        if kind in simple:
            return dict.fromkeys(simple[kind], kind)
        if kind == "command":
            return {command.name: command.summary for command in self.registry.commands()}
        if kind in ("field", "protocol"):
            words = _flow_names()
            if kind == "protocol":
                return dict.fromkeys(words.shorthands, "protocol")
            return {f"{name}=": "field" for name in words.fields}
        return {}


def _columns(context: _Context, slot: Slot, prefix: str) -> dict[str, str]:
    data = context.data
    named = context.state.get("TABLE") if context.state is not None else None
    table = data.table(named) or _IMPLIED_TABLE.get(context.command)
    columns = data.ovsdb_tables.get(table or "", ())
    if slot.listed:
        typed = set(prefix.split(",")[:-1])
        columns = tuple(column for column in columns if column not in typed)
    suffix = "=" if slot.assigns else ""
    return {column + suffix: f"{table} column" for column in columns}


def _ports(switch: SwitchData | None, data: CompletionData, prefix: str, *,
           special: bool = True) -> dict[str, str]:
    """Port names (and numbers, once a digit is typed); in flows the special ports."""
    switches = [switch] if switch is not None else list(data.switches)
    found: dict[str, str] = {}
    for one in switches:
        for name, number in sorted(one.ports.items(), key=lambda item: item[1]):
            if number >= 0xFF00:  # LOCAL and the like, named below
                continue
            found[name] = f"port {number}"
            if prefix[:1].isdigit():
                found[str(number)] = name
    if special:
        found.update(dict.fromkeys(_SPECIAL_PORTS, "port"))
    return found


def _table_ids(switch: SwitchData | None, data: CompletionData) -> dict[str, str]:
    tables = switch.tables if switch is not None else \
        tuple(sorted({table for one in data.switches for table in one.tables}))
    return {str(table): "table" for table in tables}


# -- flow text -----------------------------------------------------------------------------

_ACTIONS_AT = re.compile(r"(?:^|[\s,\"'])actions=")
_SEPARATORS = " \t\n,\"'"


def _flow_completions(text: str, mode: str, switch: SwitchData | None,
                      data: CompletionData) -> Iterator[Completion]:
    """Completions at the end of flow *text* (``mode``: ``flow`` with actions, ``match``
    without, ``actions`` for an action list alone)."""
    if mode != "actions":
        found = list(_ACTIONS_AT.finditer(text))
        if found:
            yield from _actions(text[found[-1].end():], switch, data)
            return
        yield from _match(text, mode, switch, data)
        return
    yield from _actions(text, switch, data)


def _match(text: str, mode: str, switch: SwitchData | None, data: CompletionData
           ) -> Iterator[Completion]:
    cut = max(text.rfind(char) for char in _SEPARATORS)
    fragment = text[cut + 1:]
    key, equals, value = fragment.partition("=")
    if equals:
        kind = _VALUE_KIND.get(key, "")
        if kind == "port":
            yield from _offer(value, _ports(switch, data, value))
        elif kind == "table-id":
            yield from _offer(value, _table_ids(switch, data))
        return
    words = _flow_names()
    typed = {re.split(r"[=\s]", item, maxsplit=1)[0]
             for item in re.split(r"[\s,\"']+", text[:cut + 1]) if item}
    offered: dict[str, str] = {}
    offered.update({f"{name}=": "keyword" for name in words.keywords if name not in typed})
    offered.update({name: "protocol" for name in words.shorthands if name not in typed})
    offered.update({name: "flag" for name in words.flags if name not in typed})
    offered.update({f"{name}=": "field" for name in words.fields if name not in typed})
    if mode == "flow":
        offered["actions="] = "the actions"
    yield from _offer(fragment, offered)


def _actions(text: str, switch: SwitchData | None, data: CompletionData
             ) -> Iterator[Completion]:
    """Completions at the end of an action list: the item after the last comma (at
    the same depth of parentheses)."""
    opened: list[int] = []  # where each open parenthesis is
    start = 0
    for index, char in enumerate(text):
        if char == "(":
            opened.append(index)
            start = index + 1
        elif char == ")" and opened:
            opened.pop()
            start = index + 1
        elif char == "," or (char.isspace() and not opened):
            start = index + 1
    fragment = text[start:]
    if opened:
        inner = text[opened[-1] + 1:]
        function = re.search(r"([a-z_]+)$", text[:opened[-1]])
        if function is not None and function.group(1) == "resubmit":
            if inner.count(",") == 0:
                yield from _offer(fragment, _ports(switch, data, fragment))
            elif inner.count(",") == 1:
                yield from _offer(fragment, _table_ids(switch, data))
        elif fragment.startswith("table="):
            yield from _offer(fragment[6:], _table_ids(switch, data))
        return
    name, colon, argument = fragment.partition(":")
    if colon:
        name = name.lower()
        if "->" in argument:
            field_prefix = argument.rsplit("->", 1)[1]
            words = _flow_names()
            yield from _offer(field_prefix, dict.fromkeys(words.fields, "field"))
        elif name in ("output", "enqueue", "resubmit"):
            yield from _offer(argument, _ports(switch, data, argument))
        elif name == "goto_table":
            yield from _offer(argument, _table_ids(switch, data))
        return
    offered = dict.fromkeys(_flow_names().actions, "action")
    if fragment[:1].isupper():
        offered = {name.upper(): meta for name, meta in offered.items()}
    yield from _offer(fragment, offered)


def _offer(prefix: str, candidates: Mapping[str, str]) -> Iterator[Completion]:
    """The candidates that start with *prefix* (any case), replacing it."""
    folded = prefix.lower()
    for text, meta in candidates.items():
        if text.lower().startswith(folded) and text != prefix:
            yield Completion(text, -len(prefix), display_meta=meta)
