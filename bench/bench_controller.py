"""Controller throughput and scale: our learning switch against Ryu's simple_switch_13.

Run: ``.venv/bin/python -m bench.bench_controller`` (``--quick`` for a smoke run:
one short round, ours and the bare responder only; ``--no-ryu`` to leave out the
peers that need a venv of their own; ``--scale`` for the scale run).

Every controller runs in a fresh process of its own, started for each
measurement; the load generator (``bench/_cbench.py``, fake OpenFlow 1.3
switches keeping a window of PACKET_INs outstanding) runs in another.  The
contenders:

- ours: ``python -m vlcp_core.apps.l2switch --listen 127.0.0.1:PORT``;
- ryu: Ryu 4.34's ``ryu.app.simple_switch_13`` (``.bench-venvs/ryu``, made on
  first use, see ``bench/_ryu_env.py``);
- bare: ``bench/_bare_responder.py``, which answers each PACKET_IN with a fixed
  PACKET_OUT and parses nothing else: the ceiling of this generator on this machine.

Throughput: the rounds alternate between the contenders (round 1: ours, ryu,
bare; round 2: the same, ...); the figure is the median of the rounds of
answered PACKET_INs per second.  Scale (``--scale``): for 1, 16, 256 and 1024
switches, the throughput, the ECHO round trip of one more, idle switch (a probe
in a process of its own) while the others flood, and the resident memory per
switch: (VmRSS with the N switches handshaken, port descriptions included,
minus VmRSS before any switch connected) / N, read 1 s after the handshakes
(ours runs ``gc.collect()`` first, on SIGUSR1; peers are not forced).
Only ratios are worth keeping.
"""

from __future__ import annotations

import argparse
import importlib.util
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from bench._cbench import GeneratorProcess, raise_nofile

ROOT = Path(__file__).resolve().parent.parent
BARE = Path(__file__).resolve().parent / "_bare_responder.py"
OURS_MODULE = "vlcp_core.apps.l2switch"
SCALE_SIZES = (1, 16, 256, 1024)
TARGET_RYU = 10.0
TARGET_MEMORY_KB = 50.0

__all__ = ["Contender", "main", "measure", "ours_contender", "bare_contender"]


@dataclass
class Contender:
    """A controller under test: how to start it listening on a port."""

    name: str
    start: Callable[[int, IO[bytes]], subprocess.Popen[bytes]]
    collects_on_sigusr1: bool = False  # run_app: SIGUSR1 runs gc.collect()


@dataclass
class Measurement:
    """One run of one contender."""

    rate: float = 0.0
    result: dict[str, Any] = field(default_factory=dict)
    probe: dict[str, Any] = field(default_factory=dict)
    rss_idle_kb: int = 0
    rss_switches_kb: int = 0


def _raise_limit() -> None:
    raise_nofile()


def ours_contender() -> Contender:
    def start(port: int, log: IO[bytes]) -> subprocess.Popen[bytes]:
        return subprocess.Popen([sys.executable, "-m", OURS_MODULE, "--listen",
                                 f"127.0.0.1:{port}"], cwd=ROOT, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=log, preexec_fn=_raise_limit,
                                start_new_session=True)

    return Contender("ours", start, collects_on_sigusr1=True)


def bare_contender() -> Contender:
    def start(port: int, log: IO[bytes]) -> subprocess.Popen[bytes]:
        return subprocess.Popen([sys.executable, "-I", str(BARE), "--listen",
                                 f"127.0.0.1:{port}"], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=log, preexec_fn=_raise_limit,
                                start_new_session=True)

    return Contender("bare", start)


def ryu_contender() -> tuple[Contender | None, str]:
    """Ryu's simple_switch_13 (None, and why, when its venv cannot be made)."""
    from bench._ryu_env import ryu_peer, start_peer

    peer, message = ryu_peer()
    if peer is None:
        return None, message
    found = peer

    def start(port: int, log: IO[bytes]) -> subprocess.Popen[bytes]:
        return start_peer(found, port, stderr=log, preexec_fn=_raise_limit)

    return Contender(peer.name, start), message


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_listening(process: subprocess.Popen[bytes], port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with status {process.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"not listening on port {port} after {timeout} s")


def rss_kb(pid: int) -> int:
    """VmRSS of process *pid*, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _collect(contender: Contender, process: subprocess.Popen[bytes]) -> None:
    """Let the controller settle; ours also runs gc.collect() (SIGUSR1) first."""
    time.sleep(0.5)
    if contender.collects_on_sigusr1:
        process.send_signal(signal.SIGUSR1)
    time.sleep(0.5)


def measure(contender: Contender, *, switches: int, window: int, warmup: float,
            seconds: float, probe: bool = False, memory: bool = False) -> Measurement:
    """Start *contender* afresh, flood it, stop it; RuntimeError when something failed."""
    port = free_port()
    with tempfile.TemporaryFile() as log:
        process = contender.start(port, log)
        generators: list[GeneratorProcess] = []
        try:
            wait_listening(process, port)
            out = Measurement()
            if memory:
                _collect(contender, process)
                out.rss_idle_kb = rss_kb(process.pid)
            flood = GeneratorProcess(port, switches=switches, window=window, warmup=warmup,
                                     seconds=seconds)
            generators.append(flood)
            ready = flood.wait_ready(timeout=180)
            if ready["handshaken"] < switches:
                raise RuntimeError(f"only {ready['handshaken']} of {switches} switches "
                                   f"handshaken: {ready}")
            if memory:
                _collect(contender, process)
                out.rss_switches_kb = rss_kb(process.pid)
            if probe:
                generators.append(GeneratorProcess(port, switches=0, probe=True,
                                                   first_dpid=switches + 1, warmup=warmup,
                                                   seconds=seconds))
                generators[-1].wait_ready(timeout=60)
            for generator in generators:
                generator.go()
            out.result = flood.result(timeout=warmup + seconds + 120)
            if probe:
                out.probe = generators[-1].result(timeout=60).get("probe", {})
            out.rate = float(out.result["rate"])
            if out.result["flooding"] < switches:
                print(f"note: {contender.name}: only {out.result['flooding']} of {switches} "
                      "switches got their teaching PACKET_IN answered", file=sys.stderr)
            if process.poll() is not None:
                raise RuntimeError(f"exited with status {process.returncode} during the run")
            return out
        except RuntimeError as exc:
            log.seek(0)
            tail = log.read().decode(errors="replace").strip().splitlines()[-5:]
            raise RuntimeError(f"{contender.name}: {exc}" +
                               "".join(f"\n    {line}" for line in tail)) from None
        finally:
            for generator in generators:
                generator.kill()
            _stop(process)


def _ratio(top: float | None, bottom: float | None, digits: int = 1) -> str:
    if top is None or bottom is None or bottom <= 0:
        return "n/a"
    return f"{top / bottom:.{digits}f}"


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join([header[0].ljust(widths[0])] +
                       [cell.rjust(width) for cell, width in zip(header[1:], widths[1:],
                                                                 strict=True)])]
    lines.append("  ".join("-" * width for width in widths))
    for row in rows:
        lines.append("  ".join([row[0].ljust(widths[0])] +
                               [cell.rjust(width) for cell, width in zip(row[1:], widths[1:],
                                                                         strict=True)]))
    return "\n".join(line.rstrip() for line in lines)


def throughput(contenders: list[Contender], args: argparse.Namespace) -> int:
    samples: dict[str, list[float]] = {c.name: [] for c in contenders}
    failures = 0
    for round_no in range(args.rounds):
        for contender in contenders:
            try:
                got = measure(contender, switches=args.switches, window=args.window,
                              warmup=args.warmup, seconds=args.seconds)
            except RuntimeError as exc:
                failures += 1
                print(f"round {round_no + 1}: {exc}", file=sys.stderr)
                continue
            samples[contender.name].append(got.rate)
            print(f"round {round_no + 1}: {contender.name:7} {got.rate:12,.0f} packet-ins/s",
                  file=sys.stderr, flush=True)
    medians = {name: statistics.median(values) for name, values in samples.items() if values}
    bare = medians.get("bare")
    print(f"\ncontroller throughput: {args.switches} switches, window {args.window}, "
          f"{args.rounds} round(s) of {args.warmup:g} s warm-up + {args.seconds:g} s measured "
          "(medians of alternating runs)")
    rows = [[name, f"{medians[name]:,.0f}" if name in medians else "failed",
             f"{min(samples[name]):,.0f}" if samples[name] else "-",
             f"{max(samples[name]):,.0f}" if samples[name] else "-",
             _ratio(medians.get(name), bare, 3)] for name in samples]
    print(_table(["contender", "packet-ins/s", "min", "max", "/ bare"], rows))
    ours = medians.get("ours")
    if "ryu" in samples:
        print(f"ours / ryu: {_ratio(ours, medians.get('ryu'))}x (target >= {TARGET_RYU:g}x)")
    print(f"ours / bare: {_ratio(ours, bare, 2)}")
    return failures


def scale(contenders: list[Contender], args: argparse.Namespace) -> int:
    raise_nofile()
    sizes = [int(size) for size in args.sizes.split(",")]
    rows: list[list[str]] = []
    per_switch: dict[str, float] = {}
    failures = 0
    for size in sizes:
        for contender in contenders:
            try:
                got = measure(contender, switches=size, window=args.window, warmup=args.warmup,
                              seconds=args.seconds, probe=True, memory=True)
            except RuntimeError as exc:
                failures += 1
                print(f"{size} switches: {exc}", file=sys.stderr)
                rows.append([contender.name, str(size), "failed"] + ["-"] * 6)
                continue
            memory_kb = (got.rss_switches_kb - got.rss_idle_kb) / size
            per_switch[contender.name] = memory_kb
            probe = got.probe
            rows.append([contender.name, str(size), f"{got.rate:,.0f}",
                         f"{probe.get('median_ms', float('nan')):.2f}",
                         f"{probe.get('p99_ms', float('nan')):.2f}",
                         f"{probe.get('answered', 0)}/{probe.get('sent', 0)}",
                         f"{got.rss_idle_kb / 1024:.1f}", f"{got.rss_switches_kb / 1024:.1f}",
                         f"{memory_kb:.1f}"])
            print(f"{size:5} switches: {contender.name:7} {got.rate:12,.0f} packet-ins/s, echo "
                  f"median {probe.get('median_ms')} ms, {memory_kb:.1f} KB/switch",
                  file=sys.stderr, flush=True)
    print(f"\ncontroller scale: window {args.window}, {args.warmup:g} s warm-up + "
          f"{args.seconds:g} s measured, one run each; echo: one more, idle switch, an "
          f"ECHO_REQUEST every 10 ms; memory: (VmRSS with N switches - idle VmRSS) / N, "
          "1 s after the handshakes, after gc.collect() in ours (peers: not forced)")
    print(_table(["contender", "switches", "packet-ins/s", "echo med ms", "echo p99 ms",
                  "echoes", "idle MB", "with N MB", "KB/switch"], rows))
    largest = sizes[-1]
    if "ours" in per_switch:
        print(f"memory per switch: {per_switch['ours']:.1f} KB at {largest} switches "
              f"(target < {TARGET_MEMORY_KB:g} KB)")
    if "ryu" in per_switch:
        print(f"ryu memory per switch: {per_switch['ryu']:.1f} KB at {largest} switches")
    return failures


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_controller",
                                     description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--switches", type=int, default=16)
    parser.add_argument("--window", type=int, default=32, help="PACKET_INs outstanding per switch")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=3.0, help="measured interval")
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--no-ryu", action="store_true", help="leave out Ryu")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: one short round, ours and bare only")
    parser.add_argument("--scale", action="store_true",
                        help="throughput, echo latency and memory per switch for 1-1024 switches")
    parser.add_argument("--sizes", default=",".join(map(str, SCALE_SIZES)),
                        help="switch counts of --scale (default 1,16,256,1024)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.quick:
        args.rounds, args.warmup, args.seconds, args.no_ryu = 1, 0.3, 0.7, True
        if args.sizes == ",".join(map(str, SCALE_SIZES)):
            args.sizes = "1,16"
    contenders: list[Contender] = []
    if importlib.util.find_spec(OURS_MODULE) is not None:
        contenders.append(ours_contender())
    else:
        print(f"ours skipped: {OURS_MODULE} does not exist yet", file=sys.stderr)
    if not args.no_ryu:
        ryu, note = ryu_contender()
        if ryu is None:
            print(f"ryu skipped: {note}", file=sys.stderr)
        else:
            contenders.append(ryu)
    contenders.append(bare_contender())
    failures = scale(contenders, args) if args.scale else throughput(contenders, args)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
