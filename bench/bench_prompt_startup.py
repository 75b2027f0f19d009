"""Time from ``vlcp-shell`` to its first interactive prompt, against ``python -c pass``.

Run: ``.venv/bin/python -m bench.bench_prompt_startup`` (``--runs N``, default 9;
``--quick``: 3 runs).

Each run starts ``python -m workbench.shell --listen 127.0.0.1:0`` (no lab) on a
fresh pseudo-terminal of 24x80, with ``TERM=xterm-256color``,
``PROMPT_TOOLKIT_NO_CPR=1`` and a private ``HOME``/``XDG_*`` (the first run
copies the config file, as a user's first start does), and takes the time until
``vlcp> `` is read from the terminal; then Ctrl-D ends it (not timed).  One run
before the timed ones warms the bytecode caches.  The peers, timed the same way
(to their exit): ``python -c pass`` (the interpreter's own start) and ``python -m
workbench.shell -c help`` (the engine without the prompt).  The figures are
medians; the target (issue 11): the first prompt within 1 s.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

__all__ = ["main"]

ROOT = Path(__file__).resolve().parent.parent
PROMPT = b"vlcp> "


def _environment(home: Path) -> dict[str, str]:
    env = dict(os.environ, TERM="xterm-256color", PROMPT_TOOLKIT_NO_CPR="1",
               HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
               XDG_DATA_HOME=str(home / "data"))
    env.pop("NO_COLOR", None)
    return env


def first_prompt(env: dict[str, str], timeout: float = 30.0) -> float:
    """Seconds from starting the shell on a terminal to its prompt being drawn."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "workbench.shell", "--listen", "127.0.0.1:0"],
        stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT, start_new_session=True)
    os.close(slave)
    seen = b""
    try:
        while PROMPT not in seen:
            left = timeout - (time.perf_counter() - start)
            ready, _, _ = select.select([master], [], [], max(0.0, left))
            if not ready:
                raise SystemExit(f"no prompt within {timeout} s; the terminal showed "
                                 f"{seen[-300:]!r}")
            try:
                seen += os.read(master, 65536)
            except OSError:  # the shell ended: EIO
                raise SystemExit(f"the shell ended before its prompt: {seen[-300:]!r}"
                                 ) from None
        elapsed = time.perf_counter() - start
        os.write(master, b"\x04")  # Ctrl-D
        _drain(master, process)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)
    if process.returncode != 0:
        raise SystemExit(f"the shell exited with status {process.returncode}")
    return elapsed


def _drain(master: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while process.poll() is None and time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                os.read(master, 65536)
            except OSError:
                break
    process.wait(timeout=max(0.1, deadline - time.monotonic()))


def run_time(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                   stdin=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    runs = 3 if args.quick else args.runs

    with tempfile.TemporaryDirectory(prefix="vlcp-bench-prompt-") as directory:
        env = _environment(Path(directory))
        first_prompt(env)  # warm: bytecode, the config file copied
        bare = [sys.executable, "-c", "pass"]
        engine = [sys.executable, "-m", "workbench.shell", "--listen", "127.0.0.1:0",
                  "-c", "help"]
        prompts: list[float] = []
        passes: list[float] = []
        engines: list[float] = []
        for _ in range(runs):  # alternate, so that drifts of the machine hit all alike
            prompts.append(first_prompt(env))
            passes.append(run_time(bare, env))
            engines.append(run_time(engine, env))

    prompt, bare_time, engine_time = (statistics.median(x) for x in (prompts, passes, engines))
    print(f"vlcp-shell startup (no lab, warm bytecode), median of {runs} runs")
    print(f"  {'python -c pass':34} {bare_time:7.3f} s")
    print(f"  {'vlcp-shell -c help (no prompt)':34} {engine_time:7.3f} s "
          f"({engine_time / bare_time:.1f}x python -c pass)")
    print(f"  {'vlcp-shell to the first prompt':34} {prompt:7.3f} s "
          f"({prompt / bare_time:.1f}x python -c pass; "
          f"runs {min(prompts):.3f}..{max(prompts):.3f} s)")
    print(f"  first prompt within 1 s: {'yes' if prompt <= 1.0 else 'NO'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
