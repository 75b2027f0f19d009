"""Reading, writing and checking the stored corpus files (``of10.json``, ``of13.json``)."""

from __future__ import annotations

import json
import struct
from collections.abc import Iterable
from pathlib import Path

from ._wire import OF10, OF13
from .recorder import CONTROLLER_TO_SWITCH, SWITCH_TO_CONTROLLER, CorpusEntry

__all__ = ["CORPUS_DIR", "FILE_NAMES", "REQUIRED", "check_entries", "load_corpus", "save_corpus"]

CORPUS_DIR = Path(__file__).resolve().parent.parent / "data" / "corpus"
FILE_NAMES = {OF10: "of10.json", OF13: "of13.json"}

# What each recording must contain from the switch, at least.
_COMMON = {
    "hello", "features_reply", "get_config_reply", "echo_reply", "echo_request",
    "barrier_reply", "desc_stats_reply", "port_stats_reply", "flow_stats_reply",
    "aggregate_stats_reply", "table_stats_reply", "packet_in_action", "port_status_add",
    "port_status_delete",
    "flow_removed_delete", "error_bad_request_bad_type", "error_bad_request_bad_stat",
}  # fmt: skip
REQUIRED = {
    OF10: frozenset(_COMMON),
    OF13: frozenset(_COMMON | {"port_desc_reply", "role_reply", "get_async_reply",
                               "packet_in_no_match", "port_status_modify"}),
}  # fmt: skip


def save_corpus(path: Path, entries: Iterable[CorpusEntry]) -> None:
    """Write entries as a JSON list, one message per line."""
    lines = [json.dumps(entry.to_json()) for entry in entries]
    path.write_text("[\n" + ",\n".join(lines) + "\n]\n", encoding="utf-8")


def load_corpus(path: Path) -> list[CorpusEntry]:
    """Read a corpus file written by :func:`save_corpus`."""
    return [CorpusEntry.from_json(item) for item in json.loads(path.read_text(encoding="utf-8"))]


def check_entries(version: int, entries: list[CorpusEntry]) -> list[str]:
    """Everything wrong with a recording of ``version``; an empty list if it is well formed."""
    problems: list[str] = []
    for index, entry in enumerate(entries):
        where = f"#{index} {entry.name}"
        data = entry.data
        if entry.direction not in (SWITCH_TO_CONTROLLER, CONTROLLER_TO_SWITCH):
            problems.append(f"{where}: bad direction {entry.direction!r}")
        if len(data) < 8:
            problems.append(f"{where}: only {len(data)} bytes")
            continue
        (length,) = struct.unpack_from("!H", data, 2)
        if length != len(data):
            problems.append(f"{where}: length field {length} != {len(data)} bytes")
        if data[0] != version:
            problems.append(f"{where}: version {data[0]} != {version}")
    received = {e.name for e in entries if e.direction == SWITCH_TO_CONTROLLER}
    missing = sorted(REQUIRED[version] - received)
    if missing:
        problems.append(f"missing switch->controller messages: {', '.join(missing)}")
    return problems
