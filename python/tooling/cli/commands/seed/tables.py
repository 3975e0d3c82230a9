"""`seed`: write the generated items into the deployed tables, then read every key back."""

from __future__ import annotations

import argparse
import threading

from rich.console import Console
from rich.table import Table

from tooling import aws
from tooling.apps import generators
from tooling.cli.commands.seed import context
from tooling.cli.commands.seed.progress import progress
from tooling.dynamo.keys import format_key
from tooling.dynamo.retry import RetryPolicy
from tooling.dynamo.tables import VERIFIED_AT_ONCE, TableSeed, describe_tables, seed_tables
from tooling.errors import ToolingError, UsageError, WriteStopped, describe
from tooling.terraform import stack

MISSING_SHOWN = 5


def deployed_tables(
    args: argparse.Namespace, apps: list[str]
) -> tuple[stack.Stack, list[stack.Table]]:
    """The stack and the tables of `apps` it deploys; none is a UsageError."""
    deployed = stack.load(args.tf_dir)
    found = deployed.for_apps(apps)
    if not found:
        raise UsageError(f"no table of {', '.join(apps)} is deployed ({deployed.source})")
    return deployed, found


def run(args: argparse.Namespace, apps: list[str]) -> int:
    deployed, found = deployed_tables(args, apps)
    physical = {t.seed_name: t.name for t in found}
    deployed_apps = [a for a in apps if any(t.app == a for t in found)]
    client = aws.dynamodb(
        aws.AwsOptions.from_args(args),
        max_attempts=args.max_attempts,
        prevalidated=True,
        # Writes and the read-back of finished tables overlap: room for both sets of workers
        # and the counting scans of the tables being verified.
        max_pool_connections=2 * args.workers + VERIFIED_AT_ONCE,
    )
    # A missing table or an unreachable endpoint fails before any output.
    key_names = describe_tables(client, [t.name for t in found], workers=args.workers)
    err = Console(stderr=True)
    err.print(
        f"seeding {len(found)} tables of {', '.join(deployed_apps)} "
        f"({deployed.source}; random seed {args.random_seed}, scale {args.scale:g})",
        soft_wrap=True,
        highlight=False,
    )
    written = [0]
    lock = threading.Lock()
    where = f"the tables of {', '.join(deployed_apps)}"
    with progress(err) as bars:
        task_ids = {t.name: bars.add_task(t.seed_name, total=None) for t in found}

        def advance(table: str, n: int) -> None:
            with lock:  # called from the writer's worker threads
                written[0] += n
            bars.advance(task_ids[table], n)

        try:
            outcome = seed_tables(
                client,
                generators(deployed_apps, context(args)),
                physical,
                workers=args.workers,
                policy=RetryPolicy(max_attempts=args.max_attempts),
                on_progress=advance,
                verify=not args.no_verify,
                key_names=key_names,
            )
        except KeyboardInterrupt:
            raise WriteStopped(where, written[0], None, "interrupted", interrupted=True) from None
        except Exception as exc:
            raise WriteStopped(where, written[0], None, str(describe(exc))) from None
    Console().print(_summary(outcome, physical))
    return _report_failures(outcome, physical)


def _summary(outcome: list[TableSeed], physical: dict[str, str]) -> Table:
    table = Table(title="Seeded tables")
    # At 80 columns (a CI log) the name wraps rather than being cut; the figures never shrink.
    table.add_column("table (physical name if different)", overflow="fold")
    for col in ("items", "dupes", "written", "retries", "items/s", "verified"):
        table.add_column(col, justify="right", no_wrap=True)
    for s in outcome:
        r = s.result
        distinct = len(r.keys) if r.keys is not None else r.written
        if s.missing is None:
            verified = "skipped"
        elif s.missing:
            verified = f"[red]{len(s.missing):,} missing[/red]"
        else:
            verified = f"[green]{distinct:,}[/green]"
        name = physical[s.seed_name]
        table.add_row(
            s.seed_name if name == s.seed_name else f"{s.seed_name} ({name})",
            f"{r.received:,}",
            f"{r.duplicates:,}",
            f"{r.written:,}" + (f" [red]({len(r.failed):,} failed)[/red]" if r.failed else ""),
            f"{r.calls - r.batches:,}" + (f" ({r.throttled:,} thr.)" if r.throttled else ""),
            f"{r.items_per_second:,.0f}",
            verified,
        )
    return table


def _report_failures(outcome: list[TableSeed], physical: dict[str, str]) -> int:
    problems = []
    for s in outcome:
        lost = list(s.result.failed) + list(s.missing or [])
        if lost:
            shown = "; ".join(format_key(k, s.key_names) for k in lost[:MISSING_SHOWN])
            more = f" and {len(lost) - MISSING_SHOWN} more" if len(lost) > MISSING_SHOWN else ""
            problems.append(
                f"{s.seed_name} ({physical[s.seed_name]}): {len(lost)} items missing: {shown}{more}"
            )
    if problems:
        raise ToolingError("seed incomplete, retries exhausted. " + " | ".join(problems))
    return 0
