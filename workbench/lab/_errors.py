"""The single exception type raised by the lab."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["LabError"]


class LabError(RuntimeError):
    """Something went wrong while running or talking to the private Open vSwitch.

    When the failure comes from an OVS command line tool, ``command`` is its
    argument vector, ``returncode`` its exit status (``None`` when it timed out
    or could not be started at all) and ``stderr`` what it printed; all three
    appear in the message.

    Example:
        >>> err = LabError("failed", command=["ovs-vsctl", "add-br"], returncode=1,
        ...                stderr="ovs-vsctl: 'add-br' command requires at least 1 arguments")
        >>> err.returncode
        1
    """

    def __init__(
        self,
        message: str,
        *,
        command: Sequence[str] | None = None,
        returncode: int | None = None,
        stderr: str = "",
    ) -> None:
        self.command: tuple[str, ...] | None = tuple(command) if command is not None else None
        self.returncode = returncode
        self.stderr = stderr
        self.detail = message
        super().__init__(self._render())

    def _render(self) -> str:
        if self.command is None:
            return self.detail
        shown = " ".join(self.command)
        status = "timed out" if self.returncode is None else f"exit code {self.returncode}"
        text = f"{self.detail}: `{shown}` ({status})"
        stderr = self.stderr.strip()
        if stderr:
            text += f"\nstderr:\n{stderr}"
        return text
