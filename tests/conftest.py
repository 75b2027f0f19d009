"""Shared fixtures: a private Open vSwitch per test (``lab``, ``lab_factory``).

Every test that uses them runs against a REAL Open vSwitch. When OVS is not
installed the test fails (it is not skipped): run ``./dev test``, which
installs it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# `tests.ofcorpus` is imported as a package from the repository root, however
# pytest was started (`pytest`, `python -m pytest`, from another directory).
_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from workbench.lab import Lab, LabError, find_ovs, pid_alive  # noqa: E402

LabFactory = Callable[..., Lab]
_LEAK_GRACE = 5.0


def _require_ovs() -> None:
    try:
        find_ovs()
    except LabError as exc:
        problem = str(exc)
    else:
        return
    pytest.fail(
        f"{problem}\nThese tests need a real Open vSwitch: run `./dev test`.", pytrace=False
    )


@pytest.fixture
def lab_factory() -> Iterator[LabFactory]:
    """Start any number of labs (``lab_factory(base_dir=None)``); all are stopped afterwards.

    The test fails if any daemon of those labs is still alive after stopping.
    """
    _require_ovs()
    labs: list[Lab] = []

    def make(base_dir: str | Path | None = None) -> Lab:
        lab = Lab(base_dir)
        labs.append(lab)
        return lab

    yield make

    pids: dict[int, str] = {}
    errors: list[str] = []
    for lab in labs:
        for name, pid in lab.statistics().pids.items():
            pids[pid] = f"{name} of {lab.dir}"
        try:
            lab.stop()
        except LabError as exc:  # keep stopping the others
            errors.append(str(exc))
    deadline = time.monotonic() + _LEAK_GRACE
    alive = [pid for pid in pids if pid_alive(pid)]
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = [pid for pid in alive if pid_alive(pid)]
    if alive:
        pytest.fail(
            "lab daemons still alive after stop: "
            + ", ".join(f"{pid} ({pids[pid]})" for pid in alive)
        )
    if errors:
        pytest.fail("stopping a lab failed: " + "; ".join(errors))


@pytest.fixture
def lab(lab_factory: LabFactory) -> Lab:
    """A fresh private Open vSwitch, stopped (and checked for leaks) after the test."""
    return lab_factory()
