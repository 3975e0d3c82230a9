"""`check-plan`: refuse a Terraform plan that would lose table data or weaken production tables."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from tooling.errors import UsageError
from tooling.terraform import guard

FORMATS = ("text", "json", "markdown")


def _environments(text: str) -> tuple[str, ...]:
    names = tuple(n.strip() for n in text.split(",") if n.strip())
    if not names:
        raise argparse.ArgumentTypeError(f"{text!r}: expected comma-separated environment names")
    return names


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check-plan",
        help="guard a Terraform plan (terraform show -json) against data loss",
        description="Exit 1, listing each violation (resource address, table, reason), when the "
        "plan destroys or replaces a DynamoDB table or removes a replica, or, in a strict "
        "environment, turns off PITR, deletion protection or KMS encryption or deletes a GSI. "
        "Exit 0 otherwise. The summary always says whether strict rules applied, and why.",
    )
    p.add_argument("plan", type=Path, metavar="PLAN.json", help="output of terraform show -json")
    p.add_argument(
        "--environment",
        help="environment to judge the plan for (default: the plan's `environment` variable)",
    )
    p.add_argument(
        "--strict-environments",
        type=_environments,
        default=guard.STRICT_ENVIRONMENTS,
        metavar="NAMES",
        help="comma-separated environments that get the strict rules, compared "
        f"case-insensitively (default: {','.join(guard.STRICT_ENVIRONMENTS)})",
    )
    p.add_argument(
        "--allow-replace",
        nargs="+",
        default=[],
        metavar="ADDRESS",
        help="resource addresses whose destroy or replacement is intended",
    )
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (default); json: machine-readable violations, strict flag and counts; "
        "markdown: for a GitHub job summary ($GITHUB_STEP_SUMMARY)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    plan = guard.load_plan(args.plan)
    unknown = guard.unknown_addresses(plan, args.allow_replace)
    if unknown:
        raise UsageError(f"--allow-replace {unknown[0]}: no such resource in {args.plan}")
    report = guard.check(
        plan, args.environment, args.allow_replace, strict_environments=args.strict_environments
    )
    if args.format == "json":
        print(json.dumps(report.to_json(), indent=2))
    elif args.format == "markdown":
        print(report.to_markdown(), end="")
    else:
        out = Console(soft_wrap=True, highlight=False)
        for v in report.violations:
            out.print(
                f"[red]VIOLATION[/red] {escape(v.address)} table {escape(v.table)}: "
                f"{escape(v.reason)}"
            )
        out.print(escape(report.summary()))
    return 0 if report.ok else 1
