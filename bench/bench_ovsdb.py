"""OVSDB client: our replica and transactions against the ``ovs`` package's IDL.

Run: ``.venv/bin/python -m bench.bench_ovsdb`` (``--quick`` for a smoke run:
one round, 500 rows, 200 transactions).

Both contenders work against the same real ``ovsdb-server`` (a private
``workbench.lab.Lab``, ``bench/_ovsdb_server.py``), in the same run:

- ovs: the Open vSwitch project's Python IDL, ``ovs.db.idl.Idl`` from PyPI's
  ``ovs`` (``.bench-venvs/ovs``, made on first use with the C JSON parser when
  it can be built, see ``bench/_ovs_env.py``), in ``bench/ovs_idl_worker.py``;
- ours: ``vlcp_core.ovsdb`` -- NOT WRITTEN YET: :func:`ours_replica` and
  :func:`ours_transact` below are the placeholders to fill in.

Two measurements, each in a fresh worker process for every run:

replica (rows/s)
    a replica of the (emptied) ``QoS`` table, all columns, is synced; the
    driver then inserts N rows in one transaction and tells the worker; the
    time from then until the replica holds N rows (received, parsed, applied).
transact (round trips/s)
    N sequential transactions, each one ``mutate`` of
    ``Open_vSwitch.external_ids`` (key ``bench-transact``) on the root row,
    each waiting for the server's reply before the next.

The rounds alternate between the contenders (round 1: ours, ovs; round 2: the
same, ...); the figure is the median over the rounds.  Only ratios are worth
keeping.  ``c_json`` says whether the ``ovs`` package parsed JSON with its C
extension (``ovs._json``) in those runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench._ovsdb_server import (
    OvsdbError,
    Server,
    ovsdb_lab,
    run_replica_worker,
    run_transact_worker,
    worker_command,
)

__all__ = ["Contender", "main", "ours_replica", "ours_transact"]

REPLICA_ROWS = 5000
TRANSACT_COUNT = 2000
QUICK_ROWS = 500
QUICK_COUNT = 200


# --- ours ---------------------------------------------------------------------

OURS = [sys.executable, "-m", "bench.ovsdb_worker"]


def ours_replica(server: Server, rows: int) -> float:
    """Seconds our client's replica takes to reflect a burst of *rows* QoS inserts
    (``bench/ovsdb_worker.py``, the same protocol and work as the peer's worker,
    in a fresh process)."""
    result = run_replica_worker(OURS, server.remote, server.schema, rows)
    return float(result["seconds"])


def ours_transact(server: Server, count: int) -> float:
    """Seconds our client takes for *count* sequential transact round trips."""
    result = run_transact_worker(OURS, server.remote, server.schema, count)
    return float(result["seconds"])


# --- the benchmark ------------------------------------------------------------

@dataclass
class Contender:
    """A client under test: seconds for a replica burst, seconds for N transactions."""

    name: str
    replica: Callable[[Server, int], float]
    transact: Callable[[Server, int], float]
    replica_rates: list[float] = field(default_factory=list)
    transact_rates: list[float] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # measurement: why


def ours_contender() -> Contender:
    return Contender("ours", ours_replica, ours_transact)


def ovs_contender(python: Path, c_json: set[bool]) -> Contender:
    """The ``ovs`` IDL; each result's ``c_json`` is added to *c_json*."""
    command = worker_command(python)

    def replica(server: Server, rows: int) -> float:
        result = run_replica_worker(command, server.remote, server.schema, rows)
        c_json.add(bool(result["c_json"]))
        return float(result["seconds"])

    def transact(server: Server, count: int) -> float:
        result = run_transact_worker(command, server.remote, server.schema, count)
        c_json.add(bool(result["c_json"]))
        return float(result["seconds"])

    return Contender("ovs", replica, transact)


def _measure(contender: Contender, what: str, run: Callable[[], float], amount: int,
             rates: list[float], round_no: int) -> bool:
    """Run one measurement; False when it failed (other than not implemented)."""
    if what in contender.skipped:
        return True
    try:
        seconds = run()
    except NotImplementedError as exc:
        contender.skipped[what] = str(exc) or "not implemented"
        print(f"{contender.name} {what} skipped: {contender.skipped[what]}", file=sys.stderr)
        return True
    except (OvsdbError, OSError, RuntimeError) as exc:
        print(f"round {round_no}: {contender.name} {what}: {exc}", file=sys.stderr)
        return False
    rates.append(amount / seconds if seconds > 0 else float("inf"))
    print(f"round {round_no}: {contender.name:5} {what:8} {rates[-1]:12,.0f}/s",
          file=sys.stderr, flush=True)
    return True


def run_rounds(contenders: list[Contender], server: Server, *, rounds: int, rows: int,
               count: int) -> int:
    """Alternate the contenders for *rounds* rounds; the number of failed runs."""
    failures = 0
    for round_no in range(1, rounds + 1):
        for contender in contenders:
            def replica(c: Contender = contender) -> float:
                return c.replica(server, rows)

            def transact(c: Contender = contender) -> float:
                return c.transact(server, count)

            if not _measure(contender, "replica", replica, rows, contender.replica_rates,
                            round_no):
                failures += 1
            if not _measure(contender, "transact", transact, count,
                            contender.transact_rates, round_no):
                failures += 1
    return failures


def _cells(rates: list[float], skipped: bool) -> list[str]:
    if not rates:
        return ["skipped" if skipped else "failed", "-", "-"]
    return [f"{statistics.median(rates):,.0f}", f"{min(rates):,.0f}", f"{max(rates):,.0f}"]


def _ratio(contenders: dict[str, Contender], attribute: str) -> str:
    ours, peer = contenders.get("ours"), contenders.get("ovs")
    if ours is None or peer is None:
        return "n/a"
    top, bottom = getattr(ours, attribute), getattr(peer, attribute)
    if not top or not bottom:
        return "n/a"
    return f"{statistics.median(top) / statistics.median(bottom):.2f}x"


def report(contenders: list[Contender], *, rounds: int, rows: int, count: int,
           c_json: set[bool], ovs_version: str) -> str:
    header = ["contender", "replica rows/s", "min", "max", "transact rt/s", "min", "max"]
    body = []
    for contender in contenders:
        name = f"ovs {ovs_version}" if contender.name == "ovs" else contender.name
        body.append([name, *_cells(contender.replica_rates, "replica" in contender.skipped),
                     *_cells(contender.transact_rates, "transact" in contender.skipped)])
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    lines = [f"ovsdb client: replica of QoS after one {rows}-row insert; {count} sequential "
             f"transactions; {rounds} round(s) (medians of alternating runs, fresh processes)"]
    for index, row in enumerate([header, *body]):
        lines.append("  ".join([row[0].ljust(widths[0])] +
                               [cell.rjust(width) for cell, width in
                                zip(row[1:], widths[1:], strict=True)]).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    by_name = {contender.name: contender for contender in contenders}
    lines.append(f"ours / ovs: replica {_ratio(by_name, 'replica_rates')}, "
                 f"transact {_ratio(by_name, 'transact_rates')}")
    lines.append(f"c_json: {' / '.join(str(value) for value in sorted(c_json)) or 'n/a'}")
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_ovsdb",
                                     description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--rows", type=int, default=REPLICA_ROWS,
                        help="rows of the replica burst")
    parser.add_argument("--count", type=int, default=TRANSACT_COUNT,
                        help="sequential transactions")
    parser.add_argument("--quick", action="store_true",
                        help=f"a smoke run: 1 round, {QUICK_ROWS} rows, {QUICK_COUNT} transactions")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.quick:
        args.rounds, args.rows, args.count = 1, QUICK_ROWS, QUICK_COUNT
    from bench._ovs_env import OVS_VERSION, prepare_ovs_venv

    python, message = prepare_ovs_venv()
    print(message, file=sys.stderr)
    if python is None:
        print(f"ovs skipped: {message}", file=sys.stderr)
        return 1
    c_json: set[bool] = set()
    contenders = [ours_contender(), ovs_contender(python, c_json)]
    with ovsdb_lab() as server:
        failures = run_rounds(contenders, server, rounds=args.rounds, rows=args.rows,
                              count=args.count)
    print()
    print(report(contenders, rounds=args.rounds, rows=args.rows, count=args.count,
                 c_json=c_json, ovs_version=OVS_VERSION))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
