"""Start OVS daemons as children that die together with this process.

Two mechanisms keep daemons from outliving their owner:

* the child asks the kernel for ``SIGKILL`` when its parent goes away
  (``prctl(PR_SET_PDEATHSIG)``), which covers SIGKILL/SIGTERM of the owner,
  crashes, and a killed test run;
* the lab directory records who owns it, so the next lab start sweeps
  whatever survived anyway (see ``_registry``).

Linux sends the parent-death signal when the *thread* that forked the child
exits, not when the process does. Labs may be started from short-lived or
worker threads, so every daemon is forked by one dedicated daemon thread that
lives exactly as long as the process. The fork happens there; the caller only
waits for the result.
"""

from __future__ import annotations

import ctypes
import os
import queue
import signal
import subprocess
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["spawn_daemon"]

_PR_SET_PDEATHSIG = 1
_SPAWN_TIMEOUT = 30.0


def _load_prctl() -> Callable[[int, int, int, int, int], int]:
    libc = ctypes.CDLL(None, use_errno=True)
    prctl = libc.prctl
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    return prctl


# Resolved once, in the parent: the child must not load libraries after fork.
_PRCTL = _load_prctl()


def _die_with_parent(parent_pid: int) -> Callable[[], None]:
    """A ``preexec_fn`` that arms PDEATHSIG, and exits if the parent is already gone."""
    prctl = _PRCTL

    def preexec() -> None:
        if prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) != 0:
            os._exit(126)
        # The parent may have died between fork() and prctl(): then no signal
        # will ever come, and we have already been reparented.
        if os.getppid() != parent_pid:
            os._exit(1)

    return preexec


@dataclass
class _Request:
    argv: list[str]
    env: dict[str, str]
    cwd: Path
    stderr_path: Path
    result: Future[subprocess.Popen[bytes]] = field(default_factory=Future)

    def launch(self, parent_pid: int) -> subprocess.Popen[bytes]:
        with open(self.stderr_path, "ab") as stderr:
            return subprocess.Popen(
                self.argv,
                env=self.env,
                cwd=self.cwd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                close_fds=True,
                # Own session: Ctrl-C in the owner's terminal (an IPython cell,
                # the shell) must not reach the daemons.
                start_new_session=True,
                preexec_fn=_die_with_parent(parent_pid),
            )


class _Spawner:
    """One daemon thread that performs every fork for this process."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self._requests: queue.SimpleQueue[_Request] = queue.SimpleQueue()
        self._thread = threading.Thread(
            target=self._serve, name="workbench-lab-spawner", daemon=True
        )
        self._thread.start()

    def _serve(self) -> None:
        while True:
            request = self._requests.get()
            if not request.result.set_running_or_notify_cancel():
                continue
            try:
                process = request.launch(self.pid)
            except BaseException as exc:  # handed to the waiting caller
                request.result.set_exception(exc)
            else:
                request.result.set_result(process)

    def submit(self, request: _Request) -> subprocess.Popen[bytes]:
        self._requests.put(request)
        return request.result.result(timeout=_SPAWN_TIMEOUT)


_spawner: _Spawner | None = None
_spawner_lock = threading.Lock()


def _get_spawner() -> _Spawner:
    global _spawner
    with _spawner_lock:
        # After fork() the thread of the parent does not exist in the child.
        if _spawner is None or _spawner.pid != os.getpid():
            _spawner = _Spawner()
        return _spawner


def spawn_daemon(
    argv: Sequence[str], *, env: Mapping[str, str], cwd: Path, stderr_path: Path
) -> subprocess.Popen[bytes]:
    """Start ``argv`` as a non-detached child that is SIGKILLed when this process dies.

    Args:
        argv: program and arguments.
        env: the complete environment of the child.
        cwd: its working directory.
        stderr_path: file that collects its standard error (appended to).

    Returns:
        The ``Popen`` handle; the caller must ``wait()`` for it to reap it.

    Raises:
        OSError: the program could not be started.
    """
    request = _Request(argv=list(argv), env=dict(env), cwd=cwd, stderr_path=stderr_path)
    return _get_spawner().submit(request)
