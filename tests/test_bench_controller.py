"""The controller benchmark's load generator works (speed is not asserted here).

Two fake switches flood the bare responder (and, when it exists, our learning
switch) for a fraction of a second; the handshake counts the generator saw and
the answered PACKET_INs are checked.  Neither needs Ryu's venv.  The whole
benchmark's ``--quick`` run is marked ``bench`` (run: ``pytest -m bench``).
"""

from __future__ import annotations

import importlib.util
import tempfile
from typing import Any

import pytest

from bench import bench_controller
from bench._cbench import run_generator


def _flood(contender: bench_controller.Contender, **options: Any) -> dict[str, Any]:
    port = bench_controller.free_port()
    with tempfile.TemporaryFile() as log:
        process = contender.start(port, log)
        try:
            bench_controller.wait_listening(process, port, timeout=10)
            return run_generator(port, switches=2, window=4, warmup=0.1, seconds=0.3,
                                 quiet=0.2, **options)
        finally:
            bench_controller._stop(process)


def test_generator_against_bare_responder() -> None:
    result = _flood(bench_controller.bare_contender(), probe=True)
    ready = result["ready"]
    assert ready["event"] == "ready" and ready["handshaken"] == ready["switches"] == 3
    assert ready["counts"]["features_answered"] == 3
    assert ready["counts"]["hellos_received"] == 3
    assert result["answered"] > 0 and result["rate"] > 0
    assert len(result["per_switch"]) == 2 and all(rate > 0 for rate in result["per_switch"])
    assert result["flooding"] == 2 and result["lost"] == 0
    assert result["flow_mods"] == 0  # the bare responder installs nothing
    probe = result["probe"]
    assert probe["answered"] > 0 and probe["median_ms"] > 0


def test_generator_against_our_learning_switch() -> None:
    if importlib.util.find_spec(bench_controller.OURS_MODULE) is None:
        pytest.skip(f"{bench_controller.OURS_MODULE} does not exist")
    result = _flood(bench_controller.ours_contender())
    counts = result["ready"]["counts"]
    assert result["ready"]["handshaken"] == 2
    assert counts["features_answered"] == 2 and counts["hellos_received"] == 2
    assert counts.get("port_desc_answered") == 2
    assert result["answered"] > 0 and result["flooding"] == 2
    # a known destination: a flow per PACKET_IN, besides the table-miss flows
    assert result["flow_mods"] > 2


@pytest.mark.bench
def test_bench_controller_quick(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_controller.main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert "bare" in out and "ours / bare:" in out
