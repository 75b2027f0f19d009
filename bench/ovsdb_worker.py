"""Time our OVSDB client (``vlcp_core.ovsdb``) against a real ovsdb-server.

The same protocol and the same work as ``bench/ovs_idl_worker.py`` (read its
docstring), run with the project's python::

    .venv/bin/python -m bench.ovsdb_worker

replica
    A ``monitor_cond_since`` of every column of the table; after the ready line
    the worker blocks reading the go line, the event loop with it, so the burst's
    update waits in the socket as it does for the peer.  The timer starts when
    the go line is read and stops when the replica holds N rows (received,
    parsed, every column converted, and a row event sent per row).
transact
    A monitor of ``Open_vSwitch.external_ids``; N transactions in a row, each one
    ``mutate`` of the root row (delete the key, insert key=i), each awaited.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any

from vlcp_core.ovsdb import OvsdbClient, Transaction

TRANSACT_KEY = "bench-transact"


def emit(event: str, **fields: object) -> None:
    print(json.dumps({"event": event, **fields}), flush=True)


def read_line() -> dict[str, Any]:
    line = sys.stdin.readline()
    if not line:
        raise RuntimeError("stdin closed")
    parsed: dict[str, Any] = json.loads(line)
    return parsed


async def replica(job: dict[str, Any]) -> None:
    client = OvsdbClient()
    await client.connect(job["remote"])
    table = job["table"]
    monitor = await client.monitor("Open_vSwitch", {table: None})
    rows = monitor.replica.rows(table)
    emit("ready", ovs="vlcp", c_json=False, rows=len(rows))
    go = read_line()  # blocks the loop: the update waits in the socket meanwhile
    wanted = int(go["rows"])
    started = time.perf_counter()
    while len(monitor.replica.rows(table)) != wanted:
        await asyncio.sleep(0)
    seconds = time.perf_counter() - started
    emit("result", seconds=seconds, rows=wanted, rows_per_second=wanted / seconds,
         c_json=False)
    await client.close()


async def transact(job: dict[str, Any]) -> None:
    client = OvsdbClient()
    await client.connect(job["remote"])
    monitor = await client.monitor("Open_vSwitch", {"Open_vSwitch": ["external_ids"]})
    (root,) = monitor.replica.rows("Open_vSwitch")
    schema = client.schemas["Open_vSwitch"]
    emit("ready", ovs="vlcp", c_json=False, rows=1)
    read_line()
    count = int(job["count"])
    started = time.perf_counter()
    for n in range(count):
        txn = Transaction(schema)
        txn.mutate("Open_vSwitch", [("_uuid", "==", root)],
                   [("external_ids", "delete", {TRANSACT_KEY}),
                    ("external_ids", "insert", {TRANSACT_KEY: str(n)})])
        await client.transact("Open_vSwitch", txn)
    seconds = time.perf_counter() - started
    emit("result", seconds=seconds, count=count, round_trips_per_second=count / seconds,
         c_json=False)
    await client.close()


def main() -> int:
    job = read_line()
    try:
        asyncio.run(replica(job) if job["job"] == "replica" else transact(job))
    except Exception as exc:  # the driver shows it
        emit("error", message=f"{type(exc).__name__}: {exc}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
