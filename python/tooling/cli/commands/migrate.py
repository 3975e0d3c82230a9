"""`migrate fusion ENTRIES_JSON`: load the fusion app's entries.json into its tables."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from tooling import aws
from tooling.apps.fusion import ENTRIES, SUMMARIES, migration
from tooling.cli.options import add_tf_dir
from tooling.terraform import stack

SHOWN = 10


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "migrate",
        help="migrate fusion's entries.json into its tables",
        description="Validate ENTRIES_JSON ({MMDD: {HHMM: entry}}, seed 000), flatten it into "
        "fusion-health-entries items with the derived GSI attributes, compute "
        "fusion-daily-summaries, write both and read everything back. An invalid file writes "
        "nothing.",
    )
    p.add_argument("source", choices=("fusion",), help="what to migrate (only: fusion)")
    p.add_argument("entries_json", type=Path, metavar="ENTRIES_JSON")
    p.add_argument(
        "--dry-run", action="store_true", help="validate and transform only; write nothing"
    )
    add_tf_dir(p)
    aws.add_aws_arguments(p)
    p.set_defaults(run=run)


def _summary(console: Console, report: migration.MigrationReport, dry_run: bool) -> None:
    t = Table(title=f"fusion migration of {report.source}" + (" (dry run)" if dry_run else ""))
    t.add_column("")
    t.add_column("value", justify="right")
    with_med = sum(1 for e in report.entries if "medication_taken" in e)
    with_pain = sum(1 for e in report.entries if "max_pain_level" in e)
    rows = [
        ("dates", report.dates),
        (f"entries -> {report.entries_table}", len(report.entries)),
        ("  in medication-index (medication_taken)", with_med),
        ("  in pain-level-index (max_pain_level)", with_pain),
        (f"summaries -> {report.summaries_table}", len(report.summaries)),
    ]
    if not dry_run:
        rows += [("items written", report.written), ("items verified", report.verified)]
    for label, value in rows:
        t.add_row(label, str(value))
    console.print(t)


def run(args: argparse.Namespace) -> int:
    console = Console()
    if args.dry_run:
        report = migration.plan(args.entries_json)
        _summary(console, report, dry_run=True)
        return 0
    st = stack.load(args.tf_dir)
    client = aws.dynamodb(aws.AwsOptions.from_args(args), prevalidated=True, max_pool_connections=8)
    report = migration.migrate(
        client, args.entries_json, st.physical(ENTRIES), st.physical(SUMMARIES)
    )
    _summary(console, report, dry_run=False)
    # After the writes: an error before them must stay the only line on stderr.
    Console(stderr=True).print(
        f"tables: {st.source}", markup=False, highlight=False, soft_wrap=True
    )
    for note in report.notes[:SHOWN]:
        console.print(f"[yellow]note[/yellow] {note}", highlight=False, soft_wrap=True)
    if len(report.notes) > SHOWN:
        console.print(f"... and {len(report.notes) - SHOWN} more dates with other entries")
    if report.mismatches:
        for problem in report.mismatches[:SHOWN]:
            console.print(f"[red]mismatch[/red] {problem}", highlight=False, soft_wrap=True)
        more = len(report.mismatches) - SHOWN
        if more > 0:
            console.print(f"... and {more} more")
        console.print(f"[red]verification failed: {len(report.mismatches)} mismatches[/red]")
        return 1
    console.print("[green]verified: every item read back as written[/green]")
    return 0
