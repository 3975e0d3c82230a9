"""`bench seed`: the generator streams, and a small run of the real command finishes and reports."""

from __future__ import annotations

import os
import subprocess
import sys
from itertools import islice

import pytest

from tooling.cli import main
from tooling.dev import bench


def test_bench_items_are_deterministic_distinct_and_realistic() -> None:
    first = list(bench.bench_items(2000))
    assert first == list(bench.bench_items(2000))
    assert len({(i["pk"], i["sk"]) for i in first}) == 2000
    sizes = [len(repr(i)) for i in first]
    assert 300 < sum(sizes) / len(sizes) < 1500
    # Streaming: asking for a billion items costs nothing until they are consumed.
    assert len(list(islice(bench.bench_items(10**9), 3))) == 3


def test_bad_options_are_refused_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "seed", "--items", "10"]) == 2
    assert "--items must be at least 25" in capsys.readouterr().err
    assert main(["bench", "seed", "--workers", "1,x"]) == 2
    assert "worker counts" in capsys.readouterr().err
    assert main(["bench", "seed", "--delay-rounds", "0"]) == 2
    assert "--delay-rounds must be" in capsys.readouterr().err


@pytest.mark.slow
def test_small_bench_run_exits_0_with_the_three_writers() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tooling", "bench", "seed", "--items", "500", "--rounds", "2",
         "--delay-items", "50", "--delay-rounds", "2", "--workers", "2", "--memory-items", "1000",
         "--memory-engine-items", "400", "--no-command-runs", "--no-check"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "160"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for label in ("seeder", "batch_writer()", "raw loop", "seeder, 2 workers", "Acceptance"):
        assert label in out
    assert "engine" in out and "dry-run (null)" in out and "seed (verify)" in out
    assert "delay: seeder, 2 worker(s) >= 80% of limit" in out and "(median of 2)" in out


@pytest.mark.slow
def test_small_end_to_end_run_times_every_command_beside_its_baseline() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tooling", "bench", "seed", "--no-engine-runs", "--no-delay-runs",
         "--scale", "0.05", "--command-rounds", "1", "--file-items", "100", "--startup-runs", "1",
         "--no-check"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "load average at the start" in out and "Commands end to end (local moto server)" in out
    for label in ("seed --scale 0.05 ", "seed --scale 0.05 --no-verify", "boto3 batch_writer()",
                  "raw loop, 25/call", "seed --scale 0.01", "import FILE (100 items)",
                  "parse FILE + batch_writer()", "export TABLE -o FILE", "paginated Scan",
                  "python -m tooling --help", "python -m tooling query --list"):  # fmt: skip
        assert label in out, label
    assert "local: seed (verify) >= 0.9x raw loop" in out and "start-up: --help < 0.3 s" in out
    assert "Engine only" not in out  # --no-engine-runs


def test_commands_bench_refuses_bad_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "seed", "--no-command-runs", "--no-engine-runs"]) == 2
    assert "leave nothing to run" in capsys.readouterr().err
    assert main(["bench", "seed", "--scale", "0"]) == 2
    assert "--scale and --delay-scale must be in (0, 1000]" in capsys.readouterr().err
    assert main(["bench", "seed", "--file-items", "3"]) == 2
    assert "must be >= 25" in capsys.readouterr().err


def test_memory_child_reports_its_own_peak_not_the_parents() -> None:
    # Linux hands a parent's ru_maxrss down across fork+exec: a big parent must not show up.
    ballast = bytearray(256 * 1024 * 1024)
    ballast[:: 1 << 12] = b"x" * len(ballast[:: 1 << 12])  # touch every page: it is resident
    run = bench.measure_memory("null", 2000)
    del ballast
    assert run.items == 2000 and run.mode == "streaming"
    assert 0 < run.baseline_rss_mb <= run.peak_rss_mb < bench.MAX_PEAK_RSS_MB


def test_seed_path_keeps_keys_compactly_and_reads_them_back() -> None:
    """`seed`'s default path (keys kept, every key read back) grows by well under 200 bytes a key:
    a Python set of key tuples took about 350 (55 MB for 100,000 items, 375 MB for 1,000,000)."""
    # The slope between two sizes: the threads and queues of the overlapped pipeline (writers,
    # generator, read-back) cost a few fixed MB whatever the count, and are not per key.
    small, large = (bench.measure_memory("null", n, mode="seed") for n in (20_000, 100_000))
    assert small.mode == large.mode == "seed"
    per_key = (large.peak_rss_mb - small.peak_rss_mb) * 2**20 / (100_000 - 20_000)
    assert per_key < 200, (small, large)


def test_delay_items_per_round_follow_the_expected_rate_in_whole_batches() -> None:
    cfg = bench.BenchConfig(delay_seconds=4.0, delay_items=20_000)
    assert bench._items_for(213.0, 1, cfg) == 850  # 4 s at 213/s, rounded down to 25s
    assert bench._items_for(50_000.0, 8, cfg) == 20_000  # capped
    assert bench._items_for(1.0, 4, cfg) == 200  # at least two batches per worker
    assert bench._items_for(1.0, 4, bench.BenchConfig(delay_items=30)) == 25
