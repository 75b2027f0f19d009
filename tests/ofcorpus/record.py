"""Re-record the OpenFlow corpus against a private Open vSwitch.

Usage::

    python -m tests.ofcorpus.record [--out tests/data/corpus]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbench.lab import Lab

from ._scenario import record_all
from .corpus import CORPUS_DIR, FILE_NAMES, check_entries, save_corpus


def main(argv: list[str] | None = None) -> int:
    """Record every version and write one JSON file per version; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m tests.ofcorpus.record", description=__doc__)
    parser.add_argument("--out", type=Path, default=CORPUS_DIR, help="output directory")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    with Lab() as lab:
        recordings = record_all(lab)
    status = 0
    for version, entries in recordings.items():
        for problem in check_entries(version, entries):
            print(f"{FILE_NAMES[version]}: {problem}", file=sys.stderr)
            status = 1
        path = out / FILE_NAMES[version]
        save_corpus(path, entries)
        print(f"wrote {path} ({len(entries)} messages)")
    return status


if __name__ == "__main__":
    sys.exit(main())
