"""`import FILE.jsonl --table TABLE`: put every item of a DynamoDB JSON lines file into a table."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rich.console import Console

from tooling import aws
from tooling.cli import ranges
from tooling.cli.options import add_table_arguments, resolve_table
from tooling.dynamo import transfer
from tooling.dynamo.keys import format_key
from tooling.errors import ToolingError


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "import",
        help="import DynamoDB JSON lines into a table",
        description="Validate every line of FILE (as written by `export`, or `seed --dry-run`), "
        "then put every item into TABLE. A malformed file is refused, naming the line, with "
        "nothing written.",
    )
    p.add_argument(
        "file",
        type=Path,
        metavar="FILE",
        help="DynamoDB JSON lines file, gzip'd or not, or a directory of them (e.g. one table's "
        "directory from `seed --format dynamodb-json`, checked against its manifest.json)",
    )
    p.add_argument(
        "--table",
        required=True,
        help="seed table name (resolved through the stack) or physical name",
    )
    add_table_arguments(p)
    aws.add_aws_arguments(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    ranges.check("--workers", args.workers, 1, ranges.MAX_WORKERS)
    table, source = resolve_table(args.table, args.tf_dir)
    client = aws.dynamodb(
        aws.AwsOptions.from_args(args), prevalidated=True, max_pool_connections=args.workers + 4
    )
    result = transfer.import_file(client, args.file, table, workers=args.workers)
    if result.failed:
        shown = "; ".join(
            format_key(k, transfer.key_types(client, table)) for k in result.failed[:5]
        )
        raise ToolingError(
            f"import into {table} incomplete, retries exhausted: {result.written:,} of "
            f"{result.received:,} items written, {len(result.failed)} missing: {shown}; run the "
            "same command again to finish (items are put by key: a rerun is idempotent)"
        )
    Console(stderr=True).print(
        f"imported {result.received:,} items from {args.file} into {table} "
        f"({result.written:,} written, {result.duplicates:,} duplicate keys: a later line "
        "replaced the item, "
        f"{result.items_per_second:,.0f} items/s; {args.table}: {source})",
        markup=False,
        soft_wrap=True,
    )
    return 0
