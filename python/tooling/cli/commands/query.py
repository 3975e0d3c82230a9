"""`query`: run one of the seeds' access patterns against the deployed tables."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from rich.console import Console

from tooling import aws
from tooling.apps import get_app, runner
from tooling.cli import render
from tooling.cli.options import add_tf_dir
from tooling.errors import UsageError
from tooling.terraform import stack


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "query",
        help="run an access pattern of an app",
        description="Run a named access pattern of a seed app, e.g. "
        "`query fusion-health entries-by-medication --param medication=oxycodone`. "
        "`query --list` lists every pattern with its parameters.",
    )
    p.add_argument("app", nargs="?", help="app: fusion-health, schizodot, mediphant, ...")
    p.add_argument("pattern", nargs="?", help="pattern name (see --list)")
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a pattern parameter; repeat for several",
    )
    p.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="table (default) or JSON: of the results, or with --list of the patterns",
    )
    p.add_argument("--list", action="store_true", help="list the patterns and their parameters")
    add_tf_dir(p)
    aws.add_aws_arguments(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    console = Console()
    if args.list:
        found = list(get_app(args.app).patterns) if args.app else runner.all_patterns()
        if args.format == "json":
            sys.stdout.write(render.pattern_json(found) + "\n")
        else:
            render.render_list(console, found)
        return 0
    if not args.app or not args.pattern:
        raise UsageError("query: give APP and PATTERN, or --list")
    pattern = runner.find(args.app, args.pattern)
    params = runner.parse_params(pattern, args.param)
    deployed = stack.load(args.tf_dir)
    client = aws.dynamodb(aws.AwsOptions.from_args(args))
    result = runner.run(pattern, client, deployed, params)
    if args.format == "json":
        sys.stdout.write(runner.to_json(result) + "\n")
    else:
        render.render_table(result, console, f"{pattern.app} {pattern.name}")
    # After the results: an error must stay the only line on stderr.
    Console(stderr=True).print(
        f"tables: {deployed.source}", markup=False, highlight=False, soft_wrap=True
    )
    return 0
