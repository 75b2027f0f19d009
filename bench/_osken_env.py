"""A separate virtual environment with os-ken, the benchmark's OpenFlow peer.

os-ken (the maintained fork of Ryu) is never installed into the project's own
``.venv``: :func:`ensure_osken_venv` makes ``.bench-venvs/osken`` (relative
paths are taken from the repository root; the directory is in ``.gitignore``)
with ``python -m venv`` and ``pip install os-ken==OSKEN_VERSION``, and
:func:`run_osken_worker` runs ``bench/osken_worker.py`` with that venv's
python, in isolated mode (``-I``: no script directory, PYTHONPATH or user site
on ``sys.path``), so the worker sees os-ken and nothing of ours.

Version: os-ken 4.2.2, the latest on PyPI when this was written, installs and
imports on CPython 3.11.7 (pulling eventlet, oslo.config, ovs, netaddr, ...;
10 s here with pip's cache warm, longer cold since the ``ovs`` dependency is
built from its sdist).  A later call finds the venv ready and only checks the
import (about 0.3 s).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench._messages import flow_mod_bytes, packet_in_bytes
from bench._messages10 import flow_mod10_bytes, packet_in10_bytes

__all__ = [
    "DEFAULT_VENV",
    "OSKEN_VERSION",
    "WORKER",
    "ensure_osken_venv",
    "prepare_osken_venv",
    "run_osken_worker",
    "worker_input",
]

#: The os-ken release that installs and imports on Python 3.11 (checked).
OSKEN_VERSION = "4.2.2"
DEFAULT_VENV = Path(".bench-venvs/osken")
ROOT = Path(__file__).resolve().parent.parent
WORKER = Path(__file__).resolve().parent / "osken_worker.py"

PIP_TIMEOUT = 900.0
_CHECK_IMPORT = (
    "import importlib.metadata as m\n"
    "import os_ken.ofproto.ofproto_parser, os_ken.ofproto.ofproto_v1_0_parser\n"
    "import os_ken.ofproto.ofproto_v1_3_parser\n"
    "print(m.version('os-ken'))\n"
)


def _venv_dir(path: Path) -> Path:
    return path if path.is_absolute() else ROOT / path


def venv_python(venv: Path) -> Path:
    """The interpreter of the virtual environment *venv*."""
    if os.name == "nt":
        return venv / "Scripts" / "python.exe"
    return venv / "bin" / "python"


def _tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _run(command: list[str], timeout: float) -> tuple[int, str]:
    """Run *command*; (exit status, stdout + stderr).  Status -1: could not run."""
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                check=False, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return -1, str(exc)
    return result.returncode, result.stdout + result.stderr


def _installed_osken(python: Path) -> str | None:
    """The os-ken version *python* imports, or None when it cannot."""
    status, output = _run([str(python), "-I", "-c", _CHECK_IMPORT], timeout=120)
    return output.strip().splitlines()[-1] if status == 0 and output.strip() else None


def prepare_osken_venv(path: Path = DEFAULT_VENV, *,
                       version: str = OSKEN_VERSION) -> tuple[Path | None, str]:
    """Make sure *path* is a venv with os-ken *version*; (its python, message).

    The python is None when that cannot be done; the message then says why.
    """
    venv = _venv_dir(path)
    python = venv_python(venv)
    if python.exists():
        installed = _installed_osken(python)
        if installed == version:
            return python, f"os-ken {version} ready in {venv}"
        status, _ = _run([str(python), "-c", "pass"], timeout=60)
        needs_venv = status != 0  # a broken venv (e.g. its base python is gone)
    else:
        needs_venv = True
    if needs_venv:
        status, output = _run([sys.executable, "-m", "venv", "--clear", str(venv)],
                              timeout=300)
        if status != 0 or not python.exists():
            return None, f"cannot create a virtual environment in {venv}: {_tail(output)}"
    status, output = _run([str(python), "-m", "pip", "install", "--disable-pip-version-check",
                           "--no-input", f"os-ken=={version}"], timeout=PIP_TIMEOUT)
    if status != 0:
        return None, f"pip install os-ken=={version} failed: {_tail(output)}"
    installed = _installed_osken(python)
    if installed != version:
        status, output = _run([str(python), "-I", "-c", _CHECK_IMPORT], timeout=120)
        return None, (f"os-ken=={version} installed but does not import "
                      f"(got {installed!r}): {_tail(output)}")
    return python, f"os-ken {version} installed in {venv}"


def ensure_osken_venv(path: Path = DEFAULT_VENV) -> Path | None:
    """The python of a venv with os-ken (made or completed on demand), or None
    after printing (to stderr) why os-ken cannot be benchmarked."""
    python, message = prepare_osken_venv(path)
    if python is None:
        print(f"os-ken skipped: {message}", file=sys.stderr)
    return python


def worker_input() -> dict[str, str]:
    """The JSON object ``osken_worker.py`` reads on stdin: hex of the messages."""
    return {
        "packet_in_13": packet_in_bytes().hex(),
        "flow_mod_13": flow_mod_bytes().hex(),
        "packet_in_10": packet_in10_bytes().hex(),
        "flow_mod_10": flow_mod10_bytes().hex(),
    }


def run_osken_worker(python: Path, *, iterations: int, rounds: int,
                     timeout: float = 600.0) -> dict[str, Any]:
    """Run ``osken_worker.py`` with *python*; its JSON result (see the worker).

    Raises RuntimeError with the worker's stderr when it fails.
    """
    command = [str(python), "-I", str(WORKER), "--iterations", str(iterations),
               "--rounds", str(rounds)]
    try:
        result = subprocess.run(command, input=json.dumps(worker_input()), capture_output=True,
                                text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError(f"os-ken worker timed out after {timeout} s") from exc
    if result.returncode != 0:
        raise RuntimeError(f"os-ken worker exited {result.returncode}: "
                           f"{_tail(result.stderr + result.stdout)}")
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed
