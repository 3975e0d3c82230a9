"""`seed`: fill the stack's tables with the app generators' data (or write it as JSON lines)."""

from __future__ import annotations

import argparse
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

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

from tooling import aws
from tooling.apps import GenerationContext, get_app
from tooling.apps.catalog import SEED_TABLES
from tooling.dynamo import bulk, seeding, transfer
from tooling.errors import ToolingError, UsageError
from tooling.terraform import stack

REPO_ROOT = Path(__file__).resolve().parents[4]
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
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        help="with --dry-run: file instead of stdout; with --format dynamodb-json: directory",
    )
    bulk_group = p.add_argument_group(
        "files for S3 import (--format dynamodb-json --output DIR; nothing is written to DynamoDB)"
    )
    bulk_group.add_argument(
        "--format",
        choices=("lines", "dynamodb-json"),
        default="lines",
        help="dynamodb-json: gzip'd DynamoDB JSON files per table, DIR/<table>/data/"
        "part-NNNNN.json.gz, with manifest.json and import-table.json (default: lines)",
    )
    bulk_group.add_argument(
        "--items-per-file",
        type=int,
        default=bulk.DEFAULT_ITEMS_PER_FILE,
        help="items per part file (default %(default)s)",
    )
    bulk_group.add_argument(
        "--plan",
        type=Path,
        metavar="PLAN.json",
        help="`terraform show -json` plan: physical names, key schema, indexes and billing of the "
        "tables ImportTable creates (default: the stack's outputs, else the seed names)",
    )
    bulk_group.add_argument(
        "--s3-bucket", default="BUCKET", help="bucket named in import-table.json (default BUCKET)"
    )
    bulk_group.add_argument(
        "--s3-prefix", default="", help="key prefix the output directory is uploaded under"
    )
    aws.add_aws_arguments(p)
    p.set_defaults(run=run)


def _check(args: argparse.Namespace) -> list[str]:
    if args.scale <= 0:
        raise UsageError(f"--scale {args.scale}: must be > 0")
    if args.workers < 1:
        raise UsageError(f"--workers {args.workers}: must be >= 1")
    if args.max_attempts < 1:
        raise UsageError(f"--max-attempts {args.max_attempts}: must be >= 1")
    if args.format == "dynamodb-json":
        if args.output is None:
            raise UsageError("--format dynamodb-json needs --output DIR")
        if args.items_per_file < 1:
            raise UsageError(f"--items-per-file {args.items_per_file}: must be >= 1")
    elif args.output is not None and not args.dry_run:
        raise UsageError("--output is only for --dry-run or --format dynamodb-json")
    elif args.output is not None and not args.output.parent.is_dir():
        raise UsageError(f"--output {args.output}: directory {args.output.parent} does not exist")
    elif args.plan is not None:
        raise UsageError("--plan is only for --format dynamodb-json")
    return stack.check_apps(args.apps or list(SEED_TABLES))


def start_of_utc_day() -> datetime:
    # Naive, like GenerationContext's default; all runs on one UTC day generate identical items.
    now = datetime.now(timezone.utc)
    return datetime(now.year, now.month, now.day)


def run(args: argparse.Namespace) -> int:
    apps = _check(args)
    if args.format == "dynamodb-json":
        return _files(args, apps)
    deployed = stack.load(args.tf_dir)
    tables = deployed.for_apps(apps)
    if not tables:
        raise UsageError(f"no table of {', '.join(apps)} is deployed ({deployed.source})")
    physical = {t.seed_name: t.name for t in tables}
    ctx = GenerationContext(random_seed=args.random_seed, scale=args.scale, now=start_of_utc_day())
    deployed_apps = [a for a in apps if any(t.app == a for t in tables)]
    generators = [(a, get_app(a).generate(ctx)) for a in deployed_apps]
    if args.dry_run:
        n = transfer.write_generated(generators, physical, args.output)
        if args.output is not None:
            Console(stderr=True).print(f"wrote {n:,} items to {args.output}")
        return 0

    # Writes and the read-back of finished tables overlap: room for both sets of workers.
    client = aws.dynamodb(aws.AwsOptions.from_args(args), max_pool_connections=2 * args.workers + 4)
    # A missing table or an unreachable endpoint fails before any output.
    key_names = seeding.describe_tables(client, [t.name for t in tables], workers=args.workers)
    err = Console(stderr=True)
    err.print(
        f"seeding {len(tables)} tables of {', '.join(deployed_apps)} "
        f"({deployed.source}; random seed {args.random_seed}, scale {args.scale:g})"
    )
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
            key_names=key_names,
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


# -- --format dynamodb-json: files for S3 import --------------------------------------------------


def _files(args: argparse.Namespace, apps: list[str]) -> int:
    targets, source = bulk.targets(apps, plan_path=args.plan, tf_dir=args.tf_dir)
    if not targets:
        raise UsageError(f"no table of {', '.join(apps)} in the {source}")
    bulk.check_output(args.output, targets.values())  # before generating anything
    ctx = GenerationContext(random_seed=args.random_seed, scale=args.scale, now=start_of_utc_day())
    apps_with_tables = [a for a in apps if any(t.app == a for t in targets.values())]
    generators = [(a, get_app(a).generate(ctx)) for a in apps_with_tables]
    err = Console(stderr=True)
    err.print(
        f"writing {len(targets)} tables of {', '.join(apps_with_tables)} to {args.output} "
        f"({source}; random seed {args.random_seed}, scale {args.scale:g})"
    )
    with _progress(err) as progress:
        task_ids = {s: progress.add_task(s, total=None) for s in targets}
        written = bulk.write_tables(
            generators,
            targets,
            args.output,
            items_per_file=args.items_per_file,
            bucket=args.s3_bucket,
            prefix=args.s3_prefix,
            on_progress=lambda seed, n: progress.advance(task_ids[seed], n),
        )
    out = Console()
    summary = Table(title=f"DynamoDB JSON (gzip) for S3 import in {args.output}")
    for col in ("table", "items", "files", "MB", "key schema"):
        summary.add_column(col, justify="right" if col in ("items", "files", "MB") else "left")
    for f in written:
        keys = ", ".join(f"{k.name} {k.type}" for k in f.target.key_schema) or "unknown"
        summary.add_row(
            f.target.name, f"{f.items:,}", str(len(f.files)), f"{f.bytes / 1e6:,.1f}", keys
        )
    out.print(summary)
    prefix = "/".join(p for p in (args.s3_prefix.strip("/"),) if p)
    out.print(
        f"upload:  aws s3 cp --recursive {args.output} s3://{args.s3_bucket}/{prefix}"
        + ("/" if prefix else ""),
        markup=False,
        soft_wrap=True,
    )
    out.print(
        "import:  aws dynamodb import-table --cli-input-json "
        f"file://{args.output}/<table>/import-table.json",
        markup=False,
        soft_wrap=True,
    )
    if any(not f.target.key_schema for f in written):
        out.print(
            "[yellow]key schema unknown without --plan or a deployed stack: fill in "
            "TableCreationParameters of import-table.json[/yellow]"
        )
    return 0
