"""`export TABLE -o FILE.jsonl`: every item of a table as DynamoDB JSON lines."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from rich.console import Console

from tooling import aws, outputs
from tooling.cli import ranges
from tooling.cli.options import add_table_arguments, resolve_table
from tooling.dynamo import transfer


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "export",
        help="export a table to DynamoDB JSON lines",
        description='Write every item of TABLE to FILE, one {"Item": {...}} DynamoDB JSON line '
        "each (AWS's table export format: numbers, sets and binary survive exactly).",
    )
    p.add_argument(
        "table",
        metavar="TABLE",
        help="seed table name (resolved through the stack) or physical name",
    )
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="FILE",
        help="output file (.jsonl); - for stdout",
    )
    p.add_argument("--segments", type=int, default=4, help="parallel scan segments (default 4)")
    p.add_argument("--consistent", action="store_true", help="strongly consistent scan")
    add_table_arguments(p)
    aws.add_aws_arguments(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # One thread and one pooled connection per segment: DynamoDB's own limit (1,000,000) is
    # far beyond what one process can run.
    ranges.check("--segments", args.segments, 1, 1000)
    ranges.check("--workers", args.workers, 1, ranges.MAX_WORKERS)
    outputs.describe_target(args.output)  # a directory or a missing parent: before any request
    table, source = resolve_table(args.table, args.tf_dir)
    client = aws.dynamodb(aws.AwsOptions.from_args(args), max_pool_connections=args.segments + 4)
    start = time.perf_counter()
    n = transfer.export_table(
        client, table, args.output, segments=args.segments, consistent=args.consistent
    )
    Console(stderr=True).print(
        f"exported {n:,} items of {table} to {args.output} in {time.perf_counter() - start:.1f}s "
        f"({args.table}: {source})",
        markup=False,
        soft_wrap=True,
    )
    return 0
