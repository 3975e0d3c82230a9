"""`seed --dry-run`: the generated items as {"table": ..., "item": <DynamoDB JSON>} lines."""

from __future__ import annotations

import argparse

from rich.console import Console

from tooling.apps import generators
from tooling.cli.commands.seed import context
from tooling.cli.commands.seed.tables import deployed_tables
from tooling.dynamo import transfer


def run(args: argparse.Namespace, apps: list[str]) -> int:
    _deployed, found = deployed_tables(args, apps)
    physical = {t.seed_name: t.name for t in found}
    deployed_apps = [a for a in apps if any(t.app == a for t in found)]
    n = transfer.write_generated(generators(deployed_apps, context(args)), physical, args.output)
    if args.output is not None:
        Console(stderr=True).print(f"wrote {n:,} items to {args.output}")
    return 0
