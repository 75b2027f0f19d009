"""The recording: what we make a real OVS bridge send to its controller.

One bridge per OpenFlow version, restricted to that version. Every step
either sends a hand-written request and waits for the answer, or changes the
switch through the lab (ports, flows via ``ovs-ofctl``, injected frames) and
waits for the asynchronous message that causes.
"""

from __future__ import annotations

import struct
import threading

from workbench.lab import Lab

from ._frames import arp_request, udp_frame
from ._wire import OF10, OF13, header, stats_request
from .recorder import ControllerListener, CorpusEntry, OpenFlowConnection

__all__ = ["VERSIONS", "record_all", "record_version"]

VERSIONS = {OF10: ("of10", "OpenFlow10"), OF13: ("of13", "OpenFlow13")}

OFPP_NONE_10 = 0xFFFF
OFPP_ANY_13 = 0xFFFFFFFF
OFPG_ANY = 0xFFFFFFFF
OFPFW_ALL_10 = (1 << 22) - 1
ECHO_PROBE_MS = 1000
UNKNOWN_TYPE = 0x63
UNKNOWN_STATS = 0x77
TABLE_MISS = "priority=0,actions=CONTROLLER:65535"
IP_FLOW = "priority=100,ip,nw_dst=10.0.0.2,actions=output:2,CONTROLLER:128"
REMOVED_FLOW = "cookie=0x5,priority=50,arp,arp_tpa=10.0.0.99,send_flow_rem,actions=drop"


def _flow_body(version: int) -> bytes:
    """Body of a flow/aggregate stats request matching every flow of every table."""
    if version == OF10:
        match = struct.pack("!I", OFPFW_ALL_10) + bytes(36)
        return match + struct.pack("!BxH", 0xFF, OFPP_NONE_10)
    match = struct.pack("!HH4x", 1, 4)  # OFPMT_OXM, no fields, padded to 8
    return struct.pack("!B3xII4xQQ", 0xFF, OFPP_ANY_13, OFPG_ANY, 0, 0) + match


def _port_stats_body(version: int) -> bytes:
    if version == OF10:
        return struct.pack("!H6x", OFPP_NONE_10)
    return struct.pack("!I4x", OFPP_ANY_13)


class _Session:
    def __init__(self, conn: OpenFlowConnection, version: int) -> None:
        self.conn = conn
        self.version = version
        self.xid = 0x100

    def next_xid(self) -> int:
        self.xid += 1
        return self.xid

    def request(self, type_name: str, reply: str, body: bytes = b"") -> bytes:
        self.conn.send(header(self.version, type_name, self.next_xid(), body))
        return self.conn.expect(reply)

    def stats(self, stats_type: int, body: bytes = b"") -> bytes:
        self.conn.send(stats_request(self.version, stats_type, self.next_xid(), body))
        reply = "stats_reply" if self.version == OF10 else "multipart_reply"
        message = self.conn.expect(reply)
        # Long replies come in several parts, flagged "more" (bit 0 of flags).
        while struct.unpack_from("!H", message, 10)[0] & 1:
            message = self.conn.expect(reply)
        return message


def record_version(lab: Lab, version: int, *, echo_timeout: float = 8.0) -> list[CorpusEntry]:
    """Record one bridge speaking only ``version`` (1 or 4) and return the transcript."""
    tag, protocol = VERSIONS[version]
    name = f"br{tag[2:]}"
    with ControllerListener() as listener:
        # Fixed datapath ids (0x10, 0x13) keep re-recordings comparable.
        lab.add_bridge(name, ports=2, protocols=[protocol], datapath_id=tag[2:])
        lab.set_controller(name, listener.target, inactivity_probe=ECHO_PROBE_MS)
        conn = listener.accept()
        session = _Session(conn, version)
        conn.handshake(version)

        session.request("features_request", "features_reply")
        session.request("get_config_request", "get_config_reply")
        session.request("echo_request", "echo_reply", b"vlcp-corpus")
        session.request("barrier_request", "barrier_reply")
        session.stats(0)  # desc
        if version == OF13:
            session.stats(13)  # port desc
        session.stats(4, _port_stats_body(version))

        lab.ofctl("add-flow", name, TABLE_MISS)
        lab.ofctl("add-flow", name, IP_FLOW)
        session.stats(1, _flow_body(version))
        session.stats(2, _flow_body(version))  # aggregate
        session.stats(3)  # table
        if version == OF13:
            session.request("role_request", "role_reply", struct.pack("!I4xQ", 0, 0))
            session.request("get_async_request", "get_async_reply")

        lab.inject(f"{name}-eth1", arp_request("00:00:00:00:00:01", "10.0.0.1", "10.0.0.2"))
        conn.expect("packet_in")
        payload = bytes(range(256))[:200]
        frame = udp_frame("00:00:00:00:00:01", "00:00:00:00:00:02", "10.0.0.1", "10.0.0.2", payload)
        lab.inject(f"{name}-eth1", frame)
        conn.expect("packet_in")

        lab.add_port(name, f"{name}-eth3", 3)
        conn.expect("port_status")
        lab.del_port(name, f"{name}-eth3")
        conn.expect(lambda m: m[1] == 12 and m[8] == 1)  # port_status, reason delete

        lab.ofctl("add-flow", name, REMOVED_FLOW)
        lab.ofctl("del-flows", name, "cookie=0x5/-1")
        conn.expect("flow_removed")

        conn.send(struct.pack("!BBHI", version, UNKNOWN_TYPE, 8, session.next_xid()))
        conn.expect("error")
        conn.send(stats_request(version, UNKNOWN_STATS, session.next_xid()))
        conn.expect("error")

        # A request with a wrong version is answered with an ERROR whose header
        # carries the *request's* version, so it would not fit a per-version
        # corpus: not recorded.

        conn.drain(0.1)
        # Idle for the inactivity probe interval (OVS enforces at least 5 s).
        conn.expect("echo_request", timeout=echo_timeout)  # answered by the connection
        return conn.transcript


def record_all(lab: Lab) -> dict[int, list[CorpusEntry]]:
    """Record every version of :data:`VERSIONS` at once (in threads, the echo wait overlaps).

    Returns:
        Version number -> transcript.

    Raises:
        The first error of any recording.
    """
    results: dict[int, list[CorpusEntry]] = {}
    errors: list[BaseException] = []

    def run(version: int) -> None:
        try:
            results[version] = record_version(lab, version)
        except BaseException as exc:  # re-raised below, in the caller's thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(v,), name=f"record-of{v}") for v in VERSIONS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return {version: results[version] for version in VERSIONS}
