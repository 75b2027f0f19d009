"""The startup benchmark still runs (its figures go to docs/performance.md, not asserted)."""

from __future__ import annotations

import pytest

from bench import bench_prompt_startup


def test_the_startup_bench_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_prompt_startup.main(["--runs", "1"]) == 0
    out = capsys.readouterr().out
    assert "vlcp-shell to the first prompt" in out and "x python -c pass" in out
    assert "first prompt within 1 s:" in out
