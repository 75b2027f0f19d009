"""Shared by the shell tests: an output sink, a runtime with a lab connected, and the
small helpers that run a command and take its output or error."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from workbench.runtime import Runtime
from workbench.shell import Shell, start_lab


class Out:
    """What a shell wrote (it writes under its own lock)."""

    def __init__(self) -> None:
        self.chunks: list[str] = []

    @property
    def text(self) -> str:
        return "".join(self.chunks)

    def write(self, text: str) -> int:
        self.chunks.append(text)
        return len(text)

    def flush(self) -> None:
        pass

    def take(self) -> str:
        """What was written since the last take."""
        text = self.text
        self.chunks.clear()
        return text


@contextmanager
def lab_runtime(bridges: int = 1, ports: int = 3, versions: set[int] | None = None
                ) -> Iterator[Runtime]:
    """A runtime listening on a free port, a lab's bridges connected to it."""
    with Runtime() as runtime:
        options = {"versions": versions} if versions else {}
        start_lab(runtime, bridges, ports, runtime.listen("127.0.0.1", 0, **options))
        assert runtime.controller is not None
        runtime.call(runtime.controller.wait_switch(timeout=10))
        yield runtime


def shell_on_lab(ports: int, versions: set[int] | None = None) -> Iterator[Shell]:
    """For module fixtures: a shell whose lab switch s1 is connected."""
    with lab_runtime(1, ports, versions) as runtime:
        shell = Shell(runtime, out=Out())  # type: ignore[arg-type]
        assert shell.execute("wait-switch s1 --timeout 10")
        yield shell
        shell.close()


def ok(shell: Shell, line: str) -> str:
    """Run *line*, which must succeed; what it printed."""
    out: Out = shell.out  # type: ignore[assignment]
    out.take()
    assert shell.execute(line), f"failed: {line}"
    return out.take()


def fails(shell: Shell, line: str, capsys: pytest.CaptureFixture[str]) -> str:
    """Run *line*, which must fail; its error output."""
    capsys.readouterr()
    assert not shell.execute(line), f"did not fail: {line}"
    return capsys.readouterr().err


def ofctl(shell: Shell, *args: str, version: str = "OpenFlow13") -> str:
    """``ovs-ofctl -O VERSION ARGS`` on the shell's lab."""
    assert shell.runtime.lab is not None
    return shell.runtime.lab.ofctl("-O", version, *args)


def normal(text: str) -> list[str]:
    """Dump lines without what changes between two dumps (xids, durations, ages)."""
    text = re.sub(r"xid=0x[0-9a-f]+", "xid=X", text)
    text = re.sub(r"duration=[0-9.]+s", "duration=X", text)
    return re.sub(r"(idle_age|hard_age)=\d+", r"\1=X", text).splitlines()


def processes_mentioning(text: str) -> list[int]:
    """The pids whose command line contains *text* (a lab directory: its daemons)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if text.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found
