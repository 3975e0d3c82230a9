"""`export TABLE -o FILE.jsonl`: every item of a table as DynamoDB JSON lines."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from rich.console import Console

from tooling import aws
from tooling.apps.catalog import APP_OF_TABLE
from tooling.dynamo import transfer
from tooling.errors import UsageError
from tooling.terraform import stack


def add_table_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--tf-dir",
        type=Path,
        help="Terraform root whose outputs name the tables (default: the current directory; "
        "without state the seeds' table names are used, and said so on stderr)",
    )
    parser.add_argument(
        "--workers", type=int, default=16, help="parallel requests (default %(default)s)"
    )


def resolve_table(name: str, tf_dir: Path | None) -> tuple[str, str]:
    """A seed table name resolved through the stack's outputs; any other name is physical.
    Also returns where the name came from, for the command's closing line."""
    if name not in APP_OF_TABLE:
        return name, "a physical name"
    deployed = stack.load(tf_dir)
    physical = deployed.tables[name].name if name in deployed.tables else name
    return physical, deployed.source


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
        "-o", "--output", type=Path, required=True, metavar="FILE", help="output file (.jsonl)"
    )
    p.add_argument("--segments", type=int, default=4, help="parallel scan segments (default 4)")
    p.add_argument("--consistent", action="store_true", help="strongly consistent scan")
    add_table_arguments(p)
    aws.add_aws_arguments(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not 1 <= args.segments <= 1_000_000:
        raise UsageError(f"--segments {args.segments}: must be between 1 and 1000000")
    if not args.output.parent.is_dir():
        raise UsageError(f"--output {args.output}: directory {args.output.parent} does not exist")
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
