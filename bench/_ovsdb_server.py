"""The OVSDB benchmark's side of the server: a lab, bursts of rows, the peer worker.

- :func:`ovsdb_lab` starts a private :class:`workbench.lab.Lab` (a real
  ``ovsdb-server`` and ``ovs-vswitchd --enable-dummy``; no bridges) and gives
  its database remote, ``unix:<lab dir>/db.sock``, and schema file.
- :func:`insert_qos_rows` inserts N rows into ``QoS`` in ONE transaction;
  :func:`delete_qos_rows` deletes every ``QoS`` row (one transaction).  ``QoS``
  is a root table with no index and no column that must refer to anything, so
  N rows go in with no referential-integrity hurdle.  Each row:
  ``type=linux-htb``, ``other_config={max-rate: 1000000}``,
  ``external_ids={bench-row: <i>}``, ``queues`` empty.
- :class:`WorkerProcess`, :func:`run_replica_worker` and
  :func:`run_transact_worker` run a worker speaking the protocol described in
  ``bench/ovs_idl_worker.py``, each job in a fresh process:
  ``worker_command(python)`` is that script (the ``ovs`` package's IDL) under
  the ovs venv's python; a worker of ours speaking the same protocol can be
  driven the same way.

The burst is sent by a small synchronous JSON-RPC client here (:class:`RpcClient`,
a Unix socket and ``json``), not ``ovsdb-client transact``: that tool takes
the transaction as one command-line argument, and Linux limits one argument to
128 KiB (``MAX_ARG_STRLEN``), about 1,400 such inserts.

``ovs-vswitchd`` monitors ``QoS`` and ``Open_vSwitch`` too, so it receives
every burst and every transact change alongside the contender (on a second
core, if there is one), for every contender alike.
"""

from __future__ import annotations

import json
import queue
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

__all__ = [
    "DATABASE",
    "OvsdbError",
    "RpcClient",
    "WORKER",
    "WorkerProcess",
    "count_rows",
    "delete_qos_rows",
    "insert_qos_rows",
    "ovsdb_lab",
    "qos_row",
    "run_replica_worker",
    "run_transact_worker",
    "worker_command",
]

DATABASE = "Open_vSwitch"
REPLICA_TABLE = "QoS"
WORKER = Path(__file__).resolve().parent / "ovs_idl_worker.py"
RPC_TIMEOUT = 120.0


class OvsdbError(RuntimeError):
    """The server or a worker answered with an error (or not at all)."""


@dataclass(frozen=True)
class Server:
    """Where the benchmark's ovsdb-server listens, and its schema file."""

    remote: str
    schema: Path


@contextmanager
def ovsdb_lab() -> Iterator[Server]:
    """A private lab for the duration of the block; stopped afterwards."""
    from workbench.lab import Lab, find_ovs

    schema = find_ovs().schema
    with Lab() as lab:
        yield Server(f"unix:{lab.dir / 'db.sock'}", schema)


class RpcClient:
    """A minimal blocking OVSDB JSON-RPC client (RFC 7047): the driver's hands."""

    def __init__(self, remote: str, timeout: float = RPC_TIMEOUT) -> None:
        if not remote.startswith("unix:"):
            raise ValueError(f"only unix: remotes are supported, got {remote!r}")
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._sock.settimeout(timeout)
        self._sock.connect(remote.removeprefix("unix:"))
        self._decoder = json.JSONDecoder()
        self._buffer = ""
        self._next_id = 0

    def close(self) -> None:
        self._sock.close()

    def __enter__(self) -> RpcClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _send(self, message: dict[str, Any]) -> None:
        self._sock.sendall(json.dumps(message, separators=(",", ":")).encode())

    def _receive(self) -> dict[str, Any]:
        while True:
            text = self._buffer.lstrip()
            if text:
                try:
                    message, end = self._decoder.raw_decode(text)
                except json.JSONDecodeError:
                    pass  # incomplete: read more
                else:
                    self._buffer = text[end:]
                    if not isinstance(message, dict):
                        raise OvsdbError(f"not a JSON-RPC message: {text[:80]!r}")
                    return message
            chunk = self._sock.recv(1 << 20)
            if not chunk:
                raise OvsdbError("ovsdb-server closed the connection")
            self._buffer += chunk.decode()

    def call(self, method: str, params: list[Any]) -> Any:
        """Send a request; its result (OvsdbError when the reply is an error)."""
        request_id = self._next_id
        self._next_id += 1
        self._send({"method": method, "params": params, "id": request_id})
        while True:
            message = self._receive()
            if message.get("method") == "echo":
                self._send({"result": message.get("params"), "error": None,
                            "id": message.get("id")})
                continue
            if message.get("id") != request_id:
                continue  # a notification: this client monitors nothing
            if message.get("error") is not None:
                raise OvsdbError(f"{method} failed: {message['error']}")
            return message.get("result")

    def transact(self, *operations: dict[str, Any]) -> list[dict[str, Any]]:
        """Run *operations* as one transaction; the per-operation results."""
        results = self.call("transact", [DATABASE, *operations])
        if not isinstance(results, list):
            raise OvsdbError(f"transact returned {results!r}")
        for result in results:
            if isinstance(result, dict) and "error" in result:
                raise OvsdbError(f"transaction failed: {results[-1]}")
        return results


def qos_row(index: int) -> dict[str, Any]:
    """The *index*-th row of a burst."""
    return {"type": "linux-htb",
            "other_config": ["map", [["max-rate", "1000000"]]],
            "external_ids": ["map", [["bench-row", str(index)]]]}


def insert_qos_rows(remote: str, rows: int, start: int = 0) -> float:
    """Insert *rows* QoS rows in one transaction; the seconds it took (reply included)."""
    operations = [{"op": "insert", "table": REPLICA_TABLE, "row": qos_row(start + index)}
                  for index in range(rows)]
    with RpcClient(remote) as client:
        began = time.perf_counter()
        client.transact(*operations)
        return time.perf_counter() - began


def delete_qos_rows(remote: str) -> int:
    """Delete every QoS row in one transaction; how many there were."""
    with RpcClient(remote) as client:
        (result,) = client.transact({"op": "delete", "table": REPLICA_TABLE, "where": []})
    return int(result.get("count", 0))


def count_rows(remote: str, table: str) -> int:
    """How many rows *table* has now."""
    with RpcClient(remote) as client:
        (result,) = client.transact({"op": "select", "table": table, "where": [],
                                     "columns": ["_uuid"]})
    return len(result.get("rows", []))


class WorkerProcess:
    """One run of a worker (*command*): job in, ready, go, result."""

    def __init__(self, command: list[str], job: dict[str, Any],
                 timeout: float = RPC_TIMEOUT) -> None:
        self.timeout = timeout
        self._stderr: IO[bytes] = tempfile.TemporaryFile()
        self._process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self._stderr, text=True, bufsize=1, start_new_session=True,
            cwd=Path(__file__).resolve().parent.parent)
        self._lines: queue.Queue[str] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._write({**job, "timeout": timeout})

    def _read(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            self._lines.put(line)
        self._lines.put("")

    def _write(self, message: dict[str, Any]) -> None:
        assert self._process.stdin is not None
        self._process.stdin.write(json.dumps(message) + "\n")
        self._process.stdin.flush()

    def _stderr_tail(self) -> str:
        self._stderr.seek(0)
        lines = self._stderr.read().decode(errors="replace").strip().splitlines()[-5:]
        return "".join(f"\n    {line}" for line in lines)

    def expect(self, event: str) -> dict[str, Any]:
        """The worker's next line, which must be *event*; OvsdbError otherwise."""
        try:
            line = self._lines.get(timeout=self.timeout + 10)
        except queue.Empty:
            raise OvsdbError(f"worker: no {event!r} line after {self.timeout + 10:g} s"
                             + self._stderr_tail()) from None
        if not line:
            self._process.wait(timeout=10)
            raise OvsdbError(f"worker exited {self._process.returncode} before {event!r}"
                             + self._stderr_tail())
        message: dict[str, Any] = json.loads(line)
        if message.get("event") != event:
            raise OvsdbError(f"worker: expected {event!r}, got {line.strip()}"
                             + self._stderr_tail())
        return message

    def go(self, **fields: object) -> None:
        self._write({"go": True, **fields})

    def close(self) -> None:
        if self._process.poll() is None:
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None:
                stream.close()
        self._reader.join(timeout=5)
        self._stderr.close()

    def __enter__(self) -> WorkerProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if exc_info[0] is not None and self._process.poll() is None:
            self._process.kill()
        self.close()


def worker_command(python: Path) -> list[str]:
    """``bench/ovs_idl_worker.py`` under *python* (the ovs venv's), isolated mode."""
    return [str(python), "-I", str(WORKER)]


def run_replica_worker(command: list[str], remote: str, schema: Path,
                       rows: int) -> dict[str, Any]:
    """The worker's replica of an empty ``QoS`` sees a burst of *rows* inserts.

    Empties the table first and again afterwards.  Returns the worker's result
    (its ``seconds`` cover receiving, parsing and applying the burst's update)
    plus ``ready`` (the worker's ready line) and ``insert_seconds`` (the
    driver's insert transaction, reply included).
    """
    delete_qos_rows(remote)
    job = {"job": "replica", "remote": remote, "schema": str(schema), "table": REPLICA_TABLE}
    try:
        with WorkerProcess(command, job) as worker:
            ready = worker.expect("ready")
            if ready.get("rows") != 0:
                raise OvsdbError(f"QoS not empty at the start: {ready}")
            inserted = insert_qos_rows(remote, rows)
            worker.go(rows=rows)
            result = worker.expect("result")
    finally:
        delete_qos_rows(remote)
    return {**result, "ready": ready, "insert_seconds": inserted}


def run_transact_worker(command: list[str], remote: str, schema: Path,
                        count: int) -> dict[str, Any]:
    """*count* sequential one-mutation transactions by the worker; its result."""
    job = {"job": "transact", "remote": remote, "schema": str(schema), "count": count}
    with WorkerProcess(command, job) as worker:
        ready = worker.expect("ready")
        worker.go()
        result = worker.expect("result")
    return {**result, "ready": ready}
