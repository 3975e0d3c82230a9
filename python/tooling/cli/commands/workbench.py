"""`workbench --plan PLAN.json -o MODEL.json`: a NoSQL Workbench model of the planned tables."""

from __future__ import annotations

import argparse
import getpass
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.console import Console

from tooling import outputs, workbench
from tooling.apps import DEFAULT_RANDOM_SEED, start_of_utc_day
from tooling.cli import ranges


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "workbench",
        help="write a NoSQL Workbench data model of the planned tables",
        description="Write a NoSQL Workbench (format 3.0) data model of every DynamoDB table of "
        "a `terraform show -json` plan: keys, GSIs, billing, the seeds' access patterns as "
        "facets and, with --with-sample-data, generated items as table data.",
    )
    p.add_argument("--plan", type=Path, required=True, metavar="PLAN.json", help="plan JSON")
    p.add_argument(
        "-o", "--output", type=Path, required=True, metavar="MODEL.json", help="model file"
    )
    p.add_argument(
        "--with-sample-data",
        action="store_true",
        help=f"table data: up to {workbench.SAMPLE_LIMIT} generated items per table, those "
        "answering the access patterns' examples first",
    )
    p.add_argument(
        "--name", default="dynamodb-seed-stacks", help="model name (default %(default)s)"
    )
    p.add_argument("--author", help="model author (default: the current user)")
    p.add_argument(
        "--random-seed",
        type=int,
        default=DEFAULT_RANDOM_SEED,
        help="generator seed of the sample data (default %(default)s)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    ranges.check("--random-seed", args.random_seed, -ranges.MAX_SEED, ranges.MAX_SEED)
    outputs.describe_target(args.output)  # a directory or a missing parent: before the plan
    try:
        author = args.author or getpass.getuser()
    except (KeyError, OSError):
        author = "unknown"
    model = workbench.model_from_plan(
        args.plan,
        name=args.name,
        author=author,
        now=start_of_utc_day(),
        with_sample_data=args.with_sample_data,
        random_seed=args.random_seed,
    )
    model["ModelMetadata"]["DateLastModified"] = datetime.now().strftime("%b %d, %Y, %I:%M %p")
    outputs.write_text(args.output, json.dumps(model, indent=2) + "\n")
    tables = model["DataModel"]
    Console(stderr=True).print(
        f"wrote {args.output}: {len(tables)} tables, "
        f"{sum(len(t.get('GlobalSecondaryIndexes', [])) for t in tables)} GSIs, "
        f"{sum(len(t['TableFacets']) for t in tables)} facets, "
        f"{sum(len(t['TableData']) for t in tables)} sample items"
    )
    return 0
