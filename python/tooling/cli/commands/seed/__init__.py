"""`seed`: fill the stack's tables with the app generators' data, or write it to files.

One command, three outputs behind one flag set: the deployed tables (tables.py), JSON lines with
--dry-run (dry_run.py) and gzip'd DynamoDB JSON for S3 import with --format dynamodb-json
(files.py). The cross-flag rules are checked here, before anything is generated or written.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tooling import aws, outputs
from tooling.apps import DEFAULT_RANDOM_SEED, GenerationContext, start_of_utc_day
from tooling.apps.catalog import SEED_TABLES
from tooling.cli import ranges
from tooling.cli.options import add_tf_dir
from tooling.dynamo import bulk
from tooling.dynamo.retry import RetryPolicy
from tooling.dynamo.writer import DEFAULT_WORKERS
from tooling.errors import UsageError
from tooling.terraform import stack


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "seed",
        help="seed the deployed tables with realistic data",
        description="Seed every table of the deployed stack (or --apps) with generated data. "
        "Idempotent: items are put by key, so a second run leaves the same item counts.",
    )
    add_tf_dir(p, "; with --format dynamodb-json and no state, a plan of it")
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
        default=DEFAULT_WORKERS,
        help=f"parallel BatchWriteItem calls (default {DEFAULT_WORKERS})",
    )
    p.add_argument(
        "--max-attempts",
        type=int,
        default=RetryPolicy.max_attempts,
        help="HTTP calls per batch of 25 items, botocore's retries of throttling and dropped "
        "connections included, before its items count as failed (default %(default)s)",
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
        "tables ImportTable creates (default: the outputs of --tf-dir, else a plan of it, else "
        "the seed names and no import-table.json)",
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
    ranges.check("--scale", args.scale, 0, ranges.MAX_SCALE, low_open=True)
    ranges.check("--random-seed", args.random_seed, -ranges.MAX_SEED, ranges.MAX_SEED)
    ranges.check("--workers", args.workers, 1, ranges.MAX_WORKERS)
    ranges.check("--max-attempts", args.max_attempts, 1, 100)
    ranges.check("--items-per-file", args.items_per_file, 1, 100_000_000)
    if args.format == "dynamodb-json":
        if args.output is None:
            raise UsageError("--format dynamodb-json needs --output DIR")
    elif args.output is not None and not args.dry_run:
        raise UsageError("--output is only for --dry-run or --format dynamodb-json")
    elif args.output is not None:
        outputs.describe_target(args.output)  # a directory or a missing parent: before generating
    elif args.plan is not None:
        raise UsageError("--plan is only for --format dynamodb-json")
    return stack.check_apps(args.apps or list(SEED_TABLES))


def context(args: argparse.Namespace) -> GenerationContext:
    return GenerationContext(random_seed=args.random_seed, scale=args.scale, now=start_of_utc_day())


def run(args: argparse.Namespace) -> int:
    apps = _check(args)
    if args.format == "dynamodb-json":
        from tooling.cli.commands.seed import files

        return files.run(args, apps)
    from tooling.cli.commands.seed import dry_run, tables

    return (dry_run if args.dry_run else tables).run(args, apps)
