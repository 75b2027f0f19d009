"""Ryu 4.34 as a controller under test, in a virtual environment of its own.

Ryu is never installed into the project's ``.venv``: :func:`ensure_ryu_venv`
makes ``.bench-venvs/ryu`` (relative to the repository root; git-ignored) with
``python -m venv``, then installs, in this order:

1. ``setuptools<58`` and ``wheel`` (Ryu 4.34's ``setup.py`` needs the old
   ``setuptools`` behaviour: ``use_2to3`` was removed in 58);
2. ``ryu==4.34 eventlet==0.33.3 dnspython==2.6.1`` with
   ``--no-build-isolation`` (so the old setuptools above builds it);

and patches the installed ``ryu/app/wsgi.py``: eventlet 0.33 dropped
``eventlet.wsgi.ALREADY_HANDLED``, which Ryu imports at module level, so that
import is made to fall back to ``[]``.  A later call finds the venv ready and
only checks that ``import ryu.app.simple_switch_13`` works.

:func:`start_peer` starts ``ryu-manager`` with its ``simple_switch_13``
application, listening on 127.0.0.1, as a subprocess of its own.

os-ken 4.2.2 (``.bench-venvs/osken``, :mod:`bench._osken_env`) is not a peer
here: that release ships neither a manager (no ``osken-manager`` script, no
``os_ken.cmd``) nor ``os_ken.app.simple_switch_13`` (``os_ken/app`` holds only
``ofctl``), so there is no learning switch of its own to run.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from bench._osken_env import _run, _tail, _venv_dir, venv_python

__all__ = [
    "DEFAULT_RYU_VENV",
    "RYU_VERSION",
    "Peer",
    "ensure_ryu_venv",
    "peer_command",
    "prepare_ryu_venv",
    "ryu_peer",
    "start_peer",
]

RYU_VERSION = "4.34"
DEFAULT_RYU_VENV = Path(".bench-venvs/ryu")
PIP_TIMEOUT = 900.0
_PINS = [f"ryu=={RYU_VERSION}", "eventlet==0.33.3", "dnspython==2.6.1"]
_CHECK_IMPORT = (
    "import importlib.metadata as m\n"
    "import ryu.app.simple_switch_13\n"
    "print(m.version('ryu'))\n"
)
_PATCH_MARK = "# patched by bench/_ryu_env.py"
_IMPORT_LINE = re.compile(r"^([ \t]*)from eventlet\.wsgi import ALREADY_HANDLED[ \t]*$",
                          re.MULTILINE)


@dataclass(frozen=True)
class Peer:
    """A peer controller: its name, manager script and learning-switch application."""

    name: str
    manager: Path
    app: str


def _pip(python: Path, *args: str) -> tuple[int, str]:
    return _run([str(python), "-m", "pip", "install", "--disable-pip-version-check",
                 "--no-input", *args], timeout=PIP_TIMEOUT)


def _installed_ryu(python: Path) -> str | None:
    status, output = _run([str(python), "-I", "-c", _CHECK_IMPORT], timeout=120)
    return output.strip().splitlines()[-1] if status == 0 and output.strip() else None


def _site_file(python: Path, relative: str) -> Path | None:
    """Where the installed package file *relative* (e.g. ryu/app/wsgi.py) lives."""
    status, output = _run([str(python), "-I", "-c",
                           "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          timeout=60)
    if status != 0 or not output.strip():
        return None
    path = Path(output.strip().splitlines()[-1]) / relative
    return path if path.exists() else None


def patch_wsgi(path: Path) -> bool:
    """Make *path* (ryu/app/wsgi.py) import without ``ALREADY_HANDLED``; True when done."""
    text = path.read_text(encoding="utf-8")
    if _PATCH_MARK in text:
        return True
    def replace(match: re.Match[str]) -> str:
        indent = match.group(1)
        return (f"{indent}try:  {_PATCH_MARK}\n"
                f"{indent}    from eventlet.wsgi import ALREADY_HANDLED\n"
                f"{indent}except ImportError:  # eventlet >= 0.33 dropped it\n"
                f"{indent}    ALREADY_HANDLED = []")

    patched, count = _IMPORT_LINE.subn(replace, text, count=1)
    if count != 1:
        return False
    path.write_text(patched, encoding="utf-8")
    return True


def prepare_ryu_venv(path: Path = DEFAULT_RYU_VENV) -> tuple[Path | None, str]:
    """Make sure *path* is a venv where Ryu's simple_switch_13 imports; (python, message).

    The python is None when that cannot be done; the message then says why.
    """
    venv = _venv_dir(path)
    python = venv_python(venv)
    if python.exists():
        if _installed_ryu(python) == RYU_VERSION:
            return python, f"ryu {RYU_VERSION} ready in {venv}"
        status, _ = _run([str(python), "-c", "pass"], timeout=60)
        needs_venv = status != 0
    else:
        needs_venv = True
    if needs_venv:
        status, output = _run([sys.executable, "-m", "venv", "--clear", str(venv)], timeout=300)
        if status != 0 or not python.exists():
            return None, f"cannot create a virtual environment in {venv}: {_tail(output)}"
    status, output = _pip(python, "setuptools<58", "wheel")
    if status != 0:
        return None, f"pip install 'setuptools<58' wheel failed: {_tail(output)}"
    status, output = _pip(python, "--no-build-isolation", *_PINS)
    if status != 0:
        return None, f"pip install {' '.join(_PINS)} failed: {_tail(output)}"
    wsgi = _site_file(python, "ryu/app/wsgi.py")
    if wsgi is None or not patch_wsgi(wsgi):
        return None, f"cannot patch ryu/app/wsgi.py ({wsgi}) for eventlet 0.33"
    installed = _installed_ryu(python)
    if installed != RYU_VERSION:
        status, output = _run([str(python), "-I", "-c", _CHECK_IMPORT], timeout=120)
        return None, (f"ryu {RYU_VERSION} installed but simple_switch_13 does not import "
                      f"(got {installed!r}): {_tail(output)}")
    return python, f"ryu {RYU_VERSION} installed in {venv}"


def ensure_ryu_venv(path: Path = DEFAULT_RYU_VENV) -> Path:
    """The python of a venv with Ryu (made on demand); RuntimeError when impossible."""
    python, message = prepare_ryu_venv(path)
    if python is None:
        raise RuntimeError(f"ryu unavailable: {message}")
    return python


def ryu_peer(path: Path = DEFAULT_RYU_VENV) -> tuple[Peer | None, str]:
    """Ryu's simple_switch_13 as a peer (None and why, when its venv cannot be made)."""
    python, message = prepare_ryu_venv(path)
    if python is None:
        return None, message
    return Peer("ryu", python.parent / "ryu-manager", "ryu.app.simple_switch_13"), message


def peer_command(peer: Peer, port: int) -> list[str]:
    """The command line of *peer* listening on 127.0.0.1:*port*."""
    return [str(peer.manager), "--default-log-level", "30",
            "--ofp-listen-host", "127.0.0.1", "--ofp-tcp-listen-port", str(port), peer.app]


def start_peer(peer: Peer, port: int, *, stderr: int | IO[bytes] | None = subprocess.DEVNULL,
               preexec_fn: Callable[[], None] | None = None) -> subprocess.Popen[bytes]:
    """Start *peer* on 127.0.0.1:*port* in a session of its own; stdout is discarded.

    The caller waits for the port to accept connections and terminates the process.
    """
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    return subprocess.Popen(peer_command(peer, port), stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=stderr, env=env,
                            preexec_fn=preexec_fn, start_new_session=True)


if __name__ == "__main__":
    print(prepare_ryu_venv()[1])
