"""`seed --format dynamodb-json --output DIR`: gzip'd DynamoDB JSON files for S3 import."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.table import Table

from tooling.apps import generators
from tooling.cli.commands.seed import context
from tooling.cli.commands.seed.progress import progress
from tooling.dynamo import bulk
from tooling.errors import UsageError
from tooling.terraform import targets


def run(args: argparse.Namespace, apps: list[str]) -> int:
    found, source = targets.targets(apps, plan_path=args.plan, tf_dir=args.tf_dir)
    if not found:
        raise UsageError(f"no table of {', '.join(apps)} in the {source}")
    bulk.check_output(args.output, found.values())  # before generating anything
    apps_with_tables = [a for a in apps if any(t.app == a for t in found.values())]
    err = Console(stderr=True)
    err.print(
        f"writing {len(found)} tables of {', '.join(apps_with_tables)} to {args.output} "
        f"({source}; random seed {args.random_seed}, scale {args.scale:g})",
        soft_wrap=True,
    )
    with progress(err) as bars:
        task_ids = {s: bars.add_task(s, total=None) for s in found}
        written = bulk.write_tables(
            generators(apps_with_tables, context(args)),
            found,
            args.output,
            items_per_file=args.items_per_file,
            bucket=args.s3_bucket,
            prefix=args.s3_prefix,
            on_progress=lambda seed, n: bars.advance(task_ids[seed], n),
        )
    out = Console()
    summary = Table(title=f"DynamoDB JSON (gzip) for S3 import in {args.output}")
    for col in ("table", "items", "files", "MB", "key schema"):
        summary.add_column(col, justify="right" if col in ("items", "files", "MB") else "left")
    for f in written:
        keys = ", ".join(f"{k.name} {k.type}" for k in f.target.key_schema) or "unknown"
        summary.add_row(
            f.target.name, f"{f.items:,}", str(len(f.files)), f"{f.bytes / 1e6:,.1f}", keys
        )
    out.print(summary)
    prefix = "/".join(p for p in (args.s3_prefix.strip("/"),) if p)
    out.print(
        f"upload:  aws s3 cp --recursive {args.output} s3://{args.s3_bucket}/{prefix}"
        + ("/" if prefix else ""),
        markup=False,
        soft_wrap=True,
    )
    out.print(
        "import:  aws dynamodb import-table --cli-input-json "
        f"file://{args.output}/<table>/import-table.json",
        markup=False,
        soft_wrap=True,
    )
    unknown = [f.target.name for f in written if not f.target.key_schema]
    if unknown:
        out.print(
            f"[yellow]import-table.json not written for {', '.join(unknown)}: key schema unknown "
            f"({source}); give --plan PLAN.json or --tf-dir of the stack[/yellow]",
            soft_wrap=True,
        )
    return 0
