"""`demo`: the whole stack on a local moto server, applied, seeded, queried, costed, dropped."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from tooling.cli import render
from tooling.cost.usage import load_usage
from tooling.dev import demo, local
from tooling.errors import UsageError

LOG_DIR = Path(".local")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo",
        help="apply, seed, query and cost the whole stack on a local endpoint, then tear it down",
    )
    p.add_argument("--tf-dir", type=Path, default=Path("examples/local"), help="stack to apply")
    p.add_argument("--usage", type=Path, help="usage file for the cost summary")
    p.set_defaults(run=_demo)


def check_tf_dir(tf_dir: Path) -> None:
    """Refuse a wrong --tf-dir before a server is started or any state is written."""
    if not tf_dir.is_dir():
        raise UsageError(f"--tf-dir {tf_dir}: no such directory")
    if not any(tf_dir.glob("*.tf")):
        raise UsageError(f"--tf-dir {tf_dir}: no Terraform files (*.tf)")


def _demo(args: argparse.Namespace) -> int:
    local.require_moto()  # without the extra, nothing else matters (the default --tf-dir included)
    if args.usage is not None:
        load_usage(args.usage)  # a bad usage file fails now, not after apply and seed
    check_tf_dir(args.tf_dir)
    console = Console()
    return demo.run_demo(
        args.tf_dir,
        args.usage,
        console,
        LOG_DIR,
        show_patterns=lambda results: render.print_patterns(results, console),
    )
