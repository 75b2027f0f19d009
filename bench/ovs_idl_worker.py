"""Time the ``ovs`` package's OVSDB IDL (``ovs.db.idl``) against a real ovsdb-server.

Run with the python of the venv made by ``bench/_ovs_env.py`` -- never with the
project's own interpreter -- in isolated mode, so that it imports ``ovs`` and
none of our code::

    .bench-venvs/ovs/bin/python -I bench/ovs_idl_worker.py

Protocol: JSON lines both ways, one object per line.

1. The driver writes the job, one of::

       {"job": "replica", "remote": "unix:/path/db.sock",
        "schema": "/usr/share/openvswitch/vswitch.ovsschema", "table": "QoS"}
       {"job": "transact", "remote": ..., "schema": ..., "count": N}

   (optional: ``"timeout"``, seconds for each wait, default 120).
2. The worker makes an ``ovs.db.idl.Idl`` on the remote (defaults: probe
   interval, ``leader_only=True``), waits until its initial fetch is in
   (``has_ever_connected()``), and prints
   ``{"event": "ready", "ovs": VERSION, "c_json": BOOL, "rows": ROWS}``
   (ROWS: the rows of the replicated table now).
3. The driver writes ``{"go": true, "rows": N}`` (replica: N is the number of
   rows the table will have once the change the driver made *before* writing
   this line is in) or ``{"go": true}`` (transact).
4. The worker does the timed work and prints
   ``{"event": "result", "seconds": S, ...}``, then closes the IDL and exits 0.
   Any failure: ``{"event": "error", "message": ...}`` and exit status 1.

replica
    The IDL replicates every column of *table* (``register_table``).  The
    timer starts when the go line has been read and stops when
    ``len(idl.tables[table].rows) == N`` after an ``idl.run()`` (the update
    parsed and applied: every row's columns converted to ``ovs.db.data.Datum``);
    between runs the worker blocks in ``ovs.poller``.  The update was produced
    while the worker was not reading, so the figure is the client's: receive,
    parse, apply.  Result: ``"rows"`` (N), ``"rows_per_second"``.
transact
    The IDL replicates ``Open_vSwitch.external_ids`` only.  Each round trip is
    one transaction: ``txn = Transaction(idl)``,
    ``row.setkey("external_ids", "bench-transact", str(i))`` on the root row
    (one ``mutate`` op: delete the key, insert key=i), ``txn.commit_block()``,
    which returns when the server's reply is in; the IDL also processes the
    monitor update the change causes.  N in a row, timed together.  Result:
    ``"count"``, ``"round_trips_per_second"``.

Every result also carries ``"c_json"``: ``ovs.json.PARSER == ovs.json.PARSER_C``,
i.e. whether ``import ovs._json`` (the C parser built from the Open vSwitch C
library) worked, which makes ``ovs.jsonrpc`` parse with it.
"""

from __future__ import annotations

import importlib
import json
import platform
import sys
import time
from collections.abc import Callable
from importlib.metadata import version as distribution_version
from typing import Any, TextIO

DEFAULT_TIMEOUT = 120.0
TRANSACT_KEY = "bench-transact"


class WorkerError(Exception):
    """The job cannot be done; the message goes to the driver."""


def emit(event: str, **fields: object) -> None:
    print(json.dumps({"event": event, **fields}), flush=True)


def read_line(stream: TextIO) -> dict[str, Any]:
    line = stream.readline()
    if not line:
        raise WorkerError("stdin closed")
    parsed = json.loads(line)
    if not isinstance(parsed, dict):
        raise WorkerError(f"expected a JSON object, got {line.strip()[:80]!r}")
    return parsed


class IdlSession:
    """An ``ovs.db.idl.Idl`` and the modules it needs."""

    def __init__(self, remote: str, schema: str, register: Callable[[Any], None]) -> None:
        self.idl_module: Any = importlib.import_module("ovs.db.idl")
        self.poller_module: Any = importlib.import_module("ovs.poller")
        json_module: Any = importlib.import_module("ovs.json")
        self.c_json = bool(json_module.PARSER == json_module.PARSER_C)
        helper = self.idl_module.SchemaHelper(location=schema)
        register(helper)
        self.idl: Any = self.idl_module.Idl(remote, helper)

    def block(self, deadline: float) -> None:
        """Wait for the IDL to have something to do, or for *deadline*."""
        poller = self.poller_module.Poller()
        self.idl.wait(poller)
        poller.timer_wait(max(1, int((deadline - time.monotonic()) * 1000)))
        poller.block()

    def run_until(self, done: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while True:
            self.idl.run()
            if done():
                return
            if time.monotonic() >= deadline:
                raise WorkerError(f"timed out after {timeout:g} s waiting for {what}")
            self.block(deadline)

    def sync(self, timeout: float) -> None:
        self.run_until(self.idl.has_ever_connected, timeout, "the initial fetch")

    def close(self) -> None:
        self.idl.close()


def replica_job(job: dict[str, Any], stream: TextIO) -> dict[str, object]:
    table_name = str(job["table"])
    timeout = float(job.get("timeout", DEFAULT_TIMEOUT))
    session = IdlSession(str(job["remote"]), str(job["schema"]),
                         lambda helper: helper.register_table(table_name))
    try:
        session.sync(timeout)
        table = session.idl.tables[table_name]
        emit("ready", ovs=distribution_version("ovs"), c_json=session.c_json,
             rows=len(table.rows))
        go = read_line(stream)
        expected = int(go["rows"])
        start = time.perf_counter()
        session.run_until(lambda: len(table.rows) == expected, timeout,
                          f"{expected} rows in {table_name}")
        seconds = time.perf_counter() - start
        return {"job": "replica", "seconds": seconds, "rows": expected,
                "rows_per_second": expected / seconds if seconds > 0 else 0.0,
                "c_json": session.c_json}
    finally:
        session.close()


def transact_job(job: dict[str, Any], stream: TextIO) -> dict[str, object]:
    count = int(job["count"])
    timeout = float(job.get("timeout", DEFAULT_TIMEOUT))
    session = IdlSession(str(job["remote"]), str(job["schema"]),
                         lambda helper: helper.register_columns("Open_vSwitch",
                                                                ["external_ids"]))
    try:
        session.sync(timeout)
        rows = session.idl.tables["Open_vSwitch"].rows
        if len(rows) != 1:
            raise WorkerError(f"expected one Open_vSwitch row, found {len(rows)}")
        root = next(iter(rows.values()))
        emit("ready", ovs=distribution_version("ovs"), c_json=session.c_json, rows=len(rows))
        read_line(stream)
        transaction = session.idl_module.Transaction
        start = time.perf_counter()
        for index in range(count):
            txn = transaction(session.idl)
            root.setkey("external_ids", TRANSACT_KEY, str(index))
            status = txn.commit_block()
            if status != transaction.SUCCESS:
                raise WorkerError(f"transaction {index} ended {status}: {txn.get_error()}")
        seconds = time.perf_counter() - start
        return {"job": "transact", "seconds": seconds, "count": count,
                "round_trips_per_second": count / seconds if seconds > 0 else 0.0,
                "c_json": session.c_json}
    finally:
        session.close()


JOBS: dict[str, Callable[[dict[str, Any], TextIO], dict[str, object]]] = {
    "replica": replica_job,
    "transact": transact_job,
}


def main() -> int:
    try:
        job = read_line(sys.stdin)
        run = JOBS.get(str(job.get("job")))
        if run is None:
            raise WorkerError(f"unknown job {job.get('job')!r}; known: {sorted(JOBS)}")
        result = run(job, sys.stdin)
    except Exception as exc:  # the driver gets every failure as a JSON line
        emit("error", message=f"{type(exc).__name__}: {exc}")
        return 1
    emit("result", python=platform.python_version(), **result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
