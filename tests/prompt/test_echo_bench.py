"""The echo benchmark runs (its figures go to docs/performance.md; bounds here are generous)."""

from __future__ import annotations

from bench import bench_prompt_echo


def test_the_echo_bench_runs_and_the_flood_is_counted() -> None:
    options = bench_prompt_echo.QUICK  # what --quick runs
    rounds = bench_prompt_echo.collect(options)
    (base, flood), = rounds
    for run in (base, flood):
        assert len(run.echoes) == 40 and run.missed == 0
        assert 0 < run.percentile(0.95) < 0.5
        assert run.rss_kib and all(kib > 0 for kib in run.rss_kib)
    assert base.seen == 0 and base.sent == 0  # the baseline's switch stayed quiet
    assert flood.sent > 0 and flood.sent_rate > 1000
    assert flood.seen > flood.sent  # the warmup's too
    assert flood.shown > 0 and flood.skipped > 0 and flood.skipped_on_screen > 0
    assert flood.shown + flood.skipped == flood.seen
    text = bench_prompt_echo.report(rounds, options)
    assert "flood 2,000/s" in text and "keystroke echo p95 under 100 ms" in text
