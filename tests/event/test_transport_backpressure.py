"""Back-pressure on a real asyncio transport: a flooding TCP peer is paused with
``pause_reading`` while its subqueue is full and resumed when there is room again; a
second peer on its own key keeps flowing; nothing is lost or reordered.

This is the pattern the controller's connections follow: ``data_received`` cannot
await, so what arrives while the leaf is full waits in the protocol's own small
backlog (at most one read's worth) until ``resume``.
"""

from __future__ import annotations

import asyncio
import socket
from collections import deque

from vlcp_core.event import Event, EventMatcher, EventQueue, QueueFull, Scheduler, event

LIMIT = 8
LINES = 3000


@event(index=("peer",), cannot_ignore=True)  # kept until the slow consumer takes it
class Line(Event):
    peer: str
    n: int


class LineReader(asyncio.Protocol):
    """Turns newline-terminated numbers into ``Line`` events on a scheduler."""

    def __init__(self, scheduler: Scheduler, peer: str) -> None:
        self.scheduler = scheduler
        self.peer = peer
        self.buffer = b""
        self.backlog: deque[Line] = deque()
        self.pauses = 0
        self.max_backlog = 0
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.scheduler.queue.watch_room(Line(self.peer, 0), self.pause, self.resume)

    def pause(self) -> None:
        assert self.transport is not None
        self.pauses += 1
        self.transport.pause_reading()

    def resume(self) -> None:
        assert self.transport is not None
        self.flush()
        if not self.backlog:
            self.transport.resume_reading()

    def data_received(self, data: bytes) -> None:
        *lines, self.buffer = (self.buffer + data).split(b"\n")
        self.backlog.extend(Line(self.peer, int(line)) for line in lines)
        self.max_backlog = max(self.max_backlog, len(self.backlog))
        self.flush()

    def flush(self) -> None:
        while self.backlog:
            try:
                self.scheduler.send_nowait(self.backlog[0])
            except QueueFull:
                return  # paused already; resume() flushes again
            self.backlog.popleft()


def test_a_flooding_peer_is_paused_and_another_keeps_flowing() -> None:
    async def main() -> None:
        root = EventQueue()
        root.add("lines", EventMatcher(Line), key=lambda e: e.peer, limit=LIMIT)
        s = Scheduler(root)
        loop = asyncio.get_running_loop()
        readers: dict[str, LineReader] = {}
        writers = []
        for peer in ("flood", "quiet"):
            near, far = socket.socketpair()
            _, reader = await loop.connect_accepted_socket(
                lambda p=peer: LineReader(s, p), near)  # type: ignore[misc]
            readers[peer] = reader
            _, writer = await asyncio.open_connection(sock=far)
            writers.append(writer)
        flood_writer, quiet_writer = writers
        flood_writer.write(b"".join(b"%d\n" % n for n in range(LINES)))
        quiet_writer.write(b"".join(b"%d\n" % n for n in range(5)))

        got: dict[str, list[int]] = {"flood": [], "quiet": []}
        longest = 0
        quiet_done_early = False
        seen_paused = False
        flood_transport = readers["flood"].transport
        assert flood_transport is not None
        while len(got["flood"]) < LINES or len(got["quiet"]) < 5:
            line, _ = await s.wait_event(EventMatcher(Line))
            got[line.peer].append(line.n)  # type: ignore[attr-defined]
            longest = max(longest, len(root))
            seen_paused = seen_paused or not flood_transport.is_reading()
            if len(got["quiet"]) == 5 and len(got["flood"]) < LINES // 2:
                quiet_done_early = True
            await asyncio.sleep(0)  # a slow consumer: one event per loop turn
        assert got["flood"] == list(range(LINES)) and got["quiet"] == list(range(5))
        assert readers["flood"].pauses >= 1 and seen_paused  # the transport, for real
        assert flood_transport.is_reading()  # and resumed
        assert longest <= 2 * LIMIT  # the queue stayed bounded (one leaf per peer)
        assert quiet_done_early  # the quiet peer was not stuck behind the flood
        for writer in writers:
            writer.close()
        for reader in readers.values():
            assert reader.transport is not None
            reader.transport.close()

    asyncio.run(asyncio.wait_for(main(), 30))
