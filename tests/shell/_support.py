"""Shared by the shell tests: an output sink and a runtime with a lab connected."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

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
