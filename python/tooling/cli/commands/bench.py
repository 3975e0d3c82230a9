"""`bench seed`: the seeder against boto3's batch_writer and a raw loop, locally and far away."""

from __future__ import annotations

import argparse
from typing import Any

from rich.console import Console
from rich.table import Table

from tooling.cli import ranges
from tooling.dev import bench


def _workers(text: str) -> tuple[int, ...]:
    try:
        values = tuple(int(x) for x in text.split(",") if x.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r}: expected worker counts like 1,4,8,16"
        ) from None
    if not values:
        raise argparse.ArgumentTypeError("expected at least one worker count")
    return values


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "bench", help="benchmarks (seeding throughput and memory on a local moto server)"
    )
    sub = p.add_subparsers(dest="bench", metavar="BENCH", parser_class=type(p))
    sub.required = True
    d = bench.BenchConfig()
    s = sub.add_parser(
        "seed",
        help="seeder vs boto3 batch_writer vs raw batch_write_item; with network delay; memory",
        description="Seed generated items into fresh tables on a fresh local moto server and "
        "print items/s of the package's seeder, boto3's Table.batch_writer() and a raw loop of "
        "pre-serialised batch_write_item calls; then the same behind a TCP proxy adding a fixed "
        "delay each way; then the peak memory of seeding many items. Exit 1 if an acceptance "
        "threshold is missed.",
    )
    s.add_argument("--items", type=int, default=d.items, help="items per local run (%(default)s)")
    s.add_argument(
        "--rounds",
        type=int,
        default=d.rounds,
        help="local runs interleaved in this many slices, against background load (%(default)s)",
    )
    s.add_argument(
        "--delay-ms", type=float, default=d.delay_ms, help="delay each way (%(default)s ms)"
    )
    s.add_argument(
        "--delay-rounds",
        type=int,
        default=d.delay_rounds,
        help="delay rounds (ceiling, round trip, every writer); medians reported (%(default)s)",
    )
    s.add_argument(
        "--delay-seconds",
        type=float,
        default=d.delay_seconds,
        help="target seconds of each writer per delay round (%(default)s)",
    )
    s.add_argument(
        "--delay-items",
        type=int,
        default=d.delay_items,
        help="at most this many items per writer per delay round (%(default)s)",
    )
    s.add_argument(
        "--workers",
        type=_workers,
        default=d.concurrencies,
        help="seeder concurrencies behind the delay (default 1,4,8,16)",
    )
    s.add_argument(
        "--memory-items",
        type=int,
        default=d.memory_items,
        help="items of the largest dry-run memory run; a tenth is also run (%(default)s)",
    )
    s.add_argument(
        "--memory-engine-items",
        type=int,
        default=d.memory_engine_items,
        help="items of the largest memory run to the engine; a quarter is also run (%(default)s)",
    )
    s.add_argument("--no-delay-runs", action="store_true", help="skip the network-delay runs")
    s.add_argument("--no-memory-runs", action="store_true", help="skip the memory runs")
    s.add_argument(
        "--no-check",
        action="store_true",
        help="exit 0 even when a threshold is missed (figures only)",
    )
    s.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    for flag in ("items", "delay_items", "memory_items", "memory_engine_items", "delay_rounds"):
        ranges.check(f"--{flag.replace('_', '-')}", getattr(args, flag), 0, 100_000_000)
    ranges.check("--rounds", args.rounds, 1, 1000)
    for workers in args.workers:
        ranges.check("--workers", workers, 1, ranges.MAX_WORKERS)
    cfg = bench.BenchConfig(
        items=args.items,
        rounds=args.rounds,
        delay_ms=args.delay_ms,
        delay_items=args.delay_items,
        delay_rounds=args.delay_rounds,
        delay_seconds=args.delay_seconds,
        concurrencies=args.workers,
        delay_runs=not args.no_delay_runs,
        memory_runs=not args.no_memory_runs,
        memory_items=args.memory_items,
        memory_engine_items=args.memory_engine_items,
    )
    cfg.validate()
    err = Console(stderr=True)
    with err.status("starting a local moto server") as status:
        report = bench.run_bench(cfg, say=lambda msg: status.update(msg))
    render(report, Console())
    return 0 if report.passed or args.no_check else 1


def render(report: bench.BenchReport, console: Console) -> None:
    cfg = report.config
    local = report.local
    raw = local["raw"]
    t = Table(
        title=f"Local engine (moto), {cfg.items:,} items per writer, fresh table each, "
        f"interleaved in {cfg.rounds} rounds"
    )
    for col in ("writer", "seconds", "items/s", "vs raw loop", "vs batch_writer"):
        t.add_column(col, justify="left" if col == "writer" else "right")
    names = {
        "seeder": f"seeder ({report.default_workers} workers, default)",
        "batch_writer": "boto3 batch_writer()",
        "raw": "raw loop, 25/call",
    }
    for key in ("seeder", "batch_writer", "raw"):
        m = local[key]
        t.add_row(
            names[key],
            f"{m.seconds:.2f}",
            f"{m.rate:,.0f}",
            f"{m.rate / raw.rate:.0%}",
            f"{m.rate / local['batch_writer'].rate:.2f}x",
        )
    console.print(t)
    console.print(
        "raw loop: one batch_write_item per 25 items serialised before the clock starts, "
        "sequential: the engine's ceiling."
    )

    if report.delay_rows and report.delayed_batch_writer and report.delayed_default:
        bw = report.delayed_batch_writer
        rtts = [r.rtt * 1000 for r in report.delay_rounds]
        ceilings = [r.ceiling for r in report.delay_rounds]
        t = Table(
            title=f"{cfg.delay_ms:g} ms added each way (TCP proxy), {len(rtts)} interleaved rounds "
            f"of about {cfg.delay_seconds:g} s per writer; round trip of a batch of 25: median "
            f"{report.rtt * 1000:.0f} ms ({min(rtts):.0f}-{max(rtts):.0f}); engine ceiling: "
            f"median {report.delay_ceiling:,.0f}/s ({min(ceilings):,.0f}-{max(ceilings):,.0f})",
        )
        for col in ("writer", "items", "items/s", "limit", "of limit", "per round", "vs bw"):
            t.add_column(col, justify="left" if col == "writer" else "right")
        t.add_row("boto3 batch_writer()", f"{bw.items:,}", f"{bw.rate:,.0f}", "", "", "", "1.00x")
        for row in report.delay_rows:
            default = " (default)" if row.workers == report.default_workers else ""
            t.add_row(
                f"seeder, {row.workers} worker{'s' if row.workers > 1 else ''}{default}",
                f"{row.seeder.items:,}",
                f"{row.seeder.rate:,.0f}",
                f"{row.limit:,.0f}",
                f"{row.fraction:.0%}",
                " ".join(f"{f:.0%}" for f in row.fractions),
                f"{row.seeder.rate / bw.rate:.1f}x",
            )
        if all(r.workers != report.default_workers for r in report.delay_rows):
            m = report.delayed_default
            t.add_row(
                f"seeder, default ({report.default_workers} workers)",
                f"{m.items:,}",
                f"{m.rate:,.0f}",
                "",
                "",
                "",
                f"{m.rate / bw.rate:.1f}x",
            )
        console.print(t)
        console.print(
            "limit = min(engine ceiling, workers x 25 items / round trip), per round: the ceiling "
            "(raw loop straight to the engine) and the round trip (one batch through the proxy, "
            "median of 9) are measured at the start of each round; 'of limit' is the median "
            "over the rounds."
        )

    if report.memory:
        t = Table(title="Peak memory of seeding (child process RSS, moto server not included)")
        for col in ("sink", "path", "items", "peak RSS MB", "at start MB", "s"):
            t.add_column(col, justify="left" if col in ("sink", "path") else "right")
        for run in report.memory:
            t.add_row(
                "dry-run (null)" if run.sink == "null" else "engine",
                "seed (verify)" if run.mode == "seed" else "streaming",
                f"{run.items:,}",
                f"{run.peak_rss_mb:.0f}",
                f"{run.baseline_rss_mb:.0f}",
                f"{run.seconds:.1f}",
            )
        console.print(t)
        console.print(
            "streaming: write_items(collect_keys=False), as `seed --no-verify`; seed (verify): "
            "`seed`'s default path, seed_tables keeping every key written (KeySet) and reading "
            "each one back with BatchGetItem."
        )

    t = Table(title="Acceptance")
    t.add_column("check")
    t.add_column("result", justify="right")
    t.add_column("", justify="center")
    for check in report.checks():
        mark = "[green]pass[/green]" if check.passed else "[red]FAIL[/red]"
        t.add_row(check.name, check.detail, mark)
    console.print(t)
