"""``dump-flows`` of many flows: the shell's handler against ``ovs-ofctl dump-flows``.

Run: ``.venv/bin/python -m bench.bench_shell_dump`` (``--flows N``, default
100,000; ``--rounds R``, default 3; ``--quick``: 10,000 flows, 1 round).

One private lab bridge (``workbench.lab``) holds N flows (added with ``ovs-ofctl
add-flows``) and is connected to a ``Runtime`` in this process.  Per round, in
alternation:

- ovs-ofctl: ``ovs-ofctl -O OpenFlow13 dump-flows s1`` (``--openflow 10``: a 1.0
  switch and ``-O OpenFlow10``, NXST_FLOW replies), its output read from a
  pipe as it comes (time to the first flow line, and to the end);
- ours: ``Shell.execute("dump-flows s1")`` writing to a sink that counts lines
  (time to the first flow line, to the end); the request, the parts streamed from
  the loop's thread, ``format_flow`` of every entry and the renderer included.

Then one more run of ours under ``tracemalloc`` (slower, so not timed) for the
peak of Python memory allocated during the dump, and the growth of the process's
peak RSS over the timed runs.  The figures are medians over the rounds; the
targets (issue 10): first line within 0.5 s, total within 3x ovs-ofctl, bounded
memory (the peak must not grow with N: compare ``--flows 10000`` and the default).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from workbench.lab import Lab
from workbench.runtime import Runtime
from workbench.shell import Shell

__all__ = ["main"]


class _Sink:
    """A text stream that counts flow lines and notes when the first one came."""

    def __init__(self, start: float) -> None:
        self.start = start
        self.first: float | None = None
        self.lines = 0

    def write(self, text: str) -> int:
        flows = text.count("\n cookie=")
        if text.startswith(" cookie="):
            flows += 1
        if flows and self.first is None:
            self.first = time.perf_counter() - self.start
        self.lines += flows
        return len(text)

    def flush(self) -> None:
        pass


def _ours(shell: Shell) -> tuple[float, float, int]:
    start = time.perf_counter()
    sink = _Sink(start)
    shell.out = sink
    if not shell.execute("dump-flows s1"):
        raise SystemExit("dump-flows failed")
    total = time.perf_counter() - start
    return sink.first or total, total, sink.lines


def _theirs(lab: Lab, protocol: str) -> tuple[float, float, int]:
    command = ["ovs-ofctl", "-O", protocol, "dump-flows", lab.bridge("s1").mgmt_target]
    start = time.perf_counter()
    first: float | None = None
    lines = 0
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith(" cookie="):
                lines += 1
                if first is None:
                    first = time.perf_counter() - start
    total = time.perf_counter() - start
    if process.returncode:
        raise SystemExit(f"ovs-ofctl failed with status {process.returncode}")
    return first or total, total, lines


def _fill(lab: Lab, count: int, protocol: str) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".flows", delete=False) as file:
        for n in range(count):
            file.write(f"priority={1 + n % 60000},ip,nw_src=10.{n >> 16 & 255}."
                       f"{n >> 8 & 255}.{n & 255},actions=output:{1 + n % 4}\n")
    try:
        lab.ofctl("-O", protocol, "add-flows", "s1", file.name)
    finally:
        Path(file.name).unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--flows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--openflow", choices=("13", "10"), default="13",
                        help="the switch's version (10: NXST_FLOW replies, as ovs-ofctl asks)")
    args = parser.parse_args(argv)
    count, rounds = (10_000, 1) if args.quick else (args.flows, args.rounds)

    with Lab() as lab, Runtime() as runtime:
        protocol = f"OpenFlow{args.openflow}"
        listener = runtime.listen("127.0.0.1", 0, versions={4 if args.openflow == "13" else 1})
        lab.add_bridge("s1", ports=4, protocols=[protocol])
        host, port = listener.address
        lab.set_controller("s1", f"tcp:{host}:{port}")
        runtime.connect_ovsdb(lab.db_target)
        assert runtime.controller is not None
        runtime.call(runtime.controller.wait_switch(timeout=10))
        started = time.perf_counter()
        _fill(lab, count, protocol)
        print(f"{count} flows added by ovs-ofctl add-flows in "
              f"{time.perf_counter() - started:.2f} s", flush=True)
        shell = Shell(runtime, out=sys.stdout)
        shell.options["timeout"] = 60.0

        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        ours: list[tuple[float, float, int]] = []
        theirs: list[tuple[float, float, int]] = []
        for _ in range(rounds):
            ours.append(_ours(shell))
            theirs.append(_theirs(lab, protocol))
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        for name, runs in (("ours", ours), ("ovs-ofctl", theirs)):
            if any(lines != count for _, _, lines in runs):
                raise SystemExit(f"{name} printed {[r[2] for r in runs]} flows, not {count}")

        tracemalloc.start()
        _ours(shell)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

    first_ours = statistics.median(r[0] for r in ours)
    total_ours = statistics.median(r[1] for r in ours)
    first_theirs = statistics.median(r[0] for r in theirs)
    total_theirs = statistics.median(r[1] for r in theirs)
    print(f"dump-flows of {count} flows (OpenFlow {args.openflow[0]}.{args.openflow[1]}), "
          f"median of {rounds} rounds")
    print(f"  {'':10} {'first line':>11} {'total':>9}")
    print(f"  {'ovs-ofctl':10} {first_theirs:10.3f}s {total_theirs:8.3f}s")
    print(f"  {'ours':10} {first_ours:10.3f}s {total_ours:8.3f}s")
    print(f"  ratio ours/ovs-ofctl: first line {first_ours / first_theirs:.2f}x, "
          f"total {total_ours / total_theirs:.2f}x (target: total <= 3x)")
    print(f"  first line within 0.5 s: {'yes' if first_ours <= 0.5 else 'NO'}; "
          f"total within 3x: {'yes' if total_ours <= 3 * total_theirs else 'NO'}")
    print(f"  memory: Python peak during one dump {peak / 2**20:.1f} MiB (tracemalloc); "
          f"process peak RSS grew {(rss_after - rss_before) / 1024:.1f} MiB over the "
          f"timed runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
