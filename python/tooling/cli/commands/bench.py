"""`bench seed`: the seeder against boto3's batch_writer and a raw loop, locally and far away."""

from __future__ import annotations

import argparse
import statistics
import sys
from typing import Any

from rich.console import Console
from rich.table import Table

from tooling.cli import ranges
from tooling.dev import bench, bench_commands
from tooling.errors import UsageError


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
    c = bench_commands.CommandsConfig()
    s.add_argument(
        "--scale",
        type=float,
        default=c.scale,
        help="seed --scale of the local end-to-end runs (%(default)s: about 20,000 items)",
    )
    s.add_argument(
        "--delay-scale",
        type=float,
        default=c.delay_scale,
        help="seed --scale of the end-to-end runs behind the delay (%(default)s: about 8,000)",
    )
    s.add_argument(
        "--command-rounds",
        type=int,
        default=c.rounds,
        help="interleaved rounds of the end-to-end runs, locally and behind the delay "
        "(%(default)s)",
    )
    s.add_argument(
        "--file-items",
        type=int,
        default=c.file_items,
        help="items of the import/export file, locally (%(default)s; behind the delay "
        f"{c.delay_file_items})",
    )
    s.add_argument(
        "--startup-runs",
        type=int,
        default=c.startup_runs,
        help="runs of --help and query --list, median taken (%(default)s)",
    )
    s.add_argument(
        "--no-command-runs", action="store_true", help="skip the end-to-end command runs"
    )
    s.add_argument(
        "--no-engine-runs", action="store_true", help="skip the engine-only runs and memory"
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
    ccfg = bench_commands.CommandsConfig(
        scale=args.scale,
        delay_scale=args.delay_scale,
        rounds=args.command_rounds,
        delay_rounds=args.command_rounds,
        delay_ms=args.delay_ms,
        file_items=args.file_items,
        delay_file_items=min(args.file_items, bench_commands.CommandsConfig.delay_file_items),
        startup_runs=args.startup_runs,
        delay_runs=not args.no_delay_runs,
    )
    if args.no_command_runs and args.no_engine_runs:
        raise UsageError("bench seed: --no-command-runs and --no-engine-runs leave nothing to run")
    ccfg.validate()
    cfg.validate()
    err = Console(stderr=True)
    # Not a terminal (`make bench > file`, a CI log): wide enough that no table wraps its rows,
    # as rich would at the 80 columns it assumes.
    out = Console() if sys.stdout.isatty() else Console(width=160)
    passed = True
    with err.status("starting a local moto server") as status:
        commands = None
        if not args.no_command_runs:
            commands = bench_commands.run(ccfg, say=lambda msg: status.update(msg))
        report = None
        if not args.no_engine_runs:
            report = bench.run_bench(cfg, say=lambda msg: status.update(msg))
    checks: list[bench.Check] = []
    if commands is not None:
        render_commands(commands, out)
        checks += commands.checks()
    if report is not None:
        render(report, out, acceptance=False)
        checks += report.checks()
    render_checks(checks, out)
    passed = all(c.passed for c in checks)
    return 0 if passed or args.no_check else 1


def _ratio(value: float) -> str:
    return f"{value:.2f}x"


def render_commands(report: bench_commands.CommandsReport, console: Console) -> None:
    """The end-to-end tables: each command beside its hand-written baseline(s)."""
    cfg = report.config
    load = ", ".join(f"{x:.2f}" for x in report.load_average)
    console.print(f"load average at the start (1, 5, 15 min): {load}")
    console.print(_command_table(report, "local moto server", report.local, cfg.scale,
                                 cfg.rounds, cfg.file_items))  # fmt: skip
    if report.delayed.seconds:
        console.print(_command_table(report, f"{cfg.delay_ms:g} ms added each way",
                                     report.delayed, cfg.delay_scale, cfg.delay_rounds,
                                     cfg.delay_file_items))  # fmt: skip
        rtts = [r * 1000 for r in report.rtts]
        console.print(
            f"round trip of a batch of 25 through the proxy: median {statistics.median(rtts):.0f} "
            f"ms ({min(rtts):.0f}-{max(rtts):.0f}); limit = {cfg.workers} workers x 25 / round "
            f"trip = {report.limit:,.0f} items/s. once started = (items - items at scale 0.01) / "
            "(seconds - seconds at scale 0.01), same round. Behind the delay the sequential "
            f"baselines write every k-th item (about {cfg.delay_baseline_items:,}): their rate "
            "does not depend on the count."
        )
    t = Table(title=f"Start-up (child process, median of {cfg.startup_runs})")
    t.add_column("command")
    t.add_column("seconds", justify="right")
    for label in report.startup.seconds:
        t.add_row(f"python -m tooling {label}", f"{report.startup.median(label):.2f}")
    small = report.local.median("seed-small")
    t.add_row("python -m tooling seed --scale 0.01 (local)", f"{small:.2f}")
    console.print(t)


def _command_table(
    report: bench_commands.CommandsReport,
    where: str,
    tm: bench_commands.Timings,
    scale: float,
    rounds: int,
    file_items: int,
) -> Table:
    delayed = tm is report.delayed
    t = Table(
        title=f"Commands end to end ({where}): child processes, fresh tables each run, "
        f"{rounds} interleaved rounds, medians"
    )
    cols = ["command", "items", "seconds", "items/s", "vs raw loop", "vs batch_writer"]
    for col in [*cols, *(["once started"] if delayed else [])]:
        t.add_column(col, justify="left" if col == "command" else "right")
    base = "pre-generated" + (", every k-th item" if delayed else "")
    rows = [
        ("seed", f"seed --scale {scale:g}", "raw", "batch_writer"),
        ("seed --no-verify", f"seed --scale {scale:g} --no-verify", "raw", "batch_writer"),
        ("batch_writer", f"boto3 batch_writer(), per table ({base})", "raw", "batch_writer"),
        ("raw", f"raw loop, 25/call ({base})", "raw", "batch_writer"),
        ("seed-small", "seed --scale 0.01 (fixed cost)", "", ""),
        ("import", f"import FILE ({file_items:,} items)", "", "import: batch_writer"),
        ("import: batch_writer", "  parse FILE + batch_writer()", "", "import: batch_writer"),
        ("export", "export TABLE -o FILE (vs Scan)", "", "export: scan"),
        ("export: scan", "  paginated Scan -> FILE", "", "export: scan"),
    ]
    for label, name, raw, bw in rows:
        cells = [name, f"{tm.items[label]:,}", f"{tm.median(label):.2f}", f"{tm.rate(label):,.0f}"]
        cells += [f"{tm.ratio(label, raw):.2f}x" if raw else ""]
        cells += [f"{tm.ratio(label, bw):.2f}x" if bw else ""]
        if delayed:
            fraction = report.started_fractions.get(label)
            cells.append(f"{report.fraction_of_limit(label):.0%} of limit" if fraction else "")
        t.add_row(*cells)
    return t


def render_checks(checks: list[bench.Check], console: Console) -> None:
    t = Table(title="Acceptance")
    t.add_column("check")
    t.add_column("result", justify="right")
    t.add_column("", justify="center")
    for check in checks:
        mark = "[green]pass[/green]" if check.passed else "[red]FAIL[/red]"
        t.add_row(check.name, check.detail, mark)
    console.print(t)


def render(report: bench.BenchReport, console: Console, acceptance: bool = True) -> None:
    cfg = report.config
    local = report.local
    raw = local["raw"]
    t = Table(
        title=f"Engine only (tooling.dynamo in process), local moto, {cfg.items:,} items per "
        f"writer, fresh table each, interleaved in {cfg.rounds} rounds"
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

    if acceptance:
        render_checks(report.checks(), console)
