"""`check-plan`: refuse a Terraform plan that would lose table data or weaken production tables."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from tooling.errors import UsageError
from tooling.terraform import guard


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check-plan",
        help="guard a Terraform plan (terraform show -json) against data loss",
        description="Exit 1, listing each violation (resource address, table, reason), when the "
        "plan destroys or replaces a DynamoDB table or, in production, turns off PITR, deletion "
        "protection or KMS encryption or deletes a GSI. Exit 0 with a one-line summary otherwise.",
    )
    p.add_argument("plan", type=Path, metavar="PLAN.json", help="output of terraform show -json")
    p.add_argument(
        "--environment",
        help="environment to judge the plan for (default: the plan's `environment` variable); "
        "production enables the strict checks",
    )
    p.add_argument(
        "--allow-replace",
        nargs="+",
        default=[],
        metavar="ADDRESS",
        help="resource addresses whose destroy or replacement is intended",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    plan = guard.load_plan(args.plan)
    unknown = guard.unknown_addresses(plan, args.allow_replace)
    if unknown:
        raise UsageError(f"--allow-replace {unknown[0]}: no such resource in {args.plan}")
    report = guard.check(plan, args.environment, args.allow_replace)
    out = Console(soft_wrap=True, highlight=False)
    for v in report.violations:
        out.print(
            f"[red]VIOLATION[/red] {escape(v.address)} table {escape(v.table)}: {escape(v.reason)}"
        )
    out.print(report.summary())
    return 0 if report.ok else 1
