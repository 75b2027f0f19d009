"""A separate virtual environment with ``ovs``, the OVSDB benchmark's peer.

The ``ovs`` package from PyPI (the Open vSwitch project's own Python library:
``ovs.db.idl``, ``ovs.jsonrpc``) is never installed into the project's
``.venv``: :func:`ensure_ovs_venv` makes ``.bench-venvs/ovs`` (relative to the
repository root; git-ignored) with ``python -m venv`` and ``pip install
ovs==OVS_VERSION``, and ``bench/ovs_idl_worker.py`` runs with that venv's
python in isolated mode (``-I``).

The C JSON extension.  ``ovs/json.py`` does ``import ovs._json`` and sets
``ovs.json.PARSER`` to ``PARSER_C`` (``"C"``) when that works, else to
``PARSER_PY``; ``ovs.json.Parser()`` then returns an ``ovs._json.Parser`` and
``ovs.jsonrpc.Connection.recv`` feeds it (serializing always uses the standard
``json.dumps``).  The extension is a thin wrapper around the JSON parser of the
Open vSwitch C library: ``setup.py`` compiles ``ovs/_json.c``, which includes
``<openvswitch/json.h>``, and links it with ``-lopenvswitch``; when that fails
it prints "The C extension could not be compiled, speedups are not enabled"
and installs the pure-Python package, so pip succeeds either way.  No wheel is
published and Debian 12 ships no ``libopenvswitch-dev``, so a plain ``pip
install`` gives the pure-Python parser here (that is what
``.bench-venvs/osken`` got with ovs 4.0.0, os-ken's dependency).

To give the peer its fastest parser, this module builds the C library first:
the Open vSwitch 3.1.0 sources come from Debian's ``openvswitch-source``
package (``/usr/src/openvswitch/openvswitch.tar.gz`` when installed, else
``apt-get download`` into the build directory and ``dpkg-deb -x``; nothing is
installed system-wide), ``configure --disable-ssl --disable-libcapng
--disable-afxdp --with-pic`` and ``make lib/libopenvswitch.la`` (its
``BUILT_SOURCES`` first) in ``.bench-venvs/ovs-clib``: about 1 min on 2 cores,
once.  Then ``pip install --no-binary ovs --no-cache-dir`` with the hooks
``setup.py`` documents for a static library: ``enable_shared=no``,
``extra_cflags=-I<src>/include -I<build>/include`` and
``extra_libs=<build>/lib/.libs/libopenvswitch.a <LIBS of the Makefile>``.

Version: ovs 3.5.4.  Later releases (3.6.0 ... 4.0.0, the latest on PyPI when
this was written) also install on CPython 3.11.7, but their ``_json.c`` calls
``json_array_size()``, ``json_array_at()`` and ``json_string()``, which the
3.1 headers (the only C sources at hand) lack, so they would run with the
pure-Python parser.  3.5.4's ``_json.c`` is byte-for-byte 3.1.0's, and the
Python side (``ovs.db.idl``, ``ovs.jsonrpc``) changed between 3.5.4 and 4.0.0
in behaviour on reconnection and in Windows support, not in the paths the
benchmark times.  Checked here: gcc 12 present, the extension builds and
``ovs.json.PARSER == "C"``.  Without a compiler, ``make`` or the source
package, the venv gets the pure-Python package and ``c_json_unavailable.txt``
in the venv says why (delete the venv to try again); the worker reports
``c_json`` in every result either way.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

from bench._osken_env import _run, _tail, _venv_dir, venv_python

__all__ = [
    "CLIB_DIR",
    "DEFAULT_OVS_VENV",
    "OVS_VERSION",
    "build_libopenvswitch",
    "ensure_ovs_venv",
    "prepare_ovs_venv",
]

#: The newest ``ovs`` whose C extension builds against the OVS 3.1 C library.
OVS_VERSION = "3.5.4"
DEFAULT_OVS_VENV = Path(".bench-venvs/ovs")
#: Where the Open vSwitch C library is built (sources, build tree).
CLIB_DIR = Path(".bench-venvs/ovs-clib")
SYSTEM_TARBALL = Path("/usr/src/openvswitch/openvswitch.tar.gz")
NO_C_JSON = "c_json_unavailable.txt"

PIP_TIMEOUT = 900.0
BUILD_TIMEOUT = 1800.0
_CONFIGURE_OPTIONS = ["--disable-ssl", "--disable-libcapng", "--disable-afxdp", "--with-pic"]
_PRINT_BUILT_SOURCES = "print-built-sources:\n\t@echo $(BUILT_SOURCES)\n"
_CHECK_IMPORT = (
    "import importlib.metadata as m\n"
    "import ovs.db.idl, ovs.json\n"
    "print(m.version('ovs'), ovs.json.PARSER == ovs.json.PARSER_C)\n"
)


def _installed_ovs(python: Path) -> tuple[str, bool] | None:
    """(ovs version, whether ``ovs._json`` is in use) of *python*, or None."""
    status, output = _run([str(python), "-I", "-c", _CHECK_IMPORT], timeout=120)
    if status != 0 or not output.strip():
        return None
    fields = output.strip().splitlines()[-1].split()
    if len(fields) != 2:
        return None
    return fields[0], fields[1] == "True"


def _run_in(directory: Path, command: list[str]) -> tuple[int, str]:
    try:
        result = subprocess.run(command, cwd=directory, capture_output=True, text=True,
                                timeout=BUILD_TIMEOUT, check=False, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return -1, str(exc)
    return result.returncode, result.stdout + result.stderr


def _source_tarball(clib: Path) -> tuple[Path | None, str]:
    """The Open vSwitch source tarball (Debian's openvswitch-source); (path, why not)."""
    if SYSTEM_TARBALL.exists():
        return SYSTEM_TARBALL, ""
    unpacked = clib / "deb" / SYSTEM_TARBALL.relative_to("/")
    if unpacked.exists():
        return unpacked, ""
    if shutil.which("apt-get") is None or shutil.which("dpkg-deb") is None:
        return None, "no openvswitch-source package and no apt-get/dpkg-deb to fetch it"
    download = clib / "download"
    download.mkdir(parents=True, exist_ok=True)
    status, output = _run_in(download, ["apt-get", "download", "openvswitch-source"])
    debs = sorted(download.glob("openvswitch-source_*.deb"))
    if not debs:
        return None, f"apt-get download openvswitch-source failed ({status}): {_tail(output)}"
    status, output = _run(["dpkg-deb", "-x", str(debs[-1]), str(clib / "deb")], timeout=300)
    if status != 0 or not unpacked.exists():
        return None, f"dpkg-deb -x {debs[-1].name} failed: {_tail(output)}"
    return unpacked, ""


def _make_variable(makefile: Path, name: str) -> str:
    match = re.search(rf"^{name} = (.*)$", makefile.read_text(encoding="utf-8"), re.MULTILINE)
    return match.group(1).strip() if match else ""


def build_libopenvswitch(clib: Path = CLIB_DIR) -> tuple[dict[str, str] | None, str]:
    """Build the static Open vSwitch C library once; (environment for pip, message).

    The environment holds ``enable_shared``, ``extra_cflags`` and ``extra_libs``
    for ``ovs``'s ``setup.py``; it is None when the library cannot be built.
    """
    clib = _venv_dir(clib)
    if shutil.which("make") is None or (shutil.which("cc") or shutil.which("gcc")) is None:
        return None, "no C compiler or make"
    build = clib / "build"
    library = build / "lib" / ".libs" / "libopenvswitch.a"
    source = clib / "src" / "openvswitch"
    if not library.exists():
        tarball, why = _source_tarball(clib)
        if tarball is None:
            return None, why
        if not (source / "configure").exists():
            shutil.rmtree(clib / "src", ignore_errors=True)
            with tarfile.open(tarball) as archive:
                archive.extractall(clib / "src", filter="data")
        if not (source / "configure").exists():
            return None, f"{tarball} holds no openvswitch/configure"
        build.mkdir(parents=True, exist_ok=True)
        jobs = f"-j{os.cpu_count() or 1}"
        (clib / "print.mk").write_text(_PRINT_BUILT_SOURCES, encoding="utf-8")
        status, output = _run_in(build, [str(source / "configure"), *_CONFIGURE_OPTIONS,
                                         "CFLAGS=-O2 -fPIC"])
        if status != 0:
            return None, f"configure failed: {_tail(output)}"
        status, output = _run_in(build, ["make", "-s", "-f", "Makefile", "-f",
                                         str(clib / "print.mk"), "print-built-sources"])
        if status != 0:
            return None, f"cannot list BUILT_SOURCES: {_tail(output)}"
        for targets in (output.split(), ["lib/libopenvswitch.la"]):
            status, output = _run_in(build, ["make", jobs, *targets])
            if status != 0:
                return None, f"make {' '.join(targets)[:60]} failed: {_tail(output)}"
        if not library.exists():
            return None, f"make lib/libopenvswitch.la made no {library}"
    libs = _make_variable(build / "Makefile", "LIBS")
    return {
        "enable_shared": "no",
        "extra_cflags": f"-I{source / 'include'} -I{build / 'include'}",
        "extra_libs": f"{library} {libs}".strip(),
    }, f"libopenvswitch.a ready in {build}"


def _pip_install(python: Path, version: str, env: dict[str, str] | None) -> tuple[int, str]:
    command = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "--no-input",
               "--force-reinstall", "--no-deps", "--no-cache-dir", "--no-binary", "ovs",
               f"ovs=={version}"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=PIP_TIMEOUT,
                                check=False, stdin=subprocess.DEVNULL,
                                env={**os.environ, **(env or {})})
    except (OSError, subprocess.TimeoutExpired) as exc:
        return -1, str(exc)
    return result.returncode, result.stdout + result.stderr


def prepare_ovs_venv(path: Path = DEFAULT_OVS_VENV, *, version: str = OVS_VERSION,
                     clib: Path = CLIB_DIR) -> tuple[Path | None, str]:
    """Make sure *path* is a venv with ovs *version*, C JSON parser if possible.

    Returns (its python, message); the python is None when ovs cannot be
    installed at all, and the message then says why.
    """
    venv = _venv_dir(path)
    python = venv_python(venv)
    marker = venv / NO_C_JSON
    if python.exists():
        installed = _installed_ovs(python)
        if installed is not None and installed[0] == version:
            if installed[1]:
                return python, f"ovs {version} (C JSON parser) ready in {venv}"
            if marker.exists():
                return python, (f"ovs {version} (pure-Python JSON parser: "
                                f"{marker.read_text(encoding='utf-8').strip()}) ready in {venv}")
        status, _ = _run([str(python), "-c", "pass"], timeout=60)
        needs_venv = status != 0
    else:
        needs_venv = True
    if needs_venv:
        status, output = _run([sys.executable, "-m", "venv", "--clear", str(venv)], timeout=300)
        if status != 0 or not python.exists():
            return None, f"cannot create a virtual environment in {venv}: {_tail(output)}"
    status, output = _run([str(python), "-m", "pip", "install", "--disable-pip-version-check",
                           "--no-input", "sortedcontainers", "setuptools", "wheel"],
                          timeout=PIP_TIMEOUT)
    if status != 0:
        return None, f"pip install sortedcontainers setuptools wheel failed: {_tail(output)}"
    env, why = build_libopenvswitch(clib)
    status, output = _pip_install(python, version, env)
    if status != 0 and env is not None:
        why = f"pip install with libopenvswitch.a failed: {_tail(output, 5)}"
        env = None
        status, output = _pip_install(python, version, None)
    if status != 0:
        return None, f"pip install ovs=={version} failed: {_tail(output)}"
    installed = _installed_ovs(python)
    if installed is None or installed[0] != version:
        status, output = _run([str(python), "-I", "-c", _CHECK_IMPORT], timeout=120)
        return None, (f"ovs=={version} installed but does not import "
                      f"(got {installed!r}): {_tail(output)}")
    if installed[1]:
        marker.unlink(missing_ok=True)
        return python, f"ovs {version} (C JSON parser) installed in {venv}"
    if env is not None:
        why = "setup.py fell back to pure Python (the C extension did not build)"
    marker.write_text(why + "\n", encoding="utf-8")
    return python, f"ovs {version} (pure-Python JSON parser: {why}) installed in {venv}"


def ensure_ovs_venv(path: Path = DEFAULT_OVS_VENV) -> Path:
    """The python of a venv with ovs (made on demand); RuntimeError when impossible."""
    python, message = prepare_ovs_venv(path)
    if python is None:
        raise RuntimeError(f"ovs unavailable: {message}")
    return python


if __name__ == "__main__":
    print(prepare_ovs_venv()[1])
