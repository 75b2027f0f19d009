"""The OVSDB benchmark runs end to end against a real ovsdb-server (speed is not asserted).

Marked ``bench`` and left out of the default run: the first run pip-installs
``ovs`` into ``.bench-venvs/ovs`` and builds the Open vSwitch C library for its
C JSON parser (about a minute).  Run: ``pytest -m bench tests/test_bench_ovsdb.py``.
Skipped, with the reason, only when ``ovs`` cannot be installed at all.
"""

from __future__ import annotations

import re

import pytest

from bench import bench_ovsdb
from bench._ovs_env import OVS_VERSION, prepare_ovs_venv


@pytest.mark.bench
def test_quick_run(capsys: pytest.CaptureFixture[str]) -> None:
    python, reason = prepare_ovs_venv()
    if python is None:
        pytest.skip(f"ovs cannot be installed: {reason}")
    assert bench_ovsdb.main(["--quick"]) == 0
    out = capsys.readouterr().out
    row = re.search(rf"^ovs {re.escape(OVS_VERSION)}\s+([\d,]+)\s+\S+\s+\S+\s+([\d,]+)", out,
                    re.MULTILINE)
    assert row is not None, out
    assert all(int(value.replace(",", "")) > 0 for value in row.groups())
    assert re.search(r"^c_json: (True|False)$", out, re.MULTILINE), out
    assert "C JSON parser" not in reason or "c_json: True" in out, (reason, out)
