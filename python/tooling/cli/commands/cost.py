"""`python -m tooling cost`: monthly DynamoDB cost of the stack under stated usage; `cost diff`:
the change between two plans, for a CI gate."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from rich.console import Console

from tooling import aws, outputs
from tooling.apps.runner import all_patterns
from tooling.cost import api, chart, diff_files, metrics, report
from tooling.cost import diff as cost_diff
from tooling.cost import patterns as cost_patterns
from tooling.cost.pricing import load_price_book
from tooling.cost.usage import UsageFile, load_usage, merge
from tooling.errors import UsageError
from tooling.terraform import stack

REPO_ROOT = Path(__file__).resolve().parents[4]


def _usage_flag(p: argparse.ArgumentParser, help: str, dest: str = "usage") -> None:
    p.add_argument(
        "--usage",
        type=Path,
        action="append",
        dest=dest,
        default=None,
        metavar="USAGE.yaml",
        help=help,
    )


def _only_after(args: argparse.Namespace) -> None:
    """Refuse the estimate's options given before a sub-command's name."""
    given = [k for k, v in vars(args).items() if k.startswith("top_") and v not in (None, False)]
    given = [k for k in given if not (k == "top_format" and args.top_format == "table")]
    if given:
        flag = "--" + given[0].removeprefix("top_").replace("_", "-")
        raise UsageError(f"cost {args.cost_command}: give {flag} after `{args.cost_command}`")


def _usd(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an amount in USD: {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"must be a finite amount >= 0, not {text!r}")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "cost",
        help="estimate the monthly DynamoDB cost of the stack under a usage file",
        description=(
            "Price every table of a Terraform plan (or directory) under the usage assumptions of "
            "one or more usage files (native or Infracost format), with the other billing "
            "mode's cost, the break-even utilisation and a recommendation. "
            "Sub-commands: `cost diff` prices the change between two plans, `cost patterns` the "
            "calls of each access pattern, `cost usage-from-metrics` writes a usage file from "
            "CloudWatch."
        ),
    )
    # The estimate's own options keep `top_` names: a sub-command refuses them before its name
    # (`cost --usage U diff` would otherwise lose U to diff's default silently).
    _usage_flag(
        p, "usage file; repeat to combine (e.g. the presets in examples/usage/)", "top_usage"
    )
    src = p.add_mutually_exclusive_group()
    src.add_argument(
        "--plan",
        type=Path,
        dest="top_plan",
        help="`terraform show -json` output of a plan or state",
    )
    src.add_argument(
        "--tf-dir",
        type=Path,
        dest="top_tf_dir",
        help="Terraform directory: its state if applied, else a fresh plan (default: .)",
    )
    p.add_argument(
        "--pricing",
        type=Path,
        dest="top_pricing",
        metavar="DIR",
        help="folder of pricing-<region>.yaml price lists, or one such file "
        "(default: the bundled lists, python/tooling/data/)",
    )
    p.add_argument(
        "--sample-items",
        type=Path,
        dest="top_sample_items",
        metavar="FILE.jsonl",
        help="items to measure attribute and item sizes on (`seed --dry-run -o` or `export`)",
    )
    p.add_argument("--format", dest="top_format", choices=report.FORMATS, default="table")
    p.add_argument(
        "--output", dest="top_output", type=Path, help="write the report here instead of stdout"
    )
    p.add_argument(
        "--chart", dest="top_chart", type=Path, metavar="FILE.png", help="draw cost against traffic"
    )
    p.add_argument(
        "--only-usage-tables",
        dest="top_only_usage_tables",
        action="store_true",
        help="report only the tables the usage files name (default: every table of the plan)",
    )
    p.set_defaults(run=run, cost_prog=p.prog)
    sub = p.add_subparsers(
        dest="cost_command", metavar="SUBCOMMAND", parser_class=type(p), required=False
    )
    _register_diff(sub)
    _register_metrics(sub)
    _register_patterns(sub)


def _register_diff(sub: argparse._SubParsersAction) -> None:
    d = sub.add_parser(
        "diff",
        help="monthly cost change between two plans, per table and component",
        description=(
            "Price two `terraform show -json` documents under the same usage and print, per "
            "table and component, the cost before, after and the change (like `infracost "
            "diff`). Exit 1 when --fail-above is given and the monthly increase exceeds it."
        ),
    )
    d.add_argument(
        "--base",
        type=Path,
        metavar="BASE.json",
        help="`terraform show -json` of the base plan or state (default: the plan's prior "
        "state, i.e. what is applied; nothing is printed when nothing is applied)",
    )
    d.add_argument(
        "--plan", type=Path, required=True, metavar="PLAN.json", help="the new plan (show -json)"
    )
    _usage_flag(
        d,
        "usage file; repeat to combine (default: the presets of examples/usage/ that match "
        "the plan's tables)",
    )
    d.add_argument(
        "--pricing",
        type=Path,
        metavar="DIR",
        help="folder of pricing-<region>.yaml price lists, or one such file "
        "(default: the bundled lists)",
    )
    d.add_argument(
        "--sample-items",
        type=Path,
        metavar="FILE.jsonl",
        help="items to measure attribute and item sizes on (`seed --dry-run -o` or `export`)",
    )
    d.add_argument("--format", choices=cost_diff.FORMATS, default="table")
    d.add_argument(
        "--output",
        type=Path,
        help="write the diff here (e.g. $GITHUB_STEP_SUMMARY) instead of stdout; `-` is stdout",
    )
    d.add_argument(
        "--fail-above",
        type=_usd,
        metavar="USD",
        help="exit 1 when the monthly cost increases by more than USD",
    )
    d.set_defaults(run=run_diff)


def _days(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of days: {text!r}") from None
    if not math.isfinite(value) or not 0 < value <= 455:
        raise argparse.ArgumentTypeError(
            f"must be > 0 and <= 455 (CloudWatch's hourly data), not {text!r}"
        )
    return value


def _register_metrics(sub: argparse._SubParsersAction) -> None:
    m = sub.add_parser(
        "usage-from-metrics",
        help="write a usage file from the tables' CloudWatch metrics and DescribeTable",
        description=(
            "Read ConsumedRead/WriteCapacityUnits (table and each GSI), ReturnedItemCount and "
            "DescribeTable for the stack's tables over the last --days and write a usage file "
            "of this package's format, each figure commented with its source and the "
            "peak-to-average seen."
        ),
    )
    m.add_argument("--days", type=_days, default=14.0, help="window to read (default: 14)")
    m.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("-"),
        metavar="USAGE.yaml",
        help="where to write the usage file (written whole or not at all; `-`: stdout)",
    )
    m.add_argument(
        "--tf-dir",
        type=Path,
        default=REPO_ROOT,
        help="Terraform root whose outputs name the tables (default: the repository root; "
        "without state the seeds' table names are used)",
    )
    aws.add_aws_arguments(m)
    m.set_defaults(run=run_metrics)


def run_metrics(args: argparse.Namespace) -> int:
    _only_after(args)
    out = args.output
    outputs.describe_target(out)  # a directory or a missing one is refused before any call
    options = aws.AwsOptions.from_args(args)
    deployed = stack.load(args.tf_dir)
    tables = [(t.seed_name, t.name) for t in deployed.tables.values()]
    text = metrics.measure(
        aws.dynamodb(options),
        aws.client("cloudwatch", options),
        tables,
        days=args.days,
        region=aws.session(options).region_name,
    )
    outputs.write_text(out, text)
    return 0


def _register_patterns(sub: argparse._SubParsersAction) -> None:
    q = sub.add_parser(
        "patterns",
        help="request units and monthly cost of each access pattern (query --list)",
        description=(
            "For each access pattern of the seed apps whose table the plan holds: the request "
            "units one call consumes (item or index entry size, items per call, consistency) "
            "and, at the calls a day the usage files' `patterns:` block states, the monthly "
            "on-demand cost."
        ),
    )
    _usage_flag(q, "usage file with `tables:` sizes and a `patterns:` block; repeat to combine")
    src = q.add_mutually_exclusive_group()
    src.add_argument("--plan", type=Path, help="`terraform show -json` output of a plan or state")
    src.add_argument(
        "--tf-dir",
        type=Path,
        help="Terraform directory: its state if applied, else a fresh plan (default: .)",
    )
    q.add_argument(
        "--pricing",
        type=Path,
        metavar="DIR",
        help="folder of pricing-<region>.yaml price lists, or one such file",
    )
    q.add_argument(
        "--sample-items",
        type=Path,
        metavar="FILE.jsonl",
        help="items to measure sizes and items per partition on (`seed --dry-run -o`, `export`)",
    )
    q.add_argument("--format", choices=cost_patterns.FORMATS, default="table")
    q.add_argument("-o", "--output", type=Path, help="write here instead of stdout (`-`: stdout)")
    q.set_defaults(run=run_patterns)


def run_patterns(args: argparse.Namespace) -> int:
    _only_after(args)
    out = args.output
    if out is not None:
        outputs.describe_target(out)  # a directory or a missing one is refused before any work
    merged = merge([load_usage(p) for p in args.usage]) if args.usage else UsageFile()
    book = load_price_book(args.pricing)
    tables = api.load_tables(args.plan, args.tf_dir)
    if not tables:
        raise UsageError("the plan holds no aws_dynamodb_table")
    home = book.get(merged.region) or book.home(tables[0].region or merged.region)
    costs = cost_patterns.pattern_costs(
        all_patterns(), tables, merged, home, sample_items=args.sample_items
    )
    text = cost_patterns.render(costs, args.format)
    if out is None:
        sys.stdout.write(text)
    else:
        outputs.write_text(out, text)
    return 0


def run(args: argparse.Namespace) -> int:
    if not args.top_usage:
        raise UsageError(f"{args.cost_prog}: the following arguments are required: --usage")
    if args.top_output is not None:
        outputs.describe_target(args.top_output)  # refused before Terraform runs
    result = api.run(
        args.top_usage,
        plan=args.top_plan,
        tf_dir=args.top_tf_dir,
        pricing=args.top_pricing,
        sample_items=args.top_sample_items,
        all_tables=not args.top_only_usage_tables,
    )
    if args.top_chart is not None:
        chart.draw(result.estimate, result.tables, result.pricing, args.top_chart)
    if args.top_output is None and args.top_format == "table":
        report.print_table(result.estimate, Console())
    else:
        text = report.render(result.estimate, args.top_format)
        if args.top_output is None:
            print(text, end="")
        else:
            outputs.write_text(args.top_output, text)
    return 0


def run_diff(args: argparse.Namespace) -> int:
    _only_after(args)
    out = args.output
    if out is not None:
        outputs.describe_target(out)  # a directory or a missing one is refused before any work
    result = diff_files.run(
        args.plan,
        args.usage or [],
        base=args.base,
        pricing=args.pricing,
        sample_items=args.sample_items,
    )
    if isinstance(result, str):  # nothing to compare: say so, not an error
        print(result)
        return 0
    text = cost_diff.render(result, args.format)
    if args.output is None:
        sys.stdout.write(text)
    else:
        outputs.write_text(args.output, text)
    if args.fail_above is not None and result.change > args.fail_above:
        print(
            f"monthly cost increase {cost_diff.usd(result.change)} is above "
            f"--fail-above {cost_diff.usd(args.fail_above)}",
            file=sys.stderr,
        )
        return 1
    return 0
