"""Keystroke echo of the interactive ``vlcp-shell`` while a watch shows a packet-in flood.

Run: ``.venv/bin/python -m bench.bench_prompt_echo`` (``--keys N``, default 200;
``--interval S``, default 0.05; ``--rate N``, default 5,000; ``--rounds R``,
default 3; ``--quick``: 40 keys at 2,000 packet-ins/s, 1 round).

Each run starts ``python -m workbench.shell --listen 127.0.0.1:PORT`` (no lab) on
a fresh pseudo-terminal (pexpect, 24x80, ``TERM=xterm-256color``,
``PROMPT_TOOLKIT_NO_CPR=1``, a private ``HOME``/``XDG_*``), connects one fake
switch (``bench/_cbench.py`` in ``--rate`` mode: PACKET_INs sent at a fixed
rate, no answers awaited) and types ``watch packet-in`` (its default
``watch_rate``: 20 lines a second, the rest counted as skipped).  In a flood run
the switch then sends ``--rate`` PACKET_INs a second; in a baseline run it stays
quiet.  After a second, single upper-case letters are typed every ``--interval``
seconds on a fixed schedule (not waiting for the echo, as a typist does not),
13 to a line, distinct within a line and alternating halves of the alphabet from
line to line; a full line is cleared with Ctrl-C once all its letters showed.  A
letter's echo time is from its write to the moment it is read back from the
terminal after the write (escape sequences removed): the watch's lines hold no
upper-case letters and the prompt's redraws only letters typed before it, so
its first appearance is its echo.  The shell's RSS is read at the flood's start,
every half second and at its end; then the flood stops, ``watches`` gives what
the watch saw, showed and skipped, and the ``... N more packet-in events
skipped`` lines on the screen are added up.  Rounds alternate baseline and
flood; the figures are the medians of the rounds' percentiles.  The target
(issue 11): echo p95 under 100 ms during the flood, bounded memory, skipped
events counted and shown.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import re
import select
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pexpect

from bench._cbench import GeneratorProcess
from bench.bench_controller import free_port, rss_kb

__all__ = ["QUICK", "Options", "Run", "collect", "main", "measure", "report"]

ROOT = Path(__file__).resolve().parent.parent
ROWS, COLUMNS = 24, 80
# CSI (parameters, intermediates, final), OSC, character sets, two-byte escapes.
ESCAPE = re.compile(rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)"
                    rb"|[()][0-9A-Za-z]|[=>78DEHMNOZc])")
HALVES = ("ABCDEFGHIJKLM", "NOPQRSTUVWXYZ")
ECHO_TIMEOUT = 5.0
TIMEOUT = 30.0
WATCHES_ROW = re.compile(r"^1\s+packet-in\s+(\d+)\s+(\d+)\s+(\d+)\s*$", re.M)
SKIPPED_LINE = re.compile(r"\.\.\. (\d+) more packet-in events skipped")


@dataclass(frozen=True)
class Options:
    keys: int = 200
    interval: float = 0.05
    rate: float = 5000.0
    rounds: int = 3
    warmup: float = 1.0
    seed: int = 11


QUICK = Options(keys=40, rate=2000.0, rounds=1, warmup=0.5)  # --quick


@dataclass
class Run:
    """One run: the echo times (seconds), and what the shell and the switch said."""

    flood: bool
    echoes: list[float] = field(default_factory=list)
    missed: int = 0  # keys not echoed within ECHO_TIMEOUT
    rss_kib: list[int] = field(default_factory=list)  # start, samples..., end
    seen: int = 0
    shown: int = 0
    skipped: int = 0
    skipped_on_screen: int = 0
    sent: int = 0  # PACKET_INs the switch sent in the typing interval
    sent_rate: float = 0.0
    held_back: int = 0
    cpu: float = 0.0  # the shell's CPU seconds per second while the keys were typed

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.echoes)
        return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


class _Terminal:
    """``vlcp-shell`` on a pseudo-terminal; everything it wrote is kept in ``raw``."""

    def __init__(self, home: Path, port: int) -> None:
        env = dict(os.environ, TERM="xterm-256color", PROMPT_TOOLKIT_NO_CPR="1",
                   HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
                   XDG_DATA_HOME=str(home / "data"))
        env.pop("NO_COLOR", None)
        self.child = pexpect.spawn(sys.executable,
                                   ["-m", "workbench.shell", "--listen", f"127.0.0.1:{port}"],
                                   env=env, cwd=str(ROOT), dimensions=(ROWS, COLUMNS),
                                   timeout=TIMEOUT)
        self.fd: int = self.child.child_fd
        self.raw = bytearray()

    @property
    def pid(self) -> int:
        return int(self.child.pid)

    def send(self, data: bytes) -> None:
        os.write(self.fd, data)

    def read(self, timeout: float) -> bool:
        """Read what the shell wrote within *timeout* seconds; whether anything came."""
        ready, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        if not ready:
            return False
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # EIO: the shell ended
            chunk = b""
        if not chunk:
            raise RuntimeError(f"the shell ended: {self.tail()!r}")
        self.raw += chunk
        return True

    def mark(self) -> int:
        """Where new output starts (before an escape sequence not yet read whole)."""
        at = self.raw.rfind(b"\x1b")
        if at >= 0 and ESCAPE.match(self.raw, at) is None:
            return at
        return len(self.raw)

    def text(self, since: int) -> str:
        return ESCAPE.sub(b"", bytes(self.raw[since:])).decode("utf-8", "replace")

    def tail(self) -> str:
        return self.text(max(0, len(self.raw) - 600))

    def wait_for(self, pattern: re.Pattern[str], since: int,
                 timeout: float = TIMEOUT) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while True:
            found = pattern.search(self.text(since))
            if found:
                return found
            left = deadline - time.monotonic()
            if left <= 0:
                raise RuntimeError(f"waited {timeout} s for {pattern.pattern!r}; the terminal "
                                   f"showed {self.tail()!r}")
            self.read(left)

    def settle(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self.read(left)

    def command(self, line: str, shows: re.Pattern[str]) -> re.Match[str]:
        """Type *line* and Enter; wait for *shows*, then for the next prompt."""
        since = self.mark()
        self.send(line.encode() + b"\r")
        found = self.wait_for(shows, since)
        self.wait_for(re.compile(re.escape(found.group(0)) + r"[\s\S]*?vlcp>"), since)
        return found

    def exit(self) -> int:
        """Ctrl-D on the empty line; the exit status."""
        self.send(b"\x04")
        self.child.expect(pexpect.EOF, timeout=TIMEOUT)
        self.child.close()
        if self.child.signalstatus is not None:
            raise RuntimeError(f"the shell died of signal {self.child.signalstatus}")
        return int(self.child.exitstatus)

    def close(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process *pid* so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def type_keys(term: _Terminal, run: Run, options: Options, rng: random.Random,
              sample: Callable[[], None]) -> None:
    """Type ``options.keys`` letters on a fixed schedule; their echo times into *run*."""
    pending: dict[str, tuple[float, int]] = {}  # letter: (written at, output mark)

    def read(timeout: float) -> None:
        if term.read(timeout):
            now = time.perf_counter()
            for letter, (sent, since) in list(pending.items()):
                if letter in term.text(since):
                    run.echoes.append(now - sent)
                    del pending[letter]

    typed, line_number = 0, 0
    due = time.perf_counter()
    while typed < options.keys:
        half = HALVES[line_number % 2]
        for letter in rng.sample(half, len(half))[:options.keys - typed]:
            while (now := time.perf_counter()) < due:
                read(due - now)
                sample()
            since = term.mark()
            pending[letter] = (time.perf_counter(), since)
            term.send(letter.encode())
            typed += 1
            due += options.interval
        deadline = time.perf_counter() + ECHO_TIMEOUT
        while pending and (now := time.perf_counter()) < deadline:
            read(deadline - now)
            sample()
        run.missed += len(pending)
        pending.clear()
        term.send(b"\x03")  # Ctrl-C: a fresh line
        term.settle(0.1)
        due = max(due, time.perf_counter())
        line_number += 1


def measure(flood: bool, options: Options, seed: int) -> Run:
    """One run on a fresh shell: baseline (the switch quiet) or flood."""
    run = Run(flood)
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="vlcp-bench-echo-") as directory:
        term = _Terminal(Path(directory), port)
        generator: GeneratorProcess | None = None
        try:
            term.wait_for(re.compile(r"vlcp>"), 0)
            generator = GeneratorProcess(port, switches=1, rate=options.rate,
                                         warmup=options.warmup, seconds=600.0, quiet=0.3,
                                         handshake_timeout=20.0)
            ready = generator.wait_ready(timeout=TIMEOUT)
            if ready["handshaken"] != 1:
                raise RuntimeError(f"the fake switch did not connect: {ready}")
            term.command("watch packet-in", re.compile(r"watch 1: packet-in"))
            start = len(term.raw)
            run.rss_kib.append(rss_kb(term.pid))
            if flood:
                generator.go()
            term.settle(options.warmup)
            last = [time.monotonic()]

            def sample() -> None:
                if time.monotonic() - last[0] >= 0.5:
                    last[0] = time.monotonic()
                    run.rss_kib.append(rss_kb(term.pid))

            cpu, began = cpu_seconds(term.pid), time.monotonic()
            type_keys(term, run, options, random.Random(seed), sample)
            run.rss_kib.append(rss_kb(term.pid))
            run.cpu = (cpu_seconds(term.pid) - cpu) / (time.monotonic() - began)
            if flood:
                generator.stop()
                result = generator.result(timeout=TIMEOUT)
                run.sent, run.sent_rate = int(result["sent"]), float(result["rate"])
                run.held_back = int(result["held_back"])
            term.settle(0.3)
            row = term.command("watches", WATCHES_ROW)
            run.seen, run.shown, run.skipped = (int(value) for value in row.groups())
            term.send(b"unwatch all\r")
            term.settle(0.5)  # its last "skipped" line
            run.skipped_on_screen = sum(int(n) for n in SKIPPED_LINE.findall(term.text(start)))
            status = term.exit()
            if status != 0:
                raise RuntimeError(f"the shell exited with status {status}")
        finally:
            if generator is not None:
                generator.kill()
            term.close()
    return run


def collect(options: Options) -> list[tuple[Run, Run]]:
    """(baseline, flood) per round, alternating."""
    rounds: list[tuple[Run, Run]] = []
    for number in range(options.rounds):
        seed = options.seed + number
        rounds.append((measure(False, options, seed), measure(True, options, seed)))
    return rounds


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:7.1f} ms"


def _mib(kib: float) -> str:
    return f"{kib / 1024:.1f} MiB"


def _median(runs: list[Run], fraction: float) -> float:
    return statistics.median(run.percentile(fraction) for run in runs)


def report(rounds: list[tuple[Run, Run]], options: Options) -> str:
    """The summary printed by ``main``."""
    bases = [base for base, _ in rounds]
    floods = [flood for _, flood in rounds]
    lines = [f"vlcp-shell keystroke echo, `watch packet-in` on, 1 fake switch; "
             f"{options.keys} keys {options.interval * 1e3:.0f} ms apart per run, "
             f"median of {len(rounds)} round(s)"]
    for number, (base, flood) in enumerate(rounds, 1):
        for run in (base, flood):
            name = f"flood {options.rate:,.0f}/s" if run.flood else "no flood"
            lines.append(f"  round {number} {name:16} p50 {_ms(run.percentile(0.5))}  "
                         f"p95 {_ms(run.percentile(0.95))}  max {_ms(max(run.echoes))}"
                         f"{f'  ({run.missed} not echoed)' if run.missed else ''}")
    lines.append(f"  {'':24} {'p50':>10} {'p95':>10} {'max':>10}")
    for name, runs in (("no flood", bases), (f"flood {options.rate:,.0f}/s", floods)):
        worst = statistics.median(max(run.echoes) for run in runs)
        lines.append(f"  {name:24} {_ms(_median(runs, 0.5))} {_ms(_median(runs, 0.95))} "
                     f"{_ms(worst)}")
    base95, flood95 = _median(bases, 0.95), _median(floods, 0.95)
    lines.append(f"  p95 with the flood: {flood95 / base95:.1f}x the baseline's")
    last = floods[-1]
    lines.append(f"  flood: {statistics.median(r.sent_rate for r in floods):,.0f} "
                 f"packet-ins/s sent (held back: {sum(r.held_back for r in floods)}); "
                 f"last run: the watch saw {last.seen:,}, showed {last.shown:,}, "
                 f"skipped {last.skipped:,} ({last.skipped_on_screen:,} reported on screen)")
    for base, run in rounds:
        lines.append(f"  RSS of vlcp-shell: {_mib(run.rss_kib[0])} at the flood's start, "
                     f"{_mib(run.rss_kib[-1])} at its end, peak {_mib(max(run.rss_kib))} "
                     f"({len(run.rss_kib)} samples; no flood: {_mib(base.rss_kib[-1])} "
                     f"at the end)")
    lines.append(f"  CPU of vlcp-shell while typing: "
                 f"{statistics.median(r.cpu for r in floods):.0%} of a core with the flood, "
                 f"{statistics.median(r.cpu for r in bases):.0%} without")
    missed = sum(run.missed for run in floods + bases)
    lines.append(f"  keys not echoed within {ECHO_TIMEOUT:.0f} s: {missed}")
    lines.append(f"  keystroke echo p95 under 100 ms during the flood: "
                 f"{'yes' if flood95 < 0.1 and not missed else 'NO'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--keys", type=int, default=Options.keys)
    parser.add_argument("--interval", type=float, default=Options.interval)
    parser.add_argument("--rate", type=float, default=Options.rate)
    parser.add_argument("--rounds", type=int, default=Options.rounds)
    parser.add_argument("--quick", action="store_true",
                        help="40 keys at 2,000 packet-ins/s, 1 round")
    args = parser.parse_args(argv)
    if args.quick:
        options = replace(QUICK, interval=args.interval)
    else:
        options = Options(keys=args.keys, interval=args.interval, rate=args.rate,
                          rounds=args.rounds)
    print(report(collect(options), options))
    return 0


if __name__ == "__main__":
    sys.exit(main())
