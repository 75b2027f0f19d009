"""What the completer knows of each command's arguments: read from the registry.

Every command registers a usage string (``SW FLOW``, ``[--may-exist] BRIDGE
[COLUMN=VALUE...]``, ``start NAME [KEY=VALUE...] | stop NAME``).  ``parse_usage``
turns one into ``Usage``: positional ``Slot``s (a placeholder such as ``SW``,
literal words such as ``standalone|secure``, optional groups, ``...`` repeats),
the options (``--strict``, ``--timeout S``, ``--columns=A,B``) and the keywords
(``count=N``, ``dir=in|out``).  ``Usage.walk`` follows the words typed so far
through the slots (several slots may fit: optional groups) and says which slots
the next word may fill, with the words bound to earlier placeholders.

Commands with subcommands (``ovsdb list``, ``lab start``, ``watch packet-in``,
``expect flows``) get one ``Usage`` per subcommand: from ``|`` alternatives in the
usage string, from ``CMD SUB ARGS`` lines of the command's help text, and, for the
three commands whose subcommands are tables of their modules (``ovsdb``, ``watch``,
``expect``), from those tables (``grammar``).  Nothing here repeats the commands'
arguments: a command's usage changes, its completion follows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.shell import Registry

__all__ = ["Bound", "Grammar", "Slot", "Usage", "grammar", "parse_usage"]

# Placeholders that take the rest of the line: every word after them is theirs.
REST = frozenset({"FLOW", "MATCH", "GROUP", "METER", "EXPRESSION", "MESSAGE", "JSON", "FRAME",
                  "ARGS", "FILTERS", "WHAT", "SUBCOMMAND", "EVENT"})
_PLACEHOLDER = re.compile(r"[A-Z][A-Z0-9_]*")
_KEYWORD = re.compile(r"([a-z_][a-z0-9_-]*)=(.*)")
_WORD = re.compile(r"[a-z][a-z0-9_-]*")


@dataclass(frozen=True)
class Slot:
    """One positional argument: a placeholder, literal words, or both (``ID|all``)."""

    name: str = ""  # SW, TABLE, COLUMN... ("" for literal words only)
    literals: tuple[str, ...] = ()
    skip_to: int | None = None  # an optional group: where the walk goes without it
    repeat: bool = False  # NAME...
    rest: bool = False  # takes every word after it (FLOW, MATCH...)
    assigns: bool = False  # COLUMN=VALUE: the word is NAME=VALUE
    listed: bool = False  # COLUMN,...: names separated by commas

    def accepts(self, word: str) -> bool:
        return bool(self.name) or word in self.literals


@dataclass(frozen=True)
class Bound:
    """A place in a usage the next word may fill: the slot's index, the words bound
    to the placeholders before it, and where a rest slot's text starts."""

    index: int
    bindings: tuple[tuple[str, str], ...] = ()
    rest_start: int | None = None

    def get(self, name: str) -> str | None:
        for key, value in self.bindings:
            if key == name:
                return value
        return None


@dataclass(frozen=True)
class Usage:
    text: str
    slots: tuple[Slot, ...] = ()
    options: dict[str, str] = field(default_factory=dict)  # "--timeout": "S", "--db=": "DB"
    keys: dict[str, str] = field(default_factory=dict)  # "count": "N", "dir": "in|out"

    def option_takes_value(self, word: str) -> bool:
        return bool(self.options.get(word)) and not word.endswith("=")

    def walk(self, words: Iterable[tuple[str, int]]) -> list[Bound]:
        """Where the next word may go after *words* (each with its offset in the line).
        Options (and their values) are skipped; so are keywords (``count=2``) except
        in a rest slot.  A ``Bound`` whose index is ``len(slots)`` is the end: no more
        positional words, but keywords and options may still come."""
        states = self._closure([Bound(0)])
        skip_value = False
        for word, start in words:
            if skip_value:
                skip_value = False
                continue
            if word.startswith("--"):
                skip_value = self.option_takes_value(word)
                continue
            keyword = _KEYWORD.fullmatch(word)
            is_key = keyword is not None and keyword.group(1) in self.keys
            moved: list[Bound] = []
            for state in states:
                slot = self.slots[state.index] if state.index < len(self.slots) else None
                if slot is not None and slot.rest:
                    start_at = state.rest_start if state.rest_start is not None else start
                    moved.append(Bound(state.index, state.bindings, start_at))
                elif is_key:
                    moved.append(state)
                elif slot is not None and slot.accepts(word):
                    bindings = state.bindings
                    if slot.name and state.get(slot.name) is None:
                        bindings = (*bindings, (slot.name, word))
                    if slot.repeat:
                        moved.append(Bound(state.index, bindings))
                    moved.append(Bound(state.index + 1, bindings))
            states = self._closure(moved)
        return states

    def _closure(self, states: list[Bound]) -> list[Bound]:
        seen: dict[int, Bound] = {}
        todo = list(states)
        while todo:
            state = todo.pop(0)
            if state.index in seen:
                continue
            seen[state.index] = state
            if state.index >= len(self.slots):
                continue  # the end: no slot left, but what was bound is kept
            skip = self.slots[state.index].skip_to
            if skip is not None:
                todo.append(Bound(skip, state.bindings, state.rest_start))
        return [seen[index] for index in sorted(seen)]


def _chunks(text: str) -> list[str]:
    """The usage's words with group brackets as words of their own: ``[--timeout S]``
    is ``[``, ``--timeout``, ``S``, ``]``; brackets inside a word stay (``IP[/LEN]``)."""
    out: list[str] = []
    for chunk in text.split():
        while chunk.startswith("["):
            out.append("[")
            chunk = chunk[1:]
        closing = 0
        while chunk.endswith("]") and chunk.count("[") < chunk.count("]"):
            chunk = chunk[:-1]
            closing += 1
        if chunk:
            out.append(chunk)
        out.extend("]" * closing)
    return out


def parse_usage(text: str) -> Usage:
    """``Usage`` of a usage string (without the command's name)."""
    slots: list[Slot] = []
    options: dict[str, str] = {}
    keys: dict[str, str] = {}
    groups: list[int] = []  # slot index where each open group started
    pending_option = ""  # an option whose value may follow in the same group
    for chunk in _chunks(text.replace("(no filters)", "")):
        if chunk == "[":
            groups.append(len(slots))
            pending_option = ""
            continue
        if chunk == "]":
            start = groups.pop() if groups else len(slots)
            if start < len(slots):
                slots[start] = _with_skip(slots[start], len(slots))
            pending_option = ""
            continue
        if chunk.startswith("--"):
            name, equals, value = chunk.partition("=")
            options[name + equals] = value
            pending_option = "" if equals else name
            continue
        if pending_option and _PLACEHOLDER.match(chunk):
            options[pending_option] = chunk
            pending_option = ""
            continue
        pending_option = ""
        keyword = _KEYWORD.fullmatch(chunk)
        if keyword is not None:
            keys[keyword.group(1)] = keyword.group(2).removesuffix("...")
            continue
        slots.append(_slot(chunk))
    return Usage(text, tuple(slots), options, keys)


def _with_skip(slot: Slot, skip_to: int) -> Slot:
    return Slot(slot.name, slot.literals, skip_to, slot.repeat, slot.rest, slot.assigns,
                slot.listed)


def _slot(chunk: str) -> Slot:
    repeat = chunk.endswith("...")
    chunk = chunk.removesuffix("...")
    listed = chunk.endswith(",")
    chunk = chunk.rstrip(",")
    names = [part for part in chunk.split("|") if _PLACEHOLDER.match(part)]
    literals = tuple(part for part in chunk.split("|") if _WORD.fullmatch(part))
    found = _PLACEHOLDER.match(names[0]) if names else None
    name = found.group(0) if found else ""
    if not name and not literals:
        name = "VALUE"  # 2s, a sample value: any word, nothing to offer
    return Slot(name, literals, None, repeat, name in REST, "=" in chunk, listed)


# -- subcommands ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Grammar:
    """A command's arguments: one ``Usage``, or one per subcommand."""

    usage: Usage
    subcommands: dict[str, Usage] = field(default_factory=dict)


def _doc_usages(name: str, text: str) -> dict[str, str]:
    """``NAME SUB ARGS`` written in a help text: at a line's start (``lab start [--bridges
    N]   what it does``) or in double backquotes (````expect flows SW count=N````)."""
    found: dict[str, str] = {}
    pattern = re.compile(rf"(?:^[ \t]*|``){re.escape(name)} ([a-z][\w-]*)(?![\w-])"
                         r"([^`\n]*?)(?=``|[ \t]{2,}|:\s|$)", re.MULTILINE)
    for match in pattern.finditer(text):
        found.setdefault(match.group(1), _without_prose(match.group(2)))
    return found


def _without_prose(text: str) -> str:
    """A usage up to where a description starts (two plain words in a row outside
    brackets): ``NAME IP PORT [--mac M] a network namespace host`` -> ``NAME IP PORT
    [--mac M]``."""
    words = text.split()
    depth = 0
    for index, word in enumerate(words):
        if depth == 0 and index + 1 < len(words) and re.fullmatch(r"[a-z]+", word) \
                and re.match(r"[a-z(]", words[index + 1]):
            return " ".join(words[:index])
        depth += word.count("[") - word.count("]")
    return " ".join(words)


def _alternatives(usage: str) -> dict[str, str]:
    """``start NAME | stop NAME`` and ``start|stop|status [ARGS...]`` as subcommands."""
    if " | " in usage:
        parts = [part.strip().split(None, 1) for part in usage.split(" | ")]
        if all(part and _WORD.fullmatch(part[0]) for part in parts):
            return {part[0]: part[1] if len(part) > 1 else "" for part in parts}
    first, _, rest = usage.partition(" ")
    words = first.split("|")
    if len(words) > 1 and all(_WORD.fullmatch(word) for word in words):
        return dict.fromkeys(words, rest if "ARGS" not in rest else "")
    return {}


def _module_tables() -> dict[str, dict[str, str]]:
    """Subcommands the shell keeps in its command modules' own tables (the registry has
    one usage string per command): ``ovsdb``'s subcommands, ``watch``'s events with
    their filters, ``expect``'s kinds with the usage their docstrings begin with."""
    from workbench.shell._cmd_ovsdb import SUBCOMMANDS
    from workbench.shell._cmd_watch import EVENTS
    from workbench.shell._expect import EXPECTATIONS

    subcommands, events, kinds = SUBCOMMANDS, EVENTS, EXPECTATIONS
    ovsdb = {name: entry[0] for name, entry in subcommands.items()}
    watch: dict[str, str] = {}
    for event, filters in events.items():
        words = [f"[{word}...]" if not word.startswith("[") and word != "TABLE"
                 and ("=" in word or word.isupper()) else word
                 for word in filters.replace("(no filters)", "").split()]
        head = "" if filters.startswith("TABLE") else "[SW] "
        watch[event] = head + " ".join(words)
    expect: dict[str, str] = {}
    for kind, handler in kinds.items():
        usage = _doc_usages("expect", handler.__doc__ or "").get(kind)
        if usage is not None:
            filters = watch.get(kind, "").removeprefix("[SW] ")
            expect[kind] = usage.replace("[FILTERS]", filters)
    return {"ovsdb": ovsdb, "watch": watch, "expect": expect}


def grammar(registry: Registry) -> dict[str, Grammar]:
    """Every command's ``Grammar``."""
    tables = _module_tables()
    out: dict[str, Grammar] = {}
    for command in registry.commands():
        subs = _alternatives(command.usage)
        described = _doc_usages(command.name, f"{command.summary}\n{command.doc}")
        if subs or command.name in tables:
            subs = {**subs, **described, **tables.get(command.name, {})}
        out[command.name] = Grammar(parse_usage(command.usage),
                                    {sub: parse_usage(text) for sub, text in subs.items()})
    return out
