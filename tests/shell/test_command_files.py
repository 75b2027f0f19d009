"""Every command file in ``commands/`` runs against a fresh lab and passes: its
``expect`` lines are the test (``vlcp-shell --lab -f FILE`` exits 0)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

COMMANDS = Path(__file__).resolve().parents[2] / "commands"
FILES = sorted(COMMANDS.glob("*.vlcp"))


def test_there_are_command_files() -> None:
    assert len(FILES) >= 6, [path.name for path in FILES]


@pytest.mark.parametrize("path", FILES, ids=[path.name for path in FILES])
def test_command_file_passes(path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "workbench.shell", "--listen", "127.0.0.1:0", "--lab",
         "-f", str(path)],
        capture_output=True, text=True, timeout=120, cwd=COMMANDS.parent)
    assert result.returncode == 0, (
        f"{path.name} failed (exit {result.returncode}):\n{result.stderr}\n"
        f"--- output ---\n{result.stdout[-3000:]}")
    assert "error:" not in result.stderr, result.stderr
