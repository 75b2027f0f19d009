"""No lab daemon outlives its owner, however the owner ends; stale labs are swept."""

from __future__ import annotations

import ctypes
import json
import os
import secrets
import select
import shutil
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from workbench.lab import Lab, pid_alive, read_record, sweep_stale_labs, wait_for
from workbench.lab._procfs import process_info
from workbench.lab._registry import DaemonRecord, LabRecord, write_record

LabFactory = Callable[..., Lab]
ROOT = Path(__file__).resolve().parent.parent

# The owner: starts a lab, reports it, then idles like an interactive session.
OWNER = textwrap.dedent(
    """
    import json, signal, sys, time
    sys.path.insert(0, sys.argv[2])
    signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal
    from workbench.lab import Lab
    lab = Lab(sys.argv[1])
    lab.add_bridge("s1", ports=1)
    print(json.dumps({"dir": str(lab.dir), "pids": lab.statistics().pids}), flush=True)
    time.sleep(60)
    """
)


_PR_SET_CHILD_SUBREAPER = 36


def _set_subreaper(enabled: bool) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_CHILD_SUBREAPER, int(enabled), 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")


@pytest.fixture(autouse=True)
def reap_orphans() -> Iterator[None]:
    """Adopt the daemons orphaned by a killed owner, so that we can reap them.

    Otherwise they end as zombies of PID 1, which in a container may never
    reap them (they are dead, but clutter ``ps``).
    """
    _set_subreaper(True)
    yield
    _set_subreaper(False)


@pytest.fixture
def lab_root() -> Iterator[Path]:
    """A private, short base directory for the labs of one test."""
    root = Path(f"/tmp/vlcp-leak-{secrets.token_hex(3)}")
    yield root
    sweep_stale_labs(root)
    shutil.rmtree(root, ignore_errors=True)


def _start_owner(root: Path) -> tuple[subprocess.Popen[str], Path, list[int]]:
    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER, str(root), str(ROOT)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert owner.stdout is not None
    ready, _, _ = select.select([owner.stdout], [], [], 15)
    line = owner.stdout.readline() if ready else ""
    if not line:
        owner.kill()
        _, stderr = owner.communicate()
        pytest.fail(f"the owner process did not start a lab:\n{stderr}")
    report = json.loads(line)
    pids = list(report["pids"].values())
    assert len(pids) == 2 and all(pid_alive(pid) for pid in pids)
    return owner, Path(report["dir"]), pids


def _assert_all_gone(pids: list[int]) -> None:
    # Gone, or a zombie not reaped yet: both count as dead.
    wait_for(lambda: not any(pid_alive(pid) for pid in pids), timeout=5, message="daemons to die")
    for pid in pids:  # adopted by us (see reap_orphans): reap
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_owner_killed_leaves_no_daemons(lab_root: Path, sig: signal.Signals) -> None:
    owner, lab_dir, pids = _start_owner(lab_root)
    owner.send_signal(sig)
    assert owner.wait(timeout=10) == -sig
    _assert_all_gone(pids)
    # No chance to clean up: the directory stays behind, for the next sweep.
    assert lab_dir.is_dir()
    assert sweep_stale_labs(lab_root) == [lab_dir]
    assert not lab_dir.exists()


def test_owner_interrupted_stops_its_lab(lab_root: Path) -> None:
    owner, lab_dir, pids = _start_owner(lab_root)
    owner.send_signal(signal.SIGINT)
    _, stderr = owner.communicate(timeout=15)
    assert "KeyboardInterrupt" in stderr
    _assert_all_gone(pids)
    # KeyboardInterrupt unwinds normally: the exit hook stopped the lab cleanly.
    assert not lab_dir.exists()


def test_stale_lab_is_swept_at_next_start(lab_root: Path, lab_factory: LabFactory) -> None:
    owner, lab_dir, pids = _start_owner(lab_root)
    owner.kill()
    owner.wait(timeout=10)
    _assert_all_gone(pids)
    assert lab_dir.is_dir()
    lab = lab_factory(lab_root)
    assert not lab_dir.exists()
    assert [p for p in lab_root.iterdir()] == [lab.dir]


def _dead_pid() -> int:
    finished = subprocess.Popen(["true"])
    finished.wait()
    return finished.pid


def test_sweep_kills_surviving_daemons_of_dead_owners(
    lab_root: Path, lab_factory: LabFactory
) -> None:
    lab_root.mkdir(parents=True)
    # A stale lab whose "daemon" survived (as if PDEATHSIG had not fired).
    stale = lab_root / "lab-deadbeef"
    stale.mkdir()
    survivor = subprocess.Popen(["sleep", "60"])
    info = process_info(survivor.pid)
    assert info is not None
    record = LabRecord(owner_pid=_dead_pid(), owner_start_time=1, created=0.0)
    record.daemons["ovsdb-server"] = DaemonRecord(survivor.pid, info.start_time)
    write_record(stale, record)
    # A stale lab without daemon records: its pidfile names a process started
    # with the lab directory on its command line.
    unrecorded = lab_root / "lab-0badf00d"
    unrecorded.mkdir()
    holdout = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)", f"--pidfile={unrecorded}/x.pid"]
    )
    (unrecorded / "ovs-vswitchd.pid").write_text(f"{holdout.pid}\n")
    write_record(unrecorded, LabRecord(owner_pid=_dead_pid(), owner_start_time=1, created=0.0))
    # A lab whose owner is alive (us), and a directory that is no lab at all.
    live = lab_root / "lab-0000aaaa"
    live.mkdir()
    write_record(live, LabRecord.for_this_process())
    other = lab_root / "not-a-lab"
    other.mkdir()

    lab = lab_factory(lab_root)

    assert survivor.wait(timeout=5) == -signal.SIGKILL
    assert holdout.wait(timeout=5) == -signal.SIGKILL
    assert not stale.exists() and not unrecorded.exists()
    assert live.is_dir() and other.is_dir() and lab.dir.is_dir()
    record_of_live = read_record(live)
    assert record_of_live is not None and record_of_live.owner_pid == os.getpid()
