"""`seed`: fill the stack's tables with the app generators' data (or write it as JSON lines)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from tooling import aws, seeding, stack
from tooling.apps import GenerationContext, get_app
from tooling.catalog import SEED_TABLES
from tooling.errors import ToolingError, UsageError
from tooling.serialize import SerializationError, item_to_json, to_item

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_RANDOM_SEED = 42
MISSING_SHOWN = 5


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "seed",
        help="seed the deployed tables with realistic data",
        description="Seed every table of the deployed stack (or --apps) with generated data. "
        "Idempotent: items are put by key, so a second run leaves the same item counts.",
    )
    p.add_argument(
        "--tf-dir",
        type=Path,
        default=REPO_ROOT,
        help="Terraform root whose outputs name the tables (default: the repository root; "
        "without state the seeds' table names are used)",
    )
    p.add_argument(
        "--apps", nargs="+", metavar="APP", help=f"apps to seed ({', '.join(SEED_TABLES)})"
    )
    p.add_argument("--scale", type=float, default=1.0, help="volume multiplier (default 1)")
    p.add_argument(
        "--random-seed",
        type=int,
        default=DEFAULT_RANDOM_SEED,
        help=f"generator seed; the same seed gives the same data (default {DEFAULT_RANDOM_SEED})",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=seeding.DEFAULT_WORKERS,
        help=f"parallel BatchWriteItem calls (default {seeding.DEFAULT_WORKERS})",
    )
    p.add_argument(
        "--max-attempts",
        type=int,
        default=seeding.RetryPolicy.max_attempts,
        help="attempts per batch without progress before giving up (default %(default)s)",
    )
    p.add_argument("--no-verify", action="store_true", help="skip reading back the keys written")
    p.add_argument(
        "--dry-run",
        action="store_true",
        help='write {"table": ..., "item": <DynamoDB JSON>} lines instead of writing to DynamoDB',
    )
    p.add_argument("-o", "--output", type=Path, help="with --dry-run: file instead of stdout")
    aws.add_aws_arguments(p)
    p.set_defaults(run=run)


def _check(args: argparse.Namespace) -> list[str]:
    if args.scale <= 0:
        raise UsageError(f"--scale {args.scale}: must be > 0")
    if args.workers < 1:
        raise UsageError(f"--workers {args.workers}: must be >= 1")
    if args.max_attempts < 1:
        raise UsageError(f"--max-attempts {args.max_attempts}: must be >= 1")
    if args.output is not None and not args.dry_run:
        raise UsageError("--output is only for --dry-run")
    return stack.check_apps(args.apps or list(SEED_TABLES))


def start_of_utc_day() -> datetime:
    # Naive, like GenerationContext's default; all runs on one UTC day generate identical items.
    now = datetime.now(timezone.utc)
    return datetime(now.year, now.month, now.day)


def run(args: argparse.Namespace) -> int:
    apps = _check(args)
    deployed = stack.load(args.tf_dir)
    tables = deployed.for_apps(apps)
    if not tables:
        raise UsageError(f"no table of {', '.join(apps)} is deployed ({deployed.source})")
    physical = {t.seed_name: t.name for t in tables}
    ctx = GenerationContext(random_seed=args.random_seed, scale=args.scale, now=start_of_utc_day())
    deployed_apps = [a for a in apps if any(t.app == a for t in tables)]
    generators = [(a, get_app(a).generate(ctx)) for a in deployed_apps]
    if args.dry_run:
        return _dry_run(generators, physical, args.output)

    err = Console(stderr=True)
    err.print(
        f"seeding {len(tables)} tables of {', '.join(deployed_apps)} "
        f"({deployed.source}; random seed {args.random_seed}, scale {args.scale:g})"
    )
    client = aws.dynamodb(aws.AwsOptions.from_args(args), max_pool_connections=args.workers + 4)
    policy = seeding.RetryPolicy(max_attempts=args.max_attempts)
    with _progress(err) as progress:
        task_ids = {t.name: progress.add_task(t.seed_name, total=None) for t in tables}
        outcome = seeding.seed_tables(
            client,
            generators,
            physical,
            workers=args.workers,
            policy=policy,
            on_progress=lambda table, n: progress.advance(task_ids[table], n),
            verify=not args.no_verify,
        )
    Console().print(_summary(outcome, physical))
    return _report_failures(outcome, physical)


class _RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{task.speed or 0:>9,.0f} items/s", style="progress.data.speed")


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description:<26}"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


def _summary(outcome: list[seeding.TableSeed], physical: dict[str, str]) -> Table:
    table = Table(title="Seeded tables")
    table.add_column("table (physical name if different)")
    for col in ("items", "dupes", "written", "retries", "items/s", "verified"):
        table.add_column(col, justify="right")
    for s in outcome:
        r = s.result
        distinct = len(r.keys) if r.keys is not None else r.written
        if s.missing is None:
            verified = "skipped"
        elif s.missing:
            verified = f"[red]{len(s.missing):,} missing[/red]"
        else:
            verified = f"[green]{distinct:,}[/green]"
        name = physical[s.seed_name]
        table.add_row(
            s.seed_name if name == s.seed_name else f"{s.seed_name} ({name})",
            f"{r.received:,}",
            f"{r.duplicates:,}",
            f"{r.written:,}" + (f" [red]({len(r.failed):,} failed)[/red]" if r.failed else ""),
            f"{r.calls - r.batches:,}" + (f" ({r.throttled:,} thr.)" if r.throttled else ""),
            f"{r.items_per_second:,.0f}",
            verified,
        )
    return table


def _report_failures(outcome: list[seeding.TableSeed], physical: dict[str, str]) -> int:
    problems = []
    for s in outcome:
        lost = list(s.result.failed) + list(s.missing or [])
        if lost:
            shown = "; ".join(seeding.format_key(k, s.key_names) for k in lost[:MISSING_SHOWN])
            more = f" and {len(lost) - MISSING_SHOWN} more" if len(lost) > MISSING_SHOWN else ""
            problems.append(
                f"{s.seed_name} ({physical[s.seed_name]}): {len(lost)} items missing: {shown}{more}"
            )
    if problems:
        raise ToolingError("seed incomplete, retries exhausted. " + " | ".join(problems))
    return 0


def _dry_run(
    generators: list[tuple[str, Iterator[tuple[str, dict[str, Any]]]]],
    physical: dict[str, str],
    output: Path | None,
) -> int:
    tmp = output.with_name(output.name + ".partial") if output is not None else None
    try:
        n = _write_lines(generators, physical, tmp)
        if tmp is not None and output is not None:
            tmp.replace(output)  # only a complete file ever appears under the requested name
            Console(stderr=True).print(f"wrote {n:,} items to {output}")
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
    return 0


def _write_lines(
    generators: list[tuple[str, Iterator[tuple[str, dict[str, Any]]]]],
    physical: dict[str, str],
    tmp: Path | None,
) -> int:
    with ExitStack() as stack_:
        out: TextIO = sys.stdout
        if tmp is not None:
            out = stack_.enter_context(tmp.open("w", encoding="utf-8"))
        n = 0
        for app, items in generators:
            for seed_name, item in items:
                if seed_name not in physical:
                    raise ToolingError(f"app {app} generated an item for unknown table {seed_name}")
                try:
                    wire = to_item(item)
                except SerializationError as exc:
                    raise ToolingError(f"app {app}, table {seed_name}: {exc}") from None
                record = {"table": physical[seed_name], "item": item_to_json(wire)}
                out.write(json.dumps(record, separators=(",", ":")) + "\n")
                n += 1
    return n
