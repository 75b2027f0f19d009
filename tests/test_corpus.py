"""The recorded corpus of real Open vSwitch traffic (tests/data/corpus)."""

from __future__ import annotations

import json

import pytest

from tests.ofcorpus import (
    CORPUS_DIR,
    FILE_NAMES,
    OF10,
    OF13,
    REQUIRED,
    CorpusEntry,
    MessageSplitter,
    check_entries,
    load_corpus,
    record_all,
)
from workbench.lab import Lab

VERSION_IDS = {OF10: "of10", OF13: "of13"}


@pytest.mark.parametrize("version", [OF10, OF13], ids=VERSION_IDS.get)
def test_stored_corpus_is_well_formed(version: int) -> None:
    path = CORPUS_DIR / FILE_NAMES[version]
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(raw, list) and raw
    assert all(set(item) == {"name", "direction", "hex"} for item in raw)
    entries = load_corpus(path)
    assert check_entries(version, entries) == []
    for entry in entries:  # exactly one message per entry
        assert MessageSplitter().feed(entry.data) == [entry.data]


@pytest.mark.parametrize("version", [OF10, OF13], ids=VERSION_IDS.get)
def test_stream_splitting_recovers_every_message(version: int) -> None:
    entries = load_corpus(CORPUS_DIR / FILE_NAMES[version])
    stream = b"".join(entry.data for entry in entries)
    splitter = MessageSplitter()
    found: list[bytes] = []
    for start in range(0, len(stream), 7):  # arbitrary chunk boundaries
        found += splitter.feed(stream[start : start + 7])
    assert found == [entry.data for entry in entries]
    assert splitter.pending == 0


def test_check_entries_reports_problems() -> None:
    good = load_corpus(CORPUS_DIR / FILE_NAMES[OF13])
    assert check_entries(OF13, good) == []
    hello = next(e for e in good if e.name == "hello")
    short = CorpusEntry("hello", hello.direction, hello.data[:-1])  # length field now wrong
    wrong_version = CorpusEntry("hello", hello.direction, bytes([OF10]) + hello.data[1:])
    problems = check_entries(OF13, [short, wrong_version])
    assert any("length field" in p for p in problems)
    assert any("version 1 != 4" in p for p in problems)
    assert any("missing" in p and "features_reply" in p for p in problems)


def test_fresh_recording_has_the_same_message_types(lab: Lab) -> None:
    fresh = record_all(lab)
    for version, entries in fresh.items():
        assert check_entries(version, entries) == []
        stored = load_corpus(CORPUS_DIR / FILE_NAMES[version])
        assert {(e.direction, e.name) for e in entries} == {(e.direction, e.name) for e in stored}
        assert REQUIRED[version] <= {e.name for e in entries}
