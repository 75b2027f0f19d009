"""The benchmarks still run and check their own correctness (speed is not asserted here:
it is measured by running bench/ and recorded in docs/performance.md)."""

from __future__ import annotations

import pytest

from bench import bench_namedstruct


def test_namedstruct_bench_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_namedstruct.main(["--quick"]) == 0
    out = capsys.readouterr().out
    for name, _ in bench_namedstruct.cases():
        assert name in out
    assert "worst ratio" in out


def test_openflow_bench_runs(capsys: pytest.CaptureFixture[str]) -> None:
    from bench import bench_openflow

    assert bench_openflow.main(["--quick", "--no-osken"]) == 0
    out = capsys.readouterr().out
    for name in bench_openflow.OPERATIONS:
        assert name in out
    assert "worst ours/hand" in out


def test_event_bench_runs(capsys: pytest.CaptureFixture[str]) -> None:
    from bench import bench_events

    assert bench_events.main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert "ping-pong events / asyncio.Queue" in out and "100000 others / with 10" in out
