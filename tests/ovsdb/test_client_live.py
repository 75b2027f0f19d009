"""The OVSDB client against a real ovsdb-server (the lab): every operation, a failing
transaction, monitors both ways, a replica equal to ``ovsdb-client dump`` after a
burst and after the server restarts, locks, and a bridge that becomes a switch."""

from __future__ import annotations

import asyncio
import json
import subprocess
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest

from vlcp_core.controller import Controller
from vlcp_core.event import Event, EventMatcher
from vlcp_core.ovsdb import (
    LockChanged,
    OvsdbClient,
    RowDeleted,
    RowInserted,
    RowModified,
    Transaction,
    TransactionError,
    from_wire,
)
from workbench.lab import Lab

T = TypeVar("T")
DB = "Open_vSwitch"


def run(main: Callable[[], Awaitable[T]]) -> T:
    return asyncio.run(asyncio.wait_for(main(), 60))  # type: ignore[arg-type]


async def connected(lab: Lab) -> OvsdbClient:
    client = OvsdbClient()
    await client.connect(lab.db_target, initial=0.1, maximum=1.0)
    return client


def server_dump(lab: Lab, client: OvsdbClient, table: str) -> dict[str, dict[str, Any]]:
    """``ovsdb-client dump`` of *table*, converted like the replica's ``dump``."""
    out = subprocess.run(["ovsdb-client", "dump", "--format=json", lab.db_target, DB, table],
                         capture_output=True, text=True, check=True).stdout
    data = json.loads(out)
    columns = client.schemas[DB].tables[table].columns
    rows: dict[str, dict[str, Any]] = {}
    for values in data["data"]:
        row = dict(zip(data["headings"], values, strict=True))
        key = str(from_wire(columns["_uuid"], row.pop("_uuid")))
        rows[key] = {name: from_wire(columns[name], value) for name, value in row.items()
                     if name != "_version"}
    return rows


def replica_dump(replica: Any, table: str) -> dict[str, dict[str, Any]]:
    return {key: {name: value for name, value in row.items() if name != "_version"}
            for key, row in replica.dump().get(table, {}).items()}


def test_list_dbs_schema_and_every_operation(lab: Lab) -> None:
    async def main() -> None:
        client = await connected(lab)
        assert DB in await client.list_dbs()
        schema = await client.get_schema(DB)
        assert schema.version == "8.3.1"
        assert schema.tables["QoS"].is_root and not schema.tables["Bridge"].is_root
        txn = Transaction(schema)
        qos = txn.insert("QoS", {"type": "linux-htb", "other_config": {"max-rate": "1000"}})
        txn.comment("vlcp test: every operation")
        selected = txn.select("QoS", [("_uuid", "==", qos)], ["type", "other_config"])
        txn.update("QoS", [("_uuid", "==", qos)], {"external_ids": {"owner": "test"}})
        txn.mutate("QoS", [("_uuid", "==", qos)], [("other_config", "insert",
                                                     {"min-rate": "10"})])
        txn.wait("QoS", [("_uuid", "==", qos)], ["type"], "==", [{"type": "linux-htb"}],
                 timeout=0)
        txn.commit(durable=False)
        results = await client.transact(DB, txn)
        new = results[0].uuid
        assert isinstance(new, uuid.UUID)
        assert results[selected].rows == [{"type": "linux-htb",
                                           "other_config": {"max-rate": "1000"}}]
        assert [r.count for r in results[3:5]] == [1, 1]
        listed = await asyncio.to_thread(lab.vsctl, "get", "QoS", str(new), "other_config")
        assert "max-rate" in listed and "min-rate" in listed
        # delete, and abort (which fails the transaction on purpose)
        txn = Transaction(schema)
        txn.delete("QoS", [("_uuid", "==", new)])
        results = await client.transact(DB, txn)
        assert results[0].count == 1
        txn = Transaction(schema)
        txn.select("QoS", [])
        txn.abort()
        with pytest.raises(TransactionError, match="operation 2.*aborted"):
            await client.transact(DB, txn)
        await client.close()

    run(main)


def test_a_transaction_failing_in_its_third_operation_changes_nothing(lab: Lab) -> None:
    async def main() -> None:
        client = await connected(lab)
        schema = await client.get_schema(DB)
        txn = Transaction(schema)
        txn.insert("QoS", {"type": "first"})
        txn.insert("QoS", {"type": "second"})
        # The third: a wait that cannot be satisfied at once (timeout 0) fails.
        txn.wait("QoS", [("type", "==", "first")], ["type"], "==", [{"type": "never"}],
                 timeout=0)
        with pytest.raises(TransactionError) as caught:
            await client.transact(DB, txn)
        assert caught.value.index == 2 and "operation 3" in str(caught.value)
        assert "timed out" in str(caught.value)
        count = Transaction(schema)
        count.select("QoS", [])
        assert (await client.transact(DB, count))[0].rows == []
        await client.close()

    run(main)


def test_monitors_see_ovs_vsctl_and_ovs_vsctl_sees_us(lab: Lab) -> None:
    async def main() -> None:
        client = await connected(lab)
        monitor = await client.monitor(DB, {"Bridge": ["name", "fail_mode", "external_ids"],
                                            "QoS": None})
        seen: list[Event] = []
        for kind in (RowInserted, RowModified, RowDeleted):
            client.scheduler.on(EventMatcher(kind, database=DB), lambda e, _: seen.append(e))
        inserted = client.scheduler.wait_event(EventMatcher(RowInserted, table="Bridge"),
                                               timeout=10)
        await asyncio.to_thread(lab.vsctl, "add-br", "mon0", "--", "set", "Bridge", "mon0",
                                "datapath_type=dummy", "fail_mode=secure")
        event, _ = await inserted
        assert event.row["name"] == "mon0"  # type: ignore[attr-defined]
        modified = client.scheduler.wait_event(EventMatcher(RowModified, table="Bridge"),
                                               timeout=10)
        await asyncio.to_thread(lab.vsctl, "set", "Bridge", "mon0", "external_ids:k=v")
        event, _ = await modified
        assert event.row["external_ids"] == {"k": "v"}  # type: ignore[attr-defined]
        assert event.old == {"external_ids": {}}  # type: ignore[attr-defined]
        # Ours, seen from outside; and the replica has it when transact returns.
        txn = Transaction(client.schemas[DB])
        txn.insert("QoS", {"type": "linux-htb", "external_ids": {"by": "vlcp"}})
        (result,) = await client.transact(DB, txn)
        assert result.uuid in monitor.replica.rows("QoS")
        listed = await asyncio.to_thread(lab.vsctl, "--columns=external_ids", "list", "QoS")
        assert 'by=vlcp' in listed
        deleted = client.scheduler.wait_event(EventMatcher(RowDeleted, table="Bridge"),
                                              timeout=10)
        await asyncio.to_thread(lab.vsctl, "del-br", "mon0")
        await deleted
        assert {type(e).__name__ for e in seen} == {"RowInserted", "RowModified", "RowDeleted"}
        assert replica_dump(monitor.replica, "QoS") == server_dump(lab, client, "QoS")
        await client.close()

    run(main)


def test_a_replica_after_a_burst_and_after_the_server_restarts(lab: Lab) -> None:
    async def main() -> None:
        client = await connected(lab)
        monitor = await client.monitor(DB, {"QoS": None, "Queue": None})
        schema = client.schemas[DB]
        # 500 changes: 200 inserts in 20 transactions, 200 updates, 100 deletes.
        made: list[uuid.UUID] = []
        for batch in range(20):
            txn = Transaction(schema)
            for n in range(10):
                txn.insert("QoS", {"type": f"t{batch}-{n}"})
            made += [r.uuid for r in await client.transact(DB, txn) if r.uuid is not None]
        for n, row in enumerate(made):
            txn = Transaction(schema)
            txn.update("QoS", [("_uuid", "==", row)], {"other_config": {"n": str(n)}})
            if n < 100:
                txn.delete("QoS", [("_uuid", "==", made[-1 - n])])
            await client.transact(DB, txn)
        assert len(monitor.replica.rows("QoS")) == 100
        assert replica_dump(monitor.replica, "QoS") == server_dump(lab, client, "QoS")
        # The server restarts; meanwhile someone else changes the database.
        await asyncio.to_thread(lab.restart_db)
        await asyncio.to_thread(lab.vsctl, "create", "QoS", "type=while-away")
        for _ in range(200):
            if client.connected and monitor.resyncs:
                break
            await asyncio.sleep(0.05)
        assert monitor.resyncs == 1
        for _ in range(100):
            if replica_dump(monitor.replica, "QoS") == server_dump(lab, client, "QoS"):
                break
            await asyncio.sleep(0.05)
        assert replica_dump(monitor.replica, "QoS") == server_dump(lab, client, "QoS")
        assert any(row["type"] == "while-away" for row in monitor.replica.rows("QoS").values())
        await client.close()

    run(main)


def test_locks_and_stealing(lab: Lab) -> None:
    async def main() -> None:
        first, second = await connected(lab), await connected(lab)
        assert await first.lock("vlcp_lock") is True
        assert await second.lock("vlcp_lock") is False  # queued behind first
        # The "assert" operation: only the owner's transaction goes through.
        schema = await first.get_schema(DB)
        for client, owner in ((first, True), (second, False)):
            txn = Transaction(schema)
            txn.assert_lock("vlcp_lock")
            txn.comment("checked")
            if owner:
                await client.transact(DB, txn)
            else:
                with pytest.raises(TransactionError, match="operation 1.*not owner"):
                    await client.transact(DB, txn)
        await second.unlock("vlcp_lock")  # gives up waiting, then takes it by force
        stolen = first.scheduler.wait_event(EventMatcher(LockChanged, lock="vlcp_lock"),
                                            timeout=10)
        await second.steal("vlcp_lock")
        event, _ = await stolen
        assert event.locked is False  # type: ignore[attr-defined]
        # first asks again and waits; second lets go: first is told it holds it.
        await first.unlock("vlcp_lock")
        assert await first.lock("vlcp_lock") is False
        waiting = asyncio.ensure_future(first.wait_locked("vlcp_lock", timeout=10))
        await second.unlock("vlcp_lock")
        await waiting
        with pytest.raises(ValueError, match="lock name 'a-b'"):
            await first.lock("a-b")
        await first.close()
        await second.close()

    run(main)


def test_a_bridge_made_through_the_client_connects_to_our_controller(lab: Lab) -> None:
    async def main() -> None:
        controller = Controller()
        listener = await controller.listen("127.0.0.1", 0, versions={4})
        host, port = listener.address
        client = await connected(lab)
        schema = await client.get_schema(DB)
        root = next(iter(replica_rows(await client.monitor(DB, {"Open_vSwitch": None}))))
        txn = Transaction(schema)
        iface = txn.insert("Interface", {"name": "viaovsdb", "type": "internal"})
        port_row = txn.insert("Port", {"name": "viaovsdb", "interfaces": {iface}})
        ctl = txn.insert("Controller", {"target": f"tcp:{host}:{port}"})
        bridge = txn.insert("Bridge", {
            "name": "viaovsdb", "ports": {port_row}, "controller": {ctl},
            "datapath_type": "dummy", "fail_mode": "secure", "protocols": {"OpenFlow13"},
            "other_config": {"datapath-id": "00000000000000ab"}})
        txn.mutate("Open_vSwitch", [("_uuid", "==", root)], [("bridges", "insert", {bridge})])
        await client.transact(DB, txn)
        switch = await controller.wait_switch(0xAB, timeout=20)
        assert switch.version == 4 and "viaovsdb" in {p.name for p in switch.ports.values()}
        await client.close()
        await controller.close()

    run(main)


def replica_rows(monitor: Any) -> list[uuid.UUID]:
    return list(monitor.replica.rows("Open_vSwitch"))


@pytest.mark.parametrize("version", [1, 2])
def test_monitor_and_monitor_cond_with_conditions(lab: Lab, version: int) -> None:
    async def main() -> None:
        client = await connected(lab)
        conditions = {"QoS": [["type", "==", "kept"]]} if version == 2 else None
        monitor = await client.monitor(DB, {"QoS": None}, version=version,
                                       conditions=conditions)
        schema = client.schemas[DB]
        txn = Transaction(schema)
        for kind in ("kept", "other", "kept"):
            txn.insert("QoS", {"type": kind})
        await client.transact(DB, txn)
        txn = Transaction(schema)
        txn.update("QoS", [("type", "==", "kept")], {"external_ids": {"v": str(version)}})
        await client.transact(DB, txn)
        everything = server_dump(lab, client, "QoS")
        wanted = {key: row for key, row in everything.items()
                  if version == 1 or row["type"] == "kept"}
        assert replica_dump(monitor.replica, "QoS") == wanted
        assert len(wanted) == (3 if version == 1 else 2)
        await monitor.cancel()
        txn = Transaction(schema)
        txn.delete("QoS", [])
        await client.transact(DB, txn)
        assert len(monitor.replica.rows("QoS")) == len(wanted)  # cancelled: not followed
        await client.close()

    run(main)


def test_insert_with_a_chosen_uuid(lab: Lab) -> None:
    async def main() -> None:
        client = await connected(lab)
        txn = Transaction(await client.get_schema(DB))
        chosen = uuid.UUID("12345678-1234-5678-9abc-123456789abc")
        txn.insert("QoS", {"type": "chosen"}, uuid=chosen)
        (result,) = await client.transact(DB, txn)
        assert result.uuid == chosen
        listed = await asyncio.to_thread(lab.vsctl, "get", "QoS", str(chosen), "type")
        assert listed.strip() == "chosen"
        await client.close()

    run(main)
