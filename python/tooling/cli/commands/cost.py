"""`python -m tooling cost`: monthly DynamoDB cost of the stack under stated usage."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from tooling.cost import api, chart, report


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "cost",
        help="estimate the monthly DynamoDB cost of the stack under a usage file",
        description=(
            "Price every table of a Terraform plan (or directory) under the usage assumptions of "
            "one or more usage files (native or Infracost format), with the other billing "
            "mode's cost, the break-even utilisation and a recommendation."
        ),
    )
    p.add_argument(
        "--usage",
        type=Path,
        action="append",
        required=True,
        metavar="USAGE.yaml",
        help="usage file; repeat to combine (e.g. the presets in examples/usage/)",
    )
    src = p.add_mutually_exclusive_group()
    src.add_argument("--plan", type=Path, help="`terraform show -json` output of a plan or state")
    src.add_argument(
        "--tf-dir",
        type=Path,
        help="Terraform directory: its state if applied, else a fresh plan (default: .)",
    )
    p.add_argument(
        "--pricing",
        type=Path,
        metavar="DIR",
        help="folder of pricing-<region>.yaml price lists, or one such file "
        "(default: the bundled lists, python/tooling/data/)",
    )
    p.add_argument(
        "--sample-items",
        type=Path,
        metavar="FILE.jsonl",
        help="items to measure attribute and item sizes on (`seed --dry-run -o` or `export`)",
    )
    p.add_argument("--format", choices=report.FORMATS, default="table")
    p.add_argument("--output", type=Path, help="write the report here instead of stdout")
    p.add_argument("--chart", type=Path, metavar="FILE.png", help="draw cost against traffic")
    p.add_argument(
        "--only-usage-tables",
        action="store_true",
        help="report only the tables the usage files name (default: every table of the plan)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    result = api.run(
        args.usage,
        plan=args.plan,
        tf_dir=args.tf_dir,
        pricing=args.pricing,
        sample_items=args.sample_items,
        all_tables=not args.only_usage_tables,
    )
    if args.chart is not None:
        chart.draw(result.estimate, result.tables, result.pricing, args.chart)
    if args.output is None and args.format == "table":
        report.print_table(result.estimate, Console())
    else:
        text = report.render(result.estimate, args.format)
        if args.output is None:
            print(text, end="")
        else:
            args.output.parent.mkdir(parents=True, exist_ok=True)
            args.output.write_text(text)
    return 0
